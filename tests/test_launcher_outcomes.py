"""Every job of a sweep is a row with its real outcome under an out-of-process launcher (joblib) as
under Hydra's basic one, and the command exits with the worst of its jobs' codes: an invalid job is
``invalid`` with its message and exit code 2 also when the job returns an objective (a number for
an optimising sweeper, so its outcome reaches the summary only through ``exit_codes.OUTCOMES`` in
the process that ran it), and a job whose worker is killed is a row that says what stopped it.
"""

from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import cloudpickle
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from benchbox.exit_codes import CODES, OUTCOMES
from benchbox.exporters.sweep import stopped_by
from benchbox.report import summary

QUICK = ("benchmark.scale_factor=0.01", "benchmark.queries=[6]", "mode.warmups=0", "progress=false")
LOGGED = (*QUICK[:-1], "progress=true")
"""Log lines (no terminal): a test waits for a job's ``phase power`` in its log."""
FRESH = "# benchbox: the fresh process of a run"
"""In the command line of a run's fresh process (``engine.zygote.MARK``), never in a worker's."""
LAUNCHERS = {"basic": (), "joblib": ("hydra/launcher=joblib", "hydra.launcher.n_jobs=2")}
INVALID = "mode.iterations=-1 is not allowed"


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every process that can be read (Linux ``/proc``)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            found[int(entry.name)] = (parent, command)
    return found


def _holding(pid: int, path: Path) -> bool:
    try:
        return any(os.readlink(fd) == str(path) for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False


def _descendants(root: int, processes: dict[int, tuple[int, str]]) -> set[int]:
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, (parent, _) in processes.items() if parent in frontier} - found
        found |= frontier
    return found


def _poll(condition: Callable[[], object], what: str, seconds: float = 300) -> object:
    """Wait for ``condition`` (not for time to pass), with a generous deadline."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.01)
    raise AssertionError(f"gave up waiting for {what}")


def _rows(sweep: Path) -> list[dict]:
    rows = pq.read_table(sweep / "summary.parquet").to_pylist()
    assert [r["job"] for r in pcsv.read_csv(sweep / "summary.csv").to_pylist()] == [r["job"] for r in rows]
    return rows


def test_a_task_shipped_to_a_worker_records_into_that_processs_outcomes() -> None:
    """A launcher pickles the command's task (a function defined inside ``main`` that uses ``CODES`` and
    ``OUTCOMES`` as globals) with cloudpickle, which copies such a function's globals along with it:
    unpickled, they must be the module's own, where the sweep summary's callback reads them."""

    def task() -> None:
        CODES.append(2)
        OUTCOMES["/sweep/1"] = {"exit_code": 2, "error": "bad"}

    before = list(CODES)
    try:
        pickle.loads(cloudpickle.dumps(task))()
        assert CODES[len(before) :] == [2]
        assert OUTCOMES["/sweep/1"] == {"exit_code": 2, "error": "bad"}
        assert pickle.loads(pickle.dumps(CODES)) is CODES
    finally:
        CODES[:] = before
        OUTCOMES.pop("/sweep/1", None)


@pytest.mark.e2e
@pytest.mark.parametrize("objective", [None, "geomean_ms"], ids=["outcome", "objective"])
@pytest.mark.parametrize("launcher", sorted(LAUNCHERS))
def test_two_valid_jobs_and_an_invalid_one_are_three_rows_and_exit_2(
    benchbox, tmp_path: Path, launcher: str, objective: str | None
) -> None:
    sweep = tmp_path / "sweep"
    chosen = [] if objective is None else [f"objective={objective}"]
    done = benchbox(
        "-m",
        *LAUNCHERS[launcher],
        "platform=duckdb",
        "mode.iterations=1,2,-1",
        *chosen,
        *QUICK,
        f"hydra.sweep.dir={sweep}",
    )
    assert done.code == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert f"benchbox: error: {INVALID}" in done.stderr
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


@pytest.mark.e2e
@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds processes through /proc")
def test_a_killed_worker_is_a_row_with_its_cause_and_the_sweep_exits_with_its_worst_job(
    benchbox_exe: str, data_dir: Path, tmp_path: Path
) -> None:
    """Job 1 is invalid (2); job 0, its worker's first, runs in the worker, which is killed once job 1
    has ended: job 0 is ``failed`` (1) saying what stopped the sweep, the command exits 2."""
    sweep = tmp_path / "sweep"
    command = [benchbox_exe, "-m", *LAUNCHERS["joblib"], "platform=duckdb", "mode.iterations=100000,-1"]
    command += [*LOGGED, f"hydra.sweep.dir={sweep}"]
    env = {**os.environ, "BENCHBOX_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(
        command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    log = sweep / "0" / "benchbox.log"

    def worker_of_job_0() -> int | None:
        if not (sweep / "1" / summary.OUTCOME).exists() or not log.exists():
            return None
        processes = _processes()
        found = [
            pid
            for pid in _descendants(process.pid, processes)
            if FRESH not in processes[pid][1] and _holding(pid, log)
        ]
        return found[0] if found and "phase power" in log.read_text() else None

    os.kill(_poll(worker_of_job_0, "job 0 running in its worker, job 1 ended"), signal.SIGKILL)  # type: ignore[arg-type]
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 2, output.decode()
    rows = {r["job"]: r for r in _rows(sweep)}
    assert (rows[1]["status"], rows[1]["exit_code"]) == ("invalid", 2), rows[1]
    assert rows[1]["error"].startswith(INVALID)
    killed = rows[0]
    assert (killed["status"], killed["exit_code"]) == ("failed", 1), killed
    assert "ended without an outcome" in killed["error"]
    assert "the sweep stopped on TerminatedWorkerError" in killed["error"], killed["error"]
    assert "SIGKILL" in killed["error"], killed["error"]
    recorded = json.loads((sweep / "0" / summary.OUTCOME).read_text())  # the page rebuilt later says it too
    assert (recorded["job"], recorded["exit_code"], recorded["error"]) == (0, 1, killed["error"])
    assert b"sweep: 2 jobs" in output


def _stopped(exc: BaseException) -> tuple[int, str]:
    """``stopped_by`` as the command settles: handling the ``SystemExit`` that reports ``exc``."""
    try:
        try:
            raise exc
        except BaseException:
            sys.exit(1)
    except SystemExit:
        return stopped_by()


def test_what_stopped_a_sweep_is_the_error_the_exit_reports_in_one_line() -> None:
    assert _stopped(RuntimeError("a worker\n\nwas killed {SIGKILL(-9)}")) == (
        1,
        "the sweep stopped on RuntimeError: a worker was killed {SIGKILL(-9)}",
    )
    scheduler = OSError("Job 7 (task: 0) has not produced any output (state: TIMEOUT)\n----\nits log\n")
    assert _stopped(scheduler) == (
        1,
        "the sweep stopped on OSError: Job 7 (task: 0) has not produced any output (state: TIMEOUT)",
    )
    assert _stopped(KeyboardInterrupt()) == (130, "the sweep stopped on KeyboardInterrupt")
    code, text = _stopped(RuntimeError("x" * 2000))
    assert code == 1 and len(text) < 600 and text.endswith("...")


def test_the_cause_of_a_job_slurm_failed_ends_at_its_state() -> None:
    """submitit's own ``UncompletedJobError``, worded as ``Job._get_outcome_and_result`` words it."""
    from submitit.core.utils import UncompletedJobError

    message = "\n".join([
        "Job 1_0 (task: 0) with path /s/.submitit/1_0/1_0_0_result.pkl",
        "has not produced any output (state: FAILED)",
        "Error stream produced:",
        "-" * 40,
        "srun: error: localhost: task 0: Killed",
    ])  # fmt: skip
    assert _stopped(UncompletedJobError(message)) == (
        1,
        "the sweep stopped on UncompletedJobError: Job 1_0 (task: 0) with path "
        "/s/.submitit/1_0/1_0_0_result.pkl has not produced any output (state: FAILED)",
    )


def test_a_job_that_ended_without_a_code_or_a_result_is_failed_with_exit_code_1(tmp_path: Path) -> None:
    job = summary.Job(tmp_path, 3, ["mode.iterations=5"], {"exit_code": None, "error": None})
    row = job.row(["mode.iterations"])
    assert (row["status"], row["exit_code"]) == ("failed", 1), row
    assert row["error"] == f"no readable result.json in {tmp_path}"
