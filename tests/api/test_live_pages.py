"""The follower page: /live/<id> and /?join=<id> render the explainer as a live session's follower;
an id that no session can have is a 404 page and never reaches the markup."""
import re

import pytest


def body_tag(response):
    return re.search(r"<body[^>]*>", response.get_data(as_text=True)).group(0)


@pytest.mark.parametrize("path", ["/live/Ab_9-xYz", "/?join=Ab_9-xYz"])
def test_a_join_address_opens_the_follower_page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    tag = body_tag(response)
    assert 'data-live-role="follower"' in tag
    assert 'data-live-session="Ab_9-xYz"' in tag
    assert 'data-live-url="/api/sessions/Ab_9-xYz"' in tag
    assert "css/follower.css" in response.get_data(as_text=True)


def test_the_explainer_itself_is_no_follower(client):
    response = client.get("/")
    assert "data-live-role" not in body_tag(response)
    assert "follower.css" not in response.get_data(as_text=True)


def test_the_longest_id_is_64_characters(client):
    assert client.get("/live/" + "a" * 64).status_code == 200
    assert client.get("/live/" + "a" * 65).status_code == 404


@pytest.mark.parametrize("bad", ['a"b', "a<b>", "a.b", "a b", "ä", "a%22onload%3D1"])
def test_an_id_no_session_can_have_is_a_404_page(client, bad):
    for path in (f"/live/{bad}", f"/?join={bad}"):
        response = client.get(path)
        assert response.status_code == 404, path
        text = response.get_data(as_text=True)
        assert "data-live-role" not in text
        assert "<b>" not in text and 'a"b' not in text
        assert "join link" in text


def test_an_empty_join_is_a_404_page(client):
    assert client.get("/?join=").status_code == 404
