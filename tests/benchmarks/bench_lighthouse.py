"""Lighthouse benchmark: a mobile performance audit of the explainer page (Lighthouse 12.2.3, its
default simulated slow 4G and 4x CPU slowdown), against `python -m webapp serve` on loopback.

Run: python tests/benchmarks/bench_lighthouse.py [--runs 3] [--url http://127.0.0.1:8000/]
Lighthouse is installed on first use with `npm i -E lighthouse@12.2.3` into a folder outside the
project (--lighthouse-dir, default $TMPDIR/backprop-explainer-lighthouse), never into the
project's package.json. Chromium is Debian's (CHROME_PATH=$(which chromium)), headless, without a
sandbox or a GPU. Without --url it starts this checkout's server on a free port and warms it (each
static file is compressed on its first request), as a server is once the first student has
visited. Prints the median and each run: performance score, LCP, TBT, FCP, bytes transferred.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import ROOT, free_port

VERSION = "12.2.3"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"
AUDITS = {"LCP ms": "largest-contentful-paint", "TBT ms": "total-blocking-time", "FCP ms": "first-contentful-paint",
          "transfer KB": "total-byte-weight"}


def lighthouse_cli(folder: Path) -> Path:
    cli = folder / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "i", "-E", f"lighthouse@{VERSION}", "--no-audit", "--no-fund", "--loglevel=error"],
                       cwd=folder, check=True)
    return cli


def serve() -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "webapp", "serve", "--port", str(port)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(100):  # it prints its address before it listens
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return server, url
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit(f"the server did not answer on {url}")


def get(url: str) -> str:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "br, gzip"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read().decode("latin-1")


def warm(url: str) -> None:
    """Ask once for the page and every static file it names, and for the LaTeX renderer."""
    page = get(url)
    paths = set(re.findall(r'(?:href|src)="(/static/[^"]+)"', page))
    entry = next((p for p in paths if p.endswith("/js/main.js")), None)
    if entry:
        paths.add(entry.replace("/js/main.js", "/vendor/temml/temml.mjs"))
    for path in paths:
        get(url.rstrip("/") + path)


def audit(cli: Path, url: str, keep: Path | None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        report = keep or Path(tmp) / "report.json"
        env = {**os.environ, "CHROME_PATH": shutil.which("chromium") or os.environ.get("CHROME_PATH", "")}
        subprocess.run(["node", str(cli), url, "--only-categories=performance", "--output=json",
                        f"--output-path={report}", f"--chrome-flags={CHROME_FLAGS}", "--quiet"],
                       env=env, check=True, timeout=300)
        result = json.loads(report.read_text())
    out = {"score": result["categories"]["performance"]["score"]}
    for name, audit_id in AUDITS.items():
        value = result["audits"][audit_id]["numericValue"]
        out[name] = value / 1000 if name.endswith("KB") else value
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="audit this server instead of serving this checkout")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--report", type=Path, help="keep the last run's JSON report here")
    parser.add_argument("--lighthouse-dir", type=Path, default=Path(tempfile.gettempdir()) / "backprop-explainer-lighthouse")
    args = parser.parse_args()
    cli = lighthouse_cli(args.lighthouse_dir)
    server, url = (None, args.url) if args.url else serve()
    try:
        warm(url)
        runs = [audit(cli, url, args.report) for _ in range(args.runs)]
    finally:
        if server:
            server.terminate()
            server.wait(timeout=10)
    columns = ["score", *AUDITS]
    print(f"Lighthouse {VERSION}, mobile, {url} ({time.strftime('%Y-%m-%d %H:%M')})\n")
    print("| run | " + " | ".join(columns) + " |")
    print("| --- |" + " ---: |" * len(columns))
    median = {c: statistics.median(r[c] for r in runs) for c in columns}
    for name, row in [*((str(n + 1), r) for n, r in enumerate(runs)), (f"median of {len(runs)}", median)]:
        print(f"| {name} | " + " | ".join(f"{row[c]:.2f}" if c == "score" else f"{row[c]:.0f}" for c in columns) + " |")


if __name__ == "__main__":
    main()
