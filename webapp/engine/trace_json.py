"""The whole trace as plain JSON data: graph, arrays and steps, and its encoding.

Everything leaving here is a Python float, int, str, list, dict or None: numpy values
are converted and non-finite numbers become None, recorded in the trace's `nonfinite`
list and flagged on the step they belong to. Numbers are rounded to SIGNIFICANT_DIGITS,
the precision the page shows. A one-sample trace takes its numbers from the step builder's
rounded tables, so it is walked number by number (`clean`) only when one was not finite; a
mini-batch's is always walked.
"""
import math

import numpy as np
import orjson

from .activations import resolve_slope
from .batch import BatchSteps
from .losses import LOSSES
from .network import NetworkSpec, output_jacobian
from .notation import Notation, latex_to_text
from .rounding import SIGNIFICANT_DIGITS, rnd
from .tables import rounded_lists
from .trace import SCHEMA_VERSION, build_steps


def _maybe(f, x):
    return None if x is None else f(x)


def _graph(spec: NetworkSpec, nt: Notation, bias_values) -> dict:
    last = len(spec.layers) - 1
    nodes, edges, biases = [], [], []
    for l, n in enumerate(spec.layers):
        role = "input" if l == 0 else "output" if l == last else "hidden"
        for j in range(n):
            node = {"id": nt.node_id(l, j), "layer": l, "index": j, "role": role,
                    "symbol": nt.act(l, j), "label": latex_to_text(nt.act(l, j))}
            if l > 0:
                node["pre_symbol"] = nt.pre(l, j)
                node["delta_symbol"] = nt.delta(l, j)
            elif spec.samples is not None:  # x_{ni}: the inputs of each sample of a mini-batch
                node["sample_symbols"] = [Notation(spec.layers, n).act(0, j) for n in range(len(spec.samples))]
            nodes.append(node)
    for k in range(spec.layers[-1]):
        nodes.append({"id": nt.loss_id(k), "layer": last + 1, "index": k, "role": "loss",
                      "symbol": nt.loss(k), "label": latex_to_text(nt.loss(k))})
    total = nt.TOTAL if spec.samples is None else Notation.BATCH_TOTAL
    nodes.append({"id": nt.TOTAL_ID, "layer": last + 2, "index": 0, "role": "total",
                  "symbol": total, "label": latex_to_text(total)})
    for l in range(1, last + 1):
        ids, syms = nt.layer_table("weight_ids", l), nt.layer_table("weights", l)
        sources = nt.layer_table("ids", l - 1)
        for j, node in enumerate(nt.layer_table("ids", l)):
            # Lean on purpose (2,304 of these in the largest network): the weight's
            # value is spec.weights[layer - 1][to.index][from.index].
            edges += [{"id": e, "from": src, "to": node, "symbol": sym}
                      for e, src, sym in zip(ids[j], sources, syms[j])]
            if spec.biases is not None:
                sym = nt.bias(l, j)
                biases.append({"id": nt.bias_id(l, j), "layer": l, "node": nt.node_id(l, j),
                               "symbol": sym, "label": latex_to_text(sym), "bias": bias_values[l - 1][j]})
    loss_edges = []
    for k in range(spec.layers[-1]):
        loss_edges.append({"id": f"loss-{k}", "from": nt.node_id(last, k), "to": nt.loss_id(k)})
        loss_edges.append({"id": f"total-{k}", "from": nt.loss_id(k), "to": nt.TOTAL_ID})
    layers = [{"index": 0, "size": spec.layers[0], "role": "input"}]
    for l in range(1, last + 1):
        la = spec.activations[l - 1]
        layers.append({"index": l, "size": spec.layers[l], "role": "output" if l == last else "hidden",
                       "activation": la.name, "slope": _maybe(rnd, resolve_slope(la.name, la.slope))})
    return {"layers": layers, "nodes": nodes, "edges": edges, "loss_edges": loss_edges, "biases": biases}


def _lists(arrays):
    return None if arrays is None else [np.asarray(a).tolist() for a in arrays]


def _forward(r) -> dict:
    out = {"pre_activations": _lists(r.pre_activations), "activations": _lists(r.activations),
           "derivatives": _lists(r.derivatives)}
    return out


def _per_output(spec, r) -> list[dict]:
    """Per output k, its error signals de_k/da (de_k/dw_lji = de_k/da_lj h_(l-1)i, de_k/db_lj = de_k/da_lj)."""
    return [{"deltas": [d[k].tolist() for d in r.per_output_deltas]} for k in range(spec.layers[-1])]


def _sample_record(spec, r) -> dict:
    """One sample of a mini-batch: its forward pass, its loss E_n and its own gradient dE_n/dw."""
    return {"forward": _with_jacobian(spec, r, _forward(r)),
            "loss": {"per_output": r.loss_terms.tolist(), "total": r.loss_total, "output_grad": r.loss_grad.tolist()},
            "gradients": {"weights": _lists(r.grad_w), "biases": _lists(r.grad_b), "deltas": _lists(r.deltas),
                          "upstream": _lists(r.upstream)}}


def _with_jacobian(spec, r, forward: dict) -> dict:
    """The forward record, with do_j/da_k when the output layer is not elementwise (softmax)."""
    jacobian = output_jacobian(spec, r.pre_activations[-1])
    if jacobian is not None:
        forward["output_jacobian"] = jacobian.tolist()
    return forward


def build_trace(spec: NetworkSpec, granularity: str = "auto", update: dict | None = None) -> dict:
    """The trace of one sample, or of a mini-batch when the spec has samples: the same keys, the
    batch's loss, gradient, check and update, sample 0's forward pass, and `per_sample`. `update`:
    a training iteration's optimizer step (training.iteration_update) for momentum and Adam."""
    if spec.samples is None:
        return _single_trace(spec, build_steps(spec, granularity))
    b = BatchSteps(spec, granularity, update)
    one = b.res.samples[0]  # the sample the top-level arrays show
    num = b.res.numeric
    trace = {
        "schema_version": SCHEMA_VERSION,
        "spec": spec_to_dict(spec),
        "graph": _graph(spec, b.nt, spec.biases),
        "forward": _with_jacobian(spec, one, _forward(one)),
        "loss": {"name": spec.loss, "title": LOSSES[spec.loss].title,
                 "per_output": one.loss_terms.tolist(), "total": b.res.loss_total,
                 "output_grad": one.loss_grad.tolist()},
        "gradients": {"weights": _lists(b.res.grad_w), "biases": _lists(b.res.grad_b), "deltas": _lists(one.deltas),
                      "upstream": _lists(one.upstream), "per_output": _per_output(spec, one)},
        "numeric_gradients": {
            "epsilon": spec.epsilon,
            "forward": {"weights": _lists(num["forward"]["weights"]), "biases": _lists(num["forward"]["biases"])},
            "central": {"weights": _lists(num["central"]["weights"]), "biases": _lists(num["central"]["biases"])},
        },
        "updated": {"learning_rate": spec.learning_rate, "weights": _lists(b.res.updated_w),
                    "biases": _lists(b.res.updated_b)},
        "granularity": b.granularity,
        "per_output_steps": b.per_output_steps,
        "steps": b.steps,
    }
    trace["loss"]["reduction"] = spec.reduction
    trace["per_sample"] = [_sample_record(spec, r) for r in b.res.samples]
    return clean(trace)


def _single_trace(spec: NetworkSpec, b) -> dict:
    """One sample's trace, its numbers taken from the builder's rounded tables. Cleaned number by
    number (clean) only when something was not finite: otherwise every number is already rounded."""
    tb, params, r = b.tb, b.params, b.res
    jacobian = output_jacobian(spec, r.pre_activations[-1])
    extra, finite = rounded_lists({
        "per": [d[k] for k in range(spec.layers[-1]) for d in r.per_output_deltas],
        "jacobian": [] if jacobian is None else [jacobian]})
    n_layers, fields = len(spec.weights), params.fields
    per_output = [{"deltas": extra["per"][k * n_layers:(k + 1) * n_layers]} for k in range(spec.layers[-1])]

    def both(field):
        return {"weights": fields[f"weights.{field}"], "biases": fields.get(f"biases.{field}")}

    trace = {
        "schema_version": SCHEMA_VERSION,
        "spec": spec_to_dict(spec, tb),
        "graph": _graph(spec, b.nt, tb.b),
        "forward": {"pre_activations": tb.a, "activations": tb.h, "derivatives": tb.d},
        "loss": {"name": spec.loss, "title": LOSSES[spec.loss].title, "per_output": tb.e, "total": rnd(r.loss_total),
                 "output_grad": tb.dedo},
        "gradients": {"weights": tb.gw, "biases": tb.gb if spec.biases is not None else None, "deltas": tb.delta,
                      "upstream": tb.up, "per_output": per_output},
        "numeric_gradients": {"epsilon": rnd(spec.epsilon), "forward": both("fd"), "central": both("cd")},
        "updated": {"learning_rate": rnd(spec.learning_rate), **both("new")},
        "granularity": b.granularity,
        "per_output_steps": b.per_output_steps,
        "steps": b.steps,
    }
    if jacobian is not None:
        trace["forward"]["output_jacobian"] = extra["jacobian"][0]
    if not (finite and tb.finite and params.finite):
        return clean(trace)
    trace["nonfinite"], trace["has_nonfinite"] = [], False
    return trace


def encode(trace: dict) -> bytes:
    """The trace as compact JSON (orjson: the text json.dumps gives with "," and ":" separators, each number
    written in its shortest exact form, and several times faster)."""
    return orjson.dumps(trace, option=orjson.OPT_SERIALIZE_NUMPY)


def spec_to_dict(spec: NetworkSpec, tb=None) -> dict:
    """The validated request, as the API would take it again: one sample's inputs and targets, or a batch's
    samples. With `tb` (a one-sample walkthrough's Tables) its numbers are already rounded."""
    if tb is not None:
        return {"layers": list(spec.layers), "weights": tb.w, "biases": tb.b,
                "activations": [{"name": a.name, "slope": rnd(a.slope)} if a.slope is not None else {"name": a.name}
                                for a in spec.activations],
                "loss": spec.loss, "inputs": tb.h[0], "targets": tb.t,
                "epsilon": rnd(spec.epsilon), "learning_rate": rnd(spec.learning_rate)}
    if spec.samples is None:
        data = {"inputs": np.asarray(spec.inputs).tolist(), "targets": np.asarray(spec.targets).tolist()}
    else:
        data = {"samples": [{"inputs": np.asarray(i).tolist(), "targets": np.asarray(t).tolist()}
                            for i, t in spec.samples], "reduction": spec.reduction}
    return {
        "layers": list(spec.layers),
        "weights": _lists(spec.weights),
        "biases": _lists(spec.biases),
        "activations": [{"name": a.name, "slope": a.slope} if a.slope is not None else {"name": a.name}
                        for a in spec.activations],
        "loss": spec.loss,
        **data,
        "epsilon": spec.epsilon,
        "learning_rate": spec.learning_rate,
    }


_FLOATS = (float, np.float64)


def _round(v) -> float | None:
    return float(f"{v:.{SIGNIFICANT_DIGITS}g}") if math.isfinite(v) else None


def plain(x):
    """Any nesting of numpy arrays, numbers, lists and dicts as plain JSON data, numbers rounded to
    SIGNIFICANT_DIGITS; a non-finite number becomes None (for data that has none to report)."""
    if isinstance(x, np.ndarray):
        return plain(x.tolist())
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        return _round(float(x))
    return x


def clean(trace: dict) -> dict:
    """Plain floats everywhere; non-finite numbers become None and are listed by path."""
    missing = 0

    def walk(x):
        nonlocal missing
        t = type(x)
        if t is dict:
            return {k: walk(v) for k, v in x.items()}
        if t is list or t is tuple:
            if x and all(type(v) in _FLOATS for v in x):
                # Fast path for the long arrays of numbers (most of a large trace).
                out = [_round(v) for v in x]
                missing += out.count(None)
                return out
            return [walk(v) for v in x]
        if t in _FLOATS or isinstance(x, np.floating):
            f = _round(x)
            missing += f is None
            return f
        if t is bool or isinstance(x, np.bool_):
            return bool(x)
        if isinstance(x, (int, np.integer)):
            return int(x)
        return x

    steps = trace.pop("steps")
    out = walk(trace)
    out["steps"] = []
    for step in steps:
        before = missing
        s = walk(step)
        if missing > before:
            s["nonfinite"] = True
        out["steps"].append(s)
    # Paths are built only when something was missing: building them always costs a third
    # of the largest trace's time.
    bad = _nonfinite_paths(dict(trace, steps=steps)) if missing else []
    out["nonfinite"] = bad[:100]
    out["has_nonfinite"] = bool(bad)
    return out


def _nonfinite_paths(x, path="") -> list[str]:
    """Paths of the non-finite numbers in the raw (uncleaned) trace."""
    if isinstance(x, dict):
        return [p for k, v in x.items() for p in _nonfinite_paths(v, f"{path}.{k}" if path else k)]
    if isinstance(x, (list, tuple)):
        return [p for i, v in enumerate(x) for p in _nonfinite_paths(v, f"{path}[{i}]")]
    if isinstance(x, (float, np.floating)) and not math.isfinite(x):
        return [path]
    return []
