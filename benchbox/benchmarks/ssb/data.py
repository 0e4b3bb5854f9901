"""SSB data: TPC-H's tables of the same scale factor, turned into SSB's five by one DuckDB script
(``transform.sql``), written as Parquet (the cache is ``benchbox.benchmarks.datacache``).

The TPC-H data comes from the tpch benchmark's own generator, reached through the benchmark
registry (a benchmark imports no other): ``generate`` asks it for TPC-H at the same scale
factor into a folder inside the staging folder, transforms, and deletes that folder, so
the cache keeps only SSB's five files. It cannot take the TPC-H dataset already cached
under ``<data_dir>/tpch/``: ``Benchmark.generate`` is given the staging folder only, not the
data cache (docs/benchmarks/ssb.md, "The data").
"""

from __future__ import annotations

import shutil
from importlib.resources import files
from pathlib import Path

from benchbox.benchmarks.base import DataSize
from benchbox.benchmarks.datacache import Generated, Notify
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
SOURCE_FILES = 362_000_000
"""Bytes per unit of the TPC-H Parquet files it is made from (362 MB at SF 1): they sit in the
staging folder next to SSB's until the transformation ends, so the disk must hold both."""
MEMORY = (2_000_000, 766_000_000)
"""Bytes of the tables in memory, fixed and per unit: DuckDB's in-memory tables measured 9.9 MB at
SF 0.01, 80.7 MB at 0.1, 770 MB at 1, 2.30 GB at 3 (the estimate: -3 % to 0 %)."""


def transform_sql(tpch: Path) -> str:
    """The transformation script, reading TPC-H's Parquet files in ``tpch``."""
    script = (files(__package__) / "transform.sql").read_text(encoding="utf-8")
    return script.replace("{tpch}", tpch.as_posix().replace("'", "''"))


def generate(scale_factor: float, staging: Path, notify: Notify) -> Generated:
    """TPC-H at ``scale_factor`` into ``staging/tpch-source``, SSB's five tables from it into
    ``staging``, then the TPC-H folder removed."""
    from benchbox import benchmarks

    source = benchmarks.get(SOURCE)
    tpch = source(source.Config(scale_factor=scale_factor, data_format="parquet"))
    folder = staging / "tpch-source"
    folder.mkdir()
    try:
        notify(f"generating {tpch.title} {tpch.config.label} parquet data to derive SSB's from")
        made = tpch.generate(folder, notify)
        written = {t: made.files.get(t) or [] for t in SOURCE_TABLES}
        missing = [t for t, paths in written.items() if not (paths and all(Path(f).is_file() for f in paths))]
        if missing:
            what = f"the {', '.join(missing)} table"
            raise DataError(f"{made.generator['name']} did not write {what} into {folder}")
        notify("deriving the SSB tables from TPC-H's (DuckDB)")
        derive(folder, staging, spill=folder / "duckdb-spill")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return Generated(
        files={t.name: [staging / f"{t.name}.parquet"] for t in TABLES},
        generator={
            "name": f"{made.generator['name']} + benchbox ssb transform.sql",
            "version": f"{made.generator['version']}+{TRANSFORM}",
        },
        facts={"scale_factor": scale_factor, "data_format": "parquet", "source": SOURCE},
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
    TPC-H data it is made from is generated into the staging folder first and deleted after (2.6
    times SSB's files), so the disk must hold both for a while: ``files`` counts both, the most
    the generation needs, which the generate phase checks against the free disk."""
    ssb, memory = (round(fixed + unit * scale_factor) for fixed, unit in (FILES, MEMORY))
    return DataSize(ssb + round(SOURCE_FILES * scale_factor), memory, "benchmark.scale_factor")
