"""Training speed: 2-8-8-1 tanh on 200 spiral points, full batch, 1,000 iterations of sgd, in process
(POST /api/train's own function) and over HTTP (waitress, loopback), each as a ratio to the same
arithmetic written here as plain vectorised numpy; and the size of a 10,000-iteration response.

Run: python tests/benchmarks/bench_train.py [--repeats 3]. Prints a markdown table.
"""
import argparse
import http.client
import json
import statistics
import time

import numpy as np
from common import start_server, stop_server

from webapp import create_app
from webapp.engine.datasets import generate
from webapp.train_api import run_training

BODY = {"network": {"layers": [2, 8, 8, 1], "weights": None, "biases": True, "activation": "tanh", "loss": "mse"},
        "dataset": {"name": "spiral", "n": 200}, "optimizer": {"name": "sgd", "learning_rate": 0.1},
        "batch_size": 200, "iterations": 1000, "seed": 1}


def plain_numpy(weights, biases, x, t, iterations=1000, lr=0.1):
    """The same run by hand: tanh layers, mean squared error, the mean over the batch, sgd."""
    w, b = [np.array(a, dtype=float) for a in weights], [np.array(a, dtype=float) for a in biases]
    for _ in range(iterations):
        hs, sums = [x], []
        for wl, bl in zip(w, b):
            sums.append(hs[-1] @ wl.T + bl)
            hs.append(np.tanh(sums[-1]))
        delta = -2.0 * (t - hs[-1]) / t.shape[1] * (1 - hs[-1] ** 2)
        grads = []
        for layer in range(len(w) - 1, -1, -1):
            grads.append((delta.T @ hs[layer] / len(x), delta.mean(axis=0)))
            if layer:
                delta = (delta @ w[layer]) * (1 - hs[layer] ** 2)
        for layer, (gw, gb) in zip(range(len(w) - 1, -1, -1), grads):
            w[layer] -= lr * gw
            b[layer] -= lr * gb
    return w


def timed(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def over_http(port, body):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("POST", "/api/train", body=json.dumps(body), headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    assert response.status == 200, data[:200]
    return data


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    result = run_training(BODY)
    first = result["snapshots"][0]
    samples = generate("spiral", n=200)
    x = np.array([s["inputs"] for s in samples], dtype=float)
    t = np.array([s["targets"] for s in samples], dtype=float)
    # The same arithmetic: the hand-written run ends on the engine's weights.
    same = all(np.allclose(a, b, rtol=1e-6, atol=1e-9)
               for a, b in zip(plain_numpy(first["weights"], first["biases"], x, t), result["final"]["weights"]))
    assert same, "the plain numpy run does not end on the engine's weights"
    baseline = timed(lambda: plain_numpy(first["weights"], first["biases"], x, t), args.repeats)
    in_process = timed(lambda: run_training(BODY), args.repeats)
    server, port = start_server(create_app())
    try:
        http_time = timed(lambda: over_http(port, BODY), args.repeats)
        size = len(over_http(port, {**BODY, "iterations": 10000, "batch_size": 20}))
    finally:
        stop_server(server)
    print("| run | median s | ratio to plain numpy |")
    print("| --- | ---: | ---: |")
    print(f"| plain vectorised numpy (this script) | {baseline:.3f} | 1.00 |")
    print(f"| in process (run_training) | {in_process:.3f} | {in_process / baseline:.2f} |")
    print(f"| POST /api/train over HTTP | {http_time:.3f} | {http_time / baseline:.2f} |")
    print(f"\n10,000 iterations (batch 20): a {size / 1024:.0f} KiB response")


if __name__ == "__main__":
    main()
