"""What a run produces: typed records that the enricher fills and the exporter writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from benchbox.spec import RunSpec

ExecutionStatus = Literal["ok", "failed", "timeout", "interrupted"]
ExecutionKind = Literal["query", "maintenance"]
Validation = Literal["ok", "mismatch", "no_reference"]
RunStatus = Literal["running", "ok", "failed", "interrupted"]


@dataclass
class Execution:
    """One execution of one query: a row of ``queries.parquet``."""

    phase: str
    stream: int
    iteration: int
    warmup: bool
    query_id: str
    status: ExecutionStatus
    rows: int | None
    duration_ms: float | None
    started_at: str
    error: str | None = None
    validation: Validation | None = None
    validation_detail: str | None = None
    validation_source: str | None = None
    """Where the expected answer came from: ``answers`` or the reference platform's name."""
    kind: ExecutionKind = "query"
    """``query``, or ``maintenance`` for one of the benchmark's data-maintenance functions."""
    offset_ms: float | None = None
    """Start of the timed region in ms since the run began, on the monotonic clock: with
    ``duration_ms`` it places every execution on one timeline (stream overlap, Ts)."""
    cpu_ms: float | None = None
    """CPU time of benchbox's process (all threads, user + system) during the timed region; None
    where it is not measured (concurrent streams share the process)."""
    peak_rss_bytes: int | None = None
    """Peak resident memory of benchbox's process during the timed region (the absolute peak,
    not the growth); None where it cannot be measured."""
    server_cpu_ms: float | None = None
    """CPU time of the local server process that ran the call (``Adapter.server_pid()``), or None."""
    server_peak_rss_bytes: int | None = None
    """Peak resident memory of that server process during the timed region, or None."""
    result_rows: list[tuple[Any, ...]] | None = field(default=None, repr=False)
    """The fetched rows, kept only until the validate phase has compared them."""


@dataclass
class PhaseRecord:
    """One lifecycle phase: when it ran, how long, how it ended, and what it did."""

    name: str
    started_at: str
    status: Literal["ok", "failed", "interrupted"] = "ok"
    duration_ms: float = 0.0
    error: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class PlannedQuery:
    """A query ready to run: its final SQL for the platform, rendered before any timing."""

    query_id: str
    sql: str
    canonical_sql: str
    """The same query before translation (what a reference platform runs)."""
    stream: int = 0
    """The query stream that runs it: 0 for power runs, 1..S in the throughput test."""
    ordered: bool = False
    """Whether its row order is part of the answer."""
    keys: tuple[int, ...] | None = None
    """The output columns its ORDER BY sorts on (ties may come in any order), or None."""


@dataclass
class RunResult:
    """Everything one run produced."""

    run_id: str
    spec: RunSpec
    started_at: str
    status: RunStatus = "running"
    finished_at: str | None = None
    error: str | None = None
    exit_code: int = 0
    phases: list[PhaseRecord] = field(default_factory=list)
    plan: list[PlannedQuery] = field(default_factory=list)
    executions: list[Execution] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    """The dataset used: path, fingerprint, generator, row counts, and whether it was generated."""
    platform_versions: dict[str, str] = field(default_factory=dict)
    platform_placement: dict[str, str | int | None] = field(default_factory=dict)
    """Where the queries ran, as the adapter said after the load (``Adapter.placement``)."""
    process_runs_before: int = 0
    """Runs this process made before this one (0: a fresh process)."""
    metadata: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
