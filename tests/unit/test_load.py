"""The load script runs bounded, serves both phases without errors or small 503s, compares 1 and 2
workers by their ratio, counts 503s apart from errors, and refuses non-loopback hosts."""
import importlib.util
import subprocess
import sys
from pathlib import Path

LOAD = Path(__file__).resolve().parents[1] / "benchmarks" / "load.py"


def run(*args, timeout=60):
    return subprocess.run([sys.executable, str(LOAD), *args], capture_output=True, text=True, timeout=timeout)


def table(stdout: str, header: str) -> list[list[str]]:
    """The rows (cells as text) of the markdown table under the line starting with `header`."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header)) + 3  # title, head, rule
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_small_load_run_with_2_workers_has_no_errors_and_no_small_503s():
    # Small enough to stay quick: one server (gunicorn, 2 workers), two windows of a fifth of a second.
    result = run("--workers", "2", "--clients", "2", "--small-clients", "1", "--seconds", "0.2", "--rounds", "1")
    assert result.returncode == 0, result.stdout + result.stderr
    mix = table(result.stdout, "Mix:")
    assert [row[0] for row in mix] == ["2"]
    for _, served, _, busy, errors, *_ in mix:
        assert int(served) > 0 and int(busy) >= 0 and int(errors) == 0
    heavy = table(result.stdout, "Heavy:")
    assert [row[0] for row in heavy] == ["2"]
    for _, _, _, small_served, small_busy, errors, *_ in heavy:
        assert int(small_served) > 0 and int(small_busy) == 0 and int(errors) == 0


def load_module():
    sys.path.insert(0, str(LOAD.parent))
    spec = importlib.util.spec_from_file_location("load", LOAD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def result(small_busy=0, errors=0, busy=5):
    counts = {"served": 10, "per_second": 1.0, "busy": busy, "errors": 0, "p50_ms": 1.0, "p99_ms": 2.0,
              "server_cores": 1.0}
    return {"mix": {**counts, "errors": errors}, "heavy": counts, "small": {**counts, "busy": small_busy}}


def test_the_tables_compare_1_and_2_workers_by_their_ratio(capsys):
    one, two = result(), result()
    one["mix"]["per_second"], two["mix"]["per_second"] = 10.0, 18.0
    load_module().print_tables({1: one, 2: two}, clients=50, small_clients=5, seconds=20)
    out = capsys.readouterr().out
    assert "Throughput, 2 workers / 1: 1.80x" in out
    assert [row[0] for row in table(out, "Mix:")] == ["1", "2"]
    assert [row[0] for row in table(out, "Heavy:")] == ["1", "2"]


def test_503s_to_heavy_requests_pass_but_errors_and_503s_to_small_ones_fail():
    failed = load_module().failed
    assert not failed({1: result(), 2: result()})  # 503s answered to heavy requests: the designed answer
    assert failed({1: result(), 2: result(errors=1)})
    assert failed({1: result(small_busy=1), 2: result()})


def test_refuses_other_hosts():
    result = run("--host", "192.0.2.1", "--seconds", "1", timeout=20)
    assert result.returncode != 0
    assert "loopback only" in result.stderr
