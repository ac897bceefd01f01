"""`python -m webapp serve` runs the production server (waitress) and stops cleanly on Ctrl-C."""
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, timeout=60.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            return urllib.request.urlopen(url, timeout=2)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_serve_answers_and_stops_on_sigint():
    port = free_port()
    # Ctrl-C as in a terminal: SIGINT at its default. A pytest-xdist worker ignores SIGINT, and a
    # child inherits that (Python then installs no KeyboardInterrupt handler at all).
    proc = subprocess.Popen([sys.executable, "-m", "webapp", "serve", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"},
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        base = f"http://127.0.0.1:{port}"
        with wait_for(base + "/") as r:
            assert r.status == 200
            # waitress, not the werkzeug development server (which would say Werkzeug).
            assert r.headers["Server"] == "backprop-explainer"
            assert b"Traceback" not in r.read()
        with urllib.request.urlopen(base + "/api/presets", timeout=30) as r:
            assert json.load(r)["default"] == "worked-example"
        proc.send_signal(signal.SIGINT)
        # A bound on a hang, not a speed target: the suite's browser workers may hold both cores.
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert b"Traceback" not in err  # KeyboardInterrupt is caught, not printed
    assert b"debug" not in out.lower() + err.lower()
