// Pure helpers of the network editor: what it offers (from GET /api/meta), how values are
// shown and read back, which input an API field name is about, and reshaping weight matrices
// when layers change. No DOM here.

/**
 * The editor's choices and bounds from the server's /api/meta answer, so the editor keeps no copy
 * of its own: [value, title] options, the default slope of each activation that takes one, the
 * layer and neuron limits, and the defaults of fields a spec may leave out.
 */
export function editorOptions(meta) {
  const sloped = meta.activations.filter((a) => a.default_slope !== null);
  return {
    activations: meta.activations.map((a) => [a.name, a.title]),
    slopes: Object.fromEntries(sloped.map((a) => [a.name, a.default_slope])),
    losses: meta.losses.map((loss) => [loss.name, loss.title]),
    layers: meta.limits.layers,
    neurons: meta.limits.neurons,
    defaults: meta.defaults,
  };
}

// Numbers as a person would type them: 1e-6, not 0.000001.
export function show(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" && value !== 0 && Math.abs(value) < 1e-4) return value.toExponential();
  return String(value);
}

/** A typed value: a number when the text is one, otherwise the raw text (the server names the field). */
export function parseValue(text) {
  const t = text.trim();
  const n = Number(t);
  return t !== "" && Number.isFinite(n) ? n : text;
}

/** The testid of the input an API field name is about, or null (e.g. "weights[1][0][0]" -> "weight-w2-0-0"). */
export function fieldToTestId(field) {
  const ix = (s) => [...s.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]));
  let m;
  if ((m = /^weights(\[\d+\]){3}$/.exec(field))) { const [l, j, i] = ix(field); return `weight-w${l + 1}-${j}-${i}`; }
  if ((m = /^biases(\[\d+\]){2}$/.exec(field))) { const [l, j] = ix(field); return `bias-b${l + 1}-${j}`; }
  if ((m = /^(inputs|targets|layers)\[(\d+)\]$/.exec(field))) {
    return `${{ inputs: "input", targets: "target", layers: "layer-size" }[m[1]]}-${m[2]}`;
  }
  // A mini-batch's cell; a whole row, or a row's whole vector, is pointed at by its first cell.
  if ((m = /^samples\[(\d+)\](\.(inputs|targets)(\[(\d+)\])?)?$/.exec(field))) {
    return `sample-${m[1]}-${m[3] === "targets" ? "target" : "input"}-${m[5] ?? 0}`;
  }
  if ((m = /^activations\[(\d+)\](\.(\w+))?$/.exec(field))) {
    return `${m[3] === "slope" ? "slope" : "activation"}-${Number(m[1]) + 1}`;
  }
  return { epsilon: "epsilon", learning_rate: "learning-rate", loss: "loss", seed: "seed", biases: "biases-toggle",
    reduction: "reduction" }[field] || null;
}

// Resize per-layer weight matrices (or bias vectors) to a new shape. Layers are matched by
// identity key, not position, so adding a hidden layer keeps the output layer's weights; every
// entry whose position still exists is kept, new ones get `fill`.
export function resize(old, oldKeys, newKeys, layers, fill, vector = false) {
  return layers.slice(1).map((rows, m) => {
    const at = oldKeys.indexOf(newKeys[m + 1]);
    const prev = at > 0 ? old?.[at - 1] : undefined;
    return Array.from({ length: rows }, (_, j) => (vector
      ? prev?.[j] ?? fill
      : Array.from({ length: layers[m] }, (_, i) => prev?.[j]?.[i] ?? fill)));
  });
}
