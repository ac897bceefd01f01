// The matrix view's model, pure: (trace, k, view) -> the current step written for its whole layer
// in vector and matrix form (a = W h + b, h = f(a), the error signals, the gradient, the update),
// every number read from the trace's arrays, never computed here. matrixview.js draws it.
import { markSecrets } from "./matrixquiz.js";

// Which layer equation a step kind belongs to; the engine's kinds are listed in README "Steps".
const EQUATION_OF_KIND = {
  edge_product: "sum", node_sum: "sum", node_activation: "activation",
  loss_term: "loss", loss_total: "loss", batch_loss: "batch_loss",
  loss_grad: "output_delta", output_delta: "output_delta", softmax_jacobian: "output_delta",
  softmax_delta: "output_delta", delta_shortcut: "output_delta",
  hidden_sum: "hidden_delta", hidden_delta: "hidden_delta",
  output_weight_grad: "gradient", hidden_weight_grad: "gradient", hidden_weight_grad_sum: "gradient",
  per_output_grad: "gradient", weight_grads: "gradient", bias_grad: "gradient",
  accumulate: "accumulate", accumulate_rows: "accumulate",
  grad_check: "check", update: "update", update_momentum: "update", update_adam: "update",
};
// A kind the table does not know yet still gets its phase's equation.
const EQUATION_OF_PHASE = { forward: "sum", loss: "loss", backward: "gradient", accumulate: "accumulate", check: "check", update: "update" };

/** The equation (a key of BUILDERS) the step at index k is shown with. */
export function equationOf(step) {
  return EQUATION_OF_KIND[step.kind] ?? EQUATION_OF_PHASE[step.phase] ?? "sum";
}

// Everything the builders read, looked up once per trace.
const indexes = new WeakMap();
function indexOf(trace) {
  if (indexes.has(trace)) return indexes.get(trace);
  const byId = new Map();
  for (const part of ["nodes", "edges", "biases"]) for (const item of trace.graph[part] || []) byId.set(item.id, item);
  const nodeAt = new Map(trace.graph.nodes.map((n) => [`${n.layer}:${n.index}`, n]));
  const edgeOf = new Map(trace.graph.edges.map((e) => [`${e.to}|${e.from}`, e]));
  const biasOf = new Map((trace.graph.biases || []).map((b) => [b.node, b]));
  const total = trace.graph.nodes.find((n) => n.role === "total");
  const lossAt = new Map(trace.graph.nodes.filter((n) => n.role === "loss").map((n) => [n.index, n]));
  const index = { byId, nodeAt, edgeOf, biasOf, total, lossAt, last: trace.graph.layers.length - 1 };
  indexes.set(trace, index);
  return index;
}

// The layer (1..L) a step is about: its first element that is a weight, a bias or a neuron.
function layerOf(step, ix) {
  for (const id of step.elements || []) {
    const item = ix.byId.get(id);
    if (!item) continue;
    if (item.from) return ix.byId.get(item.to).layer;
    if (item.node) return ix.byId.get(item.node).layer;
    if (item.layer >= 1 && item.layer <= ix.last) return item.layer;
  }
  return ix.last;
}

// The arrays of the sample shown: a mini-batch's own per sample, else the trace's top level.
function sourceOf(trace, sample) {
  const own = trace.per_sample?.[sample];
  const targets = trace.spec.samples ? trace.spec.samples[sample ?? 0].targets : trace.spec.targets;
  return own ? { forward: own.forward, loss: own.loss, gradients: own.gradients, targets }
    : { forward: trace.forward, loss: trace.loss, gradients: trace.gradients, targets };
}

// ---- blocks: a matrix or a vector of cells {value, id, symbol}, with a caption ----

function cell(value, id, symbol) {
  return { value: value ?? null, id: id ?? null, symbol };
}

function block(caption, rows, { result = false, name = caption } = {}) {
  return { type: "block", name, caption, rows, shape: [rows.length, rows[0]?.length ?? 0], result };
}

const op = (text) => ({ type: "op", text });

/** A column vector over the neurons of layer l: values[j], symbol(node) for each. */
function column(ix, l, values, symbol, { id = (n) => n.id, ...options } = {}) {
  const rows = values.map((v, j) => {
    const node = ix.nodeAt.get(`${l}:${j}`);
    return [cell(v, id(node, j), symbol(node, j))];
  });
  return (caption, name) => block(caption, rows, { ...options, name });
}

/** Layer l's weight-shaped matrix: values[j][i] at the edge from neuron i below to neuron j. */
function weightMatrix(ix, l, values, symbol = (e) => e.symbol, { transpose = false, ...options } = {}) {
  const edge = (j, i) => ix.edgeOf.get(`${ix.nodeAt.get(`${l}:${j}`).id}|${ix.nodeAt.get(`${l - 1}:${i}`).id}`);
  const rows = values.map((row, j) => row.map((v, i) => cell(v, edge(j, i).id, symbol(edge(j, i)))));
  const shown = transpose ? rows[0].map((_, i) => rows.map((row) => row[i])) : rows;
  return (caption, name) => block(caption, shown, { ...options, name });
}

/** A row vector (the transpose of a column): values[i], one cell each. */
function rowVector(ix, l, values, symbol) {
  return (caption, name) => block(caption, [values.map((v, i) => {
    const node = ix.nodeAt.get(`${l}:${i}`);
    return cell(v, node.id, symbol(node, i));
  })], { name });
}

function biasColumn(ix, l, values, symbol = (b) => b.symbol, options = {}) {
  return column(ix, l, values, (node) => symbol(ix.biasOf.get(node.id)), { id: (node) => ix.biasOf.get(node.id).id, ...options });
}

// ---- symbols, LaTeX ----

const sub = (base, n) => `${base}_{${n}}`;
const frac = (top, bottom) => `\\frac{\\partial ${top}}{\\partial ${bottom}}`;
// The inputs (layer 0) are x; every other layer's activations h; the output layer's o.
function vectorName(ix, l) {
  return l === 0 ? "\\mathbf{x}" : l === ix.last ? "\\mathbf{o}" : sub("\\mathbf{h}", l);
}
function vectorCaption(ix, l) {
  return l === 0 ? "x" : l === ix.last ? "o" : sub("h", l);
}
// A neuron's activation symbol; an input of a mini-batch's sample n is x_{n i}.
function actSymbol(node, sample) {
  return node.sample_symbols && sample !== undefined ? node.sample_symbols[sample] : node.symbol;
}

function totalSymbol(trace, ix, sample) {
  return trace.per_sample ? sub("E", sample + 1) : ix.total.symbol;
}

// ---- the equations: each returns {latex, lines: [[block | op]], note?} ----

function sumEquation({ trace, ix, l, src, sample }) {
  const bias = trace.spec.biases;
  const line = [
    column(ix, l, src.forward.pre_activations[l - 1], (n) => n.pre_symbol, { result: true })(sub("a", l), "a"), op("="),
    weightMatrix(ix, l, trace.spec.weights[l - 1])(sub("W", l), "W"),
    column(ix, l - 1, src.forward.activations[l - 1], (n) => actSymbol(n, sample))(vectorCaption(ix, l - 1), "h_in"),
  ];
  if (bias) line.push(op("+"), biasColumn(ix, l, bias[l - 1])(sub("b", l), "b"));
  return {
    latex: `${sub("\\mathbf{a}", l)} = ${sub("W", l)}\\,${vectorName(ix, l - 1)}${bias ? ` + ${sub("\\mathbf{b}", l)}` : ""}`,
    lines: [line],
  };
}

function activationEquation({ trace, ix, l, src }) {
  const name = trace.graph.layers[l].activation;
  return {
    latex: `${vectorName(ix, l)} = \\operatorname{${name}}(${sub("\\mathbf{a}", l)})`,
    lines: [[
      column(ix, l, src.forward.activations[l], (n) => n.symbol, { result: true })(vectorCaption(ix, l), "h"), op(`= ${name} of`),
      column(ix, l, src.forward.pre_activations[l - 1], (n) => n.pre_symbol)(sub("a", l), "a"),
    ]],
  };
}

function lossEquation({ trace, ix, src, sample }) {
  const L = ix.last;
  const lossCells = (values, symbol) => values.map((v, k) => [cell(v, ix.lossAt.get(k).id, symbol(k))]);
  const total = trace.per_sample ? src.loss.total : trace.loss.total;
  return {
    latex: `\\mathbf{e} = \\ell(\\mathbf{o}, \\mathbf{t}),\\quad ${totalSymbol(trace, ix, sample)} = \\sum_k e_k`,
    lines: [[
      block("e", lossCells(src.loss.per_output, (k) => ix.lossAt.get(k).symbol), { result: true, name: "e" }), op(`= ${trace.loss.title} of`),
      column(ix, L, src.forward.activations[L], (n) => n.symbol)("o", "o"), op("and"),
      block("t", lossCells(src.targets, (k) => sub("t", k + 1)), { name: "t" }),
      op("; sum:"), block(totalSymbol(trace, ix, sample), [[cell(total, ix.total.id, totalSymbol(trace, ix, sample))]], { result: true, name: "E" }),
    ]],
  };
}

function batchLossEquation({ trace, ix }) {
  const n = trace.per_sample.length;
  const scale = trace.loss.reduction === "mean" ? `\\frac{1}{${n}}` : "";
  return {
    latex: `E = ${scale}\\sum_n E_n`,
    lines: [[
      block("E", [[cell(trace.loss.total, ix.total.id, "E")]], { result: true, name: "E" }),
      op(trace.loss.reduction === "mean" ? `= mean of` : "= sum of"),
      block("E_{n}", trace.per_sample.map((s, i) => [cell(s.loss.total, null, sub("E", i + 1))]), { name: "E_n" }),
    ]],
  };
}

function outputDeltaEquation({ trace, ix, l, src, sample }) {
  const T = totalSymbol(trace, ix, sample);
  const delta = column(ix, l, src.gradients.deltas[l - 1], (n) => n.delta_symbol, { result: true })(sub("\\delta", l), "delta");
  const dedo = column(ix, l, src.loss.output_grad, (n) => frac(T, n.symbol))(frac(T, "o"), "dEdo");
  const jacobian = src.forward.output_jacobian;
  if (!jacobian) {
    return {
      latex: `\\boldsymbol{\\delta}_{${l}} = ${frac(T, "\\mathbf{o}")} \\odot f'(${sub("\\mathbf{a}", l)})`,
      lines: [[delta, op("="), dedo, op("⊙"),
        column(ix, l, src.forward.derivatives[l - 1], (n) => `f'(${n.pre_symbol})`)(`f'(a_{${l}})`, "fprime")]],
    };
  }
  // Softmax: every output depends on every sum, so the Jacobian takes the place of f'(a).
  // Row k of Jᵀ is what reaches the sum a_k (δ_k adds it up), so its entries belong to neuron k.
  const size = jacobian.length;
  const jt = Array.from({ length: size }, (_, k) => Array.from({ length: size }, (__, j) =>
    cell(jacobian[j][k], ix.nodeAt.get(`${l}:${k}`).id, `\\frac{\\partial o_{${j + 1}}}{\\partial a_{${k + 1}}}`)));
  const lines = [[delta, op("="), block("J^{T}", jt, { name: "J_T" }), dedo]];
  const shortcut = trace.steps.some((s) => s.kind === "delta_shortcut");
  if (shortcut) {
    lines.push([column(ix, l, src.gradients.deltas[l - 1], (n) => n.delta_symbol, { result: true })(sub("\\delta", l), "delta"), op("="),
      column(ix, l, src.forward.activations[l], (n) => n.symbol)("o", "o"), op("−"),
      block("t", src.targets.map((t, k) => [cell(t, ix.lossAt.get(k).id, sub("t", k + 1))]), { name: "t" })]);
  }
  return {
    latex: `\\boldsymbol{\\delta}_{${l}} = J^{\\top} ${frac(T, "\\mathbf{o}")},\\quad J_{jk} = \\frac{\\partial o_j}{\\partial a_k}`,
    lines,
    note: "Softmax: each output depends on every sum, so δ goes through the Jacobian J (∂o_j/∂a_k)"
      + (shortcut ? "; with cross-entropy this is o − t, the shortcut the engine uses (δ = o − t)." : "."),
  };
}

function hiddenDeltaEquation({ trace, ix, l, src, sample }) {
  const T = totalSymbol(trace, ix, sample);
  const up = (result) => column(ix, l, src.gradients.upstream[l - 1], (n) => frac(T, n.symbol), { result })(
    `W_{${l + 1}}^{T}\\delta_{${l + 1}}`, "upstream");
  return {
    latex: `\\boldsymbol{\\delta}_{${l}} = (W_{${l + 1}}^{\\top}\\boldsymbol{\\delta}_{${l + 1}}) \\odot f'(${sub("\\mathbf{a}", l)})`,
    lines: [
      [up(true), op("="), weightMatrix(ix, l + 1, trace.spec.weights[l], undefined, { transpose: true })(`W_{${l + 1}}^{T}`, "W_next_T"),
        column(ix, l + 1, src.gradients.deltas[l], (n) => n.delta_symbol)(sub("\\delta", l + 1), "delta_next")],
      [column(ix, l, src.gradients.deltas[l - 1], (n) => n.delta_symbol, { result: true })(sub("\\delta", l), "delta"), op("="),
        up(false), op("⊙"), column(ix, l, src.forward.derivatives[l - 1], (n) => `f'(${n.pre_symbol})`)(`f'(a_{${l}})`, "fprime")],
    ],
  };
}

function gradientEquation({ trace, ix, l, src, sample }) {
  const T = totalSymbol(trace, ix, sample);
  const deltas = src.gradients.deltas[l - 1];
  const delta = () => column(ix, l, deltas, (n) => n.delta_symbol)(sub("\\delta", l), "delta");
  const lines = [[
    weightMatrix(ix, l, src.gradients.weights[l - 1], (e) => frac(T, e.symbol), { result: true })(frac(T, sub("W", l)), "grad_W"), op("="),
    delta(), rowVector(ix, l - 1, src.forward.activations[l - 1], (n) => actSymbol(n, sample))(`${vectorCaption(ix, l - 1)}^{T}`, "h_in_T"),
  ]];
  if (src.gradients.biases) {
    lines.push([biasColumn(ix, l, src.gradients.biases[l - 1], (b) => frac(T, b.symbol), { result: true })(frac(T, sub("b", l)), "grad_b"),
      op("="), delta()]);
  }
  return {
    latex: `${frac(T, sub("W", l))} = \\boldsymbol{\\delta}_{${l}}\\,${vectorName(ix, l - 1)}^{\\top}`
      + (src.gradients.biases ? `,\\quad ${frac(T, sub("\\mathbf{b}", l))} = \\boldsymbol{\\delta}_{${l}}` : ""),
    lines,
  };
}

function accumulateEquation({ trace, ix, l, sample }) {
  const n = trace.per_sample.length;
  const own = trace.per_sample[sample].gradients;
  const En = sub("E", sample + 1);
  const over = op(trace.loss.reduction === "mean" ? `= mean over the ${n} samples of` : `= sum over the ${n} samples of`);
  const lines = [[
    weightMatrix(ix, l, trace.gradients.weights[l - 1], (e) => frac("E", e.symbol), { result: true })(frac("E", sub("W", l)), "grad_W"),
    over,
    weightMatrix(ix, l, own.weights[l - 1], (e) => frac(En, e.symbol))(frac(En, sub("W", l)), "sample_grad_W"),
  ]];
  if (trace.gradients.biases) {
    lines.push([biasColumn(ix, l, trace.gradients.biases[l - 1], (b) => frac("E", b.symbol), { result: true })(frac("E", sub("b", l)), "grad_b"),
      over, biasColumn(ix, l, own.biases[l - 1], (b) => frac(En, b.symbol))(frac(En, sub("b", l)), "sample_grad_b")]);
  }
  const scale = trace.loss.reduction === "mean" ? `\\frac{1}{${n}}` : "";
  return {
    latex: `${frac("E", sub("W", l))} = ${scale}\\sum_{n} ${frac("E_n", sub("W", l))}`,
    lines,
    note: `Sample ${sample + 1} of ${n} is shown on the right (the sample switcher chooses).`,
  };
}

function checkEquation({ trace, ix, l }) {
  const T = trace.per_sample ? "E" : ix.total.symbol;
  const central = trace.numeric_gradients.central;
  const lines = [[
    weightMatrix(ix, l, trace.gradients.weights[l - 1], (e) => frac(T, e.symbol))(frac(T, sub("W", l)), "grad_W"), op("≈"),
    weightMatrix(ix, l, central.weights[l - 1], (e) => `\\Delta ${e.symbol}`, { result: true })("central difference", "central_W"),
  ]];
  if (trace.gradients.biases) {
    lines.push([biasColumn(ix, l, trace.gradients.biases[l - 1], (b) => frac(T, b.symbol))(frac(T, sub("b", l)), "grad_b"), op("≈"),
      biasColumn(ix, l, central.biases[l - 1], (b) => `\\Delta ${b.symbol}`, { result: true })("central difference", "central_b")]);
  }
  return {
    latex: `${frac(T, sub("W", l))} \\approx \\frac{${T}(W + \\varepsilon) - ${T}(W - \\varepsilon)}{2\\varepsilon}`,
    lines,
  };
}

function updateEquation({ trace, ix, l, step }) {
  const T = trace.per_sample ? "E" : ix.total.symbol;
  const eta = trace.updated.learning_rate;
  const plain = step.kind === "update";
  const between = plain ? `− ${eta} ·` : "and";
  const lines = [[
    weightMatrix(ix, l, trace.updated.weights[l - 1], (e) => `${e.symbol}'`, { result: true })(`W_{${l}}'`, "W_new"), op(plain ? "=" : "from"),
    weightMatrix(ix, l, trace.spec.weights[l - 1])(sub("W", l), "W"), op(between),
    weightMatrix(ix, l, trace.gradients.weights[l - 1], (e) => frac(T, e.symbol))(frac(T, sub("W", l)), "grad_W"),
  ]];
  if (trace.spec.biases) {
    lines.push([biasColumn(ix, l, trace.updated.biases[l - 1], (b) => `${b.symbol}'`, { result: true })(`b_{${l}}'`, "b_new"), op(plain ? "=" : "from"),
      biasColumn(ix, l, trace.spec.biases[l - 1])(sub("b", l), "b"), op(between),
      biasColumn(ix, l, trace.gradients.biases[l - 1], (b) => frac(T, b.symbol))(frac(T, sub("b", l)), "grad_b")]);
  }
  return {
    latex: plain ? `W_{${l}}' = W_{${l}} - \\eta\\,${frac(T, sub("W", l))},\\quad \\eta = ${eta}`
      : `W_{${l}}' = \\operatorname{step}(W_{${l}}, ${frac(T, sub("W", l))})`,
    lines,
    note: plain ? undefined : `${step.kind === "update_adam" ? "Adam" : "Momentum"} takes its own step from W and ∂E/∂W (and its state): its formula is in the panel beside.`,
  };
}

const BUILDERS = {
  sum: sumEquation, activation: activationEquation, loss: lossEquation, batch_loss: batchLossEquation,
  output_delta: outputDeltaEquation, hidden_delta: hiddenDeltaEquation, gradient: gradientEquation,
  accumulate: accumulateEquation, check: checkEquation, update: updateEquation,
};

const TITLES = {
  sum: "the sums", activation: "the activations", loss: "the loss", batch_loss: "the batch loss",
  output_delta: "the output error signals", hidden_delta: "the error signals", gradient: "the weight gradient",
  accumulate: "the batch gradient", check: "the gradient check", update: "the update",
};

/**
 * The matrix view at step k: {equation, layer, stepId, phase, title, latex, lines, current, sample, note}.
 * lines: rows of items, each {type: "op", text} or {type: "block", name (the quantity: "a", "W",
 * "h_in", "b", "h", "e", "t", "o", "E", "E_n", "delta", "dEdo", "fprime", "J_T", "upstream",
 * "W_next_T", "delta_next", "grad_W", "grad_b", "h_in_T", "sample_grad_W", "sample_grad_b",
 * "central_W", "central_b", "W_new", "b_new"), caption (LaTeX), shape: [r, c],
 * rows: [[{value, id, symbol, secret?}]], result} (result: the left-hand side, what the equation computes).
 * current: the graph ids the step computes or reads; their entries are highlighted.
 * view: {sample (0-based, a mini-batch's sample shown), isHidden (step) -> whether quiz mode hides
 * its value}; the entries such a step computes get `secret: true` (shown as "?").
 */
export function matrixModel(trace, k, view = {}) {
  const ix = indexOf(trace);
  const step = trace.steps[Math.max(0, Math.min(k, trace.steps.length - 1))];
  const equation = equationOf(step);
  const sample = trace.per_sample ? (step.sample ?? view.sample ?? 0) : undefined;
  const l = layerOf(step, ix);
  const src = sourceOf(trace, sample);
  const built = BUILDERS[equation]({ trace, ix, l, src, sample, step });
  const current = new Set(step.elements || []);
  for (const row of step.rows || []) if (typeof row[0] === "string") current.add(row[0]);
  const whole = equation === "loss" || equation === "batch_loss";
  const notes = [built.note];
  const n = trace.per_sample?.length;
  // A mini-batch: say whose numbers these are, one sample's or the whole batch's.
  if (n && ["check", "update"].includes(equation)) notes.unshift(`The whole batch's: E and ∂E/∂W over its ${n} samples.`);
  else if (n && !["accumulate", "batch_loss"].includes(equation)) notes.unshift(`Sample ${sample + 1} of ${n}.`);
  const model = {
    equation, layer: whole ? null : l, stepId: step.id, phase: step.phase,
    title: whole ? `The loss, as vectors: ${TITLES[equation]}` : `Layer ${l}, as matrices: ${TITLES[equation]}`,
    latex: built.latex, lines: built.lines, current: [...current], sample,
    note: notes.filter(Boolean).join(" "),
  };
  return view.isHidden ? markSecrets(trace, model, ix.byId, view.isHidden) : model;
}
