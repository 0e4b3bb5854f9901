"""What the phases of one run share, and the run's clocks."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchbox.benchmarks.base import Benchmark
    from benchbox.benchmarks.datacache import Dataset
    from benchbox.engine.progress import Progress
    from benchbox.engine.watchdog import Watchdog
    from benchbox.platforms.base import Adapter
    from benchbox.result import RunResult


@dataclass
class RunState:
    """What the phases share during one run."""

    result: RunResult
    benchmark: Benchmark
    adapter: Adapter
    progress: Progress
    watchdog: Watchdog
    dataset: Dataset | None = None
    origin_ns: int = field(default_factory=time.perf_counter_ns)
    """The run's zero on the monotonic clock: every execution's ``offset_ms`` counts from it."""


def utc_now() -> str:
    """The current UTC time as ISO 8601."""
    return datetime.now(timezone.utc).isoformat()
