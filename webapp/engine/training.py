"""Training runs: many iterations of gradient descent on a dataset, vectorised over each batch.

One iteration k takes its batch (samples (k*b) mod N ... in order, or a seeded permutation per
epoch with shuffle), computes the batch loss E and its gradient as a mini-batch walkthrough
would (the mean, or the sum, of the samples'), records them, and lets the optimizer move every
weight and bias:

  sgd       w <- w - lr g
  momentum  v <- mu v + g;  w <- w - lr v                        (v starts at 0)
  adam      m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2;
            m^ = m / (1 - b1^t);  v^ = v / (1 - b2^t);  w <- w - lr m^ / (sqrt(v^) + eps)   (t from 1)

A run is a pure function of its request, so the walkthrough of iteration k is a replay
(`replay_to`), not a stored run. A loss that stops being finite ends the run (`diverged_at`).
"""
from dataclasses import dataclass, field, replace

import numpy as np

from .activations import ACTIVATIONS, resolve_slope
from .losses import LOSSES
from .network import NetworkSpec, loss_terms, uses_shortcut

OPTIMIZER_DEFAULTS = {
    "sgd": {"learning_rate": 0.1},
    "momentum": {"learning_rate": 0.1, "momentum": 0.9},
    "adam": {"learning_rate": 0.01, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
}
MAX_ITERATIONS = 10_000
MAX_SNAPSHOTS = 200
MAX_RECORDS = 500  # whole-set loss, accuracy and gradient norms at most this many times


@dataclass(frozen=True)
class Optimizer:
    name: str
    learning_rate: float
    momentum: float = 0.9
    beta1: float = 0.9
    beta2: float = 0.999
    epsilon: float = 1e-8


@dataclass(frozen=True)
class TrainSpec:
    network: NetworkSpec  # its inputs/targets are unused; its weights are the starting point
    inputs: np.ndarray  # (N, n0)
    targets: np.ndarray  # (N, K)
    optimizer: Optimizer
    batch_size: int
    iterations: int
    shuffle: bool = False
    seed: int = 0
    classification: bool = False  # accuracy is recorded (targets 0/1 or one-hot)


@dataclass
class OptimizerState:
    """What momentum and Adam carry from one iteration to the next, per parameter array."""
    t: int = 0
    first: list = field(default_factory=list)  # v (momentum) or m (adam)
    second: list = field(default_factory=list)  # v (adam)


def batch_indices(spec: TrainSpec, k: int) -> np.ndarray:
    """The samples of iteration k: in order, wrapping around, or a seeded permutation per epoch."""
    n, b = len(spec.inputs), spec.batch_size
    positions = np.arange(k * b, k * b + b)
    if not spec.shuffle:
        return positions % n
    epochs = positions // n
    out = np.empty(b, dtype=int)
    for epoch in np.unique(epochs):
        order = np.random.default_rng([spec.seed, int(epoch)]).permutation(n)
        mask = epochs == epoch
        out[mask] = order[positions[mask] % n]
    return out


def _activation(net: NetworkSpec, l: int):
    la = net.activations[l]
    return ACTIVATIONS[la.name], resolve_slope(la.name, la.slope)


def forward(net: NetworkSpec, weights, biases, x: np.ndarray):
    """Sums and activations of every layer for a batch x (B, n0)."""
    hs, sums = [x], []
    for l, w in enumerate(weights):
        a = hs[-1] @ w.T
        if biases is not None:
            a = a + biases[l]
        act, slope = _activation(net, l)
        sums.append(a)
        hs.append(act.f(a, slope))
    return sums, hs


def batch_loss_and_gradient(net: NetworkSpec, weights, biases, x, t, reduction="mean"):
    """(E, per-sample losses, weight gradients, bias gradients) of a batch: E is the mean (or sum)
    of the samples' losses and the gradients are E's."""
    loss = LOSSES[net.loss]
    sums, hs = forward(net, weights, biases, x)
    o = hs[-1]
    per_sample = loss_terms(net, loss, sums[-1], o, t).sum(axis=1)
    scale = 1.0 / len(x) if reduction == "mean" else 1.0
    act, slope = _activation(net, len(weights) - 1)
    if uses_shortcut(net, loss):
        delta = loss.delta_shortcut(o, t)
    elif act.jacobian is not None:
        jac = np.stack([act.jacobian(a) for a in sums[-1]])  # (B, K, K): do_j/da_k
        delta = np.einsum("bjk,bj->bk", jac, loss.dterm(o, t))
    else:
        delta = loss.dterm(o, t) * act.df(sums[-1], slope)
    grad_w, grad_b = [None] * len(weights), [None] * len(weights)
    for l in range(len(weights) - 1, -1, -1):
        grad_w[l] = scale * delta.T @ hs[l]
        grad_b[l] = scale * delta.sum(axis=0)
        if l > 0:
            act, slope = _activation(net, l - 1)
            delta = (delta @ weights[l]) * act.df(sums[l - 1], slope)
    return float(per_sample.sum() * scale), per_sample, grad_w, (grad_b if biases is not None else None)


def step(optimizer: Optimizer, state: OptimizerState, params: list, grads: list) -> list:
    """The parameters after one update, advancing the optimizer's state."""
    state.t += 1
    lr = optimizer.learning_rate
    if optimizer.name == "sgd":
        return [p - lr * g for p, g in zip(params, grads)]
    if not state.first:
        state.first = [np.zeros_like(p) for p in params]
        state.second = [np.zeros_like(p) for p in params]
    if optimizer.name == "momentum":
        state.first = [optimizer.momentum * v + g for v, g in zip(state.first, grads)]
        return [p - lr * v for p, v in zip(params, state.first)]
    b1, b2 = optimizer.beta1, optimizer.beta2
    state.first = [b1 * m + (1 - b1) * g for m, g in zip(state.first, grads)]
    state.second = [b2 * v + (1 - b2) * g * g for v, g in zip(state.second, grads)]
    m_hat = [m / (1 - b1 ** state.t) for m in state.first]
    v_hat = [v / (1 - b2 ** state.t) for v in state.second]
    return [p - lr * m / (np.sqrt(v) + optimizer.epsilon) for p, m, v in zip(params, m_hat, v_hat)]


def iteration_gradient(spec: TrainSpec, weights, biases, k: int):
    """(E, weight gradients, bias gradients) of iteration k's batch at the given parameters."""
    idx = batch_indices(spec, k)
    with np.errstate(all="ignore"):
        e, _, gw, gb = batch_loss_and_gradient(spec.network, weights, biases, spec.inputs[idx], spec.targets[idx],
                                               spec.network.reduction)
    return e, gw, gb


def _split(params: list, n_weights: int, has_biases: bool):
    return params[:n_weights], (params[n_weights:] if has_biases else None)


def _accuracy(o: np.ndarray, t: np.ndarray) -> float:
    """The share of samples classified right: o > 0.5 against t for one output, the arg-max otherwise."""
    if o.shape[1] == 1:
        return float(np.mean((o[:, 0] > 0.5) == (t[:, 0] > 0.5)))
    return float(np.mean(np.argmax(o, axis=1) == np.argmax(t, axis=1)))


def record_every(iterations: int) -> int:
    """Whole-set figures are recorded every this many iterations (and at the last)."""
    return max(1, -(-iterations // MAX_RECORDS))


def snapshot_iterations(iterations: int) -> list[int]:
    """Up to MAX_SNAPSHOTS evenly spaced iterations whose starting weights are kept (0 and the end)."""
    count = min(MAX_SNAPSHOTS, iterations + 1)
    return sorted({round(i * iterations / (count - 1)) for i in range(count)}) if count > 1 else [0]


def train(spec: TrainSpec) -> dict:
    """The run: history, final parameters, snapshots and where it diverged (plain numpy arrays)."""
    net = spec.network
    weights = [np.array(w, dtype=float) for w in net.weights]
    biases = None if net.biases is None else [np.array(b, dtype=float) for b in net.biases]
    state = OptimizerState()
    every, snaps = record_every(spec.iterations), set(snapshot_iterations(spec.iterations))
    history = {"loss": [], "full_loss": [], "at": [], "accuracy": [], "grad_norm": [[] for _ in weights]}
    snapshots, diverged_at = [], None
    for k in range(spec.iterations + 1):
        if k in snaps:
            snapshots.append({"iteration": k, "weights": [w.copy() for w in weights],
                              "biases": None if biases is None else [b.copy() for b in biases]})
        if k == spec.iterations:
            break
        e, gw, gb = iteration_gradient(spec, weights, biases, k)
        if not np.isfinite(e) or not all(np.all(np.isfinite(g)) for g in gw + (gb or [])):
            diverged_at = k
            break
        history["loss"].append(e)
        if k % every == 0 or k == spec.iterations - 1:
            _record(spec, history, k, weights, biases, gw)
        with np.errstate(all="ignore"):
            params = step(spec.optimizer, state, weights + (biases or []), gw + (gb or []))
        weights, biases = _split(params, len(weights), biases is not None)
    return {"history": history, "final": {"weights": weights, "biases": biases}, "snapshots": snapshots,
            "diverged_at": diverged_at}


def _record(spec, history, k, weights, biases, grad_w):
    with np.errstate(all="ignore"):
        full, _, _, _ = batch_loss_and_gradient(spec.network, weights, biases, spec.inputs, spec.targets,
                                                spec.network.reduction)
        o = forward(spec.network, weights, biases, spec.inputs)[1][-1]
    history["at"].append(k)
    history["full_loss"].append(full)
    if spec.classification:
        history["accuracy"].append(_accuracy(o, spec.targets))
    for l, g in enumerate(grad_w):
        history["grad_norm"][l].append(float(np.linalg.norm(g)))


def replay_to(spec: TrainSpec, k: int):
    """(weights, biases, optimizer state) just before iteration k: the run replayed, not stored."""
    net = spec.network
    weights = [np.array(w, dtype=float) for w in net.weights]
    biases = None if net.biases is None else [np.array(b, dtype=float) for b in net.biases]
    state = OptimizerState()
    for i in range(k):
        _, gw, gb = iteration_gradient(spec, weights, biases, i)
        with np.errstate(all="ignore"):
            params = step(spec.optimizer, state, weights + (biases or []), gw + (gb or []))
        weights, biases = _split(params, len(weights), biases is not None)
    return weights, biases, state


def iteration_spec(spec: TrainSpec, k: int) -> NetworkSpec:
    """The mini-batch of iteration k with the weights before it, as a walkthrough's spec."""
    weights, biases, _ = replay_to(spec, k)
    idx = batch_indices(spec, k)
    samples = tuple((spec.inputs[i], spec.targets[i]) for i in idx)
    return replace(spec.network, weights=tuple(weights), biases=None if biases is None else tuple(biases),
                   inputs=samples[0][0], targets=samples[0][1], samples=samples,
                   learning_rate=spec.optimizer.learning_rate)


def iteration_update(spec: TrainSpec, k: int) -> dict | None:
    """What the optimizer does at iteration k, for the walkthrough: the parameters before, the batch
    gradient, the state before and after and the parameters after (weights, then biases); None for sgd,
    whose update the walkthrough writes from the gradient alone."""
    if spec.optimizer.name == "sgd":
        return None
    weights, biases, state = replay_to(spec, k)
    _, gw, gb = iteration_gradient(spec, weights, biases, k)
    params, grads = weights + (biases or []), gw + (gb or [])
    before = {"first_prev": [a.copy() for a in state.first] or [np.zeros_like(p) for p in params],
              "second_prev": [a.copy() for a in state.second] or [np.zeros_like(p) for p in params]}
    with np.errstate(all="ignore"):
        new = step(spec.optimizer, state, params, grads)
    o = spec.optimizer
    record = {"name": o.name, "t": state.t, "old": params, "g": grads, "new": new, "first": state.first,
              "second": state.second, **before}
    if o.name == "momentum":
        record["settings"] = {"lr": o.learning_rate, "mu": o.momentum}
    else:
        record["settings"] = {"lr": o.learning_rate, "beta1": o.beta1, "beta2": o.beta2, "eps": o.epsilon}
        record["m_hat"] = [m / (1 - o.beta1 ** state.t) for m in state.first]
        record["v_hat"] = [v / (1 - o.beta2 ** state.t) for v in state.second]
    return record
