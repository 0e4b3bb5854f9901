"""Per-query overhead of benchbox's engine against a bare DuckDB loop, in one process.

For each scale factor both sides run the same 22 rendered queries on the same cached
data, loaded the same way, with the same warmups and iterations. It prints:

- harness overhead per execution: the engine's power-phase wall time minus the sum
  of its timed regions, divided by the number of executions (what benchbox adds
  around each query: timestamps, watchdog, records, progress);
- per query, the median timed duration in benchbox and in the bare loop, and the
  difference (the timed region should be the same work, so this is noise around 0).

Target: harness overhead <= 0.1 ms per query. Usage: python benchmarks/overhead.py [SF ...]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchbox import engine
from benchbox.benchmarks import tpch
from benchbox.benchmarks.tpch.data import ensure_data
from benchbox.spec import RunSpec

WARMUPS, ITERATIONS = 1, 5


def bench_spec(scale_factor: float, data_dir: Path, out: Path) -> RunSpec:
    """The spec both sides follow: all 22 queries on in-memory DuckDB."""
    return RunSpec.model_validate(
        {
            "platform": {"name": "duckdb"},
            "benchmark": {"name": "tpch", "scale_factor": scale_factor},
            "mode": {"name": "power", "warmups": WARMUPS, "iterations": ITERATIONS},
            "data_dir": data_dir,
            "progress": False,
            "context": {"output_dir": out},
        }
    )


def bare_loop(spec: RunSpec) -> dict[str, list[float]]:
    """A hand-written loop: connect, load with the same statements, time execute+fetchall."""
    import duckdb

    dataset = ensure_data(spec.benchmark.scale_factor, "parquet", spec.data_dir, lambda _: None)
    con = duckdb.connect()
    for table in tpch.TABLES:
        columns = ", ".join(f"{n} {t}" for n, t in table.columns)
        con.execute(f"CREATE TABLE {table.name} ({columns})")
        con.execute(
            f"INSERT INTO {table.name} SELECT * FROM read_parquet(?)",
            [[str(f) for f in dataset.files(table.name)]],
        )
    queries = tpch.plan_queries(spec.benchmark)
    times: dict[str, list[float]] = {qid: [] for qid, _ in queries}
    for n in range(WARMUPS + ITERATIONS):
        for qid, sql in queries:
            start = time.perf_counter_ns()
            con.execute(sql).fetchall()
            elapsed = (time.perf_counter_ns() - start) / 1e6
            if n >= WARMUPS:
                times[qid].append(elapsed)
    con.close()
    return times


def main(scale_factors: list[float]) -> None:
    """Run both sides per scale factor and print the comparison."""
    data_dir = Path(tempfile.gettempdir()) / "benchbox-bench-data"
    for sf in scale_factors:
        with tempfile.TemporaryDirectory() as out:
            spec = bench_spec(sf, data_dir, Path(out))
            bare = bare_loop(spec)
            result = engine.run(spec)
        power = next(p for p in result.phases if p.name == "power")
        timed = sum(e.duration_ms for e in result.executions)
        harness = (power.duration_ms - timed) / len(result.executions)
        print(
            f"\nTPC-H SF {sf:g}: {len(result.executions)} executions ({WARMUPS} warmup + {ITERATIONS} each)"
        )
        print(f"harness overhead per execution: {harness:.4f} ms (target <= 0.1 ms)")
        print(f"{'query':>5} {'benchbox ms':>12} {'bare ms':>10} {'diff ms':>9}")
        total_b = total_r = 0.0
        for qid, stats in result.summary["queries"].items():
            raw = statistics.median(bare[qid])
            total_b += stats["median_ms"]
            total_r += raw
            print(f"{qid:>5} {stats['median_ms']:>12.3f} {raw:>10.3f} {stats['median_ms'] - raw:>9.3f}")
        print(
            f"{'sum':>5} {total_b:>12.3f} {total_r:>10.3f} {total_b - total_r:>9.3f} "
            f"(ratio {total_b / total_r:.3f})"
        )


if __name__ == "__main__":
    main([float(a) for a in sys.argv[1:]] or [0.01, 0.1])
