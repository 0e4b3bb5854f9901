"""The exporter: the one place that writes run results, by the export policy in the spec.

``result.json`` is always written (it is the run record); ``export.formats`` adds
``queries.csv`` and/or ``queries.parquet``, and ``export.report`` a ``report.html`` page
(built by ``benchbox.report.html`` from the same record ``result.json`` holds). All come
from one flattening (``flatten.py``) and every file is written atomically, ``result.json``
last. A run with concurrent streams also gets ``timeline.png``, a picture of them (when
matplotlib is installed).
"""

from __future__ import annotations

import logging
from pathlib import Path

from benchbox.atomic import write_bytes_atomic
from benchbox.errors import ExportError
from benchbox.exporters.flatten import execution_table
from benchbox.exporters.record import run_record, write_json
from benchbox.exporters.tables import write_csv, write_parquet
from benchbox.exporters.timeline import available, stream_executions, write_timeline
from benchbox.result import RunResult

log = logging.getLogger("benchbox")


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
        streams = stream_executions(result)
        if streams and available():
            written.append(write_timeline(result, streams, folder / "timeline.png"))
        elif streams:
            log.info("no timeline.png: pip install 'benchbox[plot]' to draw the streams")
        if result.spec.export.report:
            written.append(write_report(run_record(result), folder / "report.html"))
        written.append(write_json(result, folder))
    except OSError as exc:
        raise ExportError(f"cannot write results into {folder}: {exc}") from exc
    return written


def write_report(record: dict, path: Path) -> Path:
    """``report.html`` of one run record."""
    from benchbox.report.html import run_page

    return write_bytes_atomic(path, run_page(record).encode())
