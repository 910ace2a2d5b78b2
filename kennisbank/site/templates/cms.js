// Kennisbank's part of the CMS (admin/): a front-matter format that keeps what staff wrote.
//
// Decap's own YAML format rewrites the whole front matter: comments are lost and keys are
// reordered. This format parses with the `yaml` library's document model, which keeps
// comments and order, and on save changes only the keys whose values changed; keys the CMS
// does not know stay as they were. A new document is written in the order of the schemas.
// YAML 1.1, as Kennisbank reads it (PyYAML): `no`, `on` or `12:30` as text get quotes. Dates
// stay text (JJJJ-MM-DD), as the form has them.
import { parseDocument, Document, isScalar, isSeq } from "./yaml/index.js";

const SOURCE = "__kennisbank_front_matter"; // the file's own front matter, kept for the save
const GAP = "__kennisbank_gap";
const FENCE = /^---\r?\n(?:([\s\S]*?)\r?\n)?---\r?\n?([\s\S]*)$/;
const OPTIONS = {
  version: "1.1",
  customTags: (tags) => tags.filter((tag) => tag.tag !== "tag:yaml.org,2002:timestamp"),
};

// The order of the keys in a new document: the schemas' order (written by kennisbank/site/cms.py).
const ORDER = /*ORDER*/[];

function ordered(values) {
  const rank = (key) => (ORDER.includes(key) ? ORDER.indexOf(key) : ORDER.length);
  return Object.fromEntries(Object.entries(values).sort(([a], [b]) => rank(a) - rank(b)));
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

// A field the form left empty is not written (a cleared select gives null, a cleared date
// ""), also inside lists and groups: `kennisbank check` refuses empty values.
function clean(value) {
  if (Array.isArray(value)) {
    return value.map(clean).filter((item) => item !== undefined);
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .map(([key, item]) => [key, clean(item)])
      .filter(([, item]) => item !== undefined && !(Array.isArray(item) && item.length === 0));
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return value === null || value === "" ? undefined : value;
}

// The comments beside or above the old value stay with the new one; in a list, also those
// of the items that are still in it (matched by value).
function keepComments(old, made) {
  made.comment = old.comment;
  made.commentBefore = old.commentBefore;
  made.spaceBefore = old.spaceBefore;
  if (!isSeq(old) || !isSeq(made)) return;
  const left = old.items.filter(isScalar);
  for (const item of made.items.filter(isScalar)) {
    const at = left.findIndex((was) => was.value === item.value);
    if (at >= 0) keepComments(left.splice(at, 1)[0], item);
  }
}

function fromFile(content) {
  const found = FENCE.exec(content);
  if (!found) return { body: content };
  const source = found[1] || "";
  const data = parseDocument(source, OPTIONS).toJS() || {};
  // The blank lines between the front matter and the text are the file's own: kept.
  const gap = /^\n*/.exec(found[2])[0];
  return { ...data, body: found[2].slice(gap.length), [SOURCE]: source, [GAP]: gap };
}

function toFile(data) {
  const { body = "", [SOURCE]: source, [GAP]: gap = "\n", ...raw } = data;
  const values = {};
  for (const [key, value] of Object.entries(raw)) {
    const kept = clean(value);
    if (kept !== undefined && !(Array.isArray(kept) && kept.length === 0)) values[key] = kept;
  }
  let doc;
  if (!source) {
    doc = new Document(ordered(values), OPTIONS);
  } else {
    doc = parseDocument(source, OPTIONS);
    const before = doc.toJS() || {};
    for (const key of Object.keys(before)) {
      if (key in raw && same(before[key], raw[key])) continue; // untouched, also `tags: []`
      if (!(key in values)) doc.delete(key); // emptied or removed in the form
    }
    for (const [key, value] of Object.entries(values)) {
      if (same(before[key], value)) continue;
      const node = doc.get(key, true);
      if (isScalar(node) && typeof value !== "object") {
        node.value = value; // keeps its quotes and the comment beside it
      } else {
        const made = doc.createNode(value, { flow: Boolean(node && node.flow) });
        if (node) keepComments(node, made);
        doc.set(key, made);
      }
    }
  }
  const front = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  const text = body.replace(/^\n+/, "");
  return `---\n${front}---\n${gap}${text}${text.endsWith("\n") ? "" : "\n"}`;
}

window.CMS.registerCustomFormat("/*FORMAT*/", "md", { fromFile, toFile }); // cms.FORMAT
window.CMS.registerPreviewStyle("../assets/kennisbank.css");
window.CMS.init();
