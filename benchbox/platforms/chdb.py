"""chDB: ClickHouse embedded in the benchbox process (``import chdb``), one session per run.

Each table is created with the benchmark's types (``Int32``, ``Int64``,
``Decimal(15,2)``, ``Date32``, ``String``, each ``Nullable(...)`` where the column may
hold NULL) in a Memory (or MergeTree) table and filled
by ClickHouse's own ``file()`` reader from the cached Parquet or CSV files.

Plain dialect translation gives silently wrong answers on ClickHouse, so the session
and the transforms below restore the canonical (DuckDB) semantics:

- ``join_use_nulls = 1``: otherwise an outer join fills the missing side with
  default values (0, ''), and Q13's ``count(o_orderkey)`` counts customers without
  orders as having one.
- ``aggregate_functions_null_for_empty = 1``: otherwise ``sum`` over no rows is 0,
  not NULL (TPC-H Q17 at SF 0.01 has no qualifying rows: the answer is NULL).
- ``group_by_use_nulls = 1``: otherwise the subtotal rows of ``ROLLUP`` carry ``''`` and
  ``0`` where SQL has NULL.
- ``SELECT t.c`` names its column ``t.c`` in ClickHouse, ``c`` in SQL, and
  ``stddev_samp`` of one value is NaN, not NULL: two transforms restore both.
- A numeric literal with a decimal point is a ``Float64`` in ClickHouse and a
  ``DECIMAL`` in DuckDB: ``0.06 + 0.01`` becomes 0.0699..., and Q6's ``BETWEEN``
  drops every 0.07 discount. Such literals become exact ``Decimal(18, s)`` casts.
- ``Decimal / Decimal`` keeps the dividend's scale in ClickHouse (Q8's market share
  would be cut to four digits); in DuckDB it is a ``DOUBLE``, so both operands of
  ``/`` are cast to ``Float64``.
- sqlglot writes a cast from another dialect as ``CAST(x AS Nullable(T))``; a cast
  of a literal (``date '1995-01-01'``) is never NULL, so it stays ``CAST(x AS T)``.

Correlated subqueries (Q2, Q4, Q17, Q20, Q21, Q22) run as written: ClickHouse
decorrelates them itself. ``INTERVAL`` arithmetic on ``Date`` matches DuckDB's
(month ends are clamped).

A running query is cancelled from another thread with ``KILL QUERY`` sent on a
second session of the same embedded server, matched by a ``log_comment`` unique to
the run's session; ``max_execution_time`` is the engine-side limit for timeouts.
A query that fails mid-output leaves bytes in chDB's result buffer; they are
drained before the next statement (see ``Adapter._drain``).
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from benchbox.benchmarks.schema import Table
from benchbox.errors import PlatformError
from benchbox.platforms.base import Adapter as BaseAdapter
from benchbox.platforms.base import Capabilities, folder_problem, package_version
from benchbox.platforms.types import column_definitions, column_type

if TYPE_CHECKING:
    from sqlglot import exp
else:
    from benchbox.platforms.base import lazy_exp as exp  # sqlglot on the first transform, not on import

_TYPES = {"DATE": "Date32"}
"""Where sqlglot's ClickHouse types are not the ones wanted: ``Date`` holds only 1970 to 2149, too
little for a date dimension that starts in 1900; ``Date32`` holds 1900 to 2299."""
_FORMATS = {"parquet": "Parquet", "csv": "CSVWithNames"}
_TIMEOUT_EXCEEDED = "(TIMEOUT_EXCEEDED)"
_MAX_DECIMAL64_DIGITS = 18
_DRAIN_QUERY = "SELECT 1 SETTINGS max_execution_time = 0"
_DRAIN_ATTEMPTS = 3
_SIZE = re.compile(r"^(\d+(?:\.\d+)?)\s*([KMGT])(i?)B$")


class Config(BaseModel):
    """``platform/chdb.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Literal["chdb"] = "chdb"
    path: str | None = Field(
        None,
        pattern=r"^[^?]+$",
        description="use a folder path (without '?') for the chDB database, or null for a temporary folder",
    )
    table_engine: Literal["MergeTree", "Memory"] = Field(
        "Memory", description="use 'Memory' (kept in RAM) or 'MergeTree' (sorted by primary key, on disk)"
    )
    """Memory by default: at TPC-H SF 1 MergeTree tables made the run 2.35x a hand-written loop
    on Memory tables (load 13.0 s vs 2.0 s, queries 99.6 s vs 38.4 s; docs/performance.md)."""
    max_threads: int | None = Field(
        None, ge=1, description="use a whole number >= 1, or null for ClickHouse's default (all cores)"
    )
    max_memory_usage: str | None = Field(
        None,
        pattern=_SIZE.pattern,
        description="use a size such as '512MB', '4GB' or '1.5GiB', or null for no limit",
    )

    @field_validator("path")
    @classmethod
    def _usable_folder(cls, value: str | None) -> str | None:
        """The folder is created at connect; a file there, or a place where no folder can be made,
        is refused now rather than by a traceback in the load phase."""
        problem = folder_problem(Path(value)) if value is not None else None
        if problem:
            raise ValueError(problem)
        return value


def size_bytes(size: str) -> int:
    """``'4GB'`` -> 4000000000, ``'1GiB'`` -> 1073741824: ClickHouse's memory settings take bytes."""
    match = _SIZE.fullmatch(size)
    if match is None:
        raise ValueError(f"not a size such as '512MB' or '4GiB': {size!r}")
    number, unit, binary = match.groups()
    base = 1024 if binary else 1000
    return int(float(number) * base ** ("KMGT".index(unit) + 1))


def clickhouse_type(kind: str, nullable: bool = False) -> str:
    """The ClickHouse column type of a canonical one; ``Nullable(...)`` for a column that may hold
    NULL (otherwise ClickHouse stores a NULL as 0 or '', and answers are silently wrong).

    Raises:
        ValueError: ``kind`` is not a canonical type.
    """
    return column_type(kind, "clickhouse", nullable, _TYPES)


def structure(table: Table) -> str:
    """The table's columns as a ClickHouse structure: ``name Type, ...``."""
    return ", ".join(f"{name} {kind}" for name, kind in column_definitions(table, "clickhouse", _TYPES))


def _string(text: str) -> str:
    """A ClickHouse string literal."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _not_null(kind: str) -> exp.DataType:
    dtype = exp.DataType.build(kind, dialect="clickhouse")
    dtype.set("nullable", False)
    return dtype


def exact_decimal_literals(node: exp.Expression) -> exp.Expression:
    """``0.06`` -> ``CAST('0.06' AS Decimal(18, 2))``: exact, as the canonical dialect reads it."""
    if not (isinstance(node, exp.Literal) and not node.is_string and "." in node.name):
        return node
    if isinstance(node.parent, exp.Cast):
        return node
    text = node.name.lower()
    if "e" in text:  # scientific notation is a double in DuckDB too
        return node
    whole, fraction = text.lstrip("+-").split(".")
    digits = len(whole.lstrip("0")) + len(fraction)
    precision = _MAX_DECIMAL64_DIGITS if digits <= _MAX_DECIMAL64_DIGITS else 38
    return exp.Cast(this=exp.Literal.string(text), to=_not_null(f"Decimal({precision}, {len(fraction)})"))


def float_division(node: exp.Expression) -> exp.Expression:
    """``a / b`` -> ``toFloat64(a) / toFloat64(b)``: DuckDB's ``/`` is a float division, ClickHouse's
    keeps a decimal dividend's scale (``0.30 / 7.00`` is ``0.04``). ``toFloat64`` keeps NULLs."""
    if not isinstance(node, exp.Div) or node.args.get("typed"):
        return node
    return exp.Div(
        this=exp.Anonymous(this="toFloat64", expressions=[node.this]),
        expression=exp.Anonymous(this="toFloat64", expressions=[node.expression]),
    )


def name_qualified_columns(node: exp.Expression) -> exp.Expression:
    """``SELECT v1.d_year`` -> ``SELECT v1.d_year AS d_year``: ClickHouse names such a column
    ``v1.d_year``, so an outer query's ``d_year`` would not find it (SQL names it ``d_year``)."""
    if not isinstance(node, exp.Select):
        return node
    for i, projection in enumerate(node.expressions):
        qualified = isinstance(projection, exp.Column) and projection.table
        if qualified and not isinstance(projection.this, exp.Star):
            node.expressions[i] = exp.alias_(projection, projection.name)
    return node


def stddev_of_one_is_null(node: exp.Expression) -> exp.Expression:
    """``stddev_samp(x)`` -> ``if(count(x) > 1, stddev_samp(x), NULL)``: ClickHouse returns NaN for
    a single value, DuckDB (and the SQL standard) NULL."""
    if not isinstance(node, exp.StddevSamp) or isinstance(node.parent, exp.If):
        return node
    many = exp.GT(this=exp.Count(this=node.this.copy()), expression=exp.Literal.number(1))
    return exp.If(this=many, true=node.copy(), false=exp.Null())


def literal_casts_not_nullable(node: exp.Expression) -> exp.Expression:
    """``date '1995-01-01'`` stays ``CAST('1995-01-01' AS Date)``, not ``Nullable(Date)``."""
    if (
        isinstance(node, exp.Cast)
        and isinstance(node.this, exp.Literal)
        and node.to.args.get("nullable") is None
    ):
        node.to.set("nullable", False)
    return node


class Adapter(BaseAdapter):
    """chDB through its Python session API; results come back as Arrow, converted to rows."""

    name = "chdb"
    extra = "chdb"
    driver = "chdb"
    capabilities = Capabilities(
        dialect="clickhouse", storage="file", transactions=False, concurrent_sessions=True, cancel=True
    )
    transforms = (
        exact_decimal_literals,
        float_division,
        literal_casts_not_nullable,
        name_qualified_columns,
        stddev_of_one_is_null,
    )
    type_overrides = _TYPES
    in_memory_when = ("table_engine", "Memory")
    config: Config

    def connect(self) -> None:
        """Open the session (and a second one, for ``KILL QUERY``) and apply the settings."""
        self.import_driver()
        session = self.import_driver("chdb.session")
        self._temporary: Path | None = None
        path = self.config.path
        if path is None:
            self._temporary = Path(tempfile.mkdtemp(prefix="benchbox-chdb-"))
            path = str(self._temporary)
        path = str(Path(path).resolve())
        Path(path).mkdir(parents=True, exist_ok=True)
        # The embedded server serves one path per process; a second session on it
        # can kill the first one's query while that query holds the first's lock.
        try:
            self._session = session.Session(path)
            self._killer = session.Session(path)
        except RuntimeError as exc:
            if "already initialized" not in str(exc):
                raise
            raise PlatformError(
                f"platform=chdb cannot open {path}: this process already has a chDB database open at "
                "another path (chDB serves one per process); close it, or use the same platform.path"
            ) from exc
        self._stale = False
        self._tag = f"benchbox-{uuid.uuid4().hex}"
        settings = {
            "join_use_nulls": "1",
            "aggregate_functions_null_for_empty": "1",
            "group_by_use_nulls": "1",
            "log_comment": _string(self._tag),
        }
        if self.config.max_threads is not None:
            settings["max_threads"] = str(self.config.max_threads)
        if self.config.max_memory_usage is not None:
            settings["max_memory_usage"] = str(size_bytes(self.config.max_memory_usage))
        self._query("SET " + ", ".join(f"{key} = {value}" for key, value in settings.items()))

    def load_table(self, table: Table, files: Sequence[Path], data_format: str) -> int:
        """Recreate the table with canonical types and fill it with ``file()``, one file at a time.

        A MergeTree table left in several parts (several files, or more rows than one
        insert block) is merged into one now, so background merges never run during,
        and compete with, the timed queries.
        """
        merge_tree = self.config.table_engine == "MergeTree"
        engine = f"MergeTree ORDER BY ({', '.join(table.primary_key)})" if merge_tree else "Memory"
        self._query(f"DROP TABLE IF EXISTS {table.name} SYNC")
        self._query(f"CREATE TABLE {table.name} ({structure(table)}) ENGINE = {engine}")
        columns = _string(structure(table))
        for file in files:
            source = f"file({_string(str(Path(file).resolve()))}, {_FORMATS[data_format]}, {columns})"
            self._query(f"INSERT INTO {table.name} SELECT * FROM {source}")
        if merge_tree and self._parts(table.name) > 1:
            self._query(f"OPTIMIZE TABLE {table.name} FINAL")
        return self._rows(f"SELECT count() FROM {table.name}")[0][0]

    def _parts(self, table: str) -> int:
        """How many active data parts a MergeTree table has."""
        sql = "SELECT count() FROM system.parts WHERE database = currentDatabase() AND active AND table = "
        return self._rows(sql + _string(table))[0][0]

    def execute(self, sql: str) -> list[tuple[Any, ...]]:
        """Run the query with Arrow output and turn the Arrow table into rows of Python values."""
        return self._rows(sql)

    def _rows(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows of Python values from the Arrow table chDB returns, converted column by column."""
        result = self._query(sql, "ArrowTable")
        return list(zip(*(column.to_pylist() for column in result.columns), strict=True))

    def _query(self, sql: str, output: str = "CSV") -> Any:
        """Run one statement; after a failure, clear what it left behind (see ``_drain``)."""
        if self._stale:
            self._drain()
        try:
            return self._session.query(sql, output)
        except Exception:
            with contextlib.suppress(Exception):  # the statement's own error is the one to report
                self._drain()
            raise

    def _drain(self) -> None:
        """Discard what a failed query left in the session's output buffer.

        A query that fails after its Arrow output has begun (a timeout, a kill, an
        error while executing) leaves those bytes in chDB's buffer, and they come back
        in front of the next statement's output, so the next query's result cannot be
        read (or, worse, could be read as the failed query's rows). A throwaway
        ``SELECT 1`` takes them; it is repeated until it returns just its own ``1``.
        """
        self._stale = True
        for _ in range(_DRAIN_ATTEMPTS):
            try:
                output = self._session.query(_DRAIN_QUERY, "CSV").bytes()
            except RuntimeError:  # stale bytes may even fail to decode: they are gone all the same
                continue
            if output.strip() == b"1":
                self._stale = False
                return

    def apply_timeout(self, timeout_s: float | None) -> None:
        """``max_execution_time``: ClickHouse stops the query itself (0 means no limit)."""
        self._query(f"SET max_execution_time = {timeout_s or 0!r}")

    def is_timeout(self, error: Exception) -> bool:
        """ClickHouse's ``TIMEOUT_EXCEEDED`` (code 159) is ``max_execution_time`` striking."""
        return _TIMEOUT_EXCEEDED in str(error)

    def interrupt(self) -> None:
        """``KILL QUERY`` on the second session, for this session's queries only (by their
        ``log_comment``). ``ASYNC``: the watchdog's thread never waits for the query to stop."""
        killer = getattr(self, "_killer", None)
        if killer is None:  # not connected yet, or closed: nothing runs
            return
        with contextlib.suppress(RuntimeError):  # must not end the watchdog; max_execution_time remains
            killer.query(f"KILL QUERY WHERE Settings['log_comment'] = {_string(self._tag)} ASYNC")

    def versions(self) -> dict[str, str]:
        """ClickHouse's version inside chDB and the chdb package's version."""
        return {
            "engine_version": self._rows("SELECT version()")[0][0],
            "driver": "chdb",
            "driver_version": package_version("chdb"),
        }

    def close(self) -> None:
        """Close both sessions and remove a temporary database folder."""
        for name in ("_killer", "_session"):
            session = getattr(self, name, None)
            if session is not None:
                session.close()
                setattr(self, name, None)
        if getattr(self, "_temporary", None) is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)
            self._temporary = None
