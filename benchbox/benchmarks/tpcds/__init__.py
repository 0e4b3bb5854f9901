"""TPC-DS: 24 tables, 99 query templates (103 queries: 14, 23, 24 and 39 have two parts).

The query files are benchbox's own, written from the specification's business questions
(Appendix B) and checked against the TPC kit's answer sets; nothing under the kit's
licence ships. Data maintenance and the QphDS metric are not implemented yet, so the
spec refuses ``mode=maintenance`` and ``mode=tpc`` for it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, field_validator

from benchbox.benchmarks.base import (
    Benchmark,
    BenchmarkConfig,
    DataSize,
    Query,
    finite_number,
    numbers_in_range,
    stream_seed,
)
from benchbox.benchmarks.datacache import number_label
from benchbox.benchmarks.schema import Table
from benchbox.benchmarks.tpcds.schema import TABLES

if TYPE_CHECKING:
    from collections.abc import Sequence

    from benchbox.benchmarks.answers import Reference
    from benchbox.benchmarks.datacache import Dataset, Generated, Notify

TEMPLATES = 99
SHIPPED_ANSWERS = (0.01, 0.1, 1.0)
"""The scale factors whose qualification answers ship."""


class Config(BenchmarkConfig):
    """``benchmark/tpcds.yaml``: what to generate and which queries to run with which parameters."""

    name: Literal["tpcds"] = "tpcds"
    scale_factor: float = Field(1, gt=0, description="use a value > 0 (e.g. 0.01, 0.1, 1, 10)")
    queries: tuple[int, ...] | None = Field(
        None,
        description=f"list template numbers from 1 to {TEMPLATES}, e.g. [3,7,14] (14 runs Q14a and Q14b), "
        "or null for all",
    )
    parameters: Literal["validation", "seeded"] = Field(
        "validation", description="use 'validation' (answers are checked) or 'seeded' (drawn from seed)"
    )
    seed: int = Field(0, ge=0, description="use an integer >= 0")
    data_format: Literal["parquet"] = Field(
        "parquet", description="use 'parquet' (the one format for TPC-DS)"
    )

    @field_validator("queries")
    @classmethod
    def _known_queries(cls, value: tuple[int, ...] | None) -> tuple[int, ...] | None:
        return numbers_in_range(value, TEMPLATES, "TPC-DS has templates")

    _finite_scale_factor = field_validator("scale_factor", mode="before")(finite_number)

    @property
    def label(self) -> str:
        return f"SF {number_label(self.scale_factor)}"

    @property
    def template_numbers(self) -> tuple[int, ...]:
        """The templates to run, in order."""
        return self.queries or tuple(range(1, TEMPLATES + 1))


SORT_VARIES = frozenset({31, 74, 78})
"""Templates whose parameters choose the sort columns or the select list: their sort keys are
read from each rendered text (with sqlglot, a few milliseconds each)."""


def order_keys(sql: str) -> tuple[int, ...] | None:
    """The sort-key columns of one rendered query (None: unordered), read with sqlglot."""
    from benchbox.benchmarks import answers

    return answers.order_keys(sql)


@cache
def _order_keys() -> dict[str, tuple[int, ...] | None]:
    """Every query's sort-key columns, read once from ``order.json``: parsing all 103 texts with
    sqlglot would cost every plan phase 0.4 s. ``tools/make_tpcds_answers.py`` writes the file
    and a test checks it against the texts."""
    import json
    from importlib.resources import files

    document = json.loads((files(__package__) / "order.json").read_text(encoding="utf-8"))
    return {qid: tuple(keys) if keys is not None else None for qid, keys in document.items()}


class TPCDS(Benchmark):
    """TPC-DS (specification 2.10.0 query set), data by tpcgen-cli."""

    name = "tpcds"
    title = "TPC-DS"
    Config = Config
    version = "2.10.0"
    modes = frozenset({"power", "throughput", "data_only", "load_only", "dry_run"})
    config: Config

    def tables(self) -> tuple[Table, ...]:
        return TABLES

    def data_key(self) -> tuple[str, ...]:
        from benchbox.benchmarks.tpcds.data import sf_label

        return (f"sf{sf_label(self.config.scale_factor)}", "parquet")

    def generate(self, staging: Path, notify: Notify, sources: Sequence[Dataset] = ()) -> Generated:
        from benchbox.benchmarks.tpcds.data import generate

        return generate(self.config.scale_factor, staging)

    def estimated_bytes(self) -> DataSize:
        """A fixed part (the dimensions dsdgen keeps at their size below SF 1) plus a part linear
        in the scale factor, as measured with tpcgen-cli 4.0.0 (see ``data.estimated_bytes``)."""
        from benchbox.benchmarks.tpcds.data import estimated_bytes

        return estimated_bytes(self.config.scale_factor)

    def queries(self, stream: int | None) -> list[Query]:
        """``stream=None``: the templates in the order listed. A stream number: the selected templates in
        that stream's order (Appendix D), with that stream's own seeded values."""
        from benchbox.benchmarks.tpcds import parameters, streams

        config = self.config
        numbers, seed = config.template_numbers, config.seed
        if stream is not None:
            numbers = tuple(n for n in streams.stream_order(stream) if n in numbers)
            seed = stream_seed(config.seed, stream)
        planned = []
        for number in numbers:
            if config.parameters == "validation":
                values = parameters.validation_parameters(number)
            else:
                values = parameters.seeded_parameters(number, config.scale_factor, seed)
            for qid, sql in parameters.render(number, values):
                keys = order_keys(sql) if number in SORT_VARIES else _order_keys()[qid]
                planned.append(Query(qid, sql, keys is not None, keys))
        return planned

    def default_streams(self) -> int:
        """Clause 7.4.6.9: a throughput test has an even number of streams, at least 4."""
        return 4

    def reference(self, query: Query) -> Reference | None:
        """The shipped answer for ``query``, or None when the run's parameters or scale factor have none."""
        if self.config.parameters != "validation" or self.config.scale_factor not in SHIPPED_ANSWERS:
            return None
        from benchbox.benchmarks.tpcds.answers import load_reference

        return load_reference(self.config.scale_factor, query.id)


BENCHMARK = TPCDS
