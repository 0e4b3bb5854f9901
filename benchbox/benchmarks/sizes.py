"""Refusing data that would not fit, before any of it is made: a huge size setting would
otherwise fill the disk (or, for an in-memory engine, the memory) before anything fails.

The benchmark estimates the size (``Benchmark.estimated_bytes``); this module compares it with
what the machine has and refuses with both numbers and the fixes, unless ``allow_large_data``.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from benchbox.errors import SpecError

if TYPE_CHECKING:
    from benchbox.benchmarks.base import Benchmark
    from benchbox.benchmarks.datacache import Notify

log = logging.getLogger(__name__)


def check_disk(target: Path, benchmark: Benchmark, what: str, allowed: bool, notify: Notify) -> None:
    """Refuse to generate data whose estimated size exceeds the free space of its disk: a huge size
    setting would otherwise fill the disk before anything fails.

    Raises:
        SpecError: it does not fit and ``allowed`` (``allow_large_data``) is false.
    """
    size = benchmark.estimated_bytes()
    free = shutil.disk_usage(_existing(target)).free
    log.debug(
        "data cache: %s estimated at %s of files; %s free on the disk of %s",
        what,
        _bytes(size.files),
        _bytes(free),
        target,
    )
    if size.files <= free:
        return
    problem = (
        f"{what} data needs about {_bytes(size.files)} of disk (an estimate), and the disk of {target} "
        f"has {_bytes(free)} free"
    )
    _refuse(
        problem,
        f"lower {size.setting}, free space there or set data_dir to a larger disk, or set "
        "allow_large_data=true to generate it anyway",
        allowed,
        notify,
    )


def check_memory(benchmark: Benchmark, setting: str, allowed: bool, notify: Notify) -> None:
    """Refuse to load data whose estimated size in memory exceeds the memory available, for a
    platform whose ``setting`` (``platform.database=':memory:'``) holds every table in memory.

    Raises:
        SpecError: it does not fit and ``allowed`` (``allow_large_data``) is false.
    """
    import psutil

    size = benchmark.estimated_bytes()
    available = psutil.virtual_memory().available
    if size.memory <= available:
        return
    key = setting.split("=", 1)[0]
    problem = (
        f"{benchmark.title} {benchmark.config.label} data needs about {_bytes(size.memory)} of memory "
        f"with {setting} (an estimate), and this machine has {_bytes(available)} available"
    )
    _refuse(
        problem,
        f"lower {size.setting}, change {key} to keep the tables out of memory, or set "
        "allow_large_data=true to load it anyway",
        allowed,
        notify,
    )


def check_answers(benchmark: Benchmark, allowed: bool, notify: Notify) -> None:
    """Refuse a run whose largest answer, fetched whole into benchbox's process as every answer is,
    would not fit in the memory available (``DataSize.answers``): it would otherwise swap or be
    killed in the middle of its power run, after the whole load.

    Raises:
        SpecError: it does not fit and ``allowed`` (``allow_large_data``) is false.
    """
    import psutil

    size = benchmark.estimated_bytes()
    available = psutil.virtual_memory().available
    if size.answers <= available:
        return
    problem = (
        f"{benchmark.title} {benchmark.config.label}: its largest answer needs about "
        f"{_bytes(size.answers)} of memory in benchbox's process as it is fetched (an estimate), and "
        f"this machine has {_bytes(available)} available"
    )
    _refuse(
        problem,
        f"lower {size.setting}, leave the largest questions out with benchmark.queries, or set "
        "allow_large_data=true to run it anyway",
        allowed,
        notify,
    )


def _refuse(problem: str, fix: str, allowed: bool, notify: Notify) -> None:
    if allowed:
        notify(f"{problem}; going on, as allow_large_data=true says")
        return
    raise SpecError(f"{problem}: {fix}.")


def _existing(path: Path) -> Path:
    """The nearest folder of ``path`` (itself or a parent) that exists: where its disk is measured."""
    return next(p for p in (path, *path.parents) if p.exists())


def _bytes(count: float) -> str:
    """``1.5 GiB``: a size as people read it, in binary units like ``df -h`` and ``free -h``."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if abs(count) < 1024 or unit == "PiB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    raise AssertionError("unreachable")
