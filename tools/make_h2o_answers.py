"""Maintainer script: make the shipped H2O answer digests (``benchbox/benchmarks/h2o/answers/*.json.gz``).

A maintainer's tool, never imported by benchbox. For each shipped setting (``h2o.SHIPPED``) it
generates the data as benchbox does (a throwaway data cache: falsa with benchbox's fixes), runs
the task's questions on DuckDB and DataFusion, each reading the same Parquet files, digests both
results (``h2o.answers.digest``) and keeps a digest only when the two agree within its
tolerances (``agreed_answers.py``). A disagreement is reported and the file is not written.

Run it from the repository with the project's venv (``pip install -e '.[datafusion]'``)::

    python tools/make_h2o_answers.py            # every shipped setting
    python tools/make_h2o_answers.py join       # the shipped settings of one task

File format: gzip (mtime 0) of compact UTF-8 JSON::

    {"format": "benchbox.h2o.answers/1", "benchmark": "h2o", "settings": {"task": "groupby", ...},
     "created": "YYYY-MM-DD", "generator": {"name": "falsa + benchbox fixes", "version": "0.0.6+1"},
     "engines": {"duckdb": "...", "datafusion": "..."},
     "queries": {"G1": {"columns": ["column1", ...], "ordered": false, "keys": null, "rows": [[...]]}, ...}}

The one row of each query is its digest: the row count, then per output column a sum or a
distinct count, and a NULL count.
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
from benchbox.benchmarks.h2o import H2O, SHIPPED, Config  # noqa: E402
from benchbox.benchmarks.h2o.answers import FORMAT  # noqa: E402

TARGET = ROOT / "benchbox" / "benchmarks" / "h2o" / "answers"


def make(task: str, rows: int, k: int | None, na: int | None, seed: int) -> bool:
    benchmark = H2O(Config(task=task, rows=rows, k=k, na_percent=na, seed=seed))
    label = benchmark.config.label
    with tempfile.TemporaryDirectory(prefix="benchbox-h2o-") as tmp:
        dataset = datacache.ensure(Path(tmp), benchmark, lambda message: print(message, flush=True))
        queries, failures = agreed_answers(benchmark, dataset.path, label)
    if failures:
        print(f"{label}: not written, {len(failures)} disagreements: {failures}")
        return False
    document = {
        "format": FORMAT,
        "benchmark": "h2o",
        "settings": {"task": task, "rows": rows, "k": k, "na_percent": na, "seed": seed},
        "created": dt.date.today().isoformat(),
        "generator": dict(dataset.manifest["generator"]),
        "engines": engines(),
        "queries": queries,
    }
    write_answers(TARGET / str(benchmark.answers_file()), document)
    return True


if __name__ == "__main__":
    tasks = set(sys.argv[1:]) or {"groupby", "join"}
    chosen = sorted(s for s in SHIPPED if s[0] in tasks)
    sys.exit(0 if all([make(*setting) for setting in chosen]) else 1)
