"""Tab completion (Hydra's ``-sc install=bash``) offers benchbox's config groups, options and keys,
of the folders the line names (``--config-dir``) and the standing ones too, and never benchbox's
Python subpackages."""

from __future__ import annotations

from pathlib import Path

import pytest

SUBPACKAGES = {"benchmarks/", "benchmarks", "engine", "enrich", "exporters", "platforms", "report", "conf/"}


@pytest.fixture
def complete(benchbox):
    def run(line: str, env: dict[str, str] | None = None) -> set[str]:
        done = benchbox(
            "-sc", "query=bash", env={"COMP_LINE": line, "COMP_POINT": str(len(line)), **(env or {})}
        )
        assert done.code == 0, done.stderr
        return set(done.stdout.split())

    return run


def test_the_first_word_offers_groups_and_keys_and_no_python_package(complete) -> None:
    offered = complete("benchbox ")
    assert {"platform=", "benchmark=", "mode=", "export=", "experiment="} <= offered
    assert {"platform.", "mode.", "data_dir=", "progress=", "replay=", "allow_large_data="} <= offered
    assert not offered & SUBPACKAGES, offered & SUBPACKAGES


def test_a_group_offers_its_options(complete) -> None:
    platforms = {f"platform={p}" for p in ("duckdb", "sqlite", "postgresql", "spark", "sqlalchemy")}
    assert platforms <= complete("benchbox platform=")
    assert complete("benchbox mode=thr") == {"mode=throughput"}


def test_keys_follow_the_options_chosen_on_the_line(complete) -> None:
    assert "mode.streams=" in complete("benchbox mode=throughput mode.")
    assert "mode.streams=" not in complete("benchbox mode.")
    assert "platform.database=" in complete("benchbox platform=sqlite platform.")


@pytest.mark.parametrize("form", ["--config-dir {}", "--config-dir={}", "-cd {}"])
def test_a_config_dir_on_the_line_offers_its_options(complete, tmp_path: Path, form: str) -> None:
    (tmp_path / "bench" / "experiment").mkdir(parents=True)
    (tmp_path / "bench" / "experiment" / "mine.yaml").write_text(
        "# @package _global_\nmode:\n  iterations: 1\n"
    )
    offered = complete(f"benchbox {form.format(tmp_path / 'bench')} experiment=")
    assert {"experiment=mine", "experiment=nightly", "experiment=quick"} <= offered


def test_a_standing_folder_offers_its_options(complete, tmp_path: Path) -> None:
    (tmp_path / "benchbox" / "platform").mkdir(parents=True)
    (tmp_path / "benchbox" / "platform" / "teamlite.yaml").write_text("defaults:\n  - sqlite\n  - _self_\n")
    offered = complete("benchbox platform=tea", env={"XDG_CONFIG_HOME": str(tmp_path)})
    assert offered == {"platform=teamlite"}


def test_the_install_script_completes_the_benchbox_command(benchbox) -> None:
    done = benchbox("-sc", "install=bash")
    assert done.code == 0, done.stderr
    assert "complete -o nospace -o default -F hydra_bash_completion benchbox" in done.stdout
