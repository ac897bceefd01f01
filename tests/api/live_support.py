"""Helpers of the live sessions' API tests: a presenter's session, a reader of a server-sent event
stream, a clock the test moves, and the API's error shape."""
import json
import time


class Clock:
    """A clock the test moves, for expiry."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class Session:
    """A session created through the API, with its presenter's Authorization header."""

    def __init__(self, client, body=None):
        response = client.post("/api/sessions", json=body) if body is not None else client.post("/api/sessions")
        assert response.status_code == 201, response.get_json()
        self.client, self.response, self.created = client, response, response.get_json()
        self.id, self.token = self.created["id"], self.created["presenter_token"]
        self.auth = {"Authorization": f"Bearer {self.token}"}
        self.url = f"/api/sessions/{self.id}"

    def state(self):
        return self.client.get(f"{self.url}/state").get_json()

    def change(self, **fields):
        return self.client.post(f"{self.url}/state", json=fields, headers=self.auth)

    def open_poll(self, step):
        return self.client.post(f"{self.url}/polls", json={"step": step}, headers=self.auth)

    def answer(self, poll_id, client, answer):
        return self.client.post(f"{self.url}/polls/{poll_id}/answers", json={"client": client, "answer": answer})

    def results(self, poll_id, **query):
        return self.client.get(f"{self.url}/polls/{poll_id}", query_string=query, headers=self.auth)

    def reveal(self, poll_id):
        return self.client.post(f"{self.url}/polls/{poll_id}/reveal", headers=self.auth)

    def events(self, headers=None):
        return Events(self.client.get(f"{self.url}/events", headers=headers or {}, buffered=False))


class Events:
    """An event stream read chunk by chunk (the stream yields one whole event per chunk). next() waits
    for the next event, skipping keep-alive comments, and fails after `patience` seconds: with
    LIVE_KEEPALIVE_SECONDS small, a chunk comes at least that often, so nothing blocks for long."""

    def __init__(self, response, patience=5.0):
        self.response, self.patience = response, patience
        self.chunks = iter(response.response)
        self.keepalives = 0

    def next(self) -> dict:
        deadline = time.monotonic() + self.patience
        while time.monotonic() < deadline:
            chunk = next(self.chunks).decode()
            if chunk.startswith(":"):
                self.keepalives += 1
                continue
            return parse_event(chunk)
        raise AssertionError(f"no event within {self.patience} s")

    def close(self):
        self.response.close()


def parse_event(chunk: str) -> dict:
    """{"id", "event", "data" (decoded JSON), "retry"} of one event's text."""
    event = {}
    assert chunk.endswith("\n\n"), chunk
    for line in chunk.strip("\n").split("\n"):
        name, _, value = line.partition(": ")
        event[name] = json.loads(value) if name == "data" else value
    return event


def error_of(response, status, field):
    """The API's JSON error: the status, the field at fault, a sentence."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    body = response.get_json()
    assert set(body) == {"error", "field"} and body["field"] == field and len(body["error"]) > 10, body
    return body
