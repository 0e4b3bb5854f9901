"""Replaying a finished run from its ``result.json`` alone, and never writing over one
(``benchbox/replay.py``), through the real command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

FAST = (
    "platform=sqlite",
    "benchmark.scale_factor=0.01",
    "benchmark.queries=[1,6]",
    "mode.warmups=0",
    "mode.iterations=1",
    "progress=false",
)


def _results(folder: Path) -> list[Path]:
    return sorted(folder.glob("outputs/*/*/result.json"), key=lambda p: p.stat().st_mtime_ns)


@pytest.fixture
def original(benchbox, tmp_path: Path) -> Path:
    """A finished run's result.json, made in a folder of its own with an experiment of the user's."""
    configs = tmp_path / "mine" / "experiment"
    configs.mkdir(parents=True)
    (configs / "small.yaml").write_text("# @package _global_\nbenchmark:\n  queries: [1, 6]\n")
    made = tmp_path / "made"
    made.mkdir()
    done = benchbox("--config-dir", str(tmp_path / "mine"), "experiment=small", *FAST, cwd=made)
    assert done.code == 0, done.stdout + done.stderr
    [result] = _results(made)
    return result


def test_a_replay_runs_the_recorded_spec_in_a_new_folder_and_names_the_run_it_replays(
    benchbox, tmp_path: Path, original: Path
) -> None:
    before = original.read_bytes()
    elsewhere = tmp_path / "elsewhere"  # no --config-dir: the experiment's folder is not needed
    elsewhere.mkdir()
    done = benchbox(f"replay={original}", "progress=false", cwd=elsewhere)
    assert done.code == 0, done.stdout + done.stderr
    [result] = _results(elsewhere)
    first, again = json.loads(before), json.loads(result.read_text())
    assert original.read_bytes() == before, "the replayed run's files are untouched"
    assert again["spec_hash"] == first["spec_hash"] and again["run_id"] != first["run_id"]
    assert again["spec"]["platform"]["name"] == "sqlite" and again["spec"]["benchmark"]["queries"] == [1, 6]
    assert again["spec"]["context"]["experiment"] == "small"
    expected = {"run_id": first["run_id"], "spec_hash": first["spec_hash"], "result_path": str(original)}
    assert again["spec"]["context"]["replay_of"] == expected == again["metadata"]["replay_of"]
    assert len(again["executions"]) == len(first["executions"]) == 2


def test_overrides_change_the_replayed_spec_and_nothing_else(benchbox, tmp_path, original: Path) -> None:
    done = benchbox(f"replay={original.parent}", "mode.iterations=2", "export=all", "progress=false")
    assert done.code == 0, done.stdout + done.stderr
    [result] = _results(tmp_path)
    first, again = json.loads(original.read_text()), json.loads(result.read_text())
    assert again["spec"]["mode"] == {**first["spec"]["mode"], "iterations": 2}
    assert again["spec"]["benchmark"] == first["spec"]["benchmark"]
    assert again["spec"]["platform"] == first["spec"]["platform"]
    assert (result.parent / "queries.parquet").is_file() and (result.parent / "queries.csv").is_file()
    assert again["spec_hash"] != first["spec_hash"]
    assert again["spec"]["context"]["replay_of"]["run_id"] == first["run_id"]
    assert [e["query_id"] for e in again["executions"]] == ["Q1", "Q6", "Q1", "Q6"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "there is no such file"),
        ("{not json", "cannot be read as a run's result.json"),
        ('{"run_id": "x"}', "holds no spec"),
    ],
)
def test_a_replay_of_something_that_is_not_a_result_is_one_line_and_exit_2(
    benchbox, tmp_path: Path, content: str | None, expected: str
) -> None:
    source = tmp_path / "result.json"
    if content is not None:
        source.write_text(content)
    done = benchbox(f"replay={source}")
    assert done.code == 2, done.stdout + done.stderr
    assert expected in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "outputs").exists(), "a refused run leaves no folder"


def test_a_replay_refuses_an_experiment_too(benchbox, tmp_path: Path, original: Path) -> None:
    done = benchbox(f"replay={original}", "experiment=nightly")
    assert done.code == 2, done.stdout + done.stderr
    assert "replay and experiment=nightly both say what to run" in done.stderr


def test_a_fixed_run_folder_is_never_written_over(benchbox, tmp_path: Path) -> None:
    target = tmp_path / "fixed"
    first = benchbox(f"hydra.run.dir={target}", *FAST)
    assert first.code == 0, first.stdout + first.stderr
    before = (target / "result.json").read_bytes()
    second = benchbox(f"hydra.run.dir={target}", *FAST, "mode.iterations=2")
    assert second.code == 0, second.stdout + second.stderr
    assert (target / "result.json").read_bytes() == before
    again = json.loads((tmp_path / "fixed-1" / "result.json").read_text())
    assert f"{target} holds a finished run" in second.stderr and f"go to {target}-1" in second.stderr
    assert again["spec"]["mode"]["iterations"] == 2
    assert again["spec"]["context"]["replay_of"] is None, "a different spec is not a replay"


def test_hydras_experimental_rerun_keeps_the_original_and_records_the_replay(benchbox, tmp_path) -> None:
    pickle = "+hydra.callbacks.pickle._target_=hydra.experimental.callbacks.PickleJobInfoCallback"
    done = benchbox(*FAST, pickle)
    assert done.code == 0, done.stdout + done.stderr
    [original] = _results(tmp_path)
    before = original.read_bytes()
    rerun = benchbox("--experimental-rerun", str(original.parent / ".hydra" / "config.pickle"))
    assert rerun.code == 0, rerun.stdout + rerun.stderr
    assert original.read_bytes() == before
    again = json.loads((original.parent.with_name(original.parent.name + "-1") / "result.json").read_text())
    first = json.loads(before)
    assert again["spec_hash"] == first["spec_hash"]
    assert again["spec"]["context"]["replay_of"]["run_id"] == first["run_id"]
