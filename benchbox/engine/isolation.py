"""Fresh processes for timed runs: a run never silently inherits another run's warm process.

The first run in a process runs in place. A later one (the next job of a sweep,
or a worker the joblib launcher reuses) would find another run's imports, caches
and allocator state warm, so it runs in a freshly spawned process instead, unless
``reuse_warm_process: true`` says that is wanted (the result records how many runs
the process had made before, either way). The child runs the same ``engine.run``.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchbox.result import RunResult
    from benchbox.spec import RunSpec

_runs_in_process = 0


def runs_before() -> int:
    """Count a run starting in this process; return how many ran here before it."""
    global _runs_in_process
    _runs_in_process += 1
    return _runs_in_process - 1


def in_fresh_process(run: Callable[[RunSpec], RunResult], spec: RunSpec) -> RunResult:
    """``run(spec)`` in a newly spawned interpreter, with this process's log handlers mirrored."""
    handlers = [_describe(h) for h in logging.getLogger().handlers]
    with ProcessPoolExecutor(
        1, mp_context=get_context("spawn"), initializer=_mirror, initargs=(handlers,)
    ) as pool:
        future = pool.submit(run, spec)
        while True:
            try:
                return future.result()
            except KeyboardInterrupt:
                continue  # the child got the signal too: wait for its partial result


def _describe(handler: logging.Handler) -> tuple[str, str | None, str | None]:
    fmt = handler.formatter._fmt if handler.formatter else None
    if isinstance(handler, logging.FileHandler):
        return "file", handler.baseFilename, fmt
    return "stream", "stderr" if getattr(handler, "stream", None) is sys.stderr else "stdout", fmt


def _mirror(handlers: list[tuple[str, str | None, str | None]]) -> None:
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    for kind, target, fmt in handlers:
        if kind == "file":
            handler: logging.Handler = logging.FileHandler(target, mode="a")
        else:
            handler = logging.StreamHandler(sys.stderr if target == "stderr" else sys.stdout)
        handler.setFormatter(logging.Formatter(fmt))
        root.addHandler(handler)
