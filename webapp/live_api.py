"""Blueprint "live": the live classroom's API under /api/sessions (issue 14).

A presenter creates a session and changes its state with the presenter token; followers read the
state, follow it as server-sent events and answer polls. The rules live in webapp/live/; this file
turns requests into calls and LiveErrors into the API's JSON errors.
"""
from flask import Blueprint, Response, current_app, request

from .api import error_response, json_response
from .live import polls, sessions
from .live.errors import LiveError
from .live.events import EventStream
from .live.limits import from_config
from .live.sessions import Live
from .spec import SpecError, decode_body

bp = Blueprint("live", __name__, url_prefix="/api/sessions")

BROKER_NEEDED = "live sessions across several workers need --broker redis://HOST:PORT/DB"


def store_maker(broker: str | None, limits):
    """The store LIVE_BROKER names: None, the in-process MemoryStore; redis://..., the RedisStore."""
    def make():
        if broker is None:
            from .live.store import MemoryStore
            return MemoryStore(sweep_seconds=limits.sweep_seconds)
        from .live.redis_store import RedisStore  # imported only when asked for: redis is optional
        return RedisStore(broker, sweep_seconds=limits.sweep_seconds)
    return make


@bp.record_once
def build_live(state):
    app = state.app
    limits = from_config(app.config)
    app.extensions["live"] = Live(store_maker(app.config.get("LIVE_BROKER"), limits), limits,
                                  app.extensions["contract"], app.extensions["heavy_gate"])


def live() -> Live:
    return current_app.extensions["live"]


@bp.before_request
def need_broker():
    """Several worker processes, each with its own memory, would split a session's followers between
    them: refuse rather than serve half a class."""
    if current_app.config.get("LIVE_REQUIRES_BROKER") and not current_app.config.get("LIVE_BROKER"):
        return error_response(BROKER_NEEDED, "broker", 503)


@bp.errorhandler(LiveError)
def live_error(exc: LiveError):
    response = error_response(exc.message, exc.field, exc.status)
    if exc.retry_after is not None:
        response.headers["Retry-After"] = str(max(1, round(exc.retry_after)))
    return response


def body(optional: bool = False):
    """The decoded JSON body; an optional one may be left out (no bytes at all): {}."""
    raw = request.get_data(cache=False)
    if optional and not raw.strip():
        return {}
    try:
        return decode_body(raw)
    except SpecError as exc:
        raise LiveError(exc.field, exc.message) from None


def bearer() -> str | None:
    return request.headers.get("Authorization")


def no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("")
def create():
    sid, token, state = sessions.create(live(), body(optional=True))
    join_url = f"{request.url_root}live/{sid}"
    return no_store(json_response({"id": sid, "join_url": join_url, "presenter_token": token, "state": state}, 201))


@bp.get("/<sid>/state")
def get_state(sid):
    return no_store(json_response(sessions.current_state(live(), sid)))


@bp.post("/<sid>/state")
def post_state(sid):
    return no_store(json_response(sessions.change_state(live(), sid, bearer(), body())))


@bp.delete("/<sid>")
def delete(sid):
    sessions.end(live(), sid, bearer())
    return Response(status=204)


@bp.get("/<sid>/events")
def events(sid):
    stream = EventStream(live(), sid, request.environ.get("waitress.client_disconnected"))
    return Response(stream, mimetype="text/event-stream",
                    headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


@bp.post("/<sid>/polls")
def open_poll(sid):
    return no_store(json_response(polls.open_poll(live(), sid, bearer(), body()), 201))


@bp.post("/<sid>/polls/<pid>/answers")
def answer(sid, pid):
    return no_store(json_response(polls.submit(live(), sid, pid, body()), 201))


@bp.get("/<sid>/polls/<pid>")
def results(sid, pid):
    if request.args.get("format") == "csv":
        text = polls.csv_export(live(), sid, bearer(), pid)
        return no_store(Response(text, mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="poll-{pid}.csv"'}))
    return no_store(json_response(polls.results(live(), sid, bearer(), pid)))


@bp.post("/<sid>/polls/<pid>/reveal")
def reveal(sid, pid):
    return no_store(json_response(polls.reveal(live(), sid, bearer(), pid)))


@bp.get("/<sid>/polls/<pid>/answers/<client>")
def client_answer(sid, pid, client):
    return no_store(json_response(polls.client_view(live(), sid, pid, client)))
