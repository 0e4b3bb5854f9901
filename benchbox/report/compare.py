"""``benchbox compare BASELINE CANDIDATE``: how finished runs compare, and a regression gate for CI.

Each side is a run folder, a ``result.json`` or a sweep folder. Runs are paired (one
against one, or a sweep's jobs by their overrides, or by ``--by KEY``), each query's
measured timings are compared (``statistics.compare_samples``), and so is the suite's
geometric mean. Before any figure, what differs between the two sides is shown; runs on
different data, query texts or answer verdicts are refused unless ``--allow-different``.

Exit codes: 0 no regression beyond the threshold; 1 a regression (``--fail-on-regression``);
2 unusable input. Nothing is run and no file is written: the output goes to stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from benchbox.errors import BenchboxError
from benchbox.report import statistics
from benchbox.report.runs import ReportError, Run, load

_CONTEXT = (
    ("platform", lambda r: r.value("platform")),
    ("platform options", lambda r: _options(r.record["spec"].get("platform", {}))),
    ("benchmark", lambda r: r.record.get("benchmark") or r.value("benchmark")),
    ("data", lambda r: r.record.get("benchmark_label")),
    ("mode", lambda r: _options(r.record["spec"].get("mode", {}))),
    ("engine version", lambda r: r.record.get("metadata", {}).get("platform_engine_version")),
    ("driver version", lambda r: r.record.get("metadata", {}).get("platform_driver_version")),
    ("data fingerprint", lambda r: r.record.get("metadata", {}).get("data_fingerprint")),
    ("data load", lambda r: r.record.get("metadata", {}).get("data_load")),
    ("config git commit", lambda r: r.record.get("metadata", {}).get("config_git_commit")),
    ("host", lambda r: _host(r.record.get("metadata", {}))),
    ("benchbox", lambda r: r.record.get("metadata", {}).get("benchbox_version")),
)
"""What is shown side by side when it differs: the facts that explain a difference in time."""
_BLOCKING = ("data fingerprint",)
"""Differences that make times incomparable (with query texts and answer verdicts)."""


@dataclass
class QueryComparison:
    """One query of one pair of runs."""

    query_id: str
    baseline_ms: float | None
    candidate_ms: float | None
    baseline_n: int
    candidate_n: int
    estimate: statistics.Estimate


@dataclass
class PairComparison:
    """One baseline run against one candidate run."""

    baseline: Run
    candidate: Run
    differences: list[tuple[str, Any, Any]]
    blocking: list[str]
    queries: list[QueryComparison] = field(default_factory=list)
    geomean: statistics.Estimate | None = None
    regressions: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The overrides that set the two runs apart (else their folders)."""
        a, b = set(self.baseline.overrides), set(self.candidate.overrides)
        left = " ".join(o for o in self.baseline.overrides if o not in b) or str(self.baseline.path.parent)
        right = " ".join(o for o in self.candidate.overrides if o not in a) or str(self.candidate.path.parent)
        return f"{left} vs {right}"


def _options(section: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(section.items()) if k != "name" and "password" not in k)


def _host(metadata: dict[str, Any]) -> str | None:
    parts = [metadata.get("cpu_model"), metadata.get("cpu_cores_logical"), metadata.get("memory_total_bytes")]
    if not any(parts):
        return None
    memory = f"{parts[2] / 2**30:.0f} GiB" if parts[2] else "?"
    return f"{parts[0]}, {parts[1]} cores, {memory}"


def pair_runs(baseline: list[Run], candidate: list[Run], by: Sequence[str]) -> list[tuple[Run, Run]]:
    """The runs to compare: one against one, else paired by ``by`` keys or by identical overrides.

    Raises:
        ReportError: nothing pairs, or a key pairs more than one run on a side.
    """
    if len(baseline) == 1 and len(candidate) == 1:
        return [(baseline[0], candidate[0])]

    def key(run: Run) -> tuple[Any, ...]:
        return tuple(run.value(k) for k in by) if by else tuple(sorted(run.overrides))

    sides = []
    for runs in (baseline, candidate):
        keyed: dict[tuple[Any, ...], Run] = {}
        for run in runs:
            if key(run) in keyed:
                what = f"--by {','.join(by)}" if by else "their overrides"
                raise ReportError(
                    f"two runs of one side have the same {what} ({key(run)}): pair by another key"
                )
            keyed[key(run)] = run
        sides.append(keyed)
    pairs = [(sides[0][k], sides[1][k]) for k in sides[0] if k in sides[1]]
    if not pairs:
        raise ReportError(
            "no run of the baseline pairs with one of the candidate: give --by KEY (e.g. --by platform)"
        )
    return pairs


def compare_pair(baseline: Run, candidate: Run, options: argparse.Namespace) -> PairComparison:
    """Everything ``compare`` says about one pair, the gate's verdict included."""
    differences = [
        (name, get(baseline), get(candidate)) for name, get in _CONTEXT if get(baseline) != get(candidate)
    ]
    blocking = [name for name, _, _ in differences if name in _BLOCKING]
    texts = [_texts(run) for run in (baseline, candidate)]
    changed = sorted(q for q in set(texts[0]) & set(texts[1]) if texts[0][q] != texts[1][q])
    if changed:
        differences.append(("query texts", f"{len(changed)} differ", ", ".join(changed[:8])))
        blocking.append("query texts")
    verdicts = [_verdicts(run) for run in (baseline, candidate)]
    flipped = sorted(q for q in set(verdicts[0]) & set(verdicts[1]) if verdicts[0][q] != verdicts[1][q])
    if flipped:
        differences.append(("answer verdicts", f"{len(flipped)} differ", ", ".join(flipped[:8])))
        blocking.append("answer verdicts")
    result = PairComparison(baseline, candidate, differences, blocking)
    base, cand = baseline.samples(), candidate.samples()
    for query_id in [q for q in base if q in cand]:
        estimate = statistics.compare_samples(
            base[query_id], cand[query_id], options.confidence, options.equivalence
        )
        result.queries.append(
            QueryComparison(query_id, _median(base[query_id]), _median(cand[query_id]), len(base[query_id]),
                            len(cand[query_id]), estimate)
        )  # fmt: skip
    both = [(base[q.query_id], cand[q.query_id]) for q in result.queries]
    result.geomean = statistics.geomean_ratio(both, options.confidence, options.equivalence)
    result.regressions = _regressions(result, options)
    return result


def _texts(run: Run) -> dict[str, str]:
    return {f"{p['stream']}:{p['query_id']}": p.get("canonical_sql", "") for p in run.record.get("plan", [])}


def _verdicts(run: Run) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for execution in run.record.get("executions", []):
        if execution.get("validation") is not None:
            found.setdefault(execution["query_id"], execution["validation"])
            if execution["validation"] != "ok":
                found[execution["query_id"]] = execution["validation"]
    return found


def _median(values: list[float]) -> float | None:
    import statistics as stats

    return stats.median(values) if values else None


def _regressions(result: PairComparison, options: argparse.Namespace) -> list[str]:
    """What fails the gate: slower with confidence and by at least the threshold."""
    if options.fail_on_regression is None:
        return []
    limit = 1 + options.fail_on_regression
    if options.gate == "geomean":
        g = result.geomean
        return ["geomean"] if g is not None and g.verdict == "slower" and (g.ratio or 0) >= limit else []
    return [
        q.query_id
        for q in result.queries
        if q.estimate.verdict == "slower" and q.estimate.ratio is not None and q.estimate.ratio >= limit
    ]


# Output.


def _ratio_text(estimate: statistics.Estimate) -> tuple[str, str]:
    ratio = "-" if estimate.ratio is None else f"{estimate.ratio:.3f}"
    if estimate.low is None or estimate.high is None:
        return ratio, estimate.reason or "-"
    return ratio, f"{estimate.low:.3f}-{estimate.high:.3f}"


def _rows(result: PairComparison) -> list[list[str]]:
    rows = []
    for q in result.queries:
        ratio, interval = _ratio_text(q.estimate)
        rows.append(
            [
                q.query_id,
                _ms(q.baseline_ms),
                _ms(q.candidate_ms),
                f"{q.baseline_n}/{q.candidate_n}",
                ratio,
                interval,
                q.estimate.verdict,
            ]
        )
    if result.geomean is not None:
        ratio, interval = _ratio_text(result.geomean)
        rows.append(["geomean", "", "", "", ratio, interval, result.geomean.verdict])
    return rows


_HEADER = ["query", "baseline ms", "candidate ms", "n", "ratio", "interval", "verdict"]


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def render_markdown(results: list[PairComparison], options: argparse.Namespace) -> str:
    """The comparison as GitHub Markdown (for a CI comment)."""
    lines = []
    for result in results:
        lines.append(f"### {result.title}")
        lines.append("")
        if result.differences:
            lines += ["| differs | baseline | candidate |", "| --- | --- | --- |"]
            lines += [f"| {name} | {a} | {b} |" for name, a, b in result.differences]
            lines.append("")
        lines += ["| " + " | ".join(_HEADER) + " |", "| " + " | ".join(["---"] * len(_HEADER)) + " |"]
        lines += ["| " + " | ".join(row) + " |" for row in _rows(result)]
        lines.append("")
        lines.append(_gate_sentence(result, options))
        lines.append("")
    return "\n".join(lines)


def render_json(results: list[PairComparison], options: argparse.Namespace) -> str:
    """The comparison as JSON: every pair, its differences, queries, geomean and regressions."""
    document = {
        "confidence": options.confidence,
        "equivalence": options.equivalence,
        "fail_on_regression": options.fail_on_regression,
        "gate": options.gate,
        "pairs": [
            {
                "baseline": str(r.baseline.path),
                "candidate": str(r.candidate.path),
                "differences": [{"what": n, "baseline": a, "candidate": b} for n, a, b in r.differences],
                "blocking": r.blocking,
                "queries": [
                    {
                        "query_id": q.query_id,
                        "baseline_median_ms": q.baseline_ms,
                        "candidate_median_ms": q.candidate_ms,
                        "baseline_n": q.baseline_n,
                        "candidate_n": q.candidate_n,
                        **asdict(q.estimate),
                    }
                    for q in r.queries
                ],
                "geomean": asdict(r.geomean) if r.geomean else None,
                "regressions": r.regressions,
            }
            for r in results
        ],
    }
    return json.dumps(document, indent=2, default=str)


def render_html(results: list[PairComparison], options: argparse.Namespace) -> str:
    """The comparison as a static page (``report.html``'s building blocks): per pair, what
    differs, a forest plot of the ratios with their intervals, the table and the gate."""
    from benchbox.report import html, svg

    body = []
    for result in results:
        parts = []
        if result.differences:
            parts.append(html.table(["differs", "baseline", "candidate"], result.differences))
        items = [
            svg.Interval(q.query_id, q.estimate.ratio, q.estimate.low, q.estimate.high, q.estimate.verdict)
            for q in result.queries
        ]
        if result.geomean is not None:
            g = result.geomean
            items.append(svg.Interval("geomean", g.ratio, g.low, g.high, g.verdict))
        parts.append(
            "<p>Each dot: candidate / baseline time (left of 1x: faster); the line: its interval at "
            f"{options.confidence:.0%} confidence; the shaded band: within {options.equivalence:.0%} "
            "(unchanged). Green faster, red slower, blue unchanged, grey inconclusive.</p>"
        )
        parts.append(svg.forest(items, options.equivalence))
        parts.append(html.table(_HEADER, _rows(result), numeric=[1, 2, 4]))
        parts.append(f"<p><b>{html.escape(_gate_sentence(result, options))}</b></p>")
        body.append(html.section(result.title, *parts))
    where = f"{results[0].baseline.path.parent} vs {results[0].candidate.path.parent}" if results else ""
    return html.page("benchbox compare", where, body)


def render_table(results: list[PairComparison], options: argparse.Namespace) -> None:
    """The comparison as terminal tables (rich)."""
    from rich.console import Console
    from rich.table import Table

    width = None if sys.stdout.isatty() else 120
    # markup off: run folders, overrides and recorded values are printed as they are, brackets and all
    console = Console(file=sys.stdout, soft_wrap=True, width=width, markup=False)
    for result in results:
        if result.differences:
            context = Table(title="what differs", title_justify="left")
            for column in ("", "baseline", "candidate"):
                context.add_column(column)
            for name, a, b in result.differences:
                context.add_row(name, str(a), str(b))
            console.print(context)
        table = Table(title=result.title, title_justify="left")
        for column in _HEADER:
            table.add_column(
                column, justify="right" if column not in ("query", "verdict", "interval") else "left"
            )
        for row in _rows(result):
            table.add_row(*row)
        table.caption = _gate_sentence(result, options)
        console.print(table)


def _gate_sentence(result: PairComparison, options: argparse.Namespace) -> str:
    level = f"{options.confidence:.0%} confidence"
    if options.fail_on_regression is None:
        return f"ratio: candidate / baseline time; interval at {level}; no regression gate set"
    threshold = f"{options.fail_on_regression:.0%}"
    if result.regressions:
        return f"REGRESSION: {', '.join(result.regressions)} slower by {threshold} or more at {level}"
    return f"no regression of {threshold} or more ({options.gate}) at {level}"


# The command.


def _fraction(text: str) -> float:
    """``10%`` or ``0.1`` -> 0.1."""
    try:
        value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a fraction: use e.g. 10% or 0.1") from None
    if not 0 <= value < 10:
        raise argparse.ArgumentTypeError(f"{text!r} is out of range: use e.g. 10% or 0.1")
    return value


def _confidence(text: str) -> float:
    value = _fraction(text)
    if not 0.5 <= value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: use a confidence from 50% to 99.9%, e.g. 95%")
    return value


def parser() -> argparse.ArgumentParser:
    """The ``benchbox compare`` command line."""
    parse = argparse.ArgumentParser(
        prog="benchbox compare",
        description="Compare finished runs: per-query time ratios with confidence intervals, and a "
        "regression gate. Each side is a run folder, a result.json, or a sweep folder.",
    )
    parse.add_argument("baseline")
    parse.add_argument("candidate")
    parse.add_argument("--by", default="", help="pair a sweep's jobs by these config keys, e.g. platform")
    parse.add_argument(
        "--fail-on-regression", type=_fraction, default=None, metavar="PCT",
        help="exit 1 when a query (or the geomean, --gate) is slower by PCT or more with confidence",
    )  # fmt: skip
    parse.add_argument("--gate", choices=("any", "geomean"), default="any")
    parse.add_argument("--confidence", type=_confidence, default=0.95, help="default 95%%")
    parse.add_argument(
        "--equivalence", type=_fraction, default=0.05, metavar="PCT",
        help="an interval within +-PCT of 1 is 'unchanged' (default 5%%)",
    )  # fmt: skip
    parse.add_argument("--format", choices=("table", "markdown", "json", "html"), default="table")
    parse.add_argument(
        "--allow-different", action="store_true",
        help="compare even runs on different data, query texts or answer verdicts",
    )  # fmt: skip
    return parse


def main(argv: Sequence[str]) -> int:
    """Run the command; return its exit code (0 ok, 1 regression, 2 unusable input)."""
    try:
        options = parser().parse_args(list(argv))
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0)
    try:
        pairs = pair_runs(
            load(options.baseline), load(options.candidate), [k for k in options.by.split(",") if k]
        )
        results = [compare_pair(b, c, options) for b, c in pairs]
    except BenchboxError as exc:
        sys.stderr.write(f"benchbox compare: error: {exc}\n")
        return exc.exit_code
    blocked = [r for r in results if r.blocking and not options.allow_different]
    if blocked:
        for result in blocked:
            sys.stderr.write(
                f"benchbox compare: error: {result.baseline.path} and {result.candidate.path} differ in "
                f"{', '.join(result.blocking)}, so their times are not comparable; "
                "pass --allow-different to compare them anyway\n"
            )
            for name, a, b in result.differences:
                sys.stderr.write(f"  {name}: {a} | {b}\n")
        return 2
    if options.format == "json":
        sys.stdout.write(render_json(results, options) + "\n")
    elif options.format == "html":
        sys.stdout.write(render_html(results, options))
    elif options.format == "markdown":
        sys.stdout.write(render_markdown(results, options))
    else:
        render_table(results, options)
    return 1 if any(r.regressions for r in results) else 0
