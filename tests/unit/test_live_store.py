"""The Store protocol's behaviour: one suite for MemoryStore (webapp/live/store.py) and RedisStore
(webapp/live/redis_store.py, against a redis-server of its own on loopback; skipped, saying why, where
redis-server is not installed).

Written against the protocol only. `store` runs a test on every store; `clock_and_store` moves the
MemoryStore's injected clock, for exact expiry arithmetic; the tests under "Real time" hold every store
to the same expiries with short idle times, awaiting the store's own events (an end published, a session
gone) rather than sleeping; the tests under "Redis" cover what only a shared store has: several
processes (stores) on one Redis, and Redis going away and coming back.
"""
import threading
import time
import uuid

import pytest

from webapp.live.errors import LiveError
from webapp.live.store import MemoryStore


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def memory_store(clock):
    return MemoryStore(clock=clock, sweep_seconds=5)


def redis_store(url, **options):
    from webapp.live.redis_store import RedisStore

    # A prefix of its own per store: tests sharing the module's redis-server never see each other's keys.
    return RedisStore(url, prefix=f"test-{uuid.uuid4().hex}:", **options)


@pytest.fixture
def clock_and_store():
    clock = Clock()
    return clock, memory_store(clock)


@pytest.fixture(params=["memory", "redis"])
def store(request):
    if request.param == "memory":
        yield MemoryStore(sweep_seconds=5)
        return
    store = redis_store(request.getfixturevalue("redis_url"))
    yield store
    store.close()


def record(version=1, **state):
    return {"token_hash": "h", "state": {"version": version, "step": 0, "poll": None, **state}}


def test_create_load_and_the_session_limit(store):
    assert store.create("a", record(), 60, 2) and store.create("b", record(), 60, 2)
    assert not store.create("c", record(), 60, 2)
    assert store.load("c") is None
    assert store.load("a") == record()
    assert store.load("nobody") is None


def test_a_loaded_record_is_a_copy(store):
    store.create("a", record(), 60, 5)
    store.load("a")["state"]["step"] = 99
    assert store.load("a")["state"]["step"] == 0


def test_idle_expiry_and_touch(clock_and_store):
    clock, store = clock_and_store
    store.create("a", record(), 60, 5)
    clock.now += 59
    store.touch("a", 60)
    clock.now += 59
    assert store.load("a") is not None  # touched at 59 s: 118 s in, 1 s left
    clock.now += 1
    assert store.load("a") is None
    assert store.save_state("a", {"step": 1}, 60) is None


def test_expired_sessions_free_their_places(clock_and_store):
    clock, store = clock_and_store
    store.create("a", record(), 60, 1)
    clock.now += 61
    assert store.create("b", record(), 60, 1)


def test_the_sweep_ends_the_streams_of_a_session_nobody_asks_for(clock_and_store):
    clock, store = clock_and_store
    store.create("a", record(), 60, 5)
    subscription = store.subscribe("a")
    clock.now += 61
    store.create("b", record(), 60, 5)  # any later call sweeps
    assert subscription.get(1) == {"end": "expired"}


def test_save_state_merges_counts_versions_and_publishes(store):
    store.create("a", record(version=4, mode="normal"), 60, 5)
    subscription = store.subscribe("a")
    first = store.save_state("a", {"step": 3, "version": 99}, 60)
    second = store.save_state("a", {"poll": {"id": "p"}}, 60)
    assert first == {"version": 5, "step": 3, "poll": None, "mode": "normal"}
    assert second == {"version": 6, "step": 3, "poll": {"id": "p"}, "mode": "normal"}
    assert [subscription.get(1), subscription.get(1)] == [first, second]
    assert subscription.get(0.01) is None
    assert store.load("a")["state"] == second


def test_concurrent_saves_get_distinct_versions(store):
    store.create("a", record(), 60, 5)
    subscription = store.subscribe("a")
    threads = [threading.Thread(target=lambda n=n: store.save_state("a", {"step": n}, 60)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.load("a")["state"]["version"] == 21
    assert [subscription.get(1)["version"] for _ in range(20)] == list(range(2, 22))  # in order


def test_delete_publishes_the_end(store):
    store.create("a", record(), 60, 5)
    subscription = store.subscribe("a")
    assert store.delete("a", "ended")
    assert subscription.get(1) == {"end": "ended"}
    assert not store.delete("a", "ended")
    assert store.load("a") is None


def test_a_closed_subscription_gets_nothing(store):
    store.create("a", record(), 60, 5)
    subscription = store.subscribe("a")
    subscription.close()
    store.save_state("a", {"step": 1}, 60)
    assert subscription.get(0.01) is None


def test_followers_join_heartbeat_leave_and_time_out(clock_and_store):
    clock, store = clock_and_store
    store.create("a", record(), 600, 5)
    assert store.join("a", "s1", 2, 30) == 1
    assert store.join("a", "s2", 2, 30) == 2
    assert store.join("a", "s3", 2, 30) is None  # full
    assert store.join("a", "s2", 2, 30) == 2     # already in
    store.leave("a", "s1")
    assert store.followers("a") == 1
    clock.now += 20
    store.heartbeat("a", "s2", 30)
    clock.now += 20
    assert store.followers("a") == 1  # s2's heartbeat at 20 s holds it to 50 s
    clock.now += 11
    assert store.followers("a") == 0  # no heartbeat: counted out
    assert store.followers("nobody") == 0 and store.join("nobody", "s", 5, 30) is None


def test_polls_and_answers_in_first_answer_order(store):
    store.create("a", record(), 60, 5)
    store.put_poll("a", {"id": "p", "status": "open", "correct": -9.6})
    assert store.get_poll("a", "p") == {"id": "p", "status": "open", "correct": -9.6}
    assert store.get_poll("a", "q") is None and store.update_poll("a", "q", {"status": "x"}) is None
    assert store.put_answer("a", "p", "c1", {"answer": "1"}, 2)
    assert store.put_answer("a", "p", "c2", {"answer": "2"}, 2)
    assert not store.put_answer("a", "p", "c3", {"answer": "3"}, 2)  # full
    assert store.put_answer("a", "p", "c1", {"answer": "-9.6"}, 2)   # a replacement is not a new client
    assert list(store.answers("a", "p").items()) == [("c1", {"answer": "-9.6"}), ("c2", {"answer": "2"})]
    assert store.update_poll("a", "p", {"status": "revealed"})["status"] == "revealed"
    assert store.get_poll("a", "p")["status"] == "revealed"
    assert store.answers("a", "q") == {}


def test_rate_windows(clock_and_store):
    clock, store = clock_and_store
    assert [store.hit("k", 10, 3) for _ in range(4)] == [True, True, True, False]
    assert store.hit("other", 10, 3)
    clock.now += 10
    assert store.hit("k", 10, 3)


# ---- Real time: every store, short idle times ---------------------------------------------------

SHORT = 0.3       # an idle time or ttl that passes during a test
LONG = 60         # one that does not
DEADLINE = 10     # the longest a test waits for something that takes SHORT (a loaded machine)


def await_true(condition, what):
    """Ask `condition` until it holds: time passing in the store has no event a test could wait on, but
    its consequences (a session gone, a follower counted out) can be asked for."""
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


@pytest.fixture(params=["memory", "redis"])
def real_store(request):
    """A store on the real clock, sweeping whenever it may."""
    if request.param == "memory":
        yield MemoryStore(sweep_seconds=0)
        return
    store = redis_store(request.getfixturevalue("redis_url"), sweep_seconds=0.05)
    yield store
    store.close()


def test_an_idle_session_expires_and_its_streams_are_told(real_store):
    real_store.create("a", record(), SHORT, 5)
    subscription = real_store.subscribe("a")
    await_true(lambda: real_store.load("a") is None, "the session to expire")
    assert subscription.get(DEADLINE) == {"end": "expired"}
    assert subscription.get(0.05) is None  # told once
    assert real_store.save_state("a", {"step": 1}, LONG) is None
    assert real_store.join("a", "s", 5, LONG) is None and real_store.followers("a") == 0


def test_touch_and_save_state_push_the_expiry_back(real_store):
    for sid in ("timer", "touched", "saved"):
        real_store.create(sid, record(), SHORT, 5)
    real_store.touch("touched", LONG)
    real_store.save_state("saved", {"step": 2}, LONG)
    # "timer" had the same idle time, untouched: once the store says it expired, so would the others.
    await_true(lambda: real_store.load("timer") is None, "the untouched session to expire")
    assert real_store.load("touched") is not None
    assert real_store.load("saved")["state"]["step"] == 2


def test_polls_and_answers_live_as_long_as_their_session(real_store):
    real_store.create("a", record(), SHORT, 5)
    real_store.put_poll("a", {"id": "p", "status": "open"})
    assert real_store.put_answer("a", "p", "c1", {"answer": "1"}, 5)
    real_store.touch("a", LONG)
    real_store.create("timer", record(), SHORT, 5)
    await_true(lambda: real_store.load("timer") is None, "a session of the same idle time to expire")
    assert real_store.get_poll("a", "p") == {"id": "p", "status": "open"}
    assert real_store.answers("a", "p") == {"c1": {"answer": "1"}}


def test_an_expired_session_frees_its_place(real_store):
    real_store.create("a", record(), SHORT, 1)
    assert not real_store.create("b", record(), LONG, 1)
    await_true(lambda: real_store.create("b", record(), LONG, 1), "the expired session's place")
    assert real_store.load("b") is not None


def test_a_follower_without_heartbeats_is_counted_out(real_store):
    real_store.create("a", record(), LONG, 5)
    assert real_store.join("a", "quiet", 2, SHORT) == 1
    assert real_store.join("a", "beating", 2, LONG) == 2
    assert real_store.join("a", "third", 2, LONG) is None  # full until "quiet" times out
    await_true(lambda: real_store.followers("a") == 1, "the follower without heartbeats to be counted out")
    assert real_store.join("a", "third", 2, LONG) == 2


def test_a_rate_window_reopens_when_it_has_passed(real_store):
    assert [real_store.hit("k", SHORT, 2) for _ in range(3)] == [True, True, False]
    assert real_store.hit("other", SHORT, 2)
    await_true(lambda: real_store.hit("k", SHORT, 2), "the window to pass")
    assert real_store.hit("k", SHORT, 2) and not real_store.hit("k", SHORT, 2)


# ---- Redis: several processes on one store, and Redis going away ---------------------------------

@pytest.fixture
def two_stores(redis_url):
    """Two RedisStores on one Redis and one prefix: two processes serving the same sessions."""
    first = redis_store(redis_url)
    second = redis_store(redis_url)
    second.prefix, second.channel = first.prefix, first.channel
    yield first, second
    first.close()
    second.close()


def test_a_state_saved_by_one_process_reaches_the_streams_of_another_in_order(two_stores):
    first, second = two_stores
    assert first.create("a", record(), LONG, 5)
    here, there = first.subscribe("a"), second.subscribe("a")
    savers = [threading.Thread(target=lambda n=n: (first, second)[n % 2].save_state("a", {"step": n}, LONG))
              for n in range(20)]
    for saver in savers:
        saver.start()
    for saver in savers:
        saver.join()
    expected = list(range(2, 22))  # one version each, whichever process saved it
    assert [here.get(DEADLINE)["version"] for _ in expected] == expected
    assert [there.get(DEADLINE)["version"] for _ in expected] == expected
    assert second.load("a")["state"]["version"] == 21


def test_sessions_followers_polls_and_answers_are_shared(two_stores):
    first, second = two_stores
    first.create("a", record(), LONG, 1)
    assert not second.create("b", record(), LONG, 1)  # one limit for the deployment
    assert first.join("a", "s1", 2, LONG) == 1 and second.join("a", "s2", 2, LONG) == 2
    assert first.join("a", "s3", 2, LONG) is None
    second.put_poll("a", {"id": "p", "status": "open"})
    assert first.put_answer("a", "p", "c1", {"answer": "1"}, 5)
    assert second.put_answer("a", "p", "c2", {"answer": "2"}, 5)
    assert first.put_answer("a", "p", "c1", {"answer": "3"}, 5)
    assert list(second.answers("a", "p")) == ["c1", "c2"] and second.answers("a", "p")["c1"] == {"answer": "3"}
    assert first.update_poll("a", "p", {"status": "revealed"})["status"] == "revealed"
    assert second.get_poll("a", "p")["status"] == "revealed"
    ended = first.subscribe("a")
    assert second.delete("a", "ended") and ended.get(DEADLINE) == {"end": "ended"}


def test_the_listener_sweep_ends_a_session_nobody_asks_for(redis_url):
    store = redis_store(redis_url, sweep_seconds=0.05)
    try:
        store.create("a", record(), SHORT, 5)
        subscription = store.subscribe("a")
        assert subscription.get(DEADLINE) == {"end": "expired"}  # no call to the store after create
    finally:
        store.close()


def test_redis_going_away_is_a_503_and_streams_resume_when_it_is_back():
    from tests.live_redis import RedisServer

    server = RedisServer().start()
    store, other = redis_store(server.url), redis_store(server.url)
    other.prefix, other.channel = store.prefix, store.channel
    try:
        store.create("a", record(), LONG, 5)
        subscription = store.subscribe("a")
        server.stop(keep_data=True)
        with pytest.raises(LiveError) as error:
            store.save_state("a", {"step": 1}, LONG)
        assert (error.value.status, error.value.field, error.value.retry_after) == (503, "broker", 2)
        server.start()
        # Saved while this process's listener may still be reconnecting: the stream gets version 2
        # either as it is published or from the catch-up once the listener is back, never an end.
        assert other.save_state("a", {"step": 3}, LONG)["version"] == 2
        received = []
        while not received or received[-1].get("version") != 2:
            received.append(subscription.get(DEADLINE))
            assert received[-1] is not None and "end" not in received[-1], received
    finally:
        store.close()
        other.close()
        server.close()


def test_the_catch_up_gives_each_local_stream_its_current_state_or_its_end(redis_url):
    store = redis_store(redis_url)
    try:
        store.create("a", record(version=5), LONG, 5)
        alive, gone = store.subscribe("a"), store.subscribe("nobody")
        closed = store.subscribe("a")
        closed.close()
        store.catch_up()
        assert alive.get(DEADLINE)["version"] == 5
        assert gone.get(DEADLINE) == {"end": "expired"}
        assert closed.get(0.05) is None
    finally:
        store.close()
