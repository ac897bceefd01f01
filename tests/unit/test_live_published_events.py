"""webapp/live/events.py: a published state is encoded once per process, whatever the streams."""
import json

from webapp.live.events import PublishedEvents


def test_a_published_state_is_encoded_once_and_sent_alike():
    encode = PublishedEvents(size=2)
    state = {"version": 3, "step": 7, "spec": {"layers": [1, 2]}}
    first = encode("s1", state)
    assert first.startswith(b"id: 3\ndata: ") and json.loads(first.split(b"data: ")[1]) == state
    # Another stream with its own copy of the same published state: the same bytes, not encoded again.
    assert encode("s1", dict(state)) is first
    assert encode("s2", state) is not first  # another session's version 3 is another state
    assert encode("s1", {**state, "version": 4}) != first


def test_only_the_newest_few_are_kept():
    encode = PublishedEvents(size=2)
    old = encode("s", {"version": 1})
    encode("s", {"version": 2})
    encode("s", {"version": 3})
    assert encode("s", {"version": 1}) is not old and len(encode.encoded) == 2
