"""The lifecycle phases, each a verb on the run's state: plan, generate, load, power,
maintenance, validate (the phases with concurrent streams are in ``performance.py``).

Only ``benchbox.engine.run`` calls these. Every phase reads the spec and writes
into the ``RunResult``; none writes files (that is the exporter's job).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from types import ModuleType
from typing import Any

from benchbox.engine.progress import Progress
from benchbox.engine.watchdog import Watchdog
from benchbox.errors import DataError
from benchbox.platforms.base import Adapter
from benchbox.result import Execution, PlannedQuery, RunResult

_ERROR_CHARS = 500


@dataclass
class RunState:
    """What the phases share during one run."""

    result: RunResult
    benchmark: ModuleType
    adapter: Adapter
    progress: Progress
    watchdog: Watchdog
    dataset: Any = None
    origin_ns: int = field(default_factory=time.perf_counter_ns)
    """The run's zero on the monotonic clock: every execution's ``offset_ms`` counts from it."""


def utc_now() -> str:
    """The current UTC time as ISO 8601."""
    return datetime.now(timezone.utc).isoformat()


def plan(state: RunState) -> dict[str, Any]:
    """Render every query with its parameters and translate it for the platform; in the
    throughput test, every stream's queries in that stream's order and with its values."""
    spec, benchmark = state.result.spec, state.benchmark
    streams: dict[int | None, int | None] = {None: 0}
    if spec.mode.name == "maintenance":
        streams = {}  # refresh functions only: no query to plan
    if spec.mode.name in ("throughput", "tpc"):
        count = spec.mode.streams or benchmark.default_streams(spec.benchmark)
        streams = {n: n for n in range(1, count + 1)}
        if spec.mode.name == "tpc":
            streams = {0: 0, **streams}  # stream 0: the power test, in Appendix A row 0's order
    for stream_arg, stream in streams.items():
        for query_id, sql in benchmark.plan_queries(spec.benchmark, stream_arg):
            state.result.plan.append(PlannedQuery(query_id, state.adapter.translate(sql), sql, stream or 0))
    details = {"streams": len(streams)} if spec.mode.name in ("throughput", "tpc") else {}
    return {
        **details,
        "queries": len(state.result.plan),
        "dialect": state.adapter.capabilities.dialect,
        "data_path": str(state.benchmark.data_path(spec.benchmark, spec.data_dir)),
    }


def generate(state: RunState) -> dict[str, Any]:
    """Make sure the benchmark data exists (generated once, then cached)."""
    spec = state.result.spec
    dataset = state.benchmark.ensure_data(spec.benchmark, spec.data_dir, state.progress.message)
    state.dataset = dataset
    state.result.data = {
        "path": str(dataset.path),
        "format": dataset.data_format,
        "fingerprint": dataset.fingerprint,
        "generator": dataset.manifest["generator"],
        "tables": {name: info["rows"] for name, info in dataset.manifest["tables"].items()},
        "generated": dataset.generated,
    }
    return {"generated": dataset.generated, "path": str(dataset.path)}


def load(state: RunState) -> dict[str, Any]:
    """Connect and load every table, timing each and checking its row count."""
    adapter, dataset = state.adapter, state.dataset
    adapter.connect()
    state.watchdog.interrupt = adapter.interrupt
    state.result.platform_versions = adapter.versions()
    tables = []
    for table in state.benchmark.TABLES:
        state.progress.query_started(table.name, "loading")
        loaded = adapter.load(table, dataset.files(table.name), dataset.data_format)
        if loaded.rows != dataset.rows(table.name):
            raise DataError(
                f"{table.name}: loaded {loaded.rows} rows, the data has {dataset.rows(table.name)}"
            )
        tables.append({"table": loaded.table, "rows": loaded.rows, "duration_ms": loaded.duration_ms})
    return {"tables": tables}


def power(state: RunState) -> dict[str, Any]:
    """Warmup passes, then measured passes, over the planned queries in order."""
    mode = state.result.spec.mode
    state.adapter.apply_timeout(mode.timeout_s)
    passes = [(n + 1, True) for n in range(mode.warmups)] + [(n + 1, False) for n in range(mode.iterations)]
    for iteration, warmup in passes:
        for planned in state.result.plan:
            execution = _execute(state, planned, iteration, warmup, mode.timeout_s)
            state.result.executions.append(execution)
            state.progress.query_finished(execution)
            if execution.status == "interrupted":
                raise KeyboardInterrupt
            if execution.status != "ok" and mode.on_error == "stop":
                return {"stopped_at": execution.query_id, "executions": len(state.result.executions)}
    return {"executions": len(state.result.executions)}


def _execute(
    state: RunState, planned: PlannedQuery, iteration: int, warmup: bool, timeout_s: float | None
) -> Execution:
    """Run one query. The timed region is exactly ``adapter.execute``: execute and fetch."""
    adapter, watchdog = state.adapter, state.watchdog
    state.progress.query_started(planned.query_id, f"{'warmup' if warmup else 'iteration'} {iteration}")
    execution = Execution("power", 0, iteration, warmup, planned.query_id, "ok", None, None, utc_now())
    watchdog.arm(timeout_s)
    start = time.perf_counter_ns()
    execution.offset_ms = (start - state.origin_ns) / 1e6
    try:
        try:
            rows = adapter.execute(planned.sql)
            execution.duration_ms = (time.perf_counter_ns() - start) / 1e6
            execution.rows, execution.result_rows = len(rows), rows
        except Exception as exc:  # driver errors have no common base class
            execution.duration_ms = (time.perf_counter_ns() - start) / 1e6
            execution.status = watchdog.reason or ("timeout" if adapter.is_timeout(exc) else "failed")
            timed_out = execution.status == "timeout"
            error = f"exceeded timeout_s={timeout_s}" if timed_out else f"{type(exc).__name__}: {exc}"
            execution.error = error[:_ERROR_CHARS]
    except KeyboardInterrupt:  # the signal may surface during the query or while handling its error
        execution.duration_ms = (time.perf_counter_ns() - start) / 1e6
        execution.status, execution.error, execution.rows = "interrupted", "interrupted by signal", None
        execution.result_rows = None
    watchdog.disarm()
    return execution


def maintenance(state: RunState) -> dict[str, Any]:
    """Refresh pairs: RF1 then RF2 of sets 1..pairs, each timed as one call into the adapter
    (one transaction); row counts read before and after, outside the timed regions."""
    spec, benchmark, adapter = state.result.spec, state.benchmark, state.adapter
    counts = [_counts(state)]
    for number in range(1, spec.mode.pairs + 1):
        rows = benchmark.refresh_set(spec.benchmark, state.dataset, number)
        before = counts[-1]
        rf1 = timed_refresh(state, adapter, "RF1", number, rows)
        _report(state, rf1)
        counts.append(_counts(state))
        expected = (before[0] + rows.orders.num_rows, before[1] + rows.lineitem.num_rows)
        _check_counts(rf1, expected, counts[-1], rows.orders.num_rows)
        rf2 = timed_refresh(state, adapter, "RF2", number, rows)
        _report(state, rf2)
        counts.append(_counts(state))
        _check_counts(rf2, (before[0], None), counts[-1], rows.delete_keys.num_rows)
    return {"pairs": spec.mode.pairs, "counts": [{"orders": o, "lineitem": li} for o, li in counts]}


def _counts(state: RunState) -> tuple[int, int]:
    ((orders, lineitem),) = state.adapter.execute(state.benchmark.REFRESH_COUNTS_SQL)
    return int(orders), int(lineitem)


def timed_refresh(
    state: RunState,
    adapter: Adapter,
    function: str,
    number: int,
    rows: Any,
    phase: str = "maintenance",
    stream: int = 0,
) -> Execution:
    """Run RF1 or RF2 of refresh set ``number`` on ``adapter``; the timed region is the one
    adapter call (one transaction). A failure is its row, like a failed query."""
    if function == "RF1":
        call = lambda: adapter.refresh_insert(rows.orders, rows.lineitem)  # noqa: E731
    else:
        call = lambda: adapter.refresh_delete(rows.delete_keys)  # noqa: E731
    execution = Execution(phase, stream, number, False, function, "ok", None, None, utc_now())
    start = time.perf_counter_ns()
    execution.offset_ms = (start - state.origin_ns) / 1e6
    try:
        call()
        execution.duration_ms = (time.perf_counter_ns() - start) / 1e6
        execution.rows = rows.orders.num_rows if function == "RF1" else rows.delete_keys.num_rows
    except Exception as exc:  # driver errors have no common base class
        execution.duration_ms = (time.perf_counter_ns() - start) / 1e6
        execution.status, execution.error = "failed", f"{type(exc).__name__}: {exc}"[:_ERROR_CHARS]
    return execution


def _report(state: RunState, execution: Execution) -> None:
    state.result.executions.append(execution)
    state.progress.query_finished(execution)


def _check_counts(
    execution: Execution, expected: tuple[int, int | None], found: tuple[int, int], changed: int
) -> None:
    """RF1 adds its orders and lineitems; RF2 brings the order count back to where it was."""
    if execution.status != "ok":
        return
    execution.rows = changed
    wrong = [
        f"{table}: expected {want} rows, found {got}"
        for table, want, got in zip(("orders", "lineitem"), expected, found, strict=True)
        if want is not None and want != got
    ]
    execution.validation = "mismatch" if wrong else "ok"
    execution.validation_detail = "; ".join(wrong) or None
    execution.validation_source = "row counts"


def validate(state: RunState) -> dict[str, Any]:
    """Compare every successful execution's rows with its expected answer, then drop the rows.
    A performance test (mode=tpc) is checked against replayed refresh states instead."""
    from benchbox.engine.reference import replay_verdicts

    check = replay_verdicts if state.result.spec.mode.name == "tpc" else _verdicts
    details = check(state)
    verdicts = [e.validation for e in state.result.executions if e.validation]
    counts = {verdict: verdicts.count(verdict) for verdict in ("ok", "mismatch", "no_reference")}
    return {**counts, "reference": state.result.spec.validation.reference, **details}


def _verdicts(state: RunState) -> dict[str, Any]:
    """Shipped answers, or a reference platform's results for the same query text."""
    from benchbox.engine.reference import Expectations

    expectations = Expectations(state)
    try:
        for execution in state.result.executions:
            if execution.result_rows is None:
                continue
            reference, source = expectations.get(execution.stream, execution.query_id)
            if reference is None:
                execution.validation = "no_reference"
            else:
                verdict = state.benchmark.compare(reference, execution.result_rows)
                execution.validation, execution.validation_detail = verdict.status, verdict.diff
                execution.validation_source = source
            execution.result_rows = None
    finally:
        expectations.close()
    return expectations.details
