"""The live benchmark (tests/benchmarks/bench_live.py) at a small size: 20 followers, a step every second
for 6 s, on one process, on two processes sharing Redis, and on two gunicorn workers sharing Redis (each
forked worker starts its own listener). The issue's targets hold here too: every
follower receives every step, p99 delivery under 1 s, no errors. Its arithmetic is checked on results
made by hand."""
import pytest

from tests.benchmarks.bench_live import Follower, run, summarize

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("mode", ["memory", "redis", "workers"])
def test_twenty_followers_get_every_step_within_a_second(mode):
    # The runs with Redis start their own redis-server, or skip saying why (tests/live_redis.py).
    result = run(mode, followers_count=20, seconds=6, interval=1, slots=30)
    assert result["steps"] == 6 and result["expected"] == 120
    assert result["received"] == 120 and result["complete_followers"] == 20, result
    assert result["errors"] == 0, result["error_samples"]
    assert result["p99_ms"] < 1000, result


def test_the_summary_counts_missing_steps_errors_and_delays():
    sent = {2: 100.0, 3: 102.0}
    whole, partial, broken = Follower(0), Follower(0), Follower(0)
    whole.arrivals = {1: 99.0, 2: 100.010, 3: 102.030}   # version 1: the state on connecting, not a step
    partial.arrivals = {1: 99.0, 3: 102.500}
    broken.error = "status [b'503']"
    result = summarize("memory", [whole, partial, broken], sent, ["step 3: timed out"],
                       before=[(1.0, 50.0)], after=[(4.0, 60.0)], seconds=6)
    assert (result["received"], result["expected"], result["complete_followers"]) == (3, 6, 1)
    assert result["errors"] == 2
    assert round(result["max_ms"]) == 500 and round(result["p50_ms"]) == 30  # delays 10, 30, 500 ms
    assert result["server_cpu_cores"] == 0.5 and result["server_rss_mb_after"] == 60.0
