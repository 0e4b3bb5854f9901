"""TPC-H: the benchmark's config model, and the names the engine calls.

Heavy pieces (data generation, answers) are imported when first used so that
building a RunSpec stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from benchbox.benchmarks.tpch.schema import TABLES

if TYPE_CHECKING:
    from benchbox.benchmarks.tpch.answers import Reference, Verdict
    from benchbox.benchmarks.tpch.data import Dataset
    from benchbox.benchmarks.tpch.refresh import RefreshSet
    from benchbox.result import Execution

QUERY_COUNT = 22

__all__ = [
    "QUERY_COUNT",
    "REFRESH_COUNTS_SQL",
    "TABLES",
    "Config",
    "compare",
    "compliance_record",
    "data_path",
    "default_streams",
    "ensure_data",
    "plan_queries",
    "reference",
    "reference_from_rows",
    "refresh_set",
    "throughput_metrics",
    "tpc_metrics",
]


class Config(BaseModel):
    """``benchmark/tpch.yaml``: what to generate and which queries to run with which parameters."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Literal["tpch"] = "tpch"
    scale_factor: float = Field(0.1, gt=0, description="use a value > 0 (e.g. 0.01, 0.1, 1, 10)")
    queries: tuple[int, ...] | None = Field(
        None, description=f"list query numbers from 1 to {QUERY_COUNT}, e.g. [1,6,14], or null for all"
    )
    parameters: Literal["validation", "seeded"] = Field(
        "validation", description="use 'validation' (answers are checked) or 'seeded' (drawn from seed)"
    )
    seed: int = Field(0, ge=0, description="use an integer >= 0")
    data_format: Literal["parquet", "csv"] = Field("parquet", description="use 'parquet' or 'csv'")

    @field_validator("queries")
    @classmethod
    def _known_queries(cls, value: tuple[int, ...] | None) -> tuple[int, ...] | None:
        if value is None:
            return value
        if not value:
            raise ValueError("the list is empty")
        bad = [q for q in value if not 1 <= q <= QUERY_COUNT]
        if bad:
            raise ValueError(f"TPC-H has queries 1 to {QUERY_COUNT}, not {bad}")
        if len(set(value)) != len(value):
            raise ValueError("a query is listed twice")
        return value

    @property
    def query_ids(self) -> tuple[int, ...]:
        """The queries to run, in order."""
        return self.queries or tuple(range(1, QUERY_COUNT + 1))


def data_path(config: Config, data_dir: Path) -> Path:
    """Where this config's dataset is cached (whether or not it exists yet)."""
    from benchbox.benchmarks.tpch.data import dataset_dir

    return dataset_dir(data_dir, config.scale_factor, config.data_format)


def ensure_data(config: Config, data_dir: Path, notify: Callable[[str], None]) -> Dataset:
    """Generate (or reuse) the cached data; see ``benchbox.benchmarks.tpch.data``."""
    from benchbox.benchmarks.tpch.data import ensure_data as _ensure

    return _ensure(config.scale_factor, config.data_format, data_dir, notify)


def plan_queries(config: Config, stream: int | None = None) -> list[tuple[str, str]]:
    """Return ``(query_id, canonical_sql)`` for every selected query, parameters substituted.

    ``stream=None``: the queries in the order listed. A stream number: the selected queries in
    that stream's order (Appendix A), with that stream's own seeded values (clause 5.3.6).
    """
    from benchbox.benchmarks.tpch import parameters, streams

    numbers = config.query_ids
    seed = config.seed
    if stream is not None:
        numbers = tuple(n for n in streams.stream_order(stream) if n in numbers)
        seed = streams.stream_seed(config.seed, stream)
    planned = []
    for number in numbers:
        if config.parameters == "validation":
            values = parameters.validation_parameters(number, config.scale_factor)
        else:
            values = parameters.seeded_parameters(number, config.scale_factor, seed)
        planned.append((f"Q{number}", parameters.render(number, values)))
    return planned


REFRESH_COUNTS_SQL = "SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM lineitem)"
"""The row counts the refresh functions change, read outside every timed region."""


def refresh_set(config: Config, dataset: Dataset, number: int) -> RefreshSet:
    """Refresh set ``number`` for the run's seed (generated once, cached next to the data)."""
    from benchbox.benchmarks.tpch.data import ensure_refresh_set

    return ensure_refresh_set(dataset, config.scale_factor, config.seed, number)


def tpc_metrics(config: Config, executions: Sequence[Execution]) -> dict[str, object]:
    """Power@Size, Throughput@Size and QphH@Size of a performance test, from its executions'
    durations and offsets alone, with the compliance record. A metric whose inputs are
    incomplete (a failed query, a missing refresh function, a query subset) is null, with
    the reason."""
    from benchbox.benchmarks.tpch import metrics

    power_rows = [e for e in executions if e.phase == "power_test"]
    test_rows = [e for e in executions if e.phase == "throughput_test"]
    queries = {int(e.query_id[1:]): e.duration_ms / 1000 for e in power_rows if e.query_id.startswith("Q")}
    refreshes = [e.duration_ms / 1000 for e in power_rows if e.query_id in ("RF1", "RF2")]
    streams = len({e.stream for e in test_rows if e.query_id.startswith("Q")})
    refresh_rows = [e for e in executions if e.query_id in ("RF1", "RF2")]
    problems = []
    if any(e.status != "ok" for e in (*power_rows, *test_rows)):
        problems.append("an execution did not finish ok")
    if sorted(queries) != list(range(1, QUERY_COUNT + 1)):
        problems.append("the metrics need all 22 queries")
    if len(refreshes) != 2 or len(refresh_rows) != 2 + 2 * streams:
        problems.append("a refresh function is missing")
    timed = [e for e in test_rows if e.duration_ms is not None]
    ts_s = (max(e.offset_ms + e.duration_ms for e in timed) - min(e.offset_ms for e in timed)) / 1000
    power = throughput = qphh = None
    if not problems:
        power = metrics.power_at_size(config.scale_factor, queries, refreshes)
        throughput = metrics.throughput_at_size(config.scale_factor, streams, ts_s)
        qphh = metrics.qphh_at_size(power, throughput)
    return {
        "power_at_size": power,
        "throughput_at_size": throughput,
        "qphh_at_size": qphh,
        "streams": streams,
        "ts_s": ts_s,
        "problems": problems,
        "compliance": compliance_record(config, executions),
    }


def default_streams(config: Config) -> int:
    """The spec's minimum number of throughput streams at this scale factor (clause 5.3.4)."""
    from benchbox.benchmarks.tpch.metrics import minimum_streams

    return minimum_streams(config.scale_factor)


def throughput_metrics(config: Config, streams: int, ts_ms: float) -> dict[str, object]:
    """What a throughput test without a refresh stream may report: the throughput formula
    over the query streams, named so nobody mistakes it for Throughput@Size."""
    from benchbox.benchmarks.tpch import metrics

    queries = len(config.query_ids)
    return {
        "streams": streams,
        "minimum_streams": metrics.minimum_streams(config.scale_factor),
        "queries_per_stream": queries,
        "ts_s": ts_ms / 1000,
        "query_throughput": streams * queries * 3600 / (ts_ms / 1000) * config.scale_factor,
        "note": "query streams only: Throughput@Size needs the refresh stream (mode=tpc)",
    }


def compliance_record(config: Config, executions: Sequence[Execution]) -> dict[str, object]:
    """Which of the spec's rules a run with query streams kept (see ``metrics.Compliance``)."""
    from benchbox.benchmarks.tpch import metrics

    refreshes = [e for e in executions if e.query_id in ("RF1", "RF2")]
    streams = {e.stream for e in executions if e.stream > 0 and e.query_id.startswith("Q")}
    validated = [e.validation for e in executions if e.query_id.startswith("Q")]
    return metrics.compliance(
        config.scale_factor,
        refresh_executed=bool(refreshes)
        and len(refreshes) == 2 + 2 * len(streams)
        and all(e.status == "ok" for e in refreshes),
        streams=len(streams) or None,
        parameters=config.parameters,
        validation_passed=bool(validated) and all(v == "ok" for v in validated),
    ).record()


def reference(config: Config, query_id: str) -> Reference | None:
    """The shipped answer for ``query_id``, or None when the run's parameters have none."""
    if config.parameters != "validation":
        return None
    from benchbox.benchmarks.tpch.answers import load_reference

    return load_reference(config.scale_factor, int(query_id[1:]))


def reference_from_rows(sql: str, rows: Sequence[tuple[object, ...]]) -> Reference:
    """A reference answer computed elsewhere (by a reference platform) for ``sql``.

    Row order is part of the answer exactly when the query has a top-level ORDER BY.
    """
    import sqlglot

    from benchbox.benchmarks.tpch.answers import Reference

    ordered = sqlglot.parse_one(sql, read="duckdb").args.get("order") is not None
    width = len(rows[0]) if rows else 0
    return Reference(tuple(f"column{i + 1}" for i in range(width)), tuple(rows), ordered)


def compare(ref: Reference, rows: Sequence[Sequence[object]]) -> Verdict:
    """Compare fetched rows to a reference answer; see ``benchbox.benchmarks.tpch.answers``."""
    from benchbox.benchmarks.tpch.answers import compare as _compare

    return _compare(ref, rows)
