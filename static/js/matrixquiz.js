// Quiz mode in the matrix view, pure: which entries are a backward step's answer still hidden.
// An entry is secret while the step that computes it is hidden (an open quiz question, whether
// it comes before or after the step shown), so no grid gives an answer away.

// The quantity each kind of backward step computes, and the element it computes it for.
const COMPUTES = {
  loss_grad: "dEdo", output_delta: "delta", softmax_delta: "delta", delta_shortcut: "delta",
  hidden_delta: "delta", hidden_sum: "upstream", output_weight_grad: "grad", hidden_weight_grad: "grad",
  hidden_weight_grad_sum: "grad", weight_grads: "grad", bias_grad: "grad",
};
// The quantity of a block (matrixmodel.js names), where the quiz asks for it.
const QUANTITY_OF_BLOCK = {
  dEdo: "dEdo", delta: "delta", delta_next: "delta", upstream: "upstream",
  grad_W: "grad", grad_b: "grad", sample_grad_W: "grad", sample_grad_b: "grad",
};
// Blocks about the batch as a whole (mini-batch check and update, accumulate's left side) are no
// one sample's backward values.
const BATCH_WIDE = new Set(["accumulate", "check", "update"]);

const reaches = new WeakMap();
// `${quantity}|${sample}|${element}` -> index of the first step that computes it.
function reachOf(trace, byId) {
  if (reaches.has(trace)) return reaches.get(trace);
  const reach = new Map();
  trace.steps.forEach((step, k) => {
    const quantity = COMPUTES[step.kind];
    if (!quantity || step.phase !== "backward") return;
    const sample = step.sample ?? "";
    let ids = [step.elements[0]];
    if (step.kind === "loss_grad") ids = step.elements.filter((id) => byId.get(id)?.role === "output");
    if (step.kind === "weight_grads") ids = (step.rows || []).map((row) => row[0]);
    for (const id of ids) {
      const key = `${quantity}|${sample}|${id}`;
      if (!reach.has(key)) reach.set(key, k);
    }
  });
  reaches.set(trace, reach);
  return reach;
}

/** Mark `secret: true` on the model's cells whose computing step `isHidden(step)` says is hidden. */
export function markSecrets(trace, model, byId, isHidden) {
  const reach = reachOf(trace, byId);
  const batchWide = trace.per_sample && BATCH_WIDE.has(model.equation);
  for (const item of model.lines.flat()) {
    const quantity = QUANTITY_OF_BLOCK[item.name];
    if (item.type !== "block" || !quantity) continue;
    if (batchWide && !item.name.startsWith("sample_")) continue;
    const sample = trace.per_sample ? model.sample : "";
    for (const row of item.rows) {
      for (const c of row) {
        const k = reach.get(`${quantity}|${sample}|${c.id}`);
        if (k !== undefined && isHidden(trace.steps[k])) c.secret = true;
      }
    }
  }
  return model;
}
