"""Faults injected at the moments that used to lose or corrupt results, through the real command.

Each test runs ``benchbox`` in a subprocess. Where a fault must land at one exact moment (a
signal after the last phase, a stream still reporting while the files are written), a small
``python -c`` script patches that moment in and then runs the command's own ``main()``:
the product has no test hook, and nothing here waits for time to pass.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

LATE_SIGNAL = "interrupted by signal after the last phase; the results are complete"

QUICK = ("benchmark.scale_factor=0.01", "mode.warmups=0", "mode.iterations=1", "progress=false")

LATE = """
import os, signal, sys
import benchbox.engine as engine
from benchbox import cli

where, sig = sys.argv[1], getattr(signal, sys.argv[2])
original = getattr(engine, where)

def with_signal(result):
    if where == "enrich":  # after the enricher: between the last phase and the files
        original(result)
        os.kill(os.getpid(), sig)
        return None
    os.kill(os.getpid(), sig)  # as the exporter starts
    return original(result)

setattr(engine, where, with_signal)
sys.argv = ["benchbox", *sys.argv[3:]]
cli.main()
"""


def _script(code: str, args: list[str], cwd: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BENCHBOX_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def _files(folder: Path) -> dict[str, bytes]:
    """The run's files in ``folder`` by name (Hydra's log left out)."""
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.suffix != ".log"}


def _same_rows(folder: Path) -> list[dict]:
    """The executions, after checking that result.json, queries.parquet and queries.csv hold the same."""
    record = json.loads((folder / "result.json").read_text())
    parquet = pq.read_table(folder / "queries.parquet").to_pylist()
    csv = pcsv.read_csv(folder / "queries.csv").to_pylist()
    key = [(r["phase"], r["stream"], r["query_id"], r["status"]) for r in record["executions"]]
    assert [(r["phase"], r["stream"], r["query_id"], r["status"]) for r in parquet] == key
    assert [(r["phase"], r["stream"], r["query_id"], r["status"]) for r in csv] == key
    return record["executions"]


@pytest.mark.e2e
@pytest.mark.parametrize("where", ["enrich", "export"])
@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_a_signal_after_the_last_phase_still_writes_the_complete_result(
    tmp_path: Path, data_dir: Path, where: str, sig: str
) -> None:
    run_dir = tmp_path / "run"
    args = ["platform=duckdb", "benchmark.queries=[1,6]", *QUICK, "export=all", f"hydra.run.dir={run_dir}"]
    done = _script(LATE, [where, sig, *args], tmp_path, data_dir)
    output = done.stdout + done.stderr
    assert done.returncode == 130, output
    record = json.loads((run_dir / "result.json").read_text())
    # Every phase ended, so nothing is partial: the run keeps its status and says why it exits 130.
    assert (record["status"], record["partial"], record["exit_code"]) == ("ok", False, 130)
    assert record["error"] == LATE_SIGNAL
    assert [p["status"] for p in record["phases"]] == ["ok"] * 5
    assert record["summary"]["totals"]["validated"] == 2
    assert len(_same_rows(run_dir)) == 2
    assert "Traceback" not in output
    assert f"error: {LATE_SIGNAL}" in done.stdout and f"results in {run_dir}" in done.stdout
    assert not list(run_dir.glob(".*.tmp"))


SECOND_SIGNAL = """
import os, signal, sys, threading
import pyarrow.parquet as pq
from benchbox import cli
from benchbox.platforms import duckdb

release, lock, waiting, interrupts = threading.Event(), threading.Lock(), [], []
session = duckdb.Adapter.session

def stuck_session(self):
    other = session(self)
    real, calls = other.execute, []

    def execute(sql):
        calls.append(sql)
        if len(calls) == 1:
            return real(sql)  # each stream's first query runs and is reported
        with lock:  # its second does not stop when cancelled; once both are there, Ctrl-C
            waiting.append(1)
            if len(waiting) == 2:
                os.kill(os.getpid(), signal.SIGINT)
        release.wait()
        return []

    def interrupt():  # the cancel reaches nothing; once every stream was asked, Ctrl-C again
        interrupts.append(1)
        if len(interrupts) == 2:
            os.kill(os.getpid(), signal.SIGINT)

    other.execute, other.interrupt = execute, interrupt
    return other

duckdb.Adapter.session = stuck_session
write_table = pq.write_table

def write_then_release(*args, **kwargs):
    write_table(*args, **kwargs)
    release.set()  # the stuck streams now report, while the other files are being written
    for thread in threading.enumerate():
        if thread.name.startswith("stream-"):
            thread.join(120)

pq.write_table = write_then_release
sys.argv = ["benchbox", *sys.argv[1:]]
cli.main()
"""


@pytest.mark.e2e
def test_streams_still_reporting_during_export_cannot_change_the_files(
    tmp_path: Path, data_dir: Path
) -> None:
    """A second Ctrl-C gives up waiting for streams whose queries ignore the cancel; whatever they
    report afterwards is not part of the run, and every file holds the same rows."""
    run_dir = tmp_path / "run"
    args = ["mode=throughput", "mode.streams=2", "benchmark.queries=[6,14]", "benchmark.scale_factor=0.01"]
    args += ["progress=false", "export=all", f"hydra.run.dir={run_dir}"]
    done = _script(SECOND_SIGNAL, args, tmp_path, data_dir)
    assert done.returncode == 130, done.stdout + done.stderr
    record = json.loads((run_dir / "result.json").read_text())
    assert record["status"] == "interrupted" and record["partial"] is True
    rows = _same_rows(run_dir)
    assert sorted(r["stream"] for r in rows) == [1, 2], "each stream's first query, and nothing later"
    assert record["summary"]["totals"]["ok"] == len({r["query_id"] for r in rows})


FIRST_QUERY_SIGNAL = """
import os, signal, sys
from benchbox import cli
from benchbox.platforms import sqlite

execute, calls = sqlite.Adapter.execute, []

def interrupted(self, sql):
    calls.append(sql)
    if len(calls) == 1:  # the power test's first query: Ctrl-C while it runs
        os.kill(os.getpid(), signal.SIGINT)
    return execute(self, sql)

sqlite.Adapter.execute = interrupted
sys.argv = ["benchbox", *sys.argv[1:]]
cli.main()
"""


@pytest.mark.e2e
def test_ctrl_c_in_the_power_test_ends_the_run(tmp_path: Path, data_dir: Path) -> None:
    """The power test runs on the main thread, where the timed region catches the KeyboardInterrupt:
    the run must still stop there, not go on to the throughput test."""
    run_dir = tmp_path / "run"
    args = ["mode=tpc", "platform=sqlite", "benchmark.scale_factor=0.01", "progress=false"]
    done = _script(FIRST_QUERY_SIGNAL, [*args, f"hydra.run.dir={run_dir}"], tmp_path, data_dir)
    assert done.returncode == 130, done.stdout + done.stderr
    record = json.loads((run_dir / "result.json").read_text())
    assert record["status"] == "interrupted"
    assert [(p["name"], p["status"]) for p in record["phases"]][-1] == ("power_test", "interrupted")
    queries = [e for e in record["executions"] if e["kind"] == "query"]
    assert [e["status"] for e in queries] == ["interrupted"], "no query ran after the signal"
    assert "Traceback" not in done.stdout + done.stderr


REFRESH_SIGNAL = """
import os, signal, sys
from benchbox import cli
from benchbox.platforms import sqlite

run_transaction, calls = sqlite.Adapter.run_transaction, []

def interrupted(self, statements, staged):
    calls.append(statements)
    if len(calls) == 1:  # the first refresh function (RF1 of run 1): Ctrl-C while it runs
        os.kill(os.getpid(), signal.SIGINT)
    return run_transaction(self, statements, staged)

sqlite.Adapter.run_transaction = interrupted
sys.argv = ["benchbox", *sys.argv[1:]]
cli.main()
"""


@pytest.mark.e2e
def test_ctrl_c_in_a_refresh_function_ends_the_maintenance_run(tmp_path: Path, data_dir: Path) -> None:
    """The refresh functions run on the main thread, where the timed region catches the
    KeyboardInterrupt: the phase must still stop there, not go on to the next function."""
    run_dir = tmp_path / "run"
    args = ["mode=maintenance", "mode.pairs=2", "platform=sqlite", "benchmark.scale_factor=0.01"]
    args += ["progress=false", "export=all", f"hydra.run.dir={run_dir}"]
    done = _script(REFRESH_SIGNAL, args, tmp_path, data_dir)
    assert done.returncode == 130, done.stdout + done.stderr
    record = json.loads((run_dir / "result.json").read_text())
    assert (record["status"], record["partial"], record["exit_code"]) == ("interrupted", True, 130)
    assert [(p["name"], p["status"]) for p in record["phases"]][-1] == ("maintenance", "interrupted")
    rows = _same_rows(run_dir)
    assert [(r["query_id"], r["iteration"], r["status"]) for r in rows] == [("RF1", 1, "interrupted")], (
        "no refresh function ran after the signal"
    )
    assert "Traceback" not in done.stdout + done.stderr


class SmallDisk:
    """Run folders on a file system that can be filled up to 4 KiB short: room for a small file of a
    run, not for all of them. A small tmpfs (root may mount one), or where mounting is not
    allowed, runs whose fsync fails with ENOSPC under it."""

    def __init__(self, root: Path, data_dir: Path) -> None:
        self.root, self.data_dir = root, data_dir
        root.mkdir()
        self.mounted = (
            os.geteuid() == 0
            and shutil.which("mount") is not None
            and subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(root)]).returncode == 0
        )
        self.full = False

    def fill(self) -> None:
        """Fill the file system, then free 4 KiB."""
        if self.mounted:
            filler = self.root / "filler"
            fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
            try:
                while True:
                    os.write(fd, b"\0" * 4096)
            except OSError:
                pass
            finally:
                os.close(fd)
            os.truncate(filler, max(0, filler.stat().st_size - 4096))
        self.full = True

    def run(self, folder: str, *args: str) -> subprocess.CompletedProcess[str]:
        """``benchbox ARGS`` with its run folder ``folder`` on this file system (and no Hydra files there)."""
        args = (*args, f"hydra.run.dir={self.root / folder}", "hydra.output_subdir=null")
        command = [str(Path(sys.executable).parent / "benchbox")]
        if self.full and not self.mounted:
            command = [sys.executable, "-c", FULL.replace("FOLDER", repr(str(self.root)))]
        env = {**os.environ, "BENCHBOX_DATA_DIR": str(self.data_dir)}
        where = self.root.parent
        return subprocess.run([*command, *args], cwd=where, env=env, capture_output=True, text=True)

    def close(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.root)], check=False)


FULL = """
import errno, os, sys
from benchbox import cli

fsync = os.fsync

def full(fd):
    if os.readlink(f"/proc/self/fd/{fd}").startswith(FOLDER):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return fsync(fd)

os.fsync = full
sys.argv = ["benchbox", *sys.argv[1:]]
cli.main()
"""


@pytest.fixture
def small_disk(tmp_path: Path, data_dir: Path):
    disk = SmallDisk(tmp_path / "small", data_dir)
    try:
        yield disk
    finally:
        disk.close()


@pytest.mark.e2e
def test_a_full_disk_is_said_on_the_console_and_leaves_no_file(small_disk: SmallDisk) -> None:
    args = ("platform=duckdb", "benchmark.queries=[1,6]", *QUICK, "export=all")
    first = small_disk.run("kept", *args)
    assert first.returncode == 0, first.stdout + first.stderr
    kept = _files(small_disk.root / "kept")
    assert set(kept) == {"result.json", "queries.csv", "queries.parquet", "report.html"}
    small_disk.fill()
    done = small_disk.run("fresh", *args)
    folder = small_disk.root / "fresh"
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"results NOT written: nothing was saved in {folder}" in done.stdout
    assert f"error: cannot write the results into {folder}" in done.stdout
    assert os.strerror(errno.ENOSPC) in done.stdout
    assert "duckdb (power): failed" in done.stdout, "the table's title does not say ok"
    assert f"results in {folder}" not in done.stdout
    assert {p.name for p in folder.iterdir()} <= {"benchbox.log"}, "no file, no temporary file"
    # All or none: a run into a folder that holds an earlier run's files replaces none of them.
    again = small_disk.run("kept", *args)
    assert again.returncode == 1 and "results NOT written" in again.stdout, again.stdout + again.stderr
    assert _files(small_disk.root / "kept") == kept
