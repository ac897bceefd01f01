"""Two app processes sharing one Redis (`serve --broker`): the presenter on one, a follower on the other.

Each is `python -m webapp serve --port P --broker redis://127.0.0.1:R/0`, a production server as in
deploy/README.md, against a redis-server this module starts on loopback (skipped, saying why, where
redis-server is not installed). A session created and stepped on process A reaches an event stream
open on process B, every state in order; a poll opened on A is answered on B and A's results count it;
the reveal and the end reach B too. The correct value is the worked example's reference figure.
"""
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.sse_client import EventStream
from tests.live_redis import free_port
from tests.processes import reap
from webapp.presets import WORKED_EXAMPLE

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
FIGURES = {f["step"]: f for f in json.loads((ROOT / "tests" / "data" / "worked_example.json").read_text())["figures"]}
DE_DW21 = float(FIGURES["grad-w2-0-0"]["value"])  # -9.6, by hand


def call(port, method, path, body=None, token=None):
    """(status, decoded JSON or None) of a request to the process on `port`."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def wait_until_serving(port, process):
    """Ask until the process answers (a process starting to listen has no event to await from here)."""
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, process.stderr.read().decode()
        try:
            if call(port, "GET", "/api/meta")[0] == 200:
                return
        except OSError:
            pass
        assert time.monotonic() < deadline, f"the app on port {port} did not start"
        time.sleep(0.05)


@pytest.fixture(scope="module")
def processes(redis_url):
    """Ports of two `serve --broker` processes on the module's Redis."""
    ports = [free_port(), free_port()]
    started = [subprocess.Popen([sys.executable, "-m", "webapp", "serve", "--port", str(port), "--broker", redis_url],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for port in ports]
    try:
        for port, process in zip(ports, started):
            wait_until_serving(port, process)
        yield ports
    finally:
        for process in started:
            process.terminate()
        reap(started)


def step_index(port, step_id):
    """Where the page's player puts a step: its place in the worked example's steps."""
    status, trace = call(port, "POST", "/api/trace", WORKED_EXAMPLE)
    assert status == 200
    return [step["id"] for step in trace["steps"]].index(step_id)


def test_a_follower_on_one_process_follows_a_presenter_on_the_other(processes):
    a, b = processes
    status, created = call(a, "POST", "/api/sessions")
    assert status == 201, created
    sid, token = created["id"], created["presenter_token"]
    stream = EventStream("127.0.0.1", b, f"/api/sessions/{sid}/events")
    try:
        assert stream.status == 200 and stream.headers["Content-Type"].startswith("text/event-stream")
        first = stream.next()
        assert first["data"]["version"] == 1 and first["data"]["step"] == 0 and first["id"] == "1"
        # The follower counts on process A too: the count is kept in Redis.
        assert call(a, "GET", f"/api/sessions/{sid}/state")[1]["followers"] == 1

        changes = [{"step": 1}, {"step": 2}, {"mode": "lecture"}, {"step": 3},
                   {"spec": {**WORKED_EXAMPLE, "inputs": [2.0]}}, {"step": 4}]
        for n, change in enumerate(changes, start=2):
            status, state = call(a, "POST", f"/api/sessions/{sid}/state", change, token)
            assert status == 200 and state["version"] == n
        received = [stream.next()["data"] for _ in changes]
        assert [state["version"] for state in received] == list(range(2, 2 + len(changes)))
        assert [state["step"] for state in received] == [1, 2, 2, 3, 3, 4]
        assert received[2]["mode"] == "lecture" and received[4]["spec"]["inputs"] == [2.0]
        assert received[-1] == {**call(b, "GET", f"/api/sessions/{sid}/state")[1], "followers": 1}

        # A poll opened on A at the step of ∂e/∂w21 shows on B; an answer posted on B counts on A.
        k = step_index(a, "grad-w2-0-0")
        status, opened = call(a, "POST", f"/api/sessions/{sid}/polls", {"step": k}, token)
        assert status == 201, opened
        pid = opened["poll_id"]
        assert stream.next()["data"]["poll"] == {"id": pid, "step": k, "step_id": "grad-w2-0-0",
                                                 "symbol": FIGURES["grad-w2-0-0"]["symbol"], "status": "open"}
        status, answer = call(b, "POST", f"/api/sessions/{sid}/polls/{pid}/answers",
                              {"client": "device-on-b-1", "answer": "\u22129.6"})
        assert status == 201 and answer == {"answer": "\u22129.6", "value": -9.6, "sign": -1}
        status, results = call(a, "GET", f"/api/sessions/{sid}/polls/{pid}", token=token)
        assert status == 200 and results["count"] == 1 and results["answers"] == {"device-on-b-1": "\u22129.6"}
        assert results["correct"] == DE_DW21

        # The reveal on A reaches B's stream, and B tells the device it was right.
        assert call(a, "POST", f"/api/sessions/{sid}/polls/{pid}/reveal", token=token)[0] == 200
        revealed = stream.next()["data"]["poll"]
        assert revealed["status"] == "revealed" and revealed["correct"] == DE_DW21
        status, verdict = call(b, "GET", f"/api/sessions/{sid}/polls/{pid}/answers/device-on-b-1")
        assert status == 200 and verdict["right"] is True

        # Ending the session on A ends the stream on B.
        assert call(a, "DELETE", f"/api/sessions/{sid}", token=token)[0] == 204
        assert stream.next() == {"event": "end", "data": {"reason": "ended"}}
        assert stream.next() is None
        assert call(b, "GET", f"/api/sessions/{sid}/state")[0] == 404
    finally:
        stream.close()


def test_a_stream_reconnecting_to_the_other_process_catches_up(processes):
    a, b = processes
    _, created = call(a, "POST", "/api/sessions")
    sid, token = created["id"], created["presenter_token"]
    for step in (1, 2, 3):
        call(b, "POST", f"/api/sessions/{sid}/state", {"step": step}, token)
    # A follower whose connection dropped comes back through the load balancer to A: the current state first.
    stream = EventStream("127.0.0.1", a, f"/api/sessions/{sid}/events")
    try:
        assert stream.next()["data"]["step"] == 3 and stream.headers["Cache-Control"] == "no-store"
    finally:
        stream.close()
    call(a, "DELETE", f"/api/sessions/{sid}", token=token)
