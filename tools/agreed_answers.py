"""What the answer makers share (``make_tpcds_answers.py``, ``make_ssb_answers.py``,
``make_h2o_answers.py``): a benchmark's queries run on two independent engines, DuckDB and
DataFusion, each reading the same folder of Parquet files (``<table>.parquet``), and an answer
kept only when both return the same rows (in the same order where the query orders them),
compared by benchbox's own ``compare``; where the benchmark keeps a digest of each result
(``Benchmark.answer_rows``: H2O), the two digests, within its tolerances.

A maintainer's module, never imported by benchbox; the scripts next to it import it.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import time
from collections.abc import Callable
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import Any

from benchbox.benchmarks.answers import compare, reference_from_rows
from benchbox.benchmarks.base import Benchmark


def _plain(value: Any) -> Any:
    """A cell as JSON holds it: DECIMAL as a number, dates as ISO strings."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def duckdb_runner(folder: Path, tables: list[str]) -> Callable[[str], tuple[list[str], list[tuple]]]:
    """A query -> (column names, rows) on DuckDB, with a view per table over its Parquet file."""
    import duckdb

    con = duckdb.connect()
    for table in tables:
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{folder / table}.parquet')")

    def run(sql: str) -> tuple[list[str], list[tuple]]:
        cursor = con.execute(sql)
        return [d[0] for d in cursor.description], cursor.fetchall()

    return run


def datafusion_runner(folder: Path, tables: list[str]) -> Callable[[str], list[tuple]]:
    """A query -> rows on DataFusion, parsing DuckDB's dialect with DuckDB's NULL order."""
    import datafusion

    settings = datafusion.SessionConfig(
        {
            "datafusion.sql_parser.dialect": "duckdb",
            "datafusion.sql_parser.parse_float_as_decimal": "true",
            "datafusion.sql_parser.default_null_ordering": "nulls_last",  # DuckDB's NULL order
        }
    )
    ctx = datafusion.SessionContext(settings)
    for table in tables:
        ctx.register_parquet(table, str(folder / f"{table}.parquet"))

    def run(sql: str) -> list[tuple]:
        rows: list[tuple] = []
        for batch in ctx.sql(sql).collect():
            batch = batch.to_pyarrow() if hasattr(batch, "to_pyarrow") else batch
            rows.extend(zip(*(column.to_pylist() for column in batch.columns), strict=True))
        return rows

    return run


def agreed_answers(benchmark: Benchmark, folder: Path, label: str) -> tuple[dict[str, Any], list[str]]:
    """``(query id -> answer, disagreements)`` for the benchmark's queries on the data in ``folder``;
    each step is printed, prefixed with ``label`` (e.g. ``SF 0.1``)."""
    tables = [t.name for t in benchmark.tables()]
    duck, fusion = duckdb_runner(folder, tables), datafusion_runner(folder, tables)
    queries: dict[str, Any] = {}
    failures: list[str] = []
    for query in benchmark.queries(None):
        start = time.perf_counter()
        columns, fetched = duck(query.sql)
        rows = benchmark.answer_rows(query.id, fetched)  # what a run keeps of a result (H2O: a digest)
        plain = [tuple(_plain(v) for v in row) for row in rows]
        if rows is fetched:
            reference = reference_from_rows(query.sql, plain)
        else:
            columns = [f"column{i + 1}" for i in range(len(plain[0]))]
            reference = reference_from_rows(
                query.sql, plain, ordered=False, tolerances=benchmark.tolerances(query.id)
            )
        try:
            verdict = compare(reference, benchmark.answer_rows(query.id, fusion(query.sql)))
        except Exception as exc:
            failures.append(f"{query.id}: DataFusion failed: {exc}")
            print(f"{label} {query.id}: DataFusion failed: {exc}", flush=True)
            continue
        took = time.perf_counter() - start
        if verdict.status != "ok":
            failures.append(f"{query.id}: {verdict.diff}")
            print(f"{label} {query.id}: DataFusion disagrees: {verdict.diff}", flush=True)
            continue
        print(f"{label} {query.id}: {len(fetched)} rows, both agree ({took:.2f} s)", flush=True)
        queries[query.id] = {
            "columns": columns,
            "ordered": reference.ordered,
            "keys": reference.keys,
            "rows": plain,
        }
    return queries, failures


def engines() -> dict[str, str]:
    """The two engines' versions, for the answers file."""
    return {"duckdb": version("duckdb"), "datafusion": version("datafusion")}


def write_answers(path: Path, document: dict[str, Any]) -> None:
    """The answers file: gzip (mtime 0, so the same answers give the same bytes) of compact JSON."""
    body = gzip.compress(json.dumps(document, separators=(",", ":")).encode(), mtime=0)
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(body)
    print(f"wrote {path} ({len(body)} bytes, {len(document['queries'])} queries)")
