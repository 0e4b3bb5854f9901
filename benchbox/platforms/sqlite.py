"""SQLite through SQLAlchemy: the row-store baseline and the proof of the adapter seam.

Plain dialect translation gives silently wrong answers on SQLite: ``date - interval``
has no meaning there, ``EXTRACT`` does not exist, derived column lists are a syntax
error, and ``0.06 + 0.01`` in floating point is just under 0.07. The transforms below
rewrite those forms so SQLite computes the same answers: date and decimal arithmetic
on literals is folded exactly at translation time (dates are stored as ISO text,
which compares correctly as text), ``EXTRACT(YEAR ...)`` becomes ``STRFTIME``, and a
derived column list becomes aliases in the subquery. Tables get their primary keys
and foreign-key indexes, without which Q4, Q19 and Q21 run for minutes.
"""

from __future__ import annotations

import calendar
import os
import tempfile
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from benchbox.benchmarks.schema import Table, staged_table
from benchbox.platforms.base import LOAD_STAMP_TABLE, Capabilities, database_file_problem, package_version
from benchbox.platforms.base import Adapter as BaseAdapter
from benchbox.platforms.rollup import expand_rollup
from benchbox.platforms.types import create_table_sql

if TYPE_CHECKING:
    from sqlglot import exp
else:
    from benchbox.platforms.base import lazy_exp as exp  # sqlglot on the first transform, not on import

_BATCH_ROWS = 50_000
_TYPES = {"BIGINT": "INTEGER", "DATE": "TEXT", "VARCHAR": "TEXT", "DECIMAL": "REAL"}
"""Dates as ISO text (which compares correctly as text), decimals as doubles: SQLite's own."""


class Config(BaseModel):
    """``platform/sqlite.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Literal["sqlite"] = "sqlite"
    database: str | None = Field(
        None,
        description="use the path of a file in an existing, writable folder, or null for a temporary file",
    )

    @field_validator("database")
    @classmethod
    def _usable_file(cls, value: str | None) -> str | None:
        """SQLite says only "unable to open database file", at connect, for a missing folder, a folder
        given as the file or an unwritable place: each is named here, before the run."""
        problem = database_file_problem(value) if value is not None else None
        if problem:
            raise ValueError(problem)
        return value


def _shift(day: date, amount: int, unit: str) -> date:
    if unit == "DAY":
        return day + timedelta(days=amount)
    months = amount * (12 if unit == "YEAR" else 1) if unit in ("YEAR", "MONTH") else None
    if months is None:
        raise ValueError(f"cannot fold an interval in {unit}")
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def fold_date_arithmetic(node: exp.Expression) -> exp.Expression:
    """``DATE 'x' ± INTERVAL 'n' unit`` -> the resulting date literal, computed here."""
    if not isinstance(node, (exp.Add, exp.Sub)):
        return node
    left, right = node.this, node.expression
    if not (isinstance(left, exp.Cast) and left.to.is_type("date") and isinstance(left.this, exp.Literal)):
        return node
    if not (isinstance(right, exp.Interval) and isinstance(right.this, exp.Literal)):
        return node
    amount = int(right.this.name) * (-1 if isinstance(node, exp.Sub) else 1)
    shifted = _shift(date.fromisoformat(left.this.name), amount, right.unit.name.upper())
    return exp.cast(exp.Literal.string(shifted.isoformat()), "date")


def fold_decimal_arithmetic(node: exp.Expression) -> exp.Expression:
    """``0.06 + 0.01`` -> ``0.07``, computed exactly: in binary floating point it is 0.06999...,
    and ``l_discount BETWEEN 0.05 AND 0.06999...`` silently drops every 0.07 row (Q6)."""
    if not isinstance(node, (exp.Add, exp.Sub, exp.Mul)):
        return node
    left, right = node.this, node.expression
    if not all(isinstance(side, exp.Literal) and not side.is_string for side in (left, right)):
        return node
    a, b = Decimal(left.name), Decimal(right.name)
    value = a + b if isinstance(node, exp.Add) else a - b if isinstance(node, exp.Sub) else a * b
    return exp.Literal.number(str(value))


def extract_to_strftime(node: exp.Expression) -> exp.Expression:
    """``EXTRACT(YEAR FROM d)`` -> ``CAST(STRFTIME('%Y', d) AS INTEGER)``."""
    if not isinstance(node, exp.Extract):
        return node
    formats = {"YEAR": "%Y", "MONTH": "%m", "DAY": "%d"}
    unit = node.this.name.upper()
    if unit not in formats:
        return node
    strftime = exp.Anonymous(
        this="STRFTIME", expressions=[exp.Literal.string(formats[unit]), node.expression]
    )
    return exp.cast(strftime, "int")


def inline_derived_columns(node: exp.Expression) -> exp.Expression:
    """``(SELECT a, b ...) AS t (x, y)`` -> ``(SELECT a AS x, b AS y ...) AS t``."""
    alias = node.args.get("alias") if isinstance(node, exp.Subquery) else None
    if not (alias and alias.columns and isinstance(node.this, exp.Select)):
        return node
    select = node.this
    select.set(
        "expressions",
        [exp.alias_(e.unalias(), c.copy()) for e, c in zip(select.expressions, alias.columns, strict=True)],
    )
    alias.set("columns", None)
    return node


class Adapter(BaseAdapter):
    """SQLite: loaded through SQLAlchemy, queried on its raw sqlite3 connection."""

    name = "sqlite"
    extra = "sqlite"
    driver = "sqlalchemy"
    capabilities = Capabilities(
        dialect="sqlite", storage="file", transactions=True, concurrent_sessions=True, cancel=True
    )
    transforms = (
        expand_rollup,
        fold_date_arithmetic,
        fold_decimal_arithmetic,
        extract_to_strftime,
        inline_derived_columns,
    )
    type_overrides = _TYPES
    config: Config

    def connect(self) -> None:
        """Open (or create) the database file through a SQLAlchemy engine."""
        sqlalchemy = self.import_driver()
        self._temporary: Path | None = None
        path = self.config.database
        if path is None:
            fd, path = tempfile.mkstemp(prefix="benchbox-", suffix=".sqlite")
            os.close(fd)
            self._temporary = Path(path)
        self._path = str(path)
        self._engine = sqlalchemy.create_engine(f"sqlite:///{path}")
        # Queries run on the driver connection itself: SQLAlchemy's result layer
        # would add per-row overhead to the timed region that no user of SQLite pays.
        self._pooled = self._engine.raw_connection()
        self._db = self._pooled.driver_connection
        # WAL: readers in other sessions see the last committed state while a refresh
        # function writes, and a refresh function can roll back; no fsync during the run.
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = OFF")
        self.prepare_connection(self._db)

    def load_table(self, table: Table, files: Sequence[Path], data_format: str) -> int:
        """Recreate the table with its keys, insert in batches, then index and analyze."""

        self._db.execute(f"DROP TABLE IF EXISTS {table.name}")
        self._db.execute(create_table_sql(table, "sqlite", self.type_overrides, primary_key=True))
        insert = f"INSERT INTO {table.name} VALUES ({', '.join('?' * len(table.columns))})"
        with self._db:
            for batch in _batches(files, data_format):
                self._db.executemany(insert, _python_rows(batch))
        for number, key in enumerate(table.foreign_keys):
            self._db.execute(f"CREATE INDEX {table.name}_fk{number} ON {table.name} ({', '.join(key)})")
        self._db.execute(f"ANALYZE {table.name}")
        return self._db.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0]

    def execute(self, sql: str) -> list[tuple[Any, ...]]:
        """Execute and fetch every row."""
        return self._db.execute(sql).fetchall()

    def session(self) -> Adapter:
        """Another connection to the same database file (usable from a stream's thread)."""
        import sqlite3

        other = Adapter(self.config)
        other._db = sqlite3.connect(self._path, check_same_thread=False)
        self.prepare_connection(other._db)
        return other

    def run_transaction(self, statements: Sequence[str], staged: Mapping[str, Any]) -> None:
        """One transaction: each staged Arrow table is copied into a temporary table of its name
        (with the loader's value conversions), then the statements run; the temporary tables
        are dropped when it ends, committed or not."""
        try:
            with self._db:
                for name, rows in staged.items():
                    temporary = staged_table(name, rows.schema)
                    self._db.execute(f"DROP TABLE IF EXISTS temp.{name}")
                    self._db.execute(
                        create_table_sql(temporary, "sqlite", self.type_overrides, verb="CREATE TEMP TABLE")
                    )
                    marks = ", ".join("?" * rows.num_columns)
                    for batch in rows.to_batches():
                        self._db.executemany(f"INSERT INTO temp.{name} VALUES ({marks})", _python_rows(batch))
                for statement in statements:
                    self._db.execute(statement)
        finally:
            for name in staged:
                self._db.execute(f"DROP TABLE IF EXISTS temp.{name}")

    @classmethod
    def prepare_connection(cls, connection: Any) -> None:
        """Register the aggregate functions the benchmarks use that SQLite does not have."""
        if hasattr(connection, "create_aggregate"):
            connection.create_aggregate("stddev_samp", 1, _StddevSamp)

    def reuse_problem(self) -> str | None:
        """A file of the user's keeps its tables; the default temporary file is removed after the run."""
        if self.config.database in (None, ":memory:"):
            return f"with platform.database={self.config.database!r} the tables end with the run"
        return None

    def load_stamp(self) -> str | None:
        """The stamp row, if the table exists (a file loaded by an older benchbox has none)."""
        query = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?"
        if not self._db.execute(query, [LOAD_STAMP_TABLE]).fetchone()[0]:
            return None
        rows = self._db.execute(f"SELECT stamp FROM {LOAD_STAMP_TABLE}").fetchall()
        return rows[0][0] if len(rows) == 1 else None

    def keep_load_stamp(self, stamp: str | None) -> None:
        """Replace the stamp table (dropped for None) in one transaction."""
        with self._db:
            self._db.execute(f"DROP TABLE IF EXISTS {LOAD_STAMP_TABLE}")
            if stamp is not None:
                self._db.execute(f"CREATE TABLE {LOAD_STAMP_TABLE} (stamp TEXT)")
                self._db.execute(f"INSERT INTO {LOAD_STAMP_TABLE} VALUES (?)", [stamp])

    def interrupt(self) -> None:
        """``sqlite3_interrupt``: safe from another thread."""
        self._db.interrupt()

    def versions(self) -> dict[str, str]:
        """The SQLite library version and the SQLAlchemy package's version."""
        import sqlite3

        return {
            "engine_version": sqlite3.sqlite_version,
            "driver": "sqlalchemy",
            "driver_version": package_version("sqlalchemy"),
        }

    def close(self) -> None:
        """Close the connection and remove a temporary database file."""
        if getattr(self, "_pooled", None) is not None:
            self._pooled.close()
            self._engine.dispose()
        elif getattr(self, "_db", None) is not None:  # a session's own connection
            self._db.close()
        if getattr(self, "_temporary", None) is not None:
            self._temporary.unlink(missing_ok=True)


class _StddevSamp:
    """``STDDEV_SAMP``, which SQLite lacks: the sample standard deviation by Welford's method
    (numerically stable in one pass); NULL for fewer than two values, as in DuckDB."""

    def __init__(self) -> None:
        self.count, self.mean, self.m2 = 0, 0.0, 0.0

    def step(self, value: Any) -> None:
        if value is None:
            return
        self.count += 1
        delta = float(value) - self.mean
        self.mean += delta / self.count
        self.m2 += delta * (float(value) - self.mean)

    def finalize(self) -> float | None:
        return (self.m2 / (self.count - 1)) ** 0.5 if self.count > 1 else None


def _python_rows(batch: Any) -> Any:
    """A record batch as rows SQLite stores: decimals as floats, dates as ISO text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arrays = []
    for array in batch.columns:
        if pa.types.is_decimal(array.type):
            array = pc.cast(array, pa.float64())
        elif pa.types.is_date(array.type):
            array = pc.cast(array, pa.string())
        arrays.append(array.to_pylist())
    return zip(*arrays, strict=True)


def _batches(files: Sequence[Path], data_format: str) -> Any:
    """Yield Arrow record batches of the files, decimals and dates still typed."""
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    for file in files:
        if data_format == "parquet":
            yield from pq.ParquetFile(file).iter_batches(batch_size=_BATCH_ROWS)
        else:
            yield from pcsv.open_csv(file)
