"""TPC-DS data: ``tpcgen-cli tpcds`` writes the 24 tables as Parquet (the cache is
``benchbox.benchmarks.datacache``).

tpcgen-cli's default ``--compat c`` output follows the C dsdgen's. Below SF 1 some
dimensions keep dsdgen's fixed sizes (``customer_demographics`` has 1,920,800 rows at
any scale factor), so even SF 0.01 holds about 2.5 million rows. The generator's own
``dbgen_version`` table is not part of the benchmark and is not loaded.
"""

from __future__ import annotations

from pathlib import Path

from benchbox.benchmarks.datacache import Generated, executable, run_generator
from benchbox.benchmarks.datacache import number_label as sf_label
from benchbox.benchmarks.tpcds.schema import TABLES

GENERATOR = "tpcgen-cli"


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
