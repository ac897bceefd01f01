"""The full view of a trace: every step with the fields the trace leaves to its graph and arrays.

A trace sends each value once. A step does not repeat its phase (the templates' table has it per
kind), and the steps about one neuron do not repeat what the graph and the arrays already hold:

- node_sum and hidden_sum with `values`: the factors are the edges into the neuron (then its
  bias), or out of it, in the graph's order: [edge symbol + " " + source symbol (into) or target's
  error signal symbol (out of), value, edge id]; elements = [node, edge ids...];
- weight_grads: the rows are the edges into the neuron, [edge, input, gradient] and, with
  `values`, what the edge carries back; elements = [edge ids..., node];
- grad_check: the rows are the parameters into the neuron (edges, then bias),
  [id, gradient, forward difference, central difference] + the step's [relative error, E(p + eps)];
- update: the rows are [id, old value, gradient, new value];
- grad_check and update: args E (loss.total) and eps (numeric_gradients.epsilon), lr
  (updated.learning_rate).

The arrays are the trace's own (spec, gradients, numeric_gradients, updated), or for a step of
sample n of a mini-batch that sample's (per_sample[n].forward and .gradients). static/js/expand.js
is the same for the page; tests/unit/test_expand.py runs both on the same traces.
"""
from .templates import PHASES


class _Graph:
    """Lookups of one trace's graph: nodes and biases by id, the edges into and out of each node."""

    def __init__(self, graph):
        self.nodes = {n["id"]: n for n in graph["nodes"]}
        self.into, self.out_of = {}, {}
        for e in graph["edges"]:
            self.into.setdefault(e["to"], []).append(e)
            self.out_of.setdefault(e["from"], []).append(e)
        self.bias = {b["node"]: b for b in graph["biases"]}

    def params(self, node_id):
        """(kind, element id, layer, j, i or None) of the weights and bias into a node, in order."""
        node = self.nodes[node_id]
        out = [("weights", e["id"], node["layer"], node["index"], self.nodes[e["from"]]["index"])
               for e in self.into.get(node_id, [])]
        if node_id in self.bias:
            out.append(("biases", self.bias[node_id]["id"], node["layer"], node["index"], None))
        return out

    def source_symbol(self, edge, sample):
        src = self.nodes[edge["from"]]
        return src["sample_symbols"][sample] if sample is not None and "sample_symbols" in src else src["symbol"]


def _cell(arrays, kind, l, j, i):
    layer = arrays[kind][l - 1]
    return layer[j] if i is None else layer[j][i]


def expand_trace(trace: dict) -> dict:
    """A copy of the trace whose steps carry every field (see the module doc); arrays are shared."""
    g = _Graph(trace["graph"])
    return {**trace, "steps": [_expand_step(trace, g, step) for step in trace["steps"]]}


def _expand_step(trace, g, step):
    if "phase" in step:  # already the full view (a trace sends no phase): expanding twice changes nothing
        return step
    step = {"factors": [], **step, "phase": PHASES[step["kind"]]}
    kind, node = step["kind"], step["elements"][0]
    sample = step.get("sample")
    if kind in ("node_sum", "hidden_sum") and "values" in step:
        values = step.pop("values")
        if kind == "node_sum":
            edges = g.into.get(node, [])
            factors = [[f'{e["symbol"]} {g.source_symbol(e, sample)}', v, e["id"]] for e, v in zip(edges, values)]
            if node in g.bias:
                factors.append([g.bias[node]["symbol"], values[-1], g.bias[node]["id"]])
        else:
            edges = g.out_of.get(node, [])
            factors = [[f'{e["symbol"]} {g.nodes[e["to"]]["delta_symbol"]}', v, e["id"]] for e, v in zip(edges, values)]
        step["factors"] = factors
        step["elements"] = [node] + [f[2] for f in factors]
    elif kind == "weight_grads":
        step.update(_weight_grads(trace, g, step, node, sample))
    elif kind in ("grad_check", "update"):
        step.update(_param_rows(trace, g, step, node))
        if kind == "grad_check":
            step["args"] = {"E": trace["loss"]["total"], "eps": trace["numeric_gradients"]["epsilon"],
                            **step.get("args", {})}
        else:
            step["args"] = {"lr": trace["updated"]["learning_rate"], **step.get("args", {})}
    return step


def _weight_grads(trace, g, step, node, sample):
    own = trace if sample is None else trace["per_sample"][sample]
    h, grads = own["forward"]["activations"], own["gradients"]
    back = step.pop("values", None)
    rows = []
    for n, (_, element, l, j, i) in enumerate(p for p in g.params(node) if p[0] == "weights"):
        row = [element, h[l - 1][i], grads["weights"][l - 1][j][i]]
        rows.append(row + [back[n]] if back is not None else row)
    return {"rows": rows, "elements": [r[0] for r in rows] + [node]}


def _param_rows(trace, g, step, node):
    params = g.params(node)
    if step["kind"] == "grad_check":
        numeric = trace["numeric_gradients"]
        rows = [[element, _cell(trace["gradients"], kind, l, j, i), _cell(numeric["forward"], kind, l, j, i),
                 _cell(numeric["central"], kind, l, j, i), *own]
                for (kind, element, l, j, i), own in zip(params, step["rows"])]
    else:
        rows = [[element, _cell(trace["spec"], kind, l, j, i), _cell(trace["gradients"], kind, l, j, i),
                 _cell(trace["updated"], kind, l, j, i)] for kind, element, l, j, i in params]
    return {"rows": rows, "elements": [p[1] for p in params] + [node]}
