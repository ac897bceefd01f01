"""`serve --workers N`: N processes behind one port, with gunicorn's arbiter, on POSIX.

gunicorn is driven from Python (a small BaseApplication) rather than started as a `gunicorn`
subprocess: `serve` itself becomes the arbiter, so Ctrl-C's SIGINT (a quick stop) and SIGTERM (a
graceful one) reach gunicorn's own handlers, which stop every worker and reap it before exiting, with
no process in between that would have to forward signals; the options are a dict rather than a command
line; and the workers serve the very app create_app() made (built once, then forked), not an import
string resolved again in each of them.

Each worker is a gthread worker: a few threads, so a small request is answered while a heavy trace is
being computed in the same process (webapp/admission.py bounds those per process).
"""
# gunicorn is a POSIX-only dependency (pyproject's marker); waitress serves everywhere, threads only.
WINDOWS_MESSAGE = ("--workers above 1 needs gunicorn, which runs on POSIX only; on Windows run one "
                   "process (waitress, --threads) per port behind a load balancer")


def options(host: str, port: int, workers: int, threads: int) -> dict:
    """gunicorn settings, by their configuration names."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
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


def serve_processes(app, host: str, port: int, workers: int, threads: int) -> None:
    """Run gunicorn's arbiter in this process until SIGINT or SIGTERM; it exits the process. POSIX only:
    the caller turns Windows away with WINDOWS_MESSAGE."""
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError:
        raise SystemExit("error: --workers above 1 needs gunicorn: pip install gunicorn") from None

    class Application(BaseApplication):
        def load_config(self):
            for name, value in options(host, port, workers, threads).items():
                self.cfg.set(name, value)

        def load(self):
            return app

    Application().run()
