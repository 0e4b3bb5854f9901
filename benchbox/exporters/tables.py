"""``queries.csv`` and ``queries.parquet``: the executions table in the formats tools read directly."""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa

from benchbox.atomic import write_atomic, write_bytes_atomic


def write_csv(table: pa.Table, path: Path) -> Path:
    """Write ``table`` as CSV with a header row, atomically."""
    import pyarrow.csv as pcsv

    buffer = io.BytesIO()
    pcsv.write_csv(table, buffer)
    return write_bytes_atomic(path, buffer.getvalue())


def write_parquet(table: pa.Table, path: Path) -> Path:
    """Write ``table`` as Parquet (zstd), atomically."""
    import pyarrow.parquet as pq

    return write_atomic(path, lambda handle: pq.write_table(table, handle, compression="zstd"))
