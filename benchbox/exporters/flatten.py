"""The one flattening every format shares: a run's executions as rows, and as an Arrow table."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pyarrow as pa

from benchbox.result import RunResult

EXECUTION_SCHEMA = pa.schema(
    [
        ("run_id", pa.string()),
        ("benchmark", pa.string()),
        ("benchmark_label", pa.string()),
        ("platform", pa.string()),
        ("spec_hash", pa.string()),
        ("phase", pa.string()),
        ("stream", pa.int32()),
        ("iteration", pa.int32()),
        ("warmup", pa.bool_()),
        ("query_id", pa.string()),
        ("kind", pa.string()),
        ("status", pa.string()),
        ("rows", pa.int64()),
        ("duration_ms", pa.float64()),
        ("offset_ms", pa.float64()),
        ("started_at", pa.timestamp("us", tz="UTC")),
        ("validation", pa.string()),
        ("validation_detail", pa.string()),
        ("validation_source", pa.string()),
        ("error", pa.string()),
    ]
)
"""One row per query execution; documented column by column in docs/results.md."""


def execution_rows(result: RunResult) -> list[dict[str, Any]]:
    """Every execution as a flat dict keyed by ``EXECUTION_SCHEMA``'s names (timestamps as ISO text)."""
    spec = result.spec
    common = {
        "run_id": result.run_id,
        "benchmark": spec.benchmark.name,
        "benchmark_label": spec.benchmark.label,
        "platform": spec.platform.name,
        "spec_hash": spec.spec_hash,
    }
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
            "started_at": e.started_at,
            "validation": e.validation,
            "validation_detail": e.validation_detail,
            "validation_source": e.validation_source,
            "error": e.error,
        }
        for e in result.executions
    ]


def execution_table(result: RunResult) -> pa.Table:
    """The executions as an Arrow table (the source of the CSV and Parquet files)."""
    rows = execution_rows(result)
    for row in rows:
        row["started_at"] = datetime.fromisoformat(row["started_at"])
    return pa.Table.from_pylist(rows, schema=EXECUTION_SCHEMA)
