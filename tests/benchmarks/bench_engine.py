"""In-process engine benchmark: time to build a trace and its JSON size, its cost against the bare
arithmetic it needs, and cost per edge as networks grow.

Run: python tests/benchmarks/bench_engine.py [--repeats 7]. Prints markdown tables.

The bare arithmetic is written here as plain vectorised numpy, apart from the engine: the forward
pass, the backward pass, and the two perturbed forward passes per parameter of the central
finite-difference check, every parameter of a layer perturbed at once (a batch of networks).
"""
import argparse
import json
import statistics
import time

import numpy as np
from common import BODIES, network

from webapp.engine import build_trace, encode
from webapp.spec import parse_body

# The reference network: 10 layers of 16, tanh, with biases.
NEAR_LIMIT = {"layers": [16] * 10, "weights": None, "seed": 1, "biases": True, "activation": "tanh",
              "inputs": [0.1] * 16, "targets": [0.2] * 16}

BARE = {  # f, f' of the activations the benchmarked networks use
    "tanh": (np.tanh, lambda a: 1.0 - np.tanh(a) ** 2),
    "sigmoid": (lambda a: 1.0 / (1.0 + np.exp(-a)), lambda a: np.exp(-a) / (1.0 + np.exp(-a)) ** 2),
}


def bare_arithmetic(weights, biases, x, t, activation):
    """Forward, backward (sum of squared errors) and the central differences of every parameter."""
    f, df = BARE[activation]
    hs, as_ = [x], []
    for w, b in zip(weights, biases):
        as_.append(w @ hs[-1] + b)
        hs.append(f(as_[-1]))
    delta = -2.0 * (t - hs[-1]) * df(as_[-1])
    grads = []
    for l in range(len(weights) - 1, -1, -1):
        grads.append((np.outer(delta, hs[l]), delta))
        if l:
            delta = (weights[l].T @ delta) * df(as_[l - 1])
    eps, central = 1e-6, []
    for l, (w, b) in enumerate(zip(weights, biases)):
        n_out, n_in = w.shape
        p = w.size
        moved = np.zeros((p, n_out, n_in))
        moved.reshape(p, -1)[np.arange(p), np.arange(p)] = 1.0
        for kind, shift in (("w", moved), ("b", np.eye(n_out))):
            losses = []
            for sign in (1.0, -1.0):
                if kind == "w":
                    a = np.einsum("pji,i->pj", w[None] + sign * eps * shift, hs[l]) + b
                else:
                    a = (w @ hs[l])[None] + b[None] + sign * eps * shift
                h = f(a)
                for w2, b2 in zip(weights[l + 1:], biases[l + 1:]):
                    h = f(h @ w2.T + b2)
                losses.append(((t - h) ** 2).sum(axis=1))
            central.append((losses[0] - losses[1]) / (2 * eps))
    return grads, central


def bare_args(body: dict):
    spec, _ = parse_body(json.dumps(body).encode())
    return ([np.asarray(w) for w in spec.weights], [np.asarray(b) for b in spec.biases], np.asarray(spec.inputs),
            np.asarray(spec.targets), spec.activations[0].name)


def timed(fn):
    """(wall seconds, CPU seconds of this process) of one call. The CPU time is what a shared machine's
    other work disturbs least."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(body: dict, repeats: int):
    """(median seconds to validate, trace and serialise, JSON bytes, trace) for one request body."""
    raw = json.dumps(body).encode()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        trace = build_trace(*parse_body(raw))
        text = encode(trace)
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(text), trace


def against_bare(body: dict, repeats: int):
    """Medians of (engine wall, engine CPU, bare wall, bare CPU) seconds, the two interleaved round by
    round so that both see the same load."""
    raw, args = json.dumps(body).encode(), bare_args(body)
    engine, bare = [], []
    for _ in range(repeats):
        engine.append(timed(lambda: encode(build_trace(*parse_body(raw)))))
        bare.append(timed(lambda: bare_arithmetic(*args)))
    return [statistics.median(x) for x in (*zip(*engine), *zip(*bare))]


def edges(layers):
    return sum(a * b for a, b in zip(layers, layers[1:]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)

    print("| network | engine ms (trace + JSON) | bare numpy ms | ratio | engine CPU ms | bare CPU ms | CPU ratio "
          "| JSON KB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, body in (("10x16 tanh, seed 1", NEAR_LIMIT), ("10x16 (largest), sigmoid, seed 7", BODIES["10x16 (largest)"])):
        encode(build_trace(*parse_body(json.dumps(body).encode())))  # a shape's symbols are made once, then reused
        ew, ec, bw, bc = against_bare(body, max(args.repeats, 15))
        size = len(encode(build_trace(*parse_body(json.dumps(body).encode()))))
        print(f"| {name} | {1000 * ew:.1f} | {1000 * bw:.1f} | {ew / bw:.1f} | {1000 * ec:.1f} | {1000 * bc:.1f} | "
              f"{ec / bc:.1f} | {size / 1000:.0f} |")
    print()

    print("| network | edges | steps | granularity | median ms | JSON KiB |")
    print("| --- | ---: | ---: | --- | ---: | ---: |")
    for name, body in BODIES.items():
        t, size, trace = measure(body, args.repeats)
        print(f"| {name} | {edges(body['layers'])} | {len(trace['steps'])} | {trace['granularity']} | "
              f"{1000 * t:.2f} | {size / 1024:.1f} |")

    # Growing edge counts, both sides of the two switches that shrink the walkthrough:
    # per-output steps stop past 512 (hidden parameters x outputs), edge steps past 300 weights.
    sweep = [[2, 2, 2], [4, 4, 4], [4, 8, 8, 4], [8, 8, 8, 8], [12, 12, 12], [16, 16, 16],
             [16, 16, 16, 16], [16] * 6, [16] * 8, [16] * 10]
    print()
    print("| layers | edges | granularity | per-output steps | median ms | µs per edge | JSON bytes per edge |")
    print("| --- | ---: | --- | --- | ---: | ---: | ---: |")
    for layers in sweep:
        t, size, trace = measure(network(layers), args.repeats)
        n = edges(layers)
        print(f"| {'-'.join(map(str, layers))} | {n} | {trace['granularity']} | {trace['per_output_steps']} | "
              f"{1000 * t:.2f} | {1e6 * t / n:.1f} | {size / n:.0f} |")


if __name__ == "__main__":
    main()
