// The scatter plot's pure part (static/js/scatterlayout.js): round ticks, one scale for both axes,
// the colour of each sample, and the plot in words. Expected places are worked out by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PLOT, classLabel, colouring, colourOf, niceTicks, scatterLayout, scatterSummary } from "../../static/js/scatterlayout.js";

const XOR = [
  { inputs: [0, 0], targets: [0] }, { inputs: [0, 1], targets: [1] },
  { inputs: [1, 0], targets: [1] }, { inputs: [1, 1], targets: [0] },
];

test("niceTicks: steps of 1, 2 or 5 times a power of ten, inside the range", () => {
  assert.deepEqual(niceTicks(-0.1, 1.1), [0, 0.5, 1]); // 1.2 / 5 = 0.24 -> 0.5
  assert.deepEqual(niceTicks(-1.05, 1.05), [-1, -0.5, 0, 0.5, 1]); // 2.1 / 5 = 0.42 -> 0.5
  assert.deepEqual(niceTicks(0, 100), [0, 20, 40, 60, 80, 100]); // 20
  assert.deepEqual(niceTicks(0, 100, 4), [0, 50, 100]); // 25 -> 50
  assert.deepEqual(niceTicks(0.1, 0.5), [0.1, 0.2, 0.3, 0.4, 0.5]); // 0.1 exactly, and no 0.30000000000000004
  assert.deepEqual(niceTicks(-0.3, 0.3), [-0.2, 0, 0.2]); // -0 would print as 0 anyway, but stays 0
  assert.deepEqual(niceTicks(2, 2), [2]);
});

test("scatterLayout: the XOR corners at the plot's corners, less the margin, on one scale", () => {
  const { dots, domain } = scatterLayout(XOR);
  // Data [0, 1], padded by a tenth of its extent each side.
  assert.deepEqual(domain.map((v) => Number(v.toFixed(12))), [-0.1, 1.1]);
  const span = PLOT.size - PLOT.left - PLOT.right;
  assert.equal(span, PLOT.size - PLOT.top - PLOT.bottom, "the plot is square");
  const at = (v) => ((v + 0.1) / 1.2) * span;
  const [origin, up, right, far] = dots;
  assert.ok(Math.abs(origin.cx - (PLOT.left + at(0))) < 1e-9);
  assert.ok(Math.abs(origin.cy - (PLOT.size - PLOT.bottom - at(0))) < 1e-9);
  assert.equal(up.cx, origin.cx); // (0, 1) straight above (0, 0)
  assert.ok(up.cy < origin.cy); // up is smaller y in SVG
  assert.equal(right.cy, origin.cy);
  assert.ok(Math.abs((far.cx - origin.cx) - (origin.cy - far.cy)) < 1e-9, "one scale: (1, 1) is as far across as up");
  assert.deepEqual(dots.map((d) => [d.n, d.cls]), [[0, 0], [1, 1], [2, 1], [3, 0]]);
});

test("rows whose inputs are not numbers are left out and counted", () => {
  const rows = [...XOR, { inputs: ["abc", 1], targets: [1] }];
  const layout = scatterLayout(rows);
  assert.equal(layout.dots.length, 4);
  assert.equal(layout.skipped, 1);
  assert.match(scatterSummary(layout), /4 samples.*2 with t₁ = 0, 2 with t₁ = 1; 1 not shown/);
});

test("colours: 0/1 targets and one-hot targets are classes, other numbers a ramp", () => {
  assert.deepEqual(colouring(XOR), { kind: "class", classes: 2, by: "value" });
  const oneHot = [{ inputs: [0, 0], targets: [1, 0, 0] }, { inputs: [1, 0], targets: [0, 0, 1] }];
  assert.deepEqual(colouring(oneHot), { kind: "class", classes: 3, by: "one-hot" });
  assert.deepEqual(colourOf([0, 0, 1], colouring(oneHot)), { cls: 2 });
  assert.equal(classLabel(2, colouring(oneHot)), "t₃ = 1");
  assert.equal(classLabel(1, colouring(XOR)), "t₁ = 1");
  // Softmax-like targets that are not one-hot: the class is the largest target.
  const soft = colouring([{ inputs: [0, 0], targets: [0.2, 0.8] }]);
  assert.deepEqual(soft, { kind: "class", classes: 2, by: "largest" });
  assert.equal(classLabel(0, soft), "t₁ largest");
  assert.deepEqual(colourOf([0.2, 0.8], soft), { cls: 1 });
  const sine = [{ inputs: [0, 0], targets: [-0.5] }, { inputs: [1, 1], targets: [1.5] }, { inputs: [2, 2], targets: [0] }];
  const ramp = colouring(sine);
  assert.deepEqual(ramp, { kind: "value", lo: -0.5, hi: 1.5 });
  assert.deepEqual(colourOf([0], ramp), { ramp: 0.25 }); // (0 - -0.5) / 2
  assert.deepEqual(colourOf(["x"], ramp), {});
  assert.match(scatterSummary(scatterLayout(sine)), /coloured by target from -0.5 to 1.5/);
});

test("ticks sit on the same scale as the dots", () => {
  const { dots, ticks } = scatterLayout(XOR);
  const one = ticks.find((t) => t.value === 1);
  assert.ok(Math.abs(PLOT.left + one.at - dots[3].cx) < 1e-9);
});
