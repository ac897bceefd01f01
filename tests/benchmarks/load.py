"""Bounded load test: throughput with 1 and 2 worker processes, and the small requests under heavy load.

Loopback only: it starts its own production servers (`python -m webapp serve --workers N` in child
processes, so the clients' threads do not share their interpreter lock) on free ports and refuses any
other host. Two phases of D seconds for each worker count, split into rounds that take the servers in
turn (so the machine's other load falls on each alike):

- mix: C clients post the benchmark bodies in turn (the worked example repeated, so cached; seeded
  networks with a fresh seed on every request, so traced afresh). Throughput is the 200s a second;
  the ratio of 2 workers to 1 is measured in the same run.
- heavy: C clients post fresh 10x16 networks while S clients post the worked example; reports the
  small requests' p50/p99 and that none of them got a 503.

A 503 with Retry-After is the designed answer to overload, counted apart from errors: the client waits
Retry-After seconds and posts the same body again, as a polite client does. Exits 1 on any error, or on a
503 answered to a small request.
"""
import argparse
import http.client
import itertools
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

from common import BODIES, LOOPBACK, ROOT, free_port, percentile

from tests.processes import reap
from webapp.engine.trace import SCHEMA_VERSION

SMALL = BODIES["worked example (1-1-2)"]
HEAVY = BODIES["10x16 (largest)"]


def request_body(spec: dict, client: int, n: int) -> bytes:
    """The worked example repeats, as in a lecture hall (the server answers it from its cache);
    seeded networks get a new seed on every request, so the server traces them afresh."""
    if "seed" in spec:
        spec = dict(spec, seed=client * 1_000_003 + n)
    return json.dumps(spec).encode()


class Tally:
    """Latencies of 200s, and counts of 503s and errors, per kind of client, over one or more windows."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies, self.busy, self.errors = defaultdict(list), defaultdict(int), defaultdict(int)
        self.server_cpu = 0.0  # seconds of CPU the server's processes used in the windows

    def add(self, kind: str, status, elapsed: float) -> None:
        with self.lock:
            if status == 200:
                self.latencies[kind].append(elapsed)
            elif status == 503:
                self.busy[kind] += 1
            else:
                self.errors[kind] += 1


def post(conn, body: bytes):
    """(status, Retry-After seconds) of one POST; status None when the connection failed."""
    try:
        conn.request("POST", "/api/trace", body=body, headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        data = r.read()
    except (OSError, http.client.HTTPException):
        conn.close()  # reconnects on the next request
        return None, 0
    if r.status == 200 and not data.startswith(b'{"schema_version":%d' % SCHEMA_VERSION):
        return None, 0
    if r.status == 503 and not (r.getheader("Retry-After", "").isdigit() and b'"field"' in data):
        return None, 0  # a 503 without the designed Retry-After and JSON body is an error
    return r.status, int(r.getheader("Retry-After") or 0)


def client_loop(port, kind, bodies, tally, window):
    """Posts until the window closes; what finishes after that is not counted."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = next(bodies)
    while not window.is_set():
        start = time.perf_counter()
        status, retry_after = post(conn, body)
        if not window.is_set():
            tally.add(kind, status, time.perf_counter() - start)
        if status == 503:
            window.wait(retry_after)  # then the same body again
        else:
            body = next(bodies)
    conn.close()


def drive(port: int, clients: dict, seconds: float, tally: Tally) -> None:
    """clients: kind -> list of body iterators, one per client. Runs them all for one window."""
    window = threading.Event()
    threads = [threading.Thread(target=client_loop, args=(port, kind, bodies, tally, window), daemon=True)
               for kind, iterators in clients.items() for bodies in iterators]
    closer = threading.Timer(seconds, window.set)  # the window closes itself
    closer.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)


def mix_bodies(client: int):
    specs = list(BODIES.values())
    specs = specs[client % 3:] + specs[:client % 3]
    return (request_body(specs[n % len(specs)], client, n) for n in itertools.count())


def same_bodies(spec: dict, client: int):
    return (request_body(spec, client, n) for n in itertools.count())


def start_server(workers: int, threads: int):
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "webapp", "serve", "--host", "127.0.0.1", "--port", str(port),
                               "--workers", str(workers), "--threads", str(threads)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              # Ctrl-C's SIGINT at its default even when this runs in the background.
                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    return server, port


def stop_servers(servers) -> None:
    """Ctrl-C to all of them at once, then wait for each (a server that hangs is killed)."""
    for server in servers:
        server.send_signal(signal.SIGINT)
    reap(servers, timeout=20)


def wait_ready(port, timeout=60.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/presets", timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)  # nothing to await: the server's port opens when it is ready


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its children, from Linux's /proc; NaN
    elsewhere. It shows whether a server had the cores: a machine busy with other work starves it,
    and then no number of workers serves more."""
    proc = Path("/proc")
    if not (proc / str(pid) / "stat").exists():
        return float("nan")
    ticks = 0
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()  # after the name: state, ppid, ...
        except OSError:  # ended meanwhile
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def summary(tally: Tally, kind: str, seconds: float) -> dict:
    latencies = sorted(tally.latencies[kind])
    return {"served": len(latencies), "per_second": len(latencies) / seconds, "busy": tally.busy[kind],
            "errors": tally.errors[kind], "p50_ms": 1000 * percentile(latencies, 0.50),
            "p99_ms": 1000 * percentile(latencies, 0.99), "server_cores": tally.server_cpu / seconds}


def phases(clients: int, small_clients: int, client_ids) -> dict:
    """phase -> (kind -> body iterators): the mix; heavy clients beside small ones."""
    heavy = [same_bodies(HEAVY, next(client_ids)) for _ in range(clients)]
    small = [same_bodies(SMALL, next(client_ids)) for _ in range(small_clients)]
    return {"mix": {"mix": [mix_bodies(next(client_ids)) for _ in range(clients)]},
            "heavy": {"heavy": heavy, "small": small}}


def measure(servers: dict, clients: int, small_clients: int, seconds: float, rounds: int) -> dict:
    """workers -> the phases' summaries. Each phase's seconds are split into rounds that take the
    servers in turn, so a change in the machine's other load falls on every worker count alike."""
    client_ids = itertools.count()  # unique seeds on every server, in every round
    plans = {n: phases(clients, small_clients, client_ids) for n in servers}
    tallies = {n: {"mix": Tally(), "heavy": Tally()} for n in servers}
    for phase in ("mix", "heavy"):
        for _ in range(rounds):
            for n, (server, port) in servers.items():
                before = cpu_seconds(server.pid)
                drive(port, plans[n][phase], seconds / rounds, tallies[n][phase])
                tallies[n][phase].server_cpu += cpu_seconds(server.pid) - before
    return {n: {"mix": summary(t["mix"], "mix", seconds), "heavy": summary(t["heavy"], "heavy", seconds),
                "small": summary(t["heavy"], "small", seconds)} for n, t in tallies.items()}


def run(clients: int, small_clients: int, seconds: float, workers=(1, 2), rounds: int = 4, threads: int = 8,
        host: str = "127.0.0.1") -> dict:
    """workers -> measure(); the servers start together (their start-up overlaps)."""
    if host not in LOOPBACK:
        raise SystemExit(f"refusing to load-test {host!r}: loopback only (127.0.0.1 or localhost)")
    servers = {n: start_server(n, threads) for n in workers}
    try:
        for _, port in servers.values():
            wait_ready(port)
        return measure(servers, clients, small_clients, seconds, rounds)
    finally:
        stop_servers([server for server, _ in servers.values()])


def print_tables(results: dict, clients: int, small_clients: int, seconds: float) -> None:
    print(f"Mix: {clients} clients, {seconds:g} s per worker count")
    print("| workers | served | req/s | 503s | errors | p50 ms | p99 ms | server CPU (cores) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, r in results.items():
        m = r["mix"]
        print(f"| {n} | {m['served']} | {m['per_second']:.1f} | {m['busy']} | {m['errors']} | {m['p50_ms']:.1f} | "
              f"{m['p99_ms']:.1f} | {m['server_cores']:.2f} |")
    if 1 in results and 2 in results and results[1]["mix"]["per_second"]:
        print(f"\nThroughput, 2 workers / 1: {results[2]['mix']['per_second'] / results[1]['mix']['per_second']:.2f}x")
    print(f"\nHeavy: {clients} clients posting fresh 10x16, {small_clients} posting the worked example, {seconds:g} s")
    print("| workers | 10x16 served | 10x16 503s | small served | small 503s | errors | small p50 ms | small p99 ms "
          "| server CPU (cores) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, r in results.items():
        h, s = r["heavy"], r["small"]
        print(f"| {n} | {h['served']} | {h['busy']} | {s['served']} | {s['busy']} | {h['errors'] + s['errors']} | "
              f"{s['p50_ms']:.1f} | {s['p99_ms']:.1f} | {h['server_cores']:.2f} |")


def failed(results: dict) -> bool:
    """Any error, or a small request turned away: small requests must never wait behind heavy ones."""
    return any(r[kind]["errors"] for r in results.values() for kind in r) or \
        any(r["small"]["busy"] for r in results.values())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50, help="mix clients, and heavy clients (default 50)")
    parser.add_argument("--small-clients", type=int, default=5, help="worked-example clients beside the heavy ones")
    parser.add_argument("--seconds", type=float, default=20.0, help="per phase and worker count")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to compare (1 2)")
    parser.add_argument("--rounds", type=int, default=4, help="each phase's seconds split into rounds, "
                        "taking the worker counts in turn (default 4)")
    parser.add_argument("--host", default="127.0.0.1", help="127.0.0.1 or localhost; anything else is refused")
    parser.add_argument("--threads", type=int, default=8, help="threads per process (the `serve` default)")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 500 or not 0 <= args.small_clients <= 100 or not 0 < args.seconds <= 600 \
            or not all(1 <= n <= 8 for n in args.workers) or not 1 <= args.rounds <= 20:
        parser.error("--clients 1-500, --small-clients 0-100, --seconds 0-600, --workers 1-8, --rounds 1-20: "
                     "this is a bounded test")
    results = run(args.clients, args.small_clients, args.seconds, tuple(args.workers), args.rounds, args.threads,
                  args.host)
    print_tables(results, args.clients, args.small_clients, args.seconds)
    return 1 if failed(results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
