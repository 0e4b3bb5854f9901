"""The sweep's own files: ``summary.parquet``/``summary.csv`` (one tidy row per Hydra multirun
job), ``queries.parquet`` (every job's executions in one table) and ``report.html``.

A Hydra callback, so it sees every job whatever the launcher. When a job ends, the process
that ran it (the command's own, or a launcher's worker: joblib and submitit run jobs, and this
callback's ``on_job_end``, in other processes) leaves the job's outcome in its folder
(``outcome.json``: its exit code and error, the one thing its folder would not otherwise say,
e.g. for an invalid config) and rewrites the summary from every job folder on disk, so a
summary written in any process has a row for every job started by then (``running`` until it
ends), with the outcome of each that has ended. At the end of the sweep the summary is written
once more, then ``queries.parquet`` and ``report.html`` (unless ``export.report`` is false).

A sweep cut short (a launcher that raised: a worker that was killed, a job its scheduler ended
for its time limit or memory) still gets that end before the command exits, and first each job
folder with neither an outcome nor a result gets one from the command: exit code 1 (130 when
Ctrl-C or SIGTERM stopped the sweep) and what stopped the sweep in the launcher's words, so its
row, and the page ``benchbox report`` rebuilds later, say why. A job that failed is a row with
its error, never a missing row.

A summary row has the job's number, status and error, one column per swept key
(``platform.threads``, ``mode.iterations``: see ``report.tables.sweep_keys``), the run's
columns (``benchmark``, ``platform``, ``mode``, ``experiment``, and one per setting of the
benchmark's config such as its scale), its totals, one column per number the
benchmark's metrics report (``<section>.<name>``), and where it came from (``spec_hash``,
``config_git_commit``, ``result_path``). Documented in docs/results.md.
"""

from __future__ import annotations

import atexit
import json
import logging
import re
import sys
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from benchbox import columns
from benchbox.atomic import write_bytes_atomic
from benchbox.exit_codes import CODES, INTERRUPTED, OUTCOMES, PENDING
from benchbox.exporters.tables import write_csv, write_parquet
from benchbox.report import summary, tables

log = logging.getLogger("benchbox")


class SweepSummary(Callback):
    """Collects a row per job and writes the sweep's files into the sweep folder."""

    def __init__(self) -> None:
        self._jobs: dict[Path, summary.Job] = {}
        """Jobs that have ended, read once (a job's folder does not change after its outcome)."""
        self._sweep_dir: Path | None = None
        self._report = True
        self._ended = True

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        self._sweep_dir = Path(config.hydra.sweep.dir).resolve()  # job folders arrive absolute
        self._report = bool(config.get("export", {}).get("report", True))
        self._ended = False
        PENDING.append(self._end_cut_short)  # the command settles it before choosing its exit code
        atexit.register(self._end_cut_short)  # only in this process: workers never start the sweep
        # At exit a module that registers a thread-exit hook can no longer be imported; writing the
        # summary then imports pandas (pyarrow asks whether it is there), which imports this one.
        import concurrent.futures.thread  # noqa: F401

    def on_job_end(self, config: DictConfig, job_return: Any, **kwargs: Any) -> None:
        hydra = job_return.hydra_cfg.hydra
        if str(hydra.mode) != "RunMode.MULTIRUN":
            return
        job_dir = Path(hydra.runtime.output_dir).resolve()
        outcome = job_return._return_value  # never raises, unlike .return_value on a failed job
        if isinstance(outcome, BaseException):
            outcome = {"exit_code": 1, "error": f"{type(outcome).__name__}: {outcome}"}
        elif not isinstance(outcome, dict):  # its objective (an optimising sweeper): the outcome the
            # task recorded in this process, a launcher's worker too (exit_codes pickles it by name)
            outcome = OUTCOMES.get(str(job_dir), {"exit_code": None, "error": None})
        try:
            write_outcome(job_dir, int(hydra.job.num), list(job_return.overrides), outcome)
            self._write(_sweep_of(hydra, job_dir), final=False)
        except OSError as exc:  # a full disk must not end the sweep: the next job may write them
            log.error("cannot write the sweep's summary: %s", exc)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        if self._sweep_dir is not None and not self._ended:
            self._end()

    def _end(self) -> None:
        assert self._sweep_dir is not None
        self._ended = True
        if self._end_cut_short in PENDING:
            PENDING.remove(self._end_cut_short)
        rows, jobs = self._rows(self._sweep_dir, final=True)
        try:
            self._save(rows, self._sweep_dir)
            runs = [job.run for job in jobs if job.run is not None]
            write_parquet(tables.executions(runs), self._sweep_dir / "queries.parquet")
            if self._report:
                write_sweep_report(jobs, rows, self._sweep_dir)
        except OSError as exc:  # the table below still tells how each job ended
            log.error("cannot write the sweep's files into %s: %s", self._sweep_dir, exc)
        CODES.extend(row["exit_code"] for row in rows if row["exit_code"] is not None)
        from benchbox.report.console import print_sweep

        print_sweep(rows, self._sweep_dir, sys.stdout)

    def _end_cut_short(self) -> None:
        """When the sweep never reached its end (the launcher raised): the outcome of each job that
        left none, then the sweep's files anyway. Run as the command settles (or at exit)."""
        if self._ended or self._sweep_dir is None:
            return
        try:
            self._record_unended(self._sweep_dir, *stopped_by())
            self._end()
        except Exception:  # exiting already: say why there is no summary, do not hide the first error
            log.exception("could not write the summary of the sweep in %s", self._sweep_dir)

    def _record_unended(self, sweep: Path, code: int, cause: str) -> None:
        """An outcome (``code``, ``cause``) for each job folder without an outcome or a result: its
        process died, or the launcher stopped waiting for it. A job still running elsewhere (another
        scheduler's job) replaces it with its own when it ends."""
        for folder in summary.job_folders(sweep):
            job = self._jobs.get(folder) or summary.job_of(folder)
            if job.ended or (folder / summary.OUTCOME).exists():
                continue
            error = summary.CUT_SHORT.format(folder=folder, cause=cause)
            try:
                write_outcome(folder, job.number, job.overrides, {"exit_code": code, "error": error})
            except OSError as exc:  # the row says it ended without an outcome all the same
                log.error("cannot write the outcome of the job in %s: %s", folder, exc)

    def _write(self, sweep: Path, final: bool) -> None:
        self._save(self._rows(sweep, final)[0], sweep)

    def _rows(self, sweep: Path, final: bool) -> tuple[list[dict[str, Any]], list[summary.Job]]:
        """The summary rows of every job folder on disk; a job that has ended is read only once."""
        jobs = []
        for folder in summary.job_folders(sweep):
            job = self._jobs.get(folder) or summary.job_of(folder)
            if "exit_code" in job.outcome:  # it has ended: its folder does not change any more
                self._jobs[folder] = job
            jobs.append(job)
        return summary.rows(jobs, sweep, final), jobs

    @staticmethod
    def _save(rows: list[dict[str, Any]], sweep: Path) -> None:
        table = columns.table(rows)
        write_parquet(table, sweep / "summary.parquet")
        write_csv(table, sweep / "summary.csv")


def _sweep_of(hydra: Any, job_dir: Path) -> Path:
    """The sweep folder of a job, from the job itself (in a launcher's worker this callback never saw
    the sweep start): its folder without ``hydra.sweep.subdir``. Not ``hydra.sweep.dir``, whose
    default names the time (``multirun/${now:...}``) and would resolve to the time of asking."""
    subdir = Path(str(hydra.sweep.subdir)).parts
    if subdir and job_dir.parts[-len(subdir) :] == subdir:
        return job_dir.parents[len(subdir) - 1]
    return job_dir.parent


_LAUNCHER_LOG = re.compile(r" (?:-{3}|Error stream produced:|No error stream produced\.)")
"""Where submitit's message of an uncompleted job stops saying why and starts quoting its log."""


def stopped_by() -> tuple[int, str]:
    """What cut the sweep short, as the exit code of the jobs it left without an outcome (130 for
    Ctrl-C or SIGTERM, else 1) and one line: the exception the command is handling as it settles
    (Hydra reports the launcher's error and exits, so that ``SystemExit`` has it as its context),
    or the one that ended the interpreter, e.g. joblib's ``TerminatedWorkerError: ... The exit codes
    of the workers are {SIGKILL(-9)}`` or submitit's ``UncompletedJobError: ... (state: TIMEOUT)``."""
    exc: BaseException | None = sys.exc_info()[1] or getattr(sys, "last_value", None)
    seen: set[int] = set()
    while isinstance(exc, SystemExit) and id(exc) not in seen:
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    if exc is None or isinstance(exc, SystemExit):
        return 1, "the sweep's launcher stopped before the job ended"
    # Not the job's log that submitit adds after a rule, nor its line that announces that log.
    text = _LAUNCHER_LOG.split(" ".join(str(exc).split()), maxsplit=1)[0]
    text = text if len(text) <= _CAUSE_CHARS else text[: _CAUSE_CHARS - 3] + "..."
    code = INTERRUPTED if isinstance(exc, KeyboardInterrupt) else 1
    return code, f"the sweep stopped on {type(exc).__name__}" + (f": {text}" if text else "")


_CAUSE_CHARS = 500
"""At most this much of the launcher's message goes into a job's error."""


def write_outcome(folder: Path, number: int, overrides: list[str], outcome: dict[str, Any]) -> Path:
    """The job's outcome record (``summary.OUTCOME``), atomically: how it ended, for a summary
    written in another process."""
    record = {"job": number, "overrides": overrides, **{k: outcome.get(k) for k in ("exit_code", "error")}}
    return write_bytes_atomic(folder / summary.OUTCOME, json.dumps(record, indent=2).encode())


def write_sweep_report(jobs: list[summary.Job], rows: list[dict[str, Any]], sweep: Path) -> Path:
    """The sweep's ``report.html``: its jobs compared (see ``report.html.sweep_page``)."""
    from benchbox.report.html import sweep_page

    records = {job.number: job.run.record for job in jobs if job.run is not None}
    return write_bytes_atomic(sweep / "report.html", sweep_page(rows, records, str(sweep)).encode())
