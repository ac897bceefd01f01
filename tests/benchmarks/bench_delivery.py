"""Delivery benchmark: bytes on the wire for a first visit and a repeat visit to the explainer, in
headless Chromium (fresh context, Chrome DevTools Protocol Network.loadingFinished's
encodedDataLength: headers and bodies as transferred, after compression).

Run: python tests/benchmarks/bench_delivery.py [--url http://127.0.0.1:8000/] [--runs 3]
Without --url it serves this checkout with waitress on loopback. With --url it measures a server
already running (e.g. another checkout's `python -m webapp serve`, for before/after figures in
one run). Prints a markdown table; the first visit should stay under 250 KB.
"""
import argparse
import shutil
import statistics
import time
from collections import Counter

from common import start_server, stop_server
from playwright.sync_api import sync_playwright

from webapp import create_app

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
GRAPH_DRAWN = "[data-testid=graph] svg [data-node-id]"
READY = "body[data-ready=true]"
BUDGET_KB = 250  # kilobytes of 1000 bytes


def launch(p):
    path = shutil.which("chromium")
    return p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS) if path else p.chromium.launch()


def visit(page, cdp, url):
    """Load `url` until the page is ready and the network is quiet: {bytes, requests, cached, kinds, graph_ms, ready_ms}."""
    sizes, kinds, cached = {}, {}, set()
    def received(event):
        kinds[event["requestId"]] = event["type"]
        if event["response"].get("fromDiskCache") or event["response"].get("fromMemoryCache"):
            cached.add(event["requestId"])

    cdp.on("Network.responseReceived", received)
    cdp.on("Network.requestServedFromCache", lambda e: cached.add(e["requestId"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url)
    page.wait_for_selector(GRAPH_DRAWN)
    graph_ms = page.evaluate("performance.now()")
    page.wait_for_selector(READY)
    ready_ms = page.evaluate("performance.now()")
    page.wait_for_load_state("networkidle")
    by_kind = Counter()
    for request_id, size in sizes.items():
        by_kind[kinds.get(request_id, "Other")] += size
    return {"bytes": sum(sizes.values()), "requests": len(sizes), "cached": len(cached), "kinds": by_kind,
            "graph_ms": graph_ms, "ready_ms": ready_ms}


def measure(browser, url):
    """A first visit in a fresh context, then a second visit (a new navigation) in the same context."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    first = visit(page, cdp, url)
    page.goto("about:blank")
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    second = visit(page, cdp, url)
    context.close()
    return first, second


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="measure this server instead of serving this checkout")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    server = None
    url = args.url
    if not url:
        server, port = start_server(create_app())
        url = f"http://127.0.0.1:{port}/"
    try:
        with sync_playwright() as p:
            browser = launch(p)
            measure(browser, url)  # warm the server (static files are compressed on their first request)
            runs = [measure(browser, url) for _ in range(args.runs)]
            browser.close()
    finally:
        if server:
            stop_server(server)
    first = [r[0] for r in runs]
    second = [r[1] for r in runs]
    kb = lambda visits: statistics.median(v["bytes"] for v in visits) / 1000  # noqa: E731
    print(f"{url} ({time.strftime('%Y-%m-%d %H:%M')}, median of {args.runs})\n")
    print("| visit | KB on the wire | requests | from cache | first graph ms | ready ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, visits in (("first (fresh context)", first), ("second (same context)", second)):
        print(f"| {name} | {kb(visits):.1f} | {visits[0]['requests']} | {visits[0]['cached']} | "
              f"{statistics.median(v['graph_ms'] for v in visits):.0f} | {statistics.median(v['ready_ms'] for v in visits):.0f} |")
    print("\nFirst visit by type (KB): " + ", ".join(f"{kind} {size / 1000:.1f}"
                                                     for kind, size in first[0]["kinds"].most_common()))
    print(f"First visit {'within' if kb(first) < BUDGET_KB else 'OVER'} the {BUDGET_KB} KB budget.")


if __name__ == "__main__":
    main()
