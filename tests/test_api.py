"""``benchbox.run`` and ``benchbox.load``: the command's path from Python, in plain scripts, piped
scripts and notebook-like code, the fresh process of a second run, and the docs' examples."""

from __future__ import annotations

import json
import os
import re
import shlex
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyarrow as pa
import pytest
from omegaconf import OmegaConf

import benchbox
from benchbox import api
from benchbox.engine import isolation
from benchbox.errors import SpecError
from benchbox.report.runs import ReportError

ROOT = Path(__file__).resolve().parent.parent
BENCHBOX = str(Path(sys.executable).parent / "benchbox")
FAST = ["benchmark.scale_factor=0.01", "benchmark.queries=[1,6]", "mode.warmups=0", "mode.iterations=1"]
FAST += ["progress=false"]

SCRIPT = f"""
import json
import benchbox

print("TOP-LEVEL CODE RAN", flush=True)
fast = {FAST!r}
first = benchbox.run(fast)
second = benchbox.run(["platform=sqlite", *fast])
for result in (first, second):
    totals = result.summary["totals"]
    print("RESULT", json.dumps([result.status, result.exit_code, totals["validated"],
                                str(result.spec.context.output_dir)]), flush=True)
"""
"""Two runs and no ``if __name__ == "__main__":`` guard: the second run's fresh process must not
run this code again."""

LAUNCHES = {
    "script": lambda path: [sys.executable, str(path)],
    "stdin": lambda path: [sys.executable, "-"],
    "no_file": lambda path: [
        sys.executable,
        "-c",
        f"exec(compile(open({str(path)!r}).read(), '<cell>', 'exec'), {{'__name__': '__main__'}})",
    ],
}
"""``python script.py``, ``python - < script.py``, and code exec'd without ``__file__`` (a notebook cell)."""


def _python(
    command: list[str], cwd: Path, data_dir: Path, stdin: str | None = None
) -> subprocess.CompletedProcess:
    env = {**os.environ, "BENCHBOX_DATA_DIR": str(data_dir)}
    return subprocess.run(
        command, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=600, check=False
    )


@pytest.mark.e2e
@pytest.mark.parametrize("launch", sorted(LAUNCHES))
def test_a_script_without_a_main_guard_runs_twice(tmp_path: Path, data_dir: Path, launch: str) -> None:
    script = tmp_path / "bench.py"
    script.write_text(SCRIPT)
    done = _python(LAUNCHES[launch](script), tmp_path, data_dir, SCRIPT if launch == "stdin" else None)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("TOP-LEVEL CODE RAN") == 1, done.stdout
    results = [
        json.loads(line.removeprefix("RESULT ")) for line in done.stdout.splitlines() if line[:6] == "RESULT"
    ]
    assert [r[:3] for r in results] == [["ok", 0, 2], ["ok", 0, 2]]
    folders = [Path(r[3]) for r in results]
    assert folders[0] != folders[1]
    for folder in folders:
        assert re.fullmatch(
            r"\d{4}-\d\d-\d\d/\d\d-\d\d-\d\d(-\d+)?", folder.relative_to(tmp_path / "outputs").as_posix()
        )
    records = [json.loads((folder / "result.json").read_text()) for folder in folders]
    assert [r["spec"]["platform"]["name"] for r in records] == ["duckdb", "sqlite"]
    assert [r["metadata"]["process_runs_before"] for r in records] == [0, 0], (
        "the second ran in a fresh process"
    )
    assert "sqlite (power): ok" in done.stdout, "the fresh process prints its summary to the same stdout"


def _spec(tmp_path: Path) -> object:
    return api.spec_for(FAST, output_dir=tmp_path / "out")


def _helper(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A module only this process's ``sys.path`` can import: the fresh process must find it too."""
    folder = tmp_path / "helpers"
    folder.mkdir()
    (folder / "isolation_helper.py").write_text(
        textwrap.dedent(
            """
            import os, signal, sys

            def where(spec):
                return (str(spec.context.output_dir), os.getpid(), sys.path)

            def die(spec):
                os.kill(os.getpid(), signal.SIGKILL)

            def crash(spec):
                raise RuntimeError("a bug in the child")
            """
        )
    )
    monkeypatch.syspath_prepend(str(folder))


def test_the_fresh_process_has_this_process_sys_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _helper(tmp_path, monkeypatch)
    import isolation_helper

    output_dir, pid, path = isolation.in_fresh_process(isolation_helper.where, _spec(tmp_path))
    assert output_dir == str(tmp_path / "out") and pid != os.getpid()
    assert path == sys.path


@pytest.mark.parametrize(
    ("function", "ending"), [("die", "was killed by signal SIGKILL"), ("crash", "exited with status 1")]
)
def test_a_fresh_process_that_dies_without_a_result_is_a_benchbox_error(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    function: str,
    ending: str,
) -> None:
    _helper(tmp_path, monkeypatch)
    import isolation_helper

    with pytest.raises(isolation.FreshProcessError) as raised:
        isolation.in_fresh_process(getattr(isolation_helper, function), _spec(tmp_path))
    message = str(raised.value)
    assert "fresh process (pid " in message and ending in message
    assert "reuse_warm_process=true" in message and raised.value.exit_code == 1
    assert "pickle" not in message.lower()
    if function == "crash":
        assert "RuntimeError: a bug in the child" in capfd.readouterr().err, (
            "the child's own traceback is shown"
        )


@pytest.mark.e2e
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_to_the_group_ends_the_fresh_process_run_with_a_partial_result(
    tmp_path: Path, data_dir: Path, sig: signal.Signals
) -> None:
    """Job 1 of a sweep runs in a fresh process: Ctrl-C (SIGINT to the process group) or a SIGTERM to
    the group reaches it, and the parent, which survives both, still collects its partial result."""
    sweep = tmp_path / "sweep"
    command = [BENCHBOX, "-m", "platform=sqlite", "benchmark.scale_factor=0.01", "mode.iterations=1,200"]
    command += ["mode.warmups=0", "progress=true", f"hydra.sweep.dir={sweep}"]
    env = {**os.environ, "BENCHBOX_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(
        command,
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: the signal reaches benchbox and its child only
    )
    log = sweep / "1" / "benchbox.log"  # written by the fresh process, through the mirrored handler
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and "phase power" not in (log.read_text() if log.exists() else ""):
        time.sleep(0.2)
    os.killpg(process.pid, sig)
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 130, output
    record = json.loads((sweep / "1" / "result.json").read_text())
    assert (record["status"], record["partial"]) == ("interrupted", True)
    assert record["metadata"]["process_runs_before"] == 0, "it ran in the fresh process"
    assert any(p["status"] == "interrupted" for p in record["phases"])


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (["platform=duckbd"], "platform=duckbd does not exist: did you mean platform=duckdb?"),
        (
            ["mode.iteratons=3"],
            "mode.iteratons is not a known key with mode=power: did you mean mode.iterations?",
        ),
        (
            ["mode.iterations=0"],
            "mode.iterations=0 is not allowed (Input should be greater than or equal to 1)",
        ),
        (["experiment=sqlite_baseline", "platform.threads=4"], "Could not override 'platform.threads'"),
        (["-m", "platform=duckdb,sqlite"], "-m is a command-line flag, not an override"),
        (["platform=duckdb,sqlite"], "platform=duckdb,sqlite is a sweep, and run() makes one run"),
        ("platform=sqlite", "overrides must be a list of strings"),
        (["objective=geomaen_ms"], "objective='geomaen_ms' is not allowed (did you mean 'geomean_ms'?)"),
    ],
)
def test_a_mistake_raises_spec_error_and_runs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, overrides: object, expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SpecError) as raised:
        benchbox.run(overrides)  # type: ignore[arg-type]
    assert expected in str(raised.value)
    assert "\n" not in str(raised.value), "one paragraph"
    assert not list(tmp_path.iterdir()), "nothing was written"


def test_your_config_dir_is_searched_before_the_shipped_one(tmp_path: Path) -> None:
    bench = tmp_path / "bench"
    (bench / "experiment").mkdir(parents=True)
    (bench / "experiment" / "quick.yaml").write_text(  # the same name as a shipped experiment
        "# @package _global_\ndefaults:\n  - override /platform: sqlite\nbenchmark:\n  queries: [6]\n"
    )
    spec = api.spec_for(["experiment=quick", "mode.warmups=2"], config_dir=bench, output_dir=tmp_path / "o")
    assert (spec.platform.name, spec.benchmark.queries, spec.mode.warmups) == ("sqlite", (6,), 2)
    assert spec.context.config_dirs[0] == str(bench) and spec.context.experiment == "quick"
    assert spec.context.overrides == ("experiment=quick", "mode.warmups=2")
    assert spec.context.output_dir == tmp_path / "o"
    shipped = api.spec_for(["experiment=quick"], output_dir=tmp_path / "o")
    assert shipped.platform.name == "duckdb" and shipped.benchmark.queries == (1, 6, 14, 19)


def test_the_default_run_folder_never_reuses_an_existing_one(tmp_path: Path) -> None:
    base = tmp_path / "outputs" / "2026-01-01" / "10-00-00"
    hydra = OmegaConf.create({"run": {"dir": str(base)}, "overrides": {"hydra": []}})
    assert api._run_folder(hydra) == base
    base.mkdir(parents=True)
    (base.parent / "10-00-00-1").mkdir()
    assert api._run_folder(hydra) == base.parent / "10-00-00-2"
    chosen = OmegaConf.create({"run": {"dir": str(base)}, "overrides": {"hydra": [f"hydra.run.dir={base}"]}})
    assert api._run_folder(chosen) == base, "a folder you name is yours"


def test_run_and_load_are_lazy_names_of_the_package() -> None:
    assert benchbox.run is api.run and benchbox.load is api.load
    assert {"run", "load"} <= set(dir(benchbox))
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        benchbox.nothing  # noqa: B018
    code = "import sys, benchbox; benchbox.__version__; print(' '.join(sorted(sys.modules)))"
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert not loaded & {"benchbox.api", "pydantic", "pyarrow", "hydra", "duckdb"}


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Path:
    """A finished two-job sweep (duckdb, sqlite), made by the real command."""
    folder = tmp_path_factory.mktemp("sweep")
    command = [
        BENCHBOX,
        "-m",
        "platform=duckdb,sqlite",
        *FAST,
        "mode.iterations=2",
        f"hydra.sweep.dir={folder}",
    ]
    done = _python(command, folder.parent, data_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    return folder


@pytest.mark.e2e
def test_load_a_sweep_as_one_arrow_table(sweep: Path) -> None:
    table = benchbox.load(sweep)
    assert isinstance(table, pa.Table) and table.num_rows == 2 * 2 * 2  # jobs x queries x iterations
    rows = table.select(["job", "platform", "query_id", "duration_ms"]).to_pylist()
    assert sorted({(r["job"], r["platform"]) for r in rows}) == [(0, "duckdb"), (1, "sqlite")]
    assert {r["query_id"] for r in rows} == {"Q1", "Q6"} and all(r["duration_ms"] > 0 for r in rows)
    again = benchbox.load(sweep / "0", sweep / "1" / "result.json")
    assert again.num_rows == table.num_rows
    assert set(again.column("run_id").to_pylist()) == set(table.column("run_id").to_pylist())


@pytest.mark.e2e
def test_load_as_pandas_and_polars(sweep: Path) -> None:
    pytest.importorskip("pandas")
    frame = benchbox.load(sweep, format="pandas")
    medians = frame.groupby(["platform", "query_id"]).duration_ms.median().to_dict()
    for job, platform in ((0, "duckdb"), (1, "sqlite")):
        summary = json.loads((sweep / str(job) / "result.json").read_text())["summary"]["queries"]
        for query in ("Q1", "Q6"):
            assert medians[(platform, query)] == pytest.approx(summary[query]["median_ms"])
    polars = pytest.importorskip("polars")
    polars_frame = benchbox.load(sweep, format="polars")
    assert isinstance(polars_frame, polars.DataFrame) and polars_frame.shape == frame.shape


def test_load_names_what_is_wrong(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ReportError, match="does not exist"):
        benchbox.load(tmp_path / "nowhere")
    with pytest.raises(ReportError, match=r"holds no result\.json"):
        benchbox.load(tmp_path)
    with pytest.raises(ReportError, match="needs a path"):
        benchbox.load()
    with pytest.raises(ReportError, match="format='excel' is not known: use one of arrow, pandas, polars"):
        benchbox.load(tmp_path, format="excel")  # type: ignore[arg-type]
    record = {"spec": {"platform": {"name": "duckdb"}}, "executions": []}
    (tmp_path / "result.json").write_text(json.dumps(record))
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if it were not installed
    with pytest.raises(ImportError, match=r"needs pandas: pip install pandas"):
        benchbox.load(tmp_path, format="pandas")


def _blocks(markdown: str) -> list[tuple[str, str]]:
    return re.findall(r"^```(python|bash)\n(.*?)^```", markdown, flags=re.MULTILINE | re.DOTALL)


@pytest.mark.e2e
def test_the_python_docs_run_as_written(tmp_path: Path, data_dir: Path) -> None:
    """docs/python.md's python blocks run in order in one interpreter, and its ``benchbox`` command
    lines between them, in a fresh folder: the docs stay true."""
    blocks = _blocks((ROOT / "docs" / "python.md").read_text())
    assert sum(kind == "python" for kind, _ in blocks) >= 4
    steps = []
    for kind, code in blocks:
        if kind == "python":
            steps.append(("python", code))
        else:
            steps += [
                ("command", [BENCHBOX, *shlex.split(line)[1:]])
                for line in code.splitlines()
                if line[:9] == "benchbox "
            ]
    driver = tmp_path / "docs_driver.py"
    driver.write_text(
        "import subprocess\nnamespace = {'__name__': '__main__'}\n"
        + "".join(
            f"exec(compile({code!r}, 'docs/python.md', 'exec'), namespace)\n"
            if kind == "python"
            else f"subprocess.run({code!r}, check=True)\n"
            for kind, code in steps
        )
        + "print('DOCS OK')\n"
    )
    done = _python([sys.executable, str(driver)], tmp_path, data_dir)
    assert done.returncode == 0 and "DOCS OK" in done.stdout, done.stdout[-4000:] + done.stderr[-4000:]
