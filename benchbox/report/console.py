"""What a finished sweep prints: one line per job (status, geomean, total, validation) and where
its files are, so the answer is on the terminal without opening a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO

from benchbox.report import summary


def print_sweep(rows: list[dict[str, Any]], sweep_dir: Path, stream: TextIO) -> None:
    """The cross-job table of a sweep's summary rows."""
    from rich.console import Console
    from rich.table import Table

    swept = summary.varying(rows)[:6]  # the table stays readable on a terminal
    table = Table(title=f"sweep: {len(rows)} jobs", title_justify="left")
    for column in ("job", *swept, "status", "geomean ms", "total ms", "validated", "note"):
        table.add_column(column, justify="right" if "ms" in column or column == "job" else "left")
    for row in rows:
        validated = (
            f"{row['queries_validated']}/{row['queries_ok'] + row['queries_failed']}"
            if row.get("queries_validated") is not None and row.get("queries_ok") is not None
            else "-"
        )
        if row.get("queries_mismatched"):
            validated += f", {row['queries_mismatched']} mismatched"
        table.add_row(
            str(row["job"]),
            *[_text(row.get(key)) for key in swept],
            row.get("status") or "-",
            _ms(row.get("geomean_ms")),
            _ms(row.get("total_ms")),
            validated,
            _short(row.get("error")),
        )
    table.caption = (
        f"summary: {sweep_dir / 'summary.parquet'} (and .csv); "
        f"every execution: {sweep_dir / 'queries.parquet'}"
    )
    width = None if stream.isatty() else 160
    Console(file=stream, soft_wrap=True, highlight=False, markup=False, width=width).print(table)


def _text(value: Any) -> str:
    return "-" if value is None else str(value)


def _short(text: str | None) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "..."


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
