"""Blueprint "pages": the explainer page (also as a live session's follower view) and its printable handout."""
import re

from flask import Blueprint, abort, render_template, request, url_for

from .modules import module_graph
from .presets import DEFAULT_PRESET

bp = Blueprint("pages", __name__)

# What a live session's id can look like in an address (secrets.token_urlsafe makes them): checked
# before the id is written into the page, so a follower page never carries anything else.
LIVE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


@bp.after_request
def revalidate(response):
    # The page names the static tree's hash, so it must be asked for again on every visit (a
    # 304 while nothing changed); the files it names are then cached for good (delivery.py).
    response.headers["Cache-Control"] = "no-cache"
    response.add_etag()
    return response


def explainer(live_session=None):
    # The session's own URL in the API (its DELETE route's path); livefollow.js adds /events, /polls/...
    live_url = url_for("live.delete", sid=live_session) if live_session else None
    return render_template("index.html", default_preset=DEFAULT_PRESET, modules=module_graph("js/main.js"),
                           live_session=live_session, live_url=live_url)


@bp.get("/")
def index():
    # /?join=<id> is the same follower view as /live/<id> (a join link typed by hand, or a QR reader
    # that keeps only the query); without it, the explainer.
    join = request.args.get("join")
    return explainer(follower_id(join) if join is not None else None)


@bp.get("/live/<session_id>")
def live(session_id):
    # The id is not looked up here: the page's event stream says whether the session exists (a
    # 404 there, shown in the page), so one render serves a session on any process of a cluster.
    return explainer(follower_id(session_id))


def follower_id(session_id: str) -> str:
    if not LIVE_ID.fullmatch(session_id):
        abort(404, description="No live session can have that address. Ask the lecturer for the join link again.")
    return session_id


@bp.get("/handout")
def handout():
    # The network comes in the URL hash (as on the main page), so the server renders one page for all.
    return render_template("handout.html", default_preset=DEFAULT_PRESET, modules=module_graph("js/handout.js"))
