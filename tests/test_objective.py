"""``objective``: what a job returns to an optimising sweeper, through the real command, with Hydra's
optuna sweeper; the outcome still reaches the sweep summary (``exit_codes.OUTCOMES``)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from benchbox import api

FAST = ("benchmark.scale_factor=0.01", "benchmark.queries=[1,6]", "mode.warmups=0", "mode.iterations=1")
FAST += ("progress=false",)

CAPTURE = '''
import json
from pathlib import Path

from hydra.experimental.callback import Callback


class Capture(Callback):
    """Writes what the task function returned into the job's folder."""

    def on_job_end(self, config, job_return, **kwargs):
        folder = Path(job_return.hydra_cfg.hydra.runtime.output_dir)
        (folder / "returned.json").write_text(json.dumps(job_return._return_value))
'''


@pytest.fixture
def returned(benchbox, tmp_path: Path):
    """Run the command with a Hydra callback that records the task function's return value; give
    (the finished command, that value, the run's result.json or None)."""
    (tmp_path / "capture_callback.py").write_text(CAPTURE)

    def run(*args: str):
        folder = tmp_path / "run"
        done = benchbox(
            *args,
            f"hydra.run.dir={folder}",
            "+hydra.callbacks.capture._target_=capture_callback.Capture",
            env={"PYTHONPATH": str(tmp_path)},
        )
        value = json.loads((folder / "returned.json").read_text())
        record = (
            json.loads((folder / "result.json").read_text()) if (folder / "result.json").exists() else None
        )
        return done, value, record

    return run


@pytest.mark.e2e
def test_without_an_objective_the_job_returns_its_outcome(returned) -> None:
    done, value, record = returned(*FAST)
    assert done.code == 0, done.stderr
    assert value == {"exit_code": 0, "error": None}
    assert record["spec"]["objective"] is None


@pytest.mark.e2e
@pytest.mark.parametrize("objective", ["geomean_ms", "total_ms"])
def test_with_an_objective_the_job_returns_that_total(returned, objective: str) -> None:
    done, value, record = returned(*FAST, f"objective={objective}")
    assert done.code == 0, done.stderr
    assert isinstance(value, float) and value == record["summary"]["totals"][objective] > 0


@pytest.mark.e2e
def test_a_benchmark_figure_is_an_objective_by_its_place_in_the_summary(returned) -> None:
    done, value, record = returned(
        "mode=tpc", "benchmark.scale_factor=0.01", "progress=false", "objective=tpc.qphh_at_size"
    )
    assert done.code == 0, done.stderr
    assert record["summary"]["tpc"]["problems"] == []
    assert value == record["summary"]["tpc"]["qphh_at_size"] > 0


@pytest.mark.e2e
def test_a_figure_the_run_does_not_have_is_a_user_error_after_the_run(returned) -> None:
    done, value, record = returned(*FAST, "objective=tpc.qphh_at_size")  # mode=power has no tpc figures
    assert done.code == 2 and value is None
    assert record["status"] == "ok", "the run itself went fine"
    assert "objective=tpc.qphh_at_size is not in this run's summary" in done.stderr
    figures = done.stderr.partition("Its figures: ")[2]
    assert "geomean_ms" in figures and "total_ms" in figures


@pytest.mark.e2e
def test_a_run_that_did_not_end_ok_returns_no_number(returned) -> None:
    done, value, record = returned(*FAST, "objective=geomean_ms", "benchmark.scale_factor=-1")
    assert done.code == 2 and value is None and record is None
    assert "benchmark.scale_factor=-1 is not allowed" in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("objective=geomaen_ms",),
            "objective='geomaen_ms' is not allowed (did you mean 'geomean_ms'?): use null, geomean_ms or "
            "total_ms (the run's totals), or a figure of the benchmark's by its place in result.json's "
            "summary, <section>.<name>",
        ),
        (("objective=queries.Q1.median_ms",), "neither a total nor a benchmark's <section>.<name>"),
        (
            ("objective=geomean_ms", "mode=dry_run"),
            "objective=geomean_ms is a figure of timed executions, and mode=dry_run times none",
        ),
    ],
)
def test_a_bad_objective_is_refused_before_anything_runs(
    benchbox, tmp_path: Path, args, message: str
) -> None:
    done = benchbox(*FAST[:2], *args)
    assert done.code == 2
    assert done.stderr.startswith("benchbox: error: ") and message in done.stderr
    assert not list(tmp_path.glob("outputs/*/*/result.json"))


def test_the_objective_is_not_part_of_the_spec_hash(tmp_path: Path) -> None:
    plain = api.spec_for(list(FAST), output_dir=tmp_path)
    aimed = api.spec_for([*FAST, "objective=total_ms"], output_dir=tmp_path)
    assert aimed.objective == "total_ms" and plain.objective is None
    assert aimed.spec_hash == plain.spec_hash


def _jobs(sweep: Path) -> dict[int, dict]:
    return {int(p.parent.name): json.loads(p.read_text()) for p in sweep.glob("*/result.json")}


@pytest.mark.e2e
def test_the_optuna_sweeper_minimises_the_objective(benchbox, tmp_path: Path) -> None:
    pytest.importorskip("hydra_plugins.hydra_optuna_sweeper")
    sweep = tmp_path / "sweep"
    done = benchbox(
        "-m",
        "hydra/sweeper=optuna",
        "hydra.sweeper.n_trials=3",
        "platform.threads=choice(1,2)",
        "objective=geomean_ms",
        *FAST,
        f"hydra.sweep.dir={sweep}",
    )
    assert done.code == 0, done.stdout + done.stderr
    results = yaml.safe_load((sweep / "optimization_results.yaml").read_text())
    assert results["best_params"]["platform.threads"] in {1, 2}
    jobs = _jobs(sweep)
    assert sorted(jobs) == [0, 1, 2]
    geomeans = {job: record["summary"]["totals"]["geomean_ms"] for job, record in jobs.items()}
    best = [job for job, value in geomeans.items() if value == results["best_value"]]
    assert best, f"best_value {results['best_value']} is no job's geomean_ms {geomeans}"
    assert results["best_value"] == min(geomeans.values())
    assert jobs[best[0]]["spec"]["platform"]["threads"] == results["best_params"]["platform.threads"]
    rows = pq.read_table(sweep / "summary.parquet").to_pylist()
    assert [(r["job"], r["status"], r["exit_code"]) for r in rows] == [
        (0, "ok", 0),
        (1, "ok", 0),
        (2, "ok", 0),
    ]


@pytest.mark.e2e
def test_a_failed_trial_is_recorded_and_the_sweep_goes_on(benchbox, tmp_path: Path) -> None:
    """A run that fails returns None: optuna records a failed trial and samples on. (A NaN would end
    the sweep: optuna 2.10 refuses it in ``tell`` and the sweeper's fallback then raises.)"""
    pytest.importorskip("hydra_plugins.hydra_optuna_sweeper")
    sweep = tmp_path / "sweep"
    done = benchbox(
        "-m",
        "hydra/sweeper=optuna",
        "hydra.sweeper.n_trials=4",
        "hydra.sweeper.sampler.seed=1",  # draws both values in 4 trials
        "benchmark.scale_factor=choice(0.01,-1)",
        "objective=geomean_ms",
        *FAST[1:],
        f"hydra.sweep.dir={sweep}",
    )
    assert done.code == 2, done.stdout + done.stderr  # the highest job exit code: the invalid ones
    assert "Failed experiment: Return value must be float-castable. Got 'None'." in done.stdout + done.stderr
    rows = pq.read_table(sweep / "summary.parquet").to_pylist()
    assert len(rows) == 4
    invalid = [r for r in rows if r["status"] == "invalid"]
    ok = [r for r in rows if r["status"] == "ok"]
    assert invalid and ok and len(invalid) + len(ok) == 4
    assert all(r["exit_code"] == 2 and "scale_factor=-1 is not allowed" in r["error"] for r in invalid)
    results = yaml.safe_load((sweep / "optimization_results.yaml").read_text())
    assert results["best_params"] == {"benchmark.scale_factor": 0.01}
    assert results["best_value"] == min(r["geomean_ms"] for r in ok)
