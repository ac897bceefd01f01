"""Bounded load test: N clients post traces of mixed sizes to a local waitress server for D seconds.

Loopback only: it starts its own production server (`python -m webapp serve` in a child
process, so the clients' threads do not share its interpreter lock) on a free port and
refuses any other host. Prints requests served, errors (must be 0) and p50/p99 latency;
exits 1 if any request failed.
"""
import argparse
import http.client
import json
import signal
import subprocess
import sys
import threading
import time
import urllib.request

from common import BODIES, LOOPBACK, ROOT, free_port, percentile


def request_body(spec: dict, client: int, n: int) -> bytes:
    """The worked example repeats, as in a lecture hall (the server answers it from its cache);
    seeded networks get a new seed on every request, so the server traces them afresh."""
    if "seed" in spec:
        spec = dict(spec, seed=client * 1_000_003 + n)
    return json.dumps(spec).encode()


def client_loop(host, port, client, specs, stop_at, latencies, errors, lock):
    conn = http.client.HTTPConnection(host, port, timeout=30)
    n = 0
    while time.monotonic() < stop_at:
        body = request_body(specs[n % len(specs)], client, n)
        n += 1
        start = time.perf_counter()
        try:
            conn.request("POST", "/api/trace", body=body, headers={"Content-Type": "application/json"})
            r = conn.getresponse()
            data = r.read()
            ok = r.status == 200 and data.startswith(b'{"schema_version":2')
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=30)
        elapsed = time.perf_counter() - start
        with lock:
            (latencies if ok else errors).append(elapsed)
    conn.close()


def run(clients: int, seconds: float, host: str = "127.0.0.1", threads: int = 8) -> dict:
    if host not in LOOPBACK:
        raise SystemExit(f"refusing to load-test {host!r}: loopback only (127.0.0.1 or localhost)")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "webapp", "serve", "--host", "127.0.0.1", "--port", str(port),
                               "--threads", str(threads)], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL,
                              # Ctrl-C's SIGINT at its default even when this runs in the background.
                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        return _drive(host, port, clients, seconds)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def _wait_ready(host, port, timeout=20.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://{host}:{port}/api/presets", timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _drive(host, port, clients, seconds):
    _wait_ready(host, port)
    specs = list(BODIES.values())
    latencies, errors, lock = [], [], threading.Lock()
    stop_at = time.monotonic() + seconds
    workers = [threading.Thread(target=client_loop, args=(host, port, i, specs[i % 3:] + specs[:i % 3], stop_at,
                                                          latencies, errors, lock)) for i in range(clients)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=seconds + 60)
    latencies.sort()
    return {"requests": len(latencies), "errors": len(errors), "p50_ms": 1000 * percentile(latencies, 0.50),
            "p99_ms": 1000 * percentile(latencies, 0.99), "seconds": seconds, "clients": clients}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--host", default="127.0.0.1", help="127.0.0.1 or localhost; anything else is refused")
    parser.add_argument("--threads", type=int, default=8, help="waitress worker threads (the `serve` default)")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 500 or not 0 < args.seconds <= 600:
        parser.error("--clients must be 1-500 and --seconds 0-600: this is a bounded test")
    result = run(args.clients, args.seconds, args.host, args.threads)
    print("| clients | seconds | requests | req/s | errors | p50 ms | p99 ms |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(f"| {result['clients']} | {result['seconds']:g} | {result['requests']} | "
          f"{result['requests'] / result['seconds']:.0f} | {result['errors']} | {result['p50_ms']:.1f} | "
          f"{result['p99_ms']:.1f} |")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
