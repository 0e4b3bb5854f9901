"""Statistics: warmups never count, medians and spreads are computed from measured executions."""

from __future__ import annotations

import math

import pytest

from benchbox.engine.stats import summarize
from benchbox.result import Execution


def _run(
    query: str, ms: float, *, warmup: bool = False, status: str = "ok", validation: str | None = "ok"
) -> Execution:
    return Execution(
        "power", 0, 1, warmup, query, status, 1, ms, "2026-01-01T00:00:00+00:00", validation=validation
    )


def test_warmups_are_excluded_and_statistics_are_right() -> None:
    runs = [_run("Q1", 1000.0, warmup=True), _run("Q1", 10.0), _run("Q1", 12.0), _run("Q1", 20.0)]
    q1 = summarize(["Q1"], runs)["queries"]["Q1"]
    assert (q1["median_ms"], q1["min_ms"], q1["max_ms"], q1["iterations"], q1["warmups"]) == (
        12.0,
        10.0,
        20.0,
        3,
        1,
    )
    assert q1["stdev_ms"] == pytest.approx(5.2915, rel=1e-4)
    assert q1["unstable"] is True  # stdev is 44% of the median


def test_totals_geomean_and_counts() -> None:
    runs = [
        _run("Q1", 4.0),
        _run("Q2", 9.0, validation="mismatch"),
        _run("Q3", 5.0, status="timeout", validation=None),
    ]
    totals = summarize(["Q1", "Q2", "Q3", "Q4"], runs)["totals"]
    assert totals["geomean_ms"] == pytest.approx(math.sqrt(4.0 * 9.0))
    assert totals["total_ms"] == 13.0
    assert (totals["ok"], totals["failed"], totals["not_run"]) == (2, 1, 1)
    assert (totals["validated"], totals["mismatched"]) == (1, 1)


def test_sub_millisecond_medians_are_flagged_unstable() -> None:
    q = summarize(["Q6"], [_run("Q6", 0.4), _run("Q6", 0.4)])["queries"]["Q6"]
    assert q["unstable"] is True and q["stdev_ms"] == 0.0
