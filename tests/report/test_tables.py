"""One tidy table per sweep, through the real command: the summary's columns (swept keys, run
columns, totals, provenance), the sweep's own queries.parquet, the table printed at the end,
and every query of docs/results.md's "Questions people ask" run on the sweep it describes."""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs" / "results.md"
EXAMPLE = "multirun/example"
"""The sweep folder the docs' examples read."""


@pytest.fixture(scope="module")
def sweep(benchbox_exe: str, data_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """The docs' example sweep (2 platforms x 2 iteration counts), queries cut to three."""
    cwd = tmp_path_factory.mktemp("tidy")
    command = [
        benchbox_exe, "-m", "platform=duckdb,sqlite", "mode.iterations=2,3",
        "benchmark.scale_factor=0.01", "benchmark.queries=[1,6,14]", "export=parquet",
        "progress=false", f"hydra.sweep.dir={EXAMPLE}",
    ]  # fmt: skip
    env = {**os.environ, "BENCHBOX_DATA_DIR": str(data_dir)}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return cwd, done


def _records(folder: Path) -> list[dict]:
    return [json.loads((folder / str(n) / "result.json").read_text()) for n in range(4)]


@pytest.mark.e2e
def test_the_summary_has_a_column_per_swept_key_and_the_runs_provenance(sweep) -> None:
    cwd, _ = sweep
    table = pq.read_table(cwd / EXAMPLE / "summary.parquet")
    rows = table.to_pylist()
    names = table.schema.names
    assert names[:5] == ["job", "status", "exit_code", "error", "mode.iterations"]
    assert "progress" not in names, "a key every job sets alike is no column"
    for column in ("benchmark", "platform", "mode", "experiment", "scale_factor", "spec_hash"):
        assert column in names
    assert table.schema.field("mode.iterations").type == "int64"
    assert [(r["platform"], r["mode.iterations"], r["status"]) for r in rows] == [
        ("duckdb", 2, "ok"), ("duckdb", 3, "ok"), ("sqlite", 2, "ok"), ("sqlite", 3, "ok"),
    ]  # fmt: skip
    records = _records(cwd / EXAMPLE)
    for row, record in zip(rows, records, strict=True):
        assert row["geomean_ms"] == record["summary"]["totals"]["geomean_ms"]
        assert row["spec_hash"] == record["spec_hash"]
        assert row["config_git_commit"] == record["metadata"]["config_git_commit"]
        assert row["queries_validated"] == 3 and row["scale_factor"] == 0.01
    assert re.fullmatch(r"[0-9a-f]{40}", rows[0]["config_git_commit"] or ""), "benchbox's conf/ is in git"


@pytest.mark.e2e
def test_the_sweeps_queries_parquet_holds_every_jobs_rows_with_its_job_columns(sweep) -> None:
    cwd, _ = sweep
    folder = cwd / EXAMPLE
    table = pq.read_table(folder / "queries.parquet")
    assert table.schema.names[:3] == ["job", "mode.iterations", "run_id"]
    per_job = [pq.read_table(folder / str(n) / "queries.parquet").num_rows for n in range(4)]
    assert table.num_rows == sum(per_job) == 3 * (1 + 2) * 2 + 3 * (1 + 3) * 2  # one warmup each
    rows = table.to_pylist()
    records = _records(folder)
    for n, record in enumerate(records):
        mine = [r for r in rows if r["job"] == n]
        assert {r["run_id"] for r in mine} == {record["run_id"]}
        assert {r["mode.iterations"] for r in mine} == {record["spec"]["mode"]["iterations"]}
    # "median per query per platform" is one GROUP BY, and it is the runs' own medians pooled.
    got = dict(
        ((p, q), m)
        for p, q, m in duckdb.sql(
            f"select platform, query_id, median(duration_ms) from '{folder / 'queries.parquet'}' "
            "where not warmup and status = 'ok' group by all"
        ).fetchall()
    )
    for platform in ("duckdb", "sqlite"):
        for query in ("Q1", "Q6", "Q14"):
            times = [
                e["duration_ms"]
                for r in records
                if r["platform"] == platform
                for e in r["executions"]
                if e["query_id"] == query and not e["warmup"]
            ]
            assert got[(platform, query)] == pytest.approx(statistics.median(times))


@pytest.mark.e2e
def test_the_end_of_the_sweep_prints_one_line_per_job_and_where_the_files_are(sweep) -> None:
    cwd, done = sweep
    table = done.stdout[done.stdout.index("sweep: 4 jobs") :]
    records = _records(cwd / EXAMPLE)
    for n, record in enumerate(records):
        line = next(li for li in table.splitlines() if re.match(rf"^\W*{n}\W", li))
        assert record["platform"] in line and " ok " in line and "3/3" in line, line
        assert f"{record['summary']['totals']['geomean_ms']:.2f}" in line, line
    assert "summary.parquet" in table and "queries.parquet" in table


def _blocks(language: str) -> list[str]:
    text = DOCS.read_text()
    section = text[text.index("## Questions people ask") : text.index("## What is timed")]
    return re.findall(rf"```{language}\n(.*?)```", section, flags=re.S)


@pytest.mark.e2e
def test_every_sql_answer_in_the_docs_runs_on_the_sweep_it_describes(sweep) -> None:
    cwd, _ = sweep
    queries = _blocks("sql")
    assert len(queries) >= 6
    connection = duckdb.connect()
    results = []
    for sql in queries:
        results.append(connection.sql(sql.replace(EXAMPLE, str(cwd / EXAMPLE))).fetchall())
    medians, geomeans, ratios, problems, spread, separate = results
    assert len(medians) == 6 and all(n == 5 for *_, n in medians)  # 2 + 3 measured per platform
    assert [row[:3] for row in geomeans] == [
        ("duckdb", 2, "ok"), ("duckdb", 3, "ok"), ("sqlite", 2, "ok"), ("sqlite", 3, "ok"),
    ]  # fmt: skip
    assert {r[2] for r in ratios if r[0] == "duckdb"} == {1.0}
    assert problems == []
    assert len(spread) == 12 and all(low <= high for _, _, low, high, _ in spread)
    assert sorted(separate) == sorted((p, "SF 0.01", q, m) for p, q, m, _ in medians)


@pytest.mark.e2e
def test_the_pandas_and_polars_answers_in_the_docs_run(sweep) -> None:
    cwd, _ = sweep
    blocks = _blocks("python")
    assert len(blocks) == 2
    for code in blocks:
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        assert "Q14" in done.stdout and "sqlite" in done.stdout
