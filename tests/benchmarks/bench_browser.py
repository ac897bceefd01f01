"""Browser benchmark (Playwright, Chromium): time to the first drawn graph, frame times while
playing the largest network at top speed, and the JS heap after the whole trace.

Frame times are wall-clock and suffer from other work on the machine; the main thread's CPU time
per step (from a Chrome trace: each task's thread time) suffers much less, so it is printed too.

Run: python tests/benchmarks/bench_browser.py [--seconds 10]. Prints a markdown table.
The largest network is served as the page's default preset by rewriting /api/presets in the
browser, so the page loads it exactly as it loads the worked example.
"""
import argparse
import collections
import json
import shutil
import statistics

from common import BODIES, start_server, stop_server
from playwright.sync_api import sync_playwright

from webapp import create_app

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
GRAPH_DRAWN = "[data-testid=graph] svg [data-node-id]"

# Counts every frame's duration while the player runs; read back with window.__frames.
FRAME_PROBE = """() => {
  window.__frames = [];
  let last = performance.now();
  const tick = (now) => { window.__frames.push(now - last); last = now; if (!window.__stop) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
}"""


def launch(p):
    path = shutil.which("chromium")
    return p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS) if path else p.chromium.launch()


def first_graph_ms(browser, base, runs=5):
    """Milliseconds from navigation start to the first node drawn (median of fresh contexts)."""
    times = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        page = context.new_page()
        page.goto(base + "/")
        page.wait_for_selector(GRAPH_DRAWN)
        times.append(page.evaluate("performance.now()"))
        context.close()
    return statistics.median(times)


def play_largest(browser, base, seconds):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    largest = BODIES["10x16 (largest)"]

    def presets(route):
        body = {"default": "largest", "presets": [{"id": "largest", "title": "10x16", "description": "", "spec": largest}]}
        route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    page.route("**/api/presets", presets)
    page.goto(base + "/")
    page.wait_for_selector(GRAPH_DRAWN)
    page.select_option("[data-testid=speed]", "4")
    trace = start_trace(context, page)
    page.evaluate(FRAME_PROBE)
    page.click("[data-testid=play]")
    page.wait_for_timeout(seconds * 1000)
    page.click("[data-testid=play]")
    frames = page.evaluate("window.__stop = true, window.__frames")
    tasks = main_thread_tasks(trace(), page)
    steps = page.inner_text("[data-testid=step-counter]")
    page.keyboard.press("End")  # the whole trace has been drawn once at least up to here
    page.wait_for_timeout(500)
    heap = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : null")
    context.close()
    return frames, steps, heap, tasks


def start_trace(context, page):
    """Start a Chrome trace of the page; returns a function that stops it and gives its events."""
    cdp = context.new_cdp_session(page)
    events, done = [], []
    cdp.on("Tracing.dataCollected", lambda e: events.extend(e["value"]))
    cdp.on("Tracing.tracingComplete", lambda e: done.append(True))
    cdp.send("Tracing.start", {"categories": "devtools.timeline,disabled-by-default-devtools.timeline", "transferMode": "ReportEvents"})

    def stop():
        cdp.send("Tracing.end")
        while not done:
            page.wait_for_timeout(50)
        return events
    return stop


def main_thread_tasks(events, page):
    """Thread (CPU) milliseconds of each task on the renderer's main thread, the one running JS."""
    threads = collections.Counter((e.get("pid"), e.get("tid")) for e in events if e.get("name") == "FunctionCall")
    main = threads.most_common(1)[0][0]
    return [e.get("tdur", e.get("dur", 0)) / 1000 for e in events
            if e.get("name") == "RunTask" and e.get("ph") == "X" and (e.get("pid"), e.get("tid")) == main]


# Networks up to 4 layers of 5 neurons: placing one step's labels must stay well inside a frame.
PLACEMENT_NETWORKS = {
    "worked example (1-1-2)": None,
    "relu-3-4-2 preset": "preset=relu-3-4-2",
    "5-5-5-5 with biases": {"layers": [5, 5, 5, 5], "weights": None, "seed": 7, "biases": True, "activation": "tanh",
                            "inputs": [0.5, -1.2, 0.3, 2.0, -0.7], "targets": [0.1, -0.4, 0.9, 0.0, 0.5]},
}
WALK_ALL_STEPS = """(n) => {
  performance.clearMeasures("place-labels");
  for (let k = 1; k < n; k++) document.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
  return performance.getEntriesByName("place-labels").map((e) => e.duration);
}"""


def placement_ms(browser, base, viewport, lecture):
    """Per-step durations of placing the labels (graph.js's performance.measure) over every step."""
    import base64
    rows = []
    for name, network in PLACEMENT_NETWORKS.items():
        if isinstance(network, dict):
            network = "spec=" + base64.urlsafe_b64encode(json.dumps(network).encode()).decode().rstrip("=")
        context = browser.new_context(viewport=viewport, reduced_motion="reduce")
        page = context.new_page()
        page.goto(f"{base}/#step=1" + (f"&{network}" if network else "") + ("&mode=lecture" if lecture else ""))
        page.wait_for_selector("body[data-ready=true]")
        n = int(page.inner_text("[data-testid=step-counter]").split("/")[1])
        times = sorted(page.evaluate(WALK_ALL_STEPS, n))
        rows.append((name, n, statistics.median(times), times[int(0.95 * (len(times) - 1))], times[-1]))
        context.close()
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args(argv)
    server, port = start_server(create_app())
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as p:
            browser = launch(p)
            first = first_graph_ms(browser, base)
            frames, steps, heap, tasks = play_largest(browser, base, args.seconds)
            placing = [(f"{v['width']}x{v['height']}{' lecture' if lecture else ''}", placement_ms(browser, base, v, lecture))
                       for v, lecture in [({"width": 1280, "height": 720}, False), ({"width": 1920, "height": 1080}, True)]]
            browser.close()
    finally:
        stop_server(server)
    slow = sum(1 for f in frames if f > 20) / max(1, len(frames))
    print("| measure | value |")
    print("| --- | ---: |")
    print(f"| navigation to first graph, worked example (median of 5) | {first:.0f} ms |")
    print(f"| frames while playing 10x16 at 4x for {args.seconds:g} s | {len(frames)} (reached step {steps}) |")
    print(f"| share of frames over 20 ms | {100 * slow:.1f} % |")
    print(f"| median / p95 frame | {statistics.median(frames):.1f} / {sorted(frames)[int(0.95 * len(frames))]:.1f} ms |")
    played = max(1, int(steps.split("/")[0]) - 1)
    heaviest = sorted(tasks, reverse=True)[:played]
    print(f"| main-thread CPU per step played | {sum(tasks) / played:.1f} ms |")
    print(f"| heaviest task per step (median of the {played} heaviest) | {statistics.median(heaviest):.1f} ms CPU |")
    print(f"| JS heap after the trace | {heap / 2**20:.1f} MiB |" if heap else "| JS heap | not reported |")
    print()
    print("| placing a step's labels | view | steps | median ms | p95 ms | max ms |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for view, rows in placing:
        for name, n, median, p95, worst in rows:
            print(f"| {name} | {view} | {n} | {median:.2f} | {p95:.2f} | {worst:.2f} |")


if __name__ == "__main__":
    main()
