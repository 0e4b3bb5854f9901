"""The default ``benchbox`` run against a hand-written raw pipeline on DuckDB (target <= 1.1x).

Both start from an empty data folder and do the same work: generate the benchmark's data
with its generator (tpchgen-cli for TPC-H, tpcgen-cli for TPC-DS; SSB: TPC-H's, then its
transformation, ``ssb/transform.sql``; H2O: falsa, through benchbox's generator with its
fixes, which is the data the questions are defined on), load it into
in-memory DuckDB, run every query once as warmup and three times measured. benchbox also
validates every answer, collects metadata and writes result.json; that is part of what
is measured. Runs alternate (raw, benchbox, ...) and the ratio is of the medians.
benchbox is imported inside the functions only, so that ``fixed_cost.py``'s raw process, which
runs ``load_and_query`` from here, imports none of it.

Usage: python benchmarks/end_to_end.py [--benchmark tpch|tpcds|ssb] [--sf 1] [--pairs 2]
       python benchmarks/end_to_end.py --benchmark h2o [--task groupby|join] [--rows 1e6] [--pairs 2]
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
IN_PROCESS = {"h2o"}
"""Benchmarks whose generator is a library: the raw pipeline calls the benchmark's ``generate``."""
"""Benchmarks whose data is derived from another's: the raw pipeline generates that one's data,
then runs the benchmark's own transformation (``ssb/transform.sql``) in the same DuckDB."""


def raw_pipeline(name: str, settings: dict[str, Any], folder: Path) -> dict[str, float]:
    """Generator + DuckDB load + the same queries, written by hand; seconds per step."""
    import duckdb

    from benchbox import benchmarks

    suite = benchmarks.get(name)
    benchmark = suite(suite.Config(**settings))
    tables = benchmark.tables()
    steps = {"start": time.perf_counter()}
    source = DERIVED.get(name, name)
    into = folder / "source" if source != name else folder
    if name in IN_PROCESS:
        folder.mkdir(parents=True)
        benchmark.generate(folder, lambda _: None)
    else:
        scale_factor = settings["scale_factor"]
        command = GENERATORS[source](scale_factor, into, [t.name for t in tables])
        subprocess.run(command, check=True, capture_output=True)
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


def benchbox_run(
    name: str, settings: dict[str, Any], tmp: str, data_dir: Path | None = None
) -> dict[str, float]:
    """The default benchbox job, from an empty cache (or the warm one in ``data_dir``); seconds per
    phase, plus the process total."""
    env = {**os.environ, "BENCHBOX_DATA_DIR": str(data_dir or Path(tmp) / "data")}
    command = [
        BIN / "benchbox",
        f"benchmark={name}",
        *(f"benchmark.{key}={value}" for key, value in settings.items()),
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
    parser.add_argument("--benchmark", choices=sorted({*GENERATORS, *DERIVED, *IN_PROCESS}), default="tpch")
    parser.add_argument("--sf", type=float, default=1.0)
    parser.add_argument("--task", choices=("groupby", "join"), default="groupby", help="H2O only")
    parser.add_argument("--rows", type=float, default=1e6, help="H2O only")
    parser.add_argument("--pairs", type=int, default=2)
    args = parser.parse_args()
    if args.benchmark == "h2o":
        settings: dict[str, Any] = {"task": args.task, "rows": int(args.rows)}
    else:
        settings = {"scale_factor": args.sf}
    raws, ours = [], []
    for _ in range(args.pairs):
        with tempfile.TemporaryDirectory() as tmp:
            steps = raw_pipeline(args.benchmark, settings, Path(tmp) / "raw")
        raws.append(sum(steps.values()))
        print("raw      ", " ".join(f"{k} {v:.2f}s" for k, v in steps.items()), f"total {raws[-1]:.2f}s")
        with tempfile.TemporaryDirectory() as tmp:
            phases = benchbox_run(args.benchmark, settings, tmp)
        ours.append(phases["total"])
        print("benchbox ", " ".join(f"{k} {v:.2f}s" for k, v in phases.items()), flush=True)
    raw, median = statistics.median(raws), statistics.median(ours)
    from benchbox import benchmarks

    suite = benchmarks.get(args.benchmark)
    label = suite(suite.Config(**settings)).config.label
    print(
        f"{suite.title} {label}: raw pipeline {raw:.2f} s, benchbox {median:.2f} s, "
        f"ratio {median / raw:.3f} (target <= 1.1)"
    )


if __name__ == "__main__":
    main()
