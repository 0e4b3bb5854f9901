"""Per-query overhead of benchbox's engine against a bare loop over the same driver, in one process.

For each platform and scale factor both sides run the same rendered queries (TPC-H's 22 by
default, ``--benchmark tpcds`` for TPC-DS's 103) on the same cached data, loaded by the same
adapter, with the same warmups and iterations. The bare loop calls the adapter's ``execute``
(the driver's execute + fetch and nothing else) between two ``perf_counter_ns`` calls. It prints:

- harness overhead per execution: the engine's power-phase wall time minus the sum
  of its timed regions, divided by the number of executions (what benchbox adds
  around each query: timestamps, watchdog, records, progress);
- the sum of per-query medians in benchbox and in the bare loop, and their ratio
  (the timed region is the same work, so this is machine noise around 1).

Target: harness overhead <= 0.1 ms per query.
Usage: python benchmarks/overhead.py [--benchmark tpch] [--sf 0.01 0.1] [--platforms duckdb ...] [--url URL]
(default: every platform whose driver is installed and that needs no server; name
``postgresql`` to include it, with PGHOST/PGPORT/PGUSER/PGDATABASE/PGPASSWORD set, and
``sqlalchemy`` to measure the URL given with --url).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from benchbox import benchmarks, engine, platforms
from benchbox.benchmarks import datacache
from benchbox.spec import RunSpec

WARMUPS, ITERATIONS = 1, 5


def bench_spec(
    benchmark: str, platform: dict[str, str], scale_factor: float, data_dir: Path, out: Path
) -> RunSpec:
    """The spec both sides follow: every query on ``platform`` with its default options."""
    return RunSpec.model_validate(
        {
            "platform": platform,
            "benchmark": {"name": benchmark, "scale_factor": scale_factor},
            "mode": {"name": "power", "warmups": WARMUPS, "iterations": ITERATIONS},
            "data_dir": data_dir,
            "progress": False,
            "reuse_warm_process": True,  # both sides in this one process, on purpose
            "context": {"output_dir": out},
        }
    )


def bare_loop(spec: RunSpec) -> dict[str, list[float]]:
    """Load with the platform's adapter, then time only ``adapter.execute`` in a plain loop."""
    benchmark = benchmarks.get(spec.benchmark.name)(spec.benchmark)
    dataset = datacache.ensure(spec.data_dir, benchmark, lambda _: None)
    adapter = platforms.get(spec.platform.name).Adapter(spec.platform)
    adapter.connect()
    try:
        for table in benchmark.tables():
            adapter.load_table(table, dataset.files(table.name), "parquet")
        queries = [(q.id, adapter.translate(q.sql, benchmark.dialect)) for q in benchmark.queries(None)]
        times: dict[str, list[float]] = {qid: [] for qid, _ in queries}
        for n in range(WARMUPS + ITERATIONS):
            for qid, sql in queries:
                start = time.perf_counter_ns()
                adapter.execute(sql)
                elapsed = (time.perf_counter_ns() - start) / 1e6
                if n >= WARMUPS:
                    times[qid].append(elapsed)
    finally:
        adapter.close()
    return times


def measure(benchmark: str, platform: dict[str, str], sf: float, data_dir: Path) -> None:
    """Run both sides for one platform and scale factor and print the comparison."""
    with tempfile.TemporaryDirectory() as out:
        spec = bench_spec(benchmark, platform, sf, data_dir, Path(out))
        bare = bare_loop(spec)
        result = engine.run(spec)
    power = next(p for p in result.phases if p.name == "power")
    ok = [e for e in result.executions if e.duration_ms is not None]
    harness = (power.duration_ms - sum(e.duration_ms for e in ok)) / len(ok)
    medians = {qid: s["median_ms"] for qid, s in result.summary["queries"].items() if s["median_ms"]}
    ours = sum(medians.values())
    raw = sum(statistics.median(bare[qid]) for qid in medians)
    print(
        f"{spec.benchmark.name:>6} {platform['name']:>10} SF {sf:<5g} executions {len(ok):>3}  "
        f"harness overhead {harness:.4f} ms/execution  "
        f"sum of medians {ours:10.2f} ms vs bare {raw:10.2f} ms (ratio {ours / raw:.3f})",
        flush=True,
    )


def main() -> None:
    """Parse the arguments and measure every platform at every scale factor."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmark", choices=benchmarks.NAMES, default="tpch")
    parser.add_argument("--sf", type=float, nargs="+", default=[0.01, 0.1])
    embedded = [n for n in platforms.NAMES if platforms.get(n).Adapter.installed()]
    embedded = [n for n in embedded if platforms.get(n).Adapter.capabilities.storage != "server"]
    parser.add_argument("--platforms", nargs="+", default=embedded)
    parser.add_argument("--url", default="duckdb:///:memory:", help="the URL platform sqlalchemy measures")
    args = parser.parse_args()
    data_dir = Path(tempfile.gettempdir()) / "benchbox-bench-data"
    print(f"target: harness overhead <= 0.1 ms per execution; {WARMUPS} warmup + {ITERATIONS} iterations")
    for name in args.platforms:
        platform = {"name": name, **({"url": args.url} if name == "sqlalchemy" else {})}
        for sf in args.sf:
            measure(args.benchmark, platform, sf, data_dir)


if __name__ == "__main__":
    main()
