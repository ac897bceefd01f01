"""GET /api/sessions/<id>/events: the current state first, then each change, keep-alives, the end;
the stream counts as a follower while open; limits. Read with Flask's test client (one event per
chunk) and, for a client that goes away, through a real waitress server."""
import http.client
import json
import threading

import pytest
from live_support import Session, error_of, parse_event
from waitress.server import create_server

from webapp.live.store import MemoryStore


def test_the_stream_starts_with_retry_and_the_current_state(session):
    session.change(step=5)
    events = session.events()
    r = events.response
    assert r.status_code == 200 and r.mimetype == "text/event-stream"
    assert r.headers["Cache-Control"] == "no-store" and r.headers["X-Accel-Buffering"] == "no"
    assert events.next() == {"retry": "2000"}
    first = events.next()
    assert first["id"] == "2" and first["data"]["step"] == 5 and first["data"]["version"] == 2
    assert first["data"]["followers"] == 1  # itself
    events.close()


def test_each_change_arrives_as_the_next_event(session):
    events = session.events()
    events.next(), events.next()
    for step in (1, 2, 3):
        session.change(step=step)
    got = [events.next() for _ in range(3)]
    assert [(e["id"], e["data"]["step"]) for e in got] == [("2", 1), ("3", 2), ("4", 3)]
    session.change(mode="lecture")
    assert events.next()["data"]["mode"] == "lecture"
    events.close()


def test_the_follower_count_rises_and_falls(session):
    assert session.state()["followers"] == 0
    one = session.events()
    one.next(), one.next()
    assert session.state()["followers"] == 1
    two = session.events()
    two.next()
    assert two.next()["data"]["followers"] == 2
    assert session.state()["followers"] == 2
    one.close()
    assert session.state()["followers"] == 1
    two.close()
    assert session.state()["followers"] == 0


def test_a_stream_closed_before_its_first_event_is_counted_out_and_frees_its_slot(make_app):
    client = make_app(LIVE_STREAM_SLOTS=1).test_client()
    s = Session(client)
    s.events().close()
    assert s.state()["followers"] == 0
    again = s.events()  # the one slot is free again
    assert again.response.status_code == 200
    again.close()


def test_reconnecting_with_last_event_id_gets_the_current_state(session):
    events = session.events()
    events.next(), events.next()
    events.close()
    session.change(step=7)  # missed while away
    session.change(step=8)
    again = session.events(headers={"Last-Event-ID": "1"})
    again.next()
    current = again.next()
    assert (current["id"], current["data"]["step"]) == ("3", 8)
    session.change(step=9)
    assert again.next()["data"]["step"] == 9
    again.close()


def test_keep_alive_comments_while_nothing_changes(session):
    events = session.events()
    events.next(), events.next()
    assert next(events.chunks) == b": keep-alive\n\n"  # LIVE_KEEPALIVE_SECONDS is 0.2 in these tests
    events.close()


def test_ending_the_session_ends_the_stream(session):
    events = session.events()
    events.next(), events.next()
    session.client.delete(session.url, headers=session.auth)
    assert events.next() == {"event": "end", "data": {"reason": "ended"}}
    with pytest.raises(StopIteration):
        next(events.chunks)
    events.close()


def test_an_expired_session_ends_the_stream(clocked_client, clock):
    s = Session(clocked_client)
    events = s.events()
    events.next(), events.next()
    clock.now += 61
    assert events.next() == {"event": "end", "data": {"reason": "expired"}}
    events.close()


def test_unknown_session_is_404(live_client):
    error_of(live_client.get("/api/sessions/nope/events"), 404, "session")


def test_the_follower_limit_is_a_429(make_app):
    client = make_app(LIVE_MAX_FOLLOWERS=1).test_client()
    s = Session(client)
    first = s.events()
    first.next()
    r = client.get(f"{s.url}/events")
    error_of(r, 429, "session")
    assert int(r.headers["Retry-After"]) >= 1
    first.close()
    second = s.events()
    assert second.next() == {"retry": "2000"}
    second.close()


def test_no_stream_slot_left_is_a_503_until_one_is_freed(make_app):
    client = make_app(LIVE_STREAM_SLOTS=1).test_client()
    a, b = Session(client), Session(client)
    first = a.events()
    first.next()
    r = client.get(f"{b.url}/events")
    error_of(r, 503, "session")
    assert int(r.headers["Retry-After"]) >= 1
    assert b.state()["followers"] == 0  # a refused stream is not counted
    first.close()
    second = b.events()
    second.next()
    second.close()


class FailingJoin(MemoryStore):
    def __init__(self):
        super().__init__()
        self.fail = True

    def join(self, sid, conn, max_followers, ttl):
        if self.fail:
            raise ConnectionError("the broker went away")
        return super().join(sid, conn, max_followers, ttl)


def test_a_store_failure_while_opening_gives_the_slot_back(make_app):
    app = make_app(LIVE_STREAM_SLOTS=1)
    store = app.extensions["live"].store = FailingJoin()
    client = app.test_client()
    s = Session(client)
    with pytest.raises(ConnectionError):  # TESTING: the app's exception reaches the test
        client.get(f"{s.url}/events")
    store.fail = False
    events = s.events()
    assert events.next() == {"retry": "2000"}
    events.close()


# ---- through a real server: a client that goes away --------------------------------------------

class WatchedStore(MemoryStore):
    """MemoryStore that tells the test when a follower leaves."""

    def __init__(self):
        super().__init__()
        self.left = threading.Event()

    def leave(self, sid, conn):
        super().leave(sid, conn)
        self.left.set()


@pytest.fixture
def server(make_app):
    app = make_app(LIVE_KEEPALIVE_SECONDS=5, LIVE_DISCONNECT_CHECK_SECONDS=0.2)
    store = app.extensions["live"].store = WatchedStore()
    # channel_request_lookahead lets waitress see a closed connection while the stream waits.
    server = create_server(app, host="127.0.0.1", port=0, threads=4, channel_request_lookahead=1)
    stopping = threading.Event()

    def run():
        try:
            server.run()
        except OSError:  # its select() on the socket close() just closed
            if not stopping.is_set():
                raise

    threading.Thread(target=run, daemon=True).start()
    yield server.effective_port, store
    stopping.set()
    server.close()


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers or {})
    response = conn.getresponse()
    return conn, response


def read_event(response) -> dict:
    lines = []
    while (line := response.readline().decode()) != "\n":
        lines.append(line)
    return parse_event("".join(lines) + "\n")


def test_a_real_server_streams_and_counts_out_a_client_that_left(server):
    port, store = server
    _, created = request(port, "POST", "/api/sessions")
    made = json.loads(created.read())
    sid, auth = made["id"], {"Authorization": f"Bearer {made['presenter_token']}"}
    conn, stream = request(port, "GET", f"/api/sessions/{sid}/events")
    assert stream.status == 200
    assert read_event(stream) == {"retry": "2000"}
    assert read_event(stream)["data"]["followers"] == 1
    request(port, "POST", f"/api/sessions/{sid}/state", {"step": 6}, auth)[1].read()
    assert read_event(stream)["data"]["step"] == 6
    stream.close()  # the tab is closed: the response holds the socket, the connection too
    conn.close()
    assert store.left.wait(4)  # well before the 5 s keep-alive: waitress reported the client gone
    _, state = request(port, "GET", f"/api/sessions/{sid}/state")
    assert json.loads(state.read())["followers"] == 0
