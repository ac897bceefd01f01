"""The RedisStore's one listener per process: Redis pub/sub -> this process's Hub.

Every state and end of every session goes out on one channel; this thread hands each message to the
streams open on its session here (webapp/live/hub.py). When Redis goes away it reconnects with backoff,
and once subscribed again it gives every session with streams here its current state (or its end), so
a stream that missed states while Redis was away catches up: streams skip versions they already sent.
It also sweeps the store now and then, which ends the streams of sessions that expired unasked.
"""
import logging
import threading
import time

import orjson
import redis

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0         # the longest the thread waits for a message before checking stop and sweep
RETRY_SECONDS = (0.1, 2.0)  # reconnection backoff: first wait, doubling up to the second


class Listener(threading.Thread):
    """`store` gives the client (store.client), the channel, sweep() and catch_up(); `hub` the fan-out."""

    def __init__(self, store, hub, sweep_seconds: float):
        super().__init__(name="live-redis-listener", daemon=True)
        self.store, self.hub, self.sweep_seconds = store, hub, sweep_seconds
        self.subscribed = threading.Event()  # set while the channel is subscribed: messages will arrive
        self._stop = threading.Event()
        self._reconnecting = False  # subscribed before: streams here may have missed messages

    def run(self) -> None:
        wait = RETRY_SECONDS[0]
        while not self._stop.is_set():
            try:
                self._listen()
            except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
                if self.subscribed.is_set():
                    wait = RETRY_SECONDS[0]  # it was working: start the backoff again
                self.subscribed.clear()
                log.warning("live sessions: lost Redis (%s); reconnecting in %.1f s", exc, wait)
            except Exception:  # a bug must not silence every stream of the process for good
                self.subscribed.clear()
                log.exception("live sessions: the Redis listener failed; restarting it")
            self._stop.wait(wait)
            wait = min(wait * 2, RETRY_SECONDS[1])

    def _listen(self) -> None:
        pubsub = self.store.client.pubsub()
        try:
            pubsub.subscribe(self.store.channel)
            last_sweep = time.monotonic()
            while not self._stop.is_set():
                message = pubsub.get_message(timeout=min(POLL_SECONDS, self.sweep_seconds))
                if message is not None:
                    self._handle(message)
                if time.monotonic() - last_sweep >= self.sweep_seconds:
                    last_sweep = time.monotonic()
                    self.store.sweep()
        finally:
            pubsub.close()

    def _handle(self, message: dict) -> None:
        if message["type"] == "subscribe":
            self.subscribed.set()
            if self._reconnecting:
                log.warning("live sessions: listening on Redis again")
                self.store.catch_up()
            self._reconnecting = True
        elif message["type"] == "message":
            payload = orjson.loads(message["data"])
            self.hub.publish(payload["session"], payload["message"])

    def stop(self) -> None:
        self._stop.set()
