"""The exit codes of this command's jobs, wherever Hydra ran them.

The CLI records the jobs it runs in this process; the sweep summary adds those it
reads from disk after a launcher ran them in other processes (joblib, submitit). The
command exits with the highest.

``CODES`` and ``OUTCOMES`` are one per process, also in a launcher's worker: a launcher
ships the command's task function to its workers with cloudpickle, which copies the
globals of a function defined inside another (the CLI's ``task``) along with it, so a
plain list or dict would arrive as a copy that only that one call sees (and the sweep
summary's callback in the worker, reading this module's, would find nothing). They are
pickled by name instead, as a module's function is: unpickled, each is this module's own.
"""

from __future__ import annotations

from collections.abc import Callable

INTERRUPTED = 130


class _Codes(list[int]):
    def __reduce__(self) -> str:
        return "CODES"  # pickled by name: this module's, in the process that unpickles it


class _Outcomes(dict[str, dict[str, object]]):
    def __reduce__(self) -> str:
        return "OUTCOMES"


CODES: list[int] = _Codes()

OUTCOMES: dict[str, dict[str, object]] = _Outcomes()
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
