"""The timed region's reading of a time limit (``engine/timing.py``): a query over its limit is
a ``timeout`` whether the watchdog's cancel reached the engine first or the engine answered
first, so a loaded machine cannot turn a timeout into a success."""

from __future__ import annotations

import time

from benchbox.engine.timing import timed
from benchbox.result import Execution


def _execution() -> Execution:
    return Execution("power", 0, 1, False, "Q1", "ok", None, None, "2026-01-01T00:00:00+00:00")


def _slow_answer() -> list[tuple[int]]:
    time.sleep(0.05)  # at least 50 ms, however loaded the machine: over a 1 ms limit either way
    return [(1,), (2,)]


def test_an_answer_that_comes_after_the_limit_is_a_timeout_and_keeps_no_rows() -> None:
    execution = timed(_execution(), _slow_answer, time.perf_counter_ns(), timeout_s=0.001)
    assert (execution.status, execution.error) == ("timeout", "exceeded timeout_s=0.001")
    assert execution.rows is None and execution.result_rows is None
    assert execution.duration_ms is not None and execution.duration_ms >= 50


def test_an_answer_within_the_limit_is_ok_with_its_rows() -> None:
    execution = timed(_execution(), _slow_answer, time.perf_counter_ns(), timeout_s=3600)
    assert (execution.status, execution.error, execution.rows) == ("ok", None, 2)


def test_without_a_limit_a_slow_answer_is_ok() -> None:
    execution = timed(_execution(), _slow_answer, time.perf_counter_ns())
    assert (execution.status, execution.rows) == ("ok", 2)
