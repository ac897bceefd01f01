"""The load script runs bounded, serves requests without errors, and refuses non-loopback hosts."""
import subprocess
import sys
from pathlib import Path

LOAD = Path(__file__).resolve().parents[1] / "benchmarks" / "load.py"


def run(*args, timeout=60):
    return subprocess.run([sys.executable, str(LOAD), *args], capture_output=True, text=True, timeout=timeout)


def test_small_load_run_has_requests_and_no_errors():
    result = run("--clients", "4", "--seconds", "2")
    assert result.returncode == 0, result.stderr
    row = result.stdout.strip().splitlines()[-1].strip("|").split("|")
    clients, seconds, requests, _, errors = (cell.strip() for cell in row[:5])
    assert (clients, seconds) == ("4", "2")
    assert int(requests) > 0
    assert int(errors) == 0


def test_refuses_other_hosts():
    result = run("--host", "192.0.2.1", "--seconds", "1", timeout=20)
    assert result.returncode != 0
    assert "loopback only" in result.stderr
