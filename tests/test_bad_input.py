"""Realistic bad input through the real command: exit code 2, one line on stderr that quotes the bad
value and says how to fix it, no traceback, and nothing half-made left behind.

Unwritable places: ``/proc`` (no folder can be made there), ``/sys`` (refuses folders, root
included), a path under a regular file, and a read-only bind mount (root with ``mount``; a folder
without write permission otherwise), since running as root passes every permission check.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchbox import platforms

DATA_ONLY = ("mode=data_only", "benchmark.scale_factor=0.01", "progress=false")
LOAD_ONLY = ("mode=load_only", "benchmark.scale_factor=0.01", "progress=false")
DRY_RUN = ("mode=dry_run", "progress=false")


def _refused(done, *quoted: str) -> str:
    """The one stderr line of a refused command, which must quote each of ``quoted``."""
    output = done.stdout + done.stderr
    assert done.code == 2, output
    assert "Traceback" not in output, output
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("benchbox: error: "), done.stderr
    for text in quoted:
        assert text in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder nothing can be written in: a read-only bind mount for root, else a folder without
    write permission; skipped where neither can be made."""
    source, folder = tmp_path / "ro_source", tmp_path / "ro"
    source.mkdir()
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    mounted = subprocess.run(["mount", "--bind", str(source), str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"no read-only folder for root here: mount --bind failed ({mounted.stderr!r})")
    try:
        remounted = subprocess.run(
            ["mount", "-o", "remount,bind,ro", str(folder)], capture_output=True, text=True
        )
        if remounted.returncode != 0:
            pytest.skip(f"cannot remount read-only: {remounted.stderr}")
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


# Paths: refused when the config is validated, with the reason, before any data is generated.


@pytest.fixture
def a_file(tmp_path: Path) -> Path:
    path = tmp_path / "a_file"
    path.write_text("not a folder\n")
    return path


DATA_DIRS = {
    "a file": ("{file}", "is a file, not a folder"),
    "under a file": ("{file}/data", "it lies under the file"),
    "on /proc": ("/proc/benchbox-test-data", "no folder can be created in /proc"),
    "unwritable /sys": ("/sys/benchbox-test-data", "no folder can be created in /sys"),
    "empty": ("", "it is empty"),
}


@pytest.mark.parametrize("case", list(DATA_DIRS), ids=list(DATA_DIRS))
def test_a_data_dir_that_cannot_hold_the_data_is_refused(
    benchbox, tmp_path: Path, a_file: Path, case: str
) -> None:
    value, reason = DATA_DIRS[case]
    value = value.format(file=a_file)
    run_dir = tmp_path / "run"
    done = benchbox(*DATA_ONLY, f"data_dir={value}", f"hydra.run.dir={run_dir}")
    line = _refused(done, f"data_dir={value!r} is not allowed", reason, "use a writable folder path")
    assert "phase" not in line  # refused by the spec, not by the generate phase
    assert not run_dir.exists(), "the refused run left its folder behind"
    assert not (tmp_path / "tpch").exists(), "data_dir= made the working folder the data cache"


def test_a_read_only_data_dir_is_refused(benchbox, tmp_path: Path, read_only_dir: Path) -> None:
    value = read_only_dir / "data"
    done = benchbox(*DATA_ONLY, f"data_dir={value}", f"hydra.run.dir={tmp_path / 'run'}")
    _refused(done, f"data_dir='{value}' is not allowed", str(read_only_dir))
    assert not (tmp_path / "run").exists()


def test_a_data_dir_that_does_not_exist_yet_is_fine(benchbox, tmp_path: Path) -> None:
    done = benchbox(*DRY_RUN, f"data_dir={tmp_path / 'new' / 'cache'}", f"hydra.run.dir={tmp_path / 'run'}")
    assert done.code == 0, done.stderr
    assert not (tmp_path / "new").exists(), "checking the folder created nothing"


DATABASES = {
    "in a missing folder": ("{tmp}/missing/bench.db", "its folder {tmp}/missing does not exist"),
    "a folder": ("{tmp}", "is a folder: name a file in it"),
    "under a file": ("{file}/bench.db", "it lies under the file"),
    "on /proc": ("/proc/benchbox-test.db", "no folder can be created in /proc"),
}
DATABASE_CASES = [(name, case) for name in ("duckdb", "sqlite") for case in DATABASES]


@pytest.mark.parametrize(("platform", "case"), DATABASE_CASES, ids=[f"{p}-{c}" for p, c in DATABASE_CASES])
def test_a_database_file_that_cannot_be_made_is_refused(
    benchbox, tmp_path: Path, a_file: Path, platform: str, case: str
) -> None:
    folder = tmp_path / "place"
    folder.mkdir()
    value, reason = (text.format(tmp=folder, file=a_file) for text in DATABASES[case])
    run_dir = tmp_path / "run"
    done = benchbox(
        f"platform={platform}", *LOAD_ONLY, f"platform.database={value}", f"hydra.run.dir={run_dir}"
    )
    _refused(done, f"platform.database={value!r} is not allowed", reason, "writable folder")
    assert not run_dir.exists()


RUN_DIRS = {
    "on /proc": ["hydra.run.dir=/proc/benchbox-test-run"],
    "under a file": ["hydra.run.dir={file}/run"],
    "a sweep on /proc": ["-m", "platform=duckdb,sqlite", "hydra.sweep.dir=/proc/benchbox-test-sweep"],
}


@pytest.mark.parametrize("case", list(RUN_DIRS), ids=list(RUN_DIRS))
def test_a_run_folder_hydra_cannot_create_is_one_line(benchbox, a_file: Path, case: str) -> None:
    args = [arg.format(file=a_file) for arg in RUN_DIRS[case]]
    done = benchbox(*args, *DRY_RUN)
    folder = args[-1].partition("=")[2]
    _refused(done, folder, "to a folder you can write")


@pytest.mark.parametrize("flag", [["--config-dir", "{file}"], ["--config-dir={file}"], ["-cd", "{file}"]])
def test_a_config_dir_that_is_a_file_is_refused(benchbox, a_file: Path, flag: list[str]) -> None:
    done = benchbox(*(arg.format(file=a_file) for arg in flag), *DRY_RUN)
    _refused(done, f"--config-dir {a_file} is not a folder")


# Config files and configs that compose but cannot run.


BAD_YAML = {
    "an unclosed list": ("benchmark:\n  scale_factor: [0.01\nmode: {a: 1\n", "line 4, column 5"),
    "a wrong indent": ("mode:\n  iterations: 5\n    warmups: 1\n", "line 4, column 12"),
}


@pytest.mark.parametrize("case", list(BAD_YAML), ids=list(BAD_YAML))
def test_an_experiment_that_is_not_yaml_names_its_file_and_line(benchbox, tmp_path: Path, case: str) -> None:
    body, where = BAD_YAML[case]
    bench = tmp_path / "bench"
    (bench / "experiment").mkdir(parents=True)
    (bench / "experiment" / "bad.yaml").write_text("# @package _global_\n" + body)
    done = benchbox("--config-dir", str(bench), "experiment=bad", *DRY_RUN)
    _refused(done, f"{bench}/experiment/bad.yaml is not valid YAML", where, "fix the file")


def test_an_experiment_without_its_header_is_told_to_add_it(benchbox, tmp_path: Path) -> None:
    bench = tmp_path / "bench"
    (bench / "experiment").mkdir(parents=True)
    (bench / "experiment" / "mine.yaml").write_text("benchmark:\n  scale_factor: 0.01\n")
    done = benchbox("--config-dir", str(bench), "experiment=mine", *DRY_RUN)
    line = _refused(done, "experiment=mine set experiment.benchmark", "# @package _global_")
    assert str(bench / "experiment" / "mine.yaml") in line and "did you mean export" not in line


SPECS = {
    "sqlalchemy without a url": (
        ["platform=sqlalchemy"],
        ["platform.url is missing", "platform.url=...", "SQLAlchemy URL"],
    ),
    "sqlalchemy with an unknown dialect": (
        ["platform=sqlalchemy", "platform.url=nosuch://db/x"],
        ["platform.url='nosuch://db/x'", "backend 'nosuch'", "platform.dialect"],
    ),
    "sqlalchemy with a mistyped dialect": (
        ["platform=sqlalchemy", "platform.url=postgressql://db/x"],
        ["did you mean postgresql://...?"],
    ),
    "spark with neither master nor remote": (
        ["platform=spark", "platform.master=null"],
        ["platform=spark: set platform.master", "platform.remote"],
    ),
    "spark data_uri without a scheme": (
        ["platform=spark", "platform.data_uri=/shared/benchbox"],
        ["platform.data_uri='/shared/benchbox' is not allowed", "a plain path needs 'file://'"],
    ),
    "spark data_uri with a user in it": (
        ["platform=spark", "platform.data_uri=hdfs://bench@nn:8020/benchbox"],
        ["platform.data_uri", "holds credentials", "never in the URI"],
    ),
    "ssb with an unknown query": (
        ["benchmark=ssb", "benchmark.queries=[Q9.9]"],
        ["benchmark.queries=['Q9.9'] is not allowed", "SSB has queries Q1.1", "e.g. [Q1.1,Q3.4]"],
    ),
    "tpc with a query subset": (
        ["mode=tpc", "benchmark.queries=[1,6]", "benchmark.scale_factor=0.01"],
        ["mode=tpc", "need all 22", "selects 2 (Q1, Q6)", "benchmark.queries=null"],
    ),
}


@pytest.mark.parametrize("case", list(SPECS), ids=list(SPECS))
def test_a_config_that_cannot_run_is_refused_up_front(benchbox, tmp_path: Path, case: str) -> None:
    args, quoted = SPECS[case]
    run_dir = tmp_path / "run"
    done = benchbox(*args, "progress=false", f"hydra.run.dir={run_dir}")
    line = _refused(done, *quoted)
    assert "{'name'" not in line, "quotes the rule, not the whole platform mapping"
    assert not run_dir.exists()


UNREACHABLE = {
    "postgresql": ["platform=postgresql", "platform.host=127.0.0.1", "platform.port=1"],
    "sqlalchemy": ["platform=sqlalchemy", "platform.url=postgresql+psycopg://bench@127.0.0.1:1/tpch"],
}


@pytest.mark.parametrize("platform", list(UNREACHABLE))
def test_a_server_that_cannot_be_reached_is_a_config_mistake(benchbox, tmp_path: Path, platform: str) -> None:
    if not platforms.get("postgresql").Adapter.installed():
        pytest.skip("psycopg is not installed (pip install 'benchbox[postgresql]')")
    done = benchbox(*UNREACHABLE[platform], *LOAD_ONLY)
    line = _refused(done, "cannot connect", "127.0.0.1", ":1", "Connection refused")
    assert "phase 'load' failed" in line
    assert done.result()["status"] == "failed" and done.result()["exit_code"] == 2


# Hydra's own grammar reaches Hydra (and its sweepers); its search path works like --config-dir.


def _summary(sweep: Path) -> list[dict]:
    import pyarrow.csv

    return pyarrow.csv.read_csv(sweep / "summary.csv").to_pylist()


def test_a_glob_sweeps_the_options_it_matches(benchbox, tmp_path: Path) -> None:
    sweep = tmp_path / "sweep"
    done = benchbox("-m", "platform=glob(duck*)", *DRY_RUN, f"hydra.sweep.dir={sweep}")
    assert done.code == 0, done.stdout + done.stderr
    rows = _summary(sweep)
    assert [(r["platform"], r["status"]) for r in rows] == [("duckdb", "ok")]


def test_a_glob_that_matches_nothing_is_refused(benchbox, tmp_path: Path) -> None:
    done = benchbox("-m", "platform=glob(dukc*)", *DRY_RUN, f"hydra.sweep.dir={tmp_path / 'sweep'}")
    _refused(done, "platform=glob(dukc*) matches no option of platform", "duckdb")
    assert not (tmp_path / "sweep").exists()


OPTUNA = ("-m", "hydra/sweeper=optuna", "hydra.sweeper.n_trials=2", "hydra.sweeper.sampler.seed=1")
TIMED = ("benchmark.scale_factor=0.01", "benchmark.queries=[6]", "mode.warmups=0", "mode.iterations=1")


def test_an_interval_reaches_the_optimising_sweeper(benchbox, tmp_path: Path) -> None:
    pytest.importorskip("hydra_plugins.hydra_optuna_sweeper")
    sweep = tmp_path / "sweep"
    done = benchbox(
        *OPTUNA, "platform.threads=int(interval(1,2))", *TIMED, "objective=geomean_ms", "progress=false",
        f"hydra.sweep.dir={sweep}",
    )  # fmt: skip
    assert done.code == 0, done.stdout + done.stderr
    best = (sweep / "optimization_results.yaml").read_text()
    assert "platform.threads" in best and "best_value" in best


def test_a_float_interval_for_an_integer_key_reaches_the_sweeper_and_each_trial_says_why(
    benchbox, tmp_path: Path
) -> None:
    pytest.importorskip("hydra_plugins.hydra_optuna_sweeper")
    done = benchbox(
        *OPTUNA, "platform.threads=interval(1,2)", *TIMED, "objective=geomean_ms", "progress=false",
        f"hydra.sweep.dir={tmp_path / 'sweep'}",
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert "Can only enumerate" not in output and "ConfigLoader is not set" not in output
    assert "platform.threads=1." in output, "the sweeper drew the trials"
    assert "Input should be a valid integer, got a number with a fractional part" in done.stderr
    assert "the sweeper stopped (No trials are completed yet.): every one of its 2 jobs was refused" in (
        done.stderr
    )
    assert done.code == 2 and "Traceback" not in output


@pytest.fixture
def bench(tmp_path: Path) -> Path:
    """A user's config folder with one experiment."""
    folder = tmp_path / "bench"
    (folder / "experiment").mkdir(parents=True)
    (folder / "experiment" / "mine.yaml").write_text(
        "# @package _global_\ndefaults:\n  - override /platform: sqlite\nbenchmark:\n  scale_factor: 0.02\n"
    )
    return folder


def test_hydra_searchpath_works_like_config_dir(benchbox, tmp_path: Path, bench: Path) -> None:
    run_dir = tmp_path / "run"
    done = benchbox(
        f"hydra.searchpath=[file://{bench}]", "experiment=mine", *DRY_RUN, f"hydra.run.dir={run_dir}"
    )
    assert done.code == 0, done.stdout + done.stderr
    record = json.loads((run_dir / "result.json").read_text())
    assert (
        record["spec"]["platform"]["name"] == "sqlite" and record["spec"]["benchmark"]["scale_factor"] == 0.02
    )


@pytest.mark.parametrize(
    ("args", "quoted"),
    [
        (["experiment=mien"], ["experiment=mien does not exist: did you mean experiment=mine?"]),
        (["platform=glob(nothing*)"], ["matches no option of platform"]),
    ],
)
def test_hydra_searchpath_is_checked_by_the_preflight(
    benchbox, tmp_path: Path, bench: Path, args: list[str], quoted: list[str]
) -> None:
    done = benchbox("-m", f"hydra.searchpath=[file://{bench}]", *args, *DRY_RUN)
    _refused(done, *quoted)


def test_a_hydra_searchpath_folder_that_does_not_exist_is_refused(benchbox, tmp_path: Path) -> None:
    done = benchbox(f"hydra.searchpath=[file://{tmp_path}/nope]", *DRY_RUN)
    _refused(done, f"hydra.searchpath entry file://{tmp_path}/nope is not a folder")


# A refused run leaves no run folder; a folder with anything else in it stays as it was.


def test_a_refused_run_leaves_no_run_folder(benchbox, tmp_path: Path) -> None:
    done = benchbox("mode.iterations=0", "progress=false")
    _refused(done, "mode.iterations=0 is not allowed")
    assert not (tmp_path / "outputs").exists(), list(tmp_path.rglob("*"))


def test_a_refused_run_keeps_what_was_in_its_folder(benchbox, tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "notes.txt").write_text("mine\n")
    done = benchbox("mode.iterations=0", "progress=false", f"hydra.run.dir={run_dir}")
    _refused(done, "mode.iterations=0 is not allowed")
    assert (run_dir / "notes.txt").read_text() == "mine\n"
    assert (run_dir / ".hydra" / "overrides.yaml").exists(), "not emptied: it was not only Hydra's"


def test_a_refused_job_of_a_sweep_keeps_its_folder_for_its_summary_row(benchbox, tmp_path: Path) -> None:
    sweep = tmp_path / "sweep"
    done = benchbox(
        "-m",
        "mode.iterations=0,1",
        *TIMED[:2],
        "mode.warmups=0",
        "progress=false",
        f"hydra.sweep.dir={sweep}",
    )
    assert done.code == 2, done.stdout + done.stderr
    rows = {r["mode.iterations"]: r for r in _summary(sweep)}
    assert rows[0]["status"] == "invalid" and "mode.iterations=0 is not allowed" in rows[0]["error"]
    assert (sweep / "0" / ".hydra" / "overrides.yaml").exists() and rows[1]["status"] == "ok"


# benchbox.run() (the Python twin) reports Hydra's findings as a SpecError too.


def test_python_run_reports_a_broken_yaml_file_as_a_spec_error(tmp_path: Path) -> None:
    from benchbox import api
    from benchbox.errors import SpecError

    (tmp_path / "experiment").mkdir()
    (tmp_path / "experiment" / "bad.yaml").write_text("# @package _global_\nmode: [1\n")
    with contextlib.chdir(tmp_path), pytest.raises(SpecError, match=r"bad\.yaml is not valid YAML"):
        api.spec_for(["experiment=bad", "mode=dry_run"], config_dir=tmp_path)
