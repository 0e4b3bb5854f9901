"""``result.json``: the run record that summaries, replays and people read."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from benchbox.exporters.flatten import execution_rows
from benchbox.result import RunResult

SCHEMA_VERSION = 1


def run_record(result: RunResult) -> dict[str, Any]:
    """The whole run as JSON-ready data (secrets never get this far: see ``RunContext``)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "run_id": result.run_id,
        "benchmark": result.spec.benchmark.name,
        "benchmark_label": result.spec.benchmark.label,
        "platform": result.spec.platform.name,
        "status": result.status,
        "partial": result.status == "interrupted",
        "exit_code": result.exit_code,
        "error": result.error,
        "started_at": result.started_at,
        "finished_at": result.finished_at,
        "spec": result.spec.model_dump(mode="json"),
        "spec_hash": result.spec.spec_hash,
        "metadata": result.metadata,
        "data": result.data,
        "phases": [asdict(p) for p in result.phases],
        "summary": result.summary,
        "plan": [asdict(q) for q in result.plan],
        "executions": execution_rows(result),
    }


def json_bytes(record: dict[str, Any]) -> bytes:
    """``result.json``'s contents for a run record."""
    return json.dumps(record, indent=2, default=str).encode()
