// Kennisbank's part of the CMS (admin/): a front-matter format that keeps what staff wrote.
//
// Decap's own YAML format rewrites the whole front matter: comments are lost and keys are
// reordered. This format parses with the `yaml` library's document model, which keeps
// comments and order, and on save changes only the keys whose values changed; keys the CMS
// does not know stay as they were. A new document is written in the order of the form.
import { parseDocument, Document, isScalar } from "./yaml/index.js";

const SOURCE = "__kennisbank_front_matter"; // the file's own front matter, kept for the save
const GAP = "__kennisbank_gap";
const FENCE = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

// The order of the keys in a new document: the schemas' order (written by kennisbank/site/cms.py).
const ORDER = /*ORDER*/[];

function ordered(values) {
  const rank = (key) => (ORDER.includes(key) ? ORDER.indexOf(key) : ORDER.length);
  return Object.fromEntries(Object.entries(values).sort(([a], [b]) => rank(a) - rank(b)));
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function fromFile(content) {
  const found = FENCE.exec(content);
  if (!found) return { body: content };
  const data = parseDocument(found[1]).toJS() || {};
  // The blank lines between the front matter and the text are the file's own: kept.
  const gap = /^\n*/.exec(found[2])[0];
  return { ...data, body: found[2].slice(gap.length), [SOURCE]: found[1], [GAP]: gap };
}

function toFile(data) {
  const { body = "", [SOURCE]: source, [GAP]: gap = "\n", ...values } = data;
  let doc;
  if (source === undefined) {
    doc = new Document(ordered(values));
  } else {
    doc = parseDocument(source);
    const before = doc.toJS() || {};
    for (const [key, value] of Object.entries(values)) {
      const empty = value === undefined || value === null || value === "" ||
        (Array.isArray(value) && value.length === 0 && !(key in before));
      if (empty && !(key in before)) continue;
      if (same(before[key], value)) continue;
      const node = doc.get(key, true);
      if (isScalar(node) && (value === null || typeof value !== "object")) {
        node.value = value; // keeps its quotes and the comment beside it
      } else {
        doc.set(key, doc.createNode(value, { flow: node && node.flow }));
      }
    }
  }
  const front = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  const text = body.replace(/^\n+/, "");
  return `---\n${front}---\n${gap}${text}${text.endsWith("\n") ? "" : "\n"}`;
}

window.CMS.registerCustomFormat("kb-frontmatter", "md", { fromFile, toFile });
window.CMS.registerPreviewStyle("../assets/kennisbank.css");
window.CMS.init();
