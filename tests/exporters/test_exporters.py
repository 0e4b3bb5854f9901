"""The exporter: every format from one flattening, policy from the spec, atomic files, no secrets."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import duckdb
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from benchbox.columns import EXECUTION_COLUMNS, RUN_COLUMNS
from benchbox.enrich import enrich
from benchbox.exporters import export
from benchbox.exporters.flatten import SPEC_KEY
from benchbox.result import Execution, RunResult
from benchbox.spec import RunContext, RunSpec


def _result(tmp_path: Path, formats: list[str], report: bool = True) -> RunResult:
    spec = RunSpec.model_validate(
        {
            "platform": {"name": "duckdb"},
            "benchmark": {"name": "tpch", "scale_factor": 0.01},
            "mode": {"name": "power"},
            "export": {"formats": formats, "report": report},
            "data_dir": tmp_path / "data",
            "context": RunContext(output_dir=tmp_path / "out", overrides=("platform.password=hunter2",)),
        }
    )
    result = RunResult(run_id="r1", spec=spec, started_at="2026-01-01T00:00:00+00:00", status="ok")
    result.executions = [
        Execution("power", 0, 1, True, "Q1", "ok", 4, 12.5, "2026-01-01T00:00:01+00:00", validation="ok"),
        Execution("power", 0, 1, False, "Q1", "failed", None, 3.0, "2026-01-01T00:00:02+00:00", error="boom"),
    ]
    result.finished_at = "2026-01-01T00:00:03+00:00"
    enrich(result)
    return result


@pytest.mark.parametrize(
    ("formats", "files"),
    [
        (["json"], {"result.json"}),
        (["json", "csv"], {"result.json", "queries.csv"}),
        (["json", "parquet"], {"result.json", "queries.parquet"}),
        (["json", "csv", "parquet"], {"result.json", "queries.csv", "queries.parquet"}),
    ],
)
@pytest.mark.parametrize("report", [True, False])
def test_policy_decides_the_files(tmp_path: Path, formats: list[str], files: set[str], report: bool) -> None:
    export(_result(tmp_path, formats, report))
    assert {p.name for p in (tmp_path / "out").iterdir()} == files | ({"report.html"} if report else set())


def test_all_formats_hold_the_same_rows(tmp_path: Path) -> None:
    export(_result(tmp_path, ["json", "csv", "parquet"]))
    out = tmp_path / "out"
    parquet = pq.read_table(out / "queries.parquet")
    config = ["scale_factor", "queries", "parameters", "seed", "data_format"]
    assert parquet.schema.names == [*RUN_COLUMNS.names, *config, *EXECUTION_COLUMNS.names]
    assert parquet.schema.field("started_at").type == EXECUTION_COLUMNS.field("started_at").type
    assert parquet.schema.field("scale_factor").type == "double"
    assert parquet.column("scale_factor").to_pylist() == [0.01, 0.01]
    spec = json.loads(parquet.schema.metadata[SPEC_KEY.encode()])
    assert spec["benchmark"] == {**spec["benchmark"], "name": "tpch", "scale_factor": 0.01}
    assert "hunter2" not in json.dumps(spec)
    csv = pcsv.read_csv(out / "queries.csv")
    record = json.loads((out / "result.json").read_text())
    for rows in (parquet.to_pylist(), csv.to_pylist(), record["executions"]):
        assert [r["status"] for r in rows] == ["ok", "failed"]
        assert [r["duration_ms"] for r in rows] == [12.5, 3.0]
        assert [r["warmup"] for r in rows] == [True, False]
    failed = duckdb.sql(
        f"select query_id, error from '{out / 'queries.parquet'}' where status = 'failed'"
    ).fetchall()
    assert failed == [("Q1", "boom")]


def test_no_secret_and_no_hostname_in_the_record(tmp_path: Path) -> None:
    export(_result(tmp_path, ["json"]))
    text = (tmp_path / "out" / "result.json").read_text()
    assert "hunter2" not in text and "platform.password=***" in text
    assert socket.gethostname() not in text


def test_metadata_keys_are_flat_snake_case(tmp_path: Path) -> None:
    metadata = _result(tmp_path, ["json"]).metadata
    for key in (
        "benchbox_version",
        "python_version",
        "cpu_model",
        "cpu_cores_logical",
        "memory_total_bytes",
        "spec_hash",
        "hydra_overrides",
        "started_at_utc",
        "finished_at_utc",
        "platform_engine_version",
    ):
        assert key in metadata
    assert all(key == key.lower() and " " not in key for key in metadata)


def test_files_are_replaced_atomically(tmp_path: Path) -> None:
    result = _result(tmp_path, ["json", "parquet"])
    export(result)
    export(result)
    assert not list((tmp_path / "out").glob(".*"))  # no temp files left behind
