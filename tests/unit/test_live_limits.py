"""The live limits: the issue's numbers by default, any of them overridden by app.config's LIVE_*."""
from webapp.live.limits import LiveLimits, from_config


def test_defaults_are_the_contracts():
    limits = LiveLimits()
    assert limits.idle_seconds == 2 * 60 * 60
    assert (limits.max_sessions, limits.max_followers) == (200, 500)
    assert (limits.answer_rate, limits.answer_window) == (5, 10)
    assert limits.retry_ms == 2000 and limits.keepalive_seconds == 15


def test_config_overrides_by_name_and_keeps_the_type():
    limits = from_config({"LIVE_IDLE_SECONDS": 60, "LIVE_MAX_FOLLOWERS": "3", "LIVE_STREAM_SLOTS": 7, "OTHER": 1})
    assert limits.idle_seconds == 60.0 and isinstance(limits.idle_seconds, float)
    assert limits.max_followers == 3 and limits.stream_slots == 7
    assert limits.max_sessions == 200  # untouched


def test_an_empty_config_gives_the_defaults():
    assert from_config({}) == LiveLimits()
