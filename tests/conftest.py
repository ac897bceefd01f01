"""Shared fixtures: app -> client, as in the Flask tutorial's tests."""
import pytest

from webapp import create_app


@pytest.fixture
def app():
    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def redis_url():
    """A redis-server of its own for a test module (skipped where redis-server is not installed)."""
    from tests.live_redis import RedisServer

    server = RedisServer().start()
    yield server.url
    server.close()
