import { test } from "node:test";
import assert from "node:assert/strict";
import { CHART, chartLayout, logTicks, lossSummary, nearestIteration, short, valueAxis } from "../../static/js/chartscale.js";

test("a linear axis starts at 0 and has round ticks", () => {
  const axis = valueAxis([[0.9, 0.5, 0.25]]);
  assert.equal(axis.lo, 0);
  assert.equal(axis.hi, 0.9);
  assert.deepEqual(axis.ticks, [0, 0.2, 0.4, 0.6, 0.8]);
  assert.equal(axis.map(0.45), 0.5);
});

test("a log axis spans whole decades and leaves out 0", () => {
  const axis = valueAxis([[0.9, 0, 0.0002]], "log");
  assert.equal(axis.lo, 1e-4);
  assert.equal(axis.hi, 1);
  assert.deepEqual(axis.ticks, [1e-4, 1e-3, 1e-2, 1e-1, 1]);
  assert.equal(axis.map(0), null);
  assert.equal(axis.map(1e-2), 0.5);
});

test("log ticks are thinned to about five", () => {
  assert.deepEqual(logTicks(1e-8, 1e2), [1e-8, 1e-5, 1e-2, 10]);
});

test("points run from the left edge to the right edge; a gap breaks the line", () => {
  const layout = chartLayout([{ name: "loss", at: [0, 1, 2, 3], values: [1, null, 0.5, 0] }], 4);
  const [line] = layout.lines;
  assert.equal(line.runs.length, 2);
  assert.equal(line.runs[0], `${CHART.left},${CHART.top}`);
  const last = line.runs[1].split(" ").at(-1).split(",").map(Number);
  assert.equal(last[0], CHART.width - CHART.right);
  assert.equal(last[1], CHART.height - CHART.bottom);
});

test("the nearest iteration to a pointer is clamped to the run", () => {
  assert.equal(nearestIteration(CHART.left, 300), 0);
  assert.equal(nearestIteration(CHART.width - CHART.right, 300), 299);
  assert.equal(nearestIteration(-50, 300), 0);
  assert.equal(nearestIteration(1e6, 300), 299);
  const mid = CHART.left + (CHART.width - CHART.left - CHART.right) / 2;
  assert.equal(nearestIteration(mid, 3), 1);
});

test("numbers and the summary read short", () => {
  assert.equal(short(0.123456), "0.123");
  assert.equal(short(0.00012), "1.2e-4");
  assert.equal(short(1e61), "1e+61");
  assert.equal(short(null), "—");
  assert.equal(lossSummary([0.9, 0.3, 0.0001]), "Loss curve: batch loss from 0.9 to 1e-4 over 3 iterations.");
  assert.match(lossSummary([1, 2], 1), /diverged at iteration 1/);
});
