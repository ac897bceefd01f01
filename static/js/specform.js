// Pure helpers of the network editor: how values are shown and read back, which input an
// API field name is about, weight and bias names before a trace exists, and reshaping
// weight matrices when layers change. No DOM here.

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
  if ((m = /^activations\[(\d+)\](\.(\w+))?$/.exec(field))) {
    return `${m[3] === "slope" ? "slope" : "activation"}-${Number(m[1]) + 1}`;
  }
  return { epsilon: "epsilon", learning_rate: "learning-rate", loss: "loss", seed: "seed", biases: "biases-toggle" }[field] || null;
}

// Symbols (LaTeX) as the engine writes them (notation.py), for labels before a trace is known.
export function weightLabel(layers, l, j, i) {
  const commas = Math.max(...layers) > 9 || layers.length > 9;
  const ids = layers[l - 1] === 1 ? [l, j + 1] : [l, j + 1, i + 1];
  return `w_{${ids.join(commas ? "," : "")}}`;
}
export function biasLabel(layers, l, j) {
  const commas = Math.max(...layers) > 9 || layers.length > 9;
  return `b_{${l === 1 ? j + 1 : [l, j + 1].join(commas ? "," : "")}}`;
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
