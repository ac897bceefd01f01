"""Heavy traces are bounded per process: classified by edges x samples, a few at once and a few waiting,
the rest a 503 with Retry-After and the API's JSON error body; small and cached traces never wait."""
import threading
from types import SimpleNamespace

import jsonschema_rs
import pytest

from webapp import create_app
from webapp.admission import HEAVY_WORK, Busy, HeavyGate, Limits, is_heavy, work
from webapp.contract import CONTRACT
from webapp.engine.trace import SCHEMA_VERSION
from webapp.openapi import document
from webapp.presets import WORKED_EXAMPLE
from webapp.spec import parse_spec

BIG = {"layers": [16] * 10, "weights": None, "seed": 7, "biases": True, "inputs": [0.5] * 16, "targets": [0.1] * 16}
BATCH = {"layers": [2, 4, 4, 2], "weights": None, "seed": 3, "biases": True, "activation": "tanh",
         "samples": [{"inputs": [0.1, 0.2], "targets": [1, 0]}] * 32}
WAIT = 30  # a bound on a hang, never waited out when the code is right


def spec_of(body):
    return parse_spec(body)[0]


@pytest.mark.parametrize("body, expected_work", [
    (WORKED_EXAMPLE, 1 * 1 + 1 * 2),                   # 1-1-2: three edges
    (BIG, 9 * 16 * 16),                                # ten layers of 16: nine 16x16 blocks
    (BATCH, (2 * 4 + 4 * 4 + 4 * 2) * 32),             # 32 edges, 32 samples
    ({**BATCH, "samples": BATCH["samples"][:1]}, 32),  # the same network, one sample
])
def test_work_is_edges_times_samples(body, expected_work):
    assert work(spec_of(body)) == expected_work


def test_the_threshold_separates_the_worked_example_from_the_largest_network():
    assert not is_heavy(spec_of(WORKED_EXAMPLE))
    assert not is_heavy(spec_of({**BATCH, "samples": BATCH["samples"][:1]}))
    assert is_heavy(spec_of(BIG)) and is_heavy(spec_of(BATCH))
    # At the threshold is heavy, a sample fewer is not: six layers of 5 have 5 x 25 = 125 edges.
    assert HEAVY_WORK == 1000
    assert is_heavy(SimpleNamespace(layers=(5,) * 6, samples=((),) * 8))  # 125 x 8 = 1000
    assert not is_heavy(SimpleNamespace(layers=(5,) * 6, samples=((),) * 7))  # 875


class Holder:
    """A thread that holds a turn of the gate until released; `entered` is set once it has one."""

    def __init__(self, gate, spec):
        self.entered, self.release, self.outcome = threading.Event(), threading.Event(), None
        self.thread = threading.Thread(target=self._run, args=(gate, spec), daemon=True)
        self.thread.start()

    def _run(self, gate, spec):
        try:
            with gate.admit(spec):
                self.entered.set()
                assert self.release.wait(WAIT)
            self.outcome = "ran"
        except Busy:
            self.outcome = "busy"

    def finish(self):
        self.release.set()
        self.thread.join(WAIT)
        return self.outcome


def await_state(gate, predicate):
    with gate.changed:
        assert gate.changed.wait_for(lambda: predicate(gate), timeout=WAIT)


def test_at_once_then_waiting_then_busy():
    gate, heavy = HeavyGate(Limits(at_once=2, waiting=1, wait_seconds=WAIT, retry_after=3)), spec_of(BIG)
    first, second = Holder(gate, heavy), Holder(gate, heavy)
    assert first.entered.wait(WAIT) and second.entered.wait(WAIT)
    third = Holder(gate, heavy)  # both turns taken: it waits
    await_state(gate, lambda g: g.waiting == 1)
    assert not third.entered.is_set() and (gate.running, gate.waiting) == (2, 1)
    with pytest.raises(Busy) as fourth:  # the queue is full too: turned away at once
        with gate.admit(heavy):
            pass
    assert fourth.value.retry_after == 3
    assert first.finish() == "ran"
    assert third.entered.wait(WAIT)  # the waiting one takes the freed turn
    assert (second.finish(), third.finish()) == ("ran", "ran")
    assert (gate.running, gate.waiting) == (0, 0)


def test_a_waiting_trace_gives_up_after_wait_seconds():
    gate, heavy = HeavyGate(Limits(at_once=1, waiting=1, wait_seconds=0.05)), spec_of(BIG)
    holder = Holder(gate, heavy)
    assert holder.entered.wait(WAIT)
    with pytest.raises(Busy):
        with gate.admit(heavy):
            pass
    assert (gate.running, gate.waiting) == (1, 0)
    assert holder.finish() == "ran"


def test_small_traces_never_ask_for_a_turn():
    gate = HeavyGate(Limits(at_once=1, waiting=0))
    holder = Holder(gate, spec_of(BIG))
    assert holder.entered.wait(WAIT)
    with gate.admit(spec_of(WORKED_EXAMPLE)):
        assert (gate.running, gate.waiting) == (1, 0)
    holder.finish()


@pytest.fixture
def full():
    """An app whose single heavy turn is held (waiting: none), and its client."""
    app = create_app({"TESTING": True, "HEAVY_LIMITS": Limits(at_once=1, waiting=0, retry_after=2)})
    gate = app.extensions["heavy_gate"]
    holder = Holder(gate, spec_of(BIG))
    assert holder.entered.wait(WAIT)
    yield app.test_client()
    holder.finish()


def test_a_heavy_trace_past_the_bound_is_a_503_with_retry_after_and_a_json_error(full):
    r = full.post("/api/trace", json={**BIG, "seed": 8})
    assert r.status_code == 503
    assert r.headers["Retry-After"] == "2"
    assert r.mimetype == "application/json"
    error = r.get_json()
    assert error["field"] == "body" and "busy" in error["error"]
    openapi = document(CONTRACT)
    assert jsonschema_rs.Draft202012Validator({"$ref": "#/components/schemas/Error", **openapi}).is_valid(error)
    assert "Retry-After" in openapi["paths"]["/api/trace"]["post"]["responses"]["503"]["headers"]


def test_small_requests_pass_while_the_heavy_turns_are_taken(full):
    r = full.post("/api/trace", json=WORKED_EXAMPLE)
    assert r.status_code == 200 and r.get_json()["schema_version"] == SCHEMA_VERSION
    assert full.post("/api/trace", json={**WORKED_EXAMPLE, "inputs": ["x"]}).status_code == 400  # still checked


def test_a_cached_heavy_trace_is_answered_while_the_turns_are_taken():
    app = create_app({"TESTING": True, "HEAVY_LIMITS": Limits(at_once=1, waiting=0)})
    client, body = app.test_client(), {**BIG, "seed": 9}
    assert client.post("/api/trace", json=body).status_code == 200  # computed, so cached
    holder = Holder(app.extensions["heavy_gate"], spec_of(BIG))
    assert holder.entered.wait(WAIT)
    assert client.post("/api/trace", json=body).status_code == 200
    assert client.post("/api/trace", json={**body, "seed": 10}).status_code == 503
    holder.finish()


def test_a_queued_heavy_request_is_answered_when_a_turn_frees_and_small_ones_go_past_it():
    app = create_app({"TESTING": True, "HEAVY_LIMITS": Limits(at_once=1, waiting=1, wait_seconds=WAIT)})
    gate = app.extensions["heavy_gate"]
    holder = Holder(gate, spec_of(BIG))
    assert holder.entered.wait(WAIT)
    queued = {}
    waiter = threading.Thread(target=lambda: queued.update(r=app.test_client().post("/api/trace",
                                                                                    json={**BIG, "seed": 11})))
    waiter.start()
    await_state(gate, lambda g: g.waiting == 1)
    client = app.test_client()
    assert client.post("/api/trace", json=WORKED_EXAMPLE).status_code == 200  # past the queue
    assert client.post("/api/trace", json={**BIG, "seed": 12}).status_code == 503  # the queue is full
    holder.finish()
    waiter.join(WAIT)
    assert queued["r"].status_code == 200
