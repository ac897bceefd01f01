"""The live routes' real answers, a whole session's worth, against the OpenAPI document's schemas
(schemathesis in test_openapi.py only ever reaches them with made-up ids)."""
import jsonschema_rs
from live_support import Session

from webapp.contract import CONTRACT
from webapp.openapi import document

OPENAPI = document(CONTRACT)


def conforms(response, path, method, status):
    assert response.status_code == int(status), response.get_data(as_text=True)
    schema = OPENAPI["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    validator = jsonschema_rs.Draft202012Validator({**schema, "components": OPENAPI["components"]})
    errors = [str(e) for e in validator.iter_errors(response.get_json())]
    assert errors == []


def test_a_whole_session_keeps_to_the_document(live_client):
    s = Session(live_client, {"step": 2, "mode": "lecture"})
    conforms(s.response, "/api/sessions", "post", "201")
    conforms(s.change(step=14), "/api/sessions/{id}/state", "post", "200")
    poll = s.open_poll(14)
    conforms(poll, "/api/sessions/{id}/polls", "post", "201")
    pid = poll.get_json()["poll_id"]
    conforms(s.answer(pid, "device-0001", "-9.6"), "/api/sessions/{id}/polls/{poll_id}/answers", "post", "201")
    conforms(s.answer(pid, "device-0002", "+"), "/api/sessions/{id}/polls/{poll_id}/answers", "post", "201")
    conforms(s.answer(pid, "device-0001", "x"), "/api/sessions/{id}/polls/{poll_id}/answers", "post", "400")
    conforms(s.results(pid), "/api/sessions/{id}/polls/{poll_id}", "get", "200")
    verdict = "/api/sessions/{id}/polls/{poll_id}/answers/{client}"
    conforms(live_client.get(f"{s.url}/polls/{pid}/answers/device-0001"), verdict, "get", "200")
    conforms(s.reveal(pid), "/api/sessions/{id}/polls/{poll_id}/reveal", "post", "200")
    conforms(live_client.get(f"{s.url}/polls/{pid}/answers/device-0001"), verdict, "get", "200")
    conforms(s.answer(pid, "device-0003", "1"), "/api/sessions/{id}/polls/{poll_id}/answers", "post", "409")
    conforms(live_client.get(f"{s.url}/state"), "/api/sessions/{id}/state", "get", "200")
    conforms(live_client.post(f"{s.url}/state", json={"step": 1}), "/api/sessions/{id}/state", "post", "403")
    assert live_client.delete(s.url, headers=s.auth).status_code == 204
    conforms(live_client.get(f"{s.url}/state"), "/api/sessions/{id}/state", "get", "404")
