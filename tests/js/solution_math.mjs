// Renders every math span of worked-solution documents with the page's own renderer (temml),
// throwOnError on. Usage: node tests/js/solution_math.mjs DOCS.json, DOCS.json being
// {"name": {"format": "markdown" | "latex", "text": "..."}}. Prints {"spans": n, "failures": [...]};
// exits 1 when a span does not parse or a document has none. Run by tests/unit/test_solution_math.py.
import { readFileSync } from "node:fs";
import temml from "../../static/vendor/temml/temml.mjs";

const DISPLAY = { markdown: /\$\$([\s\S]+?)\$\$/g, latex: /\\\[([\s\S]+?)\\\]/g };
// Inline math: $...$ with no $ inside (a LaTeX \$ is escaped text, not a delimiter).
const INLINE = /(?<!\\)\$((?:[^$\\]|\\[\s\S])+?)\$/g;

export function spans(format, text) {
  const found = [];
  const rest = text.replace(DISPLAY[format], (_, latex) => {
    found.push({ latex, displayMode: true });
    return " ";
  });
  for (const match of rest.matchAll(INLINE)) found.push({ latex: match[1], displayMode: false });
  return found;
}

const docs = JSON.parse(readFileSync(process.argv[2], "utf8"));
const failures = [];
let count = 0;
for (const [name, { format, text }] of Object.entries(docs)) {
  const found = spans(format, text);
  if (!found.length) failures.push({ name, error: "no math at all" });
  for (const { latex, displayMode } of found) {
    count += 1;
    try {
      temml.renderToString(latex, { displayMode, throwOnError: true });
    } catch (err) {
      failures.push({ name, latex: latex.slice(0, 300), error: String(err.message).slice(0, 300) });
    }
  }
}
console.log(JSON.stringify({ spans: count, failures: failures.slice(0, 20), failed: failures.length }));
process.exit(failures.length ? 1 : 0);
