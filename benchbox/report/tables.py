"""Finished runs as one Arrow table of executions: what ``benchbox.load`` returns and what a sweep's
own ``queries.parquet`` holds.

Each row is a ``queries.parquet`` row of its run (``benchbox.columns``); rows of a sweep's
jobs also carry the job's number and one column per key the sweep's overrides set
(``platform.threads``, ``mode.iterations``, ...), so "median per query per platform and
thread count" is one GROUP BY. A ``benchmark.*`` key needs no column of its own: the
benchmark's settings are columns already.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from benchbox import columns
from benchbox.report.runs import Run

if TYPE_CHECKING:
    import pyarrow as pa  # made by ``columns.table``: the sweep callback imports this module on every run

GROUPS = ("platform", "benchmark", "mode", "export", "experiment")
"""Config groups: a group choice is a column already (``platform``, ``mode``, ``experiment``)."""


def swept_keys(overrides: Iterable[str]) -> dict[str, str]:
    """The overrides that set a config key (not a group, not Hydra's own, not ``benchmark.*``):
    key -> the value as written."""
    found = {}
    for override in overrides:
        key, eq, value = override.lstrip("+~").partition("=")
        if not eq or key in GROUPS or key.split(".")[0] in ("hydra", "benchmark") or "/" in key:
            continue
        found[key] = value
    return found


def job_number(run: Run) -> int | None:
    """The Hydra job number of a run inside a sweep folder, else None."""
    folder = run.path.parent
    if folder.name.isdigit() and (folder.parent / "multirun.yaml").is_file():
        return int(folder.name)
    return None


def job_columns(run: Run, keys: Sequence[str]) -> dict[str, Any]:
    """The job's number and its value of every swept key (typed, from the run's spec)."""
    written = swept_keys(run.overrides)
    row: dict[str, Any] = {"job": job_number(run)}
    for key in keys:
        value = run.value(key)
        if value is None and key in written:
            value = yaml.safe_load(written[key])
        row[key] = value
    return row


def sweep_keys(overrides: Sequence[Sequence[str]], sweeps: Iterable[Path]) -> list[str]:
    """The keys a sweep varies, in first-seen order, given each job's overrides and the sweep
    folders: those its command line sweeps (``a,b``, ``range()``, ``glob()``, ...) or its
    sweeper's ``params`` name (optuna), and any whose value differs between jobs. A key every
    job sets alike (``progress=false``) is no column."""
    written = [swept_keys(job) for job in overrides]
    keys = list(dict.fromkeys(k for job in written for k in job))
    declared = {k for folder in set(sweeps) for k in _declared(folder)}
    return [k for k in keys if k in declared or len({str(job.get(k)) for job in written}) > 1]


def _declared(sweep: Path) -> set[str]:
    """The keys the sweep's ``multirun.yaml`` declares swept."""
    try:
        hydra = yaml.safe_load((sweep / "multirun.yaml").read_text()).get("hydra", {})
        task = [str(o) for o in hydra.get("overrides", {}).get("task") or []]
        params = hydra.get("sweeper", {}).get("params") or {}
    except (OSError, yaml.YAMLError, AttributeError):
        return set()
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    try:
        parsed = OverridesParser.create().parse_overrides(task)
    except HydraException:
        parsed = []
    return {o.key_or_group for o in parsed if o.is_sweep_override()} | set(params)


def rows(run: Run, keys: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The run's executions as flat rows, led by its job columns when it ran in a sweep."""
    record = run.record
    common = columns.run_columns(record.get("spec", {}), record.get("run_id"), record.get("benchmark_label"))
    if record.get("metadata", {}).get("experiment") is not None:
        common["experiment"] = record["metadata"]["experiment"]
    lead = job_columns(run, keys) if job_number(run) is not None else {}
    return [{**lead, **common, **execution} for execution in record.get("executions", [])]


def executions(runs: Sequence[Run]) -> pa.Table:
    """All the runs' executions as one table (see the module docstring)."""
    jobs = [run for run in runs if job_number(run) is not None]
    keys = sweep_keys([run.overrides for run in jobs], {run.path.parent.parent for run in jobs})
    return columns.table(row for run in runs for row in rows(run, keys))
