"""The exit codes of this command's jobs, wherever Hydra ran them.

The CLI records the jobs it runs in this process; the sweep summary adds those it
reads from disk after a launcher ran them in other processes (joblib). The
command exits with the highest.
"""

from __future__ import annotations

from collections.abc import Callable

INTERRUPTED = 130

CODES: list[int] = []

OUTCOMES: dict[str, dict[str, object]] = {}
"""Job output folder -> the job's outcome (``exit_code``, ``error``), for the sweep summary
when the job's return value is its objective (a number for an optimising sweeper)."""

PENDING: list[Callable[[], None]] = []
"""What must run before the command chooses its exit code: a sweep registers the writing of its
summary here until it reaches its end, since the summary's rows add the jobs' codes to ``CODES``
(with joblib they reach this process no other way)."""


def settle() -> None:
    """Run what is pending (a sweep its launcher cut short writes its summary now, not at exit)."""
    while PENDING:
        PENDING.pop()()
