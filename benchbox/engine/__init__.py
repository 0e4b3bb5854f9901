"""The engine: ``run(spec)`` is the one path every run takes.

plan -> [generate -> [load -> [power | throughput -> validate]]] by mode, then statistics,
then the enricher, then the exporter. Dry run, data-only and load-only are this
same path with fewer phases. This is the only caller of phases, enrich and export.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from benchbox import benchmarks, platforms
from benchbox.engine import isolation, phases, streams
from benchbox.engine.progress import progress_for
from benchbox.engine.state import RunState, utc_now
from benchbox.engine.stats import summarize
from benchbox.engine.watchdog import Watchdog
from benchbox.enrich import enrich
from benchbox.errors import BenchboxError, PhaseError
from benchbox.exporters import export
from benchbox.result import PhaseRecord, RunResult
from benchbox.spec import RunSpec

log = logging.getLogger("benchbox")

PHASES: dict[str, tuple[str, ...]] = {
    "dry_run": ("plan",),
    "data_only": ("plan", "generate"),
    "load_only": ("plan", "generate", "load"),
    "power": ("plan", "generate", "load", "power", "validate"),
    "throughput": ("plan", "generate", "load", "throughput", "validate"),
    "maintenance": ("plan", "generate", "load", "maintenance"),
    "tpc": ("plan", "generate", "load", "power_test", "throughput_test", "validate"),
}
"""The phases each mode runs, in order."""

_PHASE_FUNCTIONS: dict[str, Callable[[RunState], dict[str, Any]]] = {
    "plan": phases.plan,
    "generate": phases.generate,
    "load": phases.load,
    "power": phases.power,
    "throughput": streams.throughput,
    "power_test": streams.power_test,
    "throughput_test": streams.throughput_test,
    "maintenance": phases.maintenance,
    "validate": phases.validate,
}

INTERRUPTED_EXIT = 130


def run(spec: RunSpec) -> RunResult:
    """Execute ``spec`` through its phases, enrich the result, export it, and return it.

    A process that already made a run hands this one to a fresh process (see
    ``isolation``) unless ``spec.reuse_warm_process`` allows the warm one.
    """
    before = isolation.runs_before()
    if before and not spec.reuse_warm_process:
        return isolation.in_fresh_process(run, spec)
    now = datetime.now(timezone.utc)
    result = RunResult(
        run_id=f"{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}", spec=spec, started_at=now.isoformat()
    )
    result.process_runs_before = before
    adapter = platforms.get(spec.platform.name).Adapter(spec.platform)
    with progress_for(spec.progress) as progress, Watchdog() as watchdog:
        benchmark = benchmarks.get(spec.benchmark.name)(spec.benchmark)
        state = RunState(result, benchmark, adapter, progress, watchdog)
        try:
            for name in PHASES[spec.mode.name]:
                _run_phase(name, state)
        except KeyboardInterrupt:
            result.status, result.error, result.exit_code = (
                "interrupted",
                "interrupted by signal",
                INTERRUPTED_EXIT,
            )
        except BenchboxError as exc:
            result.status, result.error, result.exit_code = "failed", str(exc), exc.exit_code
        finally:
            adapter.close()
    if result.status == "running":
        bad = any(e.status != "ok" or e.validation == "mismatch" for e in result.executions)
        result.status, result.exit_code = ("failed", 1) if bad else ("ok", 0)
    result.finished_at = utc_now()
    planned = [q.query_id for q in result.plan] + [e.query_id for e in result.executions]
    result.summary = summarize(list(dict.fromkeys(planned)), result.executions)
    if result.status != "interrupted":
        result.summary.update(benchmark.metrics(spec.mode.name, result.executions, result.phases))
    enrich(result)
    try:
        export(result)
    except BenchboxError as exc:
        log.error("%s", exc)
        result.exit_code = result.exit_code or exc.exit_code
    progress.summary(result)
    return result


def _run_phase(name: str, state: RunState) -> None:
    """Run one phase, record it, and wrap a failure once, naming the phase."""
    record = PhaseRecord(name=name, started_at=utc_now())
    state.result.phases.append(record)
    state.progress.phase_started(name)
    start = time.perf_counter_ns()
    try:
        record.details = _PHASE_FUNCTIONS[name](state)
    except KeyboardInterrupt:
        record.status = "interrupted"
        raise
    except Exception as exc:
        record.status, record.error = "failed", f"{type(exc).__name__}: {exc}"
        if not isinstance(exc, BenchboxError):
            log.exception("bug in phase %s", name)
        raise PhaseError(name, exc) from exc
    finally:
        record.duration_ms = (time.perf_counter_ns() - start) / 1e6
        state.progress.phase_finished(record)
