"""``queries.csv`` and ``queries.parquet``: the executions table in the formats tools read directly."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from benchbox.atomic import write_atomic, write_bytes_atomic

if TYPE_CHECKING:
    import pyarrow as pa  # the callers hold a table already: importing this module costs no pyarrow


def write_csv(table: pa.Table, path: Path) -> Path:
    """Write ``table`` as CSV with a header row, atomically."""
    return write_bytes_atomic(path, csv_bytes(table))


def write_parquet(table: pa.Table, path: Path) -> Path:
    """Write ``table`` as Parquet (zstd), atomically."""
    return write_atomic(path, parquet_writer(table))


def csv_bytes(table: pa.Table) -> bytes:
    """``table`` as CSV with a header row."""
    import pyarrow.csv as pcsv

    buffer = io.BytesIO()
    pcsv.write_csv(table, buffer)
    return buffer.getvalue()


def parquet_writer(table: pa.Table) -> Callable[[BinaryIO], None]:
    """What writes ``table`` as Parquet (zstd) into an open file."""
    import pyarrow.parquet as pq

    return lambda handle: pq.write_table(table, handle, compression="zstd")
