"""`serve --broker redis://HOST:PORT/DB`: the one reading of a broker URL, and whether it answers."""
from urllib.parse import urlsplit, urlunsplit

SCHEMES = ("redis", "rediss")  # rediss: Redis over TLS
EXAMPLE = "redis://127.0.0.1:6379/0"
CONNECT_SECONDS = 3


def redacted(url: str) -> str:
    """The URL as it may be printed: a password in it (redis://:secret@host) shown as ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, f"{user}:***@{host}", parts.path, parts.query, parts.fragment))


def parse_broker_url(text: str) -> str:
    """`text` when it is a usable Redis URL (a host, a port if given, a database number if given);
    ValueError with a sentence saying what is wrong otherwise."""
    parts = urlsplit(text.strip())
    problem = None
    if parts.scheme not in SCHEMES:
        problem = "it must start with redis:// (or rediss:// for TLS)"
    elif not parts.hostname:
        problem = "it names no host"
    else:
        try:
            port = parts.port
        except ValueError:
            port = -1
        database = parts.path.lstrip("/")
        if port is not None and not 0 < port < 65536:
            problem = "its port must be a number from 1 to 65535"
        elif database and not (database.isascii() and database.isdigit()):
            problem = "its database (the path) must be a number, such as /0"
        elif parts.query or parts.fragment:
            problem = "it takes no query or fragment"
    if problem:
        raise ValueError(f"{redacted(text)!r} is not a Redis URL: {problem} (for example {EXAMPLE})")
    return text.strip()


def unreachable(url: str) -> str | None:
    """None when Redis at `url` answers PING; otherwise why not, in a sentence."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=CONNECT_SECONDS, socket_timeout=CONNECT_SECONDS)
    try:
        client.ping()
    except redis.RedisError as exc:
        return f"cannot reach Redis at {redacted(url)}: {exc}"
    finally:
        client.close()
    return None
