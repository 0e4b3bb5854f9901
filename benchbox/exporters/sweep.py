"""The sweep summary: one tidy row per Hydra multirun job, in ``summary.parquet`` and ``summary.csv``.

A Hydra callback, so it sees every job whatever the launcher. Rows are rewritten
after each job (a sweep that dies half-way still leaves its summary) and once more
at the end, when job folders that ran in other processes are read from disk. A
job that failed is a row with its error, never a missing row.

Besides the fixed columns, each row has a column per setting of the job's benchmark
config (its scale, its parameters, ...), named like the key, so one sweep over two
benchmarks is still one tidy table (a key one benchmark lacks is null).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from benchbox.exit_codes import CODES
from benchbox.exporters.tables import write_csv, write_parquet

SUMMARY_SCHEMA = pa.schema(
    [
        ("job", pa.int32()),
        ("overrides", pa.string()),
        ("status", pa.string()),
        ("exit_code", pa.int32()),
        ("error", pa.string()),
        ("benchmark", pa.string()),
        ("benchmark_label", pa.string()),
        ("platform", pa.string()),
        ("queries_ok", pa.int32()),
        ("queries_failed", pa.int32()),
        ("queries_validated", pa.int32()),
        ("queries_mismatched", pa.int32()),
        ("geomean_ms", pa.float64()),
        ("total_ms", pa.float64()),
        ("wall_s", pa.float64()),
        ("run_id", pa.string()),
        ("spec_hash", pa.string()),
        ("result_path", pa.string()),
    ]
)
"""One row per job, plus the benchmark-config columns (see the module docstring); documented in
docs/results.md."""
_AFTER = "platform"
"""The benchmark-config columns follow this one."""


class SweepSummary(Callback):
    """Collects a row per job and writes the sweep's summary files into the sweep folder."""

    def __init__(self) -> None:
        self._rows: dict[str, dict[str, Any]] = {}
        self._sweep_dir: Path | None = None

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        self._sweep_dir = Path(config.hydra.sweep.dir).resolve()  # job folders arrive absolute

    def on_job_end(self, config: DictConfig, job_return: Any, **kwargs: Any) -> None:
        hydra = job_return.hydra_cfg.hydra
        if self._sweep_dir is None or str(hydra.mode) != "RunMode.MULTIRUN":
            return
        outcome = job_return._return_value  # never raises, unlike .return_value on a failed job
        if isinstance(outcome, BaseException):
            outcome = {"exit_code": 1, "error": f"{type(outcome).__name__}: {outcome}"}
        job_dir = Path(hydra.runtime.output_dir)
        self._rows[str(job_dir)] = job_row(job_dir, hydra.job.num, list(job_return.overrides), outcome or {})
        self._write()

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        if self._sweep_dir is None:
            return
        for overrides_file in sorted(self._sweep_dir.glob("*/.hydra/overrides.yaml")):
            job_dir = overrides_file.parent.parent
            if str(job_dir) not in self._rows:  # ran in another process (e.g. the joblib launcher)
                import yaml

                overrides = yaml.safe_load(overrides_file.read_text()) or []
                number = int(job_dir.name) if job_dir.name.isdigit() else -1
                self._rows[str(job_dir)] = job_row(job_dir, number, overrides, {})
        self._write()
        CODES.extend(row["exit_code"] for row in self._rows.values() if row["exit_code"] is not None)

    def _write(self) -> None:
        assert self._sweep_dir is not None
        rows = sorted(self._rows.values(), key=lambda row: row["job"])
        table = summary_table(rows)
        write_parquet(table, self._sweep_dir / "summary.parquet")
        write_csv(table, self._sweep_dir / "summary.csv")


def summary_table(rows: list[dict[str, Any]]) -> pa.Table:
    """The rows as one table: the fixed columns, with the benchmark-config columns after ``platform``."""
    keys = dict.fromkeys(k for row in rows for k in row.get("config", {}))
    extra = [key for key in keys if key not in SUMMARY_SCHEMA.names]
    arrays, fields = [], []
    for field in SUMMARY_SCHEMA:
        arrays.append(pa.array([row.get(field.name) for row in rows], field.type))
        fields.append(field)
        if field.name == _AFTER:
            for key in extra:
                values = [row.get("config", {}).get(key) for row in rows]
                try:
                    column = pa.array(values)
                except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed kinds across benchmarks: as text
                    column = pa.array([None if v is None else str(v) for v in values], pa.string())
                if pa.types.is_null(column.type):
                    column = column.cast(pa.string())
                arrays.append(column)
                fields.append(pa.field(key, column.type))
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def job_row(job_dir: Path, number: int, overrides: list[str], outcome: dict[str, Any]) -> dict[str, Any]:
    """A summary row from the job's ``result.json``, or from its outcome when it wrote none."""
    row: dict[str, Any] = {name: None for name in SUMMARY_SCHEMA.names}
    row.update(job=number, overrides=" ".join(overrides), exit_code=outcome.get("exit_code"))
    row["error"] = outcome.get("error")
    record_path = job_dir / "result.json"
    try:
        record = json.loads(record_path.read_text())
    except (OSError, ValueError):
        row["status"] = {2: "invalid", 130: "interrupted"}.get(outcome.get("exit_code"), "failed")
        row["error"] = row["error"] or f"no readable result.json in {job_dir}"
        return row
    totals = record.get("summary", {}).get("totals", {})
    spec = record.get("spec", {})
    benchmark = spec.get("benchmark", {})
    row["config"] = {k: v if _scalar(v) else json.dumps(v) for k, v in benchmark.items() if k != "name"}
    row.update(
        status=record.get("status"),
        exit_code=record.get("exit_code"),
        error=record.get("error"),
        benchmark=benchmark.get("name"),
        benchmark_label=record.get("benchmark_label"),
        platform=spec.get("platform", {}).get("name"),
        queries_ok=totals.get("ok"),
        queries_failed=totals.get("failed"),
        queries_validated=totals.get("validated"),
        queries_mismatched=totals.get("mismatched"),
        geomean_ms=totals.get("geomean_ms"),
        total_ms=totals.get("total_ms"),
        wall_s=_wall_seconds(record),
        run_id=record.get("run_id"),
        spec_hash=record.get("spec_hash"),
        result_path=str(record_path),
    )
    return row


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _wall_seconds(record: dict[str, Any]) -> float | None:
    from datetime import datetime

    try:
        start = datetime.fromisoformat(record["started_at"])
        end = datetime.fromisoformat(record["finished_at"])
    except (KeyError, TypeError, ValueError):
        return None
    return (end - start).total_seconds()
