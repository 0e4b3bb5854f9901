"""Maintainer script: make the shipped TPC-DS answers (``benchbox/benchmarks/tpcds/answers/sf*.json.gz``).

A maintainer's tool, never imported by benchbox. For each scale factor it generates the
data with tpcgen-cli (as benchbox does), runs benchbox's own 103 TPC-DS queries with the
qualification values on two independent engines, DuckDB and DataFusion, each reading the
same Parquet files, and keeps an answer only when both return the same rows (in the same
order where the query orders them), compared by benchbox's own ``compare``. A query the
two disagree on is reported and the file is not written. At SF 1 the query texts were also
checked against the TPC kit's answer sets (see docs/benchmarks/tpcds.md); that check needs
the kit, which cannot ship, so it is not part of this script.

Run it from the repository with the project's venv (``pip install -e '.[datafusion]'``)::

    python tools/make_tpcds_answers.py            # SF 0.01, 0.1 and 1
    python tools/make_tpcds_answers.py 0.01       # one scale factor

File format: gzip (mtime 0) of compact UTF-8 JSON::

    {"format": "benchbox.tpcds.answers/1", "benchmark": "tpcds", "scale_factor": 1.0,
     "parameters": "validation", "created": "YYYY-MM-DD", "tolerance": 0.01,
     "generator": {"name": "tpcgen-cli", "version": "4.0.0"},
     "engines": {"duckdb": "2.0.1", "datafusion": "55.0.0"},
     "queries": {"Q1": {"columns": [...], "ordered": true, "rows": [[...], ...]}, ...}}

Cell values: integers as JSON integers, DECIMAL and DOUBLE as JSON numbers, dates as ISO
strings, text as strings, NULL as null.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agreed_answers import agreed_answers, engines, write_answers  # noqa: E402

from benchbox.benchmarks.answers import order_keys  # noqa: E402
from benchbox.benchmarks.tpcds import SHIPPED_ANSWERS, TPCDS, Config  # noqa: E402
from benchbox.benchmarks.tpcds.answers import FORMAT  # noqa: E402
from benchbox.benchmarks.tpcds.data import generate, sf_label  # noqa: E402

TARGET = ROOT / "benchbox" / "benchmarks" / "tpcds" / "answers"


def make(scale_factor: float) -> bool:
    benchmark = TPCDS(Config(scale_factor=scale_factor))
    with tempfile.TemporaryDirectory(prefix="benchbox-tpcds-") as tmp:
        made = generate(scale_factor, Path(tmp))
        queries, failures = agreed_answers(benchmark, Path(tmp), f"SF {scale_factor:g}")
    if failures:
        print(f"SF {scale_factor:g}: not written, {len(failures)} disagreements: {failures}")
        return False
    document = {
        "format": FORMAT,
        "benchmark": "tpcds",
        "scale_factor": scale_factor,
        "parameters": "validation",
        "created": dt.date.today().isoformat(),
        "tolerance": benchmark.tolerance,
        "generator": dict(made.generator),
        "engines": engines(),
        "queries": queries,
    }
    write_answers(TARGET / f"sf{sf_label(scale_factor)}.json.gz", document)
    return True


def write_order_keys() -> None:
    """``order.json``: each query's sort-key columns with the qualification values (null: unordered),
    which the plan phase reads instead of parsing every text."""
    benchmark = TPCDS(Config(scale_factor=1))
    keys = {q.id: order_keys(q.sql) for q in benchmark.queries(None)}
    path = TARGET.parent / "order.json"
    text = json.dumps(keys, separators=(",", ":")).replace('],"', '],\n"').replace('null,"', 'null,\n"')
    path.write_text(text + "\n")
    print(f"wrote {path} ({len(keys)} queries)")


if __name__ == "__main__":
    factors = [float(a) for a in sys.argv[1:]] or list(SHIPPED_ANSWERS)
    write_order_keys()
    sys.exit(0 if all([make(sf) for sf in factors]) else 1)
