"""The H2O db-benchmark (h2oai, continued by DuckDB Labs): 10 groupby questions over one table of
``rows`` rows, and 5 join questions over a left table and three right tables.

The data is falsa's (the db-benchmark's generation rules, implemented in Rust), with benchbox's
corrections (``data``); the questions are benchbox's SQL of the db-benchmark's question list
(``questions``). Answers are checked by a digest, as the db-benchmark checks them (``answers``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from benchbox.benchmarks.base import Benchmark, BenchmarkConfig, DataSize, Gap, Query
from benchbox.benchmarks.h2o.questions import BY_ID, TASKS

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from benchbox.benchmarks.answers import Reference, Tolerance
    from benchbox.benchmarks.datacache import Dataset, Generated, Notify
    from benchbox.benchmarks.schema import Table

DEFAULT_K, DEFAULT_NA = 100, 0
"""The groupby data's defaults: 100 groups in the large-group ids, no NULLs (the db-benchmark's
``1e2`` and ``0``)."""
SHIPPED = frozenset(
    {
        ("groupby", 1_000_000, DEFAULT_K, DEFAULT_NA, 0),
        ("groupby", 1_000_000, DEFAULT_K, 5, 0),
        ("groupby", 10_000_000, DEFAULT_K, DEFAULT_NA, 0),
        ("join", 1_000_000, None, None, 0),
    }
)
"""The settings whose answer digests ship (``answers.py``)."""


def _rows(value: Any) -> Any:
    """``1e6``, ``"1e6"``, ``1000000.0`` and ``1_000_000`` all as the integer 1000000; anything else
    is left for the validators to refuse."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            value = float(value.replace("_", ""))
        except ValueError:
            return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class Config(BenchmarkConfig):
    """``benchmark/h2o.yaml``: which task, how much data, which questions."""

    name: Literal["h2o"] = "h2o"
    task: Literal["groupby", "join"] = Field("groupby", description="use 'groupby' or 'join'")
    rows: int = Field(
        1_000_000, ge=1000, le=10**10, description="use a whole number of rows >= 1000, e.g. 1e6, 1e7, 1e8"
    )
    k: int | None = Field(
        None, ge=1, description=f"use a number of groups >= 1 (groupby only; null: {DEFAULT_K})"
    )
    na_percent: int | None = Field(
        None, ge=0, le=100, description=f"use a percentage 0-100 (groupby only; null: {DEFAULT_NA})"
    )
    seed: int = Field(0, ge=0, description="use an integer >= 0")
    queries: tuple[str, ...] | None = Field(
        None, description="list question ids, e.g. [G1,G6] (groupby) or [J1,J5] (join), or null for all"
    )
    data_format: Literal["parquet"] = Field("parquet", description="use 'parquet' (the one format for H2O)")

    _whole_rows = field_validator("rows", mode="before")(_rows)

    @field_validator("queries", mode="before")
    @classmethod
    def _question_ids(cls, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return [str(v).strip().upper() if not isinstance(v, bool) else v for v in value]
        return value

    @model_validator(mode="after")
    def _fits_the_task(self) -> Config:
        if self.task == "join":
            if self.k is not None or self.na_percent is not None:
                raise ValueError(
                    "k and na_percent shape the groupby data only: leave them null for task=join"
                )
            if self.rows % 1_000_000:
                raise ValueError(
                    "task=join needs rows in whole millions (its small table has rows / 1e6 rows), "
                    f"not {self.rows}"
                )
        elif self.group_count > self.rows:
            raise ValueError(f"k={self.group_count} is more groups than rows={self.rows}")
        if self.queries is not None:
            ids = tuple(q.id for q in TASKS[self.task])
            numbered = tuple(f"{ids[0][0]}{q}" if q.isdigit() else q for q in self.queries)
            bad = [q for q in numbered if q not in ids]
            if not numbered:
                raise ValueError("the query list is empty")
            if bad:
                raise ValueError(f"task={self.task} has questions {', '.join(ids)}, not {bad}")
            if len(set(numbered)) != len(numbered):
                raise ValueError("a question is listed twice")
            object.__setattr__(self, "queries", numbered)
        return self

    @property
    def group_count(self) -> int:
        """``k``, or its default."""
        return DEFAULT_K if self.k is None else self.k

    @property
    def null_percent(self) -> int:
        """``na_percent``, or its default."""
        return DEFAULT_NA if self.na_percent is None else self.na_percent

    @property
    def label(self) -> str:
        digits = len(str(self.rows).rstrip("0"))  # every significant digit: 1500000 is 1.5e6, not 2e6
        size = f"{self.rows:.{digits - 1}e}".replace("e+0", "e").replace("e+", "e")
        if self.task == "join":
            return f"join {size}"
        return f"groupby {size} k={self.group_count} na={self.null_percent}%"

    @property
    def query_ids(self) -> tuple[str, ...]:
        """The questions to run, in order."""
        return self.queries or tuple(q.id for q in TASKS[self.task])


class H2O(Benchmark):
    """The H2O db-benchmark's groupby and join tasks, data by falsa (corrected)."""

    name = "h2o"
    title = "H2O"
    Config = Config
    version = "db-benchmark 2023"
    modes = frozenset({"power", "throughput", "data_only", "load_only", "dry_run"})
    known_gaps: ClassVar[Mapping[str, Mapping[str, Gap]]] = {
        "sqlite": {
            "G6": Gap("notyet", "SQLite has no median or stddev_samp aggregate"),
            "G9": Gap("notyet", "SQLite has no corr aggregate"),
        },
    }
    config: Config

    def tables(self) -> tuple[Table, ...]:
        from benchbox.benchmarks.h2o.schema import GROUPBY, JOIN

        return GROUPBY if self.config.task == "groupby" else JOIN

    def data_key(self) -> tuple[str, ...]:
        c = self.config
        if c.task == "join":
            return ("join", f"rows{c.rows}", f"seed{c.seed}", "parquet")
        return (
            "groupby",
            f"rows{c.rows}",
            f"k{c.group_count}",
            f"na{c.null_percent}",
            f"seed{c.seed}",
            "parquet",
        )

    def generate(self, staging: Path, notify: Notify, sources: Sequence[Dataset] = ()) -> Generated:
        from benchbox.benchmarks.h2o.data import generate

        c = self.config
        return generate(c.task, c.rows, c.group_count, c.null_percent, c.seed, staging, notify)

    def estimated_bytes(self) -> DataSize:
        from benchbox.benchmarks.h2o.data import estimated_bytes

        c = self.config
        return estimated_bytes(c.task, c.rows, c.group_count, c.query_ids)

    def queries(self, stream: int | None) -> list[Query]:
        """The selected questions; a throughput stream ``s >= 1`` runs them in a fixed permutation of
        its own (the db-benchmark defines no streams), with the same texts."""
        ids = self.config.query_ids
        if stream:
            import hashlib

            ids = tuple(
                sorted(ids, key=lambda q: hashlib.sha256(f"h2o/stream/{stream}/{q}".encode()).digest())
            )
        return [Query(q, BY_ID[q].sql, False) for q in ids]

    def answer_rows(self, query_id: str, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """The result's digest (``answers.digest``): the db-benchmark's check, not the rows."""
        from benchbox.benchmarks.h2o.answers import digest

        return digest(BY_ID[query_id], rows)

    def tolerances(self, query_id: str) -> tuple[Tolerance, ...] | None:
        from benchbox.benchmarks.h2o.answers import tolerances

        return tolerances(BY_ID[query_id])

    def answers_file(self) -> str | None:
        """The shipped answers' file name for this config, or None when none ship for it."""
        c = self.config
        k, na = (None, None) if c.task == "join" else (c.group_count, c.null_percent)
        if (c.task, c.rows, k, na, c.seed) not in SHIPPED:
            return None
        knobs = "" if c.task == "join" else f"-k{k}-na{na}"
        return f"{c.task}-{c.rows}{knobs}-seed{c.seed}.json.gz"

    def reference(self, query: Query) -> Reference | None:
        file_name = self.answers_file()
        if file_name is None:
            return None
        from benchbox.benchmarks.h2o.answers import load_reference

        return load_reference(file_name, BY_ID[query.id])


BENCHMARK = H2O
