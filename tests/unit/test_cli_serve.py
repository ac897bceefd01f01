"""`serve --broker` and `--stream-slots`: what the options tell the app, and clear errors for a bad URL
or a Redis that does not answer (exit 2, before anything is served)."""
import argparse

import pytest

from tests.live_redis import free_port
from webapp.cli import add_serve_parser, main, serve_config
from webapp.live.limits import LiveLimits
from webapp.server import CONNECTIONS_BESIDE_STREAMS


def parsed(*options):
    """serve's parsed options, as `main` would hand them to _serve."""
    parser = argparse.ArgumentParser()
    add_serve_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(["serve", *options])


def test_one_process_keeps_sessions_itself_with_the_default_stream_slots():
    assert serve_config(parsed()) == {"LIVE_STREAM_SLOTS": LiveLimits().stream_slots}


def test_a_broker_is_handed_to_the_app():
    config = serve_config(parsed("--broker", "redis://127.0.0.1:6390/2", "--workers", "3", "--stream-slots", "250"))
    assert config == {"LIVE_STREAM_SLOTS": 250, "LIVE_BROKER": "redis://127.0.0.1:6390/2"}


def test_several_workers_without_a_broker_make_the_live_api_say_so():
    assert serve_config(parsed("--workers", "2"))["LIVE_REQUIRES_BROKER"] is True


@pytest.mark.parametrize("url, words", [
    ("http://127.0.0.1:6379/0", "must start with redis://"),
    ("redis://:6379/0", "names no host"),
    ("redis://127.0.0.1:70000/0", "port must be a number from 1 to 65535"),
    ("redis://127.0.0.1:6379/zero", "database (the path) must be a number"),
    ("redis://127.0.0.1:6379/0?db=1", "no query"),
])
def test_a_bad_broker_url_is_refused_naming_the_option(url, words, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--broker", url])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--broker" in err and words in err and "redis://127.0.0.1:6379/0" in err


def test_a_password_in_the_url_is_never_printed(capsys):
    with pytest.raises(SystemExit):
        main(["serve", "--broker", "redis://:hunter2@127.0.0.1:6379/x"])
    err = capsys.readouterr().err
    assert "hunter2" not in err and ":***@127.0.0.1" in err


def test_a_broker_that_does_not_answer_stops_serve_before_it_listens(capsys):
    port = free_port()  # nothing listens there
    assert main(["serve", "--port", str(free_port()), "--broker", f"redis://127.0.0.1:{port}/0"]) == 2
    out, err = capsys.readouterr()
    assert f"cannot reach Redis at redis://127.0.0.1:{port}/0" in err
    assert "Serving" not in out


def test_stream_slots_must_be_positive(capsys):
    with pytest.raises(SystemExit):
        main(["serve", "--stream-slots", "0"])
    assert "--stream-slots" in capsys.readouterr().err


def test_connections_beside_streams_keep_waitress_default():
    # waitress's own connection_limit default, kept for the ordinary traffic beside the streams.
    from waitress.adjustments import Adjustments

    assert CONNECTIONS_BESIDE_STREAMS == Adjustments.connection_limit
