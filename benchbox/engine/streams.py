"""Phases with concurrent streams: ``throughput`` (query streams only) and the performance
test's ``power_test`` and ``throughput_test`` (mode=tpc).

Every stream runs on its own session, opened before any timing; all streams start
together at a barrier. Each timed region is exactly one adapter call, as in the power
phase (``timing.timed``), and every execution carries ``offset_ms`` on the run's
monotonic clock, so the exported rows alone give the timeline, Ts and the metrics.
Which maintenance functions run where is the benchmark's (``Benchmark.power_test`` and
``Benchmark.refresh_runs``). Only ``benchbox.engine.run`` calls these phases.

``mode.timeout_s`` limits every query (not the maintenance functions): each has its own
deadline on the watchdog and is cancelled through its own session (``Watchdog.limit``), so
one hung query becomes a ``timeout`` row and its stream goes on. Once a phase has ended, its
streams can add no execution (``_Reporter.close``): a stream that did not stop when asked
(a second Ctrl-C gave up waiting for it) cannot change the result being written.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable
from typing import Any

from benchbox.engine.phases import run_maintenance
from benchbox.engine.state import RunState, utc_now
from benchbox.engine.timing import timed
from benchbox.platforms.base import Adapter
from benchbox.result import Execution, PlannedQuery

Worker = Callable[[Adapter, threading.Event, Callable[[Execution], None]], None]
"""A stream's body: runs on its session, stops early when the event is set, reports each execution."""


def throughput(state: RunState) -> dict[str, Any]:
    """The query streams of the throughput test, without a refresh stream."""
    plans = _query_streams(state)
    _run_streams(state, {s: _query_worker(state, "throughput", plans[s], s) for s in plans}, set(plans))
    return {"streams": len(plans), "ts_s": _ts_ms(state, "throughput") / 1000}


def power_test(state: RunState) -> dict[str, Any]:
    """The performance test's power test: the benchmark's maintenance functions before query
    stream 0, the stream, then those after it (``Benchmark.power_test``), all on one session
    (the run's own connection), in this (the main) thread: Ctrl-C ends it at the execution it
    interrupted, as in the power phase."""
    adapter, report = state.adapter, _Reporter(state)
    before, after = state.benchmark.power_test(state.dataset)
    stream0 = _stream_plans(state)[0]
    steps = [lambda op=op: run_maintenance(state, adapter, op, "power_test", 0) for op in before]
    steps += [
        lambda planned=planned: _timed_query(
            state, adapter, planned, "power_test", 0, threading.Event(), concurrent=False
        )
        for planned in stream0
    ]
    steps += [lambda op=op: run_maintenance(state, adapter, op, "power_test", 0) for op in after]
    for step in steps:
        execution = step()
        report(execution)
        if execution.status == "interrupted":  # timed() caught the KeyboardInterrupt: pass it on
            raise KeyboardInterrupt
    return {"refresh_runs": sorted({op.run for op in (*before, *after)}), "queries": len(stream0)}


def throughput_test(state: RunState) -> dict[str, Any]:
    """The performance test's throughput test: S query streams and one refresh stream, numbered
    S + 1, running the benchmark's refresh runs (``Benchmark.refresh_runs``), all at the same
    time."""
    plans = _query_streams(state)
    refresh_stream = len(plans) + 1
    runs = list(state.benchmark.refresh_runs(len(plans)))
    operations = [op for run in runs for op in state.benchmark.maintenance_ops(state.dataset, run)]

    def refresh_worker(session: Adapter, stop: threading.Event, report: Callable[[Execution], None]) -> None:
        for op in operations:
            if stop.is_set():
                return
            report(run_maintenance(state, session, op, "throughput_test", refresh_stream, concurrent=True))

    workers: dict[int, Worker] = {s: _query_worker(state, "throughput_test", plans[s], s) for s in plans}
    workers[refresh_stream] = refresh_worker
    _run_streams(state, workers, set(plans))
    return {
        "streams": len(plans),
        "refresh_stream": refresh_stream,
        "refresh_sets": runs,
        "ts_s": _ts_ms(state, "throughput_test") / 1000,
    }


def _stream_plans(state: RunState) -> dict[int, list[PlannedQuery]]:
    """The planned queries by stream, in order (stream 0: the power test's)."""
    plans: dict[int, list[PlannedQuery]] = {}
    for planned in state.result.plan:
        plans.setdefault(planned.stream, []).append(planned)
    return plans


def _query_streams(state: RunState) -> dict[int, list[PlannedQuery]]:
    """The throughput test's query streams: 1 to S."""
    return {stream: plan for stream, plan in _stream_plans(state).items() if stream > 0}


def _query_worker(state: RunState, phase: str, plan: list[PlannedQuery], stream: int) -> Worker:
    def work(session: Adapter, stop: threading.Event, report: Callable[[Execution], None]) -> None:
        for planned in plan:
            if stop.is_set():
                return
            report(_timed_query(state, session, planned, phase, stream, stop, concurrent=True))

    return work


class _Reporter:
    """Records a phase's executions from any stream, until the phase has ended (``close``)."""

    def __init__(self, state: RunState) -> None:
        self._executions = state.result.executions
        self._progress = state.progress
        self._lock = threading.Lock()
        self._open = True

    def __call__(self, execution: Execution) -> None:
        with self._lock:
            if self._open:  # after close, a late stream's execution is not part of the run
                self._executions.append(execution)
                self._progress.query_finished(execution)

    def close(self) -> None:
        with self._lock:
            self._open = False


def _run_streams(state: RunState, workers: dict[int, Worker], query_streams: set[int]) -> None:
    """Open a session per stream (the query streams' with the platform's own time limit, if it has
    one: ``Adapter.apply_timeout``), start all streams together, wait; Ctrl-C interrupts all,
    and a second one stops waiting for streams whose query did not end."""
    sessions: dict[int, Adapter] = {}
    try:
        for stream in workers:
            sessions[stream] = state.adapter.session()
            if stream in query_streams:
                sessions[stream].apply_timeout(state.result.spec.mode.timeout_s)
        _run_on(state, workers, sessions)
    finally:
        for session in sessions.values():
            session.close()


def _run_on(state: RunState, workers: dict[int, Worker], sessions: dict[int, Adapter]) -> None:
    """The streams on their open sessions; the sessions of streams still running when it returns are
    taken out of ``sessions`` (the caller closes the rest)."""
    start_together, stop, report = threading.Barrier(len(workers)), threading.Event(), _Reporter(state)

    def run(stream: int) -> None:
        try:
            start_together.wait()
        except threading.BrokenBarrierError:
            return  # interrupted before the streams started
        workers[stream](sessions[stream], stop, report)

    # Daemon threads: a stream stuck in a query that ignores its cancel must not keep the process alive.
    threads = {s: threading.Thread(target=run, args=(s,), name=f"stream-{s}", daemon=True) for s in workers}
    try:
        for thread in threads.values():
            thread.start()
        _wait(threads.values())
    except KeyboardInterrupt:
        stop.set()
        start_together.abort()
        for session in sessions.values():
            session.interrupt()
        _wait(threads.values())  # a second signal raises here and ends the wait
        raise
    finally:
        report.close()
        for stream, thread in threads.items():
            if thread.is_alive():  # its query still runs: closing its session under it is not safe
                sessions.pop(stream)


def _wait(threads: Iterable[threading.Thread]) -> None:
    """Until every thread has ended (a thread never started counts as ended)."""
    for thread in threads:
        while thread.is_alive():
            thread.join(0.1)  # short joins keep the main thread responsive to Ctrl-C


def _timed_query(
    state: RunState,
    session: Adapter,
    planned: PlannedQuery,
    phase: str,
    stream: int,
    stop: threading.Event,
    concurrent: bool,
) -> Execution:
    """One query of a stream on its session, cancelled on that session at ``mode.timeout_s``; a
    failure after Ctrl-C is an interruption, one after the deadline a timeout. When
    ``concurrent`` (other streams run at the same time), benchbox's process-wide CPU and memory
    figures are left out: they would be every stream's; the session's server process is its own."""
    execution = Execution(phase, stream, 1, False, planned.query_id, "ok", None, None, utc_now())
    timeout_s = state.result.spec.mode.timeout_s
    with state.watchdog.limit(timeout_s, session.interrupt) as limit:

        def classify(exc: Exception) -> tuple[str, str]:
            if stop.is_set() or state.watchdog.reason == "interrupted":
                return "interrupted", "interrupted by signal"
            if (limit is not None and limit.expired) or session.is_timeout(exc):
                return "timeout", f"exceeded timeout_s={timeout_s}"
            return "failed", f"{type(exc).__name__}: {exc}"

        pid = session.server_pid()
        return timed(
            execution,
            lambda: session.execute(planned.sql),
            state.origin_ns,
            classify,
            pid,
            concurrent,
            timeout_s,
            functools.partial(state.benchmark.answer_rows, planned.query_id),
        )


def _ts_ms(state: RunState, phase: str) -> float:
    """From the first start to the last end among the phase's executions."""
    timed_rows = [e for e in state.result.executions if e.phase == phase and e.duration_ms is not None]
    return max(e.offset_ms + e.duration_ms for e in timed_rows) - min(e.offset_ms for e in timed_rows)
