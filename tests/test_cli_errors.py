"""A user's mistake ends with one clear message, exit code 2 and no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

CASES = [
    (["benchmark.scale_factor=-1"], "benchmark.scale_factor=-1 is not allowed"),
    (["benchmark.scale_factor=abc"], "benchmark.scale_factor='abc' is not allowed"),
    (["platform=duckbd"], "did you mean platform=duckdb?"),
    (["+mode.iteratons=3"], "did you mean mode.iterations?"),
    (["mode.iteratons=3"], "did you mean mode.iterations?"),
    (["benchmark.queries=[23]"], "TPC-H has queries 1 to 22, not [23]"),
    (["mode.warmups=-1"], "mode.warmups=-1 is not allowed"),
    (["export.formats=[xml]"], "Input should be 'json', 'csv' or 'parquet'"),
    (["experiment=does_not_exist"], "experiment=does_not_exist does not exist"),
    (["--config-dir", "no/such/folder", "experiment=nightly"], "--config-dir no/such/folder is not a folder"),
    (["mode=data_only", "+mode.iterations=3"], "mode.iterations is not a known key"),
    (["benchmark.scale_factor=(1"], "cannot parse the overrides"),
    (["mode=dry_run", "mode.iterations=3"], "mode.iterations is not a known key with mode=dry_run"),
    (["platform=sqlite", "platform.threads=4"], "platform.threads is not a known key with platform=sqlite"),
    (["-m", "platform=duckdb,sqlite", "platform.threads=2"], "not a known key with platform=duckdb,sqlite"),
    (["progres=false"], "did you mean progress?"),
    # found by Hydra itself (the experiment switches to SQLite, which has no threads): one line too
    (["experiment=sqlite_baseline", "platform.threads=4"], "Could not override 'platform.threads'."),
    (["--resolve"], "The --resolve flag can only be used in conjunction with --cfg or --help"),
]


@pytest.mark.parametrize(("args", "message"), CASES, ids=[" ".join(a) for a, _ in CASES])
def test_bad_input_exits_2_with_a_message(benchbox, args: list[str], message: str) -> None:
    done = benchbox(*args, "progress=false")
    assert done.code == 2, done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_bad_sweep_value_is_caught_before_any_job(benchbox, tmp_path: Path) -> None:
    done = benchbox("-m", "platform=duckdb,sqlit", "mode=dry_run")
    assert done.code == 2
    assert "did you mean platform=sqlite?" in done.stderr
    assert not (tmp_path / "multirun").exists()


SECRETS = [
    ["+platform.password=hunter2"],
    ["platform=sqlalchemy", "platform.url=postgresql://bench:hunter2@db/tpch"],
    ["platform=spark", "platform.master=null", 'platform.remote="sc://h:15002/;token=hunter2"'],
]


@pytest.mark.parametrize("args", SECRETS, ids=[" ".join(a) for a in SECRETS])
def test_a_secret_on_the_command_line_is_refused_before_hydra_records_it(
    benchbox, tmp_path: Path, args: list[str]
) -> None:
    run_dir = tmp_path / "run"
    done = benchbox(*args, "mode=dry_run", f"hydra.run.dir={run_dir}")
    assert done.code == 2, done.stderr
    assert "holds a secret" in done.stderr and "password_env" in done.stderr
    assert "hunter2" not in done.stderr + done.stdout
    assert not run_dir.exists()  # Hydra never wrote .hydra/overrides.yaml


def test_naming_where_the_password_is_is_no_secret(benchbox, tmp_path: Path) -> None:
    done = benchbox(
        "platform=postgresql", "platform.password_env=MY_PW", "mode=dry_run", f"hydra.run.dir={tmp_path}"
    )
    assert done.code == 0, done.stderr
