"""Phases with concurrent streams: ``throughput`` (query streams only) and the performance
test's ``power_test`` and ``throughput_test`` (mode=tpc).

Every stream runs on its own session, opened before any timing; all streams start
together at a barrier. Each timed region is exactly one adapter call, as in the power
phase (``timing.timed``), and every execution carries ``offset_ms`` on the run's
monotonic clock, so the exported rows alone give the timeline, Ts and the metrics.
Which maintenance functions run where is the benchmark's (``Benchmark.power_test`` and
``Benchmark.refresh_runs``). Only ``benchbox.engine.run`` calls these phases.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
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
    _run_streams(state, {s: _query_worker(state, "throughput", plans[s], s) for s in plans})
    return {"streams": len(plans), "ts_s": _ts_ms(state, "throughput") / 1000}


def power_test(state: RunState) -> dict[str, Any]:
    """The performance test's power test: the benchmark's maintenance functions before query
    stream 0, the stream, then those after it (``Benchmark.power_test``), all on one session
    (the run's own connection)."""
    adapter, report = state.adapter, _reporter(state)
    before, after = state.benchmark.power_test(state.dataset)
    stream0 = _stream_plans(state)[0]
    for op in before:
        report(run_maintenance(state, adapter, op, "power_test", 0))
    for planned in stream0:
        report(_timed_query(state, adapter, planned, "power_test", 0, threading.Event(), concurrent=False))
    for op in after:
        report(run_maintenance(state, adapter, op, "power_test", 0))
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
    _run_streams(state, workers)
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
    state: RunState,
    session: Adapter,
    planned: PlannedQuery,
    phase: str,
    stream: int,
    stop: threading.Event,
    concurrent: bool,
) -> Execution:
    """One query of a stream on its session; a failure after Ctrl-C is an interruption. When
    ``concurrent`` (other streams run at the same time), benchbox's process-wide CPU and memory
    figures are left out: they would be every stream's; the session's server process is its own."""
    execution = Execution(phase, stream, 1, False, planned.query_id, "ok", None, None, utc_now())

    def classify(exc: Exception) -> tuple[str, str]:
        if stop.is_set():
            return "interrupted", "interrupted by signal"
        return "failed", f"{type(exc).__name__}: {exc}"

    pid = session.server_pid()
    return timed(execution, lambda: session.execute(planned.sql), state.origin_ns, classify, pid, concurrent)


def _ts_ms(state: RunState, phase: str) -> float:
    """From the first start to the last end among the phase's executions."""
    timed_rows = [e for e in state.result.executions if e.phase == phase and e.duration_ms is not None]
    return max(e.offset_ms + e.duration_ms for e in timed_rows) - min(e.offset_ms for e in timed_rows)
