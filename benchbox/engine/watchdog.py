"""Interrupt a running query at its deadline, or as soon as SIGINT/SIGTERM arrives.

A query runs in C with the GIL released, so a Python signal handler only runs
after the query returns, which may be hours later. The watchdog thread is woken
by the signal itself (``signal.set_wakeup_fd``) or by the deadline and calls the
adapter's thread-safe ``interrupt()``; the main thread then sees the query fail
and the pending ``KeyboardInterrupt`` / ``RunInterrupted`` ends the run cleanly.
When no timeout is set, arming costs two attribute writes, so the timed loop
stays as lean as a bare one.

The power phase has one query at a time on the run's connection (``arm``/``disarm``);
concurrent streams each have their own session, so each of their queries gets its
own deadline and its own ``interrupt`` (``limit``). Once the phases are over,
``hold`` makes a signal a note instead of an exception: the result files are
still to be written, and a run whose every phase finished must not lose them to
a Ctrl-C that came a moment too late (the engine reads ``late`` and exits 130).
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType, TracebackType
from typing import Literal

from benchbox.errors import RunInterrupted

Reason = Literal["timeout", "interrupted"]

SIGNALS = (signal.SIGINT, signal.SIGTERM)
"""What stops a run: Ctrl-C and a polite kill."""


class Limit:
    """One query's deadline on a session of its own; ``expired`` says the watchdog cancelled it."""

    def __init__(self, deadline: float, interrupt: Callable[[], None]) -> None:
        self.deadline = deadline
        self.interrupt = interrupt
        self.expired = False
        self.active = True
        self.lock = threading.Lock()
        """Held while the watchdog cancels: the stream cannot start its next query meanwhile."""


class Watchdog:
    """A background thread that interrupts queries; use as a context manager around a run."""

    def __init__(self) -> None:
        self.interrupt: Callable[[], None] | None = None
        """Set once a connection exists: the adapter's ``interrupt``."""
        self.reason: Reason | None = None
        self.late: list[int] = []
        """Signals that arrived after ``hold()``: noted, never raised."""
        self._held = False
        self._deadline: float | None = None
        self._limits: set[Limit] = set()
        self._limits_lock = threading.Lock()
        self._signal_r, self._signal_w = os.pipe()
        self._control_r, self._control_w = os.pipe()
        for fd in (self._signal_r, self._signal_w, self._control_r, self._control_w):
            os.set_blocking(fd, False)
        self._thread = threading.Thread(target=self._loop, name="benchbox-watchdog", daemon=True)
        self._previous: tuple[int, dict[int, object]] | None = None

    def __enter__(self) -> Watchdog:
        if threading.current_thread() is threading.main_thread():
            wakeup = signal.set_wakeup_fd(self._signal_w, warn_on_full_buffer=False)
            self._previous = (wakeup, {sig: signal.signal(sig, self._on_signal) for sig in SIGNALS})
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._previous is not None:
            wakeup, handlers = self._previous
            signal.set_wakeup_fd(wakeup)
            for sig, handler in handlers.items():
                signal.signal(sig, handler)  # type: ignore[arg-type]
        self._poke(b"q")
        self._thread.join(timeout=5)
        for fd in (self._signal_r, self._signal_w, self._control_r, self._control_w):
            os.close(fd)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        """SIGINT raises ``KeyboardInterrupt`` and SIGTERM ``RunInterrupted``, until ``hold()``."""
        if self._held:
            self.late.append(signum)
            return
        if signum == signal.SIGTERM:
            raise RunInterrupted(f"received signal {signal.Signals(signum).name}")
        raise KeyboardInterrupt

    def hold(self) -> None:
        """The phases are over (the connection is closing): from now on a signal is only noted in
        ``late``, and nothing is cancelled any more. Idempotent."""
        self._held = True
        self.interrupt = None
        self._deadline = None

    def arm(self, timeout_s: float | None) -> None:
        """A query is about to start; interrupt it after ``timeout_s`` seconds (None: never)."""
        self.reason = None
        if timeout_s is not None:
            self._deadline = time.monotonic() + timeout_s
            self._poke(b"a")

    def disarm(self) -> None:
        """The query has finished."""
        if self._deadline is not None:
            self._deadline = None
            self._poke(b"d")

    @contextlib.contextmanager
    def limit(self, timeout_s: float | None, interrupt: Callable[[], None]) -> Iterator[Limit | None]:
        """Around one query on a session of its own (a stream's): call that session's ``interrupt``
        once ``timeout_s`` has passed. Safe from any thread; yields None when there is no limit."""
        if timeout_s is None:
            yield None
            return
        entry = Limit(time.monotonic() + timeout_s, interrupt)
        with self._limits_lock:
            self._limits.add(entry)
        self._poke(b"a")
        try:
            yield entry
        finally:
            with entry.lock:  # waits for a cancel in progress, so it cannot hit the next query
                entry.active = False
            with self._limits_lock:
                self._limits.discard(entry)

    def _poke(self, byte: bytes) -> None:
        with contextlib.suppress(BlockingIOError, OSError):  # plenty of pokes queued, or closing
            os.write(self._control_w, byte)

    def _fire(self, reason: Reason) -> None:
        self.reason = reason
        interrupt = self.interrupt
        if interrupt is not None:
            with contextlib.suppress(Exception):  # e.g. a connection closed meanwhile: the thread lives on
                interrupt()

    def _next_deadline(self) -> float | None:
        with self._limits_lock:
            times = [entry.deadline for entry in self._limits]
        if self._deadline is not None:
            times.append(self._deadline)
        return min(times, default=None)

    def _expire_limits(self, now: float) -> None:
        with self._limits_lock:
            due = [entry for entry in self._limits if entry.deadline <= now]
            self._limits.difference_update(due)
        for entry in due:
            with entry.lock:
                if entry.active:
                    entry.expired = True
                    with contextlib.suppress(Exception):  # the thread must outlive a failed cancel
                        entry.interrupt()

    def _loop(self) -> None:
        while True:
            deadline = self._next_deadline()
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self._signal_r, self._control_r], [], [], wait)
            if self._signal_r in ready:
                os.read(self._signal_r, 64)
                if not self._held:
                    self._fire("interrupted")
            if self._control_r in ready and b"q" in os.read(self._control_r, 64):
                return
            now = time.monotonic()
            self._expire_limits(now)
            if self._deadline is not None and now >= self._deadline:
                self._deadline = None
                self._fire("timeout")
