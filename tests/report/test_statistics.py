"""The comparison statistics on synthetic timings of known distributions."""

from __future__ import annotations

import math
import random

import pytest

from benchbox.report.statistics import _order_index, _u_counts, compare_samples, geomean_ratio


def _timings(rng: random.Random, median_ms: float, noise: float, n: int) -> list[float]:
    """Log-normal timings: multiplicative noise, as a machine adds."""
    return [median_ms * math.exp(rng.gauss(0, noise)) for _ in range(n)]


def test_the_mann_whitney_distribution_is_exact() -> None:
    counts = _u_counts(5, 5)
    assert sum(counts) == math.comb(10, 5) and counts[:5] == (1, 1, 2, 3, 5) and counts == counts[::-1]
    # the textbook 95% interval for 5 and 5 timings: the 3rd smallest to the 3rd largest difference
    k, achieved = _order_index(5, 5, 0.95)
    assert k == 3 and achieved == pytest.approx(1 - 2 * 4 / 252)
    assert _order_index(3, 3, 0.95) is None, "3 against 3 cannot reach 95% (at most 90%)"
    assert _order_index(3, 3, 0.90) == (1, pytest.approx(0.9))


def test_a_10_percent_slowdown_with_3_percent_noise_and_5_iterations_is_detected() -> None:
    detected = 0
    for seed in range(50):
        rng = random.Random(seed)
        estimate = compare_samples(_timings(rng, 100, 0.03, 5), _timings(rng, 110, 0.03, 5))
        detected += estimate.verdict == "slower"
        assert estimate.low <= estimate.ratio <= estimate.high
    assert detected >= 45, f"detected in {detected} of 50"


def test_identical_distributions_raise_no_more_false_alarms_than_the_stated_rate() -> None:
    """95% two-sided: at most 2.5% "slower" by chance; 100 seeded comparisons stay within the
    99th percentile of Binomial(100, 0.025), which is 7."""
    alarms = faster = 0
    for seed in range(100):
        rng = random.Random(1000 + seed)
        verdict = compare_samples(_timings(rng, 50, 0.05, 5), _timings(rng, 50, 0.05, 5)).verdict
        alarms += verdict == "slower"
        faster += verdict == "faster"
    assert alarms <= 7 and faster <= 7, (alarms, faster)


def test_few_samples_say_they_are_too_few() -> None:
    estimate = compare_samples([10, 11, 12], [20, 21, 22])
    assert estimate.verdict == "inconclusive" and "cannot reach 95% confidence" in estimate.reason
    assert estimate.ratio == pytest.approx(20 / 11, rel=0.05) and estimate.low is None
    assert compare_samples([10], [20, 21]).reason == "fewer than 2 timings on a side"
    assert compare_samples([10, 11, 12], [20, 21, 22], confidence=0.9).verdict == "slower"


def test_faster_and_unchanged() -> None:
    rng = random.Random(7)
    assert compare_samples(_timings(rng, 100, 0.02, 8), _timings(rng, 70, 0.02, 8)).verdict == "faster"
    same = compare_samples(_timings(rng, 100, 0.005, 10), _timings(rng, 100, 0.005, 10))
    assert same.verdict == "unchanged" and 1 / 1.05 <= same.low <= same.high <= 1.05


def test_the_geomean_interval_holds_the_true_ratio_and_detects_a_suite_slowdown() -> None:
    rng = random.Random(3)
    slower = [(_timings(rng, m, 0.03, 5), _timings(rng, m * 1.1, 0.03, 5)) for m in range(10, 230, 10)]
    estimate = geomean_ratio(slower)
    assert estimate.verdict == "slower" and estimate.low <= 1.1 <= estimate.high
    same = [(_timings(rng, m, 0.03, 5), _timings(rng, m, 0.03, 5)) for m in range(10, 230, 10)]
    assert geomean_ratio(same).low <= 1 <= geomean_ratio(same).high
    assert geomean_ratio(same) == geomean_ratio(same), "seeded: the same input gives the same interval"
