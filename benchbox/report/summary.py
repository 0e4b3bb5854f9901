"""A sweep's summary rows: one per Hydra job, read from the job's folder.

Reading results, so it lives here (``benchbox report`` rebuilds a sweep's page from the
same rows the sweep's callback writes to ``summary.parquet``). A job that wrote no
``result.json`` (an invalid config) is still a row, from its outcome: the job's exit code
and error, which the sweep's callback leaves in the job's folder (``outcome.json``) in
whichever process ran the job, so a sweep whose jobs ran elsewhere (joblib's workers) reads
them from disk like the rest. A job folder with neither is a job that has not ended, or one
whose process died before it could say how it ended.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from benchbox import columns
from benchbox.report import tables
from benchbox.report.runs import ReportError, Run, read

TOTALS = ("ok", "failed", "validated", "mismatched")
"""Query counts from the run's totals, as ``queries_<name>`` columns."""

OUTCOME = "outcome.json"
"""A job's outcome record in its folder: ``job``, ``overrides``, ``exit_code``, ``error``."""

NO_OUTCOME = "the job ended without an outcome: no outcome.json and no readable result.json in {folder}"
"""The error of a job folder with neither a result nor an outcome once the sweep is over: its process
died (was killed) before the job ended."""

CUT_SHORT = "the job ended without an outcome (no readable result.json in {folder}): {cause}"
"""The error the command records in the outcome of each such job of a sweep its launcher cut short
(a worker killed, a job the scheduler ended for its time limit or memory): ``cause`` is what stopped
the sweep, in the launcher's words (see ``exporters.sweep.stopped_by``)."""


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

    @property
    def ended(self) -> bool:
        """Whether the job said how it ended (its outcome), or at least left its run record."""
        return "exit_code" in self.outcome or self.run is not None

    def row(self, keys: list[str], final: bool = True) -> dict[str, Any]:
        """The job's summary row, with a column for each of the sweep's swept ``keys``. ``final``: the
        sweep is over, so a job that has not ended never will (status ``failed``, not ``running``)."""
        written = tables.swept_keys(self.overrides)
        row: dict[str, Any] = {"job": self.number, "status": None, "exit_code": None, "error": None}
        for key in keys:
            value = self.run.value(key) if self.run else None
            row[key] = value if value is not None or key not in written else _parse(written[key])
        if self.run is None:
            row.update(_chosen(self.overrides))
            code = self.outcome.get("exit_code")
            if code is None and self.ended:  # ended, but no code said how: not a success
                code = 1
            row.update(exit_code=code, error=self.outcome.get("error"))
            row["status"] = {2: "invalid", 130: "interrupted"}.get(code, "failed")  # type: ignore[arg-type]
            row["error"] = row["error"] or f"no readable result.json in {self.folder}"
            if not self.ended:
                running = {"status": "running", "error": None}
                ended = {"status": "failed", "exit_code": 1, "error": NO_OUTCOME.format(folder=self.folder)}
                row.update(ended if final else running)
            row["overrides"] = " ".join(self.overrides)
            return row
        record = self.run.record
        metadata = record.get("metadata", {})
        summary = record.get("summary", {})
        totals = summary.get("totals", {})
        row.update(status=record.get("status"), exit_code=record.get("exit_code"), error=record.get("error"))
        if self.outcome.get("exit_code") is not None:  # the job's own code (e.g. 2 for an unknown objective)
            row.update(exit_code=self.outcome["exit_code"], error=row["error"] or self.outcome.get("error"))
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


def _chosen(overrides: list[str]) -> dict[str, Any]:
    """What a job without a run record asked for: its group choices and ``benchmark.*`` settings,
    from its overrides (so an invalid job's row still says which value was wrong)."""
    found: dict[str, Any] = {}
    settings: dict[str, Any] = {}
    for override in overrides:
        key, eq, value = override.lstrip("+~").partition("=")
        if not eq:
            continue
        if key in ("platform", "benchmark", "mode", "experiment"):
            found[key] = value
        elif key.startswith("benchmark.") and key.count(".") == 1:
            settings[key.split(".", 1)[1]] = _parse(value)
    return {**found, **columns.config_columns(settings)}


def job_folders(sweep: Path) -> list[Path]:
    """Every job folder of a sweep: those Hydra wrote ``.hydra/overrides.yaml`` into (a job has
    started there) or that hold a job's outcome record."""
    found = {p.parent.parent for p in sweep.glob("*/.hydra/overrides.yaml")}
    found |= {p.parent for p in sweep.glob(f"*/{OUTCOME}")}
    return sorted(found)


def job_of(folder: Path) -> Job:
    """The job in ``folder``: its outcome record, its overrides and its run record, as far as they exist."""
    import yaml

    outcome = _read_outcome(folder / OUTCOME)
    overrides = outcome.get("overrides")
    if not isinstance(overrides, list):
        try:
            overrides = yaml.safe_load((folder / ".hydra" / "overrides.yaml").read_text()) or []
        except (OSError, yaml.YAMLError):
            overrides = []
    number = outcome.get("job")
    if not isinstance(number, int):
        number = int(folder.name) if folder.name.isdigit() else -1
    kept = {key: outcome[key] for key in ("exit_code", "error") if key in outcome}
    return Job.of(folder, number, [str(o) for o in overrides], kept)


def jobs_of(sweep: Path) -> list[Job]:
    """Every job of a sweep, from its folder (see ``job_folders``), by job number."""
    return sorted((job_of(folder) for folder in job_folders(sweep)), key=lambda job: job.number)


def _read_outcome(path: Path) -> dict[str, Any]:
    import json

    try:
        found = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def rows(jobs: list[Job], sweep: Path, final: bool = True) -> list[dict[str, Any]]:
    """The summary rows of ``jobs``, with a column per key the sweep varies (see ``Job.row`` for
    ``final``)."""
    keys = tables.sweep_keys([job.overrides for job in jobs], [sweep])
    return [job.row(keys, final) for job in sorted(jobs, key=lambda job: job.number)]


_NOT_APART = {"job", "status", "exit_code", "error", "overrides", "result_path", "run_id", "spec_hash",
              "geomean_ms", "total_ms", "wall_s", "config_git_commit"}  # fmt: skip
"""Summary columns that never tell jobs apart as a setting: outcomes, figures, where things are."""


def varying(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The columns that tell a sweep's jobs apart, in column order: every swept key (dotted, e.g.
    ``platform.threads``, even with one value) and every other setting (platform, data, ...) with
    more than one value (a job that never ran has none), for the sweep's table and page."""
    names = list(dict.fromkeys(k for row in rows for k in row))
    return [
        n
        for n in names
        if n not in _NOT_APART
        and not n.startswith("queries_")
        and ("." in n or len({repr(row[n]) for row in rows if row.get(n) is not None}) > 1)
    ]
