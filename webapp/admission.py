"""Admission control for heavy traces: each process computes a few at once and lets a few more wait
briefly; the rest are answered at once with Busy (the API's 503 with Retry-After), so a burst of large
networks cannot queue up the small requests (the worked example, anything already cached) behind it.

Only the computation is gated: a small trace never asks, and a cached answer never reaches the gate.
The bound is per process, because the work is: a process computes Python-heavy traces on one core (its
interpreter lock), so more heavy traces at once in one process only share that core more thinly.
"""
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from .engine.network import NetworkSpec

# The one size rule. A trace's work is its edges times its samples: every step, check and JSON entry
# is per edge and per sample. 1,000 puts the 10x16 network (2,304 edges) and a 32-sample batch of a
# 2-4-4-2 network (1,024) among the heavy, each about a tenth of a second or more of engine time; the
# presets and the 4-8-8-3 network (120) stay small.
HEAVY_WORK = 1000


@dataclass(frozen=True)
class Limits:
    """How many heavy traces one process computes at once, how many more may wait for a turn and
    for how long, and the Retry-After (whole seconds) of those turned away.

    One at once: a trace's work is Python holding the interpreter lock, so a second heavy trace in the
    same process would only halve the speed of both, and each one computing makes every small request
    wait longer for the lock. Two waiting: with one computing, that keeps 3 of the 8 threads (`serve`'s
    default) on heavy traces and leaves 5 for everything else. (Measured in one run with 50 clients
    posting fresh 10x16 networks, 2 workers: 2 at once and 4 waiting gave the worked example a p99 of
    0.7-1.1 s, these limits 0.1-0.2 s.) An app takes other limits from its config's HEAVY_LIMITS."""
    at_once: int = 1
    waiting: int = 2
    wait_seconds: float = 1.0
    retry_after: int = 1


class Busy(Exception):
    """Too many heavy traces in this process right now; try again after `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"the server is busy with large networks; try again in {retry_after} s")
        self.retry_after = retry_after


def work(spec: NetworkSpec) -> int:
    """Edges times samples (a single sample counts as one)."""
    edges = sum(a * b for a, b in zip(spec.layers, spec.layers[1:]))
    return edges * (len(spec.samples) if spec.samples else 1)


def is_heavy(spec: NetworkSpec) -> bool:
    return work(spec) >= HEAVY_WORK


class HeavyGate:
    """One per process (per app). `running` and `waiting` count heavy traces; `changed` is notified
    whenever either changes, so a waiter (or a test) can await a state instead of sleeping."""

    def __init__(self, limits: Limits = Limits()):
        self.limits = limits
        self.changed = threading.Condition()
        self.running = 0
        self.waiting = 0

    @contextmanager
    def admit(self, spec: NetworkSpec):
        """Run the body now if the spec is small; if heavy, once a turn is free, or raise Busy."""
        if not is_heavy(spec):
            yield
            return
        self._take_turn()
        try:
            yield
        finally:
            with self.changed:
                self.running -= 1
                self.changed.notify_all()

    def _free(self) -> bool:
        return self.running < self.limits.at_once

    def _take_turn(self) -> None:
        with self.changed:
            if self._free() and not self.waiting:  # no overtaking those already waiting
                self.running += 1
                return
            if self.waiting >= self.limits.waiting:
                raise Busy(self.limits.retry_after)
            self.waiting += 1
            self.changed.notify_all()
            try:
                if not self.changed.wait_for(self._free, timeout=self.limits.wait_seconds):
                    raise Busy(self.limits.retry_after)
                self.running += 1
            finally:
                self.waiting -= 1
                self.changed.notify_all()
