"""Summary statistics over measured executions (warmups never count).

Per query: median, min, max and sample stdev of the measured iterations, and an
``unstable`` flag when the spread is large against the median or the median is
under a millisecond (timer and scheduling noise dominate there). For the run: the
geometric mean of per-query medians, the total measured time, and query counts. Besides
time, per query: the median CPU time and the largest peak memory of benchbox's process and
of the server process, over the same executions, where they were measured.
"""

from __future__ import annotations

import math
import statistics
from typing import Any

from benchbox.result import Execution

UNSTABLE_SPREAD = 0.10
"""stdev / median above which a figure is flagged unstable."""


def summarize(query_ids: list[str], executions: list[Execution]) -> dict[str, Any]:
    """Per-query statistics and run totals, in the order the queries were planned."""
    queries = {qid: _query_stats([e for e in executions if e.query_id == qid]) for qid in query_ids}
    ran = {qid: s for qid, s in queries.items() if s["status"] != "not_run"}
    # A median of 0 ms (below the clock's resolution) would zero the geomean: floor it at 1 ns.
    medians = [max(s["median_ms"], 1e-6) for s in ran.values() if s["median_ms"] is not None]
    totals = {
        "queries": len(query_ids),
        "ok": sum(s["status"] == "ok" for s in ran.values()),
        "failed": sum(s["status"] != "ok" for s in ran.values()),
        "not_run": len(query_ids) - len(ran),
        "validated": sum(s["validation"] == "ok" for s in ran.values()),
        "mismatched": sum(s["validation"] == "mismatch" for s in ran.values()),
        "no_reference": sum(s["validation"] == "no_reference" for s in ran.values()),
        "geomean_ms": math.exp(sum(map(math.log, medians)) / len(medians)) if medians else None,
        "total_ms": sum(e.duration_ms or 0.0 for e in executions if not e.warmup and e.status == "ok")
        or None,
    }
    return {"queries": queries, "totals": totals}


def _query_stats(executions: list[Execution]) -> dict[str, Any]:
    measured = [e for e in executions if not e.warmup]
    succeeded = [e for e in measured if e.status == "ok"]
    times = [e.duration_ms for e in succeeded if e.duration_ms is not None]
    median = statistics.median(times) if times else None
    stdev = statistics.stdev(times) if len(times) > 1 else 0.0 if times else None
    bad = next((e.status for e in executions if e.status != "ok"), None)
    verdicts = {e.validation for e in executions if e.validation is not None}
    validation = next((v for v in ("mismatch", "no_reference", "ok") if v in verdicts), None)
    return {
        "status": "not_run" if not executions else bad or "ok",
        "iterations": len(times),
        "warmups": sum(e.warmup for e in executions),
        "median_ms": median,
        "min_ms": min(times) if times else None,
        "max_ms": max(times) if times else None,
        "stdev_ms": stdev,
        "unstable": bool(median is not None and (median < 1.0 or (stdev or 0.0) / median > UNSTABLE_SPREAD)),
        "validation": validation,
        "cpu_ms_median": _median([e.cpu_ms for e in succeeded]),
        "peak_rss_bytes_max": _max([e.peak_rss_bytes for e in succeeded]),
        "server_cpu_ms_median": _median([e.server_cpu_ms for e in succeeded]),
        "server_peak_rss_bytes_max": _max([e.server_peak_rss_bytes for e in succeeded]),
    }


def _median(values: list[float | None]) -> float | None:
    """The median of the values that were measured, or None."""
    found = [v for v in values if v is not None]
    return statistics.median(found) if found else None


def _max(values: list[int | None]) -> int | None:
    """The largest of the values that were measured, or None."""
    return max((v for v in values if v is not None), default=None)
