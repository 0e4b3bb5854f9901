"""TPC-DS data: ``tpcgen-cli tpcds`` writes the 24 tables as Parquet (the cache is
``benchbox.benchmarks.datacache``).

tpcgen-cli's default ``--compat c`` output follows the C dsdgen's. Below SF 1 some
dimensions keep dsdgen's fixed sizes (``customer_demographics`` has 1,920,800 rows at
any scale factor), so even SF 0.01 holds about 2.5 million rows. The generator's own
``dbgen_version`` table is not part of the benchmark and is not loaded.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from benchbox.benchmarks.datacache import Generated, executable
from benchbox.benchmarks.tpcds.schema import TABLES
from benchbox.errors import DataError

GENERATOR = "tpcgen-cli"


def sf_label(scale_factor: float) -> str:
    """The scale factor as file names and the generator see it: ``0.01``, ``1``, never ``1e+01``."""
    return f"{scale_factor:.15g}"


def generate(scale_factor: float, staging: Path) -> Generated:
    """Run ``tpcgen-cli tpcds parquet`` into ``staging``: one file per table."""
    exe = executable(GENERATOR, GENERATOR)
    command = [
        exe,
        "tpcds",
        "parquet",
        "--scale-factor",
        sf_label(scale_factor),
        "--output-dir",
        str(staging),
        "--tables",
        ",".join(t.name for t in TABLES),
        "--quiet",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise DataError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    version = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False).stdout.split()
    return Generated(
        files={t.name: [staging / f"{t.name}.parquet"] for t in TABLES},
        generator={"name": GENERATOR, "version": version[-1] if version else "unknown"},
        facts={"scale_factor": scale_factor, "data_format": "parquet"},
    )
