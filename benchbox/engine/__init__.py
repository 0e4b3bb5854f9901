"""The engine: ``run(spec)`` is the one path every run takes.

plan -> [generate -> [load -> [power | throughput -> validate]]] by mode, then statistics,
then the enricher, then the exporter. Dry run, data-only and load-only are this
same path with fewer phases. This is the only caller of phases, enrich and export.
"""

from __future__ import annotations

import logging
import signal
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
from benchbox.errors import BenchboxError, PhaseError, RunInterrupted
from benchbox.exporters import export
from benchbox.result import PhaseRecord, RunResult
from benchbox.spec import RunSpec

log = logging.getLogger(__name__)

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
CHANGES_DATA = frozenset({"maintenance", "power_test", "throughput_test"})
"""The phases that may change the loaded tables (they run maintenance functions)."""

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

LATE_SIGNAL = "interrupted by signal after the last phase; the results are complete"
"""The error of a run whose every phase had ended when Ctrl-C/SIGTERM came (it still exits 130)."""


def run(spec: RunSpec) -> RunResult:
    """Execute ``spec`` through its phases, enrich the result, export it, and return it.

    A process that already made a run hands this one to a fresh process (see
    ``isolation``) unless ``spec.reuse_warm_process`` allows the warm one.
    """
    before = isolation.runs_before()
    if before and not spec.reuse_warm_process:
        log.debug("%d run(s) were made in this process before: this one goes to a fresh process", before)
        return isolation.in_fresh_process(run, spec)
    now = datetime.now(timezone.utc)
    result = RunResult(
        run_id=f"{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}", spec=spec, started_at=now.isoformat()
    )
    result.process_runs_before = before
    log.debug(
        "run %s: spec %s, platform=%s benchmark=%s mode=%s, phases %s, run folder %s",
        result.run_id,
        spec.spec_hash[:12],
        spec.platform.name,
        spec.benchmark.name,
        spec.mode.name,
        ", ".join(PHASES[spec.mode.name]),
        spec.context.output_dir,
    )
    adapter = platforms.get(spec.platform.name).Adapter(spec.platform)
    with Watchdog() as watchdog:
        with progress_for(spec.progress) as progress:
            benchmark = benchmarks.get(spec.benchmark.name)(spec.benchmark)
            _run_phases(RunState(result, benchmark, adapter, progress, watchdog))
            written = _finish(result, benchmark, watchdog)
        progress.summary(result, written=written)  # the live display has stopped; signals are still held
    return result


def _run_phases(state: RunState) -> None:
    """The mode's phases; a signal or an error ends them, and either way ``Watchdog.hold`` is on and
    the connection is closed when this returns."""
    result, watchdog = state.result, state.watchdog
    try:
        for name in PHASES[result.spec.mode.name]:
            _run_phase(name, state)
        watchdog.hold()  # the last statement: a signal before it is raised inside this try
    except KeyboardInterrupt as exc:
        watchdog.hold()
        if _all_phases_ended(result):  # it came after the last phase had ended
            watchdog.late.append(signal.SIGTERM if isinstance(exc, RunInterrupted) else signal.SIGINT)
        else:
            # Which signal the run received (Ctrl-C, kill, a scheduler's cancel): the row says it.
            name = "SIGTERM" if isinstance(exc, RunInterrupted) else "SIGINT"
            result.status, result.error = "interrupted", f"interrupted by signal {name}"
            result.exit_code = INTERRUPTED_EXIT
    except BenchboxError as exc:
        watchdog.hold()
        result.status, result.error, result.exit_code = "failed", str(exc), exc.exit_code
    finally:
        watchdog.hold()
        state.adapter.close()


def _finish(result: RunResult, benchmark: Any, watchdog: Watchdog) -> bool:
    """Statistics, metadata and files, with signals held (``Watchdog.hold``); whether the files were
    written. A signal now changes the outcome (exit 130), not what is written; the files are
    written once more if one came while they were being written, so that they say so too."""
    spec = result.spec
    result.executions = list(result.executions)  # the one snapshot: a stream still going cannot add to it
    if result.status == "running":
        bad = any(e.status != "ok" or e.validation == "mismatch" for e in result.executions)
        result.status, result.exit_code = ("failed", 1) if bad else ("ok", 0)
    result.finished_at = utc_now()
    planned = [q.query_id for q in result.plan] + [e.query_id for e in result.executions]
    try:
        result.summary = summarize(list(dict.fromkeys(planned)), result.executions)
        if result.status != "interrupted":
            result.summary.update(benchmark.metrics(spec.mode.name, result.executions, result.phases))
        enrich(result)
    except KeyboardInterrupt:  # raised by code, not by a held signal: still a late interruption
        watchdog.late.append(signal.SIGINT)
    written = False
    for _ in range(2):
        noted = len(watchdog.late)
        if noted:
            _late(result)
        try:
            export(result)
        except BenchboxError as exc:
            _unwritten(result, exc)
            break
        written = True
        if len(watchdog.late) == noted or result.exit_code == INTERRUPTED_EXIT:
            break  # no signal came while writing, or the files already say the run was interrupted
    if not written and watchdog.late:
        _late(result)  # no file says it: the table and the caller still do
    return written


def _all_phases_ended(result: RunResult) -> bool:
    """Whether every phase of the mode has a record and none was cut short."""
    names = [p.name for p in result.phases]
    return names == list(PHASES[result.spec.mode.name]) and all(p.status == "ok" for p in result.phases)


def _late(result: RunResult) -> None:
    """A signal after the last phase: the record keeps its status (its phases all ended) and exits 130."""
    if result.exit_code == INTERRUPTED_EXIT:
        return
    result.exit_code = INTERRUPTED_EXIT
    result.error = f"{result.error}; {LATE_SIGNAL}" if result.error else LATE_SIGNAL


def _unwritten(result: RunResult, exc: BenchboxError) -> None:
    """The results could not be written: the run failed (it keeps a non-zero exit code of its own)."""
    log.error("%s", exc)
    if result.status != "interrupted":
        result.status = "failed"
    result.exit_code = result.exit_code or exc.exit_code
    result.error = f"{result.error}; {exc}" if result.error else str(exc)


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
        if log.isEnabledFor(logging.DEBUG):  # the details' JSON only for a debug log
            log.debug(
                "phase %s: %s in %.1f ms; details %s",
                name,
                record.status,
                record.duration_ms,
                _brief(record.details),
            )
        state.progress.phase_finished(record)


def _brief(details: dict[str, Any] | None, limit: int = 300) -> str:
    """A phase's details for a debug line: JSON, cut at ``limit`` characters."""
    import json

    text = json.dumps(details, default=str, sort_keys=True)
    return text if len(text) <= limit else f"{text[:limit]}..."
