"""Shared fixtures: app -> client, as in the Flask tutorial's tests."""
import pytest

from webapp import create_app


@pytest.fixture
def app():
    return create_app({"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()
