"""Free text on the terminal (errors, paths, overrides, recorded values) is printed as it is: rich's
markup must not take ``[connect]`` or ``[bold]`` in it for a tag and swallow it.

Through the real command where the text can be put there from outside: a Spark Connect run without
the client (its hint names ``pyspark[connect]``), a run and a data cache in folders whose names hold
brackets (on a pipe and, for the live display, on a terminal), and ``benchbox compare`` of runs with
such values recorded.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

FAST = ("benchmark.scale_factor=0.01", "benchmark.queries=[1,6]", "mode.warmups=0", "mode.iterations=2")
TAGGED = "[bold]run [connect]"
"""A folder name rich would read as two tags (``/`` cannot be in a name, so no closing tag)."""
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _run_dir(path: Path) -> str:
    """``hydra.run.dir`` set to ``path``, quoted: Hydra's override grammar takes brackets for a list."""
    return f"hydra.run.dir='{path}'"


@pytest.mark.e2e
@pytest.mark.spark
@pytest.mark.skipif(importlib.util.find_spec("pyspark") is None, reason="pyspark is not installed")
def test_the_missing_spark_connect_client_hint_is_printed_whole(benchbox, tmp_path: Path) -> None:
    """The issue: the summary's error line read ``pip install 'pyspark'``. The client is hidden from
    the run (``grpc`` blocked in a ``sitecustomize``), so the test means the same where it is installed."""
    hide = tmp_path / "hide-grpc"
    hide.mkdir()
    (hide / "sitecustomize.py").write_text("import sys\nsys.modules['grpc'] = None\n")
    folder = tmp_path / TAGGED
    done = benchbox(
        "platform=spark",
        "platform.master=null",
        "platform.remote=sc://127.0.0.1:1",
        "benchmark.scale_factor=0.01",
        _run_dir(folder),
        env={"PYTHONPATH": os.pathsep.join(filter(None, [str(hide), os.environ.get("PYTHONPATH")]))},
        timeout=300,
    )
    assert done.code == 2, done.stdout + done.stderr
    error = [line for line in done.stdout.splitlines() if line.startswith("error: ")]
    assert len(error) == 1, done.stdout
    assert "platform.remote needs Spark Connect's client packages (" in error[0]
    assert error[0].endswith("run `pip install 'pyspark[connect]'`"), error[0]
    # the summary line of a run without executions names its folder as it is
    assert f"results in {folder}" in done.stdout, done.stdout
    assert "pip install 'pyspark[connect]'" in done.stderr  # benchbox's own error line, never rich


@pytest.mark.e2e
def test_a_run_folder_with_brackets_is_named_whole_in_the_summary(benchbox, tmp_path: Path) -> None:
    folder = tmp_path / TAGGED
    done = benchbox(*FAST, "progress=false", _run_dir(folder))
    assert done.code == 0, done.stdout + done.stderr
    assert (folder / "result.json").is_file()
    caption = [line for line in done.stdout.splitlines() if line.startswith("geomean ")]
    assert len(caption) == 1, done.stdout
    assert caption[0].rstrip().endswith(f"results in {folder}"), caption[0]


@pytest.mark.e2e
def test_the_live_display_prints_messages_whole(benchbox_exe: str, data_dir: Path, tmp_path: Path) -> None:
    """On a terminal (stderr a pty) the live display's log lines, here the data cache's folder that
    the generate phase names, keep their brackets."""
    pty = pytest.importorskip("pty")
    cache = tmp_path / "[bold]data [connect]"
    cache.symlink_to(data_dir, target_is_directory=True)  # the session's cache: nothing generated twice
    env = {**os.environ, "BENCHBOX_DATA_DIR": str(cache), "COLUMNS": "2000"}  # no wrapped lines
    leader, follower = pty.openpty()
    with (tmp_path / "stdout.txt").open("wb") as stdout:
        process = subprocess.Popen(
            [benchbox_exe, *FAST, _run_dir(tmp_path / "run")],
            cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, stdout=stdout, stderr=follower,
        )  # fmt: skip
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the process closed its end
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        assert process.wait(timeout=600) == 0
    terminal = ANSI.sub("", b"".join(chunks).decode(errors="replace"))
    assert "phase plan ok in" in terminal, terminal  # the live display's log, not plain log lines
    assert re.search(r"(reusing cached|generating) TPC-H SF 0\.01 parquet data", terminal), terminal
    assert f"{cache}{os.sep}tpch" in terminal, terminal


def test_a_live_query_failure_and_the_status_line_keep_their_brackets(capsys) -> None:
    """``LiveProgress`` off a terminal (captured stderr): the failure's log line, and the status line,
    whose phase stays bold while its free text stays literal."""
    from rich.console import Console

    from benchbox.engine.progress import LiveProgress
    from benchbox.result import Execution

    failed = Execution(
        phase="power", stream=0, iteration=1, warmup=False, query_id="Q1", status="failed", rows=None,
        duration_ms=None, started_at="", error="Binder Error: column [red]x[/red] of [connect] not found",
    )  # fmt: skip
    with LiveProgress(True) as progress:
        progress.phase_started("power")
        progress.query_started("Q[1]", "[bold]iteration 1")
        text = progress._status.renderable.text
        progress.query_finished(failed)
    assert "Q1 failed: Binder Error: column [red]x[/red] of [connect] not found" in capsys.readouterr().err
    assert text.plain.startswith("power Q[1] [bold]iteration 1 ")
    assert [text.plain[span.start : span.end] for span in text.spans if span.style == "bold"] == ["power"]
    rendered = Console(width=200, color_system="truecolor", force_terminal=True)
    with rendered.capture() as shown:
        rendered.print(text)
    assert "Q[1] [bold]iteration 1" in ANSI.sub("", shown.get())
    assert "\x1b[1mpower" in shown.get()


@pytest.mark.e2e
def test_compare_prints_recorded_values_and_overrides_whole(benchbox, tmp_path: Path) -> None:
    """``benchbox compare``'s tables: the title (the overrides that set the runs apart) and the
    'what differs' cells (recorded values) as they were recorded."""
    real = tmp_path / "real"
    done = benchbox(*FAST, "progress=false", _run_dir(real))
    assert done.code == 0, done.stdout + done.stderr
    record = json.loads((real / "result.json").read_text())
    sides = {}
    for side, override, version in (
        ("base", "+tag=[bold]base", "0.1 [connect]"),
        ("cand", "+tag=[red]cand", "0.2 [bold]dev"),
    ):
        record["metadata"]["hydra_overrides"] = [override]
        record["metadata"]["benchbox_version"] = version
        sides[side] = tmp_path / side
        sides[side].mkdir()
        (sides[side] / "result.json").write_text(json.dumps(record))
    shutil.rmtree(real)
    done = benchbox("compare", str(sides["base"]), str(sides["cand"]))
    assert done.code == 0, done.stdout + done.stderr
    assert "+tag=[bold]base vs +tag=[red]cand" in done.stdout, done.stdout
    assert re.search(r"benchbox\s*│\s*0\.1 \[connect\]\s*│\s*0\.2 \[bold\]dev", done.stdout), done.stdout
