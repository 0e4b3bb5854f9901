"""End to end through the real ``benchbox`` command: answers, files, exit codes, replays, sweeps."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

FAST = ("mode.warmups=0", "mode.iterations=1", "progress=false")


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("platform", "data_format"),
    [("duckdb", "parquet"), ("sqlite", "parquet"), ("duckdb", "csv"), ("sqlite", "csv")],
)
def test_all_22_queries_validate_at_sf_001(benchbox, platform: str, data_format: str) -> None:
    args = (f"platform={platform}", "benchmark.scale_factor=0.01", f"benchmark.data_format={data_format}")
    done = benchbox(*args, "export=all", *FAST)
    assert done.code == 0, done.stdout + done.stderr
    record = done.result()
    assert record["status"] == "ok"
    totals = record["summary"]["totals"]
    assert (totals["queries"], totals["ok"], totals["validated"], totals["mismatched"]) == (22, 22, 22, 0)
    folder = Path(record["spec"]["context"]["output_dir"])
    table = pq.read_table(folder / "queries.parquet")
    assert table.num_rows == 22
    assert set(table.column("validation").to_pylist()) == {"ok"}
    assert pcsv.read_csv(folder / "queries.csv").num_rows == 22
    assert record["metadata"]["platform_engine_version"]
    assert record["metadata"]["data_fingerprint"] == record["data"]["fingerprint"]
    assert (folder / ".hydra" / "config.yaml").exists()


@pytest.mark.e2e
def test_benchbox_with_no_arguments_is_the_main_job(benchbox) -> None:
    """TPC-H SF 0.1 on in-memory DuckDB, 1 warmup + 3 iterations, all 22 answers validated."""
    done = benchbox()
    assert done.code == 0, done.stdout + done.stderr
    record = done.result()
    assert record["spec"]["platform"] == {
        "name": "duckdb",
        "database": ":memory:",
        "threads": None,
        "memory_limit": None,
    }
    assert record["spec"]["benchmark"]["scale_factor"] == 0.1
    assert len(record["executions"]) == 22 * 4
    totals = record["summary"]["totals"]
    assert (totals["ok"], totals["validated"], totals["mismatched"]) == (22, 22, 0)
    assert [p["name"] for p in record["phases"]] == ["plan", "generate", "load", "power", "validate"]


@pytest.mark.e2e
def test_on_error_stop_ends_the_power_phase_at_the_first_failure(benchbox) -> None:
    done = benchbox(
        "platform=sqlite", "benchmark.scale_factor=0.01", "mode.timeout_s=0.02", "mode.on_error=stop", *FAST
    )
    assert done.code == 1
    record = done.result()
    assert [(e["query_id"], e["status"]) for e in record["executions"]] == [("Q1", "timeout")]
    assert record["phases"][3]["details"]["stopped_at"] == "Q1"


@pytest.mark.e2e
def test_default_run_shape(benchbox) -> None:
    """The default job: 1 warmup + 3 iterations per query, warmups excluded from statistics."""
    done = benchbox("benchmark.scale_factor=0.01", "benchmark.queries=[1,6]", "progress=false")
    assert done.code == 0, done.stderr
    record = done.result()
    rows = record["executions"]
    assert len(rows) == 2 * 4
    assert sum(r["warmup"] for r in rows) == 2
    q1 = record["summary"]["queries"]["Q1"]
    assert q1["iterations"] == 3 and q1["warmups"] == 1
    measured = sorted(r["duration_ms"] for r in rows if r["query_id"] == "Q1" and not r["warmup"])
    assert q1["median_ms"] == pytest.approx(measured[1])
    assert "Q1" in done.stdout and "geomean" in done.stdout


@pytest.mark.e2e
def test_dry_run_renders_sql_and_touches_no_data(benchbox, tmp_path: Path) -> None:
    data = tmp_path / "never"
    done = benchbox("mode=dry_run", "platform=sqlite", "progress=false", env={"BENCHBOX_DATA_DIR": str(data)})
    assert done.code == 0, done.stderr
    record = done.result()
    assert len(record["plan"]) == 22 and record["executions"] == []
    q1 = next(p["sql"] for p in record["plan"] if p["query_id"] == "Q1")
    assert "INTERVAL" not in q1.upper() and "1998-09-02" in q1  # folded for SQLite
    assert [p["name"] for p in record["phases"]] == ["plan"]
    assert not data.exists()


@pytest.mark.e2e
def test_data_is_cached_across_runs(benchbox, tmp_path: Path) -> None:
    env = {"BENCHBOX_DATA_DIR": str(tmp_path / "cache")}
    first = benchbox("mode=data_only", "benchmark.scale_factor=0.01", "progress=false", env=env, cwd=tmp_path)
    assert first.code == 0, first.stderr
    manifest = tmp_path / "cache" / "tpch" / "sf0.01" / "parquet" / "manifest.json"
    stamp = manifest.stat().st_mtime_ns
    assert json.loads(manifest.read_text())["tables"]["lineitem"]["rows"] == 60175
    again = tmp_path / "again"
    again.mkdir()
    second = benchbox("mode=load_only", "benchmark.scale_factor=0.01", "progress=false", env=env, cwd=again)
    assert second.code == 0, second.stderr
    assert second.result()["data"]["generated"] is False
    assert manifest.stat().st_mtime_ns == stamp
    loaded = second.result()["phases"][-1]["details"]["tables"]
    assert {t["table"]: t["rows"] for t in loaded}["lineitem"] == 60175


@pytest.mark.e2e
def test_timeout_interrupts_queries_and_the_run_continues(benchbox) -> None:
    done = benchbox("platform=sqlite", "benchmark.scale_factor=0.01", "mode.timeout_s=0.02", *FAST)
    assert done.code == 1, done.stderr
    rows = done.result()["executions"]
    assert len(rows) == 22, "every query still ran"
    timed_out = [r for r in rows if r["status"] == "timeout"]
    assert {"Q1", "Q7", "Q14", "Q15"} <= {r["query_id"] for r in timed_out}  # ~100 ms each on SQLite
    assert all(r["duration_ms"] < 20 + 1000 for r in timed_out)
    assert all("timeout_s=0.02" in r["error"] for r in timed_out)
    assert any(r["status"] == "ok" for r in rows)


@pytest.mark.e2e
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupt_leaves_a_partial_result(
    benchbox, benchbox_exe: str, data_dir: Path, tmp_path: Path, sig: signal.Signals
) -> None:
    warm = benchbox("mode=data_only", "benchmark.scale_factor=0.01", "progress=false", cwd=tmp_path)
    assert warm.code == 0
    run_dir = tmp_path / "run"
    command = [
        benchbox_exe,
        "platform=sqlite",
        "benchmark.scale_factor=0.01",
        "mode.iterations=200",
        "mode.warmups=0",
    ]
    command += ["progress=true", f"hydra.run.dir={run_dir}"]
    env = {**os.environ, "BENCHBOX_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    log = run_dir / "benchbox.log"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and "phase power" not in (log.read_text() if log.exists() else ""):
        time.sleep(0.2)
    time.sleep(1.0)
    process.send_signal(sig)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 130, output
    record = json.loads((run_dir / "result.json").read_text())
    assert record["status"] == "interrupted" and record["partial"] is True
    assert record["executions"], "what finished before the signal is listed"
    assert any(p["status"] == "interrupted" for p in record["phases"])
    assert not list(run_dir.glob(".*.tmp"))


@pytest.mark.e2e
def test_replay_reproduces_the_spec_hash(benchbox, tmp_path: Path) -> None:
    first = benchbox("platform=sqlite", "benchmark.scale_factor=0.01", "benchmark.queries=[6]", *FAST)
    assert first.code == 0, first.stderr
    record = first.result()
    hydra_dir = Path(record["spec"]["context"]["output_dir"]) / ".hydra"
    replay_dir = tmp_path / "replay"
    replay_dir.mkdir()
    again = benchbox("--config-dir", str(hydra_dir), "--config-name", "config", cwd=replay_dir)
    assert again.code == 0, again.stderr
    assert again.result()["spec_hash"] == record["spec_hash"]
    assert again.result()["spec"]["benchmark"]["queries"] == [6]


@pytest.mark.e2e
def test_experiment_from_a_users_git_repo(benchbox, tmp_path: Path) -> None:
    bench = tmp_path / "bench"
    (bench / "experiment").mkdir(parents=True)
    (bench / "experiment" / "nightly.yaml").write_text(
        "# @package _global_\ndefaults:\n  - override /platform: sqlite\n"
        "benchmark:\n  scale_factor: 0.01\n  queries: [1, 6]\nmode:\n  warmups: 0\n  iterations: 1\n"
    )
    for args in (
        ["init", "-q"],
        ["add", "."],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"],
    ):
        subprocess.run(["git", *args], cwd=bench, check=True)
    done = benchbox("--config-dir", str(bench), "experiment=nightly", "progress=false")
    assert done.code == 0, done.stderr
    record = done.result()
    assert record["spec"]["platform"]["name"] == "sqlite" and record["spec"]["benchmark"]["queries"] == [1, 6]
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=bench, capture_output=True, text=True
    ).stdout.strip()
    assert record["metadata"]["config_git_commit"] == commit
    assert record["metadata"]["config_git_dirty"] is False


@pytest.mark.e2e
def test_sweep_2x2_writes_one_summary(benchbox, tmp_path: Path) -> None:
    env = {"BENCHBOX_DATA_DIR": str(tmp_path / "cache")}
    sweep = tmp_path / "sweep"
    done = benchbox(
        "-m",
        "platform=duckdb,sqlite",
        "benchmark.scale_factor=0.01,0.02",
        "benchmark.queries=[1,6]",
        *FAST,
        f"hydra.sweep.dir={sweep}",
        env=env,
    )
    assert done.code == 0, done.stdout + done.stderr
    summary = pq.read_table(sweep / "summary.parquet").to_pylist()
    assert len(summary) == 4
    assert {(r["platform"], r["scale_factor"]) for r in summary} == {
        (p, sf) for p in ("duckdb", "sqlite") for sf in (0.01, 0.02)
    }
    assert all(r["status"] == "ok" and r["queries_ok"] == 2 and r["geomean_ms"] > 0 for r in summary)
    assert sum(r["queries_validated"] for r in summary) == 4  # references ship for SF 0.01 only
    assert pcsv.read_csv(sweep / "summary.csv").num_rows == 4
    generated = [json.loads(Path(r["result_path"]).read_text())["data"]["generated"] for r in summary]
    assert sorted(generated) == [False, False, True, True], "each scale factor generated once"


@pytest.mark.e2e
def test_a_failed_sweep_job_is_a_row(benchbox, tmp_path: Path) -> None:
    sweep = tmp_path / "sweep"
    done = benchbox(
        "-m", "mode=dry_run", "benchmark.scale_factor=0.01,-1", f"hydra.sweep.dir={sweep}", "progress=false"
    )
    assert done.code == 2
    rows = {r["job"]: r for r in pq.read_table(sweep / "summary.parquet").to_pylist()}
    assert rows[0]["status"] == "ok"
    assert rows[1]["status"] == "invalid" and "scale_factor=-1" in rows[1]["error"]


@pytest.mark.e2e
def test_sweep_in_the_default_folder_has_one_row_per_job(benchbox, tmp_path: Path) -> None:
    done = benchbox("-m", "mode=dry_run", "platform=duckdb,sqlite", "progress=false")
    assert done.code == 0, done.stderr
    (summary,) = tmp_path.glob("multirun/*/*/summary.parquet")
    rows = pq.read_table(summary).to_pylist()
    assert [(r["job"], r["platform"], r["status"]) for r in rows] == [
        (0, "duckdb", "ok"),
        (1, "sqlite", "ok"),
    ]


@pytest.mark.e2e
def test_ctrl_c_stops_the_whole_sweep(benchbox, benchbox_exe: str, data_dir: Path, tmp_path: Path) -> None:
    assert benchbox("mode=data_only", "benchmark.scale_factor=0.01", "progress=false").code == 0
    sweep = tmp_path / "sweep"
    command = [
        benchbox_exe,
        "-m",
        "platform=sqlite,duckdb",
        "benchmark.scale_factor=0.01",
        "mode.iterations=200",
    ]
    command += ["mode.warmups=0", "progress=true", f"hydra.sweep.dir={sweep}"]
    env = {**os.environ, "BENCHBOX_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    log = sweep / "0" / "benchbox.log"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and "phase power" not in (log.read_text() if log.exists() else ""):
        time.sleep(0.2)
    time.sleep(1.0)
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 130, output
    rows = pq.read_table(sweep / "summary.parquet").to_pylist()
    assert [(r["job"], r["status"]) for r in rows] == [(0, "interrupted"), (1, "interrupted")]
    assert rows[0]["result_path"] and rows[1]["error"] == "not run: the sweep was interrupted"


@pytest.mark.e2e
def test_parallel_sweep_with_joblib_generates_once(benchbox, tmp_path: Path) -> None:
    env = {"BENCHBOX_DATA_DIR": str(tmp_path / "cache")}
    sweep = tmp_path / "sweep"
    done = benchbox(
        "-m",
        "hydra/launcher=joblib",
        "hydra.launcher.n_jobs=2",
        "platform=duckdb,sqlite",
        "benchmark.scale_factor=0.01",
        "benchmark.queries=[1,6]",
        *FAST,
        f"hydra.sweep.dir={sweep}",
        env=env,
    )
    assert done.code == 0, done.stdout + done.stderr
    rows = pq.read_table(sweep / "summary.parquet").to_pylist()
    assert [(r["platform"], r["status"], r["queries_validated"]) for r in rows] == [
        ("duckdb", "ok", 2),
        ("sqlite", "ok", 2),
    ]
    generated = [json.loads(Path(r["result_path"]).read_text())["data"]["generated"] for r in rows]
    assert sorted(generated) == [False, True], "the second job waited on the lock and reused the data"


@pytest.mark.e2e
@pytest.mark.parametrize(("reuse", "before"), [("false", [0, 0]), ("true", [0, 1])])
def test_sweep_jobs_run_in_fresh_processes_unless_told(
    benchbox, tmp_path: Path, reuse: str, before: list[int]
) -> None:
    sweep = tmp_path / "sweep"
    done = benchbox(
        "-m",
        "platform=duckdb,sqlite",
        "benchmark.scale_factor=0.01",
        "benchmark.queries=[6]",
        *FAST,
        f"reuse_warm_process={reuse}",
        f"hydra.sweep.dir={sweep}",
    )
    assert done.code == 0, done.stderr
    runs = [json.loads((sweep / str(n) / "result.json").read_text()) for n in (0, 1)]
    assert [r["metadata"]["process_runs_before"] for r in runs] == before
    assert runs[0]["spec_hash"] != runs[1]["spec_hash"]
