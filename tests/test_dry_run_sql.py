"""A dry run writes each planned query's SQL, as the platform would execute it, into ``sql/``.

Through the real ``benchbox`` command: one file per query and stream, named in run order,
holding exactly the translated text (which differs by platform), runnable as it is by that
platform's own client, and named on the console.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import duckdb
import pytest

from benchbox import benchmarks, platforms
from benchbox.platforms.types import create_table_sql


def _dry_run(benchbox, tmp_path: Path, *args: str) -> tuple[Path, dict, str]:
    """Run a dry run into ``tmp_path/run`` with a data cache it must not touch; return the run
    folder, its result.json and the console's standard output."""
    run_dir, data = tmp_path / "run", tmp_path / "never"
    done = benchbox(
        "mode=dry_run",
        "progress=false",
        f"hydra.run.dir={run_dir}",
        *args,
        env={"BENCHBOX_DATA_DIR": str(data)},
    )
    assert done.code == 0, done.stdout + done.stderr
    assert not data.exists(), "a dry run touches no data"
    return run_dir, json.loads((run_dir / "result.json").read_text()), done.stdout


def _sql_files(run_dir: Path) -> list[str]:
    """Every file under ``sql/``, as paths relative to it, sorted by name."""
    return sorted(
        p.relative_to(run_dir / "sql").as_posix() for p in (run_dir / "sql").rglob("*") if p.is_file()
    )


def _platform_sql(platform: str) -> dict[str, str]:
    """Each TPC-H query's text as ``platform`` executes it, translated here, apart from the run."""
    benchmark_class = benchmarks.get("tpch")
    benchmark = benchmark_class(benchmark_class.Config())
    module = platforms.get(platform)
    adapter = module.Adapter(module.Config())
    return {q.id: adapter.translate(q.sql, benchmark.dialect) for q in benchmark.queries(None)}


def _empty_database(platform: str):
    """A connection of ``platform``'s own Python client with the TPC-H tables, empty."""
    benchmark_class = benchmarks.get("tpch")
    connection = duckdb.connect() if platform == "duckdb" else sqlite3.connect(":memory:")
    for table in benchmark_class(benchmark_class.Config()).tables():
        connection.execute(create_table_sql(table, platform))
    return connection


@pytest.mark.e2e
@pytest.mark.parametrize("platform", ["duckdb", "sqlite"])
def test_a_dry_run_writes_each_query_as_the_platform_executes_it(
    benchbox, tmp_path: Path, platform: str
) -> None:
    run_dir, record, stdout = _dry_run(benchbox, tmp_path, f"platform={platform}")
    plan = record["plan"]
    assert len(plan) == 22 and {p["stream"] for p in plan} == {0}
    names = [f"stream0/{n:02d}-Q{n}.sql" for n in range(1, 23)]
    assert _sql_files(run_dir) == sorted(names), "one file per planned query, nothing else"
    expected = _platform_sql(platform)
    connection = _empty_database(platform)
    for name, planned in zip(names, plan, strict=True):  # numbered in the plan's run order
        text = (run_dir / "sql" / name).read_text(encoding="utf-8")
        assert text == planned["sql"] == expected[planned["query_id"]], name
        connection.execute(text).fetchall()  # the file runs as it is, in the platform's own client
    q1 = (run_dir / "sql" / "stream0" / "01-Q1.sql").read_text()
    if platform == "sqlite":  # folded for SQLite, which has no interval arithmetic
        assert "DATE('1998-09-02')" in q1 and "interval" not in q1.lower() and q1 != plan[0]["canonical_sql"]
    else:  # DuckDB runs the benchmark's own dialect, unchanged
        assert "interval '90' day" in q1.lower() and q1 == plan[0]["canonical_sql"]
    assert f"SQL of the 22 planned queries in {run_dir / 'sql'}, one file per query and stream" in stdout


@pytest.mark.e2e
def test_the_sqlite_files_are_not_duckdbs(benchbox, tmp_path: Path) -> None:
    """The same query differs by platform: SQLite's Q1 fails on SQLite in DuckDB's dialect."""
    sqlite_dir, _, _ = _dry_run(benchbox, tmp_path / "sqlite", "platform=sqlite", "benchmark.queries=[1]")
    duckdb_dir, _, _ = _dry_run(benchbox, tmp_path / "duckdb", "platform=duckdb", "benchmark.queries=[1]")
    translated = (sqlite_dir / "sql" / "stream0" / "01-Q1.sql").read_text()
    original = (duckdb_dir / "sql" / "stream0" / "01-Q1.sql").read_text()
    assert translated != original
    connection = _empty_database("sqlite")
    assert connection.execute(translated).fetchall() == []
    with pytest.raises(sqlite3.OperationalError):
        connection.execute(original)


@pytest.mark.e2e
def test_a_dry_run_of_two_queries_writes_two_files(benchbox, tmp_path: Path) -> None:
    run_dir, record, stdout = _dry_run(benchbox, tmp_path, "platform=sqlite", "benchmark.queries=[1,6]")
    assert _sql_files(run_dir) == ["stream0/01-Q1.sql", "stream0/02-Q6.sql"]
    assert [p["query_id"] for p in record["plan"]] == ["Q1", "Q6"]
    assert (run_dir / "sql" / "stream0" / "02-Q6.sql").read_text() == record["plan"][1]["sql"]
    assert f"SQL of the 2 planned queries in {run_dir / 'sql'}" in stdout
    assert [p.name for p in run_dir.rglob(".*")] == [".hydra"], "no temporary file or folder is left"


@pytest.mark.e2e
def test_a_tpcds_dry_run_numbers_its_103_files_in_run_order(benchbox, tmp_path: Path) -> None:
    run_dir, record, stdout = _dry_run(benchbox, tmp_path, "benchmark=tpcds", "platform=duckdb")
    files = _sql_files(run_dir)
    assert len(files) == len(record["plan"]) == 103
    assert files[:2] == ["stream0/001-Q1.sql", "stream0/002-Q2.sql"] and "stream0/015-Q14b.sql" in files
    assert [name.split("-", 1)[1].removesuffix(".sql") for name in files] == [
        p["query_id"] for p in record["plan"]
    ]
    assert f"SQL of the 103 planned queries in {run_dir / 'sql'}" in stdout


@pytest.mark.e2e
def test_a_dry_run_of_streams_writes_what_the_performance_test_would_send(benchbox, tmp_path: Path) -> None:
    """``mode.streams=2``: stream 0 in its own order, then query streams 1 and 2, each in its order
    and, with seeded parameters, with its own values."""
    run_dir, record, _ = _dry_run(benchbox, tmp_path, "mode.streams=2", "benchmark.parameters=seeded")
    files = _sql_files(run_dir)
    assert {name.split("/")[0] for name in files} == {"stream0", "stream1", "stream2"}
    benchmark_class = benchmarks.get("tpch")
    benchmark = benchmark_class(benchmark_class.Config(parameters="seeded"))
    for stream in (0, 1, 2):
        expected = [q.id for q in benchmark.queries(stream)]
        names = [name.split("/")[1] for name in files if name.startswith(f"stream{stream}/")]
        assert [name.split("-", 1)[1].removesuffix(".sql") for name in names] == expected
    assert [p["details"].get("streams") for p in record["phases"]] == [3]
    q6 = {
        stream: (run_dir / "sql" / name).read_text()
        for stream in (1, 2)
        for name in files
        if name.startswith(f"stream{stream}/") and name.endswith("-Q6.sql")
    }
    assert q6[1] != q6[2], "each stream draws its own values"


def test_a_dry_run_of_no_streams_is_refused(benchbox) -> None:
    done = benchbox("mode=dry_run", "mode.streams=0")
    assert done.code == 2 and "mode.streams=0 is not allowed" in done.stderr, done.stderr
