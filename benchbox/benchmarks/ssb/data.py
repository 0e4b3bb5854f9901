"""SSB data: TPC-H's tables of the same scale factor, turned into SSB's five by one DuckDB script
(``transform.sql``), written as Parquet (the cache is ``benchbox.benchmarks.datacache``).

The TPC-H data is the data cache's own TPC-H Parquet dataset of that scale factor
(``SSB.sources``): the cache finds it, or generates it with the tpch benchmark's generator,
under its own lock, before SSB's is made; the cache then keeps both (a TPC-H run at that
scale reuses it). The tpch benchmark is reached through the registry: a benchmark imports
no other.
"""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

from benchbox.benchmarks.base import Benchmark, DataSize
from benchbox.benchmarks.datacache import Dataset, Generated, Notify
from benchbox.benchmarks.ssb.schema import TABLES
from benchbox.errors import DataError

TRANSFORM = "1"
"""The version of ``transform.sql``, in the manifest: raise it when the script's output changes."""
SOURCE = "tpch"
"""The benchmark whose data SSB's is made from."""
SOURCE_TABLES = ("nation", "region", "customer", "supplier", "part", "partsupp", "orders", "lineitem")
"""The TPC-H tables the script reads."""

FILES = (0, 141_500_000)
"""Parquet bytes of the five tables: fixed, and per unit of scale factor. Measured (DuckDB 2.0.1's
writer, zstd; tpchgen-cli 4.0.0's data): 1.25 MB at SF 0.01, 13.7 MB at 0.1, 140 MB at 1, 428 MB
at 3; the estimate is within 4 % of those from SF 0.1 up (+13 % at SF 0.01)."""
MEMORY = (2_000_000, 766_000_000)
"""Bytes of the tables in memory, fixed and per unit: DuckDB's in-memory tables measured 9.9 MB at
SF 0.01, 80.7 MB at 0.1, 770 MB at 1, 2.30 GB at 3 (the estimate: -3 % to 0 %)."""


def transform_sql(tpch: Path) -> str:
    """The transformation script, reading TPC-H's Parquet files in ``tpch``."""
    script = (files(__package__) / "transform.sql").read_text(encoding="utf-8")
    return script.replace("{tpch}", tpch.as_posix().replace("'", "''"))


def source_benchmark(scale_factor: float) -> Benchmark:
    """The TPC-H benchmark (Parquet data) whose tables SSB's at ``scale_factor`` are made from."""
    from benchbox import benchmarks

    source = benchmarks.get(SOURCE)
    return source(source.Config(scale_factor=scale_factor, data_format="parquet"))


def generate(scale_factor: float, staging: Path, notify: Notify, tpch: Dataset) -> Generated:
    """SSB's five tables into ``staging`` from the cached TPC-H dataset ``tpch``."""
    missing = [t for t in SOURCE_TABLES if t not in tpch.manifest["tables"]]
    if missing:
        raise DataError(f"the TPC-H data in {tpch.path} has no {', '.join(missing)} table")
    folders = {file.parent for table in SOURCE_TABLES for file in tpch.files(table)}
    if len(folders) != 1:
        raise DataError(f"the TPC-H data in {tpch.path} is not one file per table in one folder")
    notify(f"deriving the SSB tables from the TPC-H data in {tpch.path} (DuckDB)")
    spill = staging / ".duckdb-spill"
    try:
        derive(folders.pop(), staging, spill=spill)
    finally:
        shutil.rmtree(spill, ignore_errors=True)
    generator = tpch.manifest.get("generator") or {}
    return Generated(
        files={t.name: [staging / f"{t.name}.parquet"] for t in TABLES},
        generator={
            "name": f"{generator.get('name')} + benchbox ssb transform.sql",
            "version": f"{generator.get('version')}+{TRANSFORM}",
        },
        facts={
            "scale_factor": scale_factor,
            "data_format": "parquet",
            "source": SOURCE,
            "source_fingerprint": tpch.fingerprint,
        },
    )


def derive(tpch: Path, out: Path, spill: Path | None = None) -> None:
    """Run ``transform.sql`` over the TPC-H Parquet files in ``tpch``; write ``<table>.parquet``
    for each SSB table into ``out``, with the schema's types and NOT NULL. The tables are built in
    an in-memory DuckDB, which moves what does not fit in its memory limit to ``spill`` (by
    default a folder in ``out``; the caller deletes it): at SF 1 it holds 770 MB, and it was
    measured to finish SF 1 within a 300 MB limit.

    Raises:
        DataError: a TPC-H file is missing or unreadable, or the script failed.
    """
    import duckdb

    con = duckdb.connect()
    try:
        spill_dir = (spill or out / ".duckdb-spill").as_posix().replace("'", "''")
        con.execute(f"SET temp_directory = '{spill_dir}'")
        for table in TABLES:  # canonical types are DuckDB types
            columns = ", ".join(f"{c.name} {c.type} NOT NULL" for c in table.columns)
            con.execute(f"CREATE TEMP TABLE {table.name} ({columns})")
        con.execute(transform_sql(tpch))
        for table in TABLES:
            target = (out / f"{table.name}.parquet").as_posix().replace("'", "''")
            con.execute(f"COPY {table.name} TO '{target}' (FORMAT parquet, COMPRESSION zstd)")
    except duckdb.Error as exc:
        raise DataError(f"deriving the SSB tables from the TPC-H data in {tpch} failed: {exc}") from exc
    finally:
        con.close()


def estimated_bytes(scale_factor: float) -> DataSize:
    """What the data of ``scale_factor`` takes on disk and in memory (``FILES``, ``MEMORY``). The
    TPC-H data it is made from is a dataset of its own in the cache, whose generation checks its
    own size first."""
    ssb, memory = (round(fixed + unit * scale_factor) for fixed, unit in (FILES, MEMORY))
    return DataSize(ssb, memory, "benchmark.scale_factor")
