"""What a sweep job costs for running in a fresh process (issue 11: <= 0.2 s per job).

Every sweep job after the first runs in a fresh process (``engine.isolation``), so that no run
inherits another's warm engine. This measures what that costs: the same sweep of ``--jobs``
identical jobs (``mode.timeout_s`` swept over values no query reaches, so the work does not
change), once as benchbox runs it and once with ``reuse_warm_process=true`` (every job in the
one warm process, the cheapest possible and the baseline). The two alternate and swap order
every round; from ``os.wait4`` each command's wall time and CPU (its fresh processes included).
Cost per job = (fresh - warm) / (jobs - 1), the first job running in place in both.

Usage: python benchmarks/sweep_cost.py [--jobs 6] [--rounds 3] [--sf 0.1] [--platform duckdb]
    [--data-dir DIR] [-- extra overrides]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def sweep(args: argparse.Namespace, warm: bool) -> dict[str, float]:
    """One multirun; its wall and CPU seconds (the jobs' fresh processes included)."""
    timeouts = ",".join(str(600 + n) for n in range(args.jobs))
    with tempfile.TemporaryDirectory() as out:
        command = [
            str(BIN / "benchbox"),
            "-m",
            f"platform={args.platform}",
            f"benchmark.scale_factor={args.sf:g}",
            f"data_dir={args.data_dir}",
            f"mode.timeout_s={timeouts}",
            f"reuse_warm_process={str(warm).lower()}",
            "progress=false",
            f"hydra.sweep.dir={out}",
            *args.extra,
        ]
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=out, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        err = process.stderr.read()  # type: ignore[union-attr]
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"sweep failed: {err.decode()[-2000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime}


def main() -> None:
    """Warm the data cache, then alternate the two sweeps and print the cost per job."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sf", type=float, default=0.1)
    parser.add_argument("--platform", default="duckdb")
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "benchbox-bench-data")
    parser.add_argument("extra", nargs="*", help="overrides added to both sweeps")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"{args.jobs} jobs of TPC-H SF {args.sf:g} on {args.platform}, load average {load:.1f}")
    sweep(argparse.Namespace(**{**vars(args), "jobs": 1}), warm=True)  # generate the data, untimed
    fresh: list[dict[str, float]] = []
    warm: list[dict[str, float]] = []
    for n in range(args.rounds):
        order = [(fresh, False), (warm, True)]
        for rounds, reuse in order if n % 2 == 0 else reversed(order):
            rounds.append(sweep(args, reuse))
        print(f"round {n + 1}: fresh {fresh[-1]}, warm {warm[-1]}", flush=True)
    for key in ("wall", "cpu"):
        ours, base = statistics.median(r[key] for r in fresh), statistics.median(r[key] for r in warm)
        per_job = [(f[key] - w[key]) / (args.jobs - 1) for f, w in zip(fresh, warm, strict=True)]
        print(
            f"{key}: fresh processes {ours:.2f} s, one warm process {base:.2f} s; cost per job "
            f"{statistics.median(per_job):.3f} s (rounds {min(per_job):.3f}-{max(per_job):.3f}, "
            "target <= 0.2)"
        )
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
