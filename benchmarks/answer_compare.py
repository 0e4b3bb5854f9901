"""What checking an answer costs: ``answers.compare`` on TPC-H SF 1 Q16's shipped answer (18,314
rows, the largest) against itself, next to a raw baseline (sorting both row lists and comparing
them), interleaved over several rounds. Validation runs outside the timed region, so this is the
validate phase's cost per query, not a distortion of any measured time (target: under 0.1 s).

Usage: python benchmarks/answer_compare.py [rounds]
"""

from __future__ import annotations

import statistics
import sys
import time

from benchbox.benchmarks.answers import compare
from benchbox.benchmarks.tpch.answers import load_reference


def main(rounds: int) -> None:
    """Print each contender's median and spread (seconds) and their ratio."""
    reference = load_reference(1, 16)
    actual = [tuple(row) for row in reference.rows]
    compare(reference, actual)  # the reference's own column views are built once, as in a run
    contenders = {
        "compare": lambda: compare(reference, actual),
        "raw sort + ==": lambda: sorted(map(tuple, reference.rows)) == sorted(actual),
    }
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, call in contenders.items():
            start = time.perf_counter()
            call()
            samples[name].append(time.perf_counter() - start)
    for name, values in samples.items():
        spread = f"{min(values):.4f}-{max(values):.4f}"
        print(f"{name:>14}: median {statistics.median(values):.4f} s, spread {spread} s")
    ratio = statistics.median(samples["compare"]) / statistics.median(samples["raw sort + =="])
    print(f"compare / raw: {ratio:.2f}x over {rounds} rounds, {len(actual)} rows (target: compare < 0.1 s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
