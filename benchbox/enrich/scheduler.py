"""The collector for the batch scheduler a run ran under: which job of which scheduler, where,
and what it was given (Slurm today, read from the variables ``slurmd`` sets in a job).

Every key is always present, ``null`` outside a scheduler's job, so every run has the same keys.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from benchbox.result import RunResult

KEYS = (
    "scheduler",
    "scheduler_job_id",
    "scheduler_array_job_id",
    "scheduler_array_task_id",
    "scheduler_nodes",
    "scheduler_cpus",
    "scheduler_memory_bytes",
    "scheduler_partition",
)
_MB = 2**20
"""Slurm gives memory in megabytes (MiB)."""


def collect_scheduler(metadata: dict[str, Any], result: RunResult) -> None:
    """Slurm's job, array job and task ids, node list, CPUs and memory on this node, partition."""
    metadata.update(slurm(os.environ))


def slurm(env: Mapping[str, str]) -> dict[str, Any]:
    """The ``scheduler_*`` keys from a process's environment (all null outside a Slurm job)."""
    found: dict[str, Any] = dict.fromkeys(KEYS)
    job_id = env.get("SLURM_JOB_ID") or env.get("SLURM_JOBID")
    if not job_id:
        return found
    cpus = _int(env.get("SLURM_CPUS_ON_NODE")) or _first_count(env.get("SLURM_JOB_CPUS_PER_NODE"))
    per_node, per_cpu = _int(env.get("SLURM_MEM_PER_NODE")), _int(env.get("SLURM_MEM_PER_CPU"))
    memory = per_node * _MB if per_node else (per_cpu * cpus * _MB if per_cpu and cpus else None)
    found.update(
        scheduler="slurm",
        scheduler_job_id=job_id,
        scheduler_array_job_id=env.get("SLURM_ARRAY_JOB_ID") or None,
        scheduler_array_task_id=_int(env.get("SLURM_ARRAY_TASK_ID")),
        scheduler_nodes=env.get("SLURM_JOB_NODELIST") or env.get("SLURMD_NODENAME") or None,
        scheduler_cpus=cpus,
        scheduler_memory_bytes=memory,
        scheduler_partition=env.get("SLURM_JOB_PARTITION") or None,
    )
    return found


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _first_count(value: str | None) -> int | None:
    """This node's count in Slurm's compressed per-node list: ``2(x3),1`` -> 2."""
    match = re.match(r"\s*(\d+)", value or "")
    return int(match.group(1)) if match else None
