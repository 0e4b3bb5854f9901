"""Interrupt a running query at its deadline, or as soon as SIGINT/SIGTERM arrives.

A query runs in C with the GIL released, so a Python signal handler only runs
after the query returns, which may be hours later. The watchdog thread is woken
by the signal itself (``signal.set_wakeup_fd``) or by the deadline and calls the
adapter's thread-safe ``interrupt()``; the main thread then sees the query fail
and the pending ``KeyboardInterrupt`` / ``RunInterrupted`` ends the run cleanly.
When no timeout is set, arming costs two attribute writes, so the timed loop
stays as lean as a bare one.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Literal

from benchbox.errors import RunInterrupted

Reason = Literal["timeout", "interrupted"]


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise RunInterrupted(f"received signal {signal.Signals(signum).name}")


class Watchdog:
    """A background thread that interrupts queries; use as a context manager around a run."""

    def __init__(self) -> None:
        self.interrupt: Callable[[], None] | None = None
        """Set once a connection exists: the adapter's ``interrupt``."""
        self.reason: Reason | None = None
        self._deadline: float | None = None
        self._signal_r, self._signal_w = os.pipe()
        self._control_r, self._control_w = os.pipe()
        for fd in (self._signal_r, self._signal_w, self._control_r, self._control_w):
            os.set_blocking(fd, False)
        self._thread = threading.Thread(target=self._loop, name="benchbox-watchdog", daemon=True)
        self._previous: tuple[int, object] | None = None

    def __enter__(self) -> Watchdog:
        if threading.current_thread() is threading.main_thread():
            self._previous = (
                signal.set_wakeup_fd(self._signal_w, warn_on_full_buffer=False),
                signal.signal(signal.SIGTERM, _raise_terminated),
            )
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._previous is not None:
            signal.set_wakeup_fd(self._previous[0])
            signal.signal(signal.SIGTERM, self._previous[1])  # type: ignore[arg-type]
        self._poke(b"q")
        self._thread.join(timeout=5)
        for fd in (self._signal_r, self._signal_w, self._control_r, self._control_w):
            os.close(fd)

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

    def _poke(self, byte: bytes) -> None:
        with contextlib.suppress(BlockingIOError):  # the thread has plenty of pokes queued already
            os.write(self._control_w, byte)

    def _fire(self, reason: Reason) -> None:
        self.reason = reason
        if self.interrupt is not None:
            self.interrupt()

    def _loop(self) -> None:
        while True:
            deadline = self._deadline
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self._signal_r, self._control_r], [], [], wait)
            if self._signal_r in ready:
                os.read(self._signal_r, 64)
                self._fire("interrupted")
            if self._control_r in ready and b"q" in os.read(self._control_r, 64):
                return
            if not ready and self._deadline is not None and time.monotonic() >= self._deadline:
                self._deadline = None
                self._fire("timeout")
