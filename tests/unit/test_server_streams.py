"""The server set-up for live event streams (webapp/server.py): waitress, configured as `serve` does,
sends each server-sent event the moment the app yields it (no buffering up to some byte count), and
holds as many open streams at once as it was given slots."""
import http.client
import json
import threading
import time
import tracemalloc

import pytest
from waitress import create_server

from webapp.server import CONNECTIONS_BESIDE_STREAMS, STREAM_BUFFER_BYTES, options, waitress_options

HOLD_SECONDS = 10  # the longest the app holds a stream waiting for the test (a failure, not a pace)


def test_the_pools_have_a_thread_for_every_stream_slot_beside_the_ordinary_threads():
    settings = waitress_options("127.0.0.1", 8000, threads=8, stream_slots=300)
    assert settings["threads"] == 308
    assert settings["connection_limit"] == 300 + CONNECTIONS_BESIDE_STREAMS
    assert settings["asyncore_use_poll"] is True  # select() stops at file descriptor 1024
    assert settings["channel_request_lookahead"] > 0  # or waitress.client_disconnected never says so
    gunicorn = options("127.0.0.1", 8000, workers=2, threads=8, stream_slots=300)
    assert gunicorn["worker_class"] == "gthread"
    assert gunicorn["threads"] == 308  # per worker
    assert gunicorn["worker_connections"] == 308 + CONNECTIONS_BESIDE_STREAMS


class EventApp:
    """A WSGI app streaming `events` events per request; before each next one it waits until the test
    says the client has read the last one, so an event held in a buffer would stall the test."""

    def __init__(self, events: int, streams: int = 1):
        self.events = events
        self.sent_at: list[float] = []
        self.read = [threading.Event() for _ in range(events)]
        self.all_open = threading.Barrier(streams, timeout=HOLD_SECONDS)

    def __call__(self, environ, start_response):
        start_response("200 OK", [("Content-Type", "text/event-stream"), ("Cache-Control", "no-store")])
        return self.stream(environ["PATH_INFO"] == "/many")

    def stream(self, many: bool):
        if many:
            # Every stream answers its first event only once all of them are open at the same time.
            self.all_open.wait()
            yield b"data: open\n\n"
            return
        for n in range(self.events):
            self.sent_at.append(time.perf_counter())
            yield f"id: {n}\ndata: {{\"n\": {n}}}\n\n".encode()
            if not self.read[n].wait(HOLD_SECONDS):
                return


@pytest.fixture
def serve():
    servers = []

    def start(app, threads, stream_slots):
        settings = waitress_options("127.0.0.1", 0, threads, stream_slots)
        server = create_server(app, **settings)
        threading.Thread(target=server.run, daemon=True).start()
        servers.append(server)
        return server.effective_port

    yield start
    for server in servers:
        server.task_dispatcher.shutdown()
        server.close()


def read_event(response) -> bytes:
    lines = []
    while (line := response.readline()) not in (b"\n", b""):
        lines.append(line)
    return b"".join(lines)


def test_each_event_reaches_the_client_at_once(serve):
    app = EventApp(events=20)
    port = serve(app, threads=2, stream_slots=2)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=HOLD_SECONDS)
    connection.request("GET", "/events")
    response = connection.getresponse()
    delays = []
    for n in range(app.events):
        event = read_event(response)
        delays.append(time.perf_counter() - app.sent_at[n])
        assert event == f"id: {n}\ndata: {{\"n\": {n}}}\n".encode()
        app.read[n].set()
    connection.close()
    # A 20-byte event held back until some byte count would never arrive (the app waits for it to be
    # read); it arrives in well under a millisecond on loopback (a tenth of a second allows a loaded machine).
    assert max(delays) < 0.1, delays


def test_a_process_holds_as_many_open_streams_as_its_slots(serve):
    streams = 40
    app = EventApp(events=0, streams=streams)
    port = serve(app, threads=1, stream_slots=streams - 1)  # 40 threads in all
    connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=HOLD_SECONDS) for _ in range(streams)]
    for connection in connections:
        connection.request("GET", "/many")
    # Each stream's first event is sent only once all 40 are open together: with fewer threads the
    # barrier would time out and every stream would end without it.
    for connection in connections:
        assert read_event(connection.getresponse()) == b"data: open\n"
        connection.close()


def test_a_long_stream_does_not_keep_what_it_has_sent(serve):
    # 200 events of 20 KB (a large network's state at every step): 4 MB through one open stream.
    event, count = b"data: " + b"x" * 20_000 + b"\n\n", 200
    all_read, held = threading.Event(), []

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/event-stream")])

        def body():
            yield from (event for _ in range(count))
            all_read.wait(HOLD_SECONDS)  # the stream stays open while the test measures
        return body()

    port = serve(app, threads=1, stream_slots=1)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=HOLD_SECONDS)
        connection.request("GET", "/events")
        response = connection.getresponse()
        for _ in range(count):
            assert read_event(response).startswith(b"data: xxx")
        held.append(tracemalloc.get_traced_memory()[0] - before)
    finally:
        tracemalloc.stop()
        all_read.set()
    connection.close()
    # waitress's default would keep all 4 MB sent until the stream ends (a new buffer only every 16 MB).
    assert held[0] < 2 * STREAM_BUFFER_BYTES + 10 * len(event), held


def test_behind_the_https_proxy_a_join_link_says_https(serve):
    # deploy/nginx passes X-Forwarded-Proto from loopback; the app builds the join link from the scheme.
    from webapp import create_app
    port = serve(create_app({"TESTING": True}), threads=4, stream_slots=2)
    links = []
    for headers in ({"X-Forwarded-Proto": "https"}, {}):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("POST", "/api/sessions", body=b"{}", headers={"Content-Type": "application/json", **headers})
        response = connection.getresponse()
        assert response.status == 201
        links.append(json.loads(response.read())["join_url"])
        connection.close()
    assert links[0].startswith(f"https://127.0.0.1:{port}/live/")
    assert links[1].startswith(f"http://127.0.0.1:{port}/live/")
