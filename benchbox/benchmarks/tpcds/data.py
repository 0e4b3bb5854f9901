"""TPC-DS data: ``tpcgen-cli tpcds`` writes the 24 tables as Parquet (the cache is
``benchbox.benchmarks.datacache``).

tpcgen-cli's default ``--compat c`` output follows the C dsdgen's. Below SF 1 some
dimensions keep dsdgen's fixed sizes (``customer_demographics`` has 1,920,800 rows at
any scale factor), so even SF 0.01 holds about 2.5 million rows. The generator's own
``dbgen_version`` table is not part of the benchmark and is not loaded.
"""

from __future__ import annotations

from pathlib import Path

from benchbox.benchmarks.base import DataSize
from benchbox.benchmarks.datacache import Generated
from benchbox.benchmarks.datacache import number_label as sf_label
from benchbox.benchmarks.generator import executable, run_generator
from benchbox.benchmarks.tpcds.schema import TABLES

GENERATOR = "tpcgen-cli"

FILES = (25_000_000, 420_000_000)
"""Parquet bytes: fixed, and per unit of scale factor. Measured with tpcgen-cli 4.0.0 (24 tables):
31.0 MB at SF 0.01, 52.0 MB at 0.1, 418 MB at 1, 1.20 GB at 3, 4.20 GB at 10; the estimate is
within 7 % of those, except +29 % at SF 0.1, where the fixed-size dimensions dominate."""
MEMORY = (200_000_000, 705_000_000)
"""Bytes of the tables in memory, fixed and per unit: DuckDB's in-memory tables measured 203 MB at
SF 0.01, 253 MB at 0.1, 965 MB at 1, 2.37 GB at 3 (the estimate: -6 % to +7 %). Arrow holds
about twice as much (1.96 GB at SF 1): the check refuses only what cannot fit."""


def generate(scale_factor: float, staging: Path) -> Generated:
    """Run ``tpcgen-cli tpcds parquet`` into ``staging``: one file per table."""
    exe = executable(GENERATOR, GENERATOR)
    version = run_generator(
        [
            *(exe, "tpcds", "parquet", "--scale-factor", sf_label(scale_factor)),
            *("--output-dir", str(staging), "--tables", ",".join(t.name for t in TABLES), "--quiet"),
        ]
    )
    return Generated(
        files={t.name: [staging / f"{t.name}.parquet"] for t in TABLES},
        generator={"name": GENERATOR, "version": version},
        facts={"scale_factor": scale_factor, "data_format": "parquet"},
    )


def estimated_bytes(scale_factor: float) -> DataSize:
    """What the data of ``scale_factor`` takes on disk and in memory (``FILES``, ``MEMORY``)."""
    files, memory = (round(fixed + unit * scale_factor) for fixed, unit in (FILES, MEMORY))
    return DataSize(files, memory, "benchmark.scale_factor")
