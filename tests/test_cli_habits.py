"""What a command-line user expects of any tool: ``--version`` says benchbox's version, and
``hydra.verbose=benchbox`` shows benchbox's own debug log, in a sweep's fresh processes too."""

from __future__ import annotations

import platform
import re
from importlib.metadata import version
from pathlib import Path

import pytest

import benchbox as package

FAST = (
    "platform=sqlite",
    "benchmark.scale_factor=0.01",
    "benchmark.queries=[6]",
    "mode.warmups=0",
    "mode.iterations=1",
    "progress=false",
)


def test_version_is_benchboxs_and_the_installed_distributions(benchbox) -> None:
    done = benchbox("--version")
    assert done.code == 0, done.stderr
    hydra = version("hydra-core")
    expected = f"benchbox {package.__version__} (hydra-core {hydra}, Python {platform.python_version()})\n"
    assert done.stdout == expected and done.stderr == ""
    assert version("benchbox") == package.__version__, "one version, written in benchbox/__init__.py"


def _debug_lines(log: Path) -> list[str]:
    return [line for line in log.read_text().splitlines() if "[DEBUG]" in line]


@pytest.mark.e2e
def test_hydra_verbose_benchbox_logs_each_phase_query_cache_and_file(benchbox, tmp_path: Path) -> None:
    done = benchbox("hydra.verbose=benchbox", *FAST)
    assert done.code == 0, done.stdout + done.stderr
    [log] = tmp_path.glob("outputs/*/*/benchbox.log")
    lines = _debug_lines(log)
    assert all(re.search(r"\]\[benchbox(\.[a-z_.]+)?\]\[DEBUG\]", line) for line in lines)
    text = "\n".join(lines)
    for name in ("plan", "generate", "load", "power", "validate"):
        assert f"[benchbox.engine][DEBUG] - phase {name}: ok in " in text, name
    assert re.search(
        r"\[benchbox.engine.timing\]\[DEBUG\] - power stream 0 iteration 1 Q6: ok in [\d.]+ ms, 1 rows", text
    )
    assert "[benchbox.benchmarks.datacache][DEBUG] - data cache: " in text
    assert re.search(r"\[DEBUG\] - wrote .*result\.json into ", text)
    assert "[benchbox.api][DEBUG] - spec " in text


@pytest.mark.e2e
def test_without_it_there_is_no_debug_line(benchbox, tmp_path: Path) -> None:
    done = benchbox(*FAST[:-1])  # progress lines on: not a terminal, so they go to the log
    assert done.code == 0, done.stdout + done.stderr
    [log] = tmp_path.glob("outputs/*/*/benchbox.log")
    assert _debug_lines(log) == [] and log.read_text().strip(), "progress lines only"


@pytest.mark.e2e
def test_a_sweeps_fresh_processes_log_at_debug_too(benchbox, tmp_path: Path) -> None:
    done = benchbox("-m", "hydra.verbose=benchbox", *FAST[:-2], "mode.iterations=1,2", "progress=false")
    assert done.code == 0, done.stdout + done.stderr
    logs = sorted(tmp_path.glob("multirun/*/*/*/benchbox.log"))
    assert [p.parent.name for p in logs] == ["0", "1"]
    first, second = ("\n".join(_debug_lines(p)) for p in logs)
    assert "goes to a fresh process" in second and "fresh process pid " in second
    assert "power stream 0 iteration 2 Q6: ok" in second, "the fresh process logs at debug"
    assert "power stream 0 iteration 1 Q6: ok" in first
