"""The sweep's own files: ``summary.parquet``/``summary.csv`` (one tidy row per Hydra multirun
job) and ``queries.parquet`` (every job's executions in one table).

A Hydra callback, so it sees every job whatever the launcher. The summary is rewritten
after each job (a sweep that dies half-way still leaves it) and once more at the end,
when job folders that ran in other processes are read from disk; ``queries.parquet``
is written at the end. A job that failed is a row with its error, never a missing row.

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
from benchbox.exit_codes import CODES, OUTCOMES
from benchbox.exporters.tables import write_csv, write_parquet
from benchbox.report import tables
from benchbox.report.runs import ReportError, Run, read

TOTALS = ("ok", "failed", "validated", "mismatched")
"""Query counts from the run's totals, as ``queries_<name>`` columns."""


class SweepSummary(Callback):
    """Collects a row per job and writes the sweep's files into the sweep folder."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
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
        self._jobs[str(job_dir)] = Job.of(job_dir, hydra.job.num, list(job_return.overrides), outcome)
        self._write()

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        if self._sweep_dir is None:
            return
        for overrides_file in sorted(self._sweep_dir.glob("*/.hydra/overrides.yaml")):
            job_dir = overrides_file.parent.parent
            if str(job_dir) not in self._jobs:  # ran in another process (e.g. the joblib launcher)
                import yaml

                overrides = yaml.safe_load(overrides_file.read_text()) or []
                number = int(job_dir.name) if job_dir.name.isdigit() else -1
                self._jobs[str(job_dir)] = Job.of(job_dir, number, overrides, {})
        rows = self._write()
        runs = [job.run for job in self._jobs.values() if job.run is not None]
        write_parquet(tables.executions(runs), self._sweep_dir / "queries.parquet")
        CODES.extend(row["exit_code"] for row in rows if row["exit_code"] is not None)
        from benchbox.report.console import print_sweep

        print_sweep(rows, self._sweep_dir, sys.stdout)

    def _write(self) -> list[dict[str, Any]]:
        assert self._sweep_dir is not None
        jobs = sorted(self._jobs.values(), key=lambda job: job.number)
        keys = tables.sweep_keys([job.overrides for job in jobs], [self._sweep_dir])
        rows = [job.row(keys) for job in jobs]
        table = columns.table(rows)
        write_parquet(table, self._sweep_dir / "summary.parquet")
        write_csv(table, self._sweep_dir / "summary.csv")
        return rows


class Job:
    """One job of the sweep: its number, overrides, outcome, and its run record if it wrote one."""

    def __init__(self, folder: Path, number: int, overrides: list[str], outcome: dict[str, Any]) -> None:
        self.folder, self.number, self.outcome = folder, number, outcome
        self.overrides = [o for o in overrides if not o.startswith("hydra.")]
        self.run: Run | None = None

    @classmethod
    def of(cls, folder: Path, number: int, overrides: list[str], outcome: dict[str, Any]) -> Job:
        """The job, with its ``result.json`` read if it is there and readable."""
        job = cls(folder, number, overrides, outcome)
        try:
            job.run = read(folder / "result.json")
        except ReportError:
            job.run = None
        return job

    def row(self, keys: list[str]) -> dict[str, Any]:
        """The job's summary row, with a column for each of the sweep's swept ``keys``."""
        written = tables.swept_keys(self.overrides)
        row: dict[str, Any] = {"job": self.number, "status": None, "exit_code": None, "error": None}
        for key in keys:
            value = self.run.value(key) if self.run else None
            row[key] = value if value is not None or key not in written else _parse(written[key])
        if self.run is None:
            code = self.outcome.get("exit_code")
            row.update(exit_code=code, error=self.outcome.get("error"))
            row["status"] = {2: "invalid", 130: "interrupted"}.get(code, "failed")  # type: ignore[arg-type]
            row["error"] = row["error"] or f"no readable result.json in {self.folder}"
            row["overrides"] = " ".join(self.overrides)
            return row
        record = self.run.record
        metadata = record.get("metadata", {})
        summary = record.get("summary", {})
        totals = summary.get("totals", {})
        row.update(status=record.get("status"), exit_code=record.get("exit_code"), error=record.get("error"))
        row.update(
            columns.run_columns(record.get("spec", {}), record.get("run_id"), record.get("benchmark_label"))
        )
        row["experiment"] = metadata.get("experiment")
        row.update({f"queries_{name}": totals.get(name) for name in TOTALS})
        row.update(geomean_ms=totals.get("geomean_ms"), total_ms=totals.get("total_ms"))
        row["wall_s"] = _wall_seconds(record)
        row.update(metric_columns(summary))
        row.update(
            spec_hash=record.get("spec_hash"),
            config_git_commit=metadata.get("config_git_commit"),
            result_path=str(self.run.path),
            overrides=" ".join(self.overrides),
        )
        return row


def metric_columns(summary: dict[str, Any]) -> dict[str, float]:
    """Every number the benchmark's metrics report (``summary[section][name]`` ->
    ``<section>.<name>``); the per-query statistics and totals have columns of their own."""
    return {
        f"{section}.{key}": value
        for section, values in summary.items()
        if section not in ("queries", "totals") and isinstance(values, dict)
        for key, value in values.items()
        if isinstance(value, (int, float)) and not isinstance(value, bool)
    }


def _parse(text: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        return text


def _wall_seconds(record: dict[str, Any]) -> float | None:
    from datetime import datetime

    try:
        start = datetime.fromisoformat(record["started_at"])
        end = datetime.fromisoformat(record["finished_at"])
    except (KeyError, TypeError, ValueError):
        return None
    return (end - start).total_seconds()
