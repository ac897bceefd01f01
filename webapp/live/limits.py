"""Every limit of the live sessions, in one place; app.config's LIVE_<NAME> overrides any of them."""
from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class LiveLimits:
    idle_seconds: float = 2 * 3600     # a session nobody has touched for this long expires
    max_sessions: int = 200            # open sessions per store (so per deployment with a broker)
    max_followers: int = 500           # open event streams per session
    answer_rate: int = 5               # answers one client may send ...
    answer_window: float = 10          # ... in this many seconds
    max_answers: int = 1000            # distinct clients answering one poll (a hall, with room to spare)
    answer_chars: int = 32             # the longest answer text: a number or a sign, never prose
    # Open event streams this process holds: each keeps one of the server's threads, so this is what
    # the thread pool was sized for (the server set-up raises it with the pool; see the README).
    stream_slots: int = 400            # a 300-seat hall on the default `serve`, with room to spare
    keepalive_seconds: float = 15      # a comment line this often keeps proxies from closing a quiet stream
    retry_ms: int = 2000               # the EventSource's reconnection delay, sent as `retry:`
    # A follower that stops sending heartbeats (its process died) is counted out after this long;
    # a stream heartbeats at every keep-alive, well inside it.
    follower_ttl: float = 45
    disconnect_check_seconds: float = 2  # how often a waiting stream asks the server whether its client left
    max_polls: int = 100               # polls one session may open while it lasts (each keeps its answers)
    sweep_seconds: float = 30          # the least time between two sweeps of expired sessions
    busy_retry_seconds: int = 5        # Retry-After when the session or stream limits are reached


def config_name(field_name: str) -> str:
    return "LIVE_" + field_name.upper()


def from_config(config) -> LiveLimits:
    """The defaults above with any LIVE_<NAME> of app.config in their place (LIVE_IDLE_SECONDS, ...)."""
    kinds = {field.name: field.type for field in fields(LiveLimits)}
    given = {name: kinds[name](config[config_name(name)]) for name in kinds if config_name(name) in config}
    return replace(LiveLimits(), **given)
