// Formulas and narrations from templates (static/js/formula.js), on templates written here by the
// rules of the README's "Templates" section, and numbers printed as C's "%.9g".
import { test } from "node:test";
import assert from "node:assert/strict";
import { fmt, fillLatex, fillStep, graphLookup, prettyNumbers, mathString, mathLoaded, loadMath, HIDDEN } from "../../static/js/formula.js";

test("fmt prints a number as %.9g does", () => {
  const cases = [
    [0, "0"], [-0, "0"], [1.5, "1.5"], [-9.6, "-9.6"], [3, "3"], [0.64, "0.64"],
    [0.1 + 0.2, "0.3"], // 0.30000000000000004 to 9 significant digits
    [2 / 3, "0.666666667"],
    [123456789, "123456789"], [1234567890, "1.23456789e+09"], [-1234567890, "-1.23456789e+09"],
    [0.0001, "0.0001"], [0.0000123, "1.23e-05"], [1e-6, "1e-06"], [-0.000123456, "-0.000123456"],
    [5.62624021e-12, "5.62624021e-12"], [1e100, "1e+100"],
  ];
  for (const [x, text] of cases) assert.equal(fmt(x), text, String(x));
});

test("fmt rounds an exact tie to even, as Python's '%.9g' does (toPrecision would round up)", () => {
  // x.5 is exact in binary, so these are true ties at the tenth significant digit.
  assert.equal(fmt(123456788.5), "123456788");
  assert.equal(fmt(123456789.5), "123456790");
  assert.equal(fmt(-123456788.5), "-123456788");
  // Rounding up carries into a new digit: 999999999.5 -> 1000000000 -> 1e+09.
  assert.equal(fmt(999999999.5), "1e+09");
});

test("fmt: what is not a finite number reads 'non-finite'", () => {
  for (const x of [null, undefined, NaN, Infinity, -Infinity]) assert.equal(fmt(x), "non-finite", String(x));
  assert.equal(fmt("2.5"), "2.5");
});

test("prettyNumbers: 1e-06 is typeset as 1 \\times 10^{-6}", () => {
  assert.equal(prettyNumbers("\\varepsilon = 1e-06"), "\\varepsilon = 1 \\times 10^{-6}");
  assert.equal(prettyNumbers("2.5e+10 + 5.62624021e-12"), "2.5 \\times 10^{10} + 5.62624021 \\times 10^{-12}");
  assert.equal(prettyNumbers("e_{1} = 0.64"), "e_{1} = 0.64");
});

// The worked example's first step: the product w11 x11 = 0.5 * 3 = 1.5.
const graph = {
  nodes: [{ id: "n0-0", symbol: "x_{11}" }, { id: "n1-0", symbol: "h_{1}" }, { id: "n2-0", symbol: "o_{1}" }],
  edges: [{ id: "w1-0-0", from: "n0-0", to: "n1-0", symbol: "w_{11}" }, { id: "w2-0-0", from: "n1-0", to: "n2-0", symbol: "w_{21}" }],
  biases: [{ id: "b1-0", node: "n1-0", symbol: "b_{1}" }],
};
const templates = {
  product: { op: " \\cdot ", formula: "{s} = {V} = {v}", narration: "The input {f1} = {v1} meets the weight {f0} = {v0}: {V} = {v}." },
  chain: { op: " \\cdot ", formula: "{s} = {F} = {V} = {v}", narration: "{s} = {v}" },
  sum: { op: " + ", formula: "{s} = {T} = {TV} = {v}", narration: "{TL}" },
  raw: { op: " + ", formula: "e_{total} = {V} = {2}", narration: "" },
  update: { op: " ", formula: "\\begin{array}{ll} {rows} \\end{array}", narration: "lr {lr}",
    row: "{p}' = {p} - {lr} \\cdot {g} = {new} \\; (from {xs})", row_fields: ["el", "old", "g", "new"] },
  back: { op: "", formula: " \\qquad {cs} = {c}", narration: " It sends {c} back." },
};
const trace = { graph };

test("{s}, {v}, {fN}, {vN} and {V}: the first step of the worked example", () => {
  const step = { kind: "product", symbol: "w_{11} x_{11}", value: 1.5, factors: [["w_{11}", 0.5, "w1-0-0"], ["x_{11}", 3, "n0-0"]] };
  assert.deepEqual(fillLatex(trace, step, { templates }), {
    formula: "w_{11} x_{11} = 0.5 \\cdot 3 = 1.5",
    narrationLatex: "The input x_{11} = 3 meets the weight w_{11} = 0.5: 0.5 \\cdot 3 = 1.5.",
  });
});

test("a factor that is itself a product shows its parts; negative numbers in a list are parenthesised", () => {
  // The document's de1/do1 = 2 * 0.8 * (-1) = -1.6, then do1/da21 = 2: delta21 = -3.2.
  const step = { kind: "chain", symbol: "\\delta_{21}", value: -3.2, factors: [
    ["\\frac{\\partial e_{1}}{\\partial o_{1}}", -1.6, "e-0", [["2", 2], ["(t_{1} - o_{1})", 0.8], ["(-1)", -1]]],
    ["\\frac{\\partial o_{1}}{\\partial a_{21}}", 2, "n2-0"]] };
  assert.equal(fillLatex(trace, step, { templates }).formula,
    "\\delta_{21} = \\frac{\\partial e_{1}}{\\partial o_{1}} \\cdot \\frac{\\partial o_{1}}{\\partial a_{21}} = 2 \\cdot 0.8 \\cdot (-1) \\cdot 2 = -3.2");
  const plain = { kind: "chain", symbol: "g", value: -9.6, factors: [["a", -1.6], ["b", 6]] };
  assert.equal(fillLatex(trace, plain, { templates }).formula, "g = a \\cdot b = (-1.6) \\cdot 6 = -9.6");
});

test("' = X = X' repeats collapse", () => {
  // One factor: a_1 = 1.5 would read "a_1 = 1.5 = 1.5".
  const step = { kind: "chain", symbol: "a_{1}", value: 1.5, factors: [["w_{11} x_{11}", 1.5, "w1-0-0"]] };
  assert.equal(fillLatex(trace, step, { templates }).formula, "a_{1} = w_{11} x_{11} = 1.5");
});

test("{T}, {TV} and {TL}: the terms of a sum", () => {
  const step = { kind: "sum", symbol: "\\frac{\\partial e_{total}}{\\partial w_{11}}", value: -4.8, factors: [],
    terms: [["\\frac{\\partial e_{1}}{\\partial w_{11}}", -3.84, "e-0"], ["\\frac{\\partial e_{2}}{\\partial w_{11}}", -0.96, "e-1"]] };
  assert.deepEqual(fillLatex(trace, step, { templates }), {
    formula: "\\frac{\\partial e_{total}}{\\partial w_{11}} = \\frac{\\partial e_{1}}{\\partial w_{11}} + \\frac{\\partial e_{2}}{\\partial w_{11}} = (-3.84) + (-0.96) = -4.8",
    narrationLatex: "\\frac{\\partial e_{1}}{\\partial w_{11}} = -3.84 \\qquad \\frac{\\partial e_{2}}{\\partial w_{11}} = -0.96",
  });
});

test("only known names are replaced: LaTeX groups such as {total} and {2} stay", () => {
  const step = { kind: "raw", symbol: "E", value: 0.8, factors: [["e_{1}", 0.64], ["e_{2}", 0.16]] };
  assert.equal(fillLatex(trace, step, { templates }).formula, "e_{total} = 0.64 + 0.16 = {2}");
});

test("args.c appends the 'back' template; quiz mode hides {v} and c", () => {
  const step = { kind: "chain", symbol: "g", value: -9.6, factors: [["a", -1.6], ["b", 6]], args: { c: -0.64, cs: "w_{21} \\delta_{21}" } };
  assert.deepEqual(fillLatex(trace, step, { templates }), {
    formula: "g = a \\cdot b = (-1.6) \\cdot 6 = -9.6 \\qquad w_{21} \\delta_{21} = -0.64",
    narrationLatex: "g = -9.6 It sends -0.64 back.",
  });
  assert.deepEqual(fillLatex(trace, step, { hidden: true, templates }), {
    formula: `g = a \\cdot b = (-1.6) \\cdot 6 = ${HIDDEN} \\qquad w_{21} \\delta_{21} = ${HIDDEN}`,
    narrationLatex: `g = ${HIDDEN} It sends ${HIDDEN} back.`,
  });
  assert.equal(HIDDEN, "?");
});

test("{rows}: each row filled with `row`, {p} its element's symbol and {xs} its source's", () => {
  // The document's update: w21' = 0.2 - 0.1 * (-9.6) = 1.16.
  const step = { kind: "update", symbol: "o_{1}", value: 1.16, factors: [], args: { lr: 0.1 },
    rows: [["w2-0-0", 0.2, -9.6, 1.16], ["b1-0", 0, -1.6, 0.16]] };
  assert.deepEqual(fillLatex(trace, step, { templates }), {
    formula: "\\begin{array}{ll} w_{21}' = w_{21} - 0.1 \\cdot -9.6 = 1.16 \\; (from h_{1}) \\\\ "
      + "b_{1}' = b_{1} - 0.1 \\cdot -1.6 = 0.16 \\; (from ) \\end{array}",
    narrationLatex: "lr 0.1",
  });
});

test("graphLookup finds nodes, edges and biases by id", () => {
  const lookup = graphLookup(graph);
  assert.equal(lookup.size, 6);
  assert.equal(lookup.get("w2-0-0").symbol, "w_{21}");
  assert.equal(lookup.get("b1-0").symbol, "b_{1}");
});

test("fillStep gives the narration as plain text", () => {
  const step = { kind: "chain", symbol: "h_{1}", value: 3, factors: [["a_{1}", 1.5]] };
  assert.deepEqual(fillStep(trace, step, { templates }), { formula: "h_{1} = a_{1} = 1.5 = 3", narration: "h₁ = 3" });
});

test("until the renderer has arrived a formula is its escaped plain text, and asking fetches it", async () => {
  assert.equal(mathLoaded(), false);
  assert.equal(mathString("x_{11} = 1e-06 < a"), "x₁₁ = 1 × 10⁻⁶ &#60; a");
  await loadMath();
  assert.equal(mathLoaded(), true);
});

test("mathString typesets MathML with the numbers made readable", async () => {
  await loadMath();
  const m = mathString("x_{11} = 1e-06");
  assert.match(m, /^<math/);
  assert.match(m, /<msub>/);
  assert.match(m, /×/);
  assert.doesNotMatch(m, /1e-06/);
});
