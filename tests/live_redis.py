"""A throwaway redis-server on loopback for the tests of live sessions shared through Redis.

Debian's `redis-server` runs as the current user on a free port, in memory only (`--save ""
--appendonly no`, its directory a temporary one), and is stopped at the end. Where it is not
installed the tests that need it are skipped, saying so (`.ci/setup --browser` installs it without
starting the system's own). `redis_url` in tests/conftest.py is the fixture; `RedisServer` is for a
test that stops and restarts the server under a running app.
"""
import os
import shutil
import socket
import subprocess
import tempfile
import threading

import pytest

BINARY = shutil.which("redis-server") or next(
    (path for path in ("/usr/bin/redis-server", "/usr/sbin/redis-server") if os.access(path, os.X_OK)), None)
MISSING = ("redis-server is not installed (Debian: apt-get install redis-server, or .ci/setup --browser): "
           "the live sessions shared by several processes cannot be tested here")
# redis-server's log line once it listens: waiting for it is waiting for an event, not for time.
READY = "Ready to accept connections"
START_SECONDS = 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """One redis-server process on 127.0.0.1:port; start() again after stop() keeps the port."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.directory = tempfile.mkdtemp(prefix="live-redis-")
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        if BINARY is None:
            pytest.skip(MISSING)
        command = [BINARY, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                   "--dir", self.directory, "--daemonize", "no", "--loglevel", "notice", "--logfile", ""]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        ready = threading.Event()
        log = []
        threading.Thread(target=self._read_log, args=(ready, log), daemon=True).start()
        if not ready.wait(START_SECONDS) or self.process.poll() is not None:
            self.stop()
            raise RuntimeError("redis-server did not start:\n" + "".join(log[-20:]))
        return self

    def _read_log(self, ready: threading.Event, log: list) -> None:
        # Read to the end, so the pipe never fills while the server runs.
        for line in self.process.stdout:
            log.append(line)
            if READY in line:
                ready.set()

    def stop(self, keep_data: bool = False) -> None:
        """Stop the server; with keep_data it writes its data to its directory first (SHUTDOWN SAVE, which
        works without save points), so start() again brings the same keys back, as a production Redis
        that persists would."""
        if keep_data and self.process is not None and self.process.poll() is None:
            import redis

            try:
                redis.Redis.from_url(self.url).shutdown(save=True)
            except redis.ConnectionError:
                pass  # the server closes the connection as it exits
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
