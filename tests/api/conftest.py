"""Fixtures for the live sessions' API tests (helpers in live_support.py)."""
import pytest
from live_support import Clock, Session

from webapp import create_app
from webapp.live.store import MemoryStore


@pytest.fixture
def make_app():
    def make(**config):
        return create_app({"TESTING": True, "LIVE_KEEPALIVE_SECONDS": 0.2, **config})
    return make


@pytest.fixture
def live_client(make_app):
    return make_app().test_client()


@pytest.fixture
def session(live_client):
    return Session(live_client)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def clocked_client(make_app, clock):
    """A client of an app whose store keeps time by `clock`, with a 60 s idle expiry."""
    app = make_app(LIVE_IDLE_SECONDS=60)
    app.extensions["live"].store = MemoryStore(clock=clock, sweep_seconds=5)
    return app.test_client()
