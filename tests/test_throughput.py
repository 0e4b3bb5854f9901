"""mode=throughput through the real command: concurrent streams, each in its Appendix A order
with its own parameters, every answer validated, and the throughput figures recomputable
from queries.parquet alone."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import time

import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from benchbox.benchmarks.tpch.streams import stream_order

FAST = ("benchmark.scale_factor=0.01", "progress=false", "export=parquet")


def _only_run(tmp_path):
    (folder,) = [p.parent for p in tmp_path.glob("outputs/*/*/result.json")]
    return json.loads((folder / "result.json").read_text()), pq.read_table(folder / "queries.parquet")


@pytest.mark.e2e
@pytest.mark.parametrize("platform", ["duckdb", "sqlite"])
def test_two_streams_run_concurrently_in_spec_order_and_validate(benchbox, tmp_path, platform: str) -> None:
    done = benchbox("mode=throughput", f"platform={platform}", *FAST)
    assert done.code == 0, done.stdout + done.stderr
    record, table = _only_run(tmp_path)
    rows = table.to_pylist()
    assert len(rows) == 44 and {r["phase"] for r in rows} == {"throughput"}
    assert all(r["status"] == "ok" and r["validation"] == "ok" for r in rows)
    for stream in (1, 2):
        ran = sorted((r for r in rows if r["stream"] == stream), key=lambda r: r["offset_ms"])
        assert [r["query_id"] for r in ran] == [f"Q{n}" for n in stream_order(stream)]
        # serial within a stream: each query starts after the previous one ended
        assert all(b["offset_ms"] >= a["offset_ms"] + a["duration_ms"] for a, b in itertools.pairwise(ran))
    ends = {s: max(r["offset_ms"] + r["duration_ms"] for r in rows if r["stream"] == s) for s in (1, 2)}
    starts = {s: min(r["offset_ms"] for r in rows if r["stream"] == s) for s in (1, 2)}
    assert max(starts.values()) < min(ends.values()), "the streams overlapped in time"
    # Ts and the throughput figure, recomputed from the exported rows alone.
    ts_s = (max(ends.values()) - min(starts.values())) / 1000
    figures = record["summary"]["throughput"]
    assert figures["streams"] == 2 and figures["ts_s"] == pytest.approx(ts_s)
    assert figures["query_throughput"] == pytest.approx(2 * 22 * 3600 / ts_s * 0.01)
    compliance = figures["compliance"]  # seeded and validated, but no refresh stream: not reportable
    assert compliance["seeded_parameters"] and compliance["validation_passed"]
    assert compliance["refresh_functions_executed"] is False and compliance["reportable"] is False
    assert {r["validation_source"] for r in rows} == {"duckdb"}, "mode=throughput checks seeded values"


@pytest.mark.e2e
def test_seeded_streams_have_their_own_parameters_checked_by_a_reference(benchbox, tmp_path) -> None:
    done = benchbox(
        "mode=throughput",
        "mode.streams=3",
        "benchmark.parameters=seeded",
        "benchmark.seed=5",
        "validation.reference=duckdb",
        "benchmark.queries=[3,6,10]",
        *FAST,
    )
    assert done.code == 0, done.stdout + done.stderr
    record, table = _only_run(tmp_path)
    assert table.num_rows == 9
    assert set(table.column("validation").to_pylist()) == {"ok"}
    assert set(table.column("validation_source").to_pylist()) == {"duckdb"}
    sql = {(p["stream"], p["query_id"]): p["canonical_sql"] for p in record["plan"]}
    assert len({sql[(s, "Q6")] for s in (1, 2, 3)}) == 3, "each stream drew its own Q6 values"


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("platform", "why"), [("chdb", "has no sessions yet"), ("polars", "has no sessions yet")]
)
def test_platforms_without_sessions_are_refused_up_front(benchbox, tmp_path, platform: str, why: str) -> None:
    done = benchbox("mode=throughput", f"platform={platform}", *FAST)
    assert done.code == 2
    assert why in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not list(tmp_path.glob("outputs/*/*/result.json"))


@pytest.mark.e2e
def test_ctrl_c_stops_every_stream_and_leaves_a_partial_result(
    benchbox, benchbox_exe, data_dir, tmp_path
) -> None:
    assert benchbox("mode=data_only", "benchmark.scale_factor=0.1", "progress=false").code == 0
    run_dir = tmp_path / "run"
    command = [
        benchbox_exe,
        "mode=throughput",
        "mode.streams=40",
        "progress=true",  # log lines (no TTY): the test waits for the phase to start
        f"hydra.run.dir={run_dir}",
    ]
    env = {**os.environ, "BENCHBOX_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    log = run_dir / "benchbox.log"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and "phase throughput" not in (log.read_text() if log.exists() else ""):
        time.sleep(0.1)
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 130, output
    record = json.loads((run_dir / "result.json").read_text())
    assert record["status"] == "interrupted" and record["partial"] is True
    streams = {e["stream"] for e in record["executions"]}
    assert len(streams) > 1, "the streams that ran are listed"
    assert len(record["executions"]) < 40 * 22, "no stream went on after the signal"
    assert not list(run_dir.glob(".*.tmp"))


@pytest.mark.e2e
def test_an_interrupted_run_writes_the_same_rows_into_every_file(
    benchbox, benchbox_exe, data_dir, tmp_path
) -> None:
    """Ctrl-C while the streams run: result.json, queries.parquet and queries.csv are one snapshot."""
    assert benchbox("mode=data_only", "benchmark.scale_factor=0.1", "progress=false").code == 0
    run_dir = tmp_path / "run"
    command = [benchbox_exe, "mode=throughput", "mode.streams=8", "platform=sqlite", "export=all"]
    command += ["progress=true", f"hydra.run.dir={run_dir}"]  # log lines: the test waits for the phase
    env = {**os.environ, "BENCHBOX_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    log = run_dir / "benchbox.log"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and "phase throughput" not in (log.read_text() if log.exists() else ""):
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 130, output
    record = json.loads((run_dir / "result.json").read_text())
    assert record["status"] == "interrupted"
    rows = [(e["stream"], e["query_id"], e["status"]) for e in record["executions"]]
    parquet = pq.read_table(run_dir / "queries.parquet").to_pylist()
    csv = pcsv.read_csv(run_dir / "queries.csv").to_pylist()
    assert [(r["stream"], r["query_id"], r["status"]) for r in parquet] == rows
    assert [(r["stream"], r["query_id"], r["status"]) for r in csv] == rows
    counted = sum(q["iterations"] for q in record["summary"]["queries"].values())
    assert counted == sum(status == "ok" for _, _, status in rows), "the summary counts the same rows"
    assert not list(run_dir.glob(".*.tmp"))


# ``++`` sets the key whether or not conf/mode/<mode>.yaml lists it (``mode.timeout_s=`` needs it listed).
TIMEOUT = "++mode.timeout_s=0.001"
"""Far less than any TPC-H query takes on SQLite, even at SF 0.01: a deterministic timeout."""


@pytest.mark.e2e
def test_a_timeout_cancels_a_stream_query_and_the_stream_goes_on(benchbox, tmp_path) -> None:
    done = benchbox("mode=throughput", "platform=sqlite", "benchmark.queries=[1,6,14]", TIMEOUT, *FAST)
    assert done.code == 1, done.stdout + done.stderr
    record, table = _only_run(tmp_path)
    rows = table.to_pylist()
    assert len(rows) == 2 * 3, "every query of every stream ran"
    assert {r["status"] for r in rows} <= {"ok", "timeout"}
    q1 = [r for r in rows if r["query_id"] == "Q1"]
    assert [r["status"] for r in q1] == ["timeout", "timeout"]
    assert all(r["error"] == "exceeded timeout_s=0.001" and r["rows"] is None for r in q1)
    assert [(p["name"], p["status"]) for p in record["phases"]][3] == ("throughput", "ok")
    assert record["spec"]["mode"]["timeout_s"] == 0.001


@pytest.mark.e2e
def test_the_performance_tests_queries_have_the_timeout_and_the_refresh_functions_do_not(benchbox, tmp_path):
    done = benchbox("mode=tpc", "platform=sqlite", TIMEOUT, *FAST)
    assert done.code == 1, done.stdout + done.stderr
    record, table = _only_run(tmp_path)
    rows = table.to_pylist()
    for phase, streams in (("power_test", {0}), ("throughput_test", {1, 2})):
        q1 = [r for r in rows if r["phase"] == phase and r["query_id"] == "Q1"]
        assert {r["stream"] for r in q1} == streams and {r["status"] for r in q1} == {"timeout"}
        assert len([r for r in rows if r["phase"] == phase and r["kind"] == "query"]) == 22 * len(streams)
    refresh = [r for r in rows if r["kind"] == "maintenance"]
    assert len(refresh) == 6 and {r["status"] for r in refresh} == {"ok"}
    assert [p["status"] for p in record["phases"]] == ["ok"] * 6
