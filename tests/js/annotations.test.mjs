// The values the graph shows at a step (static/js/annotations.js): which element each value of a
// step belongs to, under which caption, and which edges a step's signal travels along. The trace
// is the worked example's graph (the default network) with steps written by hand in the
// trace schema of the README.
import { test } from "node:test";
import assert from "node:assert/strict";
import { indexGraph, stepEdges, activeIds, stepAnnotations } from "../../static/js/annotations.js";

const n = (id, layer, index, role, symbol, more = {}) => ({ id, layer, index, role, symbol, ...more });
const GRAPH = {
  nodes: [n("n0-0", 0, 0, "input", "x_{11}"), n("n1-0", 1, 0, "hidden", "h_{1}", { pre_symbol: "a_{1}", delta_symbol: "\\delta_{1}" }),
    n("n2-0", 2, 0, "output", "o_{1}", { pre_symbol: "a_{21}", delta_symbol: "\\delta_{21}" }),
    n("n2-1", 2, 1, "output", "o_{2}", { pre_symbol: "a_{22}", delta_symbol: "\\delta_{22}" }),
    n("e-0", 3, 0, "loss", "e_{1}"), n("e-1", 3, 1, "loss", "e_{2}"), n("E", 4, 0, "total", "e_{total}")],
  edges: [{ id: "w1-0-0", from: "n0-0", to: "n1-0", symbol: "w_{11}" }, { id: "w2-0-0", from: "n1-0", to: "n2-0", symbol: "w_{21}" },
    { id: "w2-1-0", from: "n1-0", to: "n2-1", symbol: "w_{22}" }],
  loss_edges: [{ id: "loss-0", from: "n2-0", to: "e-0" }, { id: "total-0", from: "e-0", to: "E" },
    { id: "loss-1", from: "n2-1", to: "e-1" }, { id: "total-1", from: "e-1", to: "E" }],
  biases: [{ id: "b1-0", layer: 1, node: "n1-0", symbol: "b_{1}", bias: 0 }],
};
const byId = indexGraph(GRAPH);

// The worked example's numbers: a1 = 0.5 * 3 = 1.5, h1 = 3, e1 = (2 - 1.2)^2 = 0.64,
// de1/do1 = 2 * 0.8 * (-1) = -1.6, de1/dw21 = -9.6, w21' = 0.2 - 0.1 * (-9.6) = 1.16. The check
// step's differences are made up (the module only carries them), and the graph has a bias b1.
// A per-output forward difference, as the engine writes its symbol.
const fd = (k, p) => `\\frac{e_{${k}}(${p} + \\varepsilon) - e_{${k}}(${p})}{\\varepsilon}`;
const STEPS = {
  product: { phase: "forward", kind: "edge_product", elements: ["w1-0-0", "n0-0", "n1-0"], symbol: "w_{11} x_{11}", value: 1.5 },
  sum: { phase: "forward", kind: "node_sum", elements: ["n1-0"], symbol: "a_{1}", value: 1.5 },
  act: { phase: "forward", kind: "node_activation", elements: ["n1-0"], symbol: "h_{1}", value: 3 },
  loss: { phase: "loss", kind: "loss_term", elements: ["e-0", "n2-0"], symbol: "e_{1}", value: 0.64 },
  total: { phase: "loss", kind: "loss_total", elements: ["E", "e-0", "e-1"], symbol: "e_{total}", value: 0.8 },
  dedo: { phase: "backward", kind: "loss_grad", elements: ["e-0", "n2-0"], symbol: "\\frac{\\partial e_{1}}{\\partial o_{1}}", value: -1.6 },
  delta: { phase: "backward", kind: "output_delta", elements: ["n2-0", "e-0"], symbol: "\\delta_{21}", value: -3.2 },
  grad: { phase: "backward", kind: "output_weight_grad", elements: ["w2-0-0", "n2-0", "n1-0"], symbol: "\\frac{\\partial e_{total}}{\\partial w_{21}}",
    value: -9.6, args: { c: -0.64, cs: "w_{21} \\delta_{21}" } },
  dedh: { phase: "backward", kind: "hidden_sum", elements: ["n1-0", "w2-0-0", "w2-1-0"], symbol: "\\frac{\\partial e_{total}}{\\partial h_{1}}",
    value: -0.8, factors: [["w_{21} \\delta_{21}", -0.64, "w2-0-0"], ["w_{22} \\delta_{22}", -0.16, "w2-1-0"]] },
  perOutput: { phase: "backward", kind: "per_output_grad", elements: ["w1-0-0", "n1-0", "n0-0", "e-1"],
    symbol: "\\frac{\\partial e_{2}}{\\partial w_{11}}", value: -0.96 },
  bias: { phase: "backward", kind: "bias_grad", elements: ["b1-0", "n1-0"], symbol: "\\frac{\\partial e_{total}}{\\partial b_{1}}", value: -1.6 },
  check: { phase: "check", kind: "grad_check", elements: ["w1-0-0", "b1-0", "n1-0"], symbol: "h_{1}", value: 1e-9,
    rows: [["w1-0-0", -4.8, -4.79, -4.8, 1e-9, 0.8], ["b1-0", -1.6, -1.59, -1.6, 1e-9, 0.8]],
    terms: [[fd(1, "w_{11}"), -3.83, "w1-0-0"], [fd(2, "w_{11}"), -0.96, "w1-0-0"], [fd(1, "b_{1}"), -1.59, "b1-0"]] },
  update: { phase: "update", kind: "update", elements: ["w2-0-0", "n2-0"], symbol: "o_{1}", value: 1.16, rows: [["w2-0-0", 0.2, -9.6, 1.16]] },
};
const trace = { graph: GRAPH, steps: Object.values(STEPS) };
const indexOf = (name) => Object.keys(STEPS).indexOf(name);
const annotationsOf = (name) => stepAnnotations(trace, indexOf(name), byId);
// The fields a test states; order and longCaption are checked on their own.
const brief = (a) => [a.key, a.anchor, a.kind, a.value, a.caption];

test("indexGraph: every node, edge, loss edge and bias by id, with its type", () => {
  assert.equal(byId.size, 7 + 3 + 4 + 1);
  assert.deepEqual(byId.get("w2-0-0"), { id: "w2-0-0", from: "n1-0", to: "n2-0", symbol: "w_{21}", type: "edge" });
  assert.equal(byId.get("n1-0").type, "node");
  assert.equal(byId.get("total-1").type, "loss-edge");
  assert.equal(byId.get("b1-0").type, "bias");
});

test("stepEdges: forward along the step's edges, backward the other way, none inside a neuron", () => {
  const edges = (name) => stepEdges(trace, STEPS[name], byId);
  assert.deepEqual(edges("product"), [{ id: "w1-0-0", from: "n0-0", to: "n1-0", backward: false }]);
  // Loss steps name nodes; the edge between them is found in either order.
  assert.deepEqual(edges("loss"), [{ id: "loss-0", from: "n2-0", to: "e-0", backward: false }]);
  assert.deepEqual(edges("dedo"), [{ id: "loss-0", from: "n2-0", to: "e-0", backward: true }]);
  assert.deepEqual(edges("total").map((e) => e.id), ["total-0", "total-1"]);
  assert.deepEqual(edges("dedh").map((e) => [e.id, e.backward]), [["w2-0-0", true], ["w2-1-0", true]]);
  assert.deepEqual(edges("grad").map((e) => e.id), ["w2-0-0"]);
  for (const name of ["sum", "act", "delta", "check", "update"]) assert.deepEqual(edges(name), [], name);
});

test("activeIds: the step's elements, its rows' elements and its edges", () => {
  assert.deepEqual([...activeIds(trace, STEPS.loss, byId)].sort(), ["e-0", "loss-0", "n2-0"]);
  assert.deepEqual([...activeIds(trace, STEPS.check, byId)].sort(), ["b1-0", "n1-0", "w1-0-0"]);
});

test("forward steps: the product on its edge, the sum and activation on the neuron", () => {
  assert.deepEqual(annotationsOf("product").map(brief), [["w1-0-0|product", "w1-0-0", "forward", 1.5, "w_{11} x_{11}"]]);
  assert.deepEqual(annotationsOf("sum").map(brief), [["n1-0|a", "n1-0", "forward", 1.5, "a_{1}"]]);
  assert.deepEqual(annotationsOf("act").map(brief), [["n1-0|h", "n1-0", "forward", 3, "h_{1}"]]);
  assert.deepEqual(annotationsOf("loss").map(brief), [["e-0|e", "e-0", "forward", 0.64, "e_{1}"]]);
  assert.deepEqual(annotationsOf("total").map(brief), [["E|E", "E", "forward", 0.8, "e_{total}"]]);
  const [a] = annotationsOf("act");
  assert.equal(a.for, "n1-0");
  assert.equal(a.quantity, "h");
  assert.equal(a.step, indexOf("act"));
  assert.equal(a.longCaption, null);
});

test("backward steps: de/do on the loss edge, error signals on neurons, gradients on edges", () => {
  assert.deepEqual(annotationsOf("dedo").map(brief), [["e-0|dedo", "loss-0", "gradient", -1.6, STEPS.dedo.symbol]]);
  assert.deepEqual(annotationsOf("delta").map(brief), [["n2-0|delta", "n2-0", "delta", -3.2, "\\delta_{21}"]]);
  // A gradient whose edge sends the error signal back also shows w*delta on the edge.
  assert.deepEqual(annotationsOf("grad").map(brief), [
    ["w2-0-0|grad", "w2-0-0", "gradient", -9.6, "\\frac{\\partial e_{total}}{\\partial w_{21}}"],
    ["w2-0-0|contribution", "w2-0-0", "gradient", -0.64, "w_{21} \\delta_{21}"]]);
  assert.deepEqual(annotationsOf("dedh").map(brief), [
    ["n1-0|dEdh", "n1-0", "delta", -0.8, STEPS.dedh.symbol],
    ["w2-0-0|contribution", "w2-0-0", "gradient", -0.64, "w_{21} \\delta_{21}"],
    ["w2-1-0|contribution", "w2-1-0", "gradient", -0.16, "w_{22} \\delta_{22}"]]);
  // The second output's part of a hidden weight's gradient is grad-e2 (its loss node has index 1).
  assert.deepEqual(annotationsOf("perOutput").map(brief), [["w1-0-0|grad-e2", "w1-0-0", "gradient", -0.96, STEPS.perOutput.symbol]]);
  assert.deepEqual(annotationsOf("bias").map(brief), [["b1-0|grad", "b1-0", "gradient", -1.6, "\\frac{\\partial e_{total}}{\\partial b_{1}}"]]);
});

test("a check step: fwd, central and relative error per parameter; per-output fwd only where two outputs reach it", () => {
  const anns = annotationsOf("check");
  assert.deepEqual(anns.map(brief), [
    ["w1-0-0|fd", "w1-0-0", "check", -4.79, "\\text{fwd}"],
    ["w1-0-0|cd", "w1-0-0", "check", -4.8, "\\text{central}"],
    ["w1-0-0|re", "w1-0-0", "check", 1e-9, "\\text{rel. err}"],
    ["b1-0|fd", "b1-0", "check", -1.59, "\\text{fwd}"],
    ["b1-0|cd", "b1-0", "check", -1.6, "\\text{central}"],
    ["b1-0|re", "b1-0", "check", 1e-9, "\\text{rel. err}"],
    // b1-0 has one per-output term, which would only repeat its fd.
    ["w1-0-0|fd-e1", "w1-0-0", "check", -3.83, "\\text{fwd } e_{1}"],
    ["w1-0-0|fd-e2", "w1-0-0", "check", -0.96, "\\text{fwd } e_{2}"]]);
  // Away from its element (a callout, the tip) a line says whose value it is.
  assert.equal(anns[0].longCaption, "\\text{fwd}(w_{11})");
  assert.equal(anns[5].longCaption, "\\text{rel. err}(b_{1})");
  assert.equal(anns[7].longCaption, "\\text{fwd } e_{2}(w_{11})");
});

test("an update step: the new weight, primed", () => {
  assert.deepEqual(annotationsOf("update").map(brief), [["w2-0-0|new", "w2-0-0", "update", 1.16, "w_{21}'"]]);
});

test("an element's stack reads in the order the values are computed", () => {
  const order = (name) => Object.fromEntries(annotationsOf(name).map((a) => [a.quantity, a.order]));
  const o = { ...order("product"), ...order("sum"), ...order("act"), ...order("dedh"), ...order("grad"), ...order("perOutput"),
    ...order("check"), ...order("update") };
  const stack = ["product", "a", "h", "dEdh", "grad-e2", "grad", "contribution", "fd-e1", "fd-e2", "fd", "cd", "re", "new"];
  for (let k = 1; k < stack.length; k++) assert.ok(o[stack[k - 1]] < o[stack[k]], `${stack[k - 1]} before ${stack[k]}`);
});
