"""Phases with concurrent streams: ``throughput`` (query streams only) and the TPC-H
performance test's ``power_test`` and ``throughput_test``.

Every stream runs on its own session, opened before any timing; all streams start
together at a barrier. Each timed region is exactly one adapter call, as in the power
phase, and every execution carries ``offset_ms`` on the run's monotonic clock, so
the exported rows alone give the timeline, Ts and the metrics. Only
``benchbox.engine.run`` calls these phases.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from benchbox.engine.phases import _ERROR_CHARS, RunState, timed_refresh, utc_now
from benchbox.platforms.base import Adapter
from benchbox.result import Execution, PlannedQuery

Worker = Callable[[Adapter, threading.Event, Callable[[Execution], None]], None]
"""A stream's body: runs on its session, stops early when the event is set, reports each execution."""


def throughput(state: RunState) -> dict[str, Any]:
    """The query streams of the throughput test, without a refresh stream."""
    plans = _query_streams(state)
    _run_streams(state, {s: _query_worker(state, "throughput", plans[s], s) for s in plans})
    spec = state.result.spec
    return state.benchmark.throughput_metrics(spec.benchmark, len(plans), _ts_ms(state, "throughput"))


def power_test(state: RunState) -> dict[str, Any]:
    """TPC-H power test (clause 5.3.3): RF1, then query stream 0 in Appendix A row 0's order,
    then RF2, all on one session (the run's own connection)."""
    spec, adapter = state.result.spec, state.adapter
    rows = state.benchmark.refresh_set(spec.benchmark, state.dataset, 1)
    report = _reporter(state)
    stream0 = _stream_plans(state)[0]
    report(timed_refresh(state, adapter, "RF1", 1, rows, phase="power_test"))
    for planned in stream0:
        report(_timed_query(state, adapter, planned, "power_test", 0, threading.Event()))
    report(timed_refresh(state, adapter, "RF2", 1, rows, phase="power_test"))
    return {"refresh_set": 1, "queries": len(stream0)}


def throughput_test(state: RunState) -> dict[str, Any]:
    """TPC-H throughput test (clause 5.3.4): S query streams and one refresh stream running
    S refresh pairs (sets 2 to S + 1) at the same time. The refresh stream is numbered S + 1."""
    spec = state.result.spec
    plans = _query_streams(state)
    refresh_stream = len(plans) + 1
    sets = [
        state.benchmark.refresh_set(spec.benchmark, state.dataset, n) for n in range(2, refresh_stream + 1)
    ]

    def refresh_worker(session: Adapter, stop: threading.Event, report: Callable[[Execution], None]) -> None:
        for rows in sets:
            for function in ("RF1", "RF2"):
                if stop.is_set():
                    return
                report(
                    timed_refresh(
                        state, session, function, rows.number, rows, "throughput_test", refresh_stream
                    )
                )

    workers: dict[int, Worker] = {s: _query_worker(state, "throughput_test", plans[s], s) for s in plans}
    workers[refresh_stream] = refresh_worker
    _run_streams(state, workers)
    return {
        "streams": len(plans),
        "refresh_stream": refresh_stream,
        "refresh_sets": [rows.number for rows in sets],
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
            report(_timed_query(state, session, planned, phase, stream, stop))

    return work


def _reporter(state: RunState) -> Callable[[Execution], None]:
    lock = threading.Lock()

    def report(execution: Execution) -> None:
        with lock:
            state.result.executions.append(execution)
            state.progress.query_finished(execution)

    return report


def _run_streams(state: RunState, workers: dict[int, Worker]) -> None:
    """Open a session per stream, start all streams together, wait; Ctrl-C interrupts all."""
    sessions = {stream: state.adapter.session() for stream in workers}
    start_together, stop, report = threading.Barrier(len(workers)), threading.Event(), _reporter(state)

    def run(stream: int) -> None:
        start_together.wait()
        workers[stream](sessions[stream], stop, report)

    threads = [threading.Thread(target=run, args=(s,), name=f"stream-{s}") for s in workers]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():
                thread.join(0.1)  # short joins keep the main thread responsive to Ctrl-C
    except KeyboardInterrupt:
        stop.set()
        for session in sessions.values():
            session.interrupt()
        for thread in threads:
            thread.join()
        raise
    finally:
        for session in sessions.values():
            session.close()


def _timed_query(
    state: RunState, session: Adapter, planned: PlannedQuery, phase: str, stream: int, stop: threading.Event
) -> Execution:
    """One query on one session; the timed region is exactly ``session.execute``."""
    execution = Execution(phase, stream, 1, False, planned.query_id, "ok", None, None, utc_now())
    start = time.perf_counter_ns()
    execution.offset_ms = (start - state.origin_ns) / 1e6
    try:
        rows = session.execute(planned.sql)
        execution.duration_ms = (time.perf_counter_ns() - start) / 1e6
        execution.rows, execution.result_rows = len(rows), rows
    except Exception as exc:  # driver errors have no common base class
        execution.duration_ms = (time.perf_counter_ns() - start) / 1e6
        if stop.is_set():
            execution.status, execution.error = "interrupted", "interrupted by signal"
        else:
            execution.status, execution.error = "failed", f"{type(exc).__name__}: {exc}"[:_ERROR_CHARS]
    return execution


def _ts_ms(state: RunState, phase: str) -> float:
    """From the first start to the last end among the phase's executions."""
    timed = [e for e in state.result.executions if e.phase == phase and e.duration_ms is not None]
    return max(e.offset_ms + e.duration_ms for e in timed) - min(e.offset_ms for e in timed)
