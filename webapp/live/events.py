"""GET /api/sessions/<id>/events: a session's states as server-sent events, for as long as it lasts.

The stream subscribes before it reads the current state, sends that state, then every published state
with a higher version: nothing published in between is lost, and nothing is sent twice. A reconnecting
EventSource (with or without Last-Event-ID) gets the current state first, so it catches up at once.
While it is open the stream counts as one of the session's followers (join, heartbeat at each
keep-alive, leave when it closes, including when the client has gone away).
"""
import json
import secrets
import threading
import time
from collections import OrderedDict

from .sessions import Live, record_of, retry_later


def event(state: dict) -> bytes:
    # One line of JSON (json.dumps escapes every newline inside strings), so one data: line.
    return f"id: {state['version']}\ndata: {json.dumps(state, separators=(',', ':'))}\n\n".encode()


class PublishedEvents:
    """The bytes of each published state, encoded once per process rather than once per stream: a
    large network's 15 KB state took 0.8 ms to encode, 250 ms of a core per step for 300 streams.
    A (session, version) names one published state, so it is the key; the newest few are kept."""

    def __init__(self, size: int = 256):
        self.size, self.lock, self.encoded = size, threading.Lock(), OrderedDict()

    def __call__(self, sid: str, state: dict) -> bytes:
        key = (sid, state["version"])
        with self.lock:
            data = self.encoded.get(key)
        if data is None:
            data = event(state)  # outside the lock: two streams may both encode it, once
            with self.lock:
                self.encoded[key] = data
                if len(self.encoded) > self.size:
                    self.encoded.popitem(last=False)
        return data


published_event = PublishedEvents()


def end_event(reason: str) -> bytes:
    return f"event: end\ndata: {json.dumps({'reason': reason})}\n\n".encode()


GONE = object()


class EventStream:
    """The response body: iterating it yields the events; close() (which the WSGI server calls when
    the response ends or the client goes away, even before the first event) gives back the stream's
    slot and counts the follower out."""

    def __init__(self, live: Live, sid: str, client_gone=None):
        self.live, self.sid, self.conn = live, sid, secrets.token_urlsafe(8)
        # waitress's environ["waitress.client_disconnected"] (with channel_request_lookahead > 0):
        # asked between waits, so a closed tab is counted out in seconds, not at the next keep-alive.
        self.client_gone = client_gone
        self._closed = False
        limits = live.limits
        if not live.stream_slots.acquire(blocking=False):
            raise retry_later("session", "this server has no room for another live stream just now: "
                              "the page reconnects by itself", limits, 503)
        self.subscription = None
        try:
            record_of(live, sid)
            if live.store.join(sid, self.conn, limits.max_followers, limits.follower_ttl) is None:
                raise retry_later("session", f"this session already has its limit of {limits.max_followers} "
                                  "followers", limits)
            self.subscription = live.store.subscribe(sid)  # before the state is read: see the module doc
            self.first = {**record_of(live, sid)["state"], "followers": live.store.followers(sid)}
        except BaseException:  # a LiveError, or the store failing: the slot must come back either way
            self.close()
            raise
        self._events = self._generate()

    def __iter__(self):
        return self._events

    def _generate(self):
        limits, store = self.live.limits, self.live.store
        yield f"retry: {limits.retry_ms}\n\n".encode()
        yield event(self.first)
        sent = self.first["version"]
        while True:
            message = self._wait(limits.keepalive_seconds)
            if message is GONE:
                return
            if message is None:
                if store.load(self.sid) is None:  # expired with nobody to tell us (no sweep yet)
                    yield end_event("expired")
                    return
                store.heartbeat(self.sid, self.conn, limits.follower_ttl)
                yield b": keep-alive\n\n"
            elif "end" in message:
                yield end_event(message["end"])
                return
            elif message["version"] > sent:
                yield published_event(self.sid, message)
                sent = message["version"]

    def _wait(self, seconds: float):
        """The next message; None when `seconds` pass without one; GONE once the client has left."""
        if self.client_gone is None:
            return self.subscription.get(seconds)
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            message = self.subscription.get(min(left, self.live.limits.disconnect_check_seconds))
            if message is not None:
                return message
            if self.client_gone():
                return GONE
        return None

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if getattr(self, "_events", None) is not None:
                try:
                    self._events.close()
                except ValueError:  # running in another thread right now: it ends at its next yield
                    pass
            if self.subscription is not None:
                self.subscription.close()
            self.live.store.leave(self.sid, self.conn)
        finally:
            self.live.stream_slots.release()
