// The samples table's model, pure: the rows a spec holds, the part of a request they become,
// reshaping the rows when the input or output layer changes, and a dataset's query. No DOM here.
//
// A row is {inputs, targets}; its values are numbers, or raw text the user typed (sent as it is,
// so the server's 400 names the cell).

/** {batch, rows, reduction} of a spec: its `samples` (a mini-batch), else its one sample. */
export function specRows(spec) {
  if (Array.isArray(spec.samples)) {
    return { batch: true, rows: spec.samples.map(copyRow), reduction: spec.reduction ?? null };
  }
  return { batch: false, rows: [copyRow({ inputs: spec.inputs, targets: spec.targets })], reduction: null };
}

function copyRow(row) {
  return { inputs: [...(row?.inputs ?? [])], targets: [...(row?.targets ?? [])] };
}

/**
 * The request's data: `samples` and `reduction` for a mini-batch, else `inputs` and `targets` of
 * the first row. Never both: the server refuses a body that gives both.
 */
export function requestData({ batch, rows, reduction }) {
  if (batch) return { samples: rows.map(copyRow), reduction };
  return copyRow(rows[0]);
}

// Each entry of `now`, then those of `old` past its end: what a row knew before it was narrowed.
function widest(now, old = []) {
  return Array.from({ length: Math.max(now.length, old.length) }, (_, i) => (i < now.length ? now[i] : old[i]));
}

const fit = (values, length) => Array.from({ length }, (_, i) => values[i] ?? 0);

/**
 * Rows resized to `inputs` and `outputs` columns. A column dropped by a smaller layer is
 * remembered (as the editor remembers switched-off biases), so widening the layer again brings
 * its values back; a column never seen before starts at 0. `remembered` is what the previous
 * call returned: one row of every value seen per row.
 */
export function resizeRows(rows, inputs, outputs, remembered = []) {
  const known = rows.map((row, n) => ({
    inputs: widest(row.inputs, remembered[n]?.inputs), targets: widest(row.targets, remembered[n]?.targets),
  }));
  return {
    rows: known.map((row) => ({ inputs: fit(row.inputs, inputs), targets: fit(row.targets, outputs) })),
    remembered: known,
  };
}

/** A new row of zeros for a network with `inputs` inputs and `outputs` outputs. */
export function emptyRow(inputs, outputs) {
  return { inputs: fit([], inputs), targets: fit([], outputs) };
}

/**
 * The query string of GET /api/datasets/<id> for the parameters the dataset takes. Values go as
 * typed, so the server's 400 names a bad one; a checkbox's boolean as true or false.
 */
export function datasetQuery(parameters, values) {
  const query = new URLSearchParams();
  for (const name of Object.keys(parameters)) {
    if (values[name] === undefined) continue;
    query.set(name, typeof values[name] === "boolean" ? String(values[name]) : String(values[name]).trim());
  }
  return query.toString();
}
