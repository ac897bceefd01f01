"""The live sessions' part of the OpenAPI document (webapp/openapi.py merges live_paths() into it).

Written from the README's "Live sessions" section; the request's fields and limits are read from
sessions.py and limits.py, the trace request's schema is the contract's (a $ref).
"""
from .limits import LiveLimits
from .sessions import MAX_STEP, MODES

TRACE_REQUEST = {"$ref": "#/components/schemas/TraceRequest"}
ERROR = {"$ref": "#/components/schemas/Error"}
ID = {"type": "string", "pattern": "^[A-Za-z0-9_-]+$", "minLength": 1, "maxLength": 64}
CLIENT = {"type": "string", "pattern": "^[A-Za-z0-9_-]{8,64}$",
          "description": "a random id the device keeps (localStorage); no name, no address"}
STATE_CHANGES = {
    "type": "object", "additionalProperties": False,
    "properties": {
        "step": {"type": "integer", "minimum": 0, "maximum": MAX_STEP, "description": "the step shown (0-based)"},
        "spec": {"anyOf": [{"type": "null"}, TRACE_REQUEST],
                 "description": "the network, as a trace request; null: the worked example. Errors name the "
                                "field inside it: spec.layers, spec.weights[0][1][0] ..."},
        "mode": {"enum": list(MODES)},
    },
}
POLL = {
    "type": "object", "additionalProperties": False, "required": ["id", "step", "step_id", "symbol", "status"],
    "properties": {"id": ID, "step": {"type": "integer", "minimum": 0}, "step_id": {"type": "string"},
                   "symbol": {"type": "string", "description": "the step's symbol (LaTeX)"},
                   "status": {"enum": ["open", "revealed"]},
                   "correct": {"type": "number", "description": "present once revealed"}},
}
STATE = {
    "type": "object", "additionalProperties": False,
    "required": ["session", "version", "step", "spec", "mode", "poll", "followers", "updated"],
    "properties": {
        "session": ID, "version": {"type": "integer", "minimum": 1, "description": "rises by one with each change"},
        **STATE_CHANGES["properties"],
        "poll": {"anyOf": [{"type": "null"}, POLL]},
        "followers": {"type": "integer", "minimum": 0, "description": "open event streams when read or published"},
        "updated": {"type": "integer", "description": "unix seconds of the last change"},
    },
}
ANSWER_BODY = {"type": "object", "required": ["client", "answer"],
               "properties": {"client": CLIENT, "answer": {
                   "type": "string", "minLength": 1, "maxLength": LiveLimits().answer_chars,
                   "description": "a number (ASCII or U+2212 minus, a decimal point or comma, an exponent) or a "
                                  "sign alone: +, - or U+2212"}}}
ANSWER = {"type": "object", "additionalProperties": False, "required": ["answer", "value", "sign"],
          "properties": {"answer": {"type": "string"}, "value": {"type": ["number", "null"]},
                         "sign": {"enum": [-1, 0, 1]}}}
BIN = {"type": "object", "additionalProperties": False, "required": ["label", "lo", "hi", "count", "correct"],
       "properties": {"label": {"type": "string"}, "lo": {"type": ["number", "null"]},
                      "hi": {"type": ["number", "null"]}, "count": {"type": "integer", "minimum": 0},
                      "correct": {"type": "boolean"}}}
RESULTS = {
    "type": "object", "additionalProperties": False,
    "required": ["poll_id", "step", "step_id", "symbol", "status", "count", "answers", "histogram", "correct", "right"],
    "properties": {
        "poll_id": ID, "step": {"type": "integer"}, "step_id": {"type": "string"}, "symbol": {"type": "string"},
        "status": {"enum": ["open", "revealed"]}, "count": {"type": "integer", "minimum": 0},
        "answers": {"type": "object", "additionalProperties": {"type": "string"},
                    "description": "client -> answer text, in the order the clients first answered"},
        "histogram": {"type": "array", "items": BIN, "minItems": 3,
                      "description": "up to 9 equal bins [lo, hi) of the numbers, then the signs' bins \u2212 and +"},
        "correct": {"type": "number"}, "right": {"type": "integer", "minimum": 0},
    },
}
VERDICT = {"type": "object", "additionalProperties": False, "required": ["answer", "value", "right", "correct"],
           "properties": {"answer": {"type": "string"}, "value": {"type": ["number", "null"]},
                          "right": {"type": ["boolean", "null"], "description": "null until revealed"},
                          "correct": {"type": ["number", "null"], "description": "null until revealed"}}}


def json_body(schema, description):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def error(description):
    return json_body(ERROR, description)


def retry_later(description):
    return {**error(description), "headers": {"Retry-After": {
        "required": True, "description": "whole seconds to wait", "schema": {"type": "integer", "minimum": 1}}}}


NOT_FOUND = error("No such session (it ended or expired), poll or answer: field session, poll_id or client")
FORBIDDEN = error("The presenter token is missing or wrong: field authorization")
# Every live route: several worker processes without a broker (field broker); the event stream also
# when this process has no stream slot left, a poll when a large network waits for its turn.
UNAVAILABLE = {**error("Live sessions need --broker with several workers, or the broker (Redis) cannot be "
                       "reached (field broker); or the server is busy (Retry-After)"), "headers": {"Retry-After": {
                           "required": False, "schema": {"type": "integer", "minimum": 1}}}}
PRESENTER = [{"presenterToken": []}]


def sid(name="id"):
    return {"name": name, "in": "path", "required": True, "schema": ID}


def operation(summary, op_id, responses, params=(), body=None, body_required=True, security=None):
    out = {"summary": summary, "operationId": op_id, "parameters": list(params),
           "responses": {**responses, "404": NOT_FOUND, "503": UNAVAILABLE}}
    if body is not None:
        out["requestBody"] = {"required": body_required, "content": {"application/json": {"schema": body}}}
    if security:
        out["security"] = security
        out["responses"]["403"] = FORBIDDEN
    return out


SESSION, POLL_ID = sid(), sid("poll_id")


def live_paths() -> dict:
    """/api/sessions and the routes under it."""
    return {**session_paths(), **poll_paths()}


def session_paths() -> dict:
    """Sessions: create, state, end, events."""
    session = SESSION
    created = {"type": "object", "additionalProperties": False,
               "required": ["id", "join_url", "presenter_token", "state"],
               "properties": {"id": ID, "join_url": {"type": "string", "description": "absolute: .../live/<id>"},
                              "presenter_token": {"type": "string", "description": "shown once; only its hash is kept"},
                              "state": STATE}}
    return {
        "/api/sessions": {"post": operation(
            "Start a live session (optionally with its first state)", "createSession",
            {"201": json_body(created, "The session"), "400": error("Bad state, naming the field"),
             "429": retry_later("The server holds its limit of sessions: field session")},
            body=STATE_CHANGES, body_required=False)},
        "/api/sessions/{id}": {"delete": operation(
            "End the session: its followers' streams get event: end", "endSession",
            {"204": {"description": "Ended"}}, [session], security=PRESENTER)},
        "/api/sessions/{id}/state": {
            "get": operation("The session's state (anyone with the link)", "sessionState",
                             {"200": json_body(STATE, "The state")}, [session]),
            "post": operation("Change the state (any subset of step, spec, mode); published to followers",
                              "changeSessionState",
                              {"200": json_body(STATE, "The new state"), "400": error("Bad input, naming the field")},
                              [session], body=STATE_CHANGES, security=PRESENTER)},
        # Only a real session's stream stays open; a generated id is a 404 at once, so schemathesis can
        # call this route too.
        "/api/sessions/{id}/events": {"get": operation(
            "The state as server-sent events: the current state first, then one event per change",
            "sessionEvents",
            {"200": {"description": "retry: 2000, then id: <version> / data: <state JSON> per change, a "
                                    "': keep-alive' comment every 15 s, event: end with {\"reason\"} at the end",
                     "content": {"text/event-stream": {"schema": {"type": "string"}}}},
             "429": retry_later("The session has its limit of followers: field session")},
            [session, {"name": "Last-Event-ID", "in": "header", "required": False, "schema": {"type": "string"},
                       "description": "ignored: a reconnecting stream starts with the current state anyway"}])},
    }


def poll_paths() -> dict:
    """Polls: open, answer, results (and CSV), reveal, one device's verdict."""
    session, poll = SESSION, POLL_ID
    csv = {"text/csv": {"schema": {"type": "string"}}}
    return {
        "/api/sessions/{id}/polls": {"post": operation(
            "Open a poll at a step: the class predicts its value", "openPoll",
            {"201": json_body({"type": "object", "additionalProperties": False, "required": ["poll_id", "poll"],
                               "properties": {"poll_id": ID, "poll": POLL}}, "The poll, now state.poll"),
             "400": error("No such step, or one without a single number: field step"),
             "429": retry_later("The session has opened its limit of polls: field session")},
            [session], body={"type": "object", "required": ["step"], "additionalProperties": False,
                             "properties": {"step": {"type": "integer", "minimum": 0}}}, security=PRESENTER)},
        "/api/sessions/{id}/polls/{poll_id}": {"get": operation(
            "The poll's answers, histogram and correct value (CSV with format=csv)", "pollResults",
            {"200": {"description": "The results", "content": {"application/json": {"schema": RESULTS}, **csv}}},
            [session, poll, {"name": "format", "in": "query", "required": False, "schema": {"enum": ["csv"]},
                             "description": "csv: answer_number,answer,value,right, one row per answer"}],
            security=PRESENTER)},
        "/api/sessions/{id}/polls/{poll_id}/reveal": {"post": operation(
            "Reveal the correct value to every follower; the poll takes no more answers", "revealPoll",
            {"200": json_body(RESULTS, "The results")}, [session, poll], security=PRESENTER)},
        "/api/sessions/{id}/polls/{poll_id}/answers": {"post": operation(
            "Answer a poll (a device's second answer replaces its first)", "answerPoll",
            {"201": json_body(ANSWER, "The answer as read"), "400": error("Not a number or a sign, or a bad client"),
             "409": error("The poll is revealed, or replaced by a newer one: field poll_id"),
             "429": retry_later("Too many answers from this device (field client) or to this poll (poll_id)")},
            [session, poll], body=ANSWER_BODY)},
        "/api/sessions/{id}/polls/{poll_id}/answers/{client}": {"get": operation(
            "What this device answered and, once revealed, whether it was right", "pollVerdict",
            {"200": json_body(VERDICT, "The device's answer")},
            [session, poll, {"name": "client", "in": "path", "required": True, "schema": CLIENT}])},
    }


SECURITY_SCHEMES = {"presenterToken": {"type": "http", "scheme": "bearer",
                                       "description": "the presenter_token of POST /api/sessions"}}
