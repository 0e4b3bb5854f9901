"""The platform support matrix in docs/platforms/README.md, generated from the adapters' declarations.

Run ``python -m benchbox.support_matrix`` to print it; a test fails when the docs drift
from what the adapters declare (capabilities and known gaps).
"""

from __future__ import annotations

from benchbox import platforms
from benchbox.platforms.base import Adapter

BEGIN, END = "<!-- support-matrix:begin -->", "<!-- support-matrix:end -->"


def matrix() -> str:
    """The matrix as Markdown: one row per platform, then every declared gap."""
    lines = [
        "| platform | extra | dialect | storage | transactions | concurrent sessions | cancel "
        "| mode=throughput | mode=maintenance | TPC-H gaps |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    gaps = []
    for name in platforms.NAMES:
        adapter = platforms.get(name).Adapter
        caps = adapter.capabilities
        flags = (
            caps.transactions,
            caps.concurrent_sessions,
            caps.cancel,
            adapter.opens_sessions(),
            adapter.runs_refresh(),
        )
        marks = ["yes" if flag else "no" for flag in flags]
        derived = adapter.capabilities_for.__func__ is not Adapter.capabilities_for.__func__
        dialect = "from the config" if derived else caps.dialect
        count = len(adapter.known_gaps)
        lines.append(
            f"| [{name}]({name}.md) | `benchbox[{adapter.extra}]` | {dialect} | {caps.storage} | "
            f"{' | '.join(marks)} | {count or 'none'} |"
        )
        gaps += [
            f"- **{name} {query}** ({gap.kind}): {gap.reason}"
            for query, gap in sorted(adapter.known_gaps.items())
        ]
    return "\n".join(
        [BEGIN, *lines, "", *(gaps or ["No known gaps: every platform validates all 22 queries."]), END]
    )


if __name__ == "__main__":
    print(matrix())
