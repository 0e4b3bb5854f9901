"""Where a platform falls short on a TPC-DS query, declared rather than hidden.

Platform name -> query id -> ``Gap``. The contract tests turn each into a strict expected
failure, so a gap that gets fixed fails until it is removed here; the support matrix in
docs/platforms/README.md lists them. Measured at SF 0.01 with the qualification values
(benchbox's contract suite); every other platform validates all 103 queries.
"""

from __future__ import annotations

from benchbox.benchmarks.base import Gap

_ROLLUP = Gap(
    "notimpl",
    "SQLite has no GROUP BY ROLLUP and no GROUPING(); benchbox does not yet expand a rollup into a "
    "UNION ALL of its groupings",
)
ROLLUP_QUERIES = ("Q5", "Q14a", "Q18", "Q22", "Q27", "Q36", "Q67", "Q70", "Q77", "Q80", "Q86")
"""The queries that group by ROLLUP (and, some, rank by GROUPING())."""

_STDDEV = Gap(
    "notimpl",
    "with the suite's SQLite URL: SQLite has no STDDEV_SAMP; the sqlite platform registers one, the "
    "sqlalchemy platform cannot know the backend's functions",
)

KNOWN_GAPS: dict[str, dict[str, Gap]] = {
    "sqlite": dict.fromkeys(ROLLUP_QUERIES, _ROLLUP),
    "sqlalchemy": {
        **dict.fromkeys(ROLLUP_QUERIES, _ROLLUP),
        **dict.fromkeys(("Q17", "Q39a", "Q39b"), _STDDEV),
    },
}
