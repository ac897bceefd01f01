"""In-process engine benchmark: time to build a trace and its JSON size, and cost per edge as networks grow.

Run: python tests/benchmarks/bench_engine.py [--repeats 7]. Prints markdown tables.
"""
import argparse
import json
import statistics
import time

from common import BODIES, network

from webapp.engine import build_trace
from webapp.spec import parse_body


def measure(body: dict, repeats: int):
    """(median seconds to validate, trace and serialise, JSON bytes, trace) for one request body."""
    raw = json.dumps(body).encode()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        trace = build_trace(*parse_body(raw))
        text = json.dumps(trace, separators=(",", ":"), allow_nan=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(text.encode()), trace


def edges(layers):
    return sum(a * b for a, b in zip(layers, layers[1:]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)

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
