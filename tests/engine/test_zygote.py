"""The zygote that forks runs' fresh processes: each one gets this process's environment, folder,
``sys.path`` and output as they are at that run, none of a run's warm state, and a zygote that is
gone means a new interpreter, not a failed run."""

from __future__ import annotations

import os
import signal
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchbox import api
from benchbox.engine import isolation, zygote

HELPER = """
import os, sys

WARM = ("duckdb", "pyarrow", "sqlglot", "hydra")

def facts(spec):
    return {
        "pid": os.getpid(),
        "parent": os.getppid(),
        "mark": os.environ.get("BENCHBOX_ZYGOTE_TEST"),
        "cwd": os.getcwd(),
        "path": list(sys.path),
        "warm": sorted(name for name in WARM if name in sys.modules),
    }

def shout(spec):
    print("OUT FROM THE RUN", flush=True)
    print("ERR FROM THE RUN", file=sys.stderr, flush=True)
    return os.getpid()
"""


@pytest.fixture
def helper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> object:
    """A module only this process's ``sys.path`` finds, with functions a fresh process runs."""
    folder = tmp_path / "helpers"
    folder.mkdir()
    (folder / "zygote_helper.py").write_text(textwrap.dedent(HELPER))
    monkeypatch.syspath_prepend(str(folder))
    import zygote_helper

    return zygote_helper


@pytest.fixture
def own_zygote(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A zygote of this test's own (another test may have used or given up on the process's)."""
    monkeypatch.setattr(zygote, "_zygote", None)
    monkeypatch.setattr(zygote, "_broken", False)
    yield
    if zygote._zygote is not None:
        zygote.discard()


def _spec(tmp_path: Path) -> object:
    return api.spec_for(["progress=false"], output_dir=tmp_path / "out")


@pytest.mark.usefixtures("own_zygote")
def test_fresh_processes_are_forked_with_this_process_environment_folder_and_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helper: object
) -> None:
    import duckdb  # noqa: F401 - warm in this process: the forks must not have it
    import pyarrow  # noqa: F401

    monkeypatch.setenv("BENCHBOX_ZYGOTE_TEST", "one")
    monkeypatch.chdir(tmp_path)
    first = isolation.in_fresh_process(helper.facts, _spec(tmp_path))  # type: ignore[attr-defined]
    later = tmp_path / "later"
    later.mkdir()
    monkeypatch.setenv("BENCHBOX_ZYGOTE_TEST", "two")
    monkeypatch.chdir(later)
    monkeypatch.syspath_prepend(str(later))
    second = isolation.in_fresh_process(helper.facts, _spec(tmp_path))  # type: ignore[attr-defined]

    forks = zygote.get()
    assert forks is not None
    assert first["parent"] == second["parent"] == forks.process.pid != os.getpid(), "both forked by it"
    assert first["pid"] != second["pid"]
    assert (first["mark"], second["mark"]) == ("one", "two"), "the environment at each run"
    assert (first["cwd"], second["cwd"]) == (str(tmp_path), str(later)), "the folder at each run"
    assert second["path"] == sys.path and str(later) not in first["path"]
    assert first["warm"] == second["warm"] == [], "no driver, dialect library or Hydra is inherited"


@pytest.mark.usefixtures("own_zygote")
def test_a_forked_run_writes_where_this_process_writes_now(
    tmp_path: Path, helper: object, capfd: pytest.CaptureFixture[str]
) -> None:
    """The zygote may have been started when stdout and stderr were elsewhere (another test's
    capture, here the first call's): each run gets the current ones."""
    isolation.in_fresh_process(helper.shout, _spec(tmp_path))  # type: ignore[attr-defined]
    capfd.readouterr()
    saved = os.dup(1), os.dup(2)
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    try:
        with out.open("w") as stdout, err.open("w") as stderr:
            os.dup2(stdout.fileno(), 1)
            os.dup2(stderr.fileno(), 2)
            pid = isolation.in_fresh_process(helper.shout, _spec(tmp_path))  # type: ignore[attr-defined]
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
    assert out.read_text() == "OUT FROM THE RUN\n" and err.read_text() == "ERR FROM THE RUN\n"
    assert os.getppid() != pid


@pytest.mark.usefixtures("own_zygote")
def test_a_dead_zygote_means_a_new_interpreter_for_the_run(tmp_path: Path, helper: object) -> None:
    isolation.in_fresh_process(helper.facts, _spec(tmp_path))  # type: ignore[attr-defined]
    forks = zygote.get()
    assert forks is not None
    os.kill(forks.process.pid, signal.SIGKILL)
    forks.process.wait()

    facts = isolation.in_fresh_process(helper.facts, _spec(tmp_path))  # type: ignore[attr-defined]
    assert facts["parent"] == os.getpid(), "started by this process itself"
    assert zygote.get() is None, "given up on: later runs start new interpreters"


@pytest.mark.usefixtures("own_zygote")
def test_a_run_in_another_thread_while_the_zygote_is_busy_starts_its_own_interpreter(
    tmp_path: Path, helper: object
) -> None:
    forks = zygote.get()
    assert forks is not None
    with forks.lock:  # what another thread's run holds from request to exit status
        facts = isolation.in_fresh_process(helper.facts, _spec(tmp_path))  # type: ignore[attr-defined]
    assert facts["parent"] == os.getpid()
    assert zygote.get() is forks, "still there for the next run"


def test_the_zygote_preloads_no_module_that_starts_threads() -> None:
    """A forked process gets none of its parent's threads: the zygote refuses to serve with more
    than one, and then every run would start a new interpreter, as slowly as before."""
    code = "import os; from benchbox.engine import zygote; zygote._preload(); print(zygote._threads())"
    import subprocess

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "1"
