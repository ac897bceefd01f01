"""The live sessions' API: create, read and change the state, end; tokens, expiry, limits, the broker
rule. Expected values are the issue's and the contract's (/api/sessions ...), typed here."""
import re

import pytest
from live_support import Session, error_of

from webapp.presets import WORKED_EXAMPLE

STATE_KEYS = {"session", "version", "step", "spec", "mode", "poll", "followers", "updated"}


def test_create_answers_id_join_url_token_and_state(live_client):
    r = live_client.post("/api/sessions")
    assert r.status_code == 201 and r.headers["Cache-Control"] == "no-store"
    body = r.get_json()
    assert set(body) == {"id", "join_url", "presenter_token", "state"}
    # token_urlsafe(16) and (32): 22 and 43 characters of base64url
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", body["id"]) and re.fullmatch(r"[A-Za-z0-9_-]{43}", body["presenter_token"])
    assert body["join_url"] == f"http://localhost/live/{body['id']}"
    state = body["state"]
    assert set(state) == STATE_KEYS
    assert (state["session"], state["version"], state["step"], state["spec"], state["mode"], state["poll"],
            state["followers"]) == (body["id"], 1, 0, None, "normal", None, 0)


def test_ids_and_tokens_are_not_repeated(live_client):
    made = [Session(live_client) for _ in range(20)]
    assert len({s.id for s in made}) == 20 and len({s.token for s in made}) == 20


def test_create_with_an_initial_state(live_client):
    s = Session(live_client, {"spec": WORKED_EXAMPLE, "step": 4, "mode": "lecture"})
    state = s.state()
    assert (state["spec"], state["step"], state["mode"]) == (WORKED_EXAMPLE, 4, "lecture")


def test_the_token_is_not_stored(live_client):
    s = Session(live_client)
    record = live_client.application.extensions["live"].store.load(s.id)
    assert s.token not in repr(record)


def test_state_is_public_and_unknown_sessions_are_404(live_client, session):
    assert session.state() == session.created["state"]
    error_of(live_client.get("/api/sessions/no-such-session/state"), 404, "session")


def test_presenter_changes_the_state(session):
    r = session.change(step=14, mode="quiz")
    assert r.status_code == 200
    state = r.get_json()
    assert (state["version"], state["step"], state["mode"], state["spec"]) == (2, 14, "quiz", None)
    assert session.state() == state
    spec = {**WORKED_EXAMPLE, "inputs": [1.0]}
    assert session.change(spec=spec).get_json()["spec"] == spec
    assert session.change(spec=None).get_json()["spec"] is None


def test_a_change_that_changes_nothing_is_not_a_new_version(session):
    assert session.change(step=3).get_json()["version"] == 2
    assert session.change(step=3).get_json()["version"] == 2
    assert session.change().get_json()["version"] == 2


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer "},
                                     {"Authorization": "Bearer not-the-token"}])
def test_changes_need_the_presenter_token(session, headers):
    error_of(session.client.post(f"{session.url}/state", json={"step": 1}, headers=headers), 403, "authorization")
    error_of(session.client.delete(session.url, headers=headers), 403, "authorization")
    error_of(session.client.post(f"{session.url}/polls", json={"step": 14}, headers=headers), 403, "authorization")
    assert session.state()["version"] == 1


def test_another_sessions_token_is_wrong(live_client, session):
    other = Session(live_client)
    r = live_client.post(f"{session.url}/state", json={"step": 1}, headers=other.auth)
    error_of(r, 403, "authorization")


def test_an_unknown_session_is_404_before_the_token(live_client, session):
    error_of(live_client.post("/api/sessions/nope/state", json={"step": 1}, headers=session.auth), 404, "session")
    error_of(live_client.post("/api/sessions/nope/state", json={"step": 1}), 404, "session")


@pytest.mark.parametrize("body, field", [
    ({"stepp": 1}, "stepp"),
    ({"step": -1}, "step"),
    ({"step": 1.5}, "step"),
    ({"step": "3"}, "step"),
    ({"step": True}, "step"),
    ({"mode": "party"}, "mode"),
    ({"spec": {"layers": [1]}}, "spec.layers"),
    ({"spec": {**WORKED_EXAMPLE, "weights": [[[0.5]], [["x"], [0.1]]]}}, "spec.weights[1][0][0]"),
    ({"spec": [1, 2]}, "spec"),
    ([1], "body"),
])
def test_bad_state_is_a_400_naming_the_field(session, body, field):
    error_of(session.client.post(f"{session.url}/state", json=body, headers=session.auth), 400, field)
    error_of(session.client.post("/api/sessions", json=body), 400, field)


def test_null_is_not_a_state_but_no_body_is_none(live_client):
    error_of(live_client.post("/api/sessions", data=b"null", content_type="application/json"), 400, "body")
    assert live_client.post("/api/sessions", data=b"").status_code == 201


def test_a_body_that_is_not_json(session):
    r = session.client.post(f"{session.url}/state", data=b"{", headers=session.auth)
    error_of(r, 400, "body")


def test_delete_ends_the_session(session):
    r = session.client.delete(session.url, headers=session.auth)
    assert r.status_code == 204 and r.data == b""
    error_of(session.client.get(f"{session.url}/state"), 404, "session")
    error_of(session.client.delete(session.url, headers=session.auth), 404, "session")


def test_the_session_limit_is_a_429_with_retry_after(make_app):
    client = make_app(LIVE_MAX_SESSIONS=2).test_client()
    first = Session(client)
    Session(client)
    r = client.post("/api/sessions")
    error_of(r, 429, "session")
    assert int(r.headers["Retry-After"]) >= 1
    client.delete(first.url, headers=first.auth)
    assert client.post("/api/sessions").status_code == 201


def test_an_idle_session_expires(clocked_client, clock):
    s = Session(clocked_client)
    clock.now += 50
    s.change(step=2)  # a change keeps it alive: 60 s from now
    clock.now += 50
    assert s.state()["step"] == 2
    clock.now += 10
    error_of(clocked_client.get(f"{s.url}/state"), 404, "session")


def test_reading_the_state_does_not_keep_a_session_alive(clocked_client, clock):
    s = Session(clocked_client)
    for _ in range(6):
        clock.now += 10
        s.state()
    error_of(clocked_client.get(f"{s.url}/state"), 404, "session")


ROUTES = [("post", "/api/sessions"), ("get", "/api/sessions/x/state"), ("post", "/api/sessions/x/state"),
          ("delete", "/api/sessions/x"), ("get", "/api/sessions/x/events"), ("post", "/api/sessions/x/polls"),
          ("post", "/api/sessions/x/polls/p/answers"), ("get", "/api/sessions/x/polls/p"),
          ("post", "/api/sessions/x/polls/p/reveal"), ("get", "/api/sessions/x/polls/p/answers/c")]


@pytest.mark.parametrize("method, path", ROUTES)
def test_several_workers_without_a_broker_refuse_every_live_route(make_app, method, path):
    client = make_app(LIVE_REQUIRES_BROKER=True).test_client()
    body = error_of(getattr(client, method)(path), 503, "broker")
    assert "--broker redis://" in body["error"]


def test_with_one_worker_the_broker_rule_does_not_apply(make_app):
    assert make_app(LIVE_REQUIRES_BROKER=False).test_client().post("/api/sessions").status_code == 201
