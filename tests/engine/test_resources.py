"""What an execution cost besides time: CPU time and peak memory of benchbox's process and of a
server process, read around the timed call (``engine/resources.py``), exported as columns and
summarised per query; None, never an error, where they cannot be read."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from benchbox.engine import resources
from benchbox.engine.timing import timed
from benchbox.platforms import duckdb as duckdb_platform
from benchbox.result import Execution

MB = 1024 * 1024
COLUMNS = {
    "cpu_ms": pa.float64(),
    "peak_rss_bytes": pa.int64(),
    "server_cpu_ms": pa.float64(),
    "server_peak_rss_bytes": pa.int64(),
}
measurable = pytest.mark.skipif(
    not (resources._reset_peak("self") and resources._peak_rss("self")),
    reason="needs Linux's /proc/self/clear_refs and VmHWM",
)


def _execution() -> Execution:
    return Execution("power", 0, 1, False, "Q1", "ok", None, None, "2026-01-01T00:00:00+00:00")


def _rss() -> int:
    """This process's current resident set in bytes (VmRSS)."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) * 1024


def _burn(ms: float) -> None:
    """Spend at least ``ms`` of this process's CPU time (whatever the machine's load)."""
    until = time.process_time_ns() + ms * 1e6
    while time.process_time_ns() < until:
        pass


# benchbox's own process.


@measurable
def test_a_call_that_burns_cpu_shows_at_least_that_cpu_time_and_no_more_than_the_cores_allow() -> None:
    execution = timed(_execution(), lambda: _burn(50), time.perf_counter_ns())
    assert execution.cpu_ms >= 50.0
    # CPU time cannot outrun the wall clock on every core (the readings sit a few us outside it).
    assert execution.cpu_ms <= execution.duration_ms * os.cpu_count() + 5.0


@measurable
def test_a_sleeping_call_costs_next_to_no_cpu() -> None:
    execution = timed(_execution(), lambda: time.sleep(0.2), time.perf_counter_ns())
    assert execution.duration_ms >= 200.0
    assert 0.0 <= execution.cpu_ms < execution.duration_ms / 2


@measurable
def test_memory_allocated_during_the_call_is_the_peak_even_once_freed() -> None:
    size = 200 * MB

    def allocate_and_free() -> None:
        block = b"\x01" * size  # malloc + memset: every page resident
        del block

    baseline = _rss()
    execution = timed(_execution(), allocate_and_free, time.perf_counter_ns())
    # (the kernel's RSS counters are approximate by a few hundred KB: hence 90%)
    assert execution.peak_rss_bytes >= baseline + 0.9 * size
    assert _rss() < baseline + size  # gone again: only the high-water mark remembers it
    # The next call starts from the current RSS, not from the previous call's peak.
    quiet = timed(_execution(), lambda: None, time.perf_counter_ns())
    assert quiet.peak_rss_bytes < baseline + size


@measurable
def test_a_duckdb_query_building_a_large_result_shows_it_in_the_peak() -> None:
    adapter = duckdb_platform.Adapter(duckdb_platform.Config())
    adapter.connect()
    try:
        rows, chars = 100_000, 1000
        sql = f"select repeat('x', {chars}) || range::varchar as s from range({rows})"
        burn = "select sum(hash(range)) from range(20000000)"
        baseline = _rss()
        big = timed(_execution(), lambda: adapter.execute(sql), time.perf_counter_ns())
        busy = timed(_execution(), lambda: adapter.execute(burn), time.perf_counter_ns())
    finally:
        adapter.close()
    assert big.status == "ok" and big.rows == rows
    # The fetched rows are Python strings of >= 1000 characters each, all alive at the end.
    assert big.peak_rss_bytes >= baseline + 0.9 * rows * chars
    assert busy.status == "ok"
    assert 0.0 < busy.cpu_ms <= busy.duration_ms * os.cpu_count() + 5.0
    assert big.server_cpu_ms is None and big.server_peak_rss_bytes is None  # in-process: no server


def test_concurrent_streams_get_no_process_wide_figures() -> None:
    execution = timed(_execution(), lambda: _burn(5), time.perf_counter_ns(), concurrent=True)
    assert execution.cpu_ms is None and execution.peak_rss_bytes is None


def test_a_failed_call_is_measured_too() -> None:
    def fail() -> None:
        _burn(5)
        raise RuntimeError("boom")

    execution = timed(_execution(), fail, time.perf_counter_ns())
    assert execution.status == "failed" and execution.cpu_ms >= 5.0


# A server process: here a child that works when asked.

_SERVER = """
import sys, time
for line in sys.stdin:
    if line.startswith("burn"):
        until = time.process_time_ns() + 80e6
        while time.process_time_ns() < until:
            pass
    elif line.startswith("alloc"):
        block = b"x" * (150 * 1024 * 1024)
        del block
    print("done", flush=True)
"""


@pytest.fixture
def server():
    child = subprocess.Popen(
        [sys.executable, "-c", _SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )

    def ask(word: str) -> None:
        child.stdin.write(word + "\n")
        child.stdin.flush()
        assert child.stdout.readline() == "done\n"

    ask("ready")
    yield child.pid, ask
    child.kill()
    child.wait()


@measurable
def test_the_server_process_figures_are_its_own(server) -> None:
    pid, ask = server
    burned = timed(_execution(), lambda: ask("burn"), time.perf_counter_ns(), server_pid=pid)
    assert burned.server_cpu_ms >= 80.0
    assert burned.server_cpu_ms <= burned.duration_ms * os.cpu_count() + 5.0
    assert burned.cpu_ms < burned.server_cpu_ms  # benchbox only waited for it
    allocated = timed(_execution(), lambda: ask("alloc"), time.perf_counter_ns(), server_pid=pid)
    assert allocated.server_peak_rss_bytes >= 0.9 * 150 * MB
    assert allocated.peak_rss_bytes < _rss() + 150 * MB  # not ours
    # concurrent streams: benchbox's figures are left out, the session's server keeps its own
    shared = timed(_execution(), lambda: ask("burn"), time.perf_counter_ns(), server_pid=pid, concurrent=True)
    assert shared.cpu_ms is None and shared.server_cpu_ms >= 80.0


def test_a_server_process_that_is_gone_gives_none() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # reaped: its pid names no process now
    execution = timed(_execution(), lambda: None, time.perf_counter_ns(), server_pid=child.pid)
    assert execution.status == "ok"
    assert execution.server_cpu_ms is None and execution.server_peak_rss_bytes is None


# Spark: its local driver JVM is the server process; a cluster's or a Connect server's is not ours.


def test_spark_names_its_local_jvm_and_no_remote_one() -> None:
    from benchbox.platforms import spark

    assert spark.Adapter(spark.Config(master="spark://host:7077"))._local_jvm_pid() is None
    assert spark.Adapter(spark.Config(master=None, remote="sc://host:15002"))._local_jvm_pid() is None
    assert spark.Adapter(spark.Config(master="local-cluster[2,1,1024]"))._local_jvm_pid() is None


@pytest.mark.spark
@measurable
@pytest.mark.skipif(
    importlib.util.find_spec("pyspark") is None or shutil.which("java") is None,
    reason="needs pyspark and a Java runtime (pip install 'benchbox[spark]')",
)
def test_a_local_spark_query_is_measured_in_its_driver_jvm() -> None:
    import psutil

    from benchbox.platforms import spark

    adapter = spark.Adapter(spark.Config(master="local[1]"))
    adapter.connect()
    try:
        pid = adapter.server_pid()
        assert pid is not None and psutil.Process(pid).name().startswith("java")
        sql = "select sum(hash(id)) from range(0, 20000000)"
        execution = timed(_execution(), lambda: adapter.execute(sql), time.perf_counter_ns(), server_pid=pid)
    finally:
        adapter.close()
    assert execution.status == "ok" and execution.server_cpu_ms > 0
    assert execution.cpu_ms < execution.server_cpu_ms  # the JVM did the work; Python waited
    assert execution.server_peak_rss_bytes > 0


# Where /proc is missing or its counter cannot be reset: None, never an error.


def test_without_proc_the_memory_figures_are_none(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(resources, "PROC", str(tmp_path / "no-proc"))
    execution = timed(_execution(), lambda: _burn(2), time.perf_counter_ns(), server_pid=os.getpid())
    assert execution.status == "ok"
    assert execution.peak_rss_bytes is None and execution.server_peak_rss_bytes is None
    assert execution.cpu_ms >= 2.0  # the CPU clocks need no /proc
    assert execution.server_cpu_ms is not None or sys.platform != "linux"


def test_a_clear_refs_that_cannot_be_written_gives_none_not_a_lifetime_peak(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without the reset, VmHWM is the process's peak since it started: no figure is better."""
    for process in ("self", "4242"):
        (tmp_path / process / "clear_refs").mkdir(parents=True)  # a directory: writing fails (even as root)
        (tmp_path / process / "status").write_text("Name:\tpython\nVmHWM:\t 9999999 kB\nVmRSS:\t 1 kB\n")
    monkeypatch.setattr(resources, "PROC", str(tmp_path))
    execution = timed(_execution(), lambda: None, time.perf_counter_ns(), server_pid=4242)
    assert execution.status == "ok"
    assert execution.peak_rss_bytes is None and execution.server_peak_rss_bytes is None


def test_a_status_without_a_peak_gives_none(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "self").mkdir()
    (tmp_path / "self" / "clear_refs").write_text("")
    (tmp_path / "self" / "status").write_text("Name:\tpython\n")
    monkeypatch.setattr(resources, "PROC", str(tmp_path))
    assert timed(_execution(), lambda: None, time.perf_counter_ns()).peak_rss_bytes is None
    (tmp_path / "self" / "status").write_text("VmHWM:\t  2048 kB\n")
    assert timed(_execution(), lambda: None, time.perf_counter_ns()).peak_rss_bytes == 2048 * 1024


# Summaries and the real command.


def test_the_summary_takes_the_median_cpu_and_the_largest_peak_of_measured_successes() -> None:
    from benchbox.engine.stats import summarize

    def run(cpu: float, peak: int, *, warmup: bool = False, status: str = "ok") -> Execution:
        execution = Execution("power", 0, 1, warmup, "Q1", status, 1, 10.0, "2026-01-01T00:00:00+00:00")
        execution.cpu_ms, execution.peak_rss_bytes = cpu, peak
        execution.server_cpu_ms, execution.server_peak_rss_bytes = cpu * 2, peak * 2
        return execution

    runs = [run(900.0, 9000, warmup=True), run(1.0, 100), run(3.0, 300), run(2.0, 200)]
    runs.append(run(500.0, 5000, status="failed"))
    q1 = summarize(["Q1", "Q2"], runs)["queries"]
    assert (q1["Q1"]["cpu_ms_median"], q1["Q1"]["peak_rss_bytes_max"]) == (2.0, 300)
    assert (q1["Q1"]["server_cpu_ms_median"], q1["Q1"]["server_peak_rss_bytes_max"]) == (4.0, 600)
    assert q1["Q2"]["cpu_ms_median"] is None and q1["Q2"]["server_peak_rss_bytes_max"] is None


@pytest.mark.e2e
def test_the_columns_reach_queries_parquet_and_the_summary(benchbox, tmp_path: Path) -> None:
    out = tmp_path / "run"
    done = benchbox(
        "benchmark.scale_factor=0.01",
        "benchmark.queries=[1,6]",
        "mode.warmups=0",
        "mode.iterations=1",
        "progress=false",
        "export=parquet",
        f"hydra.run.dir={out}",
    )
    assert done.code == 0, done.stdout + done.stderr
    table = pq.read_table(out / "queries.parquet")
    names = table.schema.names
    assert names[names.index("offset_ms") + 1 : names.index("offset_ms") + 5] == list(COLUMNS)
    for name, kind in COLUMNS.items():
        assert table.schema.field(name).type == kind
    rows = table.to_pylist()
    assert [r["query_id"] for r in rows] == ["Q1", "Q6"]
    if resources._reset_peak("self"):
        assert all(r["cpu_ms"] > 0 and r["peak_rss_bytes"] > 0 for r in rows)
    assert all(r["server_cpu_ms"] is None and r["server_peak_rss_bytes"] is None for r in rows)  # DuckDB
    record = json.loads((out / "result.json").read_text())
    q1 = record["summary"]["queries"]["Q1"]
    assert q1["cpu_ms_median"] == rows[0]["cpu_ms"] and q1["peak_rss_bytes_max"] == rows[0]["peak_rss_bytes"]
    assert q1["server_cpu_ms_median"] is None and q1["server_peak_rss_bytes_max"] is None
    assert record["executions"][0]["cpu_ms"] == rows[0]["cpu_ms"]


@pytest.mark.e2e
def test_concurrent_streams_record_no_process_wide_figures(benchbox, tmp_path: Path) -> None:
    out = tmp_path / "run"
    done = benchbox(
        "mode=throughput",
        "benchmark.scale_factor=0.01",
        "benchmark.queries=[1,6]",
        "progress=false",
        "export=parquet",
        f"hydra.run.dir={out}",
    )
    assert done.code == 0, done.stdout + done.stderr
    rows = pq.read_table(out / "queries.parquet").to_pylist()
    assert len(rows) == 4 and {r["stream"] for r in rows} == {1, 2}
    assert all(r["cpu_ms"] is None and r["peak_rss_bytes"] is None for r in rows)
