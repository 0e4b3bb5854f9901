"""The sweep's own files: ``summary.parquet``/``summary.csv`` (one tidy row per Hydra multirun
job), ``queries.parquet`` (every job's executions in one table) and ``report.html``.

A Hydra callback, so it sees every job whatever the launcher. The summary is rewritten
after each job (a sweep that dies half-way still leaves it) and once more at the end,
when job folders that ran in other processes are read from disk; ``queries.parquet``
and ``report.html`` (unless ``export.report`` is false) are written at the end. A job
that failed is a row with its error, never a missing row.

A summary row has the job's number, status and error, one column per swept key
(``platform.threads``, ``mode.iterations``: see ``report.tables.sweep_keys``), the run's
columns (``benchmark``, ``platform``, ``mode``, ``experiment``, and one per setting of the
benchmark's config such as its scale), its totals, one column per number the
benchmark's metrics report (``<section>.<name>``), and where it came from (``spec_hash``,
``config_git_commit``, ``result_path``). Documented in docs/results.md.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from benchbox import columns
from benchbox.atomic import write_bytes_atomic
from benchbox.exit_codes import CODES, OUTCOMES
from benchbox.exporters.tables import write_csv, write_parquet
from benchbox.report import summary, tables


class SweepSummary(Callback):
    """Collects a row per job and writes the sweep's files into the sweep folder."""

    def __init__(self) -> None:
        self._jobs: dict[str, summary.Job] = {}
        self._sweep_dir: Path | None = None

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        self._sweep_dir = Path(config.hydra.sweep.dir).resolve()  # job folders arrive absolute

    def on_job_end(self, config: DictConfig, job_return: Any, **kwargs: Any) -> None:
        hydra = job_return.hydra_cfg.hydra
        if self._sweep_dir is None or str(hydra.mode) != "RunMode.MULTIRUN":
            return
        job_dir = Path(hydra.runtime.output_dir)
        outcome = job_return._return_value  # never raises, unlike .return_value on a failed job
        if isinstance(outcome, BaseException):
            outcome = {"exit_code": 1, "error": f"{type(outcome).__name__}: {outcome}"}
        elif not isinstance(outcome, dict):  # the job returned its objective (an optimising sweeper)
            outcome = OUTCOMES.get(str(job_dir.resolve()), {})
        self._jobs[str(job_dir)] = summary.Job.of(job_dir, hydra.job.num, list(job_return.overrides), outcome)
        self._write()

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        if self._sweep_dir is None:
            return
        for job in summary.jobs_of(self._sweep_dir):
            self._jobs.setdefault(str(job.folder), job)  # those that ran in another process (joblib)
        rows = self._write()
        runs = [job.run for job in self._jobs.values() if job.run is not None]
        write_parquet(tables.executions(runs), self._sweep_dir / "queries.parquet")
        if config.get("export", {}).get("report", True):
            write_sweep_report(list(self._jobs.values()), rows, self._sweep_dir)
        CODES.extend(row["exit_code"] for row in rows if row["exit_code"] is not None)
        from benchbox.report.console import print_sweep

        print_sweep(rows, self._sweep_dir, sys.stdout)

    def _write(self) -> list[dict[str, Any]]:
        assert self._sweep_dir is not None
        rows = summary.rows(list(self._jobs.values()), self._sweep_dir)
        table = columns.table(rows)
        write_parquet(table, self._sweep_dir / "summary.parquet")
        write_csv(table, self._sweep_dir / "summary.csv")
        return rows


def write_sweep_report(jobs: list[summary.Job], rows: list[dict[str, Any]], sweep: Path) -> Path:
    """The sweep's ``report.html``: its jobs compared (see ``report.html.sweep_page``)."""
    from benchbox.report.html import sweep_page

    records = {job.number: job.run.record for job in jobs if job.run is not None}
    return write_bytes_atomic(sweep / "report.html", sweep_page(rows, records, str(sweep)).encode())
