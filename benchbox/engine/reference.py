"""Expected answers for the validate phase: shipped answers, or a reference platform's results.

With ``validation.reference: answers`` the benchmark's shipped answers are used (they
exist for the validation parameters at a few scale factors). With a platform name,
that platform (e.g. embedded DuckDB) runs the exact canonical query text on the same
data, and its result is the expectation; results are cached next to the data (see
``benchbox.cache``), so seeded parameters and any scale factor can be checked. The
reference work happens in the validate phase, never inside a timed region.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from benchbox import cache, platforms
from benchbox.benchmarks.answers import Reference, compare, reference_from_rows
from benchbox.benchmarks.base import MaintenanceOp, Query
from benchbox.platforms.base import package_version

if TYPE_CHECKING:
    from pathlib import Path

    from benchbox.engine.state import RunState
    from benchbox.platforms.base import Adapter
    from benchbox.result import Execution, PlannedQuery


log = logging.getLogger(__name__)


class _Store:
    """Writes computed answers into the cache. A cache that cannot be written (a read-only data_dir,
    a full disk) costs only the computing again next run, said once per run, never the validation."""

    def __init__(self, source: str) -> None:
        self._source = source
        self._unwritable = False

    def write(self, path: Path, entry: dict[str, Any]) -> None:
        if self._unwritable:
            return
        try:
            cache.write(path, entry)
        except OSError as exc:
            self._unwritable = True
            log.warning(
                "cannot cache the answers %s computes in %s (%s): the next run computes them again",
                self._source,
                path.parent,
                exc.strerror or exc,
            )


class Expectations:
    """Looks up (and if needed computes) the expected answer of each query, once per query."""

    def __init__(self, state: RunState) -> None:
        self._state = state
        self._source = state.result.spec.validation.reference
        self._found: dict[tuple[int, str], tuple[Reference | None, str]] = {}
        self._plan = {(q.stream, q.query_id): q for q in state.result.plan}
        self._adapter: Adapter | None = None
        self._store = _Store(self._source)
        self.details: dict[str, int] = {"computed": 0, "cached": 0}

    def get(self, stream: int, query_id: str) -> tuple[Reference | None, str]:
        """``(reference or None, source)`` for ``query_id`` as stream ``stream`` ran it (each
        stream may have its own parameter values)."""
        key = (stream, query_id)
        if key not in self._found:
            self._found[key] = (self._lookup(stream, query_id), self._source)
        return self._found[key]

    def _lookup(self, stream: int, query_id: str) -> Reference | None:
        benchmark, planned = self._state.benchmark, self._plan[(stream, query_id)]
        if self._source == "answers":
            query = Query(planned.query_id, planned.canonical_sql, planned.ordered, planned.keys)
            return benchmark.reference(query)
        canonical = planned.canonical_sql
        path = _cache_path(self._state, cache.digest(*_answer_key_base(self._state), canonical))
        entry = cache.read(path)
        if entry is None:
            adapter = self._reference_adapter()
            rows = _expected_rows(self._state, query_id, adapter.execute(self._translate(adapter, planned)))
            entry = {"query_id": query_id, "platform": self._source, "sql": canonical, "rows": rows}
            self._store.write(path, entry)
            self.details["computed"] += 1
        else:
            self.details["cached"] += 1
        return _reference(self._state, planned, entry["rows"])

    def _translate(self, adapter: Adapter, planned: PlannedQuery) -> str:
        return adapter.translate(planned.canonical_sql, self._state.benchmark.dialect)

    def _reference_adapter(self) -> Adapter:
        """The reference platform, connected and loaded with the run's data (once)."""
        if self._adapter is None:
            self._adapter = _loaded_reference(self._state)
        return self._adapter

    def close(self) -> None:
        """Release the reference platform, if one was started."""
        if self._adapter is not None:
            self._adapter.close()


def _loaded_reference(state: RunState) -> Adapter:
    """The reference platform (``validation.reference``), connected and loaded with the run's data."""
    from benchbox.engine.phases import load_tables

    module = platforms.get(state.result.spec.validation.reference)
    adapter = module.Adapter(module.Config())
    try:
        adapter.connect()
        load_tables(adapter, state)
    except BaseException:
        adapter.close()
        raise
    return adapter


def _reference(state: RunState, planned: PlannedQuery, rows: list[list[Any]]) -> Reference:
    return reference_from_rows(
        planned.canonical_sql,
        [tuple(row) for row in rows],
        state.benchmark.dialect,
        state.benchmark.tolerance,
        ordered=planned.ordered,
        keys=planned.keys,
        tolerances=state.benchmark.tolerances(planned.query_id),
    )


def verdicts(state: RunState) -> dict[str, Any]:
    """Shipped answers, or a reference platform's results for the same query text."""
    expectations = Expectations(state)
    try:
        for execution in state.result.executions:
            if execution.result_rows is None:
                continue
            reference, source = expectations.get(execution.stream, execution.query_id)
            if reference is None:
                execution.validation = "no_reference"
            else:
                verdict = compare(reference, execution.result_rows)
                execution.validation, execution.validation_detail = verdict.status, verdict.diff
                execution.validation_source = source
            execution.result_rows = None
    finally:
        expectations.close()
    return expectations.details


def _expected_rows(state: RunState, query_id: str, rows: list[tuple[Any, ...]]) -> list[list[Any]]:
    """A reference platform's result as the run's own results are kept (``Benchmark.answer_rows``),
    in JSON-ready values for the cache."""
    return [[_plain(value) for value in row] for row in state.benchmark.answer_rows(query_id, rows)]


def _plain(value: Any) -> Any:
    """A driver value as JSON-ready data the answer comparison understands."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def replay_verdicts(state: RunState) -> dict[str, Any]:
    """Validate a run whose maintenance functions changed the data under the queries (mode=tpc).

    Every maintenance function is one transaction, so a query sees the data as it stood
    after some number k of them (state k). From the exported timings, a query that ran
    over [start, end] can only have seen the states that existed at some moment in that
    span: state k becomes possible once function k started and impossible once function
    k + 1 ended. The reference platform loads the base data, replays the same functions
    in the same order, and answers each query in each state it could have seen; the
    verdict is ``ok`` when the result matches one of them (the source names the state).

    Each answer is cached like ``Expectations``' (``benchbox.cache``), under a digest that adds the
    functions applied before it (their statements and staged rows), so a rerun with the same data,
    seed and queries reads every answer it needs and loads no reference platform at all.
    """
    spec = state.result.spec
    applied_ops = sorted(
        (e for e in state.result.executions if e.kind == "maintenance" and e.status == "ok"),
        key=lambda e: e.offset_ms,
    )
    queries = [e for e in state.result.executions if e.result_rows is not None]
    candidates = {id(e): _possible_states(e, applied_ops) for e in queries}
    needed: dict[int, list[Execution]] = {}
    for execution in queries:
        for k in candidates[id(execution)]:
            needed.setdefault(k, []).append(execution)
    plan = {(q.stream, q.query_id): q for q in state.result.plan}
    ops = [_op_of(state, done) for done in applied_ops]
    store = _Store(spec.validation.reference)
    base = _answer_key_base(state)
    history = [cache.digest(*base)]
    for op in ops:
        history.append(cache.digest(history[-1], _op_digest(op)))
    answers: dict[tuple[int, int, str], Reference] = {}
    cached = 0
    for k, executions in needed.items():
        for execution in executions:
            key = (k, execution.stream, execution.query_id)
            planned = plan[(execution.stream, execution.query_id)]
            entry = (
                None if key in answers else cache.read(_answer_path(state, history[k], planned.canonical_sql))
            )
            if entry is not None:
                answers[key], cached = _reference(state, planned, entry["rows"]), cached + 1
    # A query that matches a cached state it could have seen is judged; only the others need the
    # states still missing (on a rerun, the few its timings do not share with earlier runs).
    judged = {id(e): _judge(e, candidates[id(e)], answers, require_all=False) for e in queries}
    unjudged = [e for e in queries if judged[id(e)] is None]
    missing: dict[int, list[Execution]] = {}
    for execution in unjudged:
        for k in candidates[id(execution)]:
            if (k, execution.stream, execution.query_id) not in answers:
                missing.setdefault(k, []).append(execution)
    computed = _compute_states(state, ops, missing, plan, answers, history, store) if missing else 0
    for execution in queries:  # a verdict from the cached states stands: each comparison is made once
        found = judged[id(execution)] or _judge(
            execution, candidates[id(execution)], answers, require_all=True
        )
        k, verdict = found  # type: ignore[misc]
        execution.validation, execution.validation_detail = verdict.status, verdict.diff
        execution.validation_source = f"{spec.validation.reference} after {k} refresh functions"
        execution.result_rows = None
    return {"states": len(applied_ops) + 1, "computed": computed, "cached": cached}


def _judge(
    execution: Execution,
    states: list[int],
    answers: dict[tuple[int, int, str], Reference],
    require_all: bool,
) -> tuple[int, Any] | None:
    """``(state, verdict)``: the first state (in order) whose answer the result matches, else the last
    state's mismatch. Without ``require_all``, only the states answered so far count, and None means
    no verdict yet (no match among them)."""
    found = None
    for k in states:
        reference = answers.get((k, execution.stream, execution.query_id))
        if reference is None:
            continue
        found = (k, compare(reference, execution.result_rows))
        if found[1].status == "ok":
            return found
    return found if require_all else None


def _compute_states(
    state: RunState,
    ops: list[MaintenanceOp],
    missing: dict[int, list[Execution]],
    plan: dict[tuple[int, str], PlannedQuery],
    answers: dict[tuple[int, int, str], Reference],
    history: list[str],
    store: _Store,
) -> int:
    """Load the reference platform, replay the functions in order, and answer (and cache) each
    missing query in each state it needs; the number of answers computed."""
    from benchbox.engine.phases import run_maintenance

    adapter = _loaded_reference(state)
    computed, applied = 0, 0
    try:
        for k in sorted(missing):
            for op in ops[applied:k]:
                replayed = run_maintenance(state, adapter, op, "replay", 0)
                if replayed.status != "ok":
                    raise RuntimeError(f"the reference could not replay {op.id}: {replayed.error}")
            applied = k
            for execution in missing[k]:
                key = (k, execution.stream, execution.query_id)
                if key in answers:
                    continue
                planned = plan[(execution.stream, execution.query_id)]
                sql = adapter.translate(planned.canonical_sql, state.benchmark.dialect)
                rows = _expected_rows(state, execution.query_id, adapter.execute(sql))
                answers[key] = _reference(state, planned, rows)
                entry = {"query_id": execution.query_id, "sql": planned.canonical_sql, "rows": rows}
                store.write(_answer_path(state, history[k], planned.canonical_sql), entry)
                computed += 1
    finally:
        adapter.close()
    return computed


def _op_of(state: RunState, done: Execution) -> MaintenanceOp:
    """The maintenance function an execution ran (the same rows: the benchmark's cached set)."""
    (op,) = [
        o for o in state.benchmark.maintenance_ops(state.dataset, done.iteration) if o.id == done.query_id
    ]
    return op


def _op_digest(op: MaintenanceOp) -> str:
    """What a maintenance function does to the data: its statements and the rows they read (their
    Arrow schema and batches as serialized in memory; the same cached set gives the same bytes)."""
    parts = [op.id, *op.statements]
    for name in sorted(op.staged):
        table = op.staged[name]
        hasher = hashlib.sha256(table.schema.serialize().to_pybytes())
        for batch in table.to_batches():
            hasher.update(batch.serialize().to_pybytes())
        parts += [name, hasher.hexdigest()]
    return cache.digest(*parts)


def _answer_key_base(state: RunState) -> tuple[str, ...]:
    """What decides every answer of the reference platform: the data, the platform, its driver."""
    source = state.result.spec.validation.reference
    driver = package_version(platforms.get(source).Adapter.driver)
    return (state.dataset.fingerprint, source, driver)


def _answer_path(state: RunState, history: str, canonical_sql: str) -> Path:
    """Where the answer to ``canonical_sql`` in the data state ``history`` names is cached."""
    return _cache_path(state, cache.digest(history, canonical_sql), "states")


def _cache_path(state: RunState, key: str, *folders: str) -> Path:
    """``<dataset>/../references/<platform>/[folders/]<key>.json.gz``: next to the data it answers."""
    source = state.result.spec.validation.reference
    return state.dataset.path.parent.joinpath("references", source, *folders, f"{key[:32]}.json.gz")


def _possible_states(execution: Execution, refreshes: list[Execution]) -> list[int]:
    """The states (maintenance functions committed) a query running over its span could have seen."""
    start, end = execution.offset_ms, execution.offset_ms + execution.duration_ms
    return [
        k
        for k in range(len(refreshes) + 1)
        if (k == 0 or refreshes[k - 1].offset_ms < end)
        and (k == len(refreshes) or start < refreshes[k].offset_ms + refreshes[k].duration_ms)
    ]
