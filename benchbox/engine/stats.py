"""Summary statistics over measured executions (warmups never count).

Per query: median, min, max and sample stdev of the measured iterations, and an
``unstable`` flag when the spread is large against the median or the median is
under a millisecond (timer and scheduling noise dominate there). For the run: the
geometric mean of per-query medians, the total measured time, and query counts.
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
    times = [e.duration_ms for e in measured if e.status == "ok" and e.duration_ms is not None]
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
    }
