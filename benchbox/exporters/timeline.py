"""``timeline.png``: the throughput test drawn as a Gantt chart, one row per stream.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no display, no global
state) from the same executions the tables hold: a bar from ``offset_ms`` to
``offset_ms + duration_ms`` for every query (blue) and refresh function (orange),
so a person can see how the streams overlapped. matplotlib is the ``plot`` extra;
without it the picture is skipped and says how to get it.
"""

from __future__ import annotations

import io
from importlib.util import find_spec

from benchbox.result import Execution, RunResult

STREAM_PHASES = ("throughput", "throughput_test")
"""The phases whose streams run at the same time: the ones worth a picture."""


def available() -> bool:
    """Whether matplotlib is installed (``pip install 'benchbox[plot]'``)."""
    return find_spec("matplotlib") is not None


def stream_executions(result: RunResult) -> list[Execution]:
    """The timed executions of the concurrent phase, if the run had one."""
    return [e for e in result.executions if e.phase in STREAM_PHASES and e.duration_ms is not None]


def timeline_png(result: RunResult, executions: list[Execution]) -> bytes:
    """The streams' executions drawn as a PNG."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    streams = sorted({e.stream for e in executions})
    origin = min(e.offset_ms for e in executions)
    figure = Figure(figsize=(12, 1.2 + 0.5 * len(streams)), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    span = max(e.offset_ms + e.duration_ms for e in executions) - origin
    for execution in executions:
        refresh = execution.kind == "maintenance"
        start = (execution.offset_ms - origin) / 1000
        width = execution.duration_ms / 1000
        row = streams.index(execution.stream)
        color = "tab:orange" if refresh else ("tab:blue" if execution.status == "ok" else "tab:red")
        axes.broken_barh(
            [(start, width)], (row - 0.4, 0.8), facecolors=color, edgecolors="white", linewidth=0.5
        )
        if execution.duration_ms > span / 60:  # label the bars wide enough to hold one
            axes.text(
                start + width / 2,
                row,
                execution.query_id,
                ha="center",
                va="center",
                fontsize=7,
                color="white",
            )
    axes.set_yticks(range(len(streams)), [f"stream {s}" for s in streams])
    axes.invert_yaxis()
    axes.set_xlabel("seconds since the first stream started")
    spec = result.spec
    refresh_streams = {e.stream for e in executions if e.kind == "maintenance"}
    what = f"{len(streams) - len(refresh_streams)} query streams"
    what += " and a refresh stream" if refresh_streams else ""
    axes.set_title(
        f"{spec.benchmark.name} {spec.benchmark.label} on {spec.platform.name}: {what} "
        "(blue: queries, orange: refresh functions, red: failed)",
        fontsize=10,
    )
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
