"""The default ``benchbox`` run against a hand-written raw pipeline on DuckDB (target <= 1.1x).

Both start from an empty data folder and do the same work: generate the benchmark's data
with its generator (tpchgen-cli for TPC-H, tpcgen-cli for TPC-DS; SSB: TPC-H's, then its
transformation, ``ssb/transform.sql``), load it into
in-memory DuckDB, run every query once as warmup and three times measured. benchbox also
validates every answer, collects metadata and writes result.json; that is part of what
is measured. Runs alternate (raw, benchbox, ...) and the ratio is of the medians.
benchbox is imported inside the functions only, so that ``fixed_cost.py``'s raw process, which
runs ``load_and_query`` from here, imports none of it.

Usage: python benchmarks/end_to_end.py [--benchmark tpch|tpcds|ssb] [--sf 1] [--pairs 2]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
GENERATORS = {
    "tpch": lambda sf, out, tables: [BIN / "tpchgen-cli", "parquet", "-s", f"{sf:g}", "-o", out],
    "tpcds": lambda sf, out, tables: [
        *(BIN / "tpcgen-cli", "tpcds", "parquet", "-s", f"{sf:g}", "-o", out),
        *("--tables", ",".join(tables), "--quiet"),
    ],
}
"""The generator command line each benchmark's raw pipeline runs by hand."""
DERIVED = {"ssb": "tpch"}
"""Benchmarks whose data is derived from another's: the raw pipeline generates that one's data,
then runs the benchmark's own transformation (``ssb/transform.sql``) in the same DuckDB."""


def raw_pipeline(name: str, scale_factor: float, folder: Path) -> dict[str, float]:
    """Generator + DuckDB load + the same queries, written by hand; seconds per step."""
    import duckdb

    from benchbox import benchmarks

    suite = benchmarks.get(name)
    benchmark = suite(suite.Config(scale_factor=scale_factor))
    tables = benchmark.tables()
    steps = {"start": time.perf_counter()}
    source = DERIVED.get(name, name)
    into = folder / "source" if source != name else folder
    subprocess.run(
        GENERATORS[source](scale_factor, into, [t.name for t in tables]), check=True, capture_output=True
    )
    if source != name:
        from benchbox.benchmarks.ssb.data import derive

        derive(into, folder)
    steps["generate"] = time.perf_counter()
    loads = [(t.name, table_ddl(t), [str(folder / f"{t.name}.parquet")]) for t in tables]
    steps.update(load_and_query(duckdb.connect(), loads, [q.sql for q in benchmark.queries(None)]))
    names = list(steps)
    return {step: steps[step] - steps[prev] for prev, step in itertools.pairwise(names)}


def table_ddl(table: Any) -> str:
    """A benchmark table's column list as DuckDB DDL, written by hand (no adapter)."""
    return ", ".join(f"{c.name} {c.type}" for c in table.columns)


def load_and_query(
    con: Any, tables: list[tuple[str, str, list[str]]], queries: list[str], runs: int = 4
) -> dict[str, float]:
    """The raw pipeline after generation: create and fill each ``(name, columns DDL, parquet
    files)`` table, then run every query ``runs`` times (1 warmup + 3); ``perf_counter`` after each
    step. Plain data in, so that ``fixed_cost.py`` runs it in a process that imports no benchbox."""
    steps = {}
    for name, columns, files in tables:
        con.execute(f"CREATE TABLE {name} ({columns})")
        con.execute(f"INSERT INTO {name} SELECT * FROM read_parquet(?)", [files])
    steps["load"] = time.perf_counter()
    for _ in range(runs):
        for sql in queries:
            con.execute(sql).fetchall()
    steps["queries"] = time.perf_counter()
    return steps


def benchbox_run(name: str, scale_factor: float, tmp: str, data_dir: Path | None = None) -> dict[str, float]:
    """The default benchbox job, from an empty cache (or the warm one in ``data_dir``); seconds per
    phase, plus the process total."""
    env = {**os.environ, "BENCHBOX_DATA_DIR": str(data_dir or Path(tmp) / "data")}
    command = [
        BIN / "benchbox",
        f"benchmark={name}",
        f"benchmark.scale_factor={scale_factor:g}",
        "progress=false",
        f"hydra.run.dir={tmp}/out",
    ]
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=tmp, env=env, capture_output=True)
    total = time.perf_counter() - start
    record = json.loads((Path(tmp) / "out" / "result.json").read_text())
    assert record["summary"]["totals"]["mismatched"] == 0, "an answer did not validate"
    phases = {p["name"]: p["duration_ms"] / 1000 for p in record["phases"]}
    return {**phases, "other": total - sum(phases.values()), "total": total}


def main() -> None:
    """Alternate raw and benchbox runs; print each, then the ratio of the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmark", choices=sorted({*GENERATORS, *DERIVED}), default="tpch")
    parser.add_argument("--sf", type=float, default=1.0)
    parser.add_argument("--pairs", type=int, default=2)
    args = parser.parse_args()
    raws, ours = [], []
    for _ in range(args.pairs):
        with tempfile.TemporaryDirectory() as tmp:
            steps = raw_pipeline(args.benchmark, args.sf, Path(tmp) / "raw")
        raws.append(sum(steps.values()))
        print("raw      ", " ".join(f"{k} {v:.2f}s" for k, v in steps.items()), f"total {raws[-1]:.2f}s")
        with tempfile.TemporaryDirectory() as tmp:
            phases = benchbox_run(args.benchmark, args.sf, tmp)
        ours.append(phases["total"])
        print("benchbox ", " ".join(f"{k} {v:.2f}s" for k, v in phases.items()), flush=True)
    raw, median = statistics.median(raws), statistics.median(ours)
    from benchbox import benchmarks

    title = benchmarks.get(args.benchmark).title
    print(
        f"{title} SF {args.sf:g}: raw pipeline {raw:.2f} s, benchbox {median:.2f} s, "
        f"ratio {median / raw:.3f} (target <= 1.1)"
    )


if __name__ == "__main__":
    main()
