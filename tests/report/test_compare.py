"""``benchbox compare`` through the real command: real runs, synthetic regressions, sweeps, bad input."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

FAST = ("benchmark.scale_factor=0.01", "benchmark.queries=[1,6,14]", "mode.warmups=0", "progress=false")


def _run(benchbox, folder: Path, *args: str) -> Path:
    done = benchbox(*FAST, *args, f"hydra.run.dir={folder}", cwd=folder.parent)
    assert done.code == 0, done.stdout + done.stderr
    return folder


@pytest.fixture
def pair(benchbox, tmp_path: Path) -> tuple[Path, Path]:
    return _run(benchbox, tmp_path / "duckdb", "mode.iterations=5"), _run(
        benchbox, tmp_path / "sqlite", "mode.iterations=5", "platform=sqlite"
    )


def _synthetic(source: Path, target: Path, factor: dict[str, float], seed: int) -> Path:
    """A copy of a real run whose measured durations are redrawn: 5 log-normal timings per query
    around 10 ms (x the query's factor), 3% noise."""
    record = json.loads((source / "result.json").read_text())
    rng = random.Random(seed)
    for execution in record["executions"]:
        if not execution["warmup"]:
            execution["duration_ms"] = (
                10 * factor.get(execution["query_id"], 1.0) * rng.lognormvariate(0, 0.03)
            )
    target.mkdir()
    (target / "result.json").write_text(json.dumps(record))
    return target


@pytest.mark.e2e
def test_two_platforms_compare_end_to_end(benchbox, pair: tuple[Path, Path]) -> None:
    duckdb, sqlite = pair
    done = benchbox("compare", str(duckdb), str(sqlite), "--format", "json")
    assert done.code == 0, done.stderr
    (result,) = json.loads(done.stdout)["pairs"]
    assert [q["query_id"] for q in result["queries"]] == ["Q1", "Q6", "Q14"]
    assert all(q["baseline_n"] == 5 and q["candidate_n"] == 5 for q in result["queries"])
    assert all(q["verdict"] in ("faster", "slower", "unchanged", "inconclusive") for q in result["queries"])
    q1 = result["queries"][0]
    assert q1["low"] <= q1["ratio"] <= q1["high"] and q1["confidence"] >= 0.95
    assert {d["what"] for d in result["differences"]} >= {"platform"} and not result["blocking"]
    table = benchbox("compare", str(duckdb), str(sqlite))
    assert table.code == 0 and "geomean" in table.stdout and "what differs" in table.stdout
    markdown = benchbox("compare", str(duckdb), str(sqlite), "--format", "markdown")
    assert "| query | baseline ms | candidate ms | n | ratio | interval | verdict |" in markdown.stdout
    assert "| platform | duckdb | sqlite |" in markdown.stdout


@pytest.mark.e2e
def test_the_gate_fails_on_a_real_slowdown_and_passes_on_noise(benchbox, pair, tmp_path: Path) -> None:
    duckdb, _ = pair
    base = _synthetic(duckdb, tmp_path / "base", {}, seed=1)
    slow = _synthetic(duckdb, tmp_path / "slow", {"Q6": 1.25}, seed=2)
    noise = _synthetic(duckdb, tmp_path / "noise", {}, seed=3)
    gated = benchbox("compare", str(base), str(slow), "--fail-on-regression", "10%")
    assert gated.code == 1, gated.stdout + gated.stderr
    assert "REGRESSION: Q6 slower by 10% or more at 95% confidence" in gated.stdout
    assert benchbox("compare", str(base), str(noise), "--fail-on-regression", "10%").code == 0
    # Q6 alone is slower by 25%: the geomean of three queries by ~7.7%, under a 10% gate
    assert (
        benchbox("compare", str(base), str(slow), "--fail-on-regression", "10%", "--gate", "geomean").code
        == 0
    )
    assert (
        benchbox("compare", str(base), str(slow), "--fail-on-regression", "5%", "--gate", "geomean").code == 1
    )


@pytest.mark.e2e
def test_runs_on_different_data_are_refused_unless_asked(benchbox, pair, tmp_path: Path) -> None:
    duckdb, _ = pair
    other = _run(benchbox, tmp_path / "other", "mode.iterations=5", "benchmark.scale_factor=0.02")
    refused = benchbox("compare", str(duckdb), str(other))
    assert refused.code == 2 and "Traceback" not in refused.stderr
    assert "differ in data fingerprint" in refused.stderr and "--allow-different" in refused.stderr
    assert "data: SF 0.01 | SF 0.02" in refused.stderr, "the table of what differs comes first"
    assert refused.stdout == ""
    assert benchbox("compare", str(duckdb), str(other), "--allow-different").code == 0


@pytest.mark.e2e
def test_sweeps_pair_their_jobs(benchbox, tmp_path: Path) -> None:
    sweeps = []
    for name in ("before", "after"):
        sweep = tmp_path / name
        done = benchbox(
            "-m", "platform=duckdb,sqlite", "mode.iterations=3", *FAST, f"hydra.sweep.dir={sweep}"
        )
        assert done.code == 0, done.stderr
        sweeps.append(sweep)
    done = benchbox("compare", *map(str, sweeps), "--format", "json", "--confidence", "90%")
    assert done.code == 0, done.stderr
    pairs = json.loads(done.stdout)["pairs"]
    assert sorted(Path(p["baseline"]).parent.name for p in pairs) == ["0", "1"]
    assert all(Path(p["baseline"]).parent.name == Path(p["candidate"]).parent.name for p in pairs)
    by = benchbox("compare", *map(str, sweeps), "--by", "platform", "--format", "json")
    assert by.code == 0 and len(json.loads(by.stdout)["pairs"]) == 2


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no/such/run", "no/such/run"], "does not exist"),
        (["EMPTY", "EMPTY"], "holds no result.json"),
        (["NOTJSON", "NOTJSON"], "is not a readable run record"),
        (["EMPTY"], "the following arguments are required: candidate"),
        (["EMPTY", "EMPTY", "--fail-on-regression", "lots"], "'lots' is not a fraction"),
        (["EMPTY", "EMPTY", "--confidence", "20%"], "use a confidence from 50% to 99.9%"),
    ],
)
def test_unusable_input_exits_2_with_a_message(
    benchbox, tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "notjson").mkdir()
    (tmp_path / "notjson" / "result.json").write_text("{not json")
    paths = {"EMPTY": str(tmp_path / "empty"), "NOTJSON": str(tmp_path / "notjson")}
    done = benchbox("compare", *(paths.get(a, a) for a in args))
    assert done.code == 2 and message in done.stderr and "Traceback" not in done.stderr


def test_help_names_the_command(benchbox) -> None:
    done = benchbox("compare", "--help")
    assert done.code == 0 and "--fail-on-regression" in done.stdout
    assert "benchbox compare BASELINE CANDIDATE" in benchbox("--help").stdout
