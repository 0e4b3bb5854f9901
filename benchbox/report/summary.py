"""A sweep's summary rows: one per Hydra job, read from the job's folder.

Reading results, so it lives here (``benchbox report`` rebuilds a sweep's page from the
same rows the sweep's callback writes to ``summary.parquet``). A job that wrote no
``result.json`` (an invalid config) is still a row, from its outcome.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchbox import columns
from benchbox.report import tables
from benchbox.report.runs import ReportError, Run, read

TOTALS = ("ok", "failed", "validated", "mismatched")
"""Query counts from the run's totals, as ``queries_<name>`` columns."""


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
            row.update(_chosen(self.overrides))
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


def jobs_of(sweep: Path) -> list[Job]:
    """Every job folder of a finished sweep (those Hydra wrote ``.hydra/overrides.yaml`` into)."""
    import yaml

    found = []
    for overrides_file in sorted(sweep.glob("*/.hydra/overrides.yaml")):
        folder = overrides_file.parent.parent
        overrides = yaml.safe_load(overrides_file.read_text()) or []
        number = int(folder.name) if folder.name.isdigit() else -1
        found.append(Job.of(folder, number, [str(o) for o in overrides], {}))
    return sorted(found, key=lambda job: job.number)


def rows(jobs: list[Job], sweep: Path) -> list[dict[str, Any]]:
    """The summary rows of ``jobs``, with a column per key the sweep varies."""
    keys = tables.sweep_keys([job.overrides for job in jobs], [sweep])
    return [job.row(keys) for job in sorted(jobs, key=lambda job: job.number)]
