"""TPC-DS through the real ``benchbox`` command: a validated power run, concurrent streams in
Appendix D's orders, the modes it refuses, and one sweep table across both benchmarks."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from benchbox.benchmarks.tpcds.streams import stream_order

FAST = ("benchmark=tpcds", "benchmark.scale_factor=0.01", "progress=false", "export=parquet")


def _only_run(tmp_path: Path) -> tuple[dict, list[dict]]:
    (folder,) = [p.parent for p in tmp_path.glob("outputs/*/*/result.json")]
    return json.loads((folder / "result.json").read_text()), pq.read_table(
        folder / "queries.parquet"
    ).to_pylist()


@pytest.mark.e2e
def test_every_query_is_validated_against_the_shipped_answers(benchbox, tmp_path: Path) -> None:
    done = benchbox(*FAST, "mode.warmups=0", "mode.iterations=1")
    assert done.code == 0, done.stdout + done.stderr
    record, rows = _only_run(tmp_path)
    assert len(rows) == 103 and {r["query_id"] for r in rows} >= {"Q1", "Q14a", "Q14b", "Q99"}
    assert all(r["status"] == "ok" and r["validation"] == "ok" for r in rows), [
        (r["query_id"], r["validation_detail"]) for r in rows if r["validation"] != "ok"
    ]
    assert {r["validation_source"] for r in rows} == {"answers"}
    assert {(r["benchmark"], r["benchmark_label"], r["platform"]) for r in rows} == {
        ("tpcds", "SF 0.01", "duckdb")
    }
    assert sum(r["rows"] == 0 for r in rows) > 0, (
        "some queries return no rows at SF 0.01: empty must be empty"
    )
    assert (record["benchmark"], record["metadata"]["benchmark_version"]) == ("tpcds", "2.10.0")
    assert record["summary"]["totals"]["validated"] == 103
    assert "tpcds SF 0.01 on duckdb (power): ok" in done.stdout


@pytest.mark.e2e
def test_four_streams_run_in_appendix_d_order_with_their_own_values(benchbox, tmp_path: Path) -> None:
    done = benchbox(*FAST, "mode=throughput", "benchmark.queries=[3,7,14,52,96]")
    assert done.code == 0, done.stdout + done.stderr
    record, rows = _only_run(tmp_path)
    assert sorted({r["stream"] for r in rows}) == [1, 2, 3, 4], "clause 7.4.6.9: at least 4 streams"
    assert all(r["validation"] == "ok" and r["validation_source"] == "duckdb" for r in rows)
    for stream in (1, 2, 3, 4):
        ran = sorted((r for r in rows if r["stream"] == stream), key=lambda r: r["offset_ms"])
        expected = [n for n in stream_order(stream) if n in (3, 7, 14, 52, 96)]
        ids = [
            f"Q{n}" if n != 14 else q for n in expected for q in (("Q14a", "Q14b") if n == 14 else (None,))
        ]
        assert [r["query_id"] for r in ran] == ids
        assert all(b["offset_ms"] >= a["offset_ms"] + a["duration_ms"] for a, b in itertools.pairwise(ran))
    sql = {(p["stream"], p["query_id"]): p["canonical_sql"] for p in record["plan"]}
    assert len({sql[(s, "Q7")] for s in (1, 2, 3, 4)}) == 4, "each stream drew its own Q7 values"
    assert record["spec"]["benchmark"]["parameters"] == "seeded"  # from benchmark_mode/tpcds_throughput.yaml


@pytest.mark.e2e
@pytest.mark.parametrize("mode", ["maintenance", "tpc"])
def test_modes_tpcds_lacks_are_refused_in_one_sentence(benchbox, tmp_path: Path, mode: str) -> None:
    done = benchbox(*FAST, f"mode={mode}")
    assert done.code == 2 and "Traceback" not in done.stderr
    assert f"benchmark=tpcds has no mode={mode} yet: use one of power, throughput" in done.stderr
    assert not list(tmp_path.glob("outputs/*/*/result.json"))


@pytest.mark.e2e
def test_a_template_number_out_of_range_is_a_config_error(benchbox) -> None:
    done = benchbox(*FAST, "benchmark.queries=[1,100]")
    assert done.code == 2 and "TPC-DS has templates 1 to 99, not [100]" in done.stderr


@pytest.mark.e2e
def test_one_sweep_over_both_benchmarks_is_one_table(benchbox, tmp_path: Path) -> None:
    sweep = tmp_path / "sweep"
    done = benchbox(
        "-m",
        "benchmark=tpch,tpcds",
        "platform=duckdb,datafusion",
        "benchmark.scale_factor=0.01",
        "mode.warmups=0",
        "mode.iterations=1",
        "progress=false",
        f"hydra.sweep.dir={sweep}",
    )
    assert done.code == 0, done.stdout + done.stderr
    rows = pq.read_table(sweep / "summary.parquet").to_pylist()
    assert {(r["benchmark"], r["platform"]) for r in rows} == {
        (b, p) for b in ("tpch", "tpcds") for p in ("duckdb", "datafusion")
    }
    assert all(
        r["status"] == "ok" and r["benchmark_label"] == "SF 0.01" and r["scale_factor"] == 0.01 for r in rows
    )
    validated = {(r["benchmark"], r["platform"]): r["queries_validated"] for r in rows}
    assert validated[("tpch", "duckdb")] == 22 and validated[("tpcds", "datafusion")] == 103
