"""TPC-H: 8 tables, 22 queries, two refresh functions, and the performance test's metrics.

Heavy pieces (data generation, answers, metrics) are imported when first used so that
building a RunSpec stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, field_validator

from benchbox.benchmarks.base import (
    MODES,
    Benchmark,
    BenchmarkConfig,
    Counts,
    DataSize,
    MaintenanceOp,
    Query,
    finite_number,
    numbers_in_range,
)
from benchbox.benchmarks.datacache import number_label
from benchbox.benchmarks.schema import Table
from benchbox.benchmarks.tpch.schema import TABLES

if TYPE_CHECKING:
    from benchbox.benchmarks.answers import Reference, Tolerance
    from benchbox.benchmarks.datacache import Dataset, Generated, Notify
    from benchbox.result import Execution, PhaseRecord

QUERY_COUNT = 22
REFRESH_FUNCTIONS = ("RF1", "RF2")


class Config(BenchmarkConfig):
    """``benchmark/tpch.yaml``: what to generate and which queries to run with which parameters."""

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
        return numbers_in_range(value, QUERY_COUNT, "TPC-H has queries")

    _finite_scale_factor = field_validator("scale_factor", mode="before")(finite_number)

    @property
    def label(self) -> str:
        return f"SF {number_label(self.scale_factor)}"

    @property
    def query_ids(self) -> tuple[int, ...]:
        """The queries to run, in order."""
        return self.queries or tuple(range(1, QUERY_COUNT + 1))


ORDER_KEYS: dict[int, tuple[int, ...] | None] = {
    1: (0, 1), 2: (0, 2, 1, 3), 3: (1, 2), 4: (0,), 5: (1,), 6: None, 7: (0, 1, 2), 8: (0,), 9: (0, 1),
    10: (2,), 11: (1,), 12: (0,), 13: (1, 0), 14: None, 15: (0,), 16: (3, 0, 1, 2), 17: None,
    18: (4, 3), 19: None, 20: (0,), 21: (1, 0), 22: (0,),
}  # fmt: skip
"""The output columns (0-based) each query's top-level ORDER BY sorts on (``answers.order_keys``);
None: no ORDER BY (the query returns one row). Rows that tie on these keys may come in any order
(Q11's equal values at SF 30 do, between engines), so a reference platform's answer is compared
by them. The same for every parameter value, and written out because parsing the 22 texts with
sqlglot would cost every plan 0.1-0.25 s; a test checks it against the texts."""


def _ordered(number: int) -> bool:
    """Whether query ``number`` has a top-level ORDER BY."""
    return ORDER_KEYS[number] is not None


class TPCH(Benchmark):
    """TPC-H (specification 3.0.1), data by tpchgen-cli, answers checked against the spec."""

    name = "tpch"
    title = "TPC-H"
    Config = Config
    version = "3.0.1"
    modes = MODES
    config: Config

    def tables(self) -> tuple[Table, ...]:
        return TABLES

    def data_key(self) -> tuple[str, ...]:
        from benchbox.benchmarks.tpch.data import sf_label

        return (f"sf{sf_label(self.config.scale_factor)}", self.config.data_format)

    @property
    def data_format(self) -> str:
        return self.config.data_format

    def generate(self, staging: Path, notify: Notify, sources: Sequence[Dataset] = ()) -> Generated:
        from benchbox.benchmarks.tpch.data import generate

        return generate(self.config.scale_factor, self.config.data_format, staging)

    def estimated_bytes(self) -> DataSize:
        """Linear in the scale factor, per unit as measured with tpchgen-cli 4.0.0: the files' slope
        at SF 10 (Parquet 3.92 GB, CSV 11.3 GB; high by 8 % to 21 % (Parquet) and 2 % to 6 % (CSV) at
        SF 1 to 0.01), memory DuckDB's tables at SF 1 (1.41 GB; Arrow's are 1.78 GB)."""
        per_unit = {"parquet": 391_500_000, "csv": 1_132_000_000}[self.config.data_format]
        scale = self.config.scale_factor
        return DataSize(round(per_unit * scale), round(1_413_000_000 * scale), "benchmark.scale_factor")

    def queries(self, stream: int | None) -> list[Query]:
        """``stream=None``: the queries in the order listed. A stream number: the selected queries in
        that stream's order (Appendix A), with that stream's own seeded values (clause 2.1.3.3:
        seed + stream, see ``streams.stream_seed``)."""
        from benchbox.benchmarks.tpch import parameters, streams

        config = self.config
        numbers, seed = config.query_ids, config.seed
        if stream is not None:
            numbers = tuple(n for n in streams.stream_order(stream) if n in numbers)
            seed = streams.stream_seed(config.seed, stream)
        planned = []
        for number in numbers:
            if config.parameters == "validation":
                values = parameters.validation_parameters(number, config.scale_factor)
            else:
                values = parameters.seeded_parameters(number, config.scale_factor, seed)
            sql = parameters.render(number, values)
            planned.append(Query(f"Q{number}", sql, _ordered(number), ORDER_KEYS[number]))
        return planned

    def default_streams(self) -> int:
        """The spec's minimum number of throughput streams at this scale factor (clause 5.3.4)."""
        from benchbox.benchmarks.tpch.metrics import minimum_streams

        return minimum_streams(self.config.scale_factor)

    def maintenance_ops(self, dataset: Dataset, run: int) -> Sequence[MaintenanceOp]:
        """RF1 then RF2 of refresh set ``run`` (clauses 2.5-2.7)."""
        from benchbox.benchmarks.tpch.maintenance import refresh_pair

        return refresh_pair(dataset, self.config.scale_factor, self.config.seed, run)

    def counts(self) -> Counts:
        from benchbox.benchmarks.tpch.maintenance import COUNTS

        return COUNTS

    def power_test(self, dataset: Dataset) -> tuple[Sequence[MaintenanceOp], Sequence[MaintenanceOp]]:
        """Clause 5.3.3: RF1 before query stream 0, RF2 after it (refresh set 1)."""
        rf1, rf2 = self.maintenance_ops(dataset, 1)
        return (rf1,), (rf2,)

    def refresh_runs(self, streams: int) -> Sequence[int]:
        """Clauses 5.3.4.4 and 5.3.7.7: one refresh stream, running one RF1/RF2 pair per query
        stream, here with sets 2 to S + 1."""
        return range(2, streams + 2)

    def reference(self, query: Query) -> Reference | None:
        """The shipped answer for ``query``, or None when the run's parameters have none."""
        if self.config.parameters != "validation":
            return None
        from benchbox.benchmarks.tpch.answers import load_reference

        return load_reference(self.config.scale_factor, int(query.id[1:]))

    def tolerances(self, query_id: str) -> tuple[Tolerance, ...]:
        """Clause 2.1.3.5: the precision rule of each output column of ``query_id`` (``Q1``..``Q22``),
        for any expected answer of it, shipped or computed by a reference platform."""
        from benchbox.benchmarks.tpch.precision import tolerances

        return tolerances(int(query_id[1:]))

    def metrics(
        self, mode: str, executions: Sequence[Execution], phases: Sequence[PhaseRecord]
    ) -> dict[str, Any]:
        """mode=throughput: the query-stream figures and the compliance record; mode=tpc:
        Power@Size, Throughput@Size and QphH@Size (see ``metrics``)."""
        from benchbox.benchmarks.tpch import metrics

        if mode == "tpc":
            return {"tpc": metrics.tpc_metrics(self.config, executions, phases)}
        if mode == "throughput" and any(p.name == "throughput" and p.status == "ok" for p in phases):
            return {"throughput": metrics.throughput_summary(self.config, executions, phases)}
        return {}


BENCHMARK = TPCH
