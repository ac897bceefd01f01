"""Error bodies never leak a stack trace or a filesystem path, whatever the error."""
import io

import pytest

LEAKS = ("Traceback", "/work", "site-packages", ".py", "File \"")


def chunked_oversize(client):
    # Chunked, no Content-Length: the view's own Content-Length check cannot see the size.
    return client.post("/api/trace", input_stream=io.BytesIO(b"x" * 400_000), content_type="application/json",
                       headers={"Transfer-Encoding": "chunked"}, environ_overrides={"wsgi.input_terminated": True})


@pytest.mark.parametrize("request_, status", [
    (lambda c: c.post("/api/trace", data=b"{not json", content_type="application/json"), 400),
    (lambda c: c.post("/api/trace", data=b"\xff\xfe", content_type="application/json"), 400),
    (lambda c: c.post("/api/trace", json={"layers": "x"}), 400),
    (lambda c: c.post("/api/trace", json={"loss": [], "layers": [1, 1], "weights": [[[1]]],
                                          "inputs": [1], "targets": [1]}), 400),
    (lambda c: c.post("/api/trace", data=b"[" * 300_000, content_type="application/json"), 400),
    (chunked_oversize, 400),
    (lambda c: c.get("/api/no-such-thing"), 404),
    (lambda c: c.put("/api/trace"), 405),
    (lambda c: c.delete("/api/presets"), 405),
])
def test_error_bodies_are_clean_json(client, request_, status):
    r = request_(client)
    assert r.status_code == status
    assert r.mimetype == "application/json"
    text = r.get_data(as_text=True)
    for leak in LEAKS:
        assert leak not in text, (leak, text)
    assert set(r.get_json()) == {"error", "field"}


def test_deeply_nested_json_is_a_400_not_a_crash(client):
    # json.loads raises RecursionError past ~1,000 levels; under the size limit that must still be a 400.
    r = client.post("/api/trace", data=b"[" * 100_000 + b"]" * 100_000, content_type="application/json")
    assert r.status_code == 400
    assert "Traceback" not in r.get_data(as_text=True)
