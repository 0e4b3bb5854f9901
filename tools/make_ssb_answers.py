"""Maintainer script: make the shipped SSB answers (``benchbox/benchmarks/ssb/answers/sf*.json.gz``).

A maintainer's tool, never imported by benchbox. For each scale factor it derives the
data as benchbox does (a throwaway data cache: tpchgen-cli's TPC-H, then ``transform.sql``),
runs benchbox's 13 SSB queries on two independent engines, DuckDB and DataFusion, each
reading the same Parquet files, and keeps an answer only when both return the same rows
(in the same order where the query orders them), compared by benchbox's own ``compare``
(``agreed_answers.py``). A query the two disagree on is reported and the
file is not written. It also checks ``ORDER_KEYS`` against the query texts.

Run it from the repository with the project's venv (``pip install -e '.[datafusion]'``)::

    python tools/make_ssb_answers.py            # SF 0.01, 0.1 and 1
    python tools/make_ssb_answers.py 0.01       # one scale factor

File format: gzip (mtime 0) of compact UTF-8 JSON::

    {"format": "benchbox.ssb.answers/1", "benchmark": "ssb", "scale_factor": 0.1,
     "created": "YYYY-MM-DD", "tolerance": 0.01,
     "generator": {"name": "tpchgen-cli + benchbox ssb transform.sql", "version": "4.0.0+1"},
     "engines": {"duckdb": "2.0.1", "datafusion": "55.0.0"},
     "queries": {"Q1.1": {"columns": [...], "ordered": false, "keys": null, "rows": [[...]]}, ...}}

Cell values: integers as JSON integers, DECIMAL and DOUBLE as JSON numbers, text as strings.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agreed_answers import agreed_answers, engines, write_answers  # noqa: E402

from benchbox.benchmarks import datacache  # noqa: E402
from benchbox.benchmarks.answers import order_keys  # noqa: E402
from benchbox.benchmarks.datacache import number_label  # noqa: E402
from benchbox.benchmarks.ssb import ORDER_KEYS, SHIPPED_ANSWERS, SSB, Config  # noqa: E402
from benchbox.benchmarks.ssb.answers import FORMAT  # noqa: E402

TARGET = ROOT / "benchbox" / "benchmarks" / "ssb" / "answers"


def check_order_keys() -> bool:
    """``ORDER_KEYS`` is what sqlglot reads from each query's ORDER BY."""
    wrong = {
        q.id: order_keys(q.sql) for q in SSB(Config()).queries(None) if order_keys(q.sql) != ORDER_KEYS[q.id]
    }
    if wrong:
        print(f"ORDER_KEYS differs from the texts: {wrong}")
    return not wrong


def make(scale_factor: float) -> bool:
    benchmark = SSB(Config(scale_factor=scale_factor))
    with tempfile.TemporaryDirectory(prefix="benchbox-ssb-") as tmp:
        dataset = datacache.ensure(Path(tmp), benchmark, lambda message: print(message, flush=True))
        queries, failures = agreed_answers(benchmark, dataset.path, f"SF {scale_factor:g}")
    if failures:
        print(f"SF {scale_factor:g}: not written, {len(failures)} disagreements: {failures}")
        return False
    document = {
        "format": FORMAT,
        "benchmark": "ssb",
        "scale_factor": scale_factor,
        "created": dt.date.today().isoformat(),
        "tolerance": benchmark.tolerance,
        "generator": dict(dataset.manifest["generator"]),
        "engines": engines(),
        "queries": queries,
    }
    write_answers(TARGET / f"sf{number_label(scale_factor)}.json.gz", document)
    return True


if __name__ == "__main__":
    factors = [float(a) for a in sys.argv[1:]] or list(SHIPPED_ANSWERS)
    ok = check_order_keys()
    sys.exit(0 if all([ok, *[make(sf) for sf in factors]]) else 1)
