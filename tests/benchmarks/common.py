"""Shared by the load script and the benchmarks: request bodies of mixed sizes and a loopback waitress server."""
import socket
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from waitress import create_server  # noqa: E402

from webapp.presets import WORKED_EXAMPLE  # noqa: E402

LOOPBACK = ("127.0.0.1", "localhost")

BODIES = {
    "worked example (1-1-2)": WORKED_EXAMPLE,
    "4-8-8-3": {"layers": [4, 8, 8, 3], "weights": None, "seed": 1, "biases": True, "activation": "tanh",
                "inputs": [0.1, 0.2, 0.3, 0.4], "targets": [0.0, 0.5, 1.0]},
    "10x16 (largest)": {"layers": [16] * 10, "weights": None, "seed": 7, "biases": True,
                        "inputs": [0.5] * 16, "targets": [0.1] * 16},
    # The biggest mini-batch: 32 samples of a 2-4-4-2 network (issue 9: under 2 MB, well under a second).
    "2-4-4-2, 32 samples": {"layers": [2, 4, 4, 2], "weights": None, "seed": 3, "biases": True, "activation": "tanh",
                            "samples": [{"inputs": [round(0.1 * (n % 7) - 0.3, 2), round(0.05 * n - 0.8, 2)],
                                         "targets": [n % 2, 1 - n % 2]} for n in range(32)]},
    "2-3-3 softmax, cross-entropy": {"layers": [2, 3, 3], "weights": None, "seed": 4, "biases": True,
                                     "activations": ["tanh", "softmax"], "loss": "cce",
                                     "inputs": [0.5, -0.3], "targets": [0, 1, 0]},
}


def network(layers, seed=1):
    return {"layers": layers, "weights": None, "seed": seed, "biases": True, "activation": "tanh",
            "inputs": [0.5] * layers[0], "targets": [0.1] * layers[-1]}


def start_server(app, host="127.0.0.1", threads=8):
    """waitress on a free loopback port, in a daemon thread; returns (server, port)."""
    if host not in LOOPBACK:
        raise SystemExit(f"refusing to serve on {host!r}: loopback only")
    server = create_server(app, host=host, port=0, threads=threads, ident="backprop-explainer")
    threading.Thread(target=server.run, daemon=True).start()
    return server, server.effective_port


def stop_server(server):
    """Finish the worker threads before closing the sockets they would otherwise write to."""
    server.task_dispatcher.shutdown()
    server.close()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(sorted_values, q):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]
