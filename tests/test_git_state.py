"""The config repository's git state in the metadata: running an experiment inside its own repo
leaves result folders there, and those must not make the configs look dirty."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

FAST = ("experiment=nightly", "progress=false")


def _repo(tmp_path: Path) -> Path:
    bench = tmp_path / "bench"
    (bench / "experiment").mkdir(parents=True)
    (bench / "experiment" / "nightly.yaml").write_text(
        "# @package _global_\ndefaults:\n  - override /platform: sqlite\n"
        "benchmark:\n  scale_factor: 0.01\n  queries: [6]\nmode:\n  warmups: 0\n  iterations: 1\n"
    )
    for args in (
        ["init", "-q"],
        ["add", "."],
        ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"],
    ):
        subprocess.run(["git", *args], cwd=bench, check=True)
    return bench


def _dirty(benchbox, bench: Path, *args: str) -> bool | None:
    done = benchbox("--config-dir", str(bench), *FAST, *args, cwd=bench)
    assert done.code == 0, done.stderr
    (record,) = [
        json.loads(p.read_text())
        for p in bench.rglob("result.json")
        if p.stat().st_mtime_ns == max(q.stat().st_mtime_ns for q in bench.rglob("result.json"))
    ]
    return record["metadata"]["config_git_dirty"]


@pytest.mark.e2e
def test_result_folders_in_the_repo_do_not_make_it_dirty(benchbox, tmp_path: Path) -> None:
    bench = _repo(tmp_path)
    assert _dirty(benchbox, bench) is False  # outputs/ appears, untracked
    assert _dirty(benchbox, bench) is False, "a second run sees the first one's outputs/"
    assert _dirty(benchbox, bench, f"hydra.run.dir={bench / 'results' / 'one'}") is False


@pytest.mark.e2e
def test_a_changed_or_new_config_makes_it_dirty(benchbox, tmp_path: Path) -> None:
    bench = _repo(tmp_path)
    (bench / "experiment" / "other.yaml").write_text("# @package _global_\n")
    assert _dirty(benchbox, bench) is True, "an untracked config file may change what runs"
    (bench / "experiment" / "other.yaml").unlink()
    with (bench / "experiment" / "nightly.yaml").open("a") as handle:
        handle.write("# edited\n")
    assert _dirty(benchbox, bench) is True
