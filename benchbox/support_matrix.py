"""The support matrix in docs/platforms/README.md, generated from what the adapters and the
benchmarks declare (capabilities, modes, known gaps).

Run ``python -m benchbox.support_matrix`` to print it; a test fails when the docs drift
from the declarations.
"""

from __future__ import annotations

from benchbox import benchmarks, platforms
from benchbox.platforms.base import Adapter

BEGIN, END = "<!-- support-matrix:begin -->", "<!-- support-matrix:end -->"


def matrix() -> str:
    """The matrix as Markdown: one row per platform, one gap column per benchmark, then every gap."""
    suites = [benchmarks.get(name) for name in benchmarks.NAMES]
    header = "| platform | extra | dialect | storage | transactions | concurrent sessions | cancel "
    header += "| mode=throughput | mode=maintenance | " + " | ".join(f"{b.title} gaps" for b in suites) + " |"
    lines = [header, "| " + " | ".join(["---"] * (9 + len(suites))) + " |"]
    gaps = []
    for name in platforms.NAMES:
        adapter = platforms.get(name).Adapter
        caps = adapter.capabilities
        flags = (
            caps.transactions,
            caps.concurrent_sessions,
            caps.cancel,
            adapter.opens_sessions(),
            adapter.runs_transactions(),
        )
        marks = ["yes" if flag else "no" for flag in flags]
        derived = adapter.capabilities_for.__func__ is not Adapter.capabilities_for.__func__
        dialect = "from the config" if derived else caps.dialect
        counts = [str(len(b.known_gaps.get(name, {})) or "none") for b in suites]
        lines.append(
            f"| [{name}]({name}.md) | `benchbox[{adapter.extra}]` | {dialect} | {caps.storage} | "
            f"{' | '.join(marks)} | {' | '.join(counts)} |"
        )
    for suite in suites:
        found = []
        for name in platforms.NAMES:
            by_gap: dict[object, list[str]] = {}
            for query, gap in sorted(
                suite.known_gaps.get(name, {}).items(), key=lambda item: _order(item[0])
            ):
                by_gap.setdefault(gap, []).append(query)
            found += [
                f"- **{suite.title} on {name}**, {', '.join(queries)} ({gap.kind}): {gap.reason}"
                for gap, queries in by_gap.items()
            ]
        gaps += found or [f"- {suite.title}: no known gaps; every platform validates every query."]
    modes = [f"- {b.title}: {', '.join(sorted(b.modes))}" for b in suites]
    return "\n".join(
        [BEGIN, *lines, "", "Modes by benchmark:", "", *modes, "", "Known gaps:", "", *gaps, END]
    )


def _order(query_id: str) -> tuple[int, str]:
    """``Q2`` before ``Q10``, ``Q14a`` before ``Q14b``."""
    digits = "".join(c for c in query_id if c.isdigit())
    return (int(digits) if digits else 0, query_id)


if __name__ == "__main__":
    print(matrix())
