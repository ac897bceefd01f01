"""deploy/nginx/backprop-explainer.conf on loopback in front of two app processes: the second
identical GET of a trace is a cache hit, POSTs and errors pass through to both processes, and a live
session created through nginx is followed through it, whichever process each request reaches (the
processes share sessions through a redis-server of the test's own, as deploy/README.md starts them).

nginx runs as the current user from a temporary directory (its own pid, logs, temp files and
cache), in the foreground with its master process, and is stopped at the end; skipped where
nginx is not installed (`.ci/setup --browser` installs Debian's package).
"""
import base64
import getpass
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.sse_client import EventStream
from tests.processes import reap
from webapp.presets import WORKED_EXAMPLE

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "backprop-explainer.conf"
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/sbin/nginx") if os.access(p, os.X_OK)), None)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url, data=None, headers=None):
    """(status, headers, body) of a request; HTTP errors are answers too."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def wait_until(condition, what, timeout=60.0):
    """Poll `condition` (a process starting to listen has no event to await from here)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def site_config(app_ports, listen_port, cache_dir, log_dir):
    """The deploy file with its machine-specific lines pointed at this test's ports and directories."""
    text = SITE.read_text()
    edits = [
        (r"listen 80;", f"listen 127.0.0.1:{listen_port};"),
        (r"\n\s*listen \[::\]:80;", ""),
        (r"server 127\.0\.0\.1:8001;", f"server 127.0.0.1:{app_ports[0]};"),
        (r"server 127\.0\.0\.1:8002;", f"server 127.0.0.1:{app_ports[1]};"),
        (r"proxy_cache_path /var/cache/nginx/backprop-explainer ", f"proxy_cache_path {cache_dir} "),
        (r"access_log /var/log/nginx/backprop-explainer\.access\.log ", f"access_log {log_dir}/access.log "),
    ]
    for pattern, replacement in edits:
        text, count = re.subn(pattern, replacement, text)
        assert count == 1, f"{SITE.name} no longer has exactly one {pattern!r}"
    return text


def main_config(tmp, site):
    """A whole nginx.conf around the site file, every path in `tmp`."""
    # As root, the workers would switch to nobody, who cannot write a pytest tmp directory.
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {kind}_temp_path {tmp}/{kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}daemon off;\nmaster_process on;\nworker_processes 1;\npid {tmp}/nginx.pid;\n"
            f"error_log {tmp}/error.log info;\nevents {{ worker_connections 128; }}\n"
            f"http {{\n{temp}\n    include {site};\n}}\n")


@pytest.fixture(scope="module")
def stack(tmp_path_factory, redis_url):
    """Base URL of nginx in front of two `python -m webapp serve --broker` processes, and its access log."""
    if NGINX is None:
        pytest.skip("nginx is not installed (Debian: apt-get install nginx, or .ci/setup --browser)")
    tmp = tmp_path_factory.mktemp("nginx")
    app_ports, listen_port = [free_port(), free_port()], free_port()
    (tmp / "site.conf").write_text(site_config(app_ports, listen_port, tmp / "cache", tmp))
    (tmp / "nginx.conf").write_text(main_config(tmp, tmp / "site.conf"))
    processes = []
    try:
        for port in app_ports:
            processes.append(subprocess.Popen([sys.executable, "-m", "webapp", "serve", "--port", str(port),
                                               "--broker", redis_url], cwd=ROOT,
                                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
        check = subprocess.run([NGINX, "-t", "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "error.log")],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        processes.append(subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf"),
                                           "-e", str(tmp / "error.log")], stderr=subprocess.PIPE))
        for port in app_ports:
            wait_until(lambda p=port: fetch(f"http://127.0.0.1:{p}/api/meta")[0] == 200, f"the app on port {port}")
        base = f"http://127.0.0.1:{listen_port}"
        wait_until(lambda: fetch(base + "/api/meta")[0] == 200, "nginx")
        yield base, tmp / "access.log", app_ports
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.send_signal(signal.SIGQUIT if process.args[0] == NGINX else signal.SIGTERM)
        reap(processes)


def spec_query(body: dict) -> str:
    return "/api/trace?spec=" + base64.urlsafe_b64encode(json.dumps(body).encode()).decode().rstrip("=")


def logged(log: Path, pattern: str, count: int) -> list[str]:
    """The access log's lines matching `pattern`, once there are `count` (nginx logs after answering)."""
    lines = []

    def enough():
        lines[:] = [line for line in log.read_text().splitlines() if re.search(pattern, line)]
        return len(lines) >= count
    wait_until(enough, f"{count} log lines matching {pattern!r}", timeout=10)
    return lines


def test_the_second_identical_get_is_a_cache_hit(stack):
    base, _, app_ports = stack
    url = base + spec_query({**WORKED_EXAMPLE, "learning_rate": 0.25})  # a URL no other test asks for
    status, first_headers, first = fetch(url)
    assert status == 200 and first_headers["X-Cache-Status"] == "MISS"
    status, second_headers, second = fetch(url)
    assert status == 200 and second_headers["X-Cache-Status"] == "HIT"
    assert second == first and second_headers["ETag"] == first_headers["ETag"]
    assert second_headers["Cache-Control"] == "public, max-age=86400, immutable"
    # The cached bytes are the app's answer to the same body by POST, asked of a process directly.
    direct = fetch(f"http://127.0.0.1:{app_ports[0]}/api/trace", json.dumps({**WORKED_EXAMPLE, "learning_rate": 0.25})
                   .encode(), {"Content-Type": "application/json"})
    assert direct[0] == 200 and direct[2] == first
    # A client holding the trace revalidates against nginx's copy.
    status, _, body = fetch(url, headers={"If-None-Match": first_headers["ETag"]})
    assert status == 304 and body == b""


def test_posts_pass_through_to_both_processes(stack):
    base, log, app_ports = stack
    body = json.dumps({**WORKED_EXAMPLE, "learning_rate": 0.3}).encode()
    answers = [fetch(base + "/api/trace", body, {"Content-Type": "application/json"}) for _ in range(4)]
    assert {status for status, _, _ in answers} == {200}
    assert len({payload for _, _, payload in answers}) == 1
    assert all(headers.get("X-Cache-Status") in (None, "", "BYPASS") for _, headers, _ in answers)
    lines = logged(log, r'"POST /api/trace"', 4)
    # Every POST reached an app process (no cache status), and round robin used both.
    assert all(re.search(r"cache=-?$", line) for line in lines), lines
    assert {int(m) for line in lines for m in re.findall(r"upstream=127\.0\.0\.1:(\d+)", line)} == set(app_ports)


def test_errors_are_not_kept(stack):
    base, _, _ = stack
    url = base + "/api/trace?spec=not*base64"
    for _ in range(2):
        status, headers, body = fetch(url)
        assert status == 400 and json.loads(body)["field"] == "spec"
        assert headers["X-Cache-Status"] != "HIT"


def test_a_live_session_is_followed_through_nginx_and_never_cached(stack):
    base, log, app_ports = stack
    port = int(base.rsplit(":", 1)[1])
    status, _, body = fetch(base + "/api/sessions", b"", {"Content-Type": "application/json"})
    assert status == 201
    created = json.loads(body)
    sid, auth = created["id"], {"Authorization": f"Bearer {created['presenter_token']}",
                                "Content-Type": "application/json"}
    stream = EventStream("127.0.0.1", port, f"/api/sessions/{sid}/events")
    try:
        assert stream.status == 200 and stream.next()["data"]["version"] == 1
        for step in (1, 2, 3, 4):  # round robin: the changes reach both processes
            assert fetch(base + f"/api/sessions/{sid}/state", json.dumps({"step": step}).encode(), auth)[0] == 200
            assert stream.next(timeout=5)["data"]["step"] == step  # passed on as it is sent
        for _ in range(2):
            status, headers, body = fetch(base + f"/api/sessions/{sid}/state")
            assert status == 200 and json.loads(body)["step"] == 4
            assert headers.get("X-Cache-Status") in (None, "")  # not even looked up in the cache
        lines = logged(log, rf'"POST /api/sessions/{sid}/state"', 4)
        assert {int(m) for line in lines for m in re.findall(r"upstream=127\.0\.0\.1:(\d+)", line)} == set(app_ports)
    finally:
        stream.close()
