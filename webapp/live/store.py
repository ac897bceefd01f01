"""Where live sessions are kept: the Store protocol and MemoryStore, the in-process default.

Domain-free, so one service (sessions.py, polls.py) runs on every store: records are JSON-able dicts,
and the store knows only that a session's record holds its "state" with a "version". RedisStore
(redis_store.py) keeps the same things in Redis so several processes serve one session.
"""
import copy
import threading
import time
from dataclasses import dataclass, field
from typing import Protocol

from .hub import Hub


class Subscription(Protocol):
    def get(self, timeout: float) -> dict | None:
        """The next state published on the session, {"end": reason} when it ends, None after `timeout` s."""

    def close(self) -> None: ...


class Store(Protocol):
    def create(self, sid: str, record: dict, idle_seconds: float, max_sessions: int) -> bool:
        """Keep a new session's record (holding "state" with its "version"); False at the session limit."""

    def load(self, sid: str) -> dict | None:
        """The session's record with its latest state; None when unknown or expired."""

    def touch(self, sid: str, idle_seconds: float) -> None:
        """Push the session's idle expiry back to `idle_seconds` from now."""

    def save_state(self, sid: str, state: dict, idle_seconds: float) -> dict | None:
        """Merge the fields of `state` over the stored state, with version = the previous version + 1,
        in one atomic step; touch the session and publish the new state to its subscribers. Returns it,
        or None when the session is gone. A merge, not a replacement: the service sends only the fields
        it changes, so a poll opened while a step change is in flight is not overwritten by it."""

    def delete(self, sid: str, reason: str) -> bool:
        """Drop the session and publish {"end": reason}; False when it was not there."""

    def subscribe(self, sid: str) -> Subscription: ...

    def join(self, sid: str, conn: str, max_followers: int, ttl: float) -> int | None:
        """Count event stream `conn` in for `ttl` s; the follower count, or None when full (or gone)."""

    def heartbeat(self, sid: str, conn: str, ttl: float) -> None: ...

    def leave(self, sid: str, conn: str) -> None: ...

    def followers(self, sid: str) -> int: ...

    def put_poll(self, sid: str, poll: dict) -> None:
        """Keep `poll` (its "id" names it) with no answers yet."""

    def get_poll(self, sid: str, pid: str) -> dict | None: ...

    def update_poll(self, sid: str, pid: str, changes: dict) -> dict | None:
        """The poll with `changes` merged in; None when there is no such poll."""

    def put_answer(self, sid: str, pid: str, client: str, record: dict, max_clients: int) -> bool:
        """Keep `client`'s answer, replacing its earlier one; False when `max_clients` others answered."""

    def answers(self, sid: str, pid: str) -> dict[str, dict]:
        """client -> answer record, in the order the clients first answered."""

    def hit(self, key: str, window_seconds: float, limit: int) -> bool:
        """Count one event against `key`: True while at most `limit` fell in the current window."""


@dataclass
class Entry:
    record: dict
    expires: float
    polls: dict[str, dict] = field(default_factory=dict)
    answers: dict[str, dict[str, dict]] = field(default_factory=dict)
    followers: dict[str, float] = field(default_factory=dict)  # stream id -> when it is counted out


class MemoryStore:
    """Sessions in this process's memory: nothing to install, one process only (serve without --workers).

    Thread-safe (one lock; every operation is a few dict updates). An expired session is dropped when it
    is next touched, and a sweep at most every `sweep_seconds` drops the ones nobody asks for, ending
    their streams. `clock` is injectable so tests can move time.
    """

    def __init__(self, hub: Hub | None = None, clock=time.monotonic, sweep_seconds: float = 30):
        self.hub = hub or Hub()
        self._clock = clock
        self._sweep_seconds = sweep_seconds
        self._lock = threading.Lock()
        self._sessions: dict[str, Entry] = {}
        self._windows: dict[str, list] = {}  # rate-limit key -> [window start, count]
        self._last_sweep = clock()

    # ---- expiry ---------------------------------------------------------------------------

    def _entry(self, sid: str) -> Entry | None:
        """The live entry (call with the lock held); an expired one is dropped and its streams ended."""
        now = self._clock()
        self._sweep(now)
        entry = self._sessions.get(sid)
        if entry is not None and entry.expires <= now:
            self._drop(sid, "expired")
            return None
        return entry

    def _drop(self, sid: str, reason: str) -> None:
        del self._sessions[sid]
        self.hub.publish(sid, {"end": reason})

    def _sweep(self, now: float) -> None:
        if now - self._last_sweep < self._sweep_seconds:
            return
        self._last_sweep = now
        for sid in [sid for sid, entry in self._sessions.items() if entry.expires <= now]:
            self._drop(sid, "expired")
        self._windows = {key: window for key, window in self._windows.items() if now < window[0] + window[2]}

    # ---- sessions -------------------------------------------------------------------------

    def create(self, sid, record, idle_seconds, max_sessions) -> bool:
        with self._lock:
            now = self._clock()
            self._sweep(now)
            live = sum(1 for entry in self._sessions.values() if entry.expires > now)
            if live >= max_sessions:
                return False
            self._sessions[sid] = Entry(copy.deepcopy(record), now + idle_seconds)
            return True

    def load(self, sid):
        with self._lock:
            entry = self._entry(sid)
            return None if entry is None else copy.deepcopy(entry.record)

    def touch(self, sid, idle_seconds) -> None:
        with self._lock:
            entry = self._entry(sid)
            if entry is not None:
                entry.expires = self._clock() + idle_seconds

    def save_state(self, sid, state, idle_seconds):
        with self._lock:
            entry = self._entry(sid)
            if entry is None:
                return None
            previous = entry.record["state"]
            stored = {**previous, **copy.deepcopy(state), "version": previous["version"] + 1}
            entry.record["state"] = stored
            entry.expires = self._clock() + idle_seconds
            # Published under the lock, so subscribers see the versions in order.
            self.hub.publish(sid, stored)
            return copy.deepcopy(stored)

    def delete(self, sid, reason) -> bool:
        with self._lock:
            if self._entry(sid) is None:
                return False
            self._drop(sid, reason)
            return True

    def subscribe(self, sid):
        return self.hub.subscribe(sid)

    # ---- followers ------------------------------------------------------------------------

    def _counted(self, entry: Entry) -> dict[str, float]:
        now = self._clock()
        entry.followers = {conn: until for conn, until in entry.followers.items() if until > now}
        return entry.followers

    def join(self, sid, conn, max_followers, ttl):
        with self._lock:
            entry = self._entry(sid)
            if entry is None:
                return None
            counted = self._counted(entry)
            if conn not in counted and len(counted) >= max_followers:
                return None
            counted[conn] = self._clock() + ttl
            return len(counted)

    def heartbeat(self, sid, conn, ttl) -> None:
        with self._lock:
            entry = self._entry(sid)
            if entry is not None:
                entry.followers[conn] = self._clock() + ttl

    def leave(self, sid, conn) -> None:
        with self._lock:
            entry = self._sessions.get(sid)
            if entry is not None:
                entry.followers.pop(conn, None)

    def followers(self, sid) -> int:
        with self._lock:
            entry = self._entry(sid)
            return 0 if entry is None else len(self._counted(entry))

    # ---- polls and answers ----------------------------------------------------------------

    def put_poll(self, sid, poll) -> None:
        with self._lock:
            entry = self._entry(sid)
            if entry is not None:
                entry.polls[poll["id"]] = copy.deepcopy(poll)
                entry.answers[poll["id"]] = {}

    def get_poll(self, sid, pid):
        with self._lock:
            entry = self._entry(sid)
            poll = None if entry is None else entry.polls.get(pid)
            return copy.deepcopy(poll)

    def update_poll(self, sid, pid, changes):
        with self._lock:
            entry = self._entry(sid)
            if entry is None or pid not in entry.polls:
                return None
            entry.polls[pid].update(copy.deepcopy(changes))
            return copy.deepcopy(entry.polls[pid])

    def put_answer(self, sid, pid, client, record, max_clients) -> bool:
        with self._lock:
            entry = self._entry(sid)
            if entry is None or pid not in entry.answers:
                return False
            answers = entry.answers[pid]
            if client not in answers and len(answers) >= max_clients:
                return False
            answers[client] = dict(record)  # a replaced answer keeps its client's first place
            return True

    def answers(self, sid, pid):
        with self._lock:
            entry = self._entry(sid)
            return {} if entry is None else copy.deepcopy(entry.answers.get(pid, {}))

    def hit(self, key, window_seconds, limit) -> bool:
        with self._lock:
            now = self._clock()
            window = self._windows.get(key)
            if window is None or now >= window[0] + window[2]:
                window = self._windows[key] = [now, 0, window_seconds]
            if window[1] >= limit:
                return False
            window[1] += 1
            return True
