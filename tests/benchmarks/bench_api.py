"""POST /api/trace latency over real HTTP (waitress, loopback), as a ratio to a trivial JSON endpoint.

Each trace is timed cold (response cache cleared before each request: the engine runs)
and warm (the same body again, as when a whole lecture hall opens the worked example).
The baseline route is added to this script's own app instance only, so the ratio shows what
the trace costs beyond HTTP + Flask overhead, measured on the same server in the same run.
Run: python tests/benchmarks/bench_api.py [--requests 200]. Prints a markdown table.
"""
import argparse
import http.client
import json
import statistics
import time

from common import BODIES, start_server, stop_server

from webapp import create_app
from webapp.api import answer, json_response


def latencies(port, method, path, body, n, before=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    out = []
    for _ in range(n):
        if before:
            before()
        start = time.perf_counter()
        conn.request(method, path, body=body, headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        r.read()
        out.append(time.perf_counter() - start)
        assert r.status == 200, (path, r.status)
    conn.close()
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args(argv)

    app = create_app()
    app.add_url_rule("/bench/ping", "bench_ping", lambda: json_response({"ok": True}))
    server, port = start_server(app)
    try:
        latencies(port, "GET", "/bench/ping", None, 20)  # warm up connections and imports
        ping = statistics.median(latencies(port, "GET", "/bench/ping", None, args.requests))
        rows = [("GET /bench/ping (baseline)", ping)]
        for name, body in BODIES.items():
            n = args.requests if name.startswith("worked") else max(10, args.requests // 10)
            raw = json.dumps(body).encode()
            # Cold: the response cache emptied before every request, so the engine runs each time.
            cold = statistics.median(latencies(port, "POST", "/api/trace", raw, n, before=answer.cache_clear))
            rows.append((f"POST /api/trace, {name}, cold", cold))
            warm = statistics.median(latencies(port, "POST", "/api/trace", raw, n))
            rows.append((f"POST /api/trace, {name}, warm (cached)", warm))
    finally:
        stop_server(server)
    print("| request | median ms | ratio to baseline |")
    print("| --- | ---: | ---: |")
    for name, t in rows:
        print(f"| {name} | {1000 * t:.2f} | {t / ping:.1f} |")


if __name__ == "__main__":
    main()
