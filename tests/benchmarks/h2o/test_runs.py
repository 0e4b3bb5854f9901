"""H2O through the real ``benchbox`` command: the default run validated against the shipped digests,
other settings against a reference platform, and settings that cannot work refused with numbers."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.e2e
def test_a_seeded_run_off_the_shipped_settings_validates_against_duckdb(benchbox) -> None:
    """No digests ship for seed 7 at 1e5 rows: DuckDB, the reference platform, computes them on the
    same data, and DataFusion's answers must equal them."""
    done = benchbox(
        "benchmark=h2o",
        "benchmark.rows=1e5",
        "benchmark.seed=7",
        "benchmark.na_percent=5",
        "platform=datafusion",
        "validation.reference=duckdb",
        "mode.warmups=0",
        "mode.iterations=1",
        "progress=false",
    )
    assert done.code == 0, done.stdout + done.stderr
    record = done.result()
    assert record["data"]["tables"] == {"x": 100_000}
    assert [e["query_id"] for e in record["executions"]] == [f"G{n}" for n in range(1, 11)]
    assert {e["validation"] for e in record["executions"]} == {"ok"}
    assert {e["validation_source"] for e in record["executions"]} == {"duckdb"}
    (g10,) = [e for e in record["executions"] if e["query_id"] == "G10"]
    assert g10["rows"] > 90_000, "rows is the fetched row count, not the digest's one row"


@pytest.mark.e2e
def test_an_answer_too_large_to_fetch_is_refused_with_the_numbers(benchbox, tmp_path: Path) -> None:
    data = tmp_path / "data"
    # DataFusion reads the Parquet files where they are: no in-memory tables to refuse first.
    done = benchbox(
        "benchmark=h2o", "benchmark.rows=1e10", "platform=datafusion", env={"BENCHBOX_DATA_DIR": str(data)}
    )
    out = done.stdout + done.stderr
    assert done.code == 2, out
    assert "Traceback" not in out
    assert "H2O groupby 1e10 k=100 na=0%: its largest answer needs about 3.0 TiB of memory" in out
    assert "leave the largest questions out with benchmark.queries" in out
    assert not data.exists() or not any(data.rglob("*.parquet")), "refused before any data is made"


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (["benchmark.task=join", "benchmark.k=10"], "k and na_percent shape the groupby data only"),
        (["benchmark.task=join", "benchmark.rows=2500000"], "whole millions"),
        (["benchmark.task=sort"], "benchmark.task"),
        (["benchmark.queries=[J1]"], "task=groupby has questions G1"),
        (["benchmark.na_percent=101"], "benchmark.na_percent"),
        (["benchmark.rows=10"], "benchmark.rows"),
        (["benchmark.ks=10"], "did you mean"),
    ],
)
def test_bad_settings_are_refused_before_any_work(benchbox, overrides: list[str], message: str) -> None:
    done = benchbox("benchmark=h2o", *overrides)
    out = done.stdout + done.stderr
    assert done.code == 2, out
    assert message in out and "Traceback" not in out
