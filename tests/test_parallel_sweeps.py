"""Sweeps whose jobs run in other processes (the joblib launcher), and jobs that end badly: every job
folder is a row of the summary with its real status, exit code and error, whatever happened.

Processes are found through ``/proc`` (Linux): a job's process is the one holding its log open.
Nothing here waits for time to pass; each test polls for a condition with a generous deadline.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

QUICK = ("benchmark.scale_factor=0.01", "benchmark.queries=[6]", "mode.warmups=0", "progress=false")
LOGGED = (*QUICK[:-1], "progress=true")
"""Log lines (no terminal): a test waits for a job's ``phase power`` in its log."""
JOBLIB = ("hydra/launcher=joblib", "hydra.launcher.n_jobs=2")
FRESH = "# benchbox: the fresh process of a run"
"""In the command line of a run's fresh process (``engine.zygote.MARK``): forked from the zygote, or a
new interpreter; the zygote has it too, but never holds a job's log."""

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds processes through /proc")


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every process that can be read."""
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
    """Whether process ``pid`` has ``path`` open."""
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
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.01)
    raise AssertionError(f"gave up waiting for {what}")


def _start(command: list[str], data_dir: Path, cwd: Path, **options: bool) -> subprocess.Popen[bytes]:
    env = {**os.environ, "BENCHBOX_DATA_DIR": str(data_dir)}
    output = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT}
    return subprocess.Popen(command, env=env, cwd=cwd, **output, **options)  # type: ignore[call-overload]


def _rows(sweep: Path) -> list[dict]:
    rows = pq.read_table(sweep / "summary.parquet").to_pylist()
    assert [r["job"] for r in pcsv.read_csv(sweep / "summary.csv").to_pylist()] == [r["job"] for r in rows]
    return rows


@pytest.mark.e2e
def test_more_jobs_than_workers_each_with_its_real_outcome(benchbox, tmp_path: Path) -> None:
    """Eight jobs on two workers: each worker's later jobs run in fresh processes started from the worker,
    and the invalid jobs (their message is only on stderr) are rows with their status and error."""
    sweep = tmp_path / "sweep"
    done = benchbox(
        "-m",
        *JOBLIB,
        "platform=duckdb,sqlite",
        "mode.iterations=1,2",
        "benchmark.scale_factor=0.01,-1",
        *QUICK[1:],
        f"hydra.sweep.dir={sweep}",
    )
    assert done.code == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    rows = _rows(sweep)
    assert [r["job"] for r in rows] == list(range(8))
    for row in rows:
        if row["scale_factor"] == -1:
            assert (row["status"], row["exit_code"]) == ("invalid", 2), row
            assert row["error"].startswith("benchmark.scale_factor=-1 is not allowed"), row
        else:
            assert (row["status"], row["exit_code"], row["error"], row["queries_validated"]) == (
                "ok",
                0,
                None,
                1,
            )
            record = json.loads(Path(row["result_path"]).read_text())
            assert record["metadata"]["process_runs_before"] == 0, "a fresh process, also in a worker"
    assert sorted((r["platform"], r["mode.iterations"]) for r in rows if r["status"] == "ok") == [
        ("duckdb", 1),
        ("duckdb", 2),
        ("sqlite", 1),
        ("sqlite", 2),
    ]
    assert "sweep: 8 jobs" in done.stdout
    assert all((sweep / str(n) / "outcome.json").is_file() for n in range(8))


@pytest.mark.e2e
def test_a_job_whose_fresh_process_is_killed_is_a_failed_row_saying_so(
    benchbox_exe: str, data_dir: Path, tmp_path: Path
) -> None:
    sweep = tmp_path / "sweep"
    command = [benchbox_exe, "-m", *JOBLIB, "platform=duckdb", "mode.iterations=1,2,4000,5000", *LOGGED]
    command += [f"hydra.sweep.dir={sweep}"]
    process = _start(command, data_dir, tmp_path)

    def a_long_job_in_a_fresh_process() -> tuple[int, int] | None:
        processes = _processes()
        for pid in _descendants(process.pid, processes):
            for job in (2, 3):
                log = sweep / str(job) / "benchbox.log"
                running = log.exists() and "phase power" in log.read_text()
                if FRESH in processes[pid][1] and running and _holding(pid, log):
                    return pid, job
        return None

    pid, job = _poll(a_long_job_in_a_fresh_process, "a long job in a fresh process")  # type: ignore[misc]
    os.kill(pid, signal.SIGKILL)
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 1, output.decode()
    rows = {r["job"]: r for r in _rows(sweep)}
    assert sorted(rows) == [0, 1, 2, 3]
    killed = rows[job]
    assert (killed["status"], killed["exit_code"]) == ("failed", 1)
    assert f"(pid {pid}) was killed by signal SIGKILL" in killed["error"], killed["error"]
    assert all(r["status"] == "ok" for n, r in rows.items() if n != job), rows


@pytest.mark.e2e
def test_a_sweep_whose_worker_is_killed_still_has_a_row_for_every_job(
    benchbox_exe: str, data_dir: Path, tmp_path: Path
) -> None:
    """Killing a worker breaks joblib's pool, so Hydra never reaches the end of the sweep; the summary
    is still written once more on the way out, with every job folder a row."""
    sweep = tmp_path / "sweep"
    command = [benchbox_exe, "-m", *JOBLIB, "platform=duckdb", "mode.iterations=100000,1,2,3", *LOGGED]
    command += [f"hydra.sweep.dir={sweep}"]
    process = _start(command, data_dir, tmp_path)
    _poll(lambda: all((sweep / str(n) / "result.json").exists() for n in (1, 2, 3)), "the short jobs")
    log = sweep / "0" / "benchbox.log"  # job 0 is its worker's first: it runs in the worker itself

    def worker_of_job_0() -> int | None:
        processes = _processes()
        found = [
            pid
            for pid in _descendants(process.pid, processes)
            if FRESH not in processes[pid][1] and _holding(pid, log)
        ]
        return found[0] if found and "phase power" in log.read_text() else None

    os.kill(_poll(worker_of_job_0, "job 0 running in its worker"), signal.SIGKILL)  # type: ignore[arg-type]
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 1, "the jobs' highest code (a failed job), not a user error's 2"
    rows = {r["job"]: r for r in _rows(sweep)}
    assert sorted(rows) == [0, 1, 2, 3], rows
    assert (rows[0]["status"], rows[0]["exit_code"]) == ("failed", 1)
    assert "ended without an outcome" in rows[0]["error"]
    assert all(rows[n]["status"] == "ok" for n in (1, 2, 3)), rows
    assert b"sweep: 4 jobs" in output


STARTING = """
import os, pickle, signal, sys, time
from pathlib import Path
from benchbox import cli
from benchbox.engine import isolation

class Held:
    \"\"\"isolation's pickle, whose dumps (the run handed to the fresh process) first waits until that
    process is importing what a run needs, then sends Ctrl-C to the process group.\"\"\"

    loads = staticmethod(pickle.loads)

    @staticmethod
    def dumps(obj):
        me, deadline = str(os.getpid()), time.monotonic() + 300
        while time.monotonic() < deadline:
            for stat in Path("/proc").glob("[0-9]*/stat"):
                try:
                    if stat.read_text().rsplit(")", 1)[1].split()[1] == me:
                        if "pydantic_core" in (stat.parent / "maps").read_text():
                            os.killpg(0, signal.SIGINT)
                            return pickle.dumps(obj)
                except (OSError, IndexError):
                    pass
            time.sleep(0.01)
        raise RuntimeError("the fresh process never started importing")

isolation.pickle = Held
sys.argv = ["benchbox", *sys.argv[1:]]
cli.main()
"""


@pytest.mark.e2e
def test_ctrl_c_while_a_jobs_fresh_process_starts_exits_130_without_a_traceback(
    data_dir: Path, tmp_path: Path
) -> None:
    """Ctrl-C reaches job 1's fresh process while it imports, before its run exists (the process that
    started it holds the run back until then: a real signal at a known moment)."""
    sweep = tmp_path / "sweep"
    args = ["-m", "mode=dry_run", "platform=duckdb,sqlite", "progress=false", f"hydra.sweep.dir={sweep}"]
    command = [sys.executable, "-c", STARTING, *args]
    process = _start(command, data_dir, tmp_path, start_new_session=True)  # Ctrl-C reaches its own group
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 130, output.decode()
    assert b"Traceback" not in output and b"KeyboardInterrupt" not in output, output.decode()
    assert b"benchbox: error: interrupted by signal before the run's fresh process" in output
    rows = _rows(sweep)
    assert [(r["job"], r["status"], r["exit_code"]) for r in rows] == [(0, "ok", 0), (1, "interrupted", 130)]


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("group", "sig"),
    [(True, signal.SIGINT), (False, signal.SIGINT), (False, signal.SIGTERM)],
    ids=["ctrl-c", "benchbox-alone", "sigterm-to-benchbox"],
)
def test_ctrl_c_during_a_joblib_sweep_exits_130_in_one_line(
    benchbox_exe: str, data_dir: Path, tmp_path: Path, group: bool, sig: signal.Signals
) -> None:
    """joblib raises the KeyboardInterrupt in the command's own process, from the launcher waiting
    for its workers (it kills them and passes it on): one line and exit 130, not joblib's traceback,
    and the summary is still written with a row for each job. Ctrl-C in a terminal signals the whole
    process group (the workers and their runs too); ``kill -INT`` only the command's process."""
    sweep = tmp_path / "sweep"
    command = [benchbox_exe, "-m", *JOBLIB, "platform=duckdb,sqlite", "mode.iterations=100000", *LOGGED]
    command += [f"hydra.sweep.dir={sweep}"]
    process = _start(command, data_dir, tmp_path, start_new_session=True)
    logs = [sweep / str(job) / "benchbox.log" for job in (0, 1)]
    _poll(lambda: all(log.exists() and "phase power" in log.read_text() for log in logs), "both jobs running")
    if group:
        os.killpg(process.pid, sig)
    else:
        os.kill(process.pid, sig)
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 130, output.decode()
    assert b"Traceback" not in output and b"KeyboardInterrupt" not in output, output.decode()
    assert b"benchbox: error: interrupted by signal\n" in output
    assert [r["job"] for r in _rows(sweep)] == [0, 1]
    assert b"sweep: 2 jobs" in output
