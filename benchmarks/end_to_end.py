"""The default ``benchbox`` run at SF 1 against a hand-written raw pipeline (target <= 1.15x).

Both start from an empty data folder and do the same work: generate TPC-H SF 1 with
tpchgen-cli, load it into in-memory DuckDB, run the 22 queries once as warmup and three
times measured. benchbox also validates every answer, collects metadata and writes
result.json; that is part of what is measured. Usage: python benchmarks/end_to_end.py [SF]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchbox.benchmarks import tpch

BIN = Path(sys.executable).parent


def raw_pipeline(scale_factor: float, folder: Path) -> None:
    """Generator + DuckDB load + the same queries, written by hand."""
    import duckdb

    subprocess.run([BIN / "tpchgen-cli", "parquet", "-s", f"{scale_factor:g}", "-o", folder], check=True)
    con = duckdb.connect()
    for table in tpch.TABLES:
        columns = ", ".join(f"{n} {t}" for n, t in table.columns)
        con.execute(f"CREATE TABLE {table.name} ({columns})")
        con.execute(f"INSERT INTO {table.name} SELECT * FROM read_parquet('{folder / table.name}.parquet')")
    queries = tpch.plan_queries(tpch.Config(scale_factor=scale_factor))
    for _ in range(4):
        for _, sql in queries:
            con.execute(sql).fetchall()


def main(scale_factor: float) -> None:
    """Time both, print seconds and the ratio."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        raw_pipeline(scale_factor, Path(tmp) / "raw")
        raw = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "BENCHBOX_DATA_DIR": str(Path(tmp) / "data")}
        command = [BIN / "benchbox", f"benchmark.scale_factor={scale_factor:g}", "progress=false"]
        start = time.perf_counter()
        subprocess.run(command, check=True, cwd=tmp, env=env, capture_output=True)
        ours = time.perf_counter() - start
    print(
        f"TPC-H SF {scale_factor:g}: raw pipeline {raw:.2f} s, benchbox {ours:.2f} s, "
        f"ratio {ours / raw:.3f} (target <= 1.15)"
    )


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0)
