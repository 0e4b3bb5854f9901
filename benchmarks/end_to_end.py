"""The default ``benchbox`` run at SF 1 against a hand-written raw pipeline (target <= 1.15x).

Both start from an empty data folder and do the same work: generate TPC-H SF 1 with
tpchgen-cli, load it into in-memory DuckDB, run the 22 queries once as warmup and three
times measured. benchbox also validates every answer, collects metadata and writes
result.json; that is part of what is measured. Runs alternate (raw, benchbox, ...) and
the ratio is of the medians. Usage: python benchmarks/end_to_end.py [SF] [pairs]
"""

from __future__ import annotations

import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchbox.benchmarks import tpch

BIN = Path(sys.executable).parent


def raw_pipeline(scale_factor: float, folder: Path) -> dict[str, float]:
    """Generator + DuckDB load + the same queries, written by hand; seconds per step."""
    import duckdb

    steps = {"start": time.perf_counter()}
    command = [BIN / "tpchgen-cli", "parquet", "-s", f"{scale_factor:g}", "-o", folder]
    subprocess.run(command, check=True, capture_output=True)
    steps["generate"] = time.perf_counter()
    con = duckdb.connect()
    for table in tpch.TABLES:
        columns = ", ".join(f"{n} {t}" for n, t in table.columns)
        con.execute(f"CREATE TABLE {table.name} ({columns})")
        con.execute(f"INSERT INTO {table.name} SELECT * FROM read_parquet('{folder / table.name}.parquet')")
    steps["load"] = time.perf_counter()
    queries = tpch.plan_queries(tpch.Config(scale_factor=scale_factor))
    for _ in range(4):
        for _, sql in queries:
            con.execute(sql).fetchall()
    steps["queries"] = time.perf_counter()
    names = list(steps)
    return {name: steps[name] - steps[prev] for prev, name in itertools.pairwise(names)}


def benchbox_run(scale_factor: float, tmp: str) -> dict[str, float]:
    """The default benchbox job from an empty cache; seconds per phase, plus the process total."""
    env = {**os.environ, "BENCHBOX_DATA_DIR": str(Path(tmp) / "data")}
    command = [
        BIN / "benchbox",
        f"benchmark.scale_factor={scale_factor:g}",
        "progress=false",
        f"hydra.run.dir={tmp}/out",
    ]
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=tmp, env=env, capture_output=True)
    total = time.perf_counter() - start
    record = json.loads((Path(tmp) / "out" / "result.json").read_text())
    phases = {p["name"]: p["duration_ms"] / 1000 for p in record["phases"]}
    return {**phases, "other": total - sum(phases.values()), "total": total}


def main(scale_factor: float, pairs: int) -> None:
    """Alternate raw and benchbox runs; print each, then the ratio of the medians."""
    raws, ours = [], []
    for _ in range(pairs):
        with tempfile.TemporaryDirectory() as tmp:
            steps = raw_pipeline(scale_factor, Path(tmp) / "raw")
        raws.append(sum(steps.values()))
        print("raw      ", " ".join(f"{k} {v:.2f}s" for k, v in steps.items()), f"total {raws[-1]:.2f}s")
        with tempfile.TemporaryDirectory() as tmp:
            phases = benchbox_run(scale_factor, tmp)
        ours.append(phases["total"])
        print("benchbox ", " ".join(f"{k} {v:.2f}s" for k, v in phases.items()))
    raw, ours_median = statistics.median(raws), statistics.median(ours)
    ours = ours_median
    print(
        f"TPC-H SF {scale_factor:g}: raw pipeline {raw:.2f} s, benchbox {ours:.2f} s, "
        f"ratio {ours / raw:.3f} (target <= 1.15)"
    )


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 1.0, int(sys.argv[2]) if len(sys.argv) > 2 else 2)
