"""Timeouts interrupt the running query on the platform itself, and the connection stays usable."""

from __future__ import annotations

import time

import pytest

from benchbox.engine.watchdog import Watchdog
from benchbox.platforms import duckdb as duckdb_platform
from benchbox.platforms import sqlite as sqlite_platform

SLOW = {
    "duckdb": "select count(*) from range(100000000) a, range(100000) b where a.range + b.range = -1",
    "sqlite": (
        "with recursive n(i) as (select 1 union all select i + 1 from n where i < 100000000) "
        "select count(*) from n where i = -1"
    ),
}


@pytest.mark.parametrize("module", [duckdb_platform, sqlite_platform], ids=["duckdb", "sqlite"])
def test_a_timeout_interrupts_the_query_within_a_second(module) -> None:
    adapter = module.Adapter(module.Config())
    adapter.connect()
    try:
        with Watchdog() as watchdog:
            watchdog.interrupt = adapter.interrupt
            watchdog.arm(0.3)
            start = time.monotonic()
            with pytest.raises(Exception):  # noqa: B017 - each driver raises its own type
                adapter.execute(SLOW[adapter.name])
            elapsed = time.monotonic() - start
            watchdog.disarm()
            assert watchdog.reason == "timeout"
            # Never before the deadline; well before the query's own hours (no upper bound tighter than
            # that: a loaded machine may take long to deliver the cancel).
            assert 0.3 <= elapsed < 120
            watchdog.arm(None)
            assert adapter.execute("select 42") == [(42,)]
            watchdog.disarm()
            assert watchdog.reason is None
    finally:
        adapter.close()


def test_an_interrupt_that_raises_does_not_stop_the_watchdog() -> None:
    """The connection may close (or the driver refuse) just as the deadline strikes: the next
    query's deadline must still be watched."""
    import threading

    fired = threading.Event()

    def broken() -> None:
        raise RuntimeError("the connection is closed")

    with Watchdog() as watchdog:
        watchdog.interrupt = broken
        watchdog.arm(0.01)
        assert _until(lambda: watchdog.reason == "timeout")
        watchdog.disarm()
        watchdog.interrupt = fired.set
        watchdog.arm(0.01)
        assert fired.wait(timeout=60), "the watchdog thread died with the first interrupt"
        watchdog.disarm()


def _until(condition, limit_s: float = 60) -> bool:
    deadline = time.monotonic() + limit_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_no_timeout_means_no_interrupt() -> None:
    calls = []
    with Watchdog() as watchdog:
        watchdog.interrupt = lambda: calls.append(1)
        watchdog.arm(None)
        time.sleep(0.2)
        watchdog.disarm()
    assert calls == [] and watchdog.reason is None
