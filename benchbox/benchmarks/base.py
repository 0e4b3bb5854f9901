"""What every benchmark is: declared data plus a few methods.

The engine, the spec, validation and the exporters use nothing but this class, so
adding a benchmark never adds a branch to them: a benchmark is its package
(``benchbox/benchmarks/<name>/``, whose ``BENCHMARK`` is the class),
``conf/benchmark/<name>.yaml``, ``docs/benchmarks/<name>.md`` and its tests.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    import pyarrow as pa

    from benchbox.benchmarks.answers import Reference, Tolerance
    from benchbox.benchmarks.datacache import Dataset, Generated, Notify
    from benchbox.benchmarks.schema import Table
    from benchbox.result import Execution, PhaseRecord

MODES = frozenset({"power", "throughput", "maintenance", "tpc", "data_only", "load_only", "dry_run"})
"""Every mode name a benchmark may declare (the spec defines each mode's keys)."""


def stream_seed(seed: int, stream: int) -> int:
    """The seed of one query stream's substitution parameters: every stream draws its own values,
    reproducibly from the run's ``seed``; stream 0 keeps the run's seed. A hash rather than
    arithmetic, so that no (seed, stream) pair repeats another's values."""
    if stream == 0:
        return seed
    return int.from_bytes(hashlib.sha256(f"{seed}/stream/{stream}".encode()).digest()[:6], "big")


def finite_number(value: Any) -> Any:
    """A ``mode="before"`` validator for a size setting: ``inf`` passes ``gt=0`` and would ask the
    generator for endless data, and ``nan`` would fail ``gt=0`` with a misleading reason; both are
    refused first, with the real one. A value that is no number is left to pydantic's message."""
    import math

    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    if not math.isfinite(number):
        raise ValueError("it must be a finite number")
    return value


def numbers_in_range(value: tuple[int, ...] | None, last: int, what: str) -> tuple[int, ...] | None:
    """Validate a config's list of query numbers (``None``: all): non-empty, each in ``1..last``,
    none twice. ``what`` names them in the message, e.g. "TPC-H has queries"."""
    if value is None:
        return value
    if not value:
        raise ValueError("the list is empty")
    bad = [q for q in value if not 1 <= q <= last]
    if bad:
        raise ValueError(f"{what} 1 to {last}, not {bad}")
    if len(set(value)) != len(value):
        raise ValueError("a query is listed twice")
    return value


class BenchmarkConfig(BaseModel):
    """The base of every benchmark's config model (``conf/benchmark/<name>.yaml``): unknown keys are
    refused, and the config is frozen like the rest of the RunSpec."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str

    @property
    def label(self) -> str:
        """What data a run used, in a few characters (``SF 0.1``): in titles, summaries and results."""
        raise NotImplementedError


@dataclass(frozen=True)
class Query:
    """One query, ready to translate: its id and canonical SQL with parameters substituted."""

    id: str
    """``Q1``, ``Q14a``: unique within the benchmark, the ``query_id`` of its executions."""
    sql: str
    """In the benchmark's canonical dialect (``Benchmark.dialect``)."""
    ordered: bool
    """Whether the row order is part of the answer (the query has a top-level ORDER BY)."""
    keys: tuple[int, ...] | None = None
    """The output columns its ORDER BY sorts on, if known (see ``answers.Reference.keys``)."""


@dataclass(frozen=True)
class Counts:
    """A query, in the benchmark's dialect, that returns one row of counts, and their names:
    read before and after every maintenance operation, outside the timed regions."""

    sql: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class MaintenanceOp:
    """One data-maintenance function of a benchmark, run as data by one adapter verb.

    The statements run in ONE transaction (``Adapter.run_transaction``) and may read
    the staged Arrow tables by their names; the whole call is the timed region.
    """

    id: str
    """The ``query_id`` of its execution."""
    run: int
    """The refresh run it belongs to (its execution's ``iteration``)."""
    statements: tuple[str, ...]
    """In the benchmark's canonical dialect."""
    staged: Mapping[str, pa.Table] = field(default_factory=dict)
    """Name -> rows the statements read (e.g. the new orders)."""
    rows: int = 0
    """How many rows it inserts or deletes (its execution's ``rows``)."""
    expect: Callable[[Mapping[str, int], Mapping[str, int]], list[str]] | None = None
    """``(counts before, counts after) -> problems``: the row-count check of mode=maintenance
    (see ``Benchmark.counts``); an empty list means the operation did what it should."""


@dataclass(frozen=True)
class DataSize:
    """How big a config's data is expected to be, in bytes, from sizes the benchmark measured: the
    generate phase compares it with the free disk and, for a platform that holds every table in
    memory, the available memory, and refuses what cannot fit (unless ``allow_large_data``)."""

    files: int
    """Its generated files in the config's format: what the cache folder will hold."""
    memory: int
    """Its tables once loaded into memory: the least an in-memory engine was measured to need, so
    that the check refuses only what cannot fit."""
    setting: str
    """The config key that sizes the data (``benchmark.<key>``), named in a refusal's fix."""
    answers: int = 0
    """The largest result of the selected queries as benchbox's process holds it while fetching it
    (Python rows): checked against the available memory on every platform, for benchmarks whose
    answers grow with the data (H2O's); 0 where they stay small."""


@dataclass(frozen=True)
class Gap:
    """A known way a platform falls short on one query of a benchmark, declared rather than hidden.

    ``notimpl``: benchbox could fix it; ``notyet``: the engine itself must change.
    The contract tests turn each gap into a strict expected failure, so a fixed gap
    fails until its declaration is removed.
    """

    kind: Literal["notimpl", "notyet"]
    reason: str


class Benchmark(ABC):
    """One benchmark: its data, its queries, its answers and its figures."""

    name: ClassVar[str]
    """The package's name, which is also ``conf/benchmark/<name>.yaml``, the docs page and the results'
    ``benchmark``."""
    title: ClassVar[str]
    """``TPC-H``: how people write it."""
    Config: ClassVar[type[BenchmarkConfig]]
    """Its config model, with ``name: Literal[<name>]``."""
    version: ClassVar[str]
    """The specification (and query set) revision the queries follow, recorded in the metadata."""
    dialect: ClassVar[str] = "duckdb"
    """The sqlglot dialect its query texts are written in."""
    modes: ClassVar[frozenset[str]]
    """The modes it supports; the spec refuses the others."""
    known_gaps: ClassVar[Mapping[str, Mapping[str, Gap]]] = {}
    """Platform name -> query id -> declared gap; empty when every query validates everywhere."""

    def __init__(self, config: Any) -> None:
        self.config = config

    # Data.

    @abstractmethod
    def tables(self) -> tuple[Table, ...]:
        """Its tables, in load order."""

    @abstractmethod
    def data_key(self) -> tuple[str, ...]:
        """The cache folder parts under ``<data_dir>/<name>/`` that name this config's data."""

    @property
    def data_format(self) -> str:
        """The format of its generated files: ``parquet`` or ``csv``."""
        return "parquet"

    def sources(self) -> tuple[Benchmark, ...]:
        """The benchmarks whose data this one's is made from (SSB's from TPC-H's), none by default.
        Before ``generate`` runs, the cache finds or generates each one's dataset in the same data
        folder, under that dataset's own lock, and hands them to ``generate`` in this order."""
        return ()

    @abstractmethod
    def generate(self, staging: Path, notify: Notify, sources: Sequence[Dataset] = ()) -> Generated:
        """Generate the data into the empty folder ``staging`` (the cache does the rest), from the
        datasets of ``sources()`` where it has any."""

    @abstractmethod
    def estimated_bytes(self) -> DataSize:
        """The expected size of this config's data, checked before any is generated (no disk access:
        a formula over the config, from sizes measured at a few settings)."""

    # Work.

    @abstractmethod
    def queries(self, stream: int | None) -> list[Query]:
        """The selected queries with their parameters: in the listed order for ``stream=None``,
        else in that query stream's order with its own values."""

    def default_streams(self) -> int:
        """How many query streams a throughput test runs when ``mode.streams`` is null."""
        return 2

    def maintenance_ops(self, dataset: Dataset, run: int) -> Sequence[MaintenanceOp]:
        """The maintenance operations of refresh run ``run``, in order (none by default)."""
        return ()

    def counts(self) -> Counts | None:
        """The counts mode=maintenance reads around each operation, or None."""
        return None

    def power_test(self, dataset: Dataset) -> tuple[Sequence[MaintenanceOp], Sequence[MaintenanceOp]]:
        """mode=tpc's power test: the maintenance run before and after the power stream (stream 0)."""
        return (), ()

    def refresh_runs(self, streams: int) -> Sequence[int]:
        """mode=tpc's throughput test: the refresh runs of its refresh stream, for ``streams`` streams."""
        return range(1, streams + 1)

    # Answers and figures.

    def reference(self, query: Query) -> Reference | None:
        """The shipped answer of ``query``, or None when none ships for it."""
        return None

    def answer_rows(self, query_id: str, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """What of a fetched result of ``query_id`` is kept and compared with its expected answer (a
        reference platform's result goes through it too): the rows themselves by default. A
        benchmark whose answers are too large to keep or ship (H2O's million-row joins) returns
        their digest, as its rules check them. Runs right after the timed region, outside it."""
        return rows

    def tolerances(self, query_id: str) -> tuple[Tolerance, ...] | None:
        """The precision rule of each output column of ``query_id``, for any expected answer of it
        (shipped or computed by a reference platform); None: ``tolerance`` for every number."""
        return None

    @property
    def tolerance(self) -> float:
        """How far a number may be from the expected one when answers are compared."""
        from benchbox.benchmarks.answers import TOLERANCE

        return TOLERANCE

    def metrics(
        self, mode: str, executions: Sequence[Execution], phases: Sequence[PhaseRecord]
    ) -> dict[str, Any]:
        """The benchmark's own figures for a finished run, as summary sections (``{"tpc": {...}}``)."""
        return {}
