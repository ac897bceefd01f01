"""`serve --workers N`: N processes behind one port, with gunicorn's arbiter, on POSIX.

gunicorn is driven from Python (a small BaseApplication) rather than started as a `gunicorn`
subprocess: `serve` itself becomes the arbiter, so Ctrl-C's SIGINT (a quick stop) and SIGTERM (a
graceful one) reach gunicorn's own handlers, which stop every worker and reap it before exiting, with
no process in between that would have to forward signals; the options are a dict rather than a command
line; and the workers serve the very app create_app() made (built once, then forked), not an import
string resolved again in each of them.

Each worker is a gthread worker: a few threads, so a small request is answered while a heavy trace is
being computed in the same process (webapp/admission.py bounds those per process).

Live sessions (issue 14) hold an event stream open per follower for a whole lecture, and a WSGI
stream keeps one thread for as long as it is open. So each process gets a thread pool sized for both:
`threads` for the ordinary requests plus `stream_slots` for open streams (`serve --stream-slots`), and
the app is told its slots (LIVE_STREAM_SLOTS) so a stream past them is answered 503 with Retry-After
instead of queueing behind the others and starving the pages and traces of threads.

Why a sized pool of threads rather than gevent workers: a gevent worker runs all its connections on
one OS thread and switches only where code waits on the network. A trace is CPU-bound numpy and Python
(a tenth of a second or more for a large network) that never yields, so while one is computed every
stream of that worker stalls: the lecturer's step reaches nobody. With threads the interpreter hands
the lock over every few milliseconds, so a stream's short send is not held behind a long trace. An
idle stream's thread is blocked on its queue (webapp/live/hub.py) and costs its stack's touched pages
(tens of KB, measured in README "Serving a live classroom"), not CPU; gevent would also need monkey-
patching, which the Redis client and numpy's threads would have to survive.
"""
# gunicorn is a POSIX-only dependency (pyproject's marker); waitress serves everywhere, threads only.
WINDOWS_MESSAGE = ("--workers above 1 needs gunicorn, which runs on POSIX only; on Windows run one "
                   "process (waitress, --threads) per port behind a load balancer")


# Connections a process accepts beside its open streams: waitress's own default of 100, for pages,
# traces and idle kept-alive connections. Past the limit waitress stops accepting (the kernel's backlog
# holds the rest) rather than spawning more.
CONNECTIONS_BESIDE_STREAMS = 100
# An idle kept-alive connection is closed after this long (waitress's default is 120 s): a hall of
# phones that loaded the page once should not hold connection slots for two minutes. An open stream is
# a request in progress, which this timeout never closes; its keep-alive comments every 15 s find a
# client that went away.
IDLE_CONNECTION_SECONDS = 60


# waitress keeps a connection's sent bytes in its output buffer until that buffer has taken this many,
# then starts a new one (its default is 16 MB): an event stream open for a lecture, sending a state of a
# large network (15 KB) every step, would hold up to 16 MB each, 4.8 GB for 300 followers. At 256 KB a
# stream holds at most that; a response sent in one piece (a trace, a page) is never held back by it.
STREAM_BUFFER_BYTES = 256 * 1024


def waitress_options(host: str, port: int, threads: int, stream_slots: int) -> dict:
    """waitress.serve's settings for one process holding up to `stream_slots` open event streams."""
    return {
        "host": host,
        "port": port,
        "threads": threads + stream_slots,
        "connection_limit": stream_slots + CONNECTIONS_BESIDE_STREAMS,
        "channel_timeout": IDLE_CONNECTION_SECONDS,
        # select() cannot watch file descriptors numbered past 1024; poll() has no such limit.
        "asyncore_use_poll": True,
        # Keep reading a connection while its request runs, so a stream learns within seconds that its
        # client left (environ["waitress.client_disconnected"], webapp/live/events.py) and frees its slot.
        "channel_request_lookahead": 1,
        "outbuf_high_watermark": STREAM_BUFFER_BYTES,
        # Behind deploy/nginx (on this machine) a hall may reach the site by https: the proxy says so,
        # and a live session's join link (webapp/live_api.py) must say https too. gunicorn trusts
        # X-Forwarded-Proto from loopback by default (forwarded_allow_ips); waitress is told to.
        "trusted_proxy": "127.0.0.1",
        "trusted_proxy_headers": {"x-forwarded-proto"},
        "ident": "backprop-explainer",
    }


def options(host: str, port: int, workers: int, threads: int, stream_slots: int = 0) -> dict:
    """gunicorn settings, by their configuration names; `threads` and `stream_slots` are per worker."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        # A stream keeps its thread while it is open, so every slot is a thread of its own.
        "threads": threads + stream_slots,
        # gthread accepts connections up to this number and hands them to its threads; kept-alive idle
        # ones count too.
        "worker_connections": threads + stream_slots + CONNECTIONS_BESIDE_STREAMS,
        "preload_app": True,
        # Longer than a client's pause between requests (such as a Retry-After of a second or two), so a
        # kept-alive connection is not closed just as the client reuses it.
        "keepalive": 10,
        "graceful_timeout": 10,  # SIGTERM: the longest an in-flight request may finish
        "loglevel": "info",
        # No runtime control socket: it sits at one path per user, which two servers (or a test beside
        # a running course server) would fight over.
        "control_socket_disable": True,
    }


def serve_processes(app, host: str, port: int, workers: int, threads: int, stream_slots: int = 0) -> None:
    """Run gunicorn's arbiter in this process until SIGINT or SIGTERM; it exits the process. POSIX only:
    the caller turns Windows away with WINDOWS_MESSAGE."""
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:
        raise SystemExit("error: --workers above 1 needs gunicorn: pip install gunicorn") from None

    class Application(BaseApplication):
        def load_config(self):
            for name, value in options(host, port, workers, threads, stream_slots).items():
                self.cfg.set(name, value)

        def load(self):
            return app

    Application().run()
