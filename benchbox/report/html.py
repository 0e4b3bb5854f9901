"""``report.html``: a finished run, a sweep or a comparison as one static, self-contained page.

Built from what the exporter wrote (a run's ``result.json`` record, a sweep's summary rows)
and nothing else: no script, no stylesheet or font to fetch, every chart inline SVG
(``svg.py``), so the page opens offline, as a CI artifact, or mailed as one file. The
same building blocks (``page``, ``table``, ``section``) make the run page, the sweep page
and ``benchbox compare --format html``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

from benchbox import columns
from benchbox.report import svg
from benchbox.report.summary import metric_columns, varying

STREAM_PHASES = ("throughput", "throughput_test")
"""Phases whose streams run at the same time: drawn as a timeline."""

_STYLE = """
body{font-family:system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd}
.sub{color:#666;margin:0 0 16px}.cards{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
.card{border:1px solid #ddd;border-radius:6px;padding:8px 12px;min-width:110px}
.card b{display:block;font-size:18px}.card span{color:#666;font-size:12px}
table{border-collapse:collapse;font-size:12px;margin:6px 0}td,th{border:1px solid #e2e2e2;padding:3px 7px}
th{background:#f5f5f5;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
.bad{color:#b00020}.ok{color:#1b7f3b}.error{background:#fdecea;border:1px solid #f5c2c0;padding:8px 12px}
pre{background:#f7f7f7;padding:10px;overflow:auto;font-size:11px;max-height:480px}
.scroll{overflow-x:auto}footer{color:#888;font-size:11px;margin-top:30px}
"""


def page(title: str, subtitle: str, body: Iterable[str]) -> str:
    """A whole HTML document: inline style, no external reference of any kind."""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="icon" href="data:,"><title>{escape(title)}</title><style>{_STYLE}</style></head>'
        f'<body><h1>{escape(title)}</h1><p class="sub">{escape(subtitle)}</p>{"".join(body)}'
        "<footer>benchbox report: a static page built from the run records (no script, nothing fetched)."
        "</footer></body></html>"
    )


def section(title: str, *content: str) -> str:
    """A titled part of the page."""
    return f"<h2>{escape(title)}</h2>{''.join(content)}"


def table(header: Sequence[str], rows: Iterable[Sequence[Any]], numeric: Iterable[int] = ()) -> str:
    """A table of text cells (escaped); cells given as ``Raw`` are inserted as they are."""
    right = set(numeric)
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(_cell(v, i in right) for i, v in enumerate(row)) + "</tr>" for row in rows
    )
    return f'<div class="scroll"><table><tr>{head}</tr>{body}</table></div>'


class Raw(str):
    """Markup already built (a coloured cell, a link): not escaped again."""


def _cell(value: Any, numeric: bool) -> str:
    if isinstance(value, Raw):
        return value
    attrs = ' class="n"' if numeric else ""
    return f"<td{attrs}>{escape(_text(value))}</td>"


def cards(items: Iterable[tuple[str, Any]]) -> str:
    """Headline figures as small boxes."""
    return (
        '<div class="cards">'
        + "".join(
            f"<div class='card'><b>{escape(_text(v))}</b><span>{escape(k)}</span></div>" for k, v in items
        )
        + "</div>"
    )


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}" if 1 <= abs(value) < 1e15 else f"{value:.4g}"
    return str(value)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.2f}"


def _mb(value: int | float | None) -> str:
    return "-" if value is None else f"{value / 2**20:,.1f}"


# The run page.


def run_page(record: Mapping[str, Any]) -> str:
    """One run: headline figures, per-query times and verdicts, phases, streams, metadata, spec."""
    spec = record.get("spec", {})
    summary = record.get("summary", {})
    totals = summary.get("totals", {})
    queries = summary.get("queries", {})
    title = (
        f"{record.get('benchmark')} {record.get('benchmark_label') or ''} on {record.get('platform')} "
        f"({spec.get('mode', {}).get('name')}): {record.get('status')}"
    )
    subtitle = f"run {record.get('run_id')}, started {record.get('started_at')}"
    body = []
    if record.get("error"):
        body.append(f'<p class="error">{escape(str(record["error"]))}</p>')
    if record.get("partial"):
        body.append('<p class="error">Partial result: the run was interrupted.</p>')
    body.append(
        cards(
            [
                ("geomean ms", totals.get("geomean_ms")),
                ("total ms", totals.get("total_ms")),
                ("queries ok", f"{totals.get('ok', '-')}/{totals.get('queries', '-')}"),
                ("validated", totals.get("validated")),
                ("mismatched", totals.get("mismatched")),
                ("failed", totals.get("failed")),
                *metric_columns(summary).items(),
            ]
        )
    )
    if queries:
        body.append(section("Queries", *_query_parts(queries)))
    phases = record.get("phases", [])
    if phases:
        items = [
            svg.Bar(
                p["name"],
                p.get("duration_ms"),
                colour=_phase_colour(p.get("status")),
                note=p.get("status", ""),
            )
            for p in phases
        ]
        body.append(section("Phases", svg.bars(items, "ms"), _phase_table(phases)))
    spans = [
        svg.Span(
            f"stream {e['stream']}",
            e["offset_ms"],
            e["duration_ms"],
            e["query_id"],
            svg.STATUS_COLOURS["maintenance" if e.get("kind") == "maintenance" else _verdict(e)],
        )
        for e in record.get("executions", [])
        if e.get("phase") in STREAM_PHASES
        and e.get("duration_ms") is not None
        and e.get("offset_ms") is not None
    ]
    if spans:
        body.append(
            section(
                "Streams",
                "<p>Each box is one execution on its stream's session, from its start to its end "
                "(blue: query, orange: maintenance function, red: wrong answer, grey: failed).</p>",
                svg.timeline(spans),
            )
        )
    metadata = record.get("metadata", {})
    if metadata:
        body.append(
            section("Metadata", table(["key", "value"], ((k, _json(v)) for k, v in metadata.items())))
        )
    body.append(section("Spec", f"<pre>{escape(json.dumps(spec, indent=2))}</pre>"))
    return page(title, subtitle, body)


def _verdict(execution: Mapping[str, Any]) -> str:
    if execution.get("status") != "ok":
        return "failed"
    return "mismatch" if execution.get("validation") == "mismatch" else "ok"


def _phase_colour(status: str | None) -> str:
    return svg.STATUS_COLOURS["ok"] if status == "ok" else svg.STATUS_COLOURS["mismatch"]


def _phase_table(phases: Sequence[Mapping[str, Any]]) -> str:
    return table(
        ["phase", "status", "ms", "error"],
        ((p["name"], p.get("status"), _ms(p.get("duration_ms")), p.get("error") or "") for p in phases),
        numeric=[2],
    )


def _query_parts(queries: Mapping[str, Mapping[str, Any]]) -> list[str]:
    items = []
    for query_id, stats in queries.items():
        key = "failed" if stats.get("status") not in ("ok", None) else stats.get("validation") or "ok"
        items.append(
            svg.Bar(
                query_id,
                stats.get("median_ms"),
                stats.get("min_ms"),
                stats.get("max_ms"),
                svg.STATUS_COLOURS.get(key, svg.STATUS_COLOURS["ok"]),
                f"{stats.get('status')}, validation {stats.get('validation') or '-'}",
            )
        )
    resources = any(s.get("cpu_ms_median") is not None for s in queries.values())
    header = ["query", "median ms", "min ms", "max ms", "stdev ms", "n", "warmups", "status", "validation"]
    if resources:
        header += ["cpu ms", "peak MiB", "server cpu ms", "server peak MiB"]
    rows = []
    for query_id, s in queries.items():
        status = s.get("status")
        verdict = s.get("validation")
        row: list[Any] = [
            query_id, _ms(s.get("median_ms")), _ms(s.get("min_ms")), _ms(s.get("max_ms")),
            _ms(s.get("stdev_ms")), s.get("iterations"), s.get("warmups"),
            Raw(f'<td class="{"ok" if status == "ok" else "bad"}">{escape(str(status))}</td>'),
            Raw(f'<td class="{"bad" if verdict == "mismatch" else "ok" if verdict == "ok" else ""}">'
                f"{escape(str(verdict or '-'))}</td>"),
        ]  # fmt: skip
        if resources:
            row += [
                _ms(s.get("cpu_ms_median")),
                _mb(s.get("peak_rss_bytes_max")),
                _ms(s.get("server_cpu_ms_median")),
                _mb(s.get("server_peak_rss_bytes_max")),
            ]
        rows.append(row)
    caption = (
        "<p>Bars: median of the measured iterations (warmups excluded); whiskers: min to max. "
        "Red: a wrong answer; grey: failed.</p>"
    )
    return [
        caption,
        svg.bars(items, "ms"),
        table(header, rows, numeric=range(1, 7) if not resources else [*range(1, 7), 9, 10, 11, 12]),
    ]


def _json(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


# The sweep page.


def sweep_page(
    rows: Sequence[Mapping[str, Any]], records: Mapping[int, Mapping[str, Any]], where: str
) -> str:
    """A sweep: its jobs, a query x job heat map of median times, geomeans by series and data
    size, and a scaling plot when a numeric setting of the benchmark varies."""
    apart = varying(rows)
    ok = [r for r in rows if r.get("status") == "ok"]
    title = f"sweep: {len(rows)} jobs, {len(ok)} ok"
    body = [cards([("jobs", len(rows)), ("ok", len(ok)), ("not ok", len(rows) - len(ok))])]
    header = ["job", *apart, "status", "geomean ms", "total ms", "validated", "error"]
    jobs = [
        [
            r["job"], *[r.get(k) for k in apart], r.get("status"), _ms(r.get("geomean_ms")),
            _ms(r.get("total_ms")), _validated(r), r.get("error") or "",
        ]
        for r in rows
    ]  # fmt: skip
    body.append(section("Jobs", table(header, jobs, numeric=[0, len(apart) + 2, len(apart) + 3])))
    if records:
        body.append(section("Median ms per query and job", _heat_map(rows, records, apart)))
    labels = list(dict.fromkeys(r.get("benchmark_label") for r in ok if r.get("geomean_ms") is not None))
    scale = _numeric_setting(ok, records)
    series_of = {r["job"]: _series(r, [k for k in apart if k != scale]) for r in ok}
    if ok:
        series: dict[str, list[float | None]] = {}
        for name in dict.fromkeys(series_of.values()):
            series[name] = [
                _mean(
                    [
                        r["geomean_ms"]
                        for r in ok
                        if series_of[r["job"]] == name and r.get("benchmark_label") == label
                    ]
                )
                for label in labels
            ]
        body.append(
            section(
                "Geomean by series and data", svg.grouped_bars([str(x) for x in labels], series, "geomean ms")
            )
        )
    if scale is not None:
        curves: dict[str, list[tuple[float, float]]] = {}
        for r in ok:
            if r.get("geomean_ms") is not None and isinstance(r.get(scale), (int, float)):
                name = _series(r, [k for k in apart if k != scale and k != "benchmark_label"])
                curves.setdefault(name, []).append((float(r[scale]), float(r["geomean_ms"])))
        body.append(section(f"Scaling over {scale}", svg.lines(curves, scale, "geomean ms")))
    return page(title, where, body)


def _validated(row: Mapping[str, Any]) -> str:
    if row.get("queries_validated") is None:
        return "-"
    text = f"{row['queries_validated']}/{(row.get('queries_ok') or 0) + (row.get('queries_failed') or 0)}"
    return text + (f", {row['queries_mismatched']} mismatched" if row.get("queries_mismatched") else "")


def _series(row: Mapping[str, Any], varying: Sequence[str]) -> str:
    ordered = sorted((k for k in varying if k != "benchmark_label"), key=lambda k: k != "platform")
    parts = [f"{row.get(k)}" if k == "platform" else f"{k}={row.get(k)}" for k in ordered]
    return " ".join(parts) or str(row.get("platform"))


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _numeric_setting(
    rows: Sequence[Mapping[str, Any]], records: Mapping[int, Mapping[str, Any]]
) -> str | None:
    """The benchmark setting that varies over numbers across the ok jobs (the data's scale), if any."""
    for record in records.values():
        for key, value in columns.config_columns(record.get("spec", {}).get("benchmark", {})).items():
            values = {r.get(key) for r in rows}
            if isinstance(value, (int, float)) and not isinstance(value, bool) and len(values) > 1:
                return key
    return None


def _heat_map(
    rows: Sequence[Mapping[str, Any]], records: Mapping[int, Mapping[str, Any]], varying: list[str]
) -> str:
    medians = {
        job: {q: s.get("median_ms") for q, s in record.get("summary", {}).get("queries", {}).items()}
        for job, record in records.items()
    }
    jobs = [r["job"] for r in rows if r["job"] in medians]
    query_ids = list(dict.fromkeys(q for job in jobs for q in medians[job]))
    header = ["query", *[f"{j}: {_series(next(r for r in rows if r['job'] == j), varying)}" for j in jobs]]
    body = []
    for query_id in query_ids:
        values = [medians[j].get(query_id) for j in jobs]
        known = [v for v in values if v]
        low = min(known, default=None)
        cells: list[Any] = [query_id]
        for value in values:
            if value is None or low is None:
                cells.append("-")
                continue
            shade = min(math.log10(value / low) / 2, 1.0) if value > 0 and low > 0 else 0.0  # 100x = darkest
            colour = f"hsl(8, 75%, {97 - shade * 45:.0f}%)"
            cells.append(
                Raw(f'<td class="n" style="background:{colour}" title="{value:,.3f} ms">{value:,.2f}</td>')
            )
        body.append(cells)
    return (
        "<p>Each cell: the query's median in that job; the redder, the slower against the "
        "fastest job for that query (white: fastest, darkest: 100x or more).</p>" + table(header, body)
    )
