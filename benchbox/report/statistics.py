"""How two sets of timings of one query compare: a ratio, its confidence interval, and a verdict.

A benchmark run measures each query a handful of times (3 to 10 iterations), and the
timings are skewed (a query is sometimes slowed, never sped up, by the machine). So the
comparison is distribution-free and exact for small samples:

- the ratio is the Hodges-Lehmann estimate on the log scale: the median of the
  ``n x m`` pairwise differences ``log(candidate_j) - log(baseline_i)``, as a ratio;
- its confidence interval is the one that inverts the Mann-Whitney (Wilcoxon rank-sum)
  test: two order statistics of those differences, chosen from the exact null
  distribution of U, so the stated confidence holds at any sample size without
  assuming normal timings. The achievable confidence is discrete: 3 timings against 3
  can reach at most 90% (two-sided); then the verdict is ``inconclusive`` and says so.

The geometric mean over a suite's queries gets a percentile bootstrap interval
(resampling each query's timings on both sides), because it pools many queries and
no exact small-sample interval exists for it. See docs/compare.md.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

Verdict = Literal["faster", "slower", "unchanged", "inconclusive"]

BOOTSTRAP_ROUNDS = 2000


@dataclass(frozen=True)
class Estimate:
    """Candidate against baseline for one query (or the suite's geometric mean)."""

    ratio: float | None
    """Candidate / baseline time (above 1: the candidate is slower)."""
    low: float | None
    high: float | None
    """The confidence interval of ``ratio`` (None when the samples cannot give one)."""
    confidence: float | None
    """The interval's confidence, exact where it is (it can exceed the level asked for)."""
    verdict: Verdict
    reason: str | None = None
    """Why the verdict is ``inconclusive``, in a few words."""


@cache
def _u_counts(n: int, m: int) -> tuple[int, ...]:
    """How many of the C(n+m, n) orderings give each value of the Mann-Whitney U (0..n*m)."""
    if n == 0 or m == 0:
        return (1,)
    counts = [0] * (n * m + 1)
    for u, count in enumerate(_u_counts(n - 1, m)):  # the largest value is a candidate's: U gains m
        counts[u + m] += count
    for u, count in enumerate(_u_counts(n, m - 1)):
        counts[u] += count
    return tuple(counts)


def _order_index(n: int, m: int, confidence: float) -> tuple[int, float] | None:
    """``(k, achieved confidence)``: the interval ``[D_(k), D_(nm+1-k)]`` (1-based) of the sorted
    differences has confidence ``1 - 2 P(U <= k - 1)``; the widest k that reaches ``confidence``.
    None when even the full range of differences cannot (too few samples)."""
    counts = _u_counts(n, m)
    total = sum(counts)
    alpha = 1 - confidence
    best, below = None, 0
    for k in range(1, n * m // 2 + 1):
        below += counts[k - 1]  # P(U <= k - 1) * total
        achieved = 1 - 2 * below / total
        if 2 * below / total > alpha + 1e-12:  # 1 - 0.9 is 0.0999...: an exact 10% must pass
            break
        best = (k, achieved)
    return best


def compare_samples(
    baseline: Sequence[float], candidate: Sequence[float], confidence: float = 0.95, equivalence: float = 0.05
) -> Estimate:
    """Compare two samples of positive durations.

    Args:
        baseline, candidate: The measured times (warmups already left out).
        confidence: The two-sided confidence of the interval, e.g. 0.95.
        equivalence: Within ``1 / (1 + e) .. 1 + e`` a whole interval means ``unchanged``.

    Returns:
        ``slower`` when the whole interval is above 1, ``faster`` when it is below 1,
        ``unchanged`` when it lies within the equivalence band, ``inconclusive`` otherwise.
    """
    base = [math.log(t) for t in baseline if t and t > 0]
    cand = [math.log(t) for t in candidate if t and t > 0]
    if len(base) < 2 or len(cand) < 2:
        return Estimate(None, None, None, None, "inconclusive", "fewer than 2 timings on a side")
    differences = sorted(c - b for b in base for c in cand)
    ratio = math.exp(statistics.median(differences))
    found = _order_index(len(base), len(cand), confidence)
    if found is None:
        reason = f"{len(base)} and {len(cand)} timings cannot reach {confidence:.0%} confidence"
        return Estimate(ratio, None, None, None, "inconclusive", reason)
    k, achieved = found
    low, high = math.exp(differences[k - 1]), math.exp(differences[-k])
    return Estimate(ratio, low, high, achieved, _verdict(low, high, equivalence))


def _verdict(low: float, high: float, equivalence: float) -> Verdict:
    if low > 1:
        return "slower"
    if high < 1:
        return "faster"
    if low >= 1 / (1 + equivalence) and high <= 1 + equivalence:
        return "unchanged"
    return "inconclusive"


def geomean_ratio(
    pairs: Sequence[tuple[Sequence[float], Sequence[float]]],
    confidence: float = 0.95,
    equivalence: float = 0.05,
    seed: int = 0,
) -> Estimate:
    """The geometric mean over queries of ``median(candidate) / median(baseline)``, with a percentile
    bootstrap interval (every round resamples each query's timings on both sides)."""
    usable = [(list(b), list(c)) for b, c in pairs if len(b) >= 2 and len(c) >= 2]
    if not usable:
        return Estimate(None, None, None, None, "inconclusive", "no query has 2 timings on each side")

    def geomean(samples: list[tuple[list[float], list[float]]]) -> float:
        logs = [math.log(statistics.median(c) / statistics.median(b)) for b, c in samples]
        return math.exp(sum(logs) / len(logs))

    rng = random.Random(seed)
    rounds = sorted(
        geomean([(rng.choices(b, k=len(b)), rng.choices(c, k=len(c))) for b, c in usable])
        for _ in range(BOOTSTRAP_ROUNDS)
    )
    tail = (1 - confidence) / 2
    low = rounds[int(tail * (BOOTSTRAP_ROUNDS - 1))]
    high = rounds[math.ceil((1 - tail) * (BOOTSTRAP_ROUNDS - 1))]
    return Estimate(geomean(usable), low, high, confidence, _verdict(low, high, equivalence))
