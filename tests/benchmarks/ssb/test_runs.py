"""SSB through the real ``benchbox`` command: a validated power run, streams in their seeded orders,
a dry run's SQL, and the modes it refuses."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from benchbox.benchmarks.ssb import QUERY_IDS, stream_order

FAST = ("benchmark=ssb", "benchmark.scale_factor=0.01", "progress=false", "export=parquet")


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
    assert [r["query_id"] for r in rows] == list(QUERY_IDS)
    assert all(r["status"] == "ok" and r["validation"] == "ok" for r in rows), [
        (r["query_id"], r["validation_detail"]) for r in rows if r["validation"] != "ok"
    ]
    assert {r["validation_source"] for r in rows} == {"answers"}
    assert {(r["benchmark"], r["benchmark_label"]) for r in rows} == {("ssb", "SF 0.01")}
    assert record["data"]["tables"]["lineorder"] == 60175 and record["metadata"]["benchmark_version"] == "3"
    assert record["summary"]["totals"]["validated"] == 13
    assert "ssb SF 0.01 on duckdb (power): ok" in done.stdout


@pytest.mark.e2e
def test_streams_run_in_their_seeded_orders(benchbox, tmp_path: Path) -> None:
    picked = ("Q1.1", "Q2.1", "Q3.1", "Q4.1")
    done = benchbox(*FAST, "mode=throughput", "mode.streams=3", f"benchmark.queries=[{','.join(picked)}]")
    assert done.code == 0, done.stdout + done.stderr
    _, rows = _only_run(tmp_path)
    assert sorted({r["stream"] for r in rows}) == [1, 2, 3]
    assert all(r["validation"] == "ok" for r in rows)
    for stream in (1, 2, 3):
        ran = sorted((r for r in rows if r["stream"] == stream), key=lambda r: r["offset_ms"])
        assert [r["query_id"] for r in ran] == [q for q in stream_order(stream, QUERY_IDS) if q in picked]
        assert all(b["offset_ms"] >= a["offset_ms"] + a["duration_ms"] for a, b in itertools.pairwise(ran))


@pytest.mark.e2e
@pytest.mark.parametrize("mode", ["maintenance", "tpc"])
def test_modes_it_has_not_are_refused(benchbox, mode: str) -> None:
    done = benchbox(*FAST, f"mode={mode}")
    assert done.code == 2 and "ssb" in done.stderr.lower(), done.stdout + done.stderr
