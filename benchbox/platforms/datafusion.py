"""Apache DataFusion, embedded through datafusion-python: one ``SessionContext`` per run.

The canonical (DuckDB-dialect) SQL runs untranslated: the context's SQL parser is
switched to sqlparser's DuckDB dialect, and DataFusion plans all 22 TPC-H queries
as written. Decimal literals are parsed as decimals (DataFusion's default is
binary floats, which turns ``0.06 + 0.01`` into 0.0699...), so arithmetic on
money stays exact, as in DuckDB.

Tables get the benchmark's types (an Arrow schema built from the canonical ones; an
integer the Parquet files hold wider keeps the files' type, see ``scan_schema``), either
registered over the cached files (``load: register``, every query scans them) or read once
into memory tables (``load: memory``).

A blocking ``collect`` can only be stopped by a signal in the main thread, so
queries are driven from an asyncio loop instead: the watchdog's ``interrupt()``
cancels the task awaiting the result stream, and dropping the stream aborts
DataFusion's execution tasks.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from benchbox.benchmarks import schema
from benchbox.benchmarks.schema import Table
from benchbox.errors import DriverMissingError
from benchbox.platforms.base import Adapter as BaseAdapter
from benchbox.platforms.base import Capabilities, package_version

if TYPE_CHECKING:
    import asyncio

    import pyarrow as pa

MINIMUM_MAJOR = 50
"""Older releases fail here: 43 cannot iterate a result stream asynchronously (so no cancel),
44 cannot read tpchgen-cli's Parquet page indexes. 50.1 and 55.0 are verified."""


class Config(BaseModel):
    """``platform/datafusion.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Literal["datafusion"] = "datafusion"
    load: Literal["register", "memory"] = Field(
        "register",
        description="use 'register' (query the cached files in place) or 'memory' (read them into memory)",
    )
    target_partitions: int | None = Field(
        None, ge=1, description="use a whole number >= 1, or null for one partition per core"
    )


class QueryCancelled(RuntimeError):
    """The running query was cancelled by ``interrupt()`` (a timeout or Ctrl-C)."""


def check_version(version: str) -> None:
    """Refuse a datafusion release older than the oldest one verified with this adapter."""
    if int(version.split(".")[0]) < MINIMUM_MAJOR:
        raise DriverMissingError(
            f"platform=datafusion needs datafusion>={MINIMUM_MAJOR}, found {version}: "
            f"run `pip install -U 'datafusion>={MINIMUM_MAJOR}'`"
        )


def arrow_type(kind: str) -> pa.DataType:
    """The Arrow type DataFusion stores a canonical column type as.

    VARCHAR is ``string_view``, what DataFusion reads Parquet strings as by default.
    """
    import pyarrow as pa

    canonical = schema.arrow_type(kind)
    return pa.string_view() if canonical == pa.string() else canonical


def arrow_schema(table: Table) -> pa.Schema:
    """The table's canonical columns as an Arrow schema (casts the files' own types on read)."""
    import pyarrow as pa

    return pa.schema([pa.field(c.name, arrow_type(c.type), nullable=c.nullable) for c in table.columns])


def scan_schema(table: Table, have: pa.Schema) -> pa.Schema:
    """The schema Parquet files with schema ``have`` are registered with: the canonical one, except
    that a column the files hold as a wider integer keeps the files' type (``schema.wider_integer``:
    casting tpchgen-cli's int64 keys down on every scan cost 20 % over the raw loop at SF 1, Q18
    2.4-3.0 s against 0.8-1.3 s)."""
    import pyarrow as pa

    fields = []
    for field in arrow_schema(table):
        held = have.field(field.name).type if field.name in have.names else None
        wider = held is not None and schema.wider_integer(held, field.type)
        fields.append(field.with_type(held) if wider else field)
    return pa.schema(fields)


class Adapter(BaseAdapter):
    """DataFusion in process; queries are awaited on an asyncio loop so that they can be cancelled."""

    name = "datafusion"
    extra = "datafusion"
    driver = "datafusion"
    capabilities = Capabilities(
        dialect="duckdb", storage="file", transactions=False, concurrent_sessions=True, cancel=True
    )
    in_memory_when = ("load", "memory")
    config: Config

    def connect(self) -> None:
        """Create the session: DuckDB SQL dialect, decimal literals, the partition count."""
        import asyncio

        datafusion = self.import_driver()
        check_version(datafusion.__version__)
        settings = datafusion.SessionConfig(
            {
                "datafusion.sql_parser.dialect": "duckdb",
                "datafusion.sql_parser.parse_float_as_decimal": "true",
                # DuckDB's NULL order: last, ascending or descending (DataFusion's default
                # puts them first in a descending sort).
                "datafusion.sql_parser.default_null_ordering": "nulls_last",
            }
        )
        if self.config.target_partitions is not None:
            settings = settings.with_target_partitions(self.config.target_partitions)
        self._ctx = datafusion.SessionContext(settings)
        self._loop = asyncio.new_event_loop()
        self._lock = threading.Lock()
        self._task: asyncio.Task[list[Any]] | None = None
        self._interrupted = False

    def load_table(self, table: Table, files: Sequence[Path], data_format: str) -> int:
        """Register the files with the canonical schema (see ``scan_schema``); for ``memory``, read
        them into a memory table."""
        paths = [str(file) for file in files]
        if data_format == "csv":
            schema = arrow_schema(table)
        else:
            import pyarrow.parquet as pq

            schema = scan_schema(table, pq.read_schema(paths[0]))
        self._ctx.deregister_table(table.name)
        if self.config.load == "memory":
            frame = self._read(paths, data_format, schema)
            self._ctx.register_record_batches(table.name, frame.collect_partitioned())
        elif data_format == "csv":
            self._ctx.register_csv(table.name, paths, schema=schema, has_header=True)
        elif len(paths) == 1:
            self._ctx.register_parquet(table.name, paths[0], schema=schema)
        else:
            self._ctx.register_view(table.name, self._read(paths, data_format, schema))
        return self._ctx.sql(f"SELECT count(*) FROM {table.name}").collect()[0].column(0)[0].as_py()

    def _read(self, paths: list[str], data_format: str, schema: pa.Schema) -> Any:
        """The files as one DataFusion DataFrame (Parquet files one by one, unioned)."""
        if data_format == "csv":
            return self._ctx.read_csv(paths, schema=schema, has_header=True)
        frames = [self._ctx.read_parquet(path, schema=schema) for path in paths]
        frame = frames[0]
        for other in frames[1:]:
            frame = frame.union(other)
        return frame

    def execute(self, sql: str) -> list[tuple[Any, ...]]:
        """Plan, then await the result stream on the loop; fetch every row as Python values.

        Raises:
            QueryCancelled: ``interrupt()`` was called while the query ran.
        """
        import asyncio

        with self._lock:
            self._interrupted = False
        frame = self._ctx.sql(sql)
        with self._lock:
            if self._interrupted:
                raise QueryCancelled("query cancelled before it started")
            task = self._task = self._loop.create_task(_collect(frame))
        try:
            batches = self._loop.run_until_complete(task)
        except asyncio.CancelledError:
            raise QueryCancelled("query cancelled") from None
        except BaseException:  # Ctrl-C while awaiting: stop the query before leaving
            task.cancel()
            self._loop.run_until_complete(asyncio.gather(task, return_exceptions=True))
            raise
        finally:
            with self._lock:
                self._task = None
        return _rows(batches)

    def interrupt(self) -> None:
        """Cancel the task awaiting the running query (thread-safe: runs on the loop)."""
        with self._lock:
            self._interrupted = True
            if self._task is not None:
                self._loop.call_soon_threadsafe(self._task.cancel)

    def versions(self) -> dict[str, str]:
        """DataFusion's own version (``SELECT version()``) and the datafusion package's version."""
        text = self._ctx.sql("SELECT version()").collect()[0].column(0)[0].as_py()
        number = re.search(r"\d+\.\d+\.\d+", text)
        return {
            "engine_version": number[0] if number else text,
            "driver": "datafusion",
            "driver_version": package_version("datafusion"),
        }

    def close(self) -> None:
        """Drop the session (and with it any memory tables) and close the loop."""
        loop = getattr(self, "_loop", None)
        if loop is not None:
            loop.close()
        self._ctx = None


async def _collect(frame: Any) -> list[Any]:
    """Start the query and await every record batch; cancelling this drops the stream."""
    stream = frame.execute_stream()
    batches = []
    try:
        async for batch in stream:
            batches.append(batch)
    finally:
        del stream  # a traceback that keeps this frame must not keep the query running
    return batches


def _rows(batches: list[Any]) -> list[tuple[Any, ...]]:
    """Record batches as row tuples of Python values (Decimal, date, int, str), column by column.

    Batch by batch, because batches of one stream may differ in declared nullability,
    which ``pyarrow.Table.from_batches`` refuses.
    """
    rows: list[tuple[Any, ...]] = []
    for batch in batches:
        columns = [column.to_pylist() for column in batch.to_pyarrow().columns]
        rows.extend(zip(*columns, strict=True))
    return rows
