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
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from benchbox import cache, platforms
from benchbox.platforms.base import package_version

if TYPE_CHECKING:
    from benchbox.engine.phases import RunState
    from benchbox.platforms.base import Adapter


class Expectations:
    """Looks up (and if needed computes) the expected answer of each query, once per query."""

    def __init__(self, state: RunState) -> None:
        self._state = state
        self._source = state.result.spec.validation.reference
        self._found: dict[tuple[int, str], tuple[Any, str]] = {}
        self._adapter: Adapter | None = None
        self.details: dict[str, int] = {"computed": 0, "cached": 0}

    def get(self, stream: int, query_id: str) -> tuple[Any, str]:
        """``(reference or None, source)`` for ``query_id`` as stream ``stream`` ran it (each
        stream may have its own parameter values)."""
        key = (stream, query_id)
        if key not in self._found:
            self._found[key] = (self._lookup(stream, query_id), self._source)
        return self._found[key]

    def _lookup(self, stream: int, query_id: str) -> Any:
        spec, benchmark = self._state.result.spec, self._state.benchmark
        if self._source == "answers":
            return benchmark.reference(spec.benchmark, query_id)
        canonical = next(
            q.canonical_sql for q in self._state.result.plan if (q.stream, q.query_id) == (stream, query_id)
        )
        module = platforms.get(self._source)
        dataset = self._state.dataset
        key = cache.digest(
            dataset.fingerprint, self._source, package_version(module.Adapter.driver), canonical
        )
        path = dataset.path.parent / "references" / self._source / f"{key[:32]}.json.gz"
        entry = cache.read(path)
        if entry is None:
            rows = [
                [_plain(value) for value in row]
                for row in self._reference_adapter().execute(self._reference_adapter().translate(canonical))
            ]
            entry = {"query_id": query_id, "platform": self._source, "sql": canonical, "rows": rows}
            cache.write(path, entry)
            self.details["computed"] += 1
        else:
            self.details["cached"] += 1
        return benchmark.reference_from_rows(canonical, [tuple(row) for row in entry["rows"]])

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
    module = platforms.get(state.result.spec.validation.reference)
    adapter = module.Adapter(module.Config())
    try:
        adapter.connect()
        for table in state.benchmark.TABLES:
            adapter.load(table, state.dataset.files(table.name), state.dataset.data_format)
    except BaseException:
        adapter.close()
        raise
    return adapter


def _plain(value: Any) -> Any:
    """A driver value as JSON-ready data the answer comparison understands."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def replay_verdicts(state: RunState) -> dict[str, Any]:
    """Validate a TPC-H performance test, whose refresh functions change the data under the
    queries.

    Every refresh function is one transaction, so a query sees the data as it stood after
    some number k of them (state k). From the exported timings, a query that ran over
    [start, end] can only have seen the states that existed at some moment in that span:
    state k becomes possible once refresh k started and impossible once refresh k + 1
    ended. The reference platform loads the base data, replays the same refresh sets in
    the same order, and answers each query in each state it could have seen; the verdict
    is ``ok`` when the result matches one of them (the source names the state).
    """
    spec, benchmark = state.result.spec, state.benchmark
    refreshes = sorted(
        (e for e in state.result.executions if e.query_id in ("RF1", "RF2") and e.status == "ok"),
        key=lambda e: e.offset_ms,
    )
    queries = [e for e in state.result.executions if e.result_rows is not None]
    candidates = {id(e): _possible_states(e, refreshes) for e in queries}
    needed: dict[int, list[Any]] = {}
    for execution in queries:
        for k in candidates[id(execution)]:
            needed.setdefault(k, []).append(execution)
    sql = {(q.stream, q.query_id): q.canonical_sql for q in state.result.plan}
    adapter = _loaded_reference(state)
    answers: dict[tuple[int, int, str], Any] = {}
    try:
        applied = 0
        for k in sorted(needed):
            for op in refreshes[applied:k]:
                rows = benchmark.refresh_set(spec.benchmark, state.dataset, op.iteration)
                if op.query_id == "RF1":
                    adapter.refresh_insert(rows.orders, rows.lineitem)
                else:
                    adapter.refresh_delete(rows.delete_keys)
            applied = k
            for execution in needed[k]:
                key = (k, execution.stream, execution.query_id)
                if key not in answers:
                    canonical = sql[(execution.stream, execution.query_id)]
                    rows = [[_plain(v) for v in row] for row in adapter.execute(adapter.translate(canonical))]
                    answers[key] = benchmark.reference_from_rows(canonical, [tuple(r) for r in rows])
    finally:
        adapter.close()
    for execution in queries:
        verdicts = []
        for k in candidates[id(execution)]:
            verdict = benchmark.compare(
                answers[(k, execution.stream, execution.query_id)], execution.result_rows
            )
            verdicts.append((k, verdict))
            if verdict.status == "ok":
                break
        k, verdict = verdicts[-1]
        execution.validation, execution.validation_detail = verdict.status, verdict.diff
        execution.validation_source = f"{spec.validation.reference} after {k} refresh functions"
        execution.result_rows = None
    return {"states": len(refreshes) + 1, "computed": len(answers)}


def _possible_states(execution: Any, refreshes: list[Any]) -> list[int]:
    """The states (refresh functions committed) a query running over its span could have seen."""
    start, end = execution.offset_ms, execution.offset_ms + execution.duration_ms
    return [
        k
        for k in range(len(refreshes) + 1)
        if (k == 0 or refreshes[k - 1].offset_ms < end)
        and (k == len(refreshes) or start < refreshes[k].offset_ms + refreshes[k].duration_ms)
    ]
