"""`serve --workers 2` runs gunicorn with two worker processes that answer, and SIGINT (Ctrl-C) or
SIGTERM stops the arbiter and every worker; Windows gets a clear error instead."""
import json
import os
import signal
import subprocess
import sys
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
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"},
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_two_worker_processes_answer_and_all_stop(stop):
    port = free_port()
    proc = start(port)
    workers = set()
    try:
        base = f"http://127.0.0.1:{port}"
        with wait_for(base + "/api/presets") as r:
            assert r.status == 200 and r.headers["Server"] == "gunicorn"
            assert json.load(r)["default"] == "worked-example"
        workers = children(proc.pid)
        assert len(workers) == 2
        with wait_for(base + "/") as r:
            assert r.status == 200 and b"Traceback" not in r.read()
        proc.send_signal(stop)
        # A bound on a hang, not a speed target: other tests may hold both cores.
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
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
