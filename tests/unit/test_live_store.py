"""The Store protocol's behaviour, on MemoryStore (webapp/live/store.py) with a clock the test moves.

Written against the protocol only, so another store (RedisStore) can be added to STORES and held to
the same expectations.
"""
import threading

import pytest

from webapp.live.store import MemoryStore


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def memory_store(clock):
    return MemoryStore(clock=clock, sweep_seconds=5)


STORES = [memory_store]


@pytest.fixture(params=STORES)
def clock_and_store(request):
    clock = Clock()
    return clock, request.param(clock)


@pytest.fixture
def store(clock_and_store):
    return clock_and_store[1]


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
