// Runs admin/kennisbank-cms.js's front-matter format (kennisbank/site/templates/cms.js) in
// node with the real yaml library; tests/test_cms.py passes a JSON list of cases on stdin.
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [template, library] = process.argv.slice(2);
globalThis.window = {
  CMS: {
    registerCustomFormat: (name, extension, format) => { globalThis.format = format; },
    registerPreviewStyle() {},
    init() {},
  },
};
const module = join(mkdtempSync(join(tmpdir(), "kb-cms-")), "cms.mjs");
writeFileSync(module, readFileSync(template, "utf8")
  .replace("./yaml/index.js", library)
  .replace("/*FORMAT*/", "kb-frontmatter")
  .replace("/*ORDER*/[]", JSON.stringify(["type", "title", "date", "audiences", "tags", "updated"])));
await import(module);
const cases = JSON.parse(readFileSync(0, "utf8"));
const out = cases.map(({ file, change, data, only_read }) => {
  const read = file === undefined ? {} : format.fromFile(file);
  if (only_read) return JSON.stringify(read);
  return format.toFile({ ...read, ...(data || {}), ...(change || {}) });
});
process.stdout.write(JSON.stringify(out));
