// The code view's pure helpers (static/js/codelines.js): a step's lines from the line map, line
// ranges in words, and the Python tokens the panel colours.
import { test } from "node:test";
import assert from "node:assert/strict";
import { lineRanges, pythonTokens, stepLines } from "../../static/js/codelines.js";

// A line map as GET /api/code answers it, small and written by hand.
const MAP = {
  kinds: { node_sum: [66, 68], output_delta: [91], update: [140] },
  phases: { forward: [61, 62, 63], update: [138, 139, 140] },
};

test("stepLines: a step's kind picks its lines", () => {
  assert.deepEqual(stepLines(MAP, { kind: "node_sum", phase: "forward" }), { lines: [66, 68], by: "kind" });
  assert.deepEqual(stepLines(MAP, { kind: "output_delta", phase: "backward" }), { lines: [91], by: "kind" });
});

test("stepLines: a kind without lines falls back on its phase's function, else nothing", () => {
  assert.deepEqual(stepLines(MAP, { kind: "update_adam", phase: "update" }), { lines: [138, 139, 140], by: "phase" });
  assert.deepEqual(stepLines(MAP, { kind: "mystery", phase: "sideways" }), { lines: [], by: "none" });
  assert.deepEqual(stepLines(null, { kind: "node_sum", phase: "forward" }), { lines: [], by: "none" });
  assert.deepEqual(stepLines(MAP, undefined), { lines: [], by: "none" });
});

test("lineRanges: runs of lines are written as ranges", () => {
  assert.equal(lineRanges([91]), "91");
  assert.equal(lineRanges([94, 95, 96]), "94\u201396");
  assert.equal(lineRanges([66, 68, 69]), "66, 68\u201369");
  assert.equal(lineRanges([]), "");
});

const join = (tokens) => tokens.map(([text]) => text).join("");
const classOf = (tokens, text) => tokens.find(([t]) => t === text)?.[1];

test("pythonTokens: every line is its tokens joined, nothing lost or added", () => {
  const text = 'def f(a, s):\n    """Doc "quoted"\n    more."""\n    x = a * 2.5e-3  # why\n    return "#" + \'s\'  # step: update\n';
  const lines = pythonTokens(text);
  assert.equal(lines.length, text.split("\n").length);
  assert.deepEqual(lines.map(join), text.split("\n"));
});

test("pythonTokens: keywords, names defined, numbers, strings, comments and step markers", () => {
  const [def, , , assign, ret] = pythonTokens('def forward(W):\n    """A\n    B"""\n    x = 0.5  # why\n    return "#"  # step: node_sum');
  assert.equal(classOf(def, "def"), "tok-kw");
  assert.equal(classOf(def, "forward"), "tok-def");
  assert.equal(classOf(def, "W"), "");
  assert.equal(classOf(assign, "0.5"), "tok-num");
  assert.equal(classOf(assign, "# why"), "tok-com");
  // A "#" inside a string starts no comment.
  assert.equal(classOf(ret, '"#"'), "tok-str");
  assert.equal(classOf(ret, "# step: node_sum"), "tok-step");
});

test("pythonTokens: a docstring spanning lines is a string on each, code resumes after it", () => {
  const lines = pythonTokens('    """One\n    two\n    three."""  # after\nx = 1');
  assert.deepEqual(lines[0], [["    ", ""], ['"""One', "tok-str"]]);
  assert.deepEqual(lines[1], [["    two", "tok-str"]]);
  assert.equal(lines[2][0][1], "tok-str");
  assert.equal(classOf(lines[2], "# after"), "tok-com");
  assert.equal(classOf(lines[3], "1"), "tok-num");
  // Opened and closed on one line: the rest of the line is code.
  const [one] = pythonTokens('"""doc""" if x else 3');
  assert.deepEqual(one.slice(0, 3), [['"""doc"""', "tok-str"], [" ", ""], ["if", "tok-kw"]]);
});

test("pythonTokens: the reference file itself comes back line for line, its markers found", async () => {
  const { readFile } = await import("node:fs/promises");
  const text = await readFile(new URL("../../webapp/reference/train_step.py", import.meta.url), "utf-8");
  const lines = pythonTokens(text);
  assert.deepEqual(lines.map(join), text.split("\n"));
  const markers = lines.flat().filter(([, cls]) => cls === "tok-step").length;
  // Every marker names kinds; the docstring's "# step: <kind>" is a string, not a marker.
  assert.equal(markers, (text.match(/# step: [a-z]/g) ?? []).length);
});
