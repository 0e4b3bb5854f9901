"""The exporter: the one place that writes run results, by the export policy in the spec.

``result.json`` is always written (it is the run record); ``export.formats`` adds
``queries.csv`` and/or ``queries.parquet``. All come from one flattening
(``flatten.py``) and every file is written atomically.
"""

from __future__ import annotations

from pathlib import Path

from benchbox.errors import ExportError
from benchbox.exporters.flatten import execution_table
from benchbox.exporters.record import write_json
from benchbox.exporters.tables import write_csv, write_parquet
from benchbox.result import RunResult


def export(result: RunResult) -> list[Path]:
    """Write the run's files into its output directory; return their paths."""
    folder = result.spec.context.output_dir
    formats = result.spec.export.formats
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        if "csv" in formats or "parquet" in formats:
            table = execution_table(result)
            if "csv" in formats:
                written.append(write_csv(table, folder / "queries.csv"))
            if "parquet" in formats:
                written.append(write_parquet(table, folder / "queries.parquet"))
        written.append(write_json(result, folder))
    except OSError as exc:
        raise ExportError(f"cannot write results into {folder}: {exc}") from exc
    return written
