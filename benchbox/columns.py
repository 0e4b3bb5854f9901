"""The columns of the results tables, defined once for the exporter that writes them and the
readers (``benchbox compare``, ``benchbox report``, ``benchbox.load``) that load them back.

A row of ``queries.parquet`` names its run first (``RUN_COLUMNS``, then one column per
setting of the benchmark's config, such as its scale), then the execution
(``EXECUTION_COLUMNS``). A sweep's table puts the job's columns in front. Known columns
keep fixed Arrow types; the config columns take the type of their values, and become text
when a sweep mixes kinds (a setting two benchmarks type differently, say).
Documented column by column in docs/results.md.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import pyarrow as pa

RUN_COLUMNS = pa.schema(
    [
        ("run_id", pa.string()),
        ("benchmark", pa.string()),
        ("benchmark_label", pa.string()),
        ("platform", pa.string()),
        ("mode", pa.string()),
        ("experiment", pa.string()),
    ]
)
"""What names the run a row came from (the benchmark-config columns and ``spec_hash`` follow)."""

EXECUTION_COLUMNS = pa.schema(
    [
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
        ("cpu_ms", pa.float64()),
        ("peak_rss_bytes", pa.int64()),
        ("server_cpu_ms", pa.float64()),
        ("server_peak_rss_bytes", pa.int64()),
        ("started_at", pa.timestamp("us", tz="UTC")),
        ("validation", pa.string()),
        ("validation_detail", pa.string()),
        ("validation_source", pa.string()),
        ("error", pa.string()),
    ]
)
"""One execution of one query or maintenance function."""

JOB_COLUMNS = pa.schema([("job", pa.int32())])
"""In front of a sweep's rows: the Hydra job number (the swept keys' columns follow it)."""

_TYPES = {f.name: f.type for schema in (JOB_COLUMNS, RUN_COLUMNS, EXECUTION_COLUMNS) for f in schema}


def run_columns(spec: Mapping[str, Any], run_id: str, label: str | None) -> dict[str, Any]:
    """The columns naming one run, from its spec as JSON (``RunSpec.model_dump(mode="json")``)."""
    benchmark = spec.get("benchmark", {})
    context = spec.get("context", {})
    row: dict[str, Any] = {
        "run_id": run_id,
        "benchmark": benchmark.get("name"),
        "benchmark_label": label,
        "platform": spec.get("platform", {}).get("name"),
        "mode": spec.get("mode", {}).get("name"),
        "experiment": context.get("experiment"),
    }
    row.update(config_columns(benchmark))
    return row


def config_columns(benchmark: Mapping[str, Any]) -> dict[str, Any]:
    """The benchmark config's settings (its scale, ``seed``, ...) as columns; a list or a
    mapping (a query subset) as JSON text, so every format (CSV too) can hold it."""
    return {
        k: v if v is None or isinstance(v, (str, int, float, bool)) else json.dumps(v)
        for k, v in benchmark.items()
        if k != "name" and k not in _TYPES
    }


def column(name: str, values: list[Any]) -> pa.Array:
    """One column: its fixed type if it is a known column, else the values' own type (or text)."""
    if name in _TYPES:
        if pa.types.is_timestamp(_TYPES[name]):
            values = [datetime.fromisoformat(v) if isinstance(v, str) else v for v in values]
        return pa.array(values, _TYPES[name])
    try:
        array = pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed kinds: as text
        array = pa.array([None if v is None else _text(v) for v in values], pa.string())
    return array.cast(pa.string()) if pa.types.is_null(array.type) else array


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def table(rows: Iterable[Mapping[str, Any]], metadata: Mapping[str, str] | None = None) -> pa.Table:
    """Flat rows as one Arrow table, columns in the order they first appear (keys a row lacks
    are null), with ``metadata`` as the schema's key-value metadata."""
    rows = list(rows)
    names = list(dict.fromkeys(k for row in rows for k in row))
    if not rows:
        names = [*RUN_COLUMNS.names, *EXECUTION_COLUMNS.names]
    arrays = [column(name, [row.get(name) for row in rows]) for name in names]
    schema = pa.schema([pa.field(n, a.type) for n, a in zip(names, arrays, strict=True)], metadata=metadata)
    return pa.Table.from_arrays(arrays, schema=schema)
