"""Hand-written pipelines, one per embedded engine: load the cached Parquet files, run the queries.

What a careful person would write for each engine without benchbox: its plainest way to load
a table (DuckDB and chDB tables in memory, DataFusion and Polars scanning the files in place),
then every query ``runs`` times, each result fetched as Python rows. It imports no benchbox: the
parent (``platform_cost.py``) hands it plain data in a JSON file, the query texts already in the
engine's dialect, and it prints its step times as JSON.

Usage (from platform_cost.py): python benchmarks/raw_loops.py JOB.json
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

Loader = Callable[[list[dict[str, Any]]], Callable[[str], Any]]
"""Loads the tables, returns a function that runs one query and fetches its rows."""


def duckdb_loop(
    tables: list[dict[str, Any]], database: str = ":memory:", memory_limit: str | None = None
) -> Callable[[str], Any]:
    """Create each table with its DDL and fill it with ``read_parquet`` (in memory, or in the file
    ``database``, with DuckDB's ``memory_limit`` when one is given)."""
    import duckdb

    con = duckdb.connect(database)
    if memory_limit is not None:
        con.execute("SET memory_limit = ?", [memory_limit])
    for table in tables:
        con.execute(f"CREATE TABLE {table['name']} ({table['duckdb']})")
        con.execute(f"INSERT INTO {table['name']} SELECT * FROM read_parquet(?)", [table["files"]])
    return lambda sql: con.execute(sql).fetchall()


def chdb_loop(tables: list[dict[str, Any]]) -> Callable[[str], Any]:
    """A session in a temporary folder with the same SQL semantics as benchbox sets, Memory tables."""
    from chdb import session

    chdb = session.Session(tempfile.mkdtemp(prefix="raw-chdb-"))
    chdb.query("SET join_use_nulls = 1, aggregate_functions_null_for_empty = 1, group_by_use_nulls = 1")
    for table in tables:
        chdb.query(f"CREATE TABLE {table['name']} ({table['clickhouse']}) ENGINE = Memory")
        for file in table["files"]:
            source = f"file('{file}', Parquet, '{table['clickhouse']}')"
            chdb.query(f"INSERT INTO {table['name']} SELECT * FROM {source}")
    return lambda sql: chdb.query(sql, "ArrowTable").to_pylist()


def datafusion_loop(tables: list[dict[str, Any]]) -> Callable[[str], Any]:
    """Register each file as it is, with the SQL options benchbox sets (DuckDB parser, exact decimals)."""
    import datafusion

    ctx = datafusion.SessionContext(
        datafusion.SessionConfig(
            {
                "datafusion.sql_parser.dialect": "duckdb",
                "datafusion.sql_parser.parse_float_as_decimal": "true",
                "datafusion.sql_parser.default_null_ordering": "nulls_last",
            }
        )
    )
    for table in tables:
        ctx.register_parquet(table["name"], table["files"][0])
    return lambda sql: [batch.to_pylist() for batch in ctx.sql(sql).collect()]


def polars_loop(tables: list[dict[str, Any]]) -> Callable[[str], Any]:
    """A lazy scan of each file, registered in a SQL context; the streaming engine collects."""
    import polars as pl

    ctx = pl.SQLContext({table["name"]: pl.scan_parquet(table["files"]) for table in tables})
    return lambda sql: ctx.execute(sql, eager=False).collect(engine="streaming").rows()


LOOPS: dict[str, Loader] = {
    "duckdb": duckdb_loop,
    "chdb": chdb_loop,
    "datafusion": datafusion_loop,
    "polars": polars_loop,
}


def main() -> None:
    """Run the job: load, then every query ``runs`` times; print ``{"load": s, "queries": s}``."""
    job = json.loads(Path(sys.argv[1]).read_text())
    start = time.perf_counter()
    run = LOOPS[job["platform"]](job["tables"], **job.get("options", {}))
    loaded = time.perf_counter()
    for _ in range(job["runs"]):
        for sql in job["queries"]:
            run(sql)
    done = time.perf_counter()
    print(json.dumps({"load": loaded - start, "queries": done - loaded}))


if __name__ == "__main__":
    main()
