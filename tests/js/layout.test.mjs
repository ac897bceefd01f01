// The pure layout (static/js/layout.js): type sizes, when a graph is dense, and coordinates.
// Expected numbers are worked out by hand from the rules in layout.js's comments.
import { test } from "node:test";
import assert from "node:assert/strict";
import { TYPE, labelFonts, isDense, computeLayout } from "../../static/js/layout.js";

const close = (actual, expected, what) => assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual}, expected ${expected}`);

// The worked example's graph as the trace gives it: x -> h -> o1, o2 -> e1, e2 -> E.
const node = (id, layer, role) => ({ id, layer, role });
const WORKED = {
  layers: [{ size: 1 }, { size: 1 }, { size: 2 }],
  nodes: [node("x", 0, "input"), node("h", 1, "hidden"), node("o1", 2, "output"), node("o2", 2, "output"),
    node("e1", 3, "loss"), node("e2", 3, "loss"), node("E", 4, "total")],
  biases: [],
};

test("type sizes: 16/18 px normally, 28/30 px in lecture mode on a 1920x1080 projector", () => {
  assert.deepEqual(labelFonts({ width: 1000, height: 600 }), { rest: 16, active: 18, floor: 16 });
  // The lecture graph gets about 1870x650 px at 1920x1080; a larger window does not grow the type.
  assert.deepEqual(labelFonts({ width: 1870, height: 650 }, { lecture: true }), { rest: 28, active: 30, floor: 24 });
  assert.deepEqual(labelFonts({ width: 3740, height: 1300 }, { lecture: true }), { rest: 28, active: 30, floor: 24 });
});

test("lecture type scales with the smaller of the two ratios, never under 16 px", () => {
  // 1496/1870 = 0.8 and 650/650 = 1: scale 0.8.
  const f = labelFonts({ width: 1496, height: 650 }, { lecture: true });
  close(f.rest, 22.4, "rest");
  close(f.active, 24, "active");
  close(f.floor, 19.2, "floor");
  // Half size: 14, 15 and 12 px would be under the minimum.
  assert.deepEqual(labelFonts({ width: 1870, height: 325 }, { lecture: true }), { rest: 16, active: 16, floor: 16 });
  assert.equal(TYPE.lectureMin, 16);
});

test("a graph is dense when walked neuron by neuron, with a layer over 6 or over 6 layers", () => {
  const layers = (...sizes) => ({ layers: sizes.map((size) => ({ size })) });
  assert.equal(isDense(layers(1, 1, 2), "edge"), false);
  assert.equal(isDense(layers(1, 1, 2), "neuron"), true);
  assert.equal(isDense(layers(2, 6, 2), "edge"), false);
  assert.equal(isDense(layers(2, 7, 2), "edge"), true);
  assert.equal(isDense(layers(1, 1, 1, 1, 1, 1), "edge"), false);
  assert.equal(isDense(layers(1, 1, 1, 1, 1, 1, 1), "edge"), true);
});

test("columns: the first at the left margin, the total at the right one, loss gaps narrower", () => {
  const L = computeLayout(WORKED, { width: 1000, height: 500 });
  // Margins: 4 % of 1000 = 40 px each side. Gaps 0, 1, 1, 0.75 (loss), 0.6 (total): 3.35 units
  // over 920 px.
  const unit = 920 / 3.35;
  close(L.nodes.x.x, 40, "input x");
  close(L.nodes.h.x, 40 + unit, "hidden x");
  close(L.nodes.o1.x, 40 + 2 * unit, "output x");
  close(L.nodes.e1.x, 40 + 2.75 * unit, "loss x");
  close(L.nodes.E.x, 960, "total x");
  close(L.colGap, unit, "colGap");
  assert.equal(L.width, 1000);
  assert.equal(L.height, 500);
});

test("rows: one pitch for every column, each column centred", () => {
  const L = computeLayout(WORKED, { width: 1000, height: 500 });
  // Top and bottom margins 8 % of 500 = 40: 420 px for 2 rows, pitch 210 (= the cap, 42 % of 500).
  close(L.pitch, 210, "pitch");
  close(L.cy, 250, "centre");
  close(L.nodes.h.y, 250, "a single neuron sits on the centre line");
  close(L.nodes.o1.y, 145, "first of two");
  close(L.nodes.o2.y, 355, "second of two");
  close(L.nodes.e2.y, L.nodes.o2.y, "equal-sized columns line up");
  // Radius: min(0.28 * 210, 0.15 * colGap) = 41.2 is over the 26 px cap; font 0.72 r.
  close(L.r, 26, "radius");
  close(L.font, 18.72, "font");
  assert.equal(L.dense, false);
  assert.equal(L.band, null);
});

test("a band at the bottom moves the rows up; a reserve widens a margin", () => {
  const L = computeLayout(WORKED, { width: 1000, height: 500 }, { band: 100, reserve: { left: 100 } });
  assert.deepEqual(L.band, { x0: 0, y0: 400, x1: 1000, y1: 500 });
  // Rows between 40 and 500 - 100: pitch 180, centre 220.
  close(L.pitch, 180, "pitch");
  close(L.nodes.o1.y, 130, "first of two");
  close(L.nodes.o2.y, 310, "second of two");
  close(L.nodes.x.x, 100, "the input column after the reserved 100 px");
  close(L.nodes.E.x, 960, "the right margin unchanged");
});

test("a tiny viewport is laid out at 320x320 at least; a phone's 366 px at its own width", () => {
  const L = computeLayout(WORKED, { width: 100, height: 100 });
  assert.equal(L.width, 320);
  assert.equal(L.height, 320);
  assert.equal(computeLayout(WORKED, { width: 366, height: 420 }).width, 366);
});

test("a bias is a '+b' tag above its neuron when the rows leave room", () => {
  const graph = { ...WORKED, biases: [{ id: "b-h", node: "h", symbol: "b_{1}" }] };
  const L = computeLayout(graph, { width: 1000, height: 500 });
  // Tag type 0.8 * 18.72 = 14.976 px, height 1.45 times that; "+b1" is 3 characters at 0.55 em, plus 8.
  const tagFont = 14.976, h = tagFont * 1.45, w = 3 * tagFont * 0.55 + 8;
  const b = L.biases["b-h"];
  assert.equal(b.tagged, true);
  close(b.x, L.nodes.h.x, "centred on its neuron");
  close(b.y, 250 - 26 - h / 2 - 1, "just above the circle");
  close(b.w, w, "width");
  close(b.h, h, "height");
});

test("where rows are too close for a tag, a bias is a dot at the neuron's upper left", () => {
  // Two columns of 8 in the smallest picture (320 px high -> 1000x320 here): margins 30 px, pitch 260/8 = 32.5;
  // r = 0.28 * 32.5 = 9.1; a tag would need 2r + 1.45 * 0.8 * 9 + 6 = 34.64 px.
  const nodes = [];
  for (let k = 0; k < 8; k++) nodes.push(node(`i${k}`, 0, "input"), node(`o${k}`, 1, "output"));
  const graph = { layers: [{ size: 8 }, { size: 8 }], nodes, biases: [{ id: "b-o3", node: "o3", symbol: "b_{3}" }] };
  const L = computeLayout(graph, { width: 1000, height: 320 });
  close(L.pitch, 32.5, "pitch");
  close(L.r, 9.1, "radius");
  assert.equal(L.dense, true, "8 rows is dense");
  const b = L.biases["b-o3"], n = L.nodes.o3;
  assert.equal(b.tagged, false);
  close(b.w, 4.55, "a dot half the radius wide");
  close(b.h, 4.55, "and as high");
  close(b.x, n.x - 0.85 * 9.1, "left of the centre");
  close(b.y, n.y - 0.85 * 9.1, "above the centre");
});
