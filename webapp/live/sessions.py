"""Sessions: create one, read and change its state, end it; the presenter token that guards changes."""
import hashlib
import hmac
import secrets
import threading
import time

from ..spec import SpecError, parse_decoded
from .errors import LiveError
from .limits import LiveLimits

MODES = ("normal", "lecture", "quiz")
STATE_FIELDS = ("step", "spec", "mode")
MAX_STEP = 10**6  # far past any trace's last step; only keeps absurd integers out of the state


class Live:
    """One app's live service: its store (made on first use, so after a server forks its workers),
    its limits, the trace contract, and this process's event stream slots."""

    def __init__(self, make_store, limits: LiveLimits, contract, gate):
        self._make_store, self._store, self._lock = make_store, None, threading.Lock()
        self.limits, self.contract, self.gate = limits, contract, gate
        self.stream_slots = threading.BoundedSemaphore(limits.stream_slots)

    @property
    def store(self):
        with self._lock:
            if self._store is None:
                self._store = self._make_store()
            return self._store

    @store.setter
    def store(self, store):  # tests put in a store with their own clock
        self._store = store


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def session_id() -> str:
    return secrets.token_urlsafe(16)


def retry_later(field: str, message: str, limits: LiveLimits, status: int = 429) -> LiveError:
    return LiveError(field, message, status, retry_after=limits.busy_retry_seconds)


def unknown_session() -> LiveError:
    return LiveError("session", "there is no live session with this id: it has ended or expired", 404)


def record_of(live: Live, sid: str) -> dict:
    record = live.store.load(sid)
    if record is None:
        raise unknown_session()
    return record


def authorize(record: dict, header: str | None) -> None:
    """Only the presenter token's holder may change a session (403 otherwise)."""
    scheme, _, token = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise LiveError("authorization", "this needs the session's presenter token: "
                        "send the header Authorization: Bearer <presenter_token>", 403)
    if not hmac.compare_digest(token_hash(token.strip()), record["token_hash"]):
        raise LiveError("authorization", "the presenter token does not belong to this session", 403)


def presenter_record(live: Live, sid: str, header: str | None) -> dict:
    record = record_of(live, sid)
    authorize(record, header)
    return record


# ---- the state ---------------------------------------------------------------------------------

def state_changes(body, contract) -> dict:
    """The fields a presenter's body sets, validated: {"step": int >= 0, "spec": a trace request or
    null (the worked example), "mode": one of MODES}, any subset. Errors name the field; a spec's
    name it inside the spec ("spec.layers", "spec.weights[0][1][0]")."""
    if not isinstance(body, dict):
        raise LiveError("body", 'the body must be a JSON object such as {"step": 3, "mode": "lecture"}')
    for name in body:
        if name not in STATE_FIELDS:  # named as the field, or the body when the name is empty
            raise LiveError(name[:40] or "body", f"{name[:40]!r} is not a field of the state: "
                            "give any of step, spec and mode")
    if "step" in body:
        step = body["step"]
        if isinstance(step, bool) or not isinstance(step, int) or not 0 <= step <= MAX_STEP:
            raise LiveError("step", f"step must be a whole number from 0 to {MAX_STEP}")
    if "mode" in body and body["mode"] not in MODES:
        raise LiveError("mode", "mode must be one of " + ", ".join(MODES))
    if body.get("spec") is not None:
        try:
            parse_decoded(body["spec"], contract)
        except SpecError as exc:
            if exc.field == "body":  # the spec as a whole: "the body must be an object" is about it
                raise LiveError("spec", exc.message.replace("the body", "the spec", 1)) from None
            raise LiveError(f"spec.{exc.field}", f"the spec: {exc.message}") from None
    return dict(body)


def first_state(sid: str, changes: dict) -> dict:
    state = {"session": sid, "version": 1, "step": 0, "spec": None, "mode": "normal", "poll": None,
             "followers": 0, "updated": int(time.time())}
    return {**state, **changes}


def create(live: Live, body) -> tuple[str, str, dict]:
    """(id, presenter token, state) of a new session; 429 at the session limit."""
    changes = state_changes(body, live.contract)
    sid, token = session_id(), secrets.token_urlsafe(32)
    state = first_state(sid, changes)
    record = {"token_hash": token_hash(token), "state": state, "created": state["updated"]}
    if not live.store.create(sid, record, live.limits.idle_seconds, live.limits.max_sessions):
        raise retry_later("session", f"the server holds its limit of {live.limits.max_sessions} live sessions: "
                          "try again later, or end a session you no longer need", live.limits)
    return sid, token, state


def current_state(live: Live, sid: str) -> dict:
    """The state with the follower count as it is now."""
    return {**record_of(live, sid)["state"], "followers": live.store.followers(sid)}


def change_state(live: Live, sid: str, header: str | None, body) -> dict:
    """Apply a presenter's changes; publish them only if they change something."""
    record = presenter_record(live, sid, header)
    changes = state_changes(body, live.contract)
    state = record["state"]
    if all(state.get(name) == value for name, value in changes.items()):
        live.store.touch(sid, live.limits.idle_seconds)
        return {**state, "followers": live.store.followers(sid)}
    return publish(live, sid, changes)


def publish(live: Live, sid: str, changes: dict) -> dict:
    """Store and publish `changes` with the follower count and the time; 404 if the session just went."""
    changes = {**changes, "followers": live.store.followers(sid), "updated": int(time.time())}
    state = live.store.save_state(sid, changes, live.limits.idle_seconds)
    if state is None:
        raise unknown_session()
    return state


def end(live: Live, sid: str, header: str | None) -> None:
    presenter_record(live, sid, header)
    live.store.delete(sid, "ended")
