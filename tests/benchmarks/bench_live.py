"""A lecture hall on one machine: N followers on a live session's event stream while the lecturer steps.

    python tests/benchmarks/bench_live.py                      # 300 followers, a step every 2 s for 60 s,
                                                               # one process, then two processes + Redis
    python tests/benchmarks/bench_live.py --followers 20 --seconds 6 --modes redis

The servers are production ones, started as deploy/README.md does: `python -m webapp serve` (waitress)
with `--stream-slots`, one process keeping sessions itself ("memory"), or two processes with `--broker
redis://...` on a redis-server of the script's own on loopback ("redis"), the followers split between
them. The followers are one asyncio loop of raw sockets in this process (HTTP/1.1, chunked), so the
clients cost little and the cores measure the servers. The lecturer POSTs a new step every interval and
notes the time just before each request; a follower notes when each state's event arrives, so a
delivery time is lecturer's request -> event read by the student, on one clock.

Reported per run: events received against expected (every follower should get every step), delivery
p50 / p99 / max, errors (connections refused, non-200 streams, streams that ended early, failed POSTs),
the servers' CPU time over the run and their memory before and after the streams opened.
"""
import argparse
import asyncio
import itertools
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from tests.benchmarks.common import BODIES, free_port, percentile  # noqa: E402
from tests.live_redis import RedisServer  # noqa: E402
from tests.processes import reap  # noqa: E402

CONNECT_SECONDS = 60   # the longest all followers may take to open their streams
DRAIN_SECONDS = 10     # after the last step, the longest to wait for its event to reach everyone


@dataclass
class Follower:
    """One student's stream: the versions it received and when."""
    port: int
    arrivals: dict[int, float] = field(default_factory=dict)
    first_version: int | None = None
    error: str | None = None
    opened: asyncio.Event = field(default_factory=asyncio.Event)


async def read_chunked(reader):
    """The body of a chunked response, chunk by chunk."""
    while True:
        size = int((await reader.readline()).split(b";")[0], 16)
        if size == 0:
            return
        yield await reader.readexactly(size)
        await reader.readexactly(2)


async def follow(follower: Follower, sid: str, stop: asyncio.Event) -> None:
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", follower.port)
    except OSError as exc:
        follower.error = f"connect: {exc}"
        follower.opened.set()
        return
    try:
        writer.write(f"GET /api/sessions/{sid}/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     "Accept: text/event-stream\r\n\r\n".encode())
        status = (await reader.readline()).split()
        headers = {}
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        if len(status) < 2 or status[1] != b"200":
            follower.error = f"status {status[1:2]}"
            return
        if headers.get("transfer-encoding") != "chunked":
            follower.error = "the stream is not chunked"
            return
        await read_events(follower, read_chunked(reader), stop)
    except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
        if not stop.is_set():
            follower.error = f"stream: {exc!r}"
    finally:
        follower.opened.set()
        writer.close()


async def read_events(follower: Follower, chunks, stop: asyncio.Event) -> None:
    buffer = b""
    async for chunk in chunks:
        buffer += chunk
        while b"\n\n" in buffer:
            raw, buffer = buffer.split(b"\n\n", 1)
            # A state's event carries its version as the event id: read that, not the JSON, so a large
            # state costs the client nothing to parse and the cores measure the servers.
            ids = [line[3:].strip() for line in raw.split(b"\n") if line.startswith(b"id:")]
            if not ids or raw.startswith(b"event:"):
                continue
            version = int(ids[0])
            follower.arrivals.setdefault(version, time.time())
            if follower.first_version is None:
                follower.first_version = version
                follower.opened.set()
        if stop.is_set():
            return
    if not stop.is_set():
        follower.error = "the stream ended early"


def request(port, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, headers=headers, method=method)
    with urllib.request.urlopen(req, timeout=30) as response:
        return json.loads(response.read() or b"null")


def lecture(port, sid, token, steps, interval, sent, errors):
    """The lecturer: one step every `interval` s; sent[version] = the time just before the request."""
    start = time.monotonic()
    for n in range(1, steps + 1):
        time.sleep(max(0.0, start + n * interval - time.monotonic()))  # the lecture's own pace
        before = time.time()
        try:
            state = request(port, "POST", f"/api/sessions/{sid}/state", {"step": n}, token)
            sent[state["version"]] = before
        except OSError as exc:
            errors.append(f"step {n}: {exc}")


SEEDS = itertools.count(1000)  # every large network a fresh one, across all clients: never a cached trace


def heavy_traffic(port, stop, counts):
    """A client posting fresh 10x16 networks (about 0.15 s of CPU each) until `stop`: what a class editing
    large networks adds to a server that is also holding the streams. counts: {"served", "busy"}."""
    while not stop.is_set():
        body = json.dumps({**BODIES["10x16 (largest)"], "seed": next(SEEDS)}).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{port}/api/trace", data=body,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                response.read()
            counts["served"] += 1
        except urllib.error.HTTPError as exc:
            counts["busy" if exc.code == 503 else "errors"] += 1
            if exc.code == 503:
                stop.wait(float(exc.headers.get("Retry-After", 1)))
        except OSError:
            counts["errors"] += 1


def process_usage(pid):
    """(CPU seconds, resident MB) of a process and its children (gunicorn's workers), from /proc."""
    cpu = rss = 0.0
    for member in (pid, *children(pid)):
        with open(f"/proc/{member}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        cpu += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        with open(f"/proc/{member}/status") as fh:
            rss += next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:")) / 1024
    return cpu, rss


def children(pid):
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, ValueError):
                pass
    return found


MODES = {  # mode -> (what the table calls it, app processes, workers per process, Redis)
    "memory": ("1 process, waitress (sessions in memory)", 1, 1, False),
    "redis": ("2 processes, waitress, + Redis", 2, 1, True),
    "workers": ("1 process of 2 gunicorn workers + Redis", 1, 2, True),
}


def start_servers(mode, slots):
    """(ports, processes, redis server or None) as MODES[mode] says."""
    _, count, workers, needs_redis = MODES[mode]
    redis = RedisServer().start() if needs_redis else None
    ports = [free_port() for _ in range(count)]
    options = ["--stream-slots", str(slots), "--workers", str(workers), *(["--broker", redis.url] if redis else [])]
    # The servers' logs go to a file: a pipe nobody reads during the run could fill and stall them.
    processes = [subprocess.Popen([sys.executable, "-m", "webapp", "serve", "--port", str(port), *options],
                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=tempfile.TemporaryFile())
                 for port in ports]
    for port, process in zip(ports, processes):
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"the app on port {port} exited with {process.returncode}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/meta", timeout=5).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit(f"the app on port {port} did not start") from None
                time.sleep(0.05)
    return ports, processes, redis


def stop_servers(processes, redis):
    for process in processes:
        process.terminate()
    reap(processes)
    if redis:
        redis.close()


async def hall(ports, sid, token, followers_count, steps, interval, heavy=0):
    """Open every stream, run the lecture (beside `heavy` clients posting large traces to every process),
    wait for the last step to reach everyone; the raw results."""
    stop = asyncio.Event()
    followers = [Follower(ports[n % len(ports)]) for n in range(followers_count)]
    tasks = [asyncio.create_task(follow(f, sid, stop)) for f in followers]
    await asyncio.wait_for(asyncio.gather(*(f.opened.wait() for f in followers)), CONNECT_SECONDS)
    sent, errors, heavy_counts, heavy_stop = {}, [], {"served": 0, "busy": 0, "errors": 0}, threading.Event()
    clients = [threading.Thread(target=heavy_traffic, args=(ports[n % len(ports)], heavy_stop, heavy_counts))
               for n in range(heavy)]
    lecturer = threading.Thread(target=lecture, args=(ports[0], sid, token, steps, interval, sent, errors))
    for thread in (*clients, lecturer):
        thread.start()
    while lecturer.is_alive():
        await asyncio.sleep(0.1)
    heavy_stop.set()
    errors += [f"large trace: {heavy_counts['errors']} errors"] if heavy_counts["errors"] else []
    last = max(sent) if sent else None
    deadline = time.monotonic() + DRAIN_SECONDS
    while last and time.monotonic() < deadline and not all(last in f.arrivals or f.error for f in followers):
        await asyncio.sleep(0.05)
    stop.set()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for thread in clients:
        thread.join()
    return followers, sent, errors, heavy_counts


def large_network():
    """The largest network (10 layers of 16) with every weight written out, as an edited network is sent:
    the heaviest state a session carries (about 20 KB of JSON in every event)."""
    body = BODIES["10x16 (largest)"]
    layers = body["layers"]
    weights = [[[round(0.01 * ((7 * l + 3 * j + i) % 41) - 0.2, 3) for i in range(layers[l])]
                for j in range(layers[l + 1])] for l in range(len(layers) - 1)]
    return {**body, "weights": weights, "seed": None}


def run(mode, followers_count, seconds, interval, slots, heavy=0, spec=None):
    ports, processes, redis = start_servers(mode, slots)
    try:
        created = request(ports[0], "POST", "/api/sessions", {"spec": spec} if spec else None)
        sid, token = created["id"], created["presenter_token"]
        before = [process_usage(p.pid) for p in processes]
        steps = int(seconds / interval)
        # The hall's event loop in a thread of its own: the caller's thread may already run one (a
        # pytest worker that has driven Playwright's sync API holds a running loop).
        with ThreadPoolExecutor(max_workers=1) as own_thread:
            followers, sent, errors, heavy_counts = own_thread.submit(
                asyncio.run, hall(ports, sid, token, followers_count, steps, interval, heavy)).result()
        after = [process_usage(p.pid) for p in processes]
        request(ports[0], "DELETE", f"/api/sessions/{sid}", token=token)
    finally:
        stop_servers(processes, redis)
    return {**summarize(mode, followers, sent, errors, before, after, seconds), "heavy_clients": heavy,
            "state_bytes": len(json.dumps(created["state"])),
            "large_traces_served": heavy_counts["served"], "large_traces_busy": heavy_counts["busy"]}


def summarize(mode, followers, sent, errors, before, after, seconds):
    expected = set(sent)
    delays = sorted(arrival - sent[v] for f in followers for v, arrival in f.arrivals.items() if v in sent)
    received = sum(len(expected & set(f.arrivals)) for f in followers)
    complete = sum(1 for f in followers if expected <= set(f.arrivals))
    stream_errors = [f.error for f in followers if f.error]
    return {
        "mode": mode, "followers": len(followers), "steps": len(expected),
        "received": received, "expected": len(expected) * len(followers), "complete_followers": complete,
        "p50_ms": 1000 * percentile(delays, 0.5), "p99_ms": 1000 * percentile(delays, 0.99),
        "max_ms": 1000 * (delays[-1] if delays else float("nan")),
        "errors": len(stream_errors) + len(errors), "error_samples": (stream_errors + errors)[:5],
        "server_cpu_cores": sum(a[0] - b[0] for a, b in zip(after, before)) / seconds,
        "server_rss_mb_before": sum(b[1] for b in before), "server_rss_mb_after": sum(a[1] for a in after),
    }


def table(results):
    lines = ["| servers | large-trace clients (served / 503) | state KB | followers | steps | events received / expected | followers with every step | "
             "p50 ms | p99 ms | max ms | errors | server CPU (cores) | server MB before / with streams |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        heavy = f"{r['heavy_clients']} ({r['large_traces_served']} / {r['large_traces_busy']})"
        lines.append(f"| {MODES[r['mode']][0]} | {heavy} | {r['state_bytes'] / 1000:.1f} | {r['followers']} | {r['steps']} | {r['received']} / {r['expected']} | "
                     f"{r['complete_followers']} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['max_ms']:.1f} | "
                     f"{r['errors']} | {r['server_cpu_cores']:.2f} | {r['server_rss_mb_before']:.0f} / "
                     f"{r['server_rss_mb_after']:.0f} |")
    return "\n".join(lines)


def thread_memory(slots):
    """The resident memory of a process serving with 1 stream slot and with `slots` (all threads idle)."""
    sizes = {}
    for count in (1, slots):
        ports, processes, _ = start_servers("memory", count)
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{ports[0]}/", timeout=30).read()
            sizes[count] = process_usage(processes[0].pid)[1]
        finally:
            stop_servers(processes, None)
    per_thread_kb = (sizes[slots] - sizes[1]) * 1024 / (slots - 1)
    return (f"resident memory: {sizes[1]:.1f} MB with 1 stream slot, {sizes[slots]:.1f} MB with {slots}: "
            f"{per_thread_kb:.0f} KB per idle thread")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--followers", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=60, help="length of the lecture")
    parser.add_argument("--interval", type=float, default=2, help="seconds between steps")
    parser.add_argument("--stream-slots", type=int, default=320, help="per process")
    parser.add_argument("--modes", nargs="+", choices=tuple(MODES), default=["memory", "redis"])
    parser.add_argument("--heavy-clients", type=int, nargs="+", default=[0], metavar="N",
                        help="runs with N clients posting fresh 10x16 networks meanwhile (default 0)")
    parser.add_argument("--large-network", action="store_true",
                        help="the session shows the 10x16 network with every weight written out (every event "
                        "carries it) instead of the worked example")
    parser.add_argument("--thread-memory", action="store_true",
                        help="only compare the memory of a process with 1 and with --stream-slots slots")
    parser.add_argument("--json", action="store_true", help="print the results as JSON too")
    args = parser.parse_args(argv)
    if args.thread_memory:
        print(thread_memory(args.stream_slots))
        return None
    spec = large_network() if args.large_network else None
    results = [run(mode, args.followers, args.seconds, args.interval, args.stream_slots, heavy, spec)
               for heavy in args.heavy_clients for mode in args.modes]
    print(table(results))
    for r in results:
        if r["error_samples"]:
            print(f"{r['mode']}: errors such as {r['error_samples']}")
    if args.json:
        print(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    main()
