"""The enricher: metadata collected on every run, on the one path, before export.

Each collector is a small ``collect_<area>(metadata, result)`` function that adds
flat snake_case keys (types and units are documented in docs/results.md).
Nothing here records a secret or looks up the machine's hostname (a Slurm job's allocated node
names and a configured address are recorded: they say where a run ran).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from benchbox.enrich.config import collect_config
from benchbox.enrich.scheduler import collect_scheduler
from benchbox.enrich.system import collect_benchbox, collect_python, collect_system
from benchbox.redact import redact_text
from benchbox.result import RunResult


def collect_platform(metadata: dict[str, Any], result: RunResult) -> None:
    """Engine and driver versions, as the adapter reported them when it connected, and where
    the queries ran (a cluster's URL, executors, cores and memory), as it said after the load."""
    from benchbox.platforms.base import PLACEMENT_KEYS

    metadata["platform"] = result.spec.platform.name
    for key in ("engine_version", "driver", "driver_version"):
        metadata[f"platform_{key}"] = result.platform_versions.get(key)
    for key in PLACEMENT_KEYS:
        value = result.platform_placement.get(key)
        metadata[f"platform_{key}"] = redact_text(value) if isinstance(value, str) else value


def collect_benchmark(metadata: dict[str, Any], result: RunResult) -> None:
    """Which benchmark, which revision of its specification, and which data (its label)."""
    from benchbox import benchmarks

    benchmark = benchmarks.get(result.spec.benchmark.name)
    metadata["benchmark"] = benchmark.name
    metadata["benchmark_version"] = benchmark.version
    metadata["benchmark_label"] = result.spec.benchmark.label


def collect_data(metadata: dict[str, Any], result: RunResult) -> None:
    """Which data the run used: the manifest fingerprint names it exactly."""
    metadata["data_fingerprint"] = result.data.get("fingerprint")
    generator = result.data.get("generator") or {}
    metadata["data_generator"] = generator.get("name")
    metadata["data_generator_version"] = generator.get("version")
    loads = [p for p in result.phases if p.name == "load" and p.status == "ok"]
    metadata["data_load"] = ("reused" if loads[-1].details.get("reused") else "loaded") if loads else None


def collect_time(metadata: dict[str, Any], result: RunResult) -> None:
    """UTC start and end of the run."""
    metadata["started_at_utc"] = result.started_at
    metadata["finished_at_utc"] = result.finished_at


COLLECTORS: tuple[Callable[[dict[str, Any], RunResult], None], ...] = (
    collect_benchbox,
    collect_python,
    collect_system,
    collect_platform,
    collect_benchmark,
    collect_data,
    collect_config,
    collect_time,
    collect_scheduler,
)


def enrich(result: RunResult) -> None:
    """Fill ``result.metadata`` from every collector."""
    for collect in COLLECTORS:
        collect(result.metadata, result)
