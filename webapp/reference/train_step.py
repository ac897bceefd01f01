"""One training step of a small neural network in plain NumPy.

The explainer shows this file beside its walkthrough. It does
what the app's engine does (forward pass, loss, backward pass,
a finite-difference check, a gradient-descent update) on its
own, one short function per phase, so a test can run both and
compare every number. It reads a network as the API does:

    result = train_step(spec)
    result["gradients"][0]  # dE/dW of the first weight layer

A comment "# step: <kind>" names the walkthrough steps that its
statement computes (on a line of its own: the statements below
it, up to a blank line or the next comment); the page marks those
lines as the walkthrough moves.
"""
import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def softmax(a):
    e = np.exp(a - a.max())  # minus the largest: no overflow
    return e / e.sum()


# Each activation: f(a) and its derivative f'(a). s is the slope
# of linear and leaky_relu; the others ignore it.
ACTIVATIONS = {
    "linear": (lambda a, s: s * a,
               lambda a, s: np.full_like(a, s)),
    "sigmoid": (lambda a, s: sigmoid(a),
                lambda a, s: sigmoid(a) * (1 - sigmoid(a))),
    "tanh": (lambda a, s: np.tanh(a),
             lambda a, s: 1 - np.tanh(a) ** 2),
    "relu": (lambda a, s: np.maximum(a, 0),
             lambda a, s: (a > 0) * 1.0),
    "leaky_relu": (lambda a, s: np.where(a > 0, a, s * a),
                   lambda a, s: np.where(a > 0, 1.0, s)),
    # Not elementwise: backward() goes through its Jacobian.
    "softmax": (lambda a, s: softmax(a), None),
}
DEFAULT_SLOPES = {"linear": 1.0, "leaky_relu": 0.01}

# Each loss: its terms e_k(o, t), adding up to E, and de_k/do_k.
LOSSES = {
    "sse": (lambda o, t: (t - o) ** 2,
            lambda o, t: -2 * (t - o)),
    "mse": (lambda o, t: (t - o) ** 2 / len(o),
            lambda o, t: -2 * (t - o) / len(o)),
    "half_sse": (lambda o, t: (t - o) ** 2 / 2,
                 lambda o, t: -(t - o)),
    "bce": (lambda o, t: -(t * np.log(o)
                           + (1 - t) * np.log(1 - o)),
            lambda o, t: (o - t) / (o * (1 - o))),
    "cce": (lambda o, t: -t * np.log(o),
            lambda o, t: -t / o),
}


def forward(W, b, acts, x):
    """Every layer's sums a = W h + b and outputs h = f(a)."""
    hs, sums = [x], []
    for l, (name, s) in enumerate(acts):
        products = W[l] * hs[-1]  # step: edge_product
        a = products.sum(axis=1)  # step: node_sum
        if b is not None:
            a = a + b[l]  # step: node_sum
        sums.append(a)
        # step: node_activation
        f = ACTIVATIONS[name][0]
        hs.append(f(a, s))
    return sums, hs


def loss(name, o, t):
    """The loss terms e_k of outputs o against targets t."""
    e = LOSSES[name][0](o, t)  # step: loss_term
    return e, e.sum()  # step: loss_total


def backward(W, acts, sums, hs, t, loss_name):
    """dE/dW and dE/db of every layer, from the output down."""
    o, (name, s) = hs[-1], acts[-1]
    dE_do = LOSSES[loss_name][1](o, t)  # step: loss_grad
    if name == "softmax":  # every output depends on every sum
        # step: softmax_jacobian
        J = np.diag(o) - np.outer(o, o)  # do_j/da_k
        delta = J.T @ dE_do  # step: softmax_delta
        if loss_name == "cce":
            delta = o - t  # step: delta_shortcut
    else:
        # step: output_delta
        df = ACTIVATIONS[name][1](sums[-1], s)  # f'(a)
        delta = dE_do * df
    dW, db = [None] * len(W), [None] * len(W)
    for l in reversed(range(len(W))):
        # step: output_weight_grad weight_grads
        # step: hidden_weight_grad hidden_weight_grad_sum
        # step: per_output_grad
        dW[l] = np.outer(delta, hs[l])  # signal x edge's input
        db[l] = delta  # step: bias_grad
        if l > 0:  # carry the error signal back one layer
            name, s = acts[l - 1]
            dE_dh = W[l].T @ delta  # step: hidden_sum
            # step: hidden_delta
            df = ACTIVATIONS[name][1](sums[l - 1], s)
            delta = dE_dh * df
    return dW, db


def accumulate(per_sample, scale):
    """A mini-batch's loss and gradient: the mean (or sum) of
    its samples'. scale is 1/N for the mean, 1 for the sum."""
    # step: batch_loss
    E = sum(r["E"] for r in per_sample) * scale
    # step: accumulate accumulate_rows
    by_param = zip(*(r["grads"] for r in per_sample))
    grads = [sum(g) * scale for g in by_param]

    return E, grads


def check(params, loss_of, eps):
    """Finite differences: nudge each parameter by eps and
    recompute the loss E. Forward: (E(p+eps) - E) / eps;
    central: (E(p+eps) - E(p-eps)) / (2 eps). Backprop should
    agree with both."""
    E = loss_of()
    forward_diff, central_diff = [], []
    for p in params:  # step: grad_check
        fd, cd = np.zeros_like(p), np.zeros_like(p)
        for i in np.ndindex(p.shape):
            old = p[i]
            p[i] = old + eps
            E_plus = loss_of()
            p[i] = old - eps
            E_minus = loss_of()
            p[i] = old  # put it back
            fd[i] = (E_plus - E) / eps
            cd[i] = (E_plus - E_minus) / (2 * eps)
        forward_diff.append(fd)
        central_diff.append(cd)
    return forward_diff, central_diff


def update(params, grads, lr):
    """Gradient descent: each parameter against its gradient."""
    # step: update
    return [p - lr * g for p, g in zip(params, grads)]


def train_step(spec):
    """One step on the spec's sample (or mini-batch)."""
    W = [np.array(w, dtype=float) for w in spec["weights"]]
    b = spec.get("biases")  # None: a network without biases
    if b is not None:
        b = [np.array(v, dtype=float) for v in b]
    acts = []  # (name, slope) of each layer after the inputs
    for a in spec["activations"]:
        s = a.get("slope")
        if s is None:  # the default slope, if it takes one
            s = DEFAULT_SLOPES.get(a["name"])
        acts.append((a["name"], s))
    data = [(np.array(d["inputs"], dtype=float),
             np.array(d["targets"], dtype=float))
            for d in spec.get("samples") or [spec]]
    mean = spec.get("reduction", "mean") == "mean"
    scale = 1 / len(data) if mean else 1.0
    params = W + (b or [])  # weights first, then biases

    per_sample = []
    for x, t in data:
        sums, hs = forward(W, b, acts, x)
        e, E = loss(spec["loss"], hs[-1], t)
        dW, db = backward(W, acts, sums, hs, t, spec["loss"])
        grads = dW + (db if b else [])  # weights, then biases
        per_sample.append({"sums": sums, "outputs": hs, "e": e,
                           "E": E, "grads": grads})
    E, grads = accumulate(per_sample, scale)

    def loss_of():  # the batch's loss at the parameters now
        E = 0.0
        for x, t in data:
            o = forward(W, b, acts, x)[1][-1]
            E += loss(spec["loss"], o, t)[1]
        return E * scale

    fd, cd = check(params, loss_of, spec["epsilon"])
    new = update(params, grads, spec["learning_rate"])
    return {"samples": per_sample, "E": E, "gradients": grads,
            "forward_diff": fd, "central_diff": cd,
            "updated": new}


if __name__ == "__main__":  # the worked example: f(a) = 2a
    linear = {"name": "linear", "slope": 2.0}
    example = {"weights": [[[0.5]], [[0.2], [0.1]]],
               "biases": None, "activations": [linear, linear],
               "loss": "sse", "inputs": [3.0],
               "targets": [2.0, 1.0],
               "epsilon": 1e-6, "learning_rate": 0.1}
    result = train_step(example)
    print("E =", result["E"])
    for l, g in enumerate(result["gradients"]):
        print(f"dE/dW[{l}] =", g.tolist())
