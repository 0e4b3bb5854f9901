"""The Star Schema Benchmark (SSB; O'Neil, O'Neil, Chen, Revilak, revision 3): a star of one fact
table (``lineorder``) and four dimensions, and 13 queries in four flights.

The data is derived from TPC-H's of the same scale factor by one DuckDB script
(``transform.sql``, see ``data``); the queries are benchbox's own, written from the paper's
text with its parameters. Reference answers ship for SF 0.01, 0.1 and 1
(``tools/make_ssb_answers.py``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, field_validator

from benchbox.benchmarks.base import Benchmark, BenchmarkConfig, DataSize, Query, finite_number
from benchbox.benchmarks.datacache import number_label
from benchbox.benchmarks.schema import Table
from benchbox.benchmarks.ssb.schema import TABLES

if TYPE_CHECKING:
    from collections.abc import Sequence

    from benchbox.benchmarks.answers import Reference
    from benchbox.benchmarks.datacache import Dataset, Generated, Notify

QUERY_IDS = (
    *("Q1.1", "Q1.2", "Q1.3"),
    *("Q2.1", "Q2.2", "Q2.3"),
    *("Q3.1", "Q3.2", "Q3.3", "Q3.4"),
    *("Q4.1", "Q4.2", "Q4.3"),
)
"""The 13 queries, flight by flight."""
SHIPPED_ANSWERS = (0.01, 0.1, 1.0)
"""The scale factors whose reference answers ship."""
ORDER_KEYS: dict[str, tuple[int, ...] | None] = {
    "Q1.1": None, "Q1.2": None, "Q1.3": None,
    "Q2.1": (1, 2), "Q2.2": (1, 2), "Q2.3": (1, 2),
    "Q3.1": (2, 3), "Q3.2": (2, 3), "Q3.3": (2, 3), "Q3.4": (2, 3),
    "Q4.1": (0, 1), "Q4.2": (0, 1, 2), "Q4.3": (0, 1, 2),
}  # fmt: skip
"""The output columns (0-based) each query's ORDER BY sorts on (``answers.order_keys``); None: one
row, no ORDER BY. Written out so that planning parses no SQL; a test checks it against the texts."""


def query_id(value: Any) -> Any:
    """``Q1.1`` from ``Q1.1``, ``q1.1``, ``1.1`` or the number 1.1 (what Hydra makes of
    ``[1.1,3.4]``); anything else is left for the validator to refuse."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        value = f"{value:.1f}"
    if isinstance(value, str):
        text = value.strip()
        return "Q" + text[1:] if text[:1] in "qQ" else "Q" + text
    return value


class Config(BenchmarkConfig):
    """``benchmark/ssb.yaml``: what to derive and which queries to run."""

    name: Literal["ssb"] = "ssb"
    scale_factor: float = Field(0.1, gt=0, description="use a value > 0 (e.g. 0.01, 0.1, 1, 10)")
    queries: tuple[str, ...] | None = Field(
        None,
        description=f"list query ids from {', '.join(QUERY_IDS)}, e.g. [Q1.1,Q3.4], or null for all",
    )
    data_format: Literal["parquet"] = Field("parquet", description="use 'parquet' (the one format for SSB)")

    @field_validator("queries", mode="before")
    @classmethod
    def _query_ids(cls, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return [query_id(v) for v in value]
        return value

    @field_validator("queries")
    @classmethod
    def _known_queries(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is None:
            return value
        if not value:
            raise ValueError("the list is empty")
        bad = [q for q in value if q not in QUERY_IDS]
        if bad:
            raise ValueError(f"SSB has queries {', '.join(QUERY_IDS)}, not {bad}")
        if len(set(value)) != len(value):
            raise ValueError("a query is listed twice")
        return value

    _finite_scale_factor = field_validator("scale_factor", mode="before")(finite_number)

    @property
    def label(self) -> str:
        return f"SF {number_label(self.scale_factor)}"

    @property
    def query_ids(self) -> tuple[str, ...]:
        """The queries to run, in order."""
        return self.queries or QUERY_IDS


def query_text(qid: str) -> str:
    """The SQL of query ``qid`` (``Q1.1``): ``queries/q1.1.sql`` without its comment lines."""
    from importlib.resources import files

    text = (files(__package__) / "queries" / f"q{qid[1:]}.sql").read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if not line.startswith("--")).strip()


def stream_order(stream: int, ids: tuple[str, ...]) -> list[str]:
    """Query stream ``stream``'s order of ``ids``: stream 0 runs them as listed; stream ``s >= 1``
    sorts them by ``sha256("ssb/stream/<s>/<id>")``, a fixed, documented permutation per stream
    (the paper defines no streams)."""
    if stream == 0:
        return list(ids)
    return sorted(ids, key=lambda q: hashlib.sha256(f"ssb/stream/{stream}/{q}".encode()).digest())


class SSB(Benchmark):
    """The Star Schema Benchmark (revision 3), data derived from tpchgen-cli's TPC-H."""

    name = "ssb"
    title = "SSB"
    Config = Config
    version = "3"
    modes = frozenset({"power", "throughput", "data_only", "load_only", "dry_run"})
    config: Config

    def tables(self) -> tuple[Table, ...]:
        return TABLES

    def data_key(self) -> tuple[str, ...]:
        return (f"sf{number_label(self.config.scale_factor)}", "parquet")

    def sources(self) -> tuple[Benchmark, ...]:
        """TPC-H's Parquet data of the same scale factor, from the data cache (generated there first
        when it is not cached yet), which SSB's tables are derived from."""
        from benchbox.benchmarks.ssb.data import source_benchmark

        return (source_benchmark(self.config.scale_factor),)

    def generate(self, staging: Path, notify: Notify, sources: Sequence[Dataset] = ()) -> Generated:
        from benchbox.benchmarks.ssb.data import generate

        (tpch,) = sources
        return generate(self.config.scale_factor, staging, notify, tpch)

    def estimated_bytes(self) -> DataSize:
        """Linear in the scale factor, as measured (see ``data.FILES`` and ``data.MEMORY``)."""
        from benchbox.benchmarks.ssb.data import estimated_bytes

        return estimated_bytes(self.config.scale_factor)

    def queries(self, stream: int | None) -> list[Query]:
        """``stream=None``: the selected queries in the order listed; a stream number: in that
        stream's order (``stream_order``). The paper's parameters are fixed, so every stream runs
        the same texts."""
        ids = self.config.query_ids
        if stream is not None:
            ids = tuple(stream_order(stream, ids))
        return [Query(q, query_text(q), ORDER_KEYS[q] is not None, ORDER_KEYS[q]) for q in ids]

    def reference(self, query: Query) -> Reference | None:
        """The shipped answer for ``query``, or None when none ships for the scale factor."""
        if self.config.scale_factor not in SHIPPED_ANSWERS:
            return None
        from benchbox.benchmarks.ssb.answers import load_reference

        return load_reference(self.config.scale_factor, query.id)


BENCHMARK = SSB
