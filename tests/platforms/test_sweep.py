"""One sweep across the platforms people compare: the data is generated once, the summary has a
row per platform, and every answer is validated."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

SWEPT = ("duckdb", "sqlite", "datafusion", "polars", "chdb", "postgresql")


@pytest.mark.e2e
def test_a_sweep_across_platforms_generates_the_data_once(
    benchbox, platform_overrides, postgresql_server, tmp_path: Path
) -> None:
    for name in SWEPT:
        platform_overrides(name)  # fails (CI) or skips, naming the extra, when a driver is missing
    server = postgresql_server
    # platform.* overrides would reach every job of a sweep: the server comes from libpq's variables.
    libpq = {
        "PGHOST": server.host,
        "PGPORT": str(server.port),
        "PGUSER": server.user,
        "PGDATABASE": server.database,
        "PGPASSWORD": server.password,
    }
    sweep = tmp_path / "sweep"
    done = benchbox(
        "-m",
        f"platform={','.join(SWEPT)}",
        "benchmark.scale_factor=0.01",
        "mode.warmups=0",
        "mode.iterations=1",
        "progress=false",
        f"hydra.sweep.dir={sweep}",
        env={"BENCHBOX_DATA_DIR": str(tmp_path / "cache"), **libpq},
    )
    assert done.code == 0, done.stdout + done.stderr
    rows = pq.read_table(sweep / "summary.parquet").to_pylist()
    assert [r["platform"] for r in rows] == list(SWEPT)
    assert all((r["status"], r["queries_ok"], r["queries_validated"]) == ("ok", 22, 22) for r in rows), rows
    generated = [json.loads(Path(r["result_path"]).read_text())["data"]["generated"] for r in rows]
    assert generated == [True] + [False] * (len(SWEPT) - 1), "the first job generates, the rest reuse"
    assert server.password not in (sweep / "summary.csv").read_text()
