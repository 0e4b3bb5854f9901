"""The lifecycle phases, each a verb on the run's state: plan, generate, load, power,
maintenance, validate (the phases with concurrent streams are in ``streams.py``).

Only ``benchbox.engine.run`` calls these. Every phase reads the spec and writes
into the ``RunResult``; none writes files (that is the exporter's job), and none
knows a benchmark or a platform by name: both are reached through their interfaces.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from benchbox.benchmarks import datacache, sizes
from benchbox.benchmarks.base import Counts, MaintenanceOp
from benchbox.engine.state import RunState, utc_now
from benchbox.engine.timing import timed
from benchbox.errors import DataError
from benchbox.platforms.base import Adapter
from benchbox.result import Execution, PlannedQuery


def plan(state: RunState) -> dict[str, Any]:
    """Render every query with its parameters and translate it for the platform; in the
    throughput test, every stream's queries in that stream's order and with its values."""
    spec, benchmark = state.result.spec, state.benchmark
    mode = spec.mode.name
    streams: dict[int | None, int] = {None: 0}
    if mode == "maintenance":
        streams = {}  # maintenance functions only: no query to plan
    if mode in ("throughput", "tpc"):
        count = spec.mode.streams or benchmark.default_streams()
        streams = {n: n for n in range(1, count + 1)}
        if mode == "tpc":
            streams = {0: 0, **streams}  # stream 0: the power test's, in its own order
    if mode == "dry_run" and spec.mode.streams:  # what a throughput or performance test would send
        streams = {0: 0, **{n: n for n in range(1, spec.mode.streams + 1)}}
    for stream_arg, stream in streams.items():
        for query in benchmark.queries(stream_arg):
            sql = state.adapter.translate(query.sql, benchmark.dialect)
            planned = PlannedQuery(query.id, sql, query.sql, stream, query.ordered, query.keys)
            state.result.plan.append(planned)
    details = {"streams": len(streams)} if len(streams) > 1 or mode in ("throughput", "tpc") else {}
    return {
        **details,
        "queries": len(state.result.plan),
        "dialect": state.adapter.capabilities.dialect,
        "data_path": str(datacache.dataset_dir(spec.data_dir, benchmark)),
    }


def generate(state: RunState) -> dict[str, Any]:
    """Make sure the benchmark data exists (generated once, then cached), after checking that it can
    fit: in memory, when the run loads it into a platform that holds every table there, and on
    disk, when it must be generated; and that its largest answer can be fetched, when the mode
    runs queries (``spec.allow_large_data`` turns a refusal into a warning)."""
    from benchbox.engine import PHASES  # the mode's phases: whether this run loads the data

    spec, benchmark, notify = state.result.spec, state.benchmark, state.progress.message
    setting = state.adapter.memory_setting()
    if setting is not None and "load" in PHASES[spec.mode.name]:
        sizes.check_memory(benchmark, setting, spec.allow_large_data, notify)
    if "validate" in PHASES[spec.mode.name]:  # the mode runs queries, and keeps their answers
        sizes.check_answers(benchmark, spec.allow_large_data, notify)
    dataset = datacache.ensure(spec.data_dir, benchmark, notify, spec.allow_large_data)
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
    """Connect and load every table, timing each and checking its row count, or, with
    ``reuse_loaded_data``, reuse the tables an earlier run loaded (``reuse_loaded``).

    On a platform that keeps its tables, the load stamp is erased before the tables are
    touched and written once all are loaded, in a mode that never changes them afterwards;
    a mode with maintenance functions leaves none, so a changed database is never reused.
    """
    from benchbox.engine import CHANGES_DATA, PHASES

    adapter, spec = state.adapter, state.result.spec
    adapter.connect()
    state.watchdog.interrupt = adapter.interrupt
    state.result.platform_versions = adapter.versions()
    problem = adapter.reuse_problem()
    changes, why = bool(CHANGES_DATA & set(PHASES[spec.mode.name])), ""
    if spec.reuse_loaded_data:
        reused, why = reuse_loaded(state, problem)
        if reused is not None:
            state.progress.message(
                f"reusing the tables loaded at {reused['loaded_at']}: the data and every row count match"
            )
            if changes:
                adapter.keep_load_stamp(None)  # before the first maintenance function touches a table
            state.result.platform_placement = adapter.placement()
            return reused
        state.progress.message(f"loading the data: the loaded tables cannot be reused ({why})")
    tables = load_tables(adapter, state, report=True)
    if problem is None and not changes:
        adapter.keep_load_stamp(json.dumps({**_stamp(state), "loaded_at": utc_now()}))
    state.result.platform_placement = adapter.placement()  # a cluster's executors have registered
    return {"tables": tables, **({"reused": False, "not_reused": why} if spec.reuse_loaded_data else {})}


def _stamp(state: RunState) -> dict[str, str]:
    """What a load of this run's data is, for a later run to compare: the data (its fingerprint),
    the tables' definitions, the platform and its engine's version (a file written by an older
    engine keeps its storage format), and benchbox's version (whose loader may type a column
    differently). Platform options are not in it: a sweep over threads reuses one load."""
    import benchbox
    from benchbox import cache

    return {
        "data_fingerprint": state.dataset.fingerprint,
        "tables": cache.digest(*(repr(t) for t in state.benchmark.tables())),
        "platform": state.adapter.name,
        "engine_version": state.result.platform_versions.get("engine_version", ""),
        "benchbox_version": benchbox.__version__,
    }


def reuse_loaded(state: RunState, problem: str | None) -> tuple[dict[str, Any] | None, str]:
    """``(load phase details, "")`` when the database holds a complete, untouched load of this run's
    data (its stamp matches, and every table has the data's row count, counted now), else
    ``(None, why not)``."""
    if problem is not None:
        return None, problem
    adapter, dataset = state.adapter, state.dataset
    try:
        text = adapter.load_stamp()
    except Exception as exc:  # a table of that name made by someone else: not a stamp
        return None, f"its stamp table cannot be read: {type(exc).__name__}: {exc}"
    try:
        found = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        found = None
    if not isinstance(found, dict):
        return None, "the database holds no complete load by benchbox"
    loaded_at = found.pop("loaded_at", None)
    expected = _stamp(state)
    differ = [key for key in expected if found.get(key) != expected[key]]
    if differ:
        return None, f"its load differs in {', '.join(k.replace('_', ' ') for k in differ)}"
    tables = []
    for table in state.benchmark.tables():
        try:
            (row,) = adapter.execute(f"SELECT count(*) FROM {table.name}")
        except Exception as exc:  # a table dropped behind benchbox's back: load it all again
            return None, f"{table.name} cannot be read: {type(exc).__name__}: {exc}"
        if int(row[0]) != dataset.rows(table.name):
            return None, f"{table.name} holds {row[0]} rows, the data has {dataset.rows(table.name)}"
        tables.append({"table": table.name, "rows": int(row[0])})
    return {"reused": True, "loaded_at": loaded_at, "tables": tables}, ""


def load_tables(adapter: Adapter, state: RunState, report: bool = False) -> list[dict[str, Any]]:
    """Create and fill every table of the benchmark on a connected ``adapter`` (the run's
    platform, or a reference platform), checking each row count against the data. A database
    that keeps its tables loses its load stamp first: a load that stops half way is never reused."""
    dataset, tables = state.dataset, []
    if adapter.reuse_problem() is None:
        adapter.keep_load_stamp(None)
    for table in state.benchmark.tables():
        if report:
            state.progress.query_started(table.name, "loading")
        loaded = adapter.load(table, dataset.files(table.name), dataset.data_format)
        if loaded.rows != dataset.rows(table.name):
            raise DataError(
                f"{table.name}: loaded {loaded.rows} rows, the data has {dataset.rows(table.name)}"
            )
        tables.append({"table": loaded.table, "rows": loaded.rows, "duration_ms": loaded.duration_ms})
    return tables


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
    """One query of a power run, under the watchdog when there is a time limit."""
    adapter, watchdog = state.adapter, state.watchdog
    state.progress.query_started(planned.query_id, f"{'warmup' if warmup else 'iteration'} {iteration}")
    execution = Execution("power", 0, iteration, warmup, planned.query_id, "ok", None, None, utc_now())

    def classify(exc: Exception) -> tuple[str, str]:
        status = watchdog.reason or ("timeout" if adapter.is_timeout(exc) else "failed")
        error = f"exceeded timeout_s={timeout_s}" if status == "timeout" else f"{type(exc).__name__}: {exc}"
        return status, error

    watchdog.arm(timeout_s)
    call = lambda: adapter.execute(planned.sql)  # noqa: E731
    keep = functools.partial(state.benchmark.answer_rows, planned.query_id)
    timed(execution, call, state.origin_ns, classify, adapter.server_pid(), timeout_s=timeout_s, keep=keep)
    watchdog.disarm()
    return execution


def maintenance(state: RunState) -> dict[str, Any]:
    """Refresh runs 1..pairs: each maintenance function of each run timed as one call into the
    adapter (one transaction), the benchmark's counts read before and after it, outside
    the timed regions, and checked. Ctrl-C ends it at the function it interrupted, as in the
    power phase."""
    spec, benchmark = state.result.spec, state.benchmark
    counts = benchmark.counts()
    read = (lambda: _counts(state, counts)) if counts is not None else dict
    seen = [read()]
    for run in range(1, spec.mode.pairs + 1):
        for op in benchmark.maintenance_ops(state.dataset, run):
            execution = run_maintenance(state, state.adapter, op, "maintenance", 0)
            state.result.executions.append(execution)
            state.progress.query_finished(execution)
            if execution.status == "interrupted":  # timed() caught the KeyboardInterrupt: pass it on
                raise KeyboardInterrupt
            seen.append(read())
            if execution.status == "ok" and op.expect is not None and counts is not None:
                problems = op.expect(seen[-2], seen[-1])
                execution.validation = "mismatch" if problems else "ok"
                execution.validation_detail = "; ".join(problems) or None
                execution.validation_source = "row counts"
    return {"pairs": spec.mode.pairs, "counts": seen}


def _counts(state: RunState, counts: Counts) -> dict[str, int]:
    sql = state.adapter.translate(counts.sql, state.benchmark.dialect)
    (row,) = state.adapter.execute(sql)
    return {name: int(value) for name, value in zip(counts.names, row, strict=True)}


def run_maintenance(
    state: RunState, adapter: Adapter, op: MaintenanceOp, phase: str, stream: int, concurrent: bool = False
) -> Execution:
    """Run one maintenance function on ``adapter``: its statements are translated first, then the
    one ``run_transaction`` call is the timed region. A failure is its row, like a failed query.
    ``concurrent``: query streams run in this process meanwhile (see ``timing.timed``)."""
    statements = [adapter.translate(s, state.benchmark.dialect) for s in op.statements]
    execution = Execution(
        phase, stream, op.run, False, op.id, "ok", None, None, utc_now(), kind="maintenance"
    )
    timed(
        execution,
        lambda: adapter.run_transaction(statements, op.staged),
        state.origin_ns,
        server_pid=adapter.server_pid(),
        concurrent=concurrent,
    )
    if execution.status == "ok":
        execution.rows = op.rows
    return execution


def validate(state: RunState) -> dict[str, Any]:
    """Compare every successful execution's rows with its expected answer, then drop the rows.
    When maintenance functions changed the data under the queries, the answers are checked
    against replayed states instead."""
    from benchbox.engine.reference import replay_verdicts, verdicts

    changed = any(e.kind == "maintenance" and e.status == "ok" for e in state.result.executions)
    details = (replay_verdicts if changed else verdicts)(state)
    found = [e.validation for e in state.result.executions if e.validation]
    counts = {verdict: found.count(verdict) for verdict in ("ok", "mismatch", "no_reference")}
    return {**counts, "reference": state.result.spec.validation.reference, **details}
