// The engine's LaTeX as runs, plain text and lines (static/js/notation.js), the DOM-free part.
// tests/unit/test_notation_js.py holds toText to a longer hand-written table and to the Python
// port; here are the runs the SVG labels and the text renderers are built from.
import { test } from "node:test";
import assert from "node:assert/strict";
import { toRuns, toText, runsText, scriptText, toLines } from "../../static/js/notation.js";

const run = (text, shift = null) => ({ text, shift });

test("a symbol's runs: the letter, then its subscript", () => {
  assert.deepEqual(toRuns("x_{11}"), [run("x"), run("11", "sub")]);
  assert.deepEqual(toRuns("w_{3,12,5}"), [run("w"), run("3,12,5", "sub")]);
  assert.deepEqual(toRuns("\\delta_{21}"), [run("δ"), run("21", "sub")]);
  assert.deepEqual(toRuns("e^{-a}"), [run("e"), run("-a", "sup")]);
  assert.deepEqual(toRuns("w_{21}'"), [run("w"), run("21", "sub"), run("′")]);
});

test("a partial derivative reads ∂e₁/∂o₁: TeX's space after \\partial is dropped", () => {
  assert.deepEqual(toRuns("\\frac{\\partial e_{1}}{\\partial o_{1}}"), [run("∂e"), run("1", "sub"), run("/∂o"), run("1", "sub")]);
});

test("a caption with words: \\text keeps its spaces, source spaces collapse", () => {
  assert.deepEqual(toRuns("\\text{fwd } e_{2}"), [run("fwd e"), run("2", "sub")]);
  assert.deepEqual(toRuns("1 \\text{ if } a"), [run("1 if a")]);
});

test("nothing to read gives no runs", () => {
  assert.deepEqual(toRuns(""), []);
  assert.deepEqual(toRuns(null), []);
  assert.deepEqual(toRuns("{}"), []);
});

test("scripts in Unicode where it has the characters", () => {
  assert.equal(scriptText("11", "sub"), "₁₁");
  assert.equal(scriptText("3,12", "sub"), "₃,₁₂", "no subscript comma: it stays on the line");
  assert.equal(scriptText("2", "sup"), "²");
  assert.equal(scriptText("-a", "sup"), "⁻ᵃ");
  // No superscript point: the whole exponent goes in ^( ), so no digit looks raised that is not.
  assert.equal(scriptText("-0.5", "sup"), "^(-0.5)");
  assert.equal(scriptText(".", "sup"), "^.");
});

test("plain text of runs and of LaTeX", () => {
  assert.equal(runsText([run("w"), run("21", "sub")]), "w₂₁");
  assert.equal(toText("\\frac{\\partial e_{total}}{\\partial w_{21}}"), "∂eₜₒₜₐₗ/∂w₂₁");
  assert.equal(toText("\\eta \\cdot \\frac{\\partial e_{total}}{\\partial w_{21}}"), "η · ∂eₜₒₜₐₗ/∂w₂₁");
  assert.equal(toText("\\frac{1}{1 + e^{-0.3775}}"), "1/(1 + e^(-0.3775))");
  assert.equal(toText("  x_{1}  "), "x₁", "trimmed");
});

test("toLines: a formula's rows, split at \\\\, each trimmed", () => {
  assert.deepEqual(toLines("\\begin{aligned} a &= b_{1} \\\\ &= c \\end{aligned}"), [[run("a = b"), run("1", "sub")], [run("= c")]]);
  assert.deepEqual(toLines("x_{1} = 3"), [[run("x"), run("1", "sub"), run(" = 3")]]);
  assert.deepEqual(toLines("a \\\\ \\\\ b"), [[run("a")], [run("b")]], "an empty row is dropped");
});
