"""Where a platform falls short on a TPC-DS query, declared rather than hidden.

Platform name -> query id -> ``Gap``. The contract tests turn each into a strict expected
failure, so a gap that gets fixed fails until it is removed here; the support matrix in
docs/platforms/README.md lists them. Measured at SF 0.01 and 0.1 with the qualification
values: every platform validates all 103 queries, so there is none.
"""

from __future__ import annotations

from benchbox.benchmarks.base import Gap

KNOWN_GAPS: dict[str, dict[str, Gap]] = {}
