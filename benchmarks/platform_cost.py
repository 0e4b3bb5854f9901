"""benchbox against a hand-written pipeline on each embedded engine: wall, CPU and peak memory.

Issue 11's per-platform rows: chDB at SF 1 (target <= 1.2x raw), DataFusion's peak memory
(<= 1.2x raw) and DataFusion / Polars end to end (<= 1.05x raw). For each platform and round,
two fresh processes run on the same cached data (generated once, untimed):

- raw: ``raw_loops.py``, which imports no benchbox, loads the tables the engine's plainest way
  and runs the 22 queries 1 + 3 times (the queries already in the engine's dialect);
- benchbox: ``benchbox platform=<name>`` with its defaults (power mode, 1 warmup + 3
  iterations, every answer validated, metadata, result.json).

With ``--load-only`` both stop after loading (the raw loop runs no query, benchbox runs
``mode=load_only``): issue 11's DuckDB load row (target <= 1.05x raw at SF 10). With
``--database FILE`` and ``--memory-limit SIZE`` (DuckDB) both sides load into a database file
(deleted before every round) under that memory limit: issue 11's SF 30 run.

The two alternate and swap order every round. From ``os.wait4`` each process's wall time, CPU
(user + system) and peak RSS; printed as medians with min-max, and the ratios of the medians.
The CPU figure is the steady one on a loaded machine; wall time moves with the load.

Usage: python benchmarks/platform_cost.py [--sf 1] [--rounds 3] [--platforms chdb datafusion polars duckdb]
    [--load-only] [--database FILE] [--memory-limit 8GB] [--data-dir DIR]
    [-- extra benchbox overrides, e.g. platform.table_engine=MergeTree]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from end_to_end import table_ddl

from benchbox import benchmarks, platforms
from benchbox.benchmarks import datacache
from benchbox.platforms.chdb import structure

HERE = Path(__file__).parent
BIN = Path(sys.executable).parent
RUNS = 4  # 1 warmup + 3 iterations, benchbox's power default


def job(platform: str, sf: float, data_dir: Path, runs: int = RUNS) -> dict[str, Any]:
    """What the raw loop needs: each table's DDL and files, the queries in the engine's dialect."""
    suite = benchmarks.get("tpch")
    benchmark = suite(suite.Config(scale_factor=sf))
    dataset = datacache.ensure(data_dir, benchmark, lambda _: None)
    adapter = platforms.get(platform).Adapter(platforms.get(platform).Config())
    tables = [
        {
            "name": t.name,
            "files": [str(f) for f in dataset.files(t.name)],
            "duckdb": table_ddl(t),
            "clickhouse": structure(t),
        }
        for t in benchmark.tables()
    ]
    queries = [adapter.translate(q.sql, benchmark.dialect) for q in benchmark.queries(None)]
    return {"platform": platform, "tables": tables, "queries": queries, "runs": runs}


def measured(command: list[str], **kwargs: Any) -> tuple[bytes, dict[str, float]]:
    """Run ``command`` to its end; its stdout, and its wall seconds, CPU seconds and peak RSS (MB)
    from ``wait4``."""
    with tempfile.TemporaryFile() as err:  # a file, not a pipe: no deadlock while stdout is read
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err, **kwargs)
        out = process.stdout.read()  # type: ignore[union-attr]
        _, status, usage = os.wait4(process.pid, 0)  # reaped here, for its rusage
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{command[:3]} failed ({process.returncode}): {err.read().decode()[-2000:]}")
    return out, {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mb": usage.ru_maxrss / 1024}


def raw_round(job_file: Path) -> dict[str, float]:
    """One raw process: its figures plus its load and query steps."""
    out, figures = measured([sys.executable, str(HERE / "raw_loops.py"), str(job_file)])
    return {**figures, **json.loads(out)}


def benchbox_round(platform: str, sf: float, data_dir: Path, extra: list[str]) -> dict[str, float]:
    """One benchbox process: its figures plus its load and power phases (every answer must match)."""
    with tempfile.TemporaryDirectory() as out:
        command = [
            str(BIN / "benchbox"),
            f"platform={platform}",
            f"benchmark.scale_factor={sf:g}",
            f"data_dir={data_dir}",
            "progress=false",
            f"hydra.run.dir={out}",
            *extra,
        ]
        _, figures = measured(command, cwd=out)
        record = json.loads((Path(out) / "result.json").read_text())
    totals = record["summary"]["totals"]
    if record["status"] != "ok" or totals["mismatched"] or totals["failed"]:
        raise RuntimeError(f"benchbox on {platform}: {record['status']}, answers {totals}")
    phases = {p["name"]: p["duration_ms"] / 1000 for p in record["phases"]}
    return {**figures, "load": phases["load"], "queries": phases.get("power", 0.0)}


def spread(values: list[float], unit: str, digits: int = 2) -> str:
    """``median unit (min-max)``."""
    low, high = min(values), max(values)
    return f"{statistics.median(values):.{digits}f} {unit} ({low:.{digits}f}-{high:.{digits}f})"


def report(platform: str, raw: list[dict[str, float]], ours: list[dict[str, float]], queries: bool) -> None:
    """One line per side, then the ratios of the medians."""
    units = {"wall": "s", "cpu": "s", "rss_mb": "MB", "load": "s", **({"queries": "s"} if queries else {})}
    for side, rounds in (("raw", raw), ("benchbox", ours)):
        figures = "  ".join(f"{k} {spread([r[k] for r in rounds], u)}" for k, u in units.items())
        print(f"{platform:>10} {side:>8}  {figures}")
    ratios = "  ".join(
        f"{k} {statistics.median(r[k] for r in ours) / statistics.median(r[k] for r in raw):.2f}x"
        for k in units
    )
    print(f"{platform:>10} {'ratio':>8}  {ratios}", flush=True)


def main() -> None:
    """Generate the data once, then alternate raw and benchbox per platform and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sf", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--platforms", nargs="+", default=["chdb", "datafusion", "polars", "duckdb"])
    parser.add_argument("--load-only", action="store_true", help="load the tables, run no query")
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "benchbox-bench-data")
    parser.add_argument("--database", type=Path, help="duckdb: load into this file (deleted every round)")
    parser.add_argument("--memory-limit", help="duckdb: its memory_limit, such as 8GB, on both sides")
    parser.add_argument("extra", nargs="*", help="overrides added to every benchbox command")
    args = parser.parse_args()
    options: dict[str, str] = {}
    if args.database is not None:
        options["database"] = str(args.database)
        args.extra = [f"platform.database={args.database}", *args.extra]
    if args.memory_limit is not None:
        options["memory_limit"] = args.memory_limit
        args.extra = [f"platform.memory_limit={args.memory_limit}", *args.extra]
    print(f"TPC-H SF {args.sf:g}, {args.rounds} rounds, load average {os.getloadavg()[0]:.1f}", flush=True)
    for platform in args.platforms:
        with tempfile.TemporaryDirectory() as tmp:
            job_file = Path(tmp) / "job.json"
            runs = 0 if args.load_only else RUNS
            spec = {**job(platform, args.sf, args.data_dir, runs), "options": options}
            job_file.write_text(json.dumps(spec))
            extra = ["mode=load_only", *args.extra] if args.load_only else args.extra
            raw: list[dict[str, float]] = []
            ours: list[dict[str, float]] = []
            for n in range(args.rounds):
                for side in ("raw", "benchbox") if n % 2 == 0 else ("benchbox", "raw"):
                    if args.database is not None:  # every round starts from no file, as a first load does
                        for leftover in (args.database, args.database.with_name(args.database.name + ".wal")):
                            leftover.unlink(missing_ok=True)
                    if side == "raw":
                        raw.append(raw_round(job_file))
                    else:
                        ours.append(benchbox_round(platform, args.sf, args.data_dir, extra))
            report(platform, raw, ours, not args.load_only)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
