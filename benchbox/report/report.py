"""``benchbox report DIR``: (re)build ``report.html`` for a finished run or sweep.

It reads the run records (and, for a sweep, the job folders) and writes the page next to
them; nothing is run. Useful after ``export.report=false``, after copying results from
another machine, or when a newer benchbox draws more. Exit codes: 0 written, 2 a path
that holds no run record or cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from benchbox.atomic import write_bytes_atomic
from benchbox.errors import BenchboxError
from benchbox.report import html, summary
from benchbox.report.runs import ReportError, load


def build(path: str | Path) -> tuple[Path, str]:
    """Where the page goes and the page, for a run folder, its ``result.json``, or a sweep folder.

    Raises:
        ReportError: nothing readable is there.
    """
    target = Path(path)
    if target.is_file() or (target / "result.json").is_file():
        (run,) = load(target)  # raises ReportError for a file that is no run record
        return run.path.parent / "report.html", html.run_page(run.record)
    if not (target / "multirun.yaml").is_file():
        load(target)  # a missing path or a folder without any run record: say so
        raise ReportError(
            f"{path} is neither a run folder (no result.json) nor a sweep folder (no multirun.yaml): "
            "give one run's folder or one sweep's folder"
        )
    jobs = summary.jobs_of(target)
    rows = summary.rows(jobs, target)
    records = {job.number: job.run.record for job in jobs if job.run is not None}
    return target / "report.html", html.sweep_page(rows, records, str(target.resolve()))


def main(argv: Sequence[str]) -> int:
    """Run the command; return its exit code."""
    parse = argparse.ArgumentParser(
        prog="benchbox report",
        description="(Re)build report.html for a finished run folder, result.json or sweep folder.",
    )
    parse.add_argument("path", help="a run folder, its result.json, or a sweep folder")
    parse.add_argument("-o", "--output", help="write the page here instead of next to the results")
    try:
        options = parse.parse_args(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        where, text = build(options.path)
        where = Path(options.output) if options.output else where
        try:
            write_bytes_atomic(where, text.encode())
        except OSError as exc:
            raise ReportError(f"cannot write {where}: {exc.strerror or exc}") from None
    except BenchboxError as exc:
        sys.stderr.write(f"benchbox report: error: {exc}\n")
        return exc.exit_code
    sys.stdout.write(f"{where}\n")
    return 0
