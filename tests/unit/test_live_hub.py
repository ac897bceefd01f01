"""The per-process fan-out (webapp/live/hub.py): every open subscription gets each message; a stalled
one keeps the newest messages, not the oldest."""
import threading

from webapp.live.hub import QUEUE_LENGTH, Hub


def test_every_subscriber_of_a_session_gets_each_message_and_no_other_session_does():
    hub = Hub()
    a1, a2, b = hub.subscribe("a"), hub.subscribe("a"), hub.subscribe("b")
    assert hub.publish("a", {"version": 2}) == 2
    assert a1.get(1) == {"version": 2} and a2.get(1) == {"version": 2}
    assert b.get(0.01) is None
    assert hub.open_streams("a") == 2 and hub.open_streams() == 3


def test_closing_unsubscribes():
    hub = Hub()
    subscription = hub.subscribe("a")
    subscription.close()
    assert hub.publish("a", {"version": 2}) == 0
    assert hub.open_streams() == 0


def test_a_stalled_subscriber_keeps_the_newest_messages():
    hub = Hub()
    subscription = hub.subscribe("a")
    for version in range(QUEUE_LENGTH + 10):
        hub.publish("a", {"version": version})
    got = [subscription.get(0.01)["version"] for _ in range(QUEUE_LENGTH)]
    assert got == list(range(10, QUEUE_LENGTH + 10))
    assert subscription.get(0.01) is None


def test_get_wakes_when_a_message_arrives():
    hub = Hub()
    subscription = hub.subscribe("a")
    waiting = threading.Event()
    got = []

    def wait():
        waiting.set()
        got.append(subscription.get(5))

    thread = threading.Thread(target=wait)
    thread.start()
    waiting.wait(1)
    hub.publish("a", {"end": "ended"})
    thread.join(5)
    assert got == [{"end": "ended"}]
