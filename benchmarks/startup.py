"""How long ``benchbox --help`` takes (target <= 0.5 s), against a bare ``python -c pass``.

Usage: python benchmarks/startup.py [repeats]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path


def timed(command: list[str], repeats: int) -> float:
    """Median wall time of ``command`` in seconds."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main(repeats: int) -> None:
    """Print both medians and their ratio."""
    benchbox = str(Path(sys.executable).parent / "benchbox")
    python = timed([sys.executable, "-c", "pass"], repeats)
    help_ = timed([benchbox, "--help"], repeats)
    print(
        f"python -c pass: {python:.3f} s; benchbox --help: {help_:.3f} s (target <= 0.5 s); "
        f"ratio {help_ / python:.1f}x"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
