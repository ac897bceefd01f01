// The full view of a trace, as the page's modules read it: every step with the fields the trace
// leaves to its graph and arrays (the engine's webapp/engine/expand.py, whose docstring states the
// rules; tests/unit/test_expand.py runs both on the same traces). Pure.
import table from "./templates.json" with { type: "json" };

const PHASES = Object.fromEntries(Object.entries(table.templates).map(([kind, t]) => [kind, t.phase]));

/** Lookups of one trace's graph: nodes by id, the edges into and out of each node, biases by node. */
function graphIndex(graph) {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const into = new Map();
  const outOf = new Map();
  for (const e of graph.edges) {
    if (!into.has(e.to)) into.set(e.to, []);
    into.get(e.to).push(e);
    if (!outOf.has(e.from)) outOf.set(e.from, []);
    outOf.get(e.from).push(e);
  }
  const bias = new Map(graph.biases.map((b) => [b.node, b]));
  // [kind, element id, layer, j, i (null for a bias)] of the weights and bias into a node, in order.
  const params = (id) => {
    const node = nodes.get(id);
    const out = (into.get(id) || []).map((e) => ["weights", e.id, node.layer, node.index, nodes.get(e.from).index]);
    if (bias.has(id)) out.push(["biases", bias.get(id).id, node.layer, node.index, null]);
    return out;
  };
  const sourceSymbol = (edge, sample) => {
    const src = nodes.get(edge.from);
    return sample !== undefined && src.sample_symbols ? src.sample_symbols[sample] : src.symbol;
  };
  return { nodes, into, outOf, bias, params, sourceSymbol };
}

const cell = (arrays, kind, l, j, i) => (i === null ? arrays[kind][l - 1][j] : arrays[kind][l - 1][j][i]);

function sumFactors(g, step, node) {
  const { values } = step;
  if (step.kind === "node_sum") {
    const factors = (g.into.get(node) || []).map((e, n) => [`${e.symbol} ${g.sourceSymbol(e, step.sample)}`, values[n], e.id]);
    const b = g.bias.get(node);
    if (b) factors.push([b.symbol, values[values.length - 1], b.id]);
    return factors;
  }
  return (g.outOf.get(node) || []).map((e, n) => [`${e.symbol} ${g.nodes.get(e.to).delta_symbol}`, values[n], e.id]);
}

function weightGrads(trace, g, step, node) {
  const own = step.sample === undefined ? trace : trace.per_sample[step.sample];
  const h = own.forward.activations;
  const grads = own.gradients.weights;
  const rows = g.params(node).filter((p) => p[0] === "weights").map(([, element, l, j, i], n) => {
    const row = [element, h[l - 1][i], grads[l - 1][j][i]];
    return step.values ? [...row, step.values[n]] : row;
  });
  return { rows, elements: [...rows.map((r) => r[0]), node] };
}

function paramRows(trace, g, step, node) {
  const params = g.params(node);
  let rows;
  if (step.kind === "grad_check") {
    const { forward, central } = trace.numeric_gradients;
    rows = params.map(([kind, element, l, j, i], n) => [element, cell(trace.gradients, kind, l, j, i),
      cell(forward, kind, l, j, i), cell(central, kind, l, j, i), ...step.rows[n]]);
  } else {
    rows = params.map(([kind, element, l, j, i]) => [element, cell(trace.spec, kind, l, j, i),
      cell(trace.gradients, kind, l, j, i), cell(trace.updated, kind, l, j, i)]);
  }
  return { rows, elements: [...params.map((p) => p[1]), node] };
}

function expandStep(trace, g, wire) {
  if ("phase" in wire) return wire; // already the full view (a trace sends no phase), as expand.py
  const step = { factors: [], ...wire, phase: PHASES[wire.kind] };
  const node = step.elements[0];
  if ((step.kind === "node_sum" || step.kind === "hidden_sum") && "values" in step) {
    step.factors = sumFactors(g, step, node);
    step.elements = [node, ...step.factors.map((f) => f[2])];
    delete step.values;
  } else if (step.kind === "weight_grads") {
    Object.assign(step, weightGrads(trace, g, step, node));
    delete step.values;
  } else if (step.kind === "grad_check") {
    Object.assign(step, paramRows(trace, g, step, node));
    step.args = { E: trace.loss.total, eps: trace.numeric_gradients.epsilon, ...step.args };
  } else if (step.kind === "update") {
    Object.assign(step, paramRows(trace, g, step, node));
    step.args = { lr: trace.updated.learning_rate, ...step.args };
  }
  return step;
}

// Full view -> the trace as the API sent it (what "Export trace JSON" saves).
const wires = new WeakMap();

/** A copy of the trace whose steps carry every field; the arrays and the graph are shared. */
export function expandTrace(trace) {
  const g = graphIndex(trace.graph);
  const full = { ...trace, steps: trace.steps.map((step) => expandStep(trace, g, step)) };
  wires.set(full, trace);
  return full;
}

/** The trace as the API sent it, of a full view made by expandTrace (else the trace itself). */
export function wireTrace(full) {
  return wires.get(full) ?? full;
}
