"""`serve --workers 2` runs gunicorn with two worker processes that answer, and SIGINT (Ctrl-C) or
SIGTERM stops the arbiter and every worker; Windows gets a clear error instead."""
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from test_serve import ROOT, free_port, wait_for

from webapp import cli

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from Linux's /proc")


def children(pid: int) -> set[int]:
    """The live processes whose parent is pid (field 4 of /proc/<pid>/stat, after the name in parentheses)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def start(port: int) -> subprocess.Popen:
    # SIGINT at its default, as in a terminal (a pytest-xdist worker ignores it and a child inherits that).
    return subprocess.Popen([sys.executable, "-m", "webapp", "serve", "--workers", "2", "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"},
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


class Log:
    """The server's stderr, line by line as it comes (a reader thread), so a test can await a line."""

    def __init__(self, stream):
        self.lines, self.arrived = queue.Queue(), []
        self.reader = threading.Thread(target=lambda: [self.lines.put(line) for line in stream], daemon=True)
        self.reader.start()

    def await_pids(self, pattern: bytes, count: int) -> list[int]:
        pids = []
        while len(pids) < count:
            line = self.lines.get(timeout=60)  # a bound on a hang: other tests may hold both cores
            self.arrived.append(line)
            match = re.search(pattern, line)
            pids += [int(match.group(1))] if match else []
        return pids

    def rest(self) -> bytes:
        self.reader.join(timeout=30)
        while not self.lines.empty():
            self.arrived.append(self.lines.get())
        return b"".join(self.arrived)


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_two_worker_processes_answer_and_all_stop(stop):
    port = free_port()
    proc = start(port)
    log, workers = Log(proc.stderr), []
    try:
        workers = log.await_pids(rb"Booting worker with pid: (\d+)", 2)
        assert children(proc.pid) == set(workers)  # two processes, both the arbiter's
        base = f"http://127.0.0.1:{port}"
        with wait_for(base + "/api/presets") as r:
            assert r.status == 200 and r.headers["Server"] == "gunicorn"
            assert json.load(r)["default"] == "worked-example"
        with wait_for(base + "/") as r:
            assert r.status == 200 and b"Traceback" not in r.read()
        proc.send_signal(stop)
        proc.wait(timeout=30)  # a bound on a hang, not a speed target
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    err = log.rest()
    assert proc.returncode == 0, err
    assert b"Traceback" not in err
    assert err.count(b"Booting worker") == 2
    # gunicorn reaps its workers before it exits: none is left running or as a zombie.
    assert not [pid for pid in workers if alive(pid)]


def test_windows_is_told_workers_need_posix(monkeypatch, capsys):
    monkeypatch.setattr(sys, "platform", "win32")
    assert cli.main(["serve", "--workers", "2"]) == 2
    assert "POSIX only" in capsys.readouterr().err


def test_workers_must_be_positive(capsys):
    with pytest.raises(SystemExit):
        cli.main(["serve", "--workers", "0"])
    assert "must be 1 or more" in capsys.readouterr().err
