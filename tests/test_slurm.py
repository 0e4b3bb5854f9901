"""Sweeps as real Slurm jobs: ``benchbox -m hydra/launcher=submitit_slurm`` against a throwaway
single-node cluster (``slurm_cluster.py``: munge, MariaDB + slurmdbd, slurmctld, slurmd), no mocks.

Every job is a row of the sweep's summary with its real outcome (an invalid job ``invalid`` with
its message, a job ``scancel`` ended a row naming Slurm's cancellation), the command exits with the
worst of them, and each run's metadata says which Slurm job ran it. The cluster is started once
per session: all of its tests are in this one module (``ONE_MODULE`` in conftest.py).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from benchbox.enrich import COLLECTORS
from benchbox.enrich.scheduler import KEYS, collect_scheduler, slurm
from benchbox.report import summary

QUICK = ("benchmark.scale_factor=0.01", "benchmark.queries=[6]", "mode.warmups=0", "progress=false")
LOGGED = (*QUICK[:-1], "progress=true")
"""Log lines: a test waits for a job's ``phase power`` in its log."""
INVALID = "mode.iterations=-1 is not allowed"
DOCS = Path(__file__).resolve().parents[1] / "docs" / "results.md"


@functools.cache
def _cluster_module() -> Any:
    """``slurm_cluster.py`` next to this file (tests are not a package under --import-mode=importlib)."""
    spec = importlib.util.spec_from_file_location(
        "benchbox_tests_slurm_cluster", Path(__file__).with_name("slurm_cluster.py")
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def slurm_cluster() -> Iterator[Any]:
    """A throwaway single-node Slurm cluster for the session, ``$SLURM_CONF`` pointing at it (the
    ``benchbox`` processes, and the jobs they submit, inherit it); stopped and removed at the end.
    Fails (never skips) when it cannot start: CI installs it."""
    module = _cluster_module()
    try:
        cluster = module.SlurmCluster.start()
    except module.ServerUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    previous = os.environ.get("SLURM_CONF")
    os.environ.update(cluster.env)
    try:
        yield cluster
    finally:
        if previous is None:
            os.environ.pop("SLURM_CONF", None)
        else:
            os.environ["SLURM_CONF"] = previous
        cluster.stop()


def _launcher(slurm_cluster: Any) -> list[str]:
    """The overrides that run a sweep's jobs as one Slurm array on the test cluster (the jobs run
    this interpreter, submitit's ``sys.executable``, with the submitting environment: sbatch's
    default ``--export=ALL`` carries ``SLURM_CONF`` and ``BENCHBOX_DATA_DIR``)."""
    module = _cluster_module()
    return ["hydra/launcher=submitit_slurm", f"hydra.launcher.partition={module.PARTITION}",
            "hydra.launcher.timeout_min=30", "hydra.launcher.cpus_per_task=1"]  # fmt: skip


def _poll(condition: Callable[[], object], what: str, seconds: float = 600) -> object:
    """Wait for ``condition`` (not for time to pass), with a generous deadline."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"gave up waiting for {what}")


def _accounted(cluster: Any, job_id: str) -> dict[str, str]:
    """The accounting database's record of an ended job: slurmctld sends it to slurmdbd on its
    own time, so it is polled for, not read once."""
    unfinished = {"PENDING", "RUNNING", "COMPLETING", "REQUEUED", "SUSPENDED"}

    def ended() -> dict[str, str] | None:
        found = cluster.sacct(job_id)
        return found[0] if len(found) == 1 and found[0]["State"] not in unfinished else None

    return _poll(ended, f"sacct's record of job {job_id}")  # type: ignore[return-value]


def _rows(sweep: Path) -> list[dict]:
    return pq.read_table(sweep / "summary.parquet").to_pylist()


def _submitit_ids(sweep: Path) -> set[str]:
    """The Slurm ids (``<array>_<task>``) submitit named the jobs' folders with."""
    return {p.name for p in (sweep / ".submitit").iterdir() if p.is_dir() and "_" in p.name}


# -- the collector, on its own --------------------------------------------------------------------


def test_outside_slurm_every_scheduler_key_is_null(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("SLURM"):
            monkeypatch.delenv(name)
    metadata: dict[str, Any] = {}
    collect_scheduler(metadata, None)  # type: ignore[arg-type]  # it reads only the environment
    assert metadata == dict.fromkeys(KEYS)
    assert collect_scheduler in COLLECTORS


def test_a_slurm_array_task_is_recorded_from_its_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {
        "SLURM_JOB_ID": "43", "SLURM_ARRAY_JOB_ID": "41", "SLURM_ARRAY_TASK_ID": "2",
        "SLURM_JOB_NODELIST": "node[01-02]", "SLURMD_NODENAME": "node01", "SLURM_CPUS_ON_NODE": "4",
        "SLURM_MEM_PER_NODE": "2048", "SLURM_JOB_PARTITION": "batch",
    }  # fmt: skip
    for name in list(os.environ):
        if name.startswith("SLURM"):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    metadata: dict[str, Any] = {}
    collect_scheduler(metadata, None)  # type: ignore[arg-type]
    assert metadata == {
        "scheduler": "slurm",
        "scheduler_job_id": "43",
        "scheduler_array_job_id": "41",
        "scheduler_array_task_id": 2,
        "scheduler_nodes": "node[01-02]",
        "scheduler_cpus": 4,
        "scheduler_memory_bytes": 2048 * 2**20,
        "scheduler_partition": "batch",
    }


def test_a_plain_job_with_memory_per_cpu_and_a_compressed_cpu_list() -> None:
    found = slurm({"SLURM_JOB_ID": "7", "SLURMD_NODENAME": "n1", "SLURM_JOB_CPUS_PER_NODE": "3(x2),1",
                   "SLURM_MEM_PER_CPU": "100"})  # fmt: skip
    assert (found["scheduler_job_id"], found["scheduler_array_job_id"], found["scheduler_array_task_id"]) == (
        "7",
        None,
        None,
    )
    assert (found["scheduler_nodes"], found["scheduler_cpus"]) == ("n1", 3)
    assert found["scheduler_memory_bytes"] == 300 * 2**20
    assert found["scheduler_partition"] is None


def test_every_scheduler_key_is_documented() -> None:
    text = DOCS.read_text()
    assert [key for key in KEYS if f"| `{key}` |" not in text] == []


# -- real jobs ------------------------------------------------------------------------------------


@pytest.mark.e2e
def test_two_valid_jobs_and_an_invalid_one_are_three_rows_and_exit_2(
    slurm_cluster: Any, benchbox, tmp_path: Path
) -> None:
    """One Slurm array of three jobs: two runs and an invalid config. Each run's metadata names the
    Slurm job that ran it, as submitit and the accounting database know it."""
    sweep = tmp_path / "sweep"
    overrides = ["platform=duckdb", "mode.iterations=1,2,-1", *QUICK, f"hydra.sweep.dir={sweep}"]
    done = benchbox("-m", *_launcher(slurm_cluster), *overrides)
    assert done.code == 2, done.stdout + done.stderr
    rows = _rows(sweep)
    assert [(r["job"], r["status"], r["exit_code"]) for r in rows] == [
        (0, "ok", 0),
        (1, "ok", 0),
        (2, "invalid", 2),
    ], rows
    assert rows[2]["error"].startswith(INVALID), rows[2]
    assert rows[2]["mode.iterations"] == -1
    assert json.loads((sweep / "2" / summary.OUTCOME).read_text())["exit_code"] == 2
    assert "sweep: 3 jobs" in done.stdout
    tasks = _submitit_ids(sweep)
    arrays = {task.split("_")[0] for task in tasks}
    assert len(arrays) == 1 and len(tasks) == 3, tasks  # one array, a task per job
    (array,) = arrays
    for job in (0, 1):
        metadata = json.loads((sweep / str(job) / "result.json").read_text())["metadata"]
        scheduler = {key: metadata[key] for key in KEYS}
        assert scheduler["scheduler"] == "slurm", scheduler
        assert (scheduler["scheduler_array_job_id"], scheduler["scheduler_array_task_id"]) == (array, job)
        assert f"{array}_{job}" in tasks
        assert (scheduler["scheduler_nodes"], scheduler["scheduler_partition"]) == ("localhost", "debug")
        assert scheduler["scheduler_cpus"] == 1, scheduler
        accounted = _accounted(slurm_cluster, scheduler["scheduler_job_id"])
        assert accounted["JobIDRaw"] == scheduler["scheduler_job_id"], accounted
        assert (accounted["JobID"], accounted["State"]) == (f"{array}_{job}", "COMPLETED"), accounted
        assert accounted["NodeList"] == "localhost"


def _cancel_job_0(
    cluster: Any, exe: str, data_dir: Path, folder: Path, *scancel: str
) -> tuple[str, str, int]:
    """A sweep of two jobs on SQLite, job 1 invalid and job 0 a long power phase; once job 1 has
    ended and job 0 is RUNNING in its power phase, ``scancel *scancel <job 0>``. Returns job 0's
    Slurm id (``<array>_0``), the command's output and its exit code."""
    sweep = folder / "sweep"
    command = [exe, "-m", *_launcher(cluster), "platform=sqlite", "mode.iterations=100000,-1"]
    command += [*LOGGED, f"hydra.sweep.dir={sweep}"]
    env = {**os.environ, "BENCHBOX_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(command, env=env, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    log = sweep / "0" / "benchbox.log"

    def job_0_in_its_power_phase() -> str | None:
        if not (sweep / "1" / summary.OUTCOME).exists() or not log.exists():
            return None
        running = [jid for jid, state in cluster.squeue() if jid.endswith("_0") and state == "RUNNING"]
        return running[0] if running and "phase power" in log.read_text() else None

    try:
        job = str(_poll(job_0_in_its_power_phase, "job 0 running its power phase, job 1 ended"))
        cluster.scancel(*scancel, job)
        output, _ = process.communicate(timeout=600)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return job, output.decode(errors="replace"), process.returncode


def _job_1_invalid(rows: dict[int, dict]) -> None:
    assert (rows[1]["status"], rows[1]["exit_code"]) == ("invalid", 2), rows[1]
    assert rows[1]["error"].startswith(INVALID)


@pytest.mark.e2e
def test_a_job_scancel_ended_is_interrupted_by_its_signal_and_the_sweep_exits_130(
    slurm_cluster: Any, benchbox_exe: str, data_dir: Path, tmp_path: Path
) -> None:
    """``scancel`` sends the job's processes SIGTERM (SIGKILL only after ``KillWait``): the run
    handles it as it handles Ctrl-C, so job 0 ends on its own, ``interrupted`` (130) with the
    partial result it wrote, which submitit hands back as the job's return; Slurm's accounting says
    ``CANCELLED``; the command exits 130, the worst of its jobs (job 1 is invalid, 2)."""
    job, output, code = _cancel_job_0(slurm_cluster, benchbox_exe, data_dir, tmp_path)
    sweep = tmp_path / "sweep"
    assert code == 130, output
    accounted = _accounted(slurm_cluster, job)
    assert accounted["State"] == "CANCELLED by 0", accounted
    rows = {r["job"]: r for r in _rows(sweep)}
    _job_1_invalid(rows)
    cancelled = rows[0]
    assert (cancelled["status"], cancelled["exit_code"]) == ("interrupted", 130), cancelled
    # slurmstepd cancels with SIGCONT and SIGTERM (submitit lets them by); on this cluster the run
    # inside the job step receives SIGINT: the row names the signal the run got.
    assert cancelled["error"] in ("interrupted by signal SIGINT", "interrupted by signal SIGTERM"), cancelled
    result = json.loads((sweep / "0" / "result.json").read_text())
    assert (result["status"], result["metadata"]["scheduler_job_id"]) == (
        "interrupted",
        accounted["JobIDRaw"],
    )
    assert "sweep: 2 jobs" in output


@pytest.mark.e2e
def test_a_job_killed_on_the_scheduler_is_a_row_naming_slurms_state_and_the_sweep_exits_2(
    slurm_cluster: Any, benchbox_exe: str, data_dir: Path, tmp_path: Path
) -> None:
    """``scancel --signal=KILL --full`` kills every process of job 0 at once (as the OOM killer or
    a node failure would): the job leaves no result, submitit raises ``UncompletedJobError`` naming
    the state Slurm's accounting gives it, and the sweep's summary gives job 0 that cause:
    ``failed`` (1), and the command exits 2 (job 1 is invalid)."""
    job, output, code = _cancel_job_0(slurm_cluster, benchbox_exe, data_dir, tmp_path, "--signal=HUP")
    sweep = tmp_path / "sweep"
    assert code == 2, output
    accounted = _accounted(slurm_cluster, job)
    rows = {r["job"]: r for r in _rows(sweep)}
    _job_1_invalid(rows)
    killed = rows[0]
    assert (killed["status"], killed["exit_code"]) == ("failed", 1), killed
    assert "ended without an outcome" in killed["error"], killed["error"]
    assert "the sweep stopped on UncompletedJobError" in killed["error"], killed["error"]
    assert f"Job {job} (task: 0)" in killed["error"], killed["error"]
    assert f"(state: {accounted['State']})" in killed["error"], (accounted, killed["error"])
    recorded = json.loads((sweep / "0" / summary.OUTCOME).read_text())
    assert (recorded["job"], recorded["exit_code"], recorded["error"]) == (0, 1, killed["error"])
    assert "sweep: 2 jobs" in output
