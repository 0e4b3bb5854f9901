"""Standing config folders (``BENCHBOX_CONFIG_DIR``, ``~/.config/benchbox``): searched on every
command after the ones it names and before the shipped ``conf/`` (``benchbox/configdirs.py``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SMALL = (
    "# @package _global_\nbenchmark:\n  queries: [{q}]\n  scale_factor: 0.01\n"
    "mode:\n  warmups: 0\n  iterations: 1\n"
)


def _experiment(folder: Path, name: str, query: int) -> Path:
    (folder / "experiment").mkdir(parents=True, exist_ok=True)
    (folder / "experiment" / f"{name}.yaml").write_text(SMALL.format(q=query))
    return folder


@pytest.fixture
def folders(tmp_path: Path) -> dict[str, Path]:
    """A user folder (as XDG_CONFIG_HOME/benchbox) and a team folder (for BENCHBOX_CONFIG_DIR)."""
    xdg = tmp_path / "xdg"
    user = _experiment(xdg / "benchbox", "mine", 6)
    _experiment(user, "nightly", 6)  # shadows the shipped nightly (all queries at SF 1)
    team = _experiment(tmp_path / "team", "ours", 14)
    _experiment(team, "mine", 1)  # BENCHBOX_CONFIG_DIR comes before the user folder
    return {"xdg": xdg, "user": user, "team": team}


def _env(folders: dict[str, Path], team: bool = True) -> dict[str, str]:
    env = {"XDG_CONFIG_HOME": str(folders["xdg"])}
    return {**env, "BENCHBOX_CONFIG_DIR": str(folders["team"])} if team else env


def _queries(done) -> list[str]:
    return [e["query_id"] for e in done.result()["executions"]]


@pytest.mark.e2e
def test_the_user_folder_is_searched_without_being_named_and_shadows_the_shipped_one(
    benchbox, folders
) -> None:
    done = benchbox("experiment=nightly", "platform=sqlite", "progress=false", env=_env(folders, team=False))
    assert done.code == 0, done.stdout + done.stderr
    assert _queries(done) == ["Q6"], "the user's nightly, not the shipped one"
    assert str(folders["user"]) in done.result()["metadata"]["config_dirs"]


@pytest.mark.e2e
def test_benchbox_config_dir_comes_first_then_the_user_folder(benchbox, folders) -> None:
    done = benchbox("experiment=mine", "platform=sqlite", "progress=false", env=_env(folders))
    assert done.code == 0, done.stdout + done.stderr
    assert _queries(done) == ["Q1"], "the team's mine shadows the user's"
    dirs = done.result()["metadata"]["config_dirs"]
    assert dirs.index(str(folders["team"])) < dirs.index(str(folders["user"]))


@pytest.mark.e2e
def test_a_config_dir_on_the_command_line_comes_before_the_standing_folders(
    benchbox, folders, tmp_path
) -> None:
    mine = _experiment(tmp_path / "here", "mine", 14)
    args = ("--config-dir", str(mine), "experiment=mine", "platform=sqlite", "progress=false")
    done = benchbox(*args, env=_env(folders))
    assert done.code == 0, done.stdout + done.stderr
    assert _queries(done) == ["Q14"]


@pytest.mark.e2e
def test_a_searchpath_of_the_users_keeps_the_standing_folders_after_it(benchbox, folders, tmp_path) -> None:
    here = _experiment(tmp_path / "here", "only_here", 14)
    args = (f"hydra.searchpath=[file://{here}]", "experiment=ours", "platform=sqlite", "progress=false")
    done = benchbox(*args, env=_env(folders))
    assert done.code == 0, done.stdout + done.stderr
    assert _queries(done) == ["Q14"], "the team's ours is still found"


def test_help_and_the_did_you_mean_know_the_standing_options(benchbox, folders) -> None:
    done = benchbox("--help", env=_env(folders))
    line = next(line for line in done.stdout.splitlines() if line.strip().startswith("experiment"))
    assert "mine" in line and "ours" in line
    wrong = benchbox("experiment=ourz", env=_env(folders))
    assert wrong.code == 2 and "did you mean experiment=ours?" in wrong.stderr


@pytest.mark.parametrize("entry", ["missing", "a_file"])
def test_a_benchbox_config_dir_that_is_not_a_folder_is_one_line_and_exit_2(benchbox, tmp_path, entry) -> None:
    (tmp_path / "a_file").write_text("x")
    value = os.pathsep.join([str(tmp_path), str(tmp_path / entry)])
    done = benchbox("mode=dry_run", env={"BENCHBOX_CONFIG_DIR": value})
    assert done.code == 2, done.stdout + done.stderr
    assert done.stderr == (
        f"benchbox: error: BENCHBOX_CONFIG_DIR={value}: {tmp_path / entry} is not a folder this user can "
        "read: name the folder that holds your experiment/ (or platform/, ...) files, or unset it\n"
    )
    assert not (tmp_path / "outputs").exists()


def test_no_user_folder_means_the_shipped_configs_alone(benchbox, tmp_path) -> None:
    done = benchbox("--help", env={"XDG_CONFIG_HOME": str(tmp_path / "none")})
    line = next(line for line in done.stdout.splitlines() if line.strip().startswith("experiment"))
    assert line.split(None, 1)[1] == "nightly, quick, sqlite_baseline"
