"""Polls: the presenter asks for a step's value, followers answer, the presenter sees and reveals.

The correct value is the step's own "value" in the trace of the session's network (the worked example
when its spec is null), computed by the trace API's cached answer, so it is the number the page shows.
"""
import json
import math
import re
import secrets
import time

from ..api import answer as traced
from ..engine.expand import expand_trace
from ..presets import WORKED_EXAMPLE
from . import answers
from .errors import LiveError
from .sessions import Live, presenter_record, publish, record_of

CLIENT = re.compile(r"[A-Za-z0-9_-]{8,64}")


def public(poll: dict) -> dict:
    """The poll as every follower sees it (state.poll): the correct value only once revealed."""
    shown = {name: poll[name] for name in ("id", "step", "step_id", "symbol", "status")}
    return {**shown, "correct": poll["correct"]} if poll["status"] == "revealed" else shown


def steps_of(live: Live, spec) -> list[dict]:
    status, body = traced(json.dumps(WORKED_EXAMPLE if spec is None else spec).encode(), live.contract, live.gate)
    if status != 200:  # the spec was checked when it was set; a contract changed since would land here
        raise LiveError("spec", "the session's network cannot be traced: " + json.loads(body)["error"])
    return expand_trace(json.loads(body))["steps"]


def numeric(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def poll_step(live: Live, spec, body) -> dict:
    if not isinstance(body, dict) or set(body) - {"step"}:
        raise LiveError("step", 'the body must be {"step": k}, the step whose value the class predicts')
    steps = steps_of(live, spec)
    k = body.get("step")
    if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k < len(steps):
        raise LiveError("step", f"step must be a whole number from 0 to {len(steps) - 1}: "
                        "a step of the session's network")
    if not numeric(steps[k].get("value")):
        raise LiveError("step", f"step {k} has no single number to predict: choose a step with one value")
    return steps[k]


def open_poll(live: Live, sid: str, header: str | None, body) -> dict:
    """A new poll at step k becomes the session's poll (replacing any other) and is published."""
    record = presenter_record(live, sid, header)
    step = poll_step(live, record["state"]["spec"], body)
    limits = live.limits
    if not live.store.hit(f"polls:{sid}", limits.idle_seconds, limits.max_polls):
        raise LiveError("session", f"this session has opened its limit of {limits.max_polls} polls", 429,
                        retry_after=limits.busy_retry_seconds)
    poll = {"id": secrets.token_urlsafe(9), "step": body["step"], "step_id": step["id"], "symbol": step["symbol"],
            "status": "open", "correct": step["value"], "opened": int(time.time())}
    live.store.put_poll(sid, poll)
    publish(live, sid, {"poll": public(poll)})
    return {"poll_id": poll["id"], "poll": public(poll)}


def poll_of(live: Live, sid: str, pid: str) -> dict:
    poll = live.store.get_poll(sid, pid)
    if poll is None:
        raise LiveError("poll_id", "this session has no poll with this id", 404)
    return poll


def client_id(value) -> str:
    if not isinstance(value, str) or not CLIENT.fullmatch(value):
        raise LiveError("client", "client must be the id this device keeps: 8 to 64 letters, digits, - or _")
    return value


def submit(live: Live, sid: str, pid: str, body) -> dict:
    """A follower's answer (replacing that client's earlier one): 201's body."""
    state = record_of(live, sid)["state"]
    poll = poll_of(live, sid, pid)
    if not isinstance(body, dict):
        raise LiveError("body", 'the body must be {"client": "<this device\'s id>", "answer": "-9.6"}')
    client = client_id(body.get("client"))
    limits = live.limits
    if not live.store.hit(f"answer:{sid}:{client}", limits.answer_window, limits.answer_rate):
        raise LiveError("client", f"at most {limits.answer_rate} answers every {limits.answer_window:g} s: "
                        "wait a moment", 429, retry_after=limits.answer_window)
    given = answers.parse(body.get("answer"), limits.answer_chars)
    if poll["status"] == "revealed":
        raise LiveError("poll_id", "this poll has been revealed: it takes no more answers", 409)
    if (state.get("poll") or {}).get("id") != pid:
        raise LiveError("poll_id", "a newer poll has replaced this one: answer that one", 409)
    if not live.store.put_answer(sid, pid, client, given, limits.max_answers):
        raise LiveError("poll_id", f"this poll has its limit of {limits.max_answers} answers", 429,
                        retry_after=limits.busy_retry_seconds)
    live.store.touch(sid, limits.idle_seconds)
    return given


def results(live: Live, sid: str, header: str | None, pid: str) -> dict:
    presenter_record(live, sid, header)
    return summary(poll_of(live, sid, pid), live.store.answers(sid, pid))


def summary(poll: dict, by_client: dict) -> dict:
    given, correct = list(by_client.values()), poll["correct"]
    return {"poll_id": poll["id"], "step": poll["step"], "step_id": poll["step_id"], "symbol": poll["symbol"],
            "status": poll["status"], "count": len(given),
            "answers": {client: answer["answer"] for client, answer in by_client.items()},
            "histogram": answers.histogram(given, correct), "correct": correct,
            "right": sum(answers.is_right(answer, correct) for answer in given)}


def csv_export(live: Live, sid: str, header: str | None, pid: str) -> str:
    presenter_record(live, sid, header)
    poll = poll_of(live, sid, pid)
    return answers.csv_text(list(live.store.answers(sid, pid).values()), poll["correct"])


def reveal(live: Live, sid: str, header: str | None, pid: str) -> dict:
    """The poll's correct value shown to all: state.poll gains it (if it is still the session's poll)."""
    record = presenter_record(live, sid, header)
    poll = poll_of(live, sid, pid)
    if poll["status"] != "revealed":
        poll = live.store.update_poll(sid, pid, {"status": "revealed"}) or poll
        if (record["state"].get("poll") or {}).get("id") == pid:
            publish(live, sid, {"poll": public(poll)})
    return summary(poll, live.store.answers(sid, pid))


def client_view(live: Live, sid: str, pid: str, client: str) -> dict:
    """What one device answered and, once revealed, whether it was right."""
    record_of(live, sid)
    poll = poll_of(live, sid, pid)
    given = live.store.answers(sid, pid).get(client)
    if given is None:
        raise LiveError("client", "this device has not answered this poll", 404)
    revealed = poll["status"] == "revealed"
    return {"answer": given["answer"], "value": given["value"],
            "right": answers.is_right(given, poll["correct"]) if revealed else None,
            "correct": poll["correct"] if revealed else None}
