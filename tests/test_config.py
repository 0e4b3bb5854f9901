"""Every shipped config option and experiment composes with Hydra and validates into a RunSpec."""

from __future__ import annotations

from pathlib import Path

import pytest
from hydra import compose, initialize_config_dir
from omegaconf import OmegaConf

from benchbox.compose import CONFIG_DIR, CONFIG_NAME, GROUPS, options
from benchbox.spec import PowerMode, RunContext, RunSpec, known_keys

CHOICES = [(group, choice) for group in GROUPS for choice in options(group, [CONFIG_DIR])]
REQUIRED = {"platform=sqlalchemy": ["platform.url=sqlite:///tpch.db"]}
"""Choices with a mandatory key (``???`` in their YAML) and a value to give it."""


def _spec(overrides: list[str], config_dir: Path = CONFIG_DIR) -> RunSpec:
    with initialize_config_dir(config_dir=str(config_dir), version_base="1.3"):
        config = compose(config_name=CONFIG_NAME, overrides=overrides)
    raw = OmegaConf.to_container(config, resolve=True)
    assert raw.pop("replay") is None  # the config -> RunSpec step (api.spec_from) reads it: replay.py
    return RunSpec.from_config(raw, RunContext(output_dir=Path("out")))


def test_every_group_has_choices() -> None:
    for group in GROUPS:
        assert options(group, [CONFIG_DIR]), group


@pytest.mark.parametrize(("group", "choice"), CHOICES, ids=[f"{g}={c}" for g, c in CHOICES])
def test_every_choice_validates(group: str, choice: str) -> None:
    spec = _spec([f"{group}={choice}", *REQUIRED.get(f"{group}={choice}", [])])
    if group in ("platform", "benchmark", "mode"):
        assert getattr(spec, group).name == choice


def test_defaults_are_the_documented_main_job() -> None:
    spec = _spec([])
    assert spec.platform.name == "duckdb" and spec.platform.database == ":memory:"
    assert spec.benchmark.scale_factor == 0.1 and spec.benchmark.query_ids == tuple(range(1, 23))
    assert isinstance(spec.mode, PowerMode) and (spec.mode.warmups, spec.mode.iterations) == (1, 3)
    assert spec.export.formats == ("json",)


def test_every_yaml_key_is_a_spec_field() -> None:
    """A key in a shipped YAML that no field reads would be rejected: check them all statically."""
    keys = set(known_keys())
    for path in CONFIG_DIR.rglob("*.yaml"):
        group = path.parent.name
        if group not in GROUPS or group == "experiment":
            continue
        document = OmegaConf.load(path)
        if path.read_text().startswith("# @package _global_"):  # keys are global (mode/tpc.yaml)
            flat = [f"{top}.{key}" for top in document for key in document[top]]
        else:
            flat = [f"{group}.{key}" for key in document]
        for key in flat:
            assert key in keys, f"{path}: {key}"


def test_the_issue_override_example() -> None:
    spec = _spec(
        [
            "platform=sqlite",
            "benchmark.scale_factor=0.01",
            "mode.iterations=5",
            "mode.warmups=0",
            "export=all",
            "benchmark.queries=[1,6,14]",
        ]
    )
    assert spec.platform.name == "sqlite" and spec.benchmark.query_ids == (1, 6, 14)
    assert (spec.mode.iterations, spec.mode.warmups) == (5, 0)
    assert spec.export.formats == ("json", "csv", "parquet")


def test_every_shipped_experiment_changes_something() -> None:
    base = _spec([]).spec_hash
    for choice in options("experiment", [CONFIG_DIR]):
        assert _spec([f"experiment={choice}"]).spec_hash != base, choice


def test_experiment_from_a_users_config_dir(tmp_path: Path) -> None:
    (tmp_path / "experiment").mkdir()
    (tmp_path / "experiment" / "mine.yaml").write_text(
        "# @package _global_\ndefaults:\n  - override /platform: sqlite\nbenchmark:\n  scale_factor: 0.02\n"
    )
    spec = _spec([f"hydra.searchpath=[file://{tmp_path}]", "experiment=mine"])
    assert spec.platform.name == "sqlite" and spec.benchmark.scale_factor == 0.02


def test_data_dir_env_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BENCHBOX_DATA_DIR", str(tmp_path))
    assert _spec([]).data_dir == tmp_path
    monkeypatch.delenv("BENCHBOX_DATA_DIR")
    assert _spec([]).data_dir == Path("~/.cache/benchbox").expanduser()


def test_spec_hash_ignores_where_it_ran() -> None:
    a = _spec([])
    b = RunSpec.model_validate({**a.model_dump(), "context": {"output_dir": "elsewhere"}, "progress": False})
    assert a.spec_hash == b.spec_hash
    assert _spec(["benchmark.seed=1"]).spec_hash != a.spec_hash


PAIRS = [(b, m) for b in options("benchmark", [CONFIG_DIR]) for m in options("mode", [CONFIG_DIR])]


@pytest.mark.parametrize(("benchmark", "mode"), PAIRS, ids=[f"{b}-{m}" for b, m in PAIRS])
def test_every_benchmark_and_mode_pair_composes_or_is_refused_in_one_sentence(
    benchmark: str, mode: str
) -> None:
    from benchbox import benchmarks
    from benchbox.errors import SpecError

    declared = mode in benchmarks.get(benchmark).modes
    if not declared:
        with pytest.raises(SpecError) as refused:
            _spec([f"benchmark={benchmark}", f"mode={mode}"])
        assert str(refused.value).startswith(f"benchmark={benchmark} has no mode={mode} yet: use one of ")
        assert str(refused.value).count(".") <= 2  # one sentence (the docs path has the other dot)
        return
    spec = _spec([f"benchmark={benchmark}", f"mode={mode}"])
    assert (spec.benchmark.name, spec.mode.name) == (benchmark, mode)
    specialised = CONFIG_DIR / "benchmark_mode" / f"{benchmark}_{mode}.yaml"
    if specialised.exists():  # the benchmark's own settings for the mode are applied
        for top, values in OmegaConf.load(specialised).items():
            for key, value in values.items():
                assert getattr(getattr(spec, top), key) == value, (specialised.name, top, key)


def test_benchmark_mode_files_name_a_benchmark_and_a_mode_and_set_only_spec_keys() -> None:
    keys = set(known_keys())
    for path in (CONFIG_DIR / "benchmark_mode").glob("*.yaml"):
        benchmark, _, mode = path.stem.partition("_")
        assert benchmark in options("benchmark", [CONFIG_DIR]) and mode in options("mode", [CONFIG_DIR]), path
        assert path.read_text().startswith("# @package _global_"), path
        document = OmegaConf.load(path)
        assert all(f"{top}.{key}" in keys for top in document for key in document[top]), path


def test_an_explicit_value_beats_the_benchmarks_mode_default() -> None:
    spec = _spec(["mode=throughput", "benchmark.parameters=validation", "validation.reference=answers"])
    assert spec.benchmark.parameters == "validation" and spec.validation.reference == "answers"


def _search_order(argv: list[str]) -> list[str]:
    """``compose.search_order``'s arguments for Hydra, leaving Hydra's ConfigStore as it was."""
    from hydra.core.config_store import ConfigStore

    from benchbox.compose import search_order

    try:
        return search_order(argv)[1]
    finally:
        ConfigStore.instance().repo.pop(f"{CONFIG_NAME}.yaml", None)


def test_a_users_searchpath_is_searched_before_the_shipped_folder(tmp_path: Path) -> None:
    assert _search_order([f"hydra.searchpath=[file://{tmp_path}]", "mode=dry_run"]) == [
        f"hydra.searchpath=['file://{tmp_path}','file://{CONFIG_DIR}']",
        "mode=dry_run",
    ]


def test_a_glob_of_a_group_becomes_the_choice_of_the_options_it_matches(tmp_path: Path) -> None:
    (tmp_path / "platform").mkdir()
    (tmp_path / "platform" / "duckdb_files.yaml").write_text("name: duckdb\ndatabase: bench.duckdb\n")
    argv = ["-m", "platform=glob(duck*)", "hydra/launcher=glob(*)", "mode=glob(*,exclude=[p*,t*,m*,l*])"]
    assert _search_order(["--config-dir", str(tmp_path), *argv]) == [
        "-m",
        "platform=choice(duckdb,duckdb_files)",
        "hydra/launcher=glob(*)",  # Hydra's own groups stay Hydra's
        "mode=choice(data_only,dry_run)",
    ]


def test_a_program_may_still_build_a_performance_test_of_a_few_queries(tmp_path: Path) -> None:
    """The full-query-set rule is the composed config's (``from_config``): the engine's own tests
    build a spec of one query to walk mode=tpc's phases quickly."""
    from benchbox.errors import SpecError

    body = {
        "platform": {"name": "duckdb"},
        "benchmark": {"name": "tpch", "queries": [6]},
        "mode": {"name": "tpc"},
        "validation": {"reference": "duckdb"},
        "data_dir": str(tmp_path),
    }
    context = RunContext(output_dir=tmp_path / "out")
    assert RunSpec.model_validate({**body, "context": context}).benchmark.query_ids == (6,)
    with pytest.raises(SpecError, match=r"needs? all 22 of its queries"):
        RunSpec.from_config(body, context)
