// The matrix view's model (static/js/matrixmodel.js): which equation and layer each step kind is
// shown with, the blocks' shapes, and that every number is the trace's own (traces of three
// presets from POST /api/trace: tests/js/fixtures/make_traces.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { matrixModel } from "../../static/js/matrixmodel.js";

const traces = JSON.parse(readFileSync(new URL("./fixtures/traces.json", import.meta.url)));
const relu = traces["relu-3-4-2"], softmax = traces["softmax-2-3-3"], batch = traces["xor-batch"];

const at = (trace, id) => trace.steps.findIndex((s) => s.id === id);
const modelAt = (trace, id, view) => {
  assert.ok(at(trace, id) >= 0, `no step ${id}`);
  return matrixModel(trace, at(trace, id), view);
};
const blocks = (model) => model.lines.flat().filter((item) => item.type === "block");
const named = (model, name) => {
  const found = blocks(model).filter((b) => b.name === name);
  assert.ok(found.length, `no block ${name} in ${model.equation}`);
  return found[0];
};
const values = (b) => b.rows.map((row) => row.map((c) => c.value));
const asColumn = (v) => v.map((x) => [x]);
const transpose = (m) => m[0].map((_, i) => m.map((row) => row[i]));

// Hand-read from the README's order of steps: each kind, the equation its layer is shown with.
const EXPECTED = [
  [relu, "fwd-w1-0-0", "sum", 1], [relu, "sum-n1-3", "sum", 1], [relu, "act-n1-2", "activation", 1],
  [relu, "fwd-w2-1-3", "sum", 2], [relu, "act-n2-0", "activation", 2],
  [relu, "loss-e-1", "loss", null], [relu, "loss-total", "loss", null],
  [relu, "dedo-n2-0", "output_delta", 2], [relu, "delta-n2-1", "output_delta", 2],
  [relu, "grad-w2-0-0", "gradient", 2], [relu, "grad-b2-0", "gradient", 2],
  [relu, "dedh-n1-0", "hidden_delta", 1], [relu, "delta-n1-3", "hidden_delta", 1],
  [relu, "gradk0-w1-0-0", "gradient", 1], [relu, "grad-w1-0-0", "gradient", 1], [relu, "grad-b1-2", "gradient", 1],
  [relu, "check-n2-0", "check", 2], [relu, "check-n1-1", "check", 1],
  [relu, "update-n2-1", "update", 2], [relu, "update-n1-0", "update", 1],
  [softmax, "jacobian-softmax", "output_delta", 2], [softmax, "shortcut-n2-1", "output_delta", 2],
  [batch, "loss-batch", "batch_loss", null], [batch, "acc-w2-0-0", "accumulate", 2], [batch, "s2-delta-n1-1", "hidden_delta", 1],
];

test("each step kind is shown with its layer's equation", () => {
  for (const [trace, id, equation, layer] of EXPECTED) {
    const model = modelAt(trace, id);
    assert.equal(model.equation, equation, id);
    assert.equal(model.layer, layer, id);
  }
});

test("a = W h + b: the trace's sums, weights, inputs and biases, in their shapes", () => {
  const model = modelAt(relu, "fwd-w2-1-3");
  assert.deepEqual(named(model, "a").shape, [2, 1]);
  assert.deepEqual(named(model, "W").shape, [2, 4]);
  assert.deepEqual(values(named(model, "a")), asColumn(relu.forward.pre_activations[1]));
  assert.deepEqual(values(named(model, "W")), relu.spec.weights[1]);
  assert.deepEqual(values(named(model, "h_in")), asColumn(relu.forward.activations[1]));
  assert.deepEqual(values(named(model, "b")), asColumn(relu.spec.biases[1]));
  // The entry this step multiplies is w from h4 to o2: row 2, column 4, with the engine's id.
  assert.equal(named(model, "W").rows[1][3].id, "w2-1-3");
  assert.ok(model.current.includes("w2-1-3"));
});

test("h = f(a) and the loss read the forward pass and the loss terms", () => {
  const act = modelAt(relu, "act-n1-2");
  assert.deepEqual(values(named(act, "h")), asColumn(relu.forward.activations[1]));
  assert.deepEqual(values(named(act, "a")), asColumn(relu.forward.pre_activations[0]));
  const loss = modelAt(relu, "loss-total");
  assert.deepEqual(values(named(loss, "e")), asColumn(relu.loss.per_output));
  assert.deepEqual(values(named(loss, "t")), asColumn(relu.spec.targets));
  assert.deepEqual(values(named(loss, "E")), [[relu.loss.total]]);
});

test("δ_L = ∂E/∂o ⊙ f'(a_L) and δ_l = (W_{l+1}ᵀ δ_{l+1}) ⊙ f'(a_l)", () => {
  const out = modelAt(relu, "delta-n2-1");
  assert.deepEqual(values(named(out, "delta")), asColumn(relu.gradients.deltas[1]));
  assert.deepEqual(values(named(out, "dEdo")), asColumn(relu.loss.output_grad));
  assert.deepEqual(values(named(out, "fprime")), asColumn(relu.forward.derivatives[1]));
  const hidden = modelAt(relu, "delta-n1-3");
  const wt = named(hidden, "W_next_T");
  assert.deepEqual(wt.shape, [4, 2]);
  assert.deepEqual(values(wt), transpose(relu.spec.weights[1]));
  assert.equal(wt.rows[3][1].id, "w2-1-3"); // row i, column j of Wᵀ is the edge from h_i to o_j
  assert.deepEqual(values(named(hidden, "delta_next")), asColumn(relu.gradients.deltas[1]));
  assert.deepEqual(values(named(hidden, "upstream")), asColumn(relu.gradients.upstream[0]));
  assert.deepEqual(values(named(hidden, "fprime")), asColumn(relu.forward.derivatives[0]));
  assert.deepEqual(values(named(hidden, "delta")), asColumn(relu.gradients.deltas[0]));
});

test("∂E/∂W_l = δ_l h_{l-1}ᵀ: a matrix, a column and a row", () => {
  const model = modelAt(relu, "grad-w1-0-0");
  assert.deepEqual(named(model, "grad_W").shape, [4, 3]);
  assert.deepEqual(values(named(model, "grad_W")), relu.gradients.weights[0]);
  assert.deepEqual(named(model, "h_in_T").shape, [1, 3]);
  assert.deepEqual(values(named(model, "h_in_T")), [relu.forward.activations[0]]);
  assert.deepEqual(values(named(model, "grad_b")), asColumn(relu.gradients.biases[0]));
});

test("the check and the update: backprop beside the central differences, W' = W − η ∂E/∂W", () => {
  const check = modelAt(relu, "check-n1-1");
  assert.deepEqual(values(named(check, "central_W")), relu.numeric_gradients.central.weights[0]);
  const update = modelAt(relu, "update-n2-1");
  assert.deepEqual(values(named(update, "W_new")), relu.updated.weights[1]);
  assert.deepEqual(values(named(update, "W")), relu.spec.weights[1]);
  assert.deepEqual(values(named(update, "b_new")), asColumn(relu.updated.biases[1]));
  // The neuron's whole row is the step's: every weight into o2 and its bias.
  const lit = named(update, "W_new").rows.map((row) => row.map((c) => update.current.includes(c.id)));
  assert.deepEqual(lit, [[false, false, false, false], [true, true, true, true]]);
});

test("softmax: δ from the Jacobian's transpose, and the shortcut o − t", () => {
  const model = modelAt(softmax, "jacobian-softmax");
  const jt = named(model, "J_T");
  assert.deepEqual(jt.shape, [3, 3]);
  assert.deepEqual(values(jt), transpose(softmax.forward.output_jacobian));
  assert.deepEqual(values(named(model, "dEdo")), asColumn(softmax.loss.output_grad));
  assert.deepEqual(values(named(model, "o")), asColumn(softmax.forward.activations[2]));
  assert.match(model.note, /Jacobian/);
});

test("a mini-batch shows one sample's values, and the batch's own for accumulate", () => {
  const own = modelAt(batch, "s2-delta-n1-1", { sample: 0 }); // a sample's step shows that sample
  assert.equal(own.sample, 2);
  assert.deepEqual(values(named(own, "delta")), asColumn(batch.per_sample[2].gradients.deltas[0]));
  assert.deepEqual(values(named(own, "upstream")), asColumn(batch.per_sample[2].gradients.upstream[0]));
  assert.match(own.note, /Sample 3 of 4/);
  const acc = modelAt(batch, "acc-w2-0-0", { sample: 1 }); // a batch step shows the chosen sample beside
  assert.deepEqual(values(named(acc, "grad_W")), batch.gradients.weights[1]);
  assert.deepEqual(values(named(acc, "sample_grad_W")), batch.per_sample[1].gradients.weights[1]);
  const batchLoss = modelAt(batch, "loss-batch");
  assert.deepEqual(values(named(batchLoss, "E_n")), asColumn(batch.per_sample.map((s) => s.loss.total)));
});

test("the view at step k is a pure function of (trace, k, view): the same answer, the trace untouched", () => {
  for (const trace of [relu, softmax, batch]) {
    const before = JSON.stringify(trace);
    trace.steps.forEach((_, k) => {
      const view = { sample: k % 4, hidden: k % 3 === 0 };
      assert.deepEqual(matrixModel(trace, k, view), matrixModel(trace, k, view));
    });
    assert.equal(JSON.stringify(trace), before);
  }
});

test("every entry of every step names its quantity and carries a number or null", () => {
  for (const trace of [relu, softmax, batch]) {
    trace.steps.forEach((_, k) => {
      for (const b of blocks(matrixModel(trace, k))) {
        assert.equal(b.rows.length, b.shape[0]);
        for (const row of b.rows) {
          assert.equal(row.length, b.shape[1]);
          for (const c of row) {
            assert.ok(typeof c.symbol === "string" && c.symbol.length, `${trace.steps[k].id} ${b.name}`);
            assert.ok(c.value === null || Number.isFinite(c.value));
          }
        }
      }
    });
  }
});

test("quiz mode: an entry is '?' while the step that computes it is an open question", () => {
  const k = at(relu, "delta-n1-1");
  // Every backward question up to and including h2's error signal answered, the rest open.
  const isHidden = (step) => step.phase === "backward" && relu.steps.indexOf(step) >= k;
  const model = matrixModel(relu, k, { isHidden });
  const secret = (name) => named(model, name).rows.map((row) => row.map((c) => !!c.secret));
  assert.deepEqual(secret("delta"), [[false], [true], [true], [true]]); // δ1 answered; δ2 is this step's
  assert.deepEqual(secret("delta_next"), [[false], [false]]); // the outputs' were answered earlier
  assert.deepEqual(secret("upstream"), [[false], [false], [true], [true]]); // h2's sum came just before
  assert.ok(named(model, "fprime").rows.flat().every((c) => !c.secret)); // forward values are no questions
  // Without quiz mode nothing is secret.
  assert.ok(blocks(matrixModel(relu, k)).every((b) => b.rows.flat().every((c) => !c.secret)));
});

test("softmax: row k of Jᵀ belongs to neuron k, so δ_k's step marks the row it adds up", () => {
  const model = modelAt(softmax, "delta-n2-1");
  const marked = named(model, "J_T").rows.map((row) => row.map((c) => model.current.includes(c.id)));
  assert.deepEqual(marked, [[false, false, false], [true, true, true], [false, false, false]]);
});
