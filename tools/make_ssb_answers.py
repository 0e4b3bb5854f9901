"""Maintainer script: make the shipped SSB answers (``benchbox/benchmarks/ssb/answers/sf*.json.gz``).

A maintainer's tool, never imported by benchbox. For each scale factor it derives the
data as benchbox does (``benchbox.benchmarks.ssb.data.generate``: tpchgen-cli's TPC-H,
then ``transform.sql``), runs benchbox's 13 SSB queries on two independent engines,
DuckDB and DataFusion, each reading the same Parquet files, and keeps an answer only
when both return the same rows (in the same order where the query orders them),
compared by benchbox's own ``compare``. A query the two disagree on is reported and the
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
import gzip
import json
import sys
import tempfile
import time
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchbox.benchmarks.answers import compare, order_keys, reference_from_rows  # noqa: E402
from benchbox.benchmarks.datacache import number_label  # noqa: E402
from benchbox.benchmarks.ssb import ORDER_KEYS, SHIPPED_ANSWERS, SSB, Config  # noqa: E402
from benchbox.benchmarks.ssb.answers import FORMAT  # noqa: E402
from benchbox.benchmarks.ssb.data import generate  # noqa: E402
from benchbox.benchmarks.ssb.schema import TABLES  # noqa: E402

TARGET = ROOT / "benchbox" / "benchmarks" / "ssb" / "answers"


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def duckdb_runner(folder: Path):
    import duckdb

    con = duckdb.connect()
    for table in TABLES:
        con.execute(
            f"CREATE VIEW {table.name} AS SELECT * FROM read_parquet('{folder / table.name}.parquet')"
        )

    def run(sql: str) -> tuple[list[str], list[tuple]]:
        cursor = con.execute(sql)
        return [d[0] for d in cursor.description], cursor.fetchall()

    return run


def datafusion_runner(folder: Path):
    import datafusion

    settings = datafusion.SessionConfig(
        {
            "datafusion.sql_parser.dialect": "duckdb",
            "datafusion.sql_parser.parse_float_as_decimal": "true",
            "datafusion.sql_parser.default_null_ordering": "nulls_last",
        }
    )
    ctx = datafusion.SessionContext(settings)
    for table in TABLES:
        ctx.register_parquet(table.name, str(folder / f"{table.name}.parquet"))

    def run(sql: str) -> list[tuple]:
        rows: list[tuple] = []
        for batch in ctx.sql(sql).collect():
            batch = batch.to_pyarrow() if hasattr(batch, "to_pyarrow") else batch
            rows.extend(zip(*(column.to_pylist() for column in batch.columns), strict=True))
        return rows

    return run


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
        folder = Path(tmp)
        made = generate(scale_factor, folder, lambda message: print(message, flush=True))
        duck, fusion = duckdb_runner(folder), datafusion_runner(folder)
        queries, failures = {}, []
        for query in benchmark.queries(None):
            start = time.perf_counter()
            columns, rows = duck(query.sql)
            plain = [[_plain(v) for v in row] for row in rows]
            reference = reference_from_rows(query.sql, [tuple(r) for r in plain])
            try:
                verdict = compare(reference, fusion(query.sql))
            except Exception as exc:
                failures.append(f"{query.id}: DataFusion failed: {exc}")
                print(f"SF {scale_factor:g} {query.id}: DataFusion failed: {exc}", flush=True)
                continue
            took = time.perf_counter() - start
            if verdict.status != "ok":
                failures.append(f"{query.id}: {verdict.diff}")
                print(f"SF {scale_factor:g} {query.id}: DataFusion disagrees: {verdict.diff}", flush=True)
                continue
            print(f"SF {scale_factor:g} {query.id}: {len(rows)} rows, both agree ({took:.2f} s)", flush=True)
            queries[query.id] = {
                "columns": columns,
                "ordered": reference.ordered,
                "keys": reference.keys,
                "rows": plain,
            }
    if failures:
        print(f"SF {scale_factor:g}: not written, {len(failures)} disagreements: {failures}")
        return False
    document = {
        "format": FORMAT,
        "benchmark": "ssb",
        "scale_factor": scale_factor,
        "created": dt.date.today().isoformat(),
        "tolerance": benchmark.tolerance,
        "generator": dict(made.generator),
        "engines": {"duckdb": version("duckdb"), "datafusion": version("datafusion")},
        "queries": queries,
    }
    body = gzip.compress(json.dumps(document, separators=(",", ":")).encode(), mtime=0)
    TARGET.mkdir(exist_ok=True)
    path = TARGET / f"sf{number_label(scale_factor)}.json.gz"
    path.write_bytes(body)
    print(f"wrote {path} ({len(body)} bytes, {len(queries)} queries)")
    return True


if __name__ == "__main__":
    factors = [float(a) for a in sys.argv[1:]] or list(SHIPPED_ANSWERS)
    ok = check_order_keys()
    sys.exit(0 if all([ok, *[make(sf) for sf in factors]]) else 1)
