"""Charts as inline SVG text: the pictures of ``report.html``, with no script, font or file to fetch.

Each function takes plain numbers and labels and returns one ``<svg>`` element sized for
its data, so a page is readable offline, in a CI artifact viewer, or mailed as one file.
Every mark carries a ``<title>`` (the browser shows it on hover) with its exact figure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

PALETTE = ("#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#ff9da6", "#9d755d")
"""Series colours (Tableau 10 order), reused when a chart has more series."""
STATUS_COLOURS = {"ok": "#4c78a8", "mismatch": "#e45756", "failed": "#9d9d9d", "maintenance": "#f58518"}
_FONT = 'font-family="system-ui, sans-serif" font-size="11"'


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: a label, its value, an optional whisker, a colour and a hover text."""

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    colour: str = PALETTE[0]
    note: str = ""


def _t(
    x: float, y: float, content: str, anchor: str = "start", fill: str = "#222", size: int | None = None
) -> str:
    """A text element (``content`` escaped)."""
    extra = f' font-size="{size}"' if size else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}"{extra}>{escape(content)}</text>'
    )


def _l(x1: float, y1: float, x2: float, y2: float, stroke: str = "#e3e3e3", width: float = 1) -> str:
    """A line element."""
    ends = f'x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"'
    return f'<line {ends} stroke="{stroke}" stroke-width="{width}"/>'


def _ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 up to at least ``top``."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    step = 10 ** math.floor(math.log10(raw))
    step *= next(m for m in (1, 2, 2.5, 5, 10) if step * m >= raw)
    return [i * step for i in range(math.ceil(top / step) + 1)]


def _number(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def bars(items: Sequence[Bar], unit: str, width: int = 760) -> str:
    """Horizontal bars with min-max whiskers, one row per item (per-query times, phase durations)."""
    row, left, right, top = 16, 150, 70, 22
    known = [v for b in items for v in (b.value, b.high) if v is not None]
    ticks = _ticks(max(known, default=1.0))
    scale = (width - left - right) / ticks[-1]
    height = top + row * len(items) + 8
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" {_FONT}>']
    for tick in ticks:
        x = left + tick * scale
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 6}" stroke="#e3e3e3"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{top - 8}" text-anchor="middle" fill="#555">{_number(tick)}</text>'
        )
    parts.append(f'<text x="{left - 6}" y="{top - 8}" text-anchor="end" fill="#555">{escape(unit)}</text>')
    for i, bar in enumerate(items):
        y = top + i * row
        parts.append(f'<text x="{left - 6}" y="{y + 11}" text-anchor="end">{escape(bar.label)}</text>')
        if bar.value is None:
            parts.append(
                f'<text x="{left + 4}" y="{y + 11}" fill="#999">{escape(bar.note or "no time")}</text>'
            )
            continue
        w = max(bar.value * scale, 1.0)
        tip = escape(f"{bar.label}: {_number(bar.value)} {unit}" + (f" ({bar.note})" if bar.note else ""))
        parts.append(
            f'<rect x="{left}" y="{y + 2}" width="{w:.1f}" height="{row - 4}" fill="{bar.colour}">'
            f"<title>{tip}</title></rect>"
        )
        if bar.low is not None and bar.high is not None and bar.high > bar.low:
            x1, x2, mid = left + bar.low * scale, left + bar.high * scale, y + row / 2
            parts.append(
                f'<path d="M{x1:.1f} {mid - 4}v8M{x1:.1f} {mid}H{x2:.1f}M{x2:.1f} {mid - 4}v8" '
                'stroke="#222" fill="none"/>'
            )
        end = max(w, (bar.high or 0) * scale)
        parts.append(f'<text x="{left + end + 4:.1f}" y="{y + 11}" fill="#333">{_number(bar.value)}</text>')
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Span:
    """One execution on a timeline: its lane, start and length (ms), label and colour."""

    lane: str
    start: float
    length: float
    label: str
    colour: str


def timeline(spans: Sequence[Span], width: int = 960) -> str:
    """Concurrent streams as a Gantt chart: one lane per stream, one box per execution."""
    lanes = list(dict.fromkeys(s.lane for s in spans))
    origin = min(s.start for s in spans)
    end = max(s.start + s.length for s in spans)
    ticks = _ticks((end - origin) / 1000)
    left, right, top, lane_h = 80, 20, 24, 22
    scale = (width - left - right) / (ticks[-1] * 1000 or 1)
    height = top + lane_h * len(lanes) + 24
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" {_FONT}>']
    for tick in ticks:
        x = left + tick * 1000 * scale
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 20}" stroke="#e3e3e3"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle" fill="#555">{_number(tick)} s</text>'
        )
    for i, lane in enumerate(lanes):
        parts.append(
            f'<text x="{left - 6}" y="{top + i * lane_h + 14}" text-anchor="end">{escape(lane)}</text>'
        )
    for span in spans:
        x = left + (span.start - origin) * scale
        w = max(span.length * scale, 0.8)
        y = top + lanes.index(span.lane) * lane_h
        tip = escape(
            f"{span.lane} {span.label}: {span.length:,.1f} ms from {(span.start - origin) / 1000:,.2f} s"
        )
        parts.append(
            f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{lane_h - 4}" fill="{span.colour}" '
            f'stroke="#fff" stroke-width="0.5"><title>{tip}</title></rect>'
        )
        if w > 7 * len(span.label):
            parts.append(_t(x + w / 2, y + 14, span.label, "middle", "#fff"))
    parts.append("</svg>")
    return "".join(parts)


def grouped_bars(groups: Sequence[str], series: dict[str, Sequence[float | None]], unit: str) -> str:
    """Vertical bars, one group per label (a data size) and one colour per series (a platform)."""
    left, top, bottom, bar_w, gap = 60, 16, 44, 22, 18
    names = list(series)
    legend = 30 + 7 * max((len(n) for n in names), default=0)
    width = left + len(groups) * (len(names) * bar_w + gap) + legend
    height = 240
    known = [v for values in series.values() for v in values if v is not None]
    ticks = _ticks(max(known, default=1.0))
    scale = (height - top - bottom) / ticks[-1]
    base = height - bottom
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" {_FONT}>']
    for tick in ticks:
        y = base - tick * scale
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - legend}" y2="{y:.1f}" stroke="#e3e3e3"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{_number(tick)}</text>'
        )
    parts.append(f'<text x="4" y="{top - 4}" fill="#555">{escape(unit)}</text>')
    for g, group in enumerate(groups):
        x0 = left + gap / 2 + g * (len(names) * bar_w + gap)
        for s, name in enumerate(names):
            value = series[name][g]
            if value is None:
                continue
            h = max(value * scale, 1.0)
            tip = escape(f"{name}, {group}: {_number(value)} {unit}")
            parts.append(
                f'<rect x="{x0 + s * bar_w:.1f}" y="{base - h:.1f}" width="{bar_w - 3}" height="{h:.1f}" '
                f'fill="{PALETTE[s % len(PALETTE)]}"><title>{tip}</title></rect>'
            )
            parts.append(
                _t(x0 + s * bar_w + (bar_w - 3) / 2, base - h - 3, _number(value), "middle", "#333", 9)
            )
        centre = x0 + len(names) * bar_w / 2
        parts.append(f'<text x="{centre:.1f}" y="{base + 16}" text-anchor="middle">{escape(group)}</text>')
    parts.append(_legend(names, width - legend + 10, top))
    parts.append("</svg>")
    return "".join(parts)


def lines(series: dict[str, Sequence[tuple[float, float]]], x_label: str, y_label: str) -> str:
    """A scaling plot on log-log axes: one line per series through its (x, y) points."""
    right = 30 + 7 * max((len(n) for n in series), default=0)
    width, height, left, top, bottom = 460 + right, 300, 64, 16, 44
    points = [p for values in series.values() for p in values if p[0] > 0 and p[1] > 0]
    xs = [math.log10(x) for x, _ in points]
    ys = [math.log10(y) for _, y in points]
    x0, x1 = math.floor(min(xs)), math.ceil(max(xs))
    y0, y1 = math.floor(min(ys)), math.ceil(max(ys))
    x1, y1 = max(x1, x0 + 1), max(y1, y0 + 1)

    def at(x: float, y: float) -> tuple[float, float]:
        px = left + (math.log10(x) - x0) / (x1 - x0) * (width - left - right)
        py = height - bottom - (math.log10(y) - y0) / (y1 - y0) * (height - top - bottom)
        return px, py

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" {_FONT}>']
    for e in range(x0, x1 + 1):
        px, _ = at(10**e, 10**y0)
        parts.append(
            f'<line x1="{px:.1f}" y1="{top}" x2="{px:.1f}" y2="{height - bottom}" stroke="#e3e3e3"/>'
        )
        parts.append(_t(px, height - bottom + 14, _number(10**e), "middle", "#555"))
    for e in range(y0, y1 + 1):
        _, py = at(10**x0, 10**e)
        parts.append(f'<line x1="{left}" y1="{py:.1f}" x2="{width - right}" y2="{py:.1f}" stroke="#e3e3e3"/>')
        parts.append(
            f'<text x="{left - 6}" y="{py + 4:.1f}" text-anchor="end" fill="#555">{_number(10**e)}</text>'
        )
    parts.append(_t((left + width - right) / 2, height - 8, x_label, "middle"))
    parts.append(f'<text x="4" y="{top - 4}" fill="#555">{escape(y_label)}</text>')
    for s, (name, values) in enumerate(series.items()):
        colour = PALETTE[s % len(PALETTE)]
        valid = sorted(p for p in values if p[0] > 0 and p[1] > 0)
        path = " ".join(
            f"{'M' if i == 0 else 'L'}{at(x, y)[0]:.1f} {at(x, y)[1]:.1f}" for i, (x, y) in enumerate(valid)
        )
        parts.append(f'<path d="{path}" stroke="{colour}" stroke-width="2" fill="none"/>')
        for x, y in valid:
            px, py = at(x, y)
            tip = escape(f"{name}: {_number(y)} at {_number(x)}")
            parts.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3.5" fill="{colour}"><title>{tip}</title></circle>'
            )
    parts.append(_legend(list(series), width - right + 12, top))
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Interval:
    """A ratio with its confidence interval, for a forest plot."""

    label: str
    ratio: float | None
    low: float | None
    high: float | None
    verdict: str


VERDICT_COLOURS = {
    "faster": "#54a24b",
    "slower": "#e45756",
    "unchanged": "#4c78a8",
    "inconclusive": "#9d9d9d",
}


def forest(items: Sequence[Interval], equivalence: float, width: int = 760) -> str:
    """Ratios (candidate / baseline) with intervals on a log axis, the band of 'unchanged' shaded."""
    row, left, right, top = 18, 110, 40, 24
    known = [v for i in items for v in (i.ratio, i.low, i.high) if v is not None and v > 0]
    span = max([abs(math.log(v)) for v in known] + [math.log(1 + equivalence) * 2, math.log(1.25)])
    lo, hi = -span * 1.1, span * 1.1

    def x(value: float) -> float:
        return left + (math.log(value) - lo) / (hi - lo) * (width - left - right)

    height = top + row * len(items) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" {_FONT}>']
    band = (x(1 / (1 + equivalence)), x(1 + equivalence))
    parts.append(
        f'<rect x="{band[0]:.1f}" y="{top - 4}" width="{band[1] - band[0]:.1f}" height="{height - top}" '
        'fill="#eef3f8"/>'
    )
    shown: list[float] = []
    for tick in (1.0, 0.9, 1.1, 0.8, 1.25, 0.5, 2.0, 0.25, 4.0):
        if lo <= math.log(tick) <= hi and all(abs(x(tick) - x(t)) > 34 for t in shown):
            shown.append(tick)
            parts.append(_l(x(tick), top - 4, x(tick), height - 4, "#888" if tick == 1 else "#e3e3e3"))
            parts.append(
                f'<text x="{x(tick):.1f}" y="{top - 8}" text-anchor="middle" fill="#555">{tick:g}x</text>'
            )
    for i, item in enumerate(items):
        y = top + i * row + row / 2
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(item.label)}</text>')
        if item.ratio is None or item.ratio <= 0:
            continue
        colour = VERDICT_COLOURS.get(item.verdict, "#333")
        if item.low and item.high and item.low > 0:
            parts.append(_l(x(item.low), y, x(item.high), y, colour, 2))
        tip = escape(f"{item.label}: {item.ratio:.3f}x, {item.verdict}")
        parts.append(
            f'<circle cx="{x(item.ratio):.1f}" cy="{y:.1f}" r="4" fill="{colour}">'
            f"<title>{tip}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _legend(names: Sequence[str], x: float, y: float) -> str:
    return "".join(
        f'<rect x="{x}" y="{y + i * 16}" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>'
        f'<text x="{x + 14}" y="{y + i * 16 + 9}">{escape(name)}</text>'
        for i, name in enumerate(names)
    )
