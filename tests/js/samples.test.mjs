// The samples table's model (static/js/samples.js): rows from a spec, the request they make,
// resizing rows when a layer changes, and a dataset's query string.
import { test } from "node:test";
import assert from "node:assert/strict";
import { datasetQuery, emptyRow, requestData, resizeRows, specRows } from "../../static/js/samples.js";

// The XOR truth table, written out by hand.
const XOR = [
  { inputs: [0, 0], targets: [0] }, { inputs: [0, 1], targets: [1] },
  { inputs: [1, 0], targets: [1] }, { inputs: [1, 1], targets: [0] },
];

test("specRows: a spec's samples are a mini-batch, its inputs and targets one sample", () => {
  assert.deepEqual(specRows({ layers: [2, 1], samples: XOR, reduction: "sum" }), { batch: true, rows: XOR, reduction: "sum" });
  assert.deepEqual(specRows({ layers: [2, 1], inputs: [3, 4], targets: [1] }),
    { batch: false, rows: [{ inputs: [3, 4], targets: [1] }], reduction: null });
  // A trace's spec of a batch repeats the first sample as inputs and targets: the samples win.
  assert.equal(specRows({ inputs: [0, 0], targets: [0], samples: XOR }).batch, true);
});

test("specRows copies: editing the rows leaves the spec alone", () => {
  const spec = { samples: [{ inputs: [1, 2], targets: [3] }] };
  specRows(spec).rows[0].inputs[0] = 9;
  assert.equal(spec.samples[0].inputs[0], 1);
});

test("requestData: samples and reduction for a batch, inputs and targets for one sample, never both", () => {
  const batch = requestData({ batch: true, rows: XOR, reduction: "mean" });
  assert.deepEqual(Object.keys(batch).sort(), ["reduction", "samples"]);
  assert.deepEqual(batch.samples, XOR);
  const one = requestData({ batch: false, rows: XOR, reduction: "mean" });
  assert.deepEqual(one, { inputs: [0, 0], targets: [0] });
  // Typed text goes as it is, so the server's 400 names the cell.
  assert.deepEqual(requestData({ batch: true, rows: [{ inputs: ["abc", 1], targets: [0] }], reduction: "sum" }).samples[0].inputs, ["abc", 1]);
});

test("resizeRows: new columns start at 0, dropped ones come back when the layer grows again", () => {
  const rows = [{ inputs: [1, 2, 3], targets: [7] }, { inputs: [4, 5, 6], targets: [8] }];
  const narrow = resizeRows(rows, 2, 2);
  assert.deepEqual(narrow.rows, [{ inputs: [1, 2], targets: [7, 0] }, { inputs: [4, 5], targets: [8, 0] }]);
  // The user edits a kept cell while the layer is narrow; widening brings back the dropped 3 and 6.
  narrow.rows[0].inputs[1] = "2.5";
  const wide = resizeRows(narrow.rows, 3, 1, narrow.remembered);
  assert.deepEqual(wide.rows, [{ inputs: [1, "2.5", 3], targets: [7] }, { inputs: [4, 5, 6], targets: [8] }]);
  // A value typed into a column that is later dropped is remembered too.
  narrow.rows[1].targets[1] = 9;
  const cut = resizeRows(narrow.rows, 2, 1, narrow.remembered);
  assert.deepEqual(cut.rows[1].targets, [8]);
  assert.deepEqual(resizeRows(cut.rows, 2, 2, cut.remembered).rows[1].targets, [8, 9]);
});

test("resizeRows without memory pads with zeros and cuts", () => {
  assert.deepEqual(resizeRows([{ inputs: [5], targets: [1, 2] }], 3, 1).rows, [{ inputs: [5, 0, 0], targets: [1] }]);
  assert.deepEqual(emptyRow(2, 3), { inputs: [0, 0], targets: [0, 0, 0] });
});

test("datasetQuery sends the dataset's own parameters as typed, booleans as true or false", () => {
  const parameters = { n: {}, seed: {}, noise: {}, one_hot: {} };
  assert.equal(datasetQuery(parameters, { n: "20", seed: " 3 ", noise: "0.1", one_hot: true }), "n=20&seed=3&noise=0.1&one_hot=true");
  // XOR takes only one_hot: the n, seed and noise the form holds are not sent.
  assert.equal(datasetQuery({ one_hot: {} }, { n: "20", seed: "0", noise: "0", one_hot: false }), "one_hot=false");
  assert.equal(datasetQuery({ n: {} }, { n: "abc" }), "n=abc");
});
