"""The one flattening every format shares: a run's executions as rows, and as an Arrow table.

``result.json``'s ``executions`` and ``queries.csv``/``queries.parquet`` are the same
rows; their columns are defined in ``benchbox.columns``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from benchbox import columns
from benchbox.result import RunResult

if TYPE_CHECKING:
    import pyarrow as pa  # imported by ``columns.table`` when a table is made: result.json needs none

SPEC_KEY = "benchbox.spec"
"""The Parquet key-value metadata entry holding the run's spec as JSON."""


def execution_rows(result: RunResult) -> list[dict[str, Any]]:
    """Every execution as a flat dict: the run's columns, then the execution's (timestamps as ISO text)."""
    spec = result.spec
    common = columns.run_columns(spec.model_dump(mode="json"), result.run_id, spec.benchmark.label)
    common["spec_hash"] = spec.spec_hash
    return [
        {
            **common,
            "phase": e.phase,
            "stream": e.stream,
            "iteration": e.iteration,
            "warmup": e.warmup,
            "query_id": e.query_id,
            "kind": e.kind,
            "status": e.status,
            "rows": e.rows,
            "duration_ms": e.duration_ms,
            "offset_ms": e.offset_ms,
            "cpu_ms": e.cpu_ms,
            "peak_rss_bytes": e.peak_rss_bytes,
            "server_cpu_ms": e.server_cpu_ms,
            "server_peak_rss_bytes": e.server_peak_rss_bytes,
            "started_at": e.started_at,
            "validation": e.validation,
            "validation_detail": e.validation_detail,
            "validation_source": e.validation_source,
            "error": e.error,
        }
        for e in result.executions
    ]


def execution_table(result: RunResult, rows: list[dict[str, Any]] | None = None) -> pa.Table:
    """The executions as an Arrow table (the source of the CSV and Parquet files), carrying the
    spec as key-value metadata so a Parquet file alone says how it was made. ``rows``: the
    flattening already made of them (``execution_rows``), so that every file holds the same."""
    spec = json.dumps(result.spec.model_dump(mode="json"), sort_keys=True)
    rows = execution_rows(result) if rows is None else rows
    if not rows:  # no executions (dry run, data only): still the run's columns, typed
        common = columns.run_columns(result.spec.model_dump(mode="json"), result.run_id, None)
        empty = {name: None for name in [*common, *(name for name, _ in columns.EXECUTION_FIELDS)]}
        return columns.table([empty], {SPEC_KEY: spec}).slice(0, 0)
    return columns.table(rows, {SPEC_KEY: spec})
