"""The exporter: the one place that writes run results, by the export policy in the spec.

``result.json`` is always written (it is the run record); ``export.formats`` adds
``queries.csv`` and/or ``queries.parquet``, and ``export.report`` a ``report.html`` page
(built by ``benchbox.report.html`` from the same record ``result.json`` holds). A run with
concurrent streams also gets ``timeline.png``, a picture of them (when matplotlib is
installed). A dry run also gets ``sql/``, each planned query's SQL as the platform would execute
it, one file per query and stream (layout in ``benchbox.sqlfiles``).

Every file comes from one snapshot of the result: its executions are flattened once
(``flatten.py``), and that one record is what ``result.json``, the tables and the page hold,
so files written while a stream might still report cannot disagree (``sql/`` holds the
``plan``'s texts). They are written all or none (``staging.py``; ``sql/`` as one folder),
``result.json`` last: a full disk leaves none of them, never tables without their record.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import BinaryIO

from benchbox import sqlfiles
from benchbox.errors import ExportError
from benchbox.exporters.flatten import execution_table
from benchbox.exporters.record import json_bytes, run_record
from benchbox.exporters.staging import Entry, Writer, write_all
from benchbox.exporters.tables import csv_bytes, parquet_writer
from benchbox.exporters.timeline import available, stream_executions, timeline_png
from benchbox.result import RunResult

log = logging.getLogger("benchbox")


def export(result: RunResult) -> list[Path]:
    """Write the run's files into its output directory, all or none; return their paths.

    Raises:
        ExportError: a file could not be written (e.g. a full disk); none of them is in the folder.
    """
    folder = result.spec.context.output_dir
    formats = result.spec.export.formats
    result = dataclasses.replace(result, executions=list(result.executions))  # the one snapshot
    record = run_record(result)
    files: list[tuple[Path, Entry]] = []
    if "csv" in formats or "parquet" in formats:
        table = execution_table(result, record["executions"])
        if "csv" in formats:
            files.append((folder / "queries.csv", _bytes(csv_bytes(table))))
        if "parquet" in formats:
            files.append((folder / "queries.parquet", parquet_writer(table)))
    streams = stream_executions(result)
    if streams and available():
        files.append((folder / "timeline.png", _bytes(timeline_png(result, streams))))
    elif streams:
        log.info("no timeline.png: pip install 'benchbox[plot]' to draw the streams")
    sql = sqlfiles.folder(result.spec)
    if sql is not None and result.plan:
        texts = sqlfiles.files(result.plan)  # the plan that result.json holds
        files.append((sql, {name: _bytes(text.encode()) for name, text in texts.items()}))
    if result.spec.export.report:
        files.append((folder / "report.html", _bytes(report_page(record))))
    files.append((folder / "result.json", _bytes(json_bytes(record))))  # last: it vouches for the rest
    try:
        folder.mkdir(parents=True, exist_ok=True)
        written = write_all(files)
        log.debug("wrote %s into %s", ", ".join(path.name for path, _ in files), folder)
        return written
    except OSError as exc:
        raise ExportError(f"cannot write the results into {folder}: {exc}") from exc


def report_page(record: dict) -> bytes:
    """``report.html`` of one run record."""
    from benchbox.report.html import run_page

    return run_page(record).encode()


def _bytes(data: bytes) -> Writer:
    def write(handle: BinaryIO) -> None:
        handle.write(data)

    return write
