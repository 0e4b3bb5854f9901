"""What ``reuse_loaded_data=true`` saves on a rerun (issue 11: opt-in reuse of a loaded file database).

The same power run on one database file, alternating every round between loading the data (the
default) and reusing the load the previous run left (``reuse_loaded_data=true``); the order swaps
each round. From ``os.wait4``: each command's wall time and CPU; from its ``result.json``: the
load phase's seconds (for a reuse: the stamp check and the row counts) and the queries' total.
The queries of a reused file start on the engine's cold buffers (the OS page cache is warm in
both), which the queries' total shows.

Usage: python benchmarks/reuse_load.py [--sf 1] [--rounds 3] [--platform duckdb]
    [--data-dir DIR] [-- extra overrides]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

from platform_cost import measured, spread  # this folder's: run as python benchmarks/reuse_load.py

BIN = Path(sys.executable).parent


def run(args: argparse.Namespace, database: Path, reuse: bool) -> dict[str, float]:
    """One power run; wall and CPU seconds, load phase and query seconds, and whether it reused."""
    with tempfile.TemporaryDirectory() as out:
        command = [
            str(BIN / "benchbox"),
            f"platform={args.platform}",
            f"platform.database={database}",
            f"benchmark.scale_factor={args.sf:g}",
            f"data_dir={args.data_dir}",
            f"reuse_loaded_data={str(reuse).lower()}",
            "progress=false",
            f"hydra.run.dir={out}/run",
            *args.extra,
        ]
        _, figures = measured(command, cwd=out)  # platform_cost.py's: wall, CPU, peak RSS via wait4
        record = json.loads((Path(out) / "run" / "result.json").read_text())
    load = next(p for p in record["phases"] if p["name"] == "load")
    timed = [e["duration_ms"] for e in record["executions"] if not e["warmup"]]
    return {
        "wall": figures["wall"],
        "cpu": figures["cpu"],
        "load": load["duration_ms"] / 1000,
        "queries": sum(timed) / 1000,
        "reused": float(bool(load["details"].get("reused"))),
    }


def main() -> None:
    """Warm the data cache and the file, then alternate the two runs and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sf", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--platform", default="duckdb")
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "benchbox-bench-data")
    parser.add_argument("extra", nargs="*", help="more overrides for every run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / f"bench.{args.platform}"
        run(args, database, reuse=False)  # data generated, file loaded: neither is measured
        seen: dict[bool, list[dict[str, float]]] = {False: [], True: []}
        for number in range(args.rounds):
            for reuse in (False, True) if number % 2 == 0 else (True, False):
                figures = run(args, database, reuse)
                if figures["reused"] != reuse:
                    raise RuntimeError(f"reuse_loaded_data={reuse} but the load phase says {figures}")
                seen[reuse].append(figures)
    load1 = os.getloadavg()[0]
    print(f"{args.platform} SF {args.sf:g}, {args.rounds} rounds, load average {load1:.2f}")
    for key in ("wall", "cpu", "load", "queries"):
        loaded, reused = [f[key] for f in seen[False]], [f[key] for f in seen[True]]
        ratio = statistics.median(reused) / statistics.median(loaded)
        print(f"{key:<8} loaded {spread(loaded, 's')}  reused {spread(reused, 's')}  ratio {ratio:.2f}")


if __name__ == "__main__":
    main()
