"""The TPC-H performance metrics (spec clause 5.4), computed from timing intervals only.

The formulas are pure functions of interval lengths in seconds; ``tpc_metrics`` and
``throughput_summary`` read those intervals from a run's executions (durations and
offsets), so the same code computes the metrics from a live run and, in the tests,
from the exported ``queries.parquet`` rows. Names follow the spec: ``Power@Size`` only when both refresh
functions were part of the power test, ``Throughput@Size`` with the throughput
interval ``Ts`` measured from the start of the first query stream to the end of the
last stream (the refresh stream included), and ``QphH@Size`` their geometric mean.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from benchbox.benchmarks.tpch import Config
    from benchbox.result import Execution, PhaseRecord

TPC_SCALE_FACTORS = (1, 10, 30, 100, 300, 1000, 3000, 10000, 30000, 100000)
"""The scale factors a TPC-H result may be reported at (clause 4.1.3.1)."""

_MIN_STREAMS = {1: 2, 10: 3, 30: 4, 100: 5, 300: 6, 1000: 7, 3000: 8, 10000: 9, 30000: 10, 100000: 11}
"""Clause 5.3.4: the minimum number of query streams in the throughput test, by scale factor."""

_SMALLEST_RATIO = 1000
"""Clause 5.4.1.4: no query interval counts as shorter than the longest query interval divided by this."""


def minimum_streams(scale_factor: float) -> int:
    """The spec's minimum stream count for a scale factor; 2 where the spec lists none (SF < 1
    and scale factors between the listed ones take the count of the next smaller listed one)."""
    listed = [sf for sf in _MIN_STREAMS if sf <= scale_factor]
    return _MIN_STREAMS[max(listed)] if listed else 2


def adjusted_intervals(query_seconds: Sequence[float]) -> list[float]:
    """Clause 5.4.1.4: when the longest query interval of the power test is more than 1000 times
    its shortest, every query interval under 1/1000 of the longest is raised to that value.

    The clause speaks of query intervals only (``max[QI(i,0)]/1000``): the longest query sets the
    floor and only queries are raised. The refresh functions' intervals RI(j,0) neither set it
    nor are raised (see ``power_at_size``). Applying the floor whatever the ratio gives what the
    clause's condition gives: at a ratio of 1000 or less no interval is under it.

    The spec also reports every interval rounded to 0.1 s, values under 0.05 s as 0.1 s (clause
    5.3.7.5), and has the floor treated the same way; benchbox keeps full precision for both,
    since at small scale factors most queries take less than 0.05 s."""
    _check_positive(query_seconds)
    floor = max(query_seconds) / _SMALLEST_RATIO
    return [max(i, floor) for i in query_seconds]


def _check_positive(intervals: Sequence[float]) -> None:
    if not intervals:
        raise ValueError("no intervals")
    if any(not math.isfinite(i) or i <= 0 for i in intervals):
        raise ValueError(f"intervals must be positive seconds, got {list(intervals)}")


def power_at_size(
    scale_factor: float, query_seconds: Mapping[int, float], refresh_seconds: Sequence[float]
) -> float:
    """Power@Size = 3600 x SF / (prod QI(i,0) x prod RI(j,0)) ** (1/24), in seconds.

    Needs the 22 query intervals of stream 0 and the intervals of RF1 and RF2 from the
    same power test; a power figure without the refresh functions is not Power@Size
    (see :func:`query_power`). The query intervals are adjusted by clause 5.4.1.4
    (``adjusted_intervals``); RF1's and RF2's enter as measured.
    """
    if sorted(query_seconds) != list(range(1, 23)):
        raise ValueError(f"Power@Size needs the 22 queries, got {sorted(query_seconds)}")
    if len(refresh_seconds) != 2:
        raise ValueError(f"Power@Size needs RF1 and RF2, got {len(refresh_seconds)} refresh intervals")
    _check_positive(refresh_seconds)
    return _power(scale_factor, [*adjusted_intervals(list(query_seconds.values())), *refresh_seconds])


def query_power(scale_factor: float, query_seconds: Mapping[int, float]) -> float:
    """The power formula over the queries alone (22nd root): what tools without refresh
    functions call "Power"; benchbox names it so that nobody mistakes it for Power@Size."""
    return _power(scale_factor, adjusted_intervals(list(query_seconds.values())))


def _power(scale_factor: float, intervals: Sequence[float]) -> float:
    log_mean = sum(math.log(i) for i in intervals) / len(intervals)
    return 3600 * scale_factor / math.exp(log_mean)


def throughput_at_size(scale_factor: float, streams: int, ts_seconds: float) -> float:
    """Throughput@Size = (S x 22 x 3600 / Ts) x SF."""
    if streams < 1 or ts_seconds <= 0:
        raise ValueError(f"need streams >= 1 and Ts > 0, got {streams} and {ts_seconds}")
    return streams * 22 * 3600 / ts_seconds * scale_factor


def qphh_at_size(power: float, throughput: float) -> float:
    """QphH@Size = sqrt(Power@Size x Throughput@Size)."""
    return math.sqrt(power * throughput)


@dataclass(frozen=True)
class Compliance:
    """Which of the spec's rules a run kept; only when all hold is it a reportable-style result.

    Even then benchbox's figures are not an audited TPC result (no auditor, no ACID or
    durability tests, no pricing); ``docs/tpch.md`` lists the differences.
    """

    scale_factor_is_tpc_legal: bool
    refresh_functions_executed: bool
    streams_at_least_minimum: bool
    seeded_parameters: bool
    seed_from_load_end: bool
    """Clause 2.1.3.3: the seed (seed0, the power test's) is the time stamp of the end of the
    database load (mmddhhmmss); throughput stream s then uses seed0 + s (``streams.stream_seed``)."""
    validation_passed: bool

    @property
    def reportable(self) -> bool:
        """Every rule held."""
        return all(asdict(self).values())

    def record(self) -> dict[str, Any]:
        """The rules, ``reportable``, and a sentence a person can quote."""
        broken = [_BROKEN[rule] for rule, held in asdict(self).items() if not held]
        note = (
            "every checked rule held; still not an audited TPC result"
            if not broken
            else "not a reportable TPC-H result: " + "; ".join(broken)
        )
        if not self.scale_factor_is_tpc_legal:
            note += " (scale factors below 1, or between the listed ones, are never reportable)"
        return {**asdict(self), "reportable": self.reportable, "note": note}


_BROKEN = {
    "scale_factor_is_tpc_legal": "the scale factor is not one the spec allows",
    "refresh_functions_executed": "the refresh functions did not all run",
    "streams_at_least_minimum": "fewer query streams than the spec's minimum",
    "seeded_parameters": "the substitution parameters were not seeded",
    "seed_from_load_end": "the seed is not the time stamp of the end of the load (clause 2.1.3.3)",
    "validation_passed": "not every answer was validated",
}


def compliance(
    scale_factor: float,
    *,
    refresh_executed: bool,
    streams: int | None,
    parameters: str,
    seed_from_load_end: bool,
    validation_passed: bool,
) -> Compliance:
    """Check a run's facts against the rules; ``streams`` None means no throughput test ran."""
    return Compliance(
        scale_factor_is_tpc_legal=scale_factor in TPC_SCALE_FACTORS,
        refresh_functions_executed=refresh_executed,
        streams_at_least_minimum=streams is not None and streams >= minimum_streams(scale_factor),
        seeded_parameters=parameters == "seeded",
        seed_from_load_end=seed_from_load_end,
        validation_passed=validation_passed,
    )


def load_end_seed(phases: Sequence[PhaseRecord]) -> int | None:
    """Clause 2.1.3.3's seed: the time stamp of the end of the database load as the number
    mmddhhmmss, on this machine's clock (local time); None when no load phase loaded the data.

    benchbox draws the substitution parameters in the plan phase, before the load, so a run
    keeps this rule only if ``benchmark.seed`` happens to equal it; the compliance record
    shows both numbers.
    """
    loads = [p for p in phases if p.name == "load" and p.status == "ok" and not p.details.get("reused")]
    if not loads:  # no load, or an earlier run's (reuse_loaded_data): its end is not this run's
        return None
    end = datetime.fromisoformat(loads[-1].started_at) + timedelta(milliseconds=loads[-1].duration_ms)
    return int(end.astimezone().strftime("%m%d%H%M%S"))


# A run's figures, from its executions.

_REFRESH = ("RF1", "RF2")


def tpc_metrics(
    config: Config, executions: Sequence[Execution], phases: Sequence[PhaseRecord] = ()
) -> dict[str, object]:
    """Power@Size, Throughput@Size and QphH@Size of a performance test, from its executions'
    durations and offsets alone, with the compliance record. A metric whose inputs are
    incomplete (a failed query, a missing refresh function, a query subset) is null, with
    the reason."""
    power_rows = [e for e in executions if e.phase == "power_test"]
    test_rows = [e for e in executions if e.phase == "throughput_test"]
    queries = {int(e.query_id[1:]): e.duration_ms / 1000 for e in power_rows if e.kind == "query"}
    refreshes = [e.duration_ms / 1000 for e in power_rows if e.query_id in _REFRESH]
    streams = len({e.stream for e in test_rows if e.kind == "query"})
    refresh_rows = [e for e in executions if e.query_id in _REFRESH]
    problems = []
    if any(e.status != "ok" for e in (*power_rows, *test_rows)):
        problems.append("an execution did not finish ok")
    if sorted(queries) != list(range(1, 23)):
        problems.append("the metrics need all 22 queries")
    if len(refreshes) != 2 or len(refresh_rows) != 2 + 2 * streams:
        problems.append("a refresh function is missing")
    timed = [e for e in test_rows if e.duration_ms is not None]
    ts_s = (max(e.offset_ms + e.duration_ms for e in timed) - min(e.offset_ms for e in timed)) / 1000
    power = throughput = qphh = None
    if not problems:
        power = power_at_size(config.scale_factor, queries, refreshes)
        throughput = throughput_at_size(config.scale_factor, streams, ts_s)
        qphh = qphh_at_size(power, throughput)
    return {
        "power_at_size": power,
        "throughput_at_size": throughput,
        "qphh_at_size": qphh,
        "streams": streams,
        "ts_s": ts_s,
        "problems": problems,
        "compliance": compliance_record(config, executions, phases),
    }


def throughput_summary(
    config: Config, executions: Sequence[Execution], phases: Sequence[PhaseRecord] = ()
) -> dict[str, object]:
    """What a throughput test without a refresh stream may report: the throughput formula
    over the query streams, named so nobody mistakes it for Throughput@Size."""
    timed = [e for e in executions if e.phase == "throughput" and e.duration_ms is not None]
    streams = len({e.stream for e in timed})
    ts_s = (max(e.offset_ms + e.duration_ms for e in timed) - min(e.offset_ms for e in timed)) / 1000
    queries = len(config.query_ids)
    return {
        "streams": streams,
        "minimum_streams": minimum_streams(config.scale_factor),
        "queries_per_stream": queries,
        "ts_s": ts_s,
        "query_throughput": streams * queries * 3600 / ts_s * config.scale_factor,
        "note": "query streams only: Throughput@Size needs the refresh stream (mode=tpc)",
        "compliance": compliance_record(config, executions, phases),
    }


def compliance_record(
    config: Config, executions: Sequence[Execution], phases: Sequence[PhaseRecord] = ()
) -> dict[str, object]:
    """Which of the spec's rules a run with query streams kept (see ``Compliance``), and the
    seed clause 2.1.3.3 would have given (``load_end_seed``; None without a finished load)."""
    refreshes = [e for e in executions if e.query_id in _REFRESH]
    streams = {e.stream for e in executions if e.stream > 0 and e.kind == "query"}
    validated = [e.validation for e in executions if e.kind == "query"]
    seed = load_end_seed(phases)
    record = compliance(
        config.scale_factor,
        refresh_executed=bool(refreshes)
        and len(refreshes) == 2 + 2 * len(streams)
        and all(e.status == "ok" for e in refreshes),
        streams=len(streams) or None,
        parameters=config.parameters,
        seed_from_load_end=seed is not None and config.seed == seed,
        validation_passed=bool(validated) and all(v == "ok" for v in validated),
    ).record()
    return {**record, "load_end_seed": seed}
