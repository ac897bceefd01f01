"""The engine's arrays as rounded Python lists, made once per layer for the step builders.

Every number a step carries is read from here, already rounded (rounding.py), so building a
step is list indexing: no numpy scalar access and no rounding per number. Lists are indexed
like the arrays: `w[l - 1][j][i]` is w_lji, `h[l][i]` the activation of neuron i of layer l
(layer 0 = inputs). `finite` says whether every number was finite; when one was not, the trace
is cleaned number by number, which also lists where the non-finite ones are.
"""
import numpy as np

from .rounding import rounded


def relative_errors(a, b) -> np.ndarray:
    """|a - b| / max(|a|, |b|) elementwise, 0 where both are 0 (trace.relative_error on arrays)."""
    scale = np.maximum(np.abs(a), np.abs(b))
    with np.errstate(all="ignore"):
        return np.where(scale == 0, 0.0, np.abs(a - b) / np.where(scale == 0, 1.0, scale))


def rounded_lists(groups: dict) -> tuple[dict, bool]:
    """{name: [array, ...]} -> ({name: [rounded nested list, ...]}, all finite), in one rounding pass."""
    flat = [np.asarray(a, dtype=float) for arrays in groups.values() for a in arrays]
    joined = np.concatenate([a.reshape(-1) for a in flat]) if flat else np.zeros(0)
    finite = bool(np.isfinite(joined).all())
    done, start, out = rounded(joined), 0, {}
    for name, arrays in groups.items():
        out[name] = []
        for a in arrays:
            a = np.asarray(a)
            out[name].append(done[start:start + a.size].reshape(a.shape).tolist())
            start += a.size
    return out, finite


class Tables:
    """Rounded lists of one sample's forward and backward pass (a Result)."""

    def __init__(self, spec, res):
        with np.errstate(all="ignore"):
            # w_lji h_(l-1)i, what edge w_lji carries forward, and w_lji delta_lj, what it carries back.
            products = [w * h[None, :] for w, h in zip(spec.weights, res.activations)]
            backs = [w * d[:, None] for w, d in zip(spec.weights, res.deltas)]
        groups = {"w": spec.weights, "b": spec.biases or (), "a": res.pre_activations, "h": res.activations,
                  "d": res.derivatives, "delta": res.deltas, "up": res.upstream, "gw": res.grad_w,
                  "gb": res.grad_b or (), "prod": products, "back": backs,
                  "e": [res.loss_terms], "dedo": [res.loss_grad], "t": [spec.targets]}
        out, self.finite = rounded_lists(groups)
        self.w, self.a, self.h, self.d = out["w"], out["a"], out["h"], out["d"]
        self.b = out["b"] if spec.biases is not None else None
        self.delta, self.up, self.gw, self.gb = out["delta"], out["up"], out["gw"], out["gb"]
        self.prod, self.back = out["prod"], out["back"]
        self.e, self.dedo, self.t = out["e"][0], out["dedo"][0], out["t"][0]


PARAM_FIELDS = ("fd", "cd", "re", "Ep", "new")


class ParamTables:
    """Per kind ("weights", "biases") and layer, rounded lists of each parameter's forward and central
    differences, relative error, E(p + eps) and updated value (PARAM_FIELDS), and per neuron the largest
    change the update makes. `res` is a Result or a mini-batch's BatchResult."""

    def __init__(self, spec, res):
        kinds = ("weights",) if spec.biases is None else ("weights", "biases")
        groups, changes = {}, None
        for kind in kinds:
            olds = spec.weights if kind == "weights" else spec.biases
            grads = res.grad_w if kind == "weights" else res.grad_b
            news = res.updated_w if kind == "weights" else res.updated_b
            num = res.numeric
            central = num["central"][kind]
            with np.errstate(all="ignore"):
                errors = [relative_errors(g, c) for g, c in zip(grads, central)]
                moved = [np.abs(n - o).reshape(len(o), -1).max(axis=1) for n, o in zip(news, olds)]
            changes = moved if changes is None else [np.maximum(a, b) for a, b in zip(changes, moved)]
            for field, arrays in zip(PARAM_FIELDS, (num["forward"][kind], central, errors, num["loss_plus"][kind],
                                                   news)):
                groups[f"{kind}.{field}"] = arrays
        groups["change"] = changes
        out, self.finite = rounded_lists(groups)
        self.kinds = kinds
        self.change = out.pop("change")
        self.fields = out

    def rows(self, kind: str, l: int, j: int, fields) -> list:
        """The fields of the parameters into neuron j of layer l, one list per field (over the
        neuron's incoming weights, or a one-element list for its bias)."""
        out = []
        for field in fields:
            values = self.fields[f"{kind}.{field}"][l - 1][j]
            out.append(values if kind == "weights" else [values])
        return out
