"""What the user sees while a run works: a live display on a terminal, log lines elsewhere.

The engine reports events; this module decides how they look. ``progress=false``
mutes the events, never the final summary (that is the run's answer). Free text (errors,
paths, names, messages) reaches the terminal literally: rich's markup is off on these
consoles, and the one styled line (the live status) is built as ``rich.text.Text``, so a
``[connect]`` in a message is printed, not taken for a tag.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import TYPE_CHECKING

from benchbox import sqlfiles

if TYPE_CHECKING:
    from benchbox.result import Execution, PhaseRecord, RunResult

log = logging.getLogger("benchbox")


class Progress:
    """Plain log lines (the default off a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def message(self, text: str) -> None:
        """A free-form note, e.g. that cached data is reused."""
        if self.enabled:
            log.info(text)

    def phase_started(self, name: str) -> None:
        """A lifecycle phase begins."""
        if self.enabled:
            log.info("phase %s ...", name)

    def phase_finished(self, record: PhaseRecord) -> None:
        """A lifecycle phase ended."""
        if self.enabled:
            log.info("phase %s %s in %.0f ms", record.name, record.status, record.duration_ms)

    def query_started(self, query_id: str, label: str) -> None:
        """A query execution begins (``label`` says which iteration)."""

    def query_finished(self, execution: Execution) -> None:
        """A query execution ended."""
        if self.enabled and execution.status != "ok":
            log.warning("%s %s: %s", execution.query_id, execution.status, execution.error)

    def summary(self, result: RunResult, written: bool = True) -> None:
        """Print the per-query table and the run's outcome (always). ``written``: whether the result
        files are there; the table never points at a folder that lacks them."""
        from rich.console import Console

        console = Console(file=sys.stdout, soft_wrap=True, markup=False)  # free text stays literal
        saved = _saved(result, written)
        if result.executions:
            console.print(_summary_table(result, saved))
        else:
            spec, planned = result.spec, len(result.plan)
            console.print(
                f"{spec.benchmark.name} {spec.benchmark.label} on {spec.platform.name} "
                f"({spec.mode.name}): {result.status}; "
                f"{planned} quer{'y' if planned == 1 else 'ies'} planned; {saved}"
            )
        sql = _sql_line(result) if written else None
        if sql:
            console.print(sql, highlight=False)
        if result.error:
            console.print(f"error: {result.error}", style="red")


class LiveProgress(Progress):
    """A rich live line on a terminal: phase, query and elapsed time."""

    def __enter__(self) -> LiveProgress:
        from rich.console import Console
        from rich.status import Status
        from rich.text import Text

        self._console = Console(stderr=True, log_path=False, markup=False)  # messages stay literal
        self._status = Status(Text("starting"), console=self._console)
        self._status.start()
        self._run_start = time.monotonic()
        self._phase = ""
        return self

    def __exit__(self, *exc: object) -> None:
        self._status.stop()

    def _show(self, text: str) -> None:
        """The live line: the phase in bold, ``text`` as it is, the elapsed time dimmed (a ``str``
        given to the status would be parsed as markup, whatever the console says)."""
        from rich.text import Text

        elapsed = f"{time.monotonic() - self._run_start:.1f}s"
        self._status.update(Text.assemble((self._phase, "bold"), " ", text, " ", (elapsed, "dim")))

    def message(self, text: str) -> None:
        self._console.log(text)

    def phase_started(self, name: str) -> None:
        self._phase = name
        self._show("")

    def phase_finished(self, record: PhaseRecord) -> None:
        self._console.log(f"phase {record.name} {record.status} in {record.duration_ms:.0f} ms")

    def query_started(self, query_id: str, label: str) -> None:
        self._show(f"{query_id} {label}")

    def query_finished(self, execution: Execution) -> None:
        if execution.status != "ok":
            self._console.log(f"{execution.query_id} {execution.status}: {execution.error}")


def progress_for(enabled: bool) -> Progress:
    """The live display on a terminal, log lines otherwise, muted when not ``enabled``."""
    return LiveProgress(enabled) if enabled and sys.stderr.isatty() else Progress(enabled)


def _saved(result: RunResult, written: bool) -> str:
    """Where the results are, or that they are not (the table never points at a folder lacking them)."""
    folder = result.spec.context.output_dir
    return f"results in {folder}" if written else f"results NOT written: nothing was saved in {folder}"


def _sql_line(result: RunResult) -> str | None:
    """Where the run's SQL files are (a dry run's ``sql/``), in one line; None when it has none."""
    folder = sqlfiles.folder(result.spec)
    if folder is None or not result.plan:
        return None
    names = list(sqlfiles.files(result.plan))
    count = f"{len(names)} planned quer{'y' if len(names) == 1 else 'ies'}"
    first = names[0] + (", ..." if len(names) > 1 else "")
    return f"SQL of the {count} in {folder}, one file per query and stream: {first}"


def _summary_table(result: RunResult, saved: str):
    from rich.table import Table

    spec = result.spec
    where = f"{spec.benchmark.name} {spec.benchmark.label} on {spec.platform.name}"
    title = f"{where} ({spec.mode.name}): {result.status}"
    table = Table(title=title, title_justify="left")
    for column in ("query", "median ms", "min ms", "max ms", "runs", "status", "validation"):
        table.add_column(column, justify="right" if "ms" in column or column == "runs" else "left")
    for query_id, stats in result.summary.get("queries", {}).items():
        table.add_row(
            query_id,
            _ms(stats["median_ms"]) + ("*" if stats["unstable"] else " "),
            _ms(stats["min_ms"]),
            _ms(stats["max_ms"]),
            str(stats["iterations"]),
            stats["status"],
            stats["validation"] or "-",
        )
    totals = result.summary.get("totals", {})
    if totals:
        table.caption = (
            f"geomean {_ms(totals.get('geomean_ms'))} ms, total {_ms(totals.get('total_ms'))} ms; "
            f"ok {totals['ok']}, failed {totals['failed']}, validated {totals['validated']}, "
            f"mismatched {totals['mismatched']}; {saved}"
        )
        for section, figures in _metrics(result.summary).items():
            table.caption += f"\n{section}: {figures}"
        if any(stats["unstable"] for stats in result.summary["queries"].values()):
            table.caption += "\n* unstable: spread over 10% of the median, or a median under 1 ms"
    else:
        table.caption = saved
    return table


def _metrics(summary: dict) -> dict[str, str]:
    """The benchmark's own figures (its metrics sections): numbers, then any problems they list."""
    found = {}
    for section, values in summary.items():
        if section in ("queries", "totals") or not isinstance(values, dict):
            continue
        numbers = [
            f"{key} {value:,.2f}" if isinstance(value, float) else f"{key} {value}"
            for key, value in values.items()
            if isinstance(value, (int, float)) and not isinstance(value, bool)
        ]
        problems = values.get("problems")
        if isinstance(problems, list) and problems:
            numbers.append("not reportable: " + "; ".join(map(str, problems)))
        if numbers:
            found[section] = ", ".join(numbers)
    return found


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"
