"""Forward pass, backward pass, finite differences and update on plain numpy arrays.

Layer 0 is the input layer; layer l (1..L-1) has weights W[l-1] of shape (n_l, n_{l-1}),
W[l-1][j, i] being the weight from neuron i of layer l-1 to neuron j of layer l.

`compute` works on one sample (spec.inputs, spec.targets). A batch (spec.samples) is
`compute_batch`: each sample computed on its own, then the batch loss E and its gradient
as the mean (or sum) of the samples' losses and gradients, and finite differences of E
itself, so the check compares backpropagation with the batch loss, not with a sum of checks.
"""
from dataclasses import dataclass, field, replace

import numpy as np

from .activations import ACTIVATIONS, resolve_slope
from .losses import LOSSES


@dataclass(frozen=True)
class LayerActivation:
    name: str
    slope: float | None = None


@dataclass(frozen=True)
class NetworkSpec:
    layers: tuple[int, ...]
    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...] | None
    activations: tuple[LayerActivation, ...]  # one per non-input layer
    loss: str
    inputs: np.ndarray
    targets: np.ndarray
    epsilon: float = 1e-6
    learning_rate: float = 0.1
    # A mini-batch: (inputs, targets) per sample; inputs/targets above are then sample 0's.
    samples: tuple[tuple[np.ndarray, np.ndarray], ...] | None = None
    reduction: str = "mean"  # of the samples' losses: "mean" or "sum"

    def sample(self, n: int) -> "NetworkSpec":
        """The one-sample spec of sample n of the batch."""
        inputs, targets = self.samples[n]
        return replace(self, inputs=inputs, targets=targets, samples=None)

    @property
    def batch_weight(self) -> float:
        """What each sample's loss is multiplied by in the batch loss: 1/N for the mean, 1 for the sum."""
        return 1.0 / len(self.samples) if self.reduction == "mean" else 1.0

    def param_arrays(self):
        """(kind, layer, array) for every trainable array, weights first, in layer order."""
        out = [("weights", l, w) for l, w in enumerate(self.weights)]
        if self.biases is not None:
            out += [("biases", l, b) for l, b in enumerate(self.biases)]
        return out


@dataclass
class Result:
    pre_activations: list[np.ndarray]  # a for layers 1..L-1
    activations: list[np.ndarray]  # h for layers 0..L-1 (layer 0 = inputs)
    derivatives: list[np.ndarray]  # f'(a) for layers 1..L-1
    loss_terms: np.ndarray  # e_k
    loss_total: float
    loss_grad: np.ndarray  # de_k/do_k
    deltas: list[np.ndarray]  # dE/da for layers 1..L-1
    upstream: list[np.ndarray]  # dE/dh for layers 1..L-1 (for the output layer: de/do)
    grad_w: list[np.ndarray]
    grad_b: list[np.ndarray] | None
    per_output_w: list[np.ndarray]  # [l] shape (K, n_l, n_{l-1}): de_k/dW
    per_output_b: list[np.ndarray] | None
    per_output_deltas: list[np.ndarray]  # [l] shape (K, n_l): de_k/da
    numeric: dict = field(default_factory=dict)
    updated_w: list[np.ndarray] = field(default_factory=list)
    updated_b: list[np.ndarray] | None = None


def _act(spec, l):
    la = spec.activations[l]
    return ACTIVATIONS[la.name], resolve_slope(la.name, la.slope)


def output_jacobian(spec, a_out):
    """do_j/da_k of the output layer when its activation is not elementwise (softmax), else None."""
    act = ACTIVATIONS[spec.activations[-1].name]
    return None if act.jacobian is None else act.jacobian(a_out)


def forward_batch(spec, weights, biases, start_layer, a_start):
    """Run layer start_layer's activation on a batch of its sums (P, n), then the layers above;
    returns the output layer's (sums, outputs)."""
    act, slope = _act(spec, start_layer)
    a, h = a_start, act.f(a_start, slope)
    for l in range(start_layer + 1, len(weights)):
        a = h @ weights[l].T
        if biases is not None:
            a = a + biases[l]
        act, slope = _act(spec, l)
        h = act.f(a, slope)
    return a, h


def loss_terms(spec, loss, a_out, o, t):
    """e_k; from the output sums themselves when the loss is defined with the output's activation
    (cross-entropy of softmax), which stays finite where an output underflows to 0."""
    if loss.term_from_sums is not None and spec.activations[-1].name == loss.needs_activation:
        return loss.term_from_sums(a_out, t)
    return loss.term(o, t)


def uses_shortcut(spec, loss) -> bool:
    """The loss meets the output activation it is defined with and has a simpler delta there (o - t)."""
    return loss.delta_shortcut is not None and spec.activations[-1].name == loss.needs_activation


def _forward(spec):
    hs = [np.asarray(spec.inputs, dtype=float)]
    as_, ds = [], []
    for l, w in enumerate(spec.weights):
        a = w @ hs[-1]
        if spec.biases is not None:
            a = a + spec.biases[l]
        act, slope = _act(spec, l)
        as_.append(a)
        hs.append(act.f(a, slope))
        ds.append(act.df(a, slope))
    return as_, hs, ds


def _perturbed_outputs(spec, kind, l, h_in, step):
    """The output sums and outputs with each entry of one parameter array moved by `step` in turn:
    two (entries, K) arrays."""
    arr = (spec.weights if kind == "weights" else spec.biases)[l]
    shape, p = arr.shape, arr.size
    idx = np.arange(p)
    if kind == "weights":
        wp = np.broadcast_to(arr, (p,) + shape).copy().reshape(p, -1)
        wp[idx, idx] = arr.reshape(-1) + step
        a = np.einsum("pji,i->pj", wp.reshape((p,) + shape), h_in)
        if spec.biases is not None:
            a = a + spec.biases[l]
    else:
        bp = np.broadcast_to(arr, (p,) + shape).copy()
        bp[idx, idx] = arr + step
        a = (spec.weights[l] @ h_in)[None, :] + bp
    return forward_batch(spec, spec.weights, spec.biases, l, a)


def _numeric(spec, loss, e_base):
    """Forward and central differences for every parameter, vectorised per array.

    The perturbed weight is formed exactly as the worked example does, (w + eps), and
    the layer's sums recomputed from it, so the figures match the document digit for digit.
    """
    eps = spec.epsilon
    t = spec.targets
    _, hs, _ = _forward(spec)
    out = {"forward": {"weights": [], "biases": None, "per_output_weights": [], "per_output_biases": None},
           "central": {"weights": [], "biases": None},
           "loss_plus": {"weights": [], "biases": None}, "loss_minus": {"weights": [], "biases": None}}
    if spec.biases is not None:
        for group, key in (("forward", "biases"), ("forward", "per_output_biases"), ("central", "biases"),
                           ("loss_plus", "biases"), ("loss_minus", "biases")):
            out[group][key] = []
    for kind, l, arr in spec.param_arrays():
        shape = arr.shape
        with np.errstate(all="ignore"):
            e_plus = loss_terms(spec, loss, *_perturbed_outputs(spec, kind, l, hs[l], +eps), t)  # (p, K)
            e_minus = loss_terms(spec, loss, *_perturbed_outputs(spec, kind, l, hs[l], -eps), t)
            per_out = (e_plus - e_base[None, :]) / eps  # (p, K)
            fwd = (e_plus.sum(axis=1) - e_base.sum()) / eps
            cen = (e_plus.sum(axis=1) - e_minus.sum(axis=1)) / (2.0 * eps)
        out["forward"][kind].append(fwd.reshape(shape))
        out["forward"]["per_output_" + kind].append(np.moveaxis(per_out, 1, 0).reshape((-1,) + shape))
        out["central"][kind].append(cen.reshape(shape))
        out["loss_plus"][kind].append(e_plus.sum(axis=1).reshape(shape))
        out["loss_minus"][kind].append(e_minus.sum(axis=1).reshape(shape))
    return out


def compute_forward(spec: NetworkSpec) -> np.ndarray:
    """The outputs alone, for checks that must run before the full computation."""
    with np.errstate(all="ignore"):
        return _forward(spec)[1][-1]


def compute(spec: NetworkSpec) -> Result:
    loss = LOSSES[spec.loss]
    t = np.asarray(spec.targets, dtype=float)
    with np.errstate(all="ignore"):
        as_, hs, ds = _forward(spec)
        o = hs[-1]
        e = loss_terms(spec, loss, as_[-1], o, t)
        dedo = loss.dterm(o, t)
        n_layers = len(spec.weights)
        deltas = [None] * n_layers
        upstream = [None] * n_layers
        # Per-output error signals: row k holds de_k/da for this layer.
        pdeltas = [None] * n_layers
        upstream[-1] = dedo
        jacobian = output_jacobian(spec, as_[-1])
        if jacobian is None:
            deltas[-1] = dedo * ds[-1]
            pdeltas[-1] = np.diag(dedo) * ds[-1][None, :]
        else:
            # Every output depends on every sum: delta_k = sum_j de/do_j do_j/da_k, which for
            # cross-entropy is o_k - t_k, exact where an output underflows and de/do does not exist.
            deltas[-1] = loss.delta_shortcut(o, t) if uses_shortcut(spec, loss) else jacobian.T @ dedo
            pdeltas[-1] = dedo[:, None] * jacobian
        for l in range(n_layers - 1, 0, -1):
            upstream[l - 1] = spec.weights[l].T @ deltas[l]
            deltas[l - 1] = upstream[l - 1] * ds[l - 1]
            pdeltas[l - 1] = (pdeltas[l] @ spec.weights[l]) * ds[l - 1][None, :]
        grad_w = [np.outer(deltas[l], hs[l]) for l in range(n_layers)]
        per_w = [pdeltas[l][:, :, None] * hs[l][None, None, :] for l in range(n_layers)]
        grad_b = per_b = None
        if spec.biases is not None:
            grad_b = [d.copy() for d in deltas]
            per_b = [pd.copy() for pd in pdeltas]
        lr = spec.learning_rate
        updated_w = [w - lr * g for w, g in zip(spec.weights, grad_w)]
        updated_b = None if spec.biases is None else [b - lr * g for b, g in zip(spec.biases, grad_b)]
    res = Result(
        pre_activations=as_, activations=hs, derivatives=ds, loss_terms=e,
        loss_total=float(e.sum()), loss_grad=dedo, deltas=deltas, upstream=upstream,
        grad_w=grad_w, grad_b=grad_b, per_output_w=per_w, per_output_b=per_b,
        per_output_deltas=pdeltas, updated_w=updated_w, updated_b=updated_b,
    )
    res.numeric = _numeric(spec, loss, e)
    return res


@dataclass
class BatchResult:
    """A mini-batch: each sample's Result and the batch's loss E, gradient and check (of E)."""
    samples: list[Result]
    loss_total: float
    grad_w: list[np.ndarray]
    grad_b: list[np.ndarray] | None
    numeric: dict
    updated_w: list[np.ndarray]
    updated_b: list[np.ndarray] | None


def _reduce(spec, arrays):
    """The batch's array from the samples' (mean or sum), elementwise."""
    return np.sum(arrays, axis=0) * spec.batch_weight


def _batch_numeric(spec, samples, loss_total):
    """Finite differences of E: E(p + eps) is the mean (or sum) of the samples' losses at p + eps."""
    eps = spec.epsilon
    kinds = ["weights"] + (["biases"] if spec.biases is not None else [])
    out = {"forward": {"weights": [], "biases": None}, "central": {"weights": [], "biases": None},
           "loss_plus": {"weights": [], "biases": None}, "loss_minus": {"weights": [], "biases": None}}
    for kind in kinds:
        count = len(spec.weights if kind == "weights" else spec.biases)
        plus = [_reduce(spec, [r.numeric["loss_plus"][kind][l] for r in samples]) for l in range(count)]
        minus = [_reduce(spec, [r.numeric["loss_minus"][kind][l] for r in samples]) for l in range(count)]
        with np.errstate(all="ignore"):
            out["forward"][kind] = [(p - loss_total) / eps for p in plus]
            out["central"][kind] = [(p - m) / (2.0 * eps) for p, m in zip(plus, minus)]
        out["loss_plus"][kind], out["loss_minus"][kind] = plus, minus
    return out


def compute_batch(spec: NetworkSpec) -> BatchResult:
    samples = [compute(spec.sample(n)) for n in range(len(spec.samples))]
    with np.errstate(all="ignore"):
        loss_total = float(sum(r.loss_total for r in samples) * spec.batch_weight)
        grad_w = [_reduce(spec, [r.grad_w[l] for r in samples]) for l in range(len(spec.weights))]
        grad_b = None
        if spec.biases is not None:
            grad_b = [_reduce(spec, [r.grad_b[l] for r in samples]) for l in range(len(spec.biases))]
        lr = spec.learning_rate
        updated_w = [w - lr * g for w, g in zip(spec.weights, grad_w)]
        updated_b = None if grad_b is None else [b - lr * g for b, g in zip(spec.biases, grad_b)]
    return BatchResult(samples=samples, loss_total=loss_total, grad_w=grad_w, grad_b=grad_b,
                       numeric=_batch_numeric(spec, samples, loss_total), updated_w=updated_w, updated_b=updated_b)
