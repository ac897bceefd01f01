// The network editor's pure helpers (static/js/specform.js): reading /api/meta, showing and
// reading values, naming the input an API error is about, and reshaping weights.
import { test } from "node:test";
import assert from "node:assert/strict";
import { editorOptions, fieldToTestId, parseValue, resize, show } from "../../static/js/specform.js";

// A hand-made /api/meta answer with one activation the editor has never heard of.
const META = {
  activations: [{ name: "linear", title: "linear", default_slope: 1 }, { name: "softsign", title: "softsign", default_slope: null },
    { name: "leaky_relu", title: "leaky ReLU", default_slope: 0.01 }],
  losses: [{ name: "sse", title: "sum of squared errors", domain: null },
    { name: "bce", title: "binary cross-entropy", domain: "targets in [0, 1]" }],
  granularities: ["auto", "edge", "neuron"],
  limits: { layers: { min: 2, max: 10 }, neurons: { min: 1, max: 16 } },
  defaults: { activation: "sigmoid", loss: "sse", epsilon: 1e-6, learning_rate: 0.1, granularity: "auto" },
};

test("editorOptions offers what /api/meta lists, in its order, and nothing of its own", () => {
  const options = editorOptions(META);
  assert.deepEqual(options.activations, [["linear", "linear"], ["softsign", "softsign"], ["leaky_relu", "leaky ReLU"]]);
  assert.deepEqual(options.slopes, { linear: 1, leaky_relu: 0.01 });
  assert.deepEqual(options.losses, [["sse", "sum of squared errors"], ["bce", "binary cross-entropy"]]);
  assert.deepEqual(options.layers, { min: 2, max: 10 });
  assert.deepEqual(options.neurons, { min: 1, max: 16 });
  assert.equal(options.defaults.epsilon, 1e-6);
});

test("show writes small numbers as a person types them", () => {
  assert.equal(show(0.000001), "1e-6");
  assert.equal(show(0.5), "0.5");
  assert.equal(show(0), "0");
  assert.equal(show(null), "");
  assert.equal(show("abc"), "abc");
});

test("parseValue: a number when the text is one, else the raw text", () => {
  assert.equal(parseValue(" 2.5 "), 2.5);
  assert.equal(parseValue("1e-6"), 1e-6);
  assert.equal(parseValue("abc"), "abc");
  assert.equal(parseValue(""), "");
  assert.equal(parseValue("Infinity"), "Infinity");
});

test("fieldToTestId points an API field at its input", () => {
  const cases = [
    ["weights[1][0][0]", "weight-w2-0-0"], ["biases[0][2]", "bias-b1-2"], ["inputs[1]", "input-1"],
    ["targets[0]", "target-0"], ["layers[2]", "layer-size-2"], ["activations[0].name", "activation-1"],
    ["activations[1].slope", "slope-2"], ["activations[2]", "activation-3"], ["learning_rate", "learning-rate"],
    ["epsilon", "epsilon"], ["loss", "loss"], ["seed", "seed"], ["biases", "biases-toggle"],
    ["body", null], ["weights", null], ["colour", null],
    // A mini-batch's cells (0-based, as the table's test ids); a row or a row's vector: its first cell.
    ["samples[2].inputs[1]", "sample-2-input-1"], ["samples[0].targets[3]", "sample-0-target-3"],
    ["samples[12].targets", "sample-12-target-0"], ["samples[3].inputs", "sample-3-input-0"], ["samples[1]", "sample-1-input-0"],
    ["reduction", "reduction"], ["samples", null], ["samples[0].colour", null], ["samples[x].inputs[0]", null],
  ];
  for (const [field, testid] of cases) assert.equal(fieldToTestId(field), testid, field);
});

test("resize keeps each layer's weights with the layer, by key, and fills new places", () => {
  // 1-1-2 (keys 0, 1, 2) gets a hidden layer of 1 (key 3) before the output.
  const old = [[[0.5]], [[0.2], [0.1]]];
  const grown = resize(old, [0, 1, 2], [0, 1, 3, 2], [1, 1, 1, 2], 0.1);
  assert.deepEqual(grown, [[[0.5]], [[0.1]], [[0.2], [0.1]]]);
  // Biases are vectors; a wider layer keeps the old entries and fills the new one.
  assert.deepEqual(resize([[1], [2, 3]], [0, 1, 2], [0, 1, 2], [1, 2, 2], 0, true), [[1, 0], [2, 3]]);
});
