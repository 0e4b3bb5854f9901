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

import functools
import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

RUN_FIELDS = (
    ("run_id", "string"),
    ("benchmark", "string"),
    ("benchmark_label", "string"),
    ("platform", "string"),
    ("mode", "string"),
    ("experiment", "string"),
)
"""What names the run a row came from (the benchmark-config columns and ``spec_hash`` follow)."""

EXECUTION_FIELDS = (
    ("spec_hash", "string"),
    ("phase", "string"),
    ("stream", "int32"),
    ("iteration", "int32"),
    ("warmup", "bool_"),
    ("query_id", "string"),
    ("kind", "string"),
    ("status", "string"),
    ("rows", "int64"),
    ("duration_ms", "float64"),
    ("offset_ms", "float64"),
    ("cpu_ms", "float64"),
    ("peak_rss_bytes", "int64"),
    ("server_cpu_ms", "float64"),
    ("server_peak_rss_bytes", "int64"),
    ("started_at", "timestamp"),
    ("validation", "string"),
    ("validation_detail", "string"),
    ("validation_source", "string"),
    ("error", "string"),
)
"""One execution of one query or maintenance function."""

JOB_FIELDS = (("job", "int32"),)
"""In front of a sweep's rows: the Hydra job number (the swept keys' columns follow it)."""

_KINDS = dict((*JOB_FIELDS, *RUN_FIELDS, *EXECUTION_FIELDS))
"""Column -> the name of its Arrow type (``pyarrow.<name>()``; ``timestamp``: microseconds, UTC).

The columns are plain data so that a run writing only ``result.json`` never imports pyarrow
(0.25 s with numpy): the Arrow schemas below are built on first use."""

_SCHEMAS = {"RUN_COLUMNS": RUN_FIELDS, "EXECUTION_COLUMNS": EXECUTION_FIELDS, "JOB_COLUMNS": JOB_FIELDS}


def __getattr__(name: str) -> Any:
    """``RUN_COLUMNS``, ``EXECUTION_COLUMNS`` and ``JOB_COLUMNS``: the Arrow schemas of the fields above."""
    if name in _SCHEMAS:
        return _schema(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _schema(name: str) -> pa.Schema:
    import pyarrow as pa

    return pa.schema([(column, _arrow_type(column)) for column, _ in _SCHEMAS[name]])


@functools.cache
def _arrow_type(column: str) -> pa.DataType:
    """The fixed Arrow type of a known column."""
    import pyarrow as pa

    kind = _KINDS[column]
    return pa.timestamp("us", tz="UTC") if kind == "timestamp" else getattr(pa, kind)()


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
        if k != "name" and k not in _KINDS
    }


def column(name: str, values: list[Any]) -> pa.Array:
    """One column: its fixed type if it is a known column, else the values' own type (or text)."""
    import pyarrow as pa

    if name in _KINDS:
        if _KINDS[name] == "timestamp":
            values = [datetime.fromisoformat(v) if isinstance(v, str) else v for v in values]
        return pa.array(values, _arrow_type(name))
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
    import pyarrow as pa

    rows = list(rows)
    names = list(dict.fromkeys(k for row in rows for k in row))
    if not rows:
        names = [name for name, _ in (*RUN_FIELDS, *EXECUTION_FIELDS)]
    arrays = [column(name, [row.get(name) for row in rows]) for name in names]
    schema = pa.schema([pa.field(n, a.type) for n, a in zip(names, arrays, strict=True)], metadata=metadata)
    return pa.Table.from_arrays(arrays, schema=schema)
