"""The one timed region: every query and maintenance function of every phase is measured here.

The timed region is exactly the call given (an adapter's ``execute`` or
``run_transaction``: the engine executing and fetching); rendering, translation,
validation and export happen before or after it. A failure becomes the execution's
status and error, never an exception, so a failed query is a row, not a crashed run.
What the call cost besides time (CPU, peak memory: ``resources``) is read just outside
the region, before the clock starts and after it stops.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from benchbox.engine import resources
from benchbox.result import Execution

log = logging.getLogger(__name__)

ERROR_CHARS = 500
"""Errors are cut to this many characters (a JVM stack trace is not a result)."""

Classify = Callable[[Exception], tuple[str, str]]
"""A driver error -> ``(status, error)`` (e.g. a cancelled query is a ``timeout``)."""


def failed(exc: Exception) -> tuple[str, str]:
    """The default reading of a driver error: the execution failed."""
    return "failed", f"{type(exc).__name__}: {exc}"


def timed(
    execution: Execution,
    call: Callable[[], list[tuple[Any, ...]] | None],
    origin_ns: int,
    classify: Classify = failed,
    server_pid: int | None = None,
    concurrent: bool = False,
    timeout_s: float | None = None,
    keep: Callable[[list[tuple[Any, ...]]], list[tuple[Any, ...]]] | None = None,
) -> Execution:
    """Run ``call`` as ``execution``'s timed region; record its start on the run's clock
    (``origin_ns``), its duration, and its rows (kept for validation) or its failure.

    Around it, the CPU time and peak memory of this process (not when ``concurrent``: other
    streams run in it at the same time, so its figures would be theirs too) and of the
    connection's server process ``server_pid`` (``Adapter.server_pid()``), if any.

    A call that returns after ``timeout_s`` is a ``timeout`` as well: the limit is on the
    query's time, and whether the watchdog's cancel lands before the engine finishes is
    up to the scheduler, so the status must not be.

    ``keep`` turns the fetched rows into what validation compares (``Benchmark.answer_rows``),
    after the clock stops; ``execution.rows`` stays the fetched row count."""
    measured = resources.before(not concurrent, server_pid)
    start = time.perf_counter_ns()
    execution.offset_ms = (start - origin_ns) / 1e6
    try:
        try:
            rows = call()
            execution.duration_ms = (time.perf_counter_ns() - start) / 1e6
            resources.after(measured, execution)
            if timeout_s is not None and execution.duration_ms > timeout_s * 1000:
                execution.status, execution.error = "timeout", f"exceeded timeout_s={timeout_s}"
            elif rows is not None:
                execution.rows, execution.result_rows = len(rows), rows if keep is None else keep(rows)
        except Exception as exc:  # driver errors have no common base class
            execution.duration_ms = (time.perf_counter_ns() - start) / 1e6
            resources.after(measured, execution)
            status, error = classify(exc)
            execution.status, execution.error = status, error[:ERROR_CHARS]  # type: ignore[assignment]
    except KeyboardInterrupt:  # the signal may surface during the call or while handling its error
        execution.duration_ms = (time.perf_counter_ns() - start) / 1e6
        resources.after(measured, execution)
        execution.status, execution.error, execution.rows = "interrupted", "interrupted by signal", None
        execution.result_rows = None
    log.debug(
        "%s stream %d %s %d %s: %s in %.2f ms, %s rows%s",
        execution.phase,
        execution.stream,
        "warmup" if execution.warmup else "iteration",
        execution.iteration,
        execution.query_id,
        execution.status,
        execution.duration_ms,
        execution.rows,
        f" ({execution.error})" if execution.error else "",
    )
    return execution
