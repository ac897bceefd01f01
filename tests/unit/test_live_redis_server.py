"""tests/live_redis.py: where redis-server is missing, the tests that need it are skipped saying why and
how to install it, rather than failing or passing unnoticed."""
import pytest

from tests import live_redis


def test_a_missing_redis_server_skips_with_the_reason(monkeypatch):
    monkeypatch.setattr(live_redis, "BINARY", None)
    server = live_redis.RedisServer()
    try:
        with pytest.raises(pytest.skip.Exception) as skipped:
            server.start()
    finally:
        server.close()
    assert "redis-server is not installed" in str(skipped.value)
    assert ".ci/setup --browser" in str(skipped.value)
