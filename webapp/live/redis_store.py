"""RedisStore: the Store protocol (store.py) kept in Redis, so any number of processes and machines serve
one session (`serve --broker redis://HOST:PORT/DB`).

Each operation is one atomic step in Redis: a Lua script (redis_scripts.py, which also documents the key
layout), or for the two merges (a session's state, a poll) an optimistic transaction that WATCHes the
key and retries if another process changed it meanwhile; merging in Python keeps every number exactly
as the service wrote it. A new state is stored and published in the same transaction, so the channel
carries the versions in the order they were made, whichever process made them. Every process runs one
listener thread (redis_listener.py) that hands published messages to its own Hub, where the event
streams wait; a process that forks (gunicorn workers) starts its own on first use.

When Redis cannot be reached an operation raises the service's LiveError (503, field "broker", with
Retry-After) instead of an exception the API would turn into a 500; the listener keeps reconnecting.
"""
import functools
import os
import threading
from collections import Counter

import orjson
import redis

from . import redis_scripts
from .errors import LiveError
from .hub import Hub
from .redis_listener import Listener

PREFIX = "backprop-explainer:live:"
# Connections per process: requests use one for a few milliseconds each; event streams use none while
# they wait (they wait on the Hub), so a few dozen serve hundreds of streams. A request that finds them
# all busy waits up to POOL_WAIT_SECONDS for one.
MAX_CONNECTIONS = 32
POOL_WAIT_SECONDS = 5
SOCKET_SECONDS = 5
SUBSCRIBE_WAIT_SECONDS = 5  # the first stream of a process waits this long at most for the listener
RETRY_AFTER_SECONDS = 2
UNREACHABLE = "the live sessions' store (Redis) cannot be reached just now; try again in a moment"


def dumps(value) -> str:
    return orjson.dumps(value).decode()


def reachable(method):
    """Redis being away becomes the service's 503 naming the broker, not a 500."""
    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            raise LiveError("broker", UNREACHABLE, 503, retry_after=RETRY_AFTER_SECONDS) from exc
    return wrapper


class LocalSubscription:
    """A Hub subscription that also tells the store which sessions have streams in this process."""

    def __init__(self, store: "RedisStore", sid: str):
        self._store, self.sid = store, sid
        self._inner = store.hub.subscribe(sid)

    def get(self, timeout: float):
        return self._inner.get(timeout)

    def close(self) -> None:
        self._inner.close()
        self._store.stream_closed(self.sid)


class RedisStore:
    def __init__(self, url: str, hub: Hub | None = None, prefix: str = PREFIX, sweep_seconds: float = 30):
        self.hub = hub or Hub()
        self.prefix, self.channel = prefix, prefix + "events"
        pool = redis.BlockingConnectionPool.from_url(
            url, max_connections=MAX_CONNECTIONS, timeout=POOL_WAIT_SECONDS, socket_timeout=SOCKET_SECONDS,
            socket_connect_timeout=SOCKET_SECONDS, health_check_interval=10)
        self.client = redis.Redis(connection_pool=pool)
        self._scripts = {name: self.client.register_script(getattr(redis_scripts, name)) for name in (
            "CREATE", "ALIVE", "TOUCH", "DELETE", "JOIN", "HEARTBEAT", "FOLLOWERS", "PUT_POLL", "GET_POLL",
            "PUT_ANSWER", "ANSWERS", "SWEEP", "HIT")}
        self._sweep_seconds = sweep_seconds
        self._lock = threading.Lock()
        self._local: Counter[str] = Counter()  # session id -> streams open on it in this process
        self._listener: Listener | None = None
        self._listener_pid = None

    # ---- plumbing -------------------------------------------------------------------------

    def _key(self, sid: str, part: str) -> str:
        return f"{self.prefix}{{{sid}}}:{part}"

    def _run(self, name: str, sid: str, *args, client=None):
        """Run script `name` on session `sid` (its ARGV: prefix, sid, then `args`)."""
        return self._scripts[name](args=[self.prefix, sid, *args], client=client)

    def _listening(self) -> Listener:
        """This process's listener, started on first use (after a fork, anew: threads do not survive it)."""
        with self._lock:
            if self._listener is None or self._listener_pid != os.getpid() or not self._listener.is_alive():
                self._listener, self._listener_pid = Listener(self, self.hub, self._sweep_seconds), os.getpid()
                self._listener.start()
            return self._listener

    def stream_closed(self, sid: str) -> None:
        """A LocalSubscription on `sid` closed: one stream fewer here to catch up."""
        with self._lock:
            self._local[sid] -= 1
            if self._local[sid] <= 0:
                del self._local[sid]

    def catch_up(self) -> None:
        """Called by the listener once (re)subscribed: every local stream gets its session's current
        state, or its end, in case something was published while the listener was away."""
        with self._lock:
            sessions = list(self._local)
        for sid in sessions:
            record = self.load(sid)
            self.hub.publish(sid, record["state"] if record is not None else {"end": "expired"})

    @reachable
    def sweep(self) -> None:
        self._run("SWEEP", "")

    def close(self) -> None:
        if self._listener is not None:
            self._listener.stop()
        self.client.close()

    # ---- sessions -------------------------------------------------------------------------

    @reachable
    def create(self, sid, record, idle_seconds, max_sessions) -> bool:
        return self._run("CREATE", sid, dumps(record), ms(idle_seconds), max_sessions) == 1

    @reachable
    def load(self, sid):
        raw = self.client.get(self._key(sid, "record"))
        if raw is None:
            self._run("ALIVE", sid)  # ends its streams if it has just expired
            return None
        return orjson.loads(raw)

    @reachable
    def touch(self, sid, idle_seconds) -> None:
        self._run("TOUCH", sid, ms(idle_seconds))

    @reachable
    def save_state(self, sid, state, idle_seconds):
        key = self._key(sid, "record")

        def merge(pipe):
            raw = pipe.get(key)
            if raw is None:
                pipe.unwatch()
                self._run("ALIVE", sid)
                return None
            record = orjson.loads(raw)
            previous = record["state"]
            stored = record["state"] = {**previous, **state, "version": previous["version"] + 1}
            pipe.multi()
            pipe.set(key, dumps(record), keepttl=True)
            self._run("TOUCH", sid, ms(idle_seconds), client=pipe)
            pipe.publish(self.channel, dumps({"session": sid, "message": stored}))
            return stored

        # WATCHed: when another process changed the state meanwhile, redis-py runs merge again over its version.
        return self.client.transaction(merge, key, value_from_callable=True)

    @reachable
    def delete(self, sid, reason) -> bool:
        return self._run("DELETE", sid, reason) == 1

    @reachable
    def subscribe(self, sid):
        listener = self._listening()
        with self._lock:
            self._local[sid] += 1
        subscription = LocalSubscription(self, sid)
        # Subscribed before the stream reads the state, or a state saved in between would be lost. If
        # Redis is away, the stream goes on: the listener's catch-up brings it the state when it is back.
        listener.subscribed.wait(SUBSCRIBE_WAIT_SECONDS)
        return subscription

    # ---- followers ------------------------------------------------------------------------

    @reachable
    def join(self, sid, conn, max_followers, ttl):
        count = self._run("JOIN", sid, conn, max_followers, ms(ttl))
        return None if count < 0 else count

    @reachable
    def heartbeat(self, sid, conn, ttl) -> None:
        self._run("HEARTBEAT", sid, conn, ms(ttl))

    @reachable
    def leave(self, sid, conn) -> None:
        self.client.zrem(self._key(sid, "followers"), conn)

    @reachable
    def followers(self, sid) -> int:
        return self._run("FOLLOWERS", sid)

    # ---- polls and answers ----------------------------------------------------------------

    @reachable
    def put_poll(self, sid, poll) -> None:
        self._run("PUT_POLL", sid, poll["id"], dumps(poll))

    @reachable
    def get_poll(self, sid, pid):
        raw = self._run("GET_POLL", sid, pid)
        return None if raw is None else orjson.loads(raw)

    @reachable
    def update_poll(self, sid, pid, changes):
        polls, record = self._key(sid, "polls"), self._key(sid, "record")

        def merge(pipe):
            raw = pipe.hget(polls, pid) if pipe.exists(record) else None
            if raw is None:
                pipe.unwatch()
                return None
            poll = {**orjson.loads(raw), **changes}
            pipe.multi()
            pipe.hset(polls, pid, dumps(poll))
            return poll

        return self.client.transaction(merge, polls, record, value_from_callable=True)

    @reachable
    def put_answer(self, sid, pid, client, record, max_clients) -> bool:
        return self._run("PUT_ANSWER", sid, pid, client, dumps(record), max_clients) == 1

    @reachable
    def answers(self, sid, pid):
        clients, values = self._run("ANSWERS", sid, pid)
        return {client.decode(): orjson.loads(value) for client, value in zip(clients, values)}

    @reachable
    def hit(self, key, window_seconds, limit) -> bool:
        return self._scripts["HIT"](keys=[f"{self.prefix}hit:{key}"], args=[ms(window_seconds), limit]) == 1


def ms(seconds: float) -> int:
    """Redis's expiries are whole milliseconds; at least one, so a tiny positive time still expires."""
    return max(1, round(seconds * 1000))
