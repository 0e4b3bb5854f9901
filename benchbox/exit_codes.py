"""The exit codes of this command's jobs, wherever Hydra ran them.

The CLI records the jobs it runs in this process; the sweep summary adds those it
reads from disk after a launcher ran them in other processes (joblib). The
command exits with the highest.
"""

from __future__ import annotations

INTERRUPTED = 130

CODES: list[int] = []

OUTCOMES: dict[str, dict[str, object]] = {}
"""Job output folder -> the job's outcome (``exit_code``, ``error``), for the sweep summary
when the job's return value is its objective (a number for an optimising sweeper)."""
