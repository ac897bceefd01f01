"""A light server-sent events client for the tests and the live benchmark: http.client on one socket,
a reader thread putting each parsed event on a queue, so a test awaits events instead of time."""
import http.client
import json
import queue
import socket
import threading
import time


def parse(lines: list[str]) -> dict:
    """One event's lines -> {"event", "id", "data" (decoded JSON when it is), "comment"}; fields absent
    from the event are absent from the dict."""
    event, data = {}, []
    for line in lines:
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "":
            event["comment"] = value
        elif name == "data":
            data.append(value)
        else:
            event[name] = value
    if data:
        text = "\n".join(data)
        try:
            event["data"] = json.loads(text)
        except ValueError:
            event["data"] = text
    return event


class EventStream:
    """GET `path` on host:port as an event stream. `events` is a queue of (arrival time, event) and,
    once the stream closes, (time, None); next() awaits the next event that is not a comment."""

    def __init__(self, host: str, port: int, path: str, timeout: float = 30):
        self.connection = http.client.HTTPConnection(host, port, timeout=timeout)
        self.connection.request("GET", path, headers={"Accept": "text/event-stream"})
        self.response = self.connection.getresponse()
        self.status, self.headers = self.response.status, self.response.headers
        self.events: queue.Queue = queue.Queue()
        if self.status == 200:
            threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        lines = []
        try:
            while True:
                raw = self.response.readline()
                if not raw:
                    break
                line = raw.decode().rstrip("\r\n")
                if line:
                    lines.append(line)
                elif lines:
                    self.events.put((time.time(), parse(lines)))
                    lines = []
        except (OSError, http.client.HTTPException, ValueError, AttributeError):
            pass  # AttributeError: http.client's response, closed by close() while this thread reads it
        self.events.put((time.time(), None))

    def next(self, timeout: float = 10) -> dict | None:
        """The next event with data or a name (None when the stream closed); fails after `timeout` s."""
        while True:
            try:
                _, event = self.events.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no event within {timeout} s") from None
            if event is None or "data" in event or "event" in event:
                return event

    def close(self) -> None:
        # Shut the socket down first: the reader thread, blocked in readline, holds the buffer's lock
        # that closing waits for, until the server's next keep-alive.
        if self.connection.sock is not None:
            try:
                self.connection.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self.connection.close()
