"""This process's fan-out: session id -> the queues of the event streams open on it.

The MemoryStore publishes into a Hub directly; the RedisStore's one listener thread per process
publishes what arrives on its pub/sub channel. A message is a state dict or {"end": reason}; every
subscriber gets the same object, so nobody may change one.
"""
import queue
import threading
from collections import defaultdict

# A stream that falls this far behind (a stalled client) loses its oldest states, never the newest:
# the stream only ever sends states newer than the last it sent, so a gap is caught up by the next one.
QUEUE_LENGTH = 64


class HubSubscription:
    """One stream's queue; .get(timeout) -> message | None (nothing within timeout); .close()."""

    def __init__(self, hub: "Hub", sid: str):
        self._hub, self.sid = hub, sid
        self._queue: queue.Queue = queue.Queue(QUEUE_LENGTH)

    def get(self, timeout: float):
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            return None

    def put(self, message) -> None:
        while True:
            try:
                self._queue.put_nowait(message)
                return
            except queue.Full:
                try:
                    self._queue.get_nowait()  # drop the oldest to make room
                except queue.Empty:
                    pass

    def close(self) -> None:
        self._hub.unsubscribe(self)


class Hub:
    def __init__(self):
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[HubSubscription]] = defaultdict(set)

    def subscribe(self, sid: str) -> HubSubscription:
        subscription = HubSubscription(self, sid)
        with self._lock:
            self._subscribers[sid].add(subscription)
        return subscription

    def unsubscribe(self, subscription: HubSubscription) -> None:
        with self._lock:
            group = self._subscribers.get(subscription.sid)
            if group is not None:
                group.discard(subscription)
                if not group:
                    del self._subscribers[subscription.sid]

    def publish(self, sid: str, message) -> int:
        """Hand `message` to every stream open on `sid` here; how many there were."""
        with self._lock:
            group = list(self._subscribers.get(sid, ()))
        for subscription in group:
            subscription.put(message)
        return len(group)

    def open_streams(self, sid: str | None = None) -> int:
        """Subscriptions open on `sid` (or on any session) in this process."""
        with self._lock:
            if sid is not None:
                return len(self._subscribers.get(sid, ()))
            return sum(len(group) for group in self._subscribers.values())
