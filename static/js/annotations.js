// Pure: the values the graph shows at step index, read from the steps 0..index (never recomputed).
// Each annotation: {key, for, anchor, kind, quantity, value, caption (LaTeX-lite), order, step}.

// Where a quantity sits in its element's stack of labels; one table, so stacks read the same everywhere.
const ORDER = ["product", "a", "h", "e", "E", "batch-E", "dedo", "dEdh", "delta", "grad-e", "grad", "contribution",
  "grad-s", "batch", "fd-e", "fd", "cd", "re", "new"];
const orderOf = (q) => ORDER.indexOf(q.replace(/\d+$/, "")) * 100 + (parseInt(q.match(/\d+$/)?.[0] ?? "0", 10));

export function indexGraph(graph) {
  const byId = new Map();
  for (const n of graph.nodes) byId.set(n.id, { ...n, type: "node" });
  for (const e of graph.edges) byId.set(e.id, { ...e, type: "edge" });
  for (const e of graph.loss_edges) byId.set(e.id, { ...e, type: "loss-edge" });
  for (const b of graph.biases || []) byId.set(b.id, { ...b, type: "bias" });
  return byId;
}

// The loss edge joining two nodes, in either order (loss steps name nodes, not edges).
function lossEdgeBetween(graph, a, b) {
  return graph.loss_edges.find((e) => (e.from === a && e.to === b) || (e.from === b && e.to === a));
}

// Edges a step's signal travels along, for the pulse: [{id, from, to, backward}].
export function stepEdges(trace, step, byId) {
  const out = [];
  const backward = step.phase === "backward";
  if (step.phase === "check" || step.phase === "update" || step.phase === "accumulate") return out;
  const push = (id) => { const e = byId.get(id); if (e && e.type !== "node" && e.type !== "bias" && !out.some((o) => o.id === id)) out.push({ id, from: e.from, to: e.to, backward }); };
  if (step.kind === "loss_term" || step.kind === "loss_grad") {
    const e = lossEdgeBetween(trace.graph, step.elements[0], step.elements[1]);
    if (e) push(e.id);
  } else if (step.kind === "loss_total") {
    trace.graph.loss_edges.filter((e) => e.to === step.elements[0]).forEach((e) => push(e.id));
  } else if (step.kind === "hidden_sum") {
    step.elements.slice(1).forEach(push);
  } else if (step.kind === "node_activation" || step.kind.endsWith("_delta")) {
    return out; // happens inside a neuron
  } else {
    // edge_product, node_sum (neuron-by-neuron mode), weight gradients: the step's edges
    step.elements.forEach(push);
    (step.rows || []).forEach((row) => push(row[0]));
  }
  return out;
}

// Every element the current step is about (highlighted in the picture).
export function activeIds(trace, step, byId) {
  const ids = new Set(step.elements);
  (step.rows || []).forEach((row) => ids.add(row[0]));
  stepEdges(trace, step, byId).forEach((e) => ids.add(e.id));
  return ids;
}

const sym = (byId, id, field = "symbol") => byId.get(id)?.[field] ?? id;

// The annotations step i adds (a later one with the same key replaces an earlier one's value
// but keeps its place: Map order is first insertion, so stacks and layers read the same).
export function stepAnnotations(trace, i, byId) {
  const out = [];
  // longCaption: what a line reads away from its element (in a callout or a tip), where a bare
  // "fwd" would not say whose it is.
  const add = (step, forId, anchor, kind, quantity, value, caption, longCaption = null) => {
    const key = `${forId}|${quantity}`;
    out.push({ key, for: forId, anchor, kind, quantity, value, caption, longCaption, order: orderOf(quantity), step });
  };
  {
    const s = trace.steps[i];
    const [el0] = s.elements;
    switch (s.kind) {
      case "edge_product":
        add(i, el0, el0, "forward", "product", s.value, s.symbol);
        break;
      case "node_sum":
        add(i, el0, el0, "forward", "a", s.value, sym(byId, el0, "pre_symbol"));
        break;
      case "node_activation":
        add(i, el0, el0, "forward", "h", s.value, sym(byId, el0));
        break;
      case "loss_term":
        add(i, el0, el0, "forward", "e", s.value, sym(byId, el0));
        break;
      case "loss_total":
        add(i, el0, el0, "forward", "E", s.value, s.symbol);
        break;
      case "loss_grad": {
        const e = lossEdgeBetween(trace.graph, el0, s.elements[1]);
        add(i, el0, e ? e.id : el0, "gradient", "dedo", s.value, s.symbol);
        break;
      }
      case "output_delta":
      case "hidden_delta":
      case "softmax_delta":
      case "delta_shortcut":
        add(i, el0, el0, "delta", "delta", s.value, s.symbol);
        break;
      case "batch_loss":
        add(i, el0, el0, "forward", "batch-E", s.value, s.symbol);
        break;
      case "accumulate":
        // Each sample's own gradient, then the batch's: the mean (or sum) the update uses.
        s.factors.forEach(([symbol, value], n) => add(i, el0, el0, "gradient", `grad-s${(s.samples?.[n] ?? n) + 1}`, value, symbol));
        add(i, el0, el0, "gradient", "batch", s.value, s.symbol);
        break;
      case "accumulate_rows":
        for (const [el, g] of s.rows || []) add(i, el, el, "gradient", "batch", g, `\\frac{\\partial E}{\\partial ${sym(byId, el)}}`);
        break;
      case "hidden_sum":
        add(i, el0, el0, "delta", "dEdh", s.value, s.symbol);
        // The per-output contributions w*delta that came back along each edge.
        for (const f of s.factors) {
          if (f[2] && byId.get(f[2])?.type === "edge") add(i, f[2], f[2], "gradient", "contribution", f[1], f[0]);
        }
        break;
      case "output_weight_grad":
      case "hidden_weight_grad":
      case "hidden_weight_grad_sum":
        add(i, el0, el0, "gradient", "grad", s.value, s.symbol);
        if (s.args && s.args.c != null) add(i, el0, el0, "gradient", "contribution", s.args.c, s.args.cs);
        break;
      case "per_output_grad": {
        const k = byId.get(s.elements[3])?.index ?? 0;
        add(i, el0, el0, "gradient", `grad-e${k + 1}`, s.value, s.symbol);
        break;
      }
      case "weight_grads":
        for (const [edge, , g, c] of s.rows || []) {
          add(i, edge, edge, "gradient", "grad", g, gradCaption(byId, edge, s.args?.tot));
          if (c != null) add(i, edge, edge, "gradient", "contribution", c, `${sym(byId, edge)} ${sym(byId, byId.get(edge)?.to, "delta_symbol")}`);
        }
        break;
      case "bias_grad":
        add(i, el0, el0, "gradient", "grad", s.value, s.symbol);
        break;
      case "grad_check": {
        for (const [el, , fd, cd, re] of s.rows || []) {
          const p = sym(byId, el);
          add(i, el, el, "check", "fd", fd, "\\text{fwd}", `\\text{fwd}(${p})`);
          add(i, el, el, "check", "cd", cd, "\\text{central}", `\\text{central}(${p})`);
          add(i, el, el, "check", "re", re, "\\text{rel. err}", `\\text{rel. err}(${p})`);
        }
        // Per-output forward differences; an element reached by one output only would just repeat fd.
        const perElement = new Map();
        for (const t of s.terms || []) perElement.set(t[2], (perElement.get(t[2]) || 0) + 1);
        for (const [symbol, value, el] of s.terms || []) {
          if (perElement.get(el) < 2) continue;
          const k = symbol.match(/e_\{(\d+)\}/)?.[1] ?? "1";
          add(i, el, el, "check", `fd-e${k}`, value, `\\text{fwd } e_{${k}}`, `\\text{fwd } e_{${k}}(${sym(byId, el)})`);
        }
        break;
      }
      case "update":
      case "update_momentum":
      case "update_adam":
        // The new value closes every update row, whatever the optimizer wrote before it.
        for (const row of s.rows || []) add(i, row[0], row[0], "update", "new", row.at(-1), `${sym(byId, row[0])}'`);
        break;
      default:
        break;
    }
  }
  return out;
}

// The loss is e_total for one sample, E_n for sample n of a batch (the step's args.tot).
function gradCaption(byId, id, total = "e_{total}") {
  return `\\frac{\\partial ${total}}{\\partial ${sym(byId, id)}}`;
}
