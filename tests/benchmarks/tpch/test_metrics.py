"""The TPC-H metric formulas (clause 5.4) against hand-worked examples, and the compliance labels."""

from __future__ import annotations

import math
from datetime import datetime

import pytest

from benchbox.benchmarks.tpch import Config, metrics
from benchbox.benchmarks.tpch.streams import stream_order
from benchbox.result import Execution, PhaseRecord


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
    with pytest.raises(ValueError):
        metrics.power_at_size(1, queries, [1.0, 0.0])


def _power_test(query_seconds: dict[int, float], rf1: float, rf2: float) -> list[Execution]:
    """A finished mode=tpc run's executions, built by hand: RF1, stream 0's queries, RF2 (one
    session, back to back), then two query streams and a refresh stream of two pairs."""
    rows, clock = [], 0.0

    def add(phase: str, stream: int, query_id: str, seconds: float, iteration: int = 1) -> None:
        nonlocal clock
        kind = "maintenance" if query_id.startswith("RF") else "query"
        timing = {"duration_ms": seconds * 1000, "offset_ms": clock * 1000, "started_at": "2026-12-01T00:00Z"}
        validation = "ok" if kind == "query" else None
        rows.append(
            Execution(
                phase, stream, iteration, False, query_id, "ok", 1, **timing, validation=validation, kind=kind
            )
        )
        clock += seconds

    add("power_test", 0, "RF1", rf1)
    for number in stream_order(0):
        add("power_test", 0, f"Q{number}", query_seconds[number])
    add("power_test", 0, "RF2", rf2)
    for stream in (1, 2):
        for number in stream_order(stream):
            add("throughput_test", stream, f"Q{number}", 1.0)
    for iteration in (2, 3):
        add("throughput_test", 3, "RF1", 1.0, iteration)
        add("throughput_test", 3, "RF2", 1.0, iteration)
    return rows


def _power_by_hand(query_seconds: dict[int, float], refresh_seconds: list[float]) -> float:
    """Clause 5.4.1.4, worked independently: the floor is the longest *query* / 1000 and only
    query intervals are raised; RF1 and RF2 enter as measured."""
    floor = max(query_seconds.values()) / 1000
    logs = [math.log(max(q, floor)) for q in query_seconds.values()] + [math.log(r) for r in refresh_seconds]
    return 3600 * 1 / math.exp(sum(logs) / 24)


def test_a_long_refresh_function_does_not_raise_the_queries() -> None:
    # Queries of 5 ms and a 60 s RF1: no query is under 1/1000 of the longest query, so none is
    # raised. (Counting RF1 would set a 60 ms floor and raise all 22: Power@Size 9.75 times smaller.)
    queries = {q: 0.005 for q in range(1, 23)}
    figures = metrics.tpc_metrics(Config(scale_factor=1), _power_test(queries, rf1=60.0, rf2=0.5))
    assert figures["problems"] == []
    assert figures["power_at_size"] == pytest.approx(_power_by_hand(queries, [60.0, 0.5]))
    assert figures["power_at_size"] == pytest.approx(3600 / (0.005**22 * 60.0 * 0.5) ** (1 / 24))
    with_rf_floor = 3600 / (0.06**22 * 60.0 * 0.5) ** (1 / 24)
    assert figures["power_at_size"] / with_rf_floor == pytest.approx(12 ** (22 / 24))


def test_a_short_refresh_function_is_not_raised() -> None:
    # The longest query is 10 s, so queries under 10 ms are raised to 10 ms; RF2's 1 ms is not.
    queries = {1: 10.0, 2: 0.002, **{q: 1.0 for q in range(3, 23)}}
    figures = metrics.tpc_metrics(Config(scale_factor=1), _power_test(queries, rf1=2.0, rf2=0.001))
    expected = 3600 / (10.0 * 0.01 * 1.0**20 * 2.0 * 0.001) ** (1 / 24)
    assert figures["power_at_size"] == pytest.approx(expected)
    assert figures["power_at_size"] == pytest.approx(_power_by_hand(queries, [2.0, 0.001]))


def test_query_power_adjusts_like_the_power_test() -> None:
    queries = {1: 10.0, **{q: 0.001 for q in range(2, 23)}}
    assert metrics.query_power(1, queries) == pytest.approx(3600 / (10.0 * 0.01**21) ** (1 / 22))


def test_throughput_and_qphh_hand_worked() -> None:
    # S = 2 streams x 22 queries in Ts = 100 s at SF 1: 2 x 22 x 3600 / 100 = 1584 queries per hour.
    assert metrics.throughput_at_size(1, 2, 100.0) == pytest.approx(1584.0)
    assert metrics.throughput_at_size(10, 3, 200.0) == pytest.approx(11880.0)  # 3 x 22 x 18 x 10
    # QphH@Size = sqrt(1698.97 x 1584) = 1640.48
    assert metrics.qphh_at_size(1698.97, 1584.0) == pytest.approx(1640.48, abs=0.01)


RULES = dict(refresh_executed=True, streams=2, parameters="seeded", seed_from_load_end=True)


def test_compliance_names_every_broken_rule() -> None:
    small = metrics.compliance(0.01, **RULES, validation_passed=True)
    record = small.record()
    assert record["reportable"] is False and record["scale_factor_is_tpc_legal"] is False
    assert (
        "the scale factor is not one the spec allows" in record["note"]
        and "never reportable" in record["note"]
    )
    full = metrics.compliance(1, **RULES, validation_passed=True)
    assert full.reportable and "not an audited TPC result" in full.record()["note"]
    few = metrics.compliance(
        10,
        refresh_executed=False,
        streams=2,
        parameters="validation",
        seed_from_load_end=False,
        validation_passed=False,
    )
    assert [k for k, v in few.record().items() if v is False] == [
        "refresh_functions_executed",
        "streams_at_least_minimum",
        "seeded_parameters",
        "seed_from_load_end",
        "validation_passed",
        "reportable",
    ]
    assert "time stamp of the end of the load (clause 2.1.3.3)" in few.record()["note"]
    assert metrics.compliance(1, **{**RULES, "streams": None}, validation_passed=True).reportable is False


def _load(started_at: str, duration_ms: float) -> list[PhaseRecord]:
    return [
        PhaseRecord("generate", "2026-03-04T05:00:00+00:00"),
        PhaseRecord("load", started_at, "ok", duration_ms),
    ]


def test_the_seed_rule_reads_the_end_of_the_load() -> None:
    # Clause 2.1.3.3: the seed is the end of the load as mmddhhmmss, on the machine's clock.
    phases = _load("2026-03-04T05:06:07.500000+00:00", 2_750.0)  # ends at 05:06:10.25 UTC
    end = datetime.fromisoformat("2026-03-04T05:06:10.250000+00:00").astimezone()
    seed = int(f"{end:%m%d%H%M%S}")
    assert metrics.load_end_seed(phases) == seed
    assert metrics.load_end_seed([]) is None and metrics.load_end_seed(phases[:1]) is None
    executions = _power_test({q: 1.0 for q in range(1, 23)}, rf1=1.0, rf2=1.0)
    taken = metrics.tpc_metrics(Config(scale_factor=1, parameters="seeded", seed=seed), executions, phases)
    assert taken["compliance"]["seed_from_load_end"] is True and taken["compliance"]["load_end_seed"] == seed
    assert taken["compliance"]["reportable"] is True
    chosen = metrics.tpc_metrics(Config(scale_factor=1, parameters="seeded", seed=0), executions, phases)
    assert chosen["compliance"]["seed_from_load_end"] is False and chosen["compliance"]["reportable"] is False
    unloaded = metrics.compliance_record(Config(scale_factor=1, seed=seed), executions)
    assert unloaded["seed_from_load_end"] is False and unloaded["load_end_seed"] is None
