"""The TPC-H metric formulas (clause 5.4) against hand-worked examples, and the compliance labels."""

from __future__ import annotations

import pytest

from benchbox.benchmarks.tpch import metrics


@pytest.mark.parametrize(
    ("sf", "streams"),
    [(0.01, 2), (0.1, 2), (1, 2), (10, 3), (30, 4), (50, 4), (100, 5), (300, 6), (1000, 7), (100000, 11)],
)
def test_minimum_streams_follow_clause_5_3_4(sf: float, streams: int) -> None:
    assert metrics.minimum_streams(sf) == streams


def test_power_at_size_hand_worked() -> None:
    # SF 1; 22 queries of 2 s, RF1 and RF2 of 4 s each:
    # (2^22 x 4^2)^(1/24) = 2^(26/24) = 2.118926 s, so Power@Size = 3600 / 2.118926 = 1698.97.
    queries = {q: 2.0 for q in range(1, 23)}
    assert metrics.power_at_size(1, queries, [4.0, 4.0]) == pytest.approx(1698.97, abs=0.01)
    # Power scales linearly with SF for the same intervals.
    assert metrics.power_at_size(10, queries, [4.0, 4.0]) == pytest.approx(16989.7, abs=0.1)


def test_power_needs_all_queries_and_both_refresh_functions() -> None:
    queries = {q: 1.0 for q in range(1, 23)}
    with pytest.raises(ValueError, match="RF1 and RF2"):
        metrics.power_at_size(1, queries, [1.0])
    with pytest.raises(ValueError, match="22 queries"):
        metrics.power_at_size(1, {q: 1.0 for q in range(1, 22)}, [1.0, 1.0])
    # Without refresh functions the figure has its own name and a 22nd root.
    assert metrics.query_power(1, queries) == pytest.approx(3600.0)


def test_short_intervals_are_raised_to_a_thousandth_of_the_longest() -> None:
    assert metrics.adjusted_intervals([10.0, 0.001, 5.0]) == [10.0, 0.01, 5.0]
    # One 100 s query and 21 queries of 1 ms, RFs of 1 s: the 21 count as 0.1 s each.
    queries = {1: 100.0, **{q: 0.001 for q in range(2, 23)}}
    expected = 3600 / (100.0 * 0.1**21 * 1.0 * 1.0) ** (1 / 24)
    assert metrics.power_at_size(1, queries, [1.0, 1.0]) == pytest.approx(expected)
    with pytest.raises(ValueError):
        metrics.adjusted_intervals([1.0, 0.0])


def test_throughput_and_qphh_hand_worked() -> None:
    # S = 2 streams x 22 queries in Ts = 100 s at SF 1: 2 x 22 x 3600 / 100 = 1584 queries per hour.
    assert metrics.throughput_at_size(1, 2, 100.0) == pytest.approx(1584.0)
    assert metrics.throughput_at_size(10, 3, 200.0) == pytest.approx(11880.0)  # 3 x 22 x 18 x 10
    # QphH@Size = sqrt(1698.97 x 1584) = 1640.48
    assert metrics.qphh_at_size(1698.97, 1584.0) == pytest.approx(1640.48, abs=0.01)


def test_compliance_names_every_broken_rule() -> None:
    small = metrics.compliance(
        0.01, refresh_executed=True, streams=2, parameters="seeded", validation_passed=True
    )
    record = small.record()
    assert record["reportable"] is False and record["scale_factor_is_tpc_legal"] is False
    assert (
        "the scale factor is not one the spec allows" in record["note"]
        and "never reportable" in record["note"]
    )
    full = metrics.compliance(
        1, refresh_executed=True, streams=2, parameters="seeded", validation_passed=True
    )
    assert full.reportable and "not an audited TPC result" in full.record()["note"]
    few = metrics.compliance(
        10, refresh_executed=False, streams=2, parameters="validation", validation_passed=False
    )
    assert [k for k, v in few.record().items() if v is False] == [
        "refresh_functions_executed",
        "streams_at_least_minimum",
        "seeded_parameters",
        "validation_passed",
        "reportable",
    ]
    assert (
        metrics.compliance(
            1, refresh_executed=True, streams=None, parameters="seeded", validation_passed=True
        ).reportable
        is False
    )
