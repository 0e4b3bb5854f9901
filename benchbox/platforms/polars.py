"""Polars, in process: TPC-H through Polars SQL (``pl.SQLContext``).

The canonical (DuckDB-dialect) SQL runs untranslated: Polars SQL 2.x (1.x cannot,
see ``MINIMUM_MAJOR``) plans all 22 TPC-H queries as written, including interval
arithmetic, ``EXTRACT``, ``SUBSTRING ... FROM ... FOR``, derived column lists and
the correlated subqueries of Q2, Q4, Q17, Q20, Q21 and Q22, and parses decimal
literals as decimals. Every answer validates, so there are no translation
transforms and no gaps.

Tables get the benchmark's types (``Int32``, ``Int64``, ``Decimal(15, 2)``,
``Date``, ``String``): either lazy scans of the cached files, cast on read where the
file's type differs (``load: scan``; an integer the file holds wider stays so, see
``scan_casts``), or DataFrames read once into memory (``load: memory``).

Polars cannot cancel a running query from another thread: ``collect`` has no
cancel handle; the handle of ``collect(background=True)`` ignores ``engine`` and,
when tested, stopped a query only if cancelled before it started executing; and
Polars' Ctrl-C support reacts to the SIGINT signal only. So ``cancel`` is false
and the spec refuses ``mode.timeout_s`` for Polars.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from benchbox.benchmarks.schema import Table, decimal_digits, wider_integer
from benchbox.errors import DriverMissingError
from benchbox.platforms.base import Adapter as BaseAdapter
from benchbox.platforms.base import Capabilities, package_version

if TYPE_CHECKING:
    import polars as pl

MINIMUM_MAJOR = 2
"""Polars 1.x SQL cannot run the templates: 1.31 rejects comma joins, ``INTERVAL '90' DAY``
and ``SUBSTRING ... FROM ... FOR`` in every query; 1.44 still rejects the intervals and
rounds decimal products to two places (Q3's revenue). 2.0.0 and 2.1.0 are verified."""


class Config(BaseModel):
    """``platform/polars.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Literal["polars"] = "polars"
    load: Literal["scan", "memory"] = Field(
        "scan", description="use 'scan' (lazy scans of the cached files) or 'memory' (read into DataFrames)"
    )
    engine: Literal["in-memory", "streaming"] = Field(
        "streaming", description="use 'streaming' or 'in-memory' (the engine LazyFrame.collect runs)"
    )


def check_version(version: str) -> None:
    """Refuse a Polars release whose SQL cannot run the benchmark's queries."""
    if int(version.split(".")[0]) < MINIMUM_MAJOR:
        raise DriverMissingError(
            f"platform=polars needs polars>={MINIMUM_MAJOR}, found {version}: "
            f"run `pip install -U 'polars>={MINIMUM_MAJOR}'`"
        )


def polars_type(kind: str) -> pl.DataType:
    """The Polars type a canonical column type is stored as."""
    import polars as pl

    digits = decimal_digits(kind)
    if digits:
        return pl.Decimal(*digits)
    types = {
        "INTEGER": pl.Int32(),
        "BIGINT": pl.Int64(),
        "DOUBLE": pl.Float64(),
        "DATE": pl.Date(),
        "VARCHAR": pl.String(),
    }
    if kind not in types:
        raise ValueError(f"no Polars type for the canonical type {kind!r}")
    return types[kind]


def polars_schema(table: Table) -> dict[str, pl.DataType]:
    """The table's canonical columns as a Polars schema."""
    return {c.name: polars_type(c.type) for c in table.columns}


def scan_casts(have: Mapping[str, pl.DataType], want: Mapping[str, pl.DataType]) -> dict[str, pl.DataType]:
    """The casts a scan of a file with columns ``have`` needs to give the canonical ``want``.

    A column the file holds as a wider integer stays as it is (``schema.wider_integer``): cast
    down, tpchgen-cli's Int64 keys made Polars plan the joins over them far more slowly (TPC-H SF 1,
    one pass of the 22 queries: 5.4 s against 2.2 s, Q5 2.8 s against 0.1 s).
    """
    import polars as pl

    held, wanted = pl.Schema(dict(have)).to_arrow(), pl.Schema(dict(want)).to_arrow()

    def kept(name: str) -> bool:
        if have.get(name) == want[name]:
            return True
        return name in held.names and wider_integer(held.field(name).type, wanted.field(name).type)

    return {name: kind for name, kind in want.items() if not kept(name)}


class Adapter(BaseAdapter):
    """Polars SQL over lazy scans or in-memory DataFrames."""

    name = "polars"
    extra = "polars"
    driver = "polars"
    capabilities = Capabilities(
        dialect="duckdb",
        storage="file",
        transactions=False,
        concurrent_sessions=True,
        cancel=False,
        null_ordering="nulls_are_large",  # DESC puts NULLs first in Polars, last in DuckDB
    )
    in_memory_when = ("load", "memory")
    config: Config

    def connect(self) -> None:
        """Create an empty SQL context (Polars has no connection)."""
        pl = self.import_driver()
        check_version(pl.__version__)
        self._ctx = pl.SQLContext()

    def load_table(self, table: Table, files: Sequence[Path], data_format: str) -> int:
        """Register a lazy scan cast to the canonical types (where the file's differ, see
        ``scan_casts``); for ``memory``, collect it first."""
        pl = self.import_driver()
        schema = polars_schema(table)
        paths = [str(file) for file in files]
        if data_format == "csv":
            frame = pl.scan_csv(paths, schema=schema)
        else:
            frame = pl.scan_parquet(paths)
            casts = scan_casts(frame.collect_schema(), schema)
            frame = frame.cast(casts) if casts else frame
        if self.config.load == "memory":
            frame = frame.collect()
            self._ctx.register(table.name, frame)
            return frame.height
        self._ctx.register(table.name, frame)
        return frame.select(pl.len()).collect().item()

    def execute(self, sql: str) -> list[tuple[Any, ...]]:
        """Plan the SQL into a LazyFrame, collect it with the configured engine, fetch every row."""
        return self._ctx.execute(sql, eager=False).collect(engine=self.config.engine).rows()

    def interrupt(self) -> None:
        """Nothing can stop a running Polars query from another thread (``cancel`` is false)."""
        return None

    def versions(self) -> dict[str, str]:
        """Polars has no engine separate from its package: both versions are the package's."""
        pl = self.import_driver()
        version = package_version("polars")
        return {"engine_version": pl.__version__, "driver": "polars", "driver_version": version}

    def close(self) -> None:
        """Drop the context and the tables registered in it."""
        self._ctx = None
