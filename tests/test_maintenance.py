"""mode=maintenance through the real command: RF1/RF2 pairs as timed transactions, checked by
the row counts they leave, on refresh sets cached next to the data; and the phase itself, where
Ctrl-C must end it (through the command: tests/test_faults.py)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from benchbox.benchmarks.base import MaintenanceOp
from benchbox.benchmarks.tpch.refresh import LAYOUT
from benchbox.engine import phases

FAST = ("benchmark.scale_factor=0.01", "progress=false")


@pytest.mark.e2e
@pytest.mark.parametrize("platform", ["duckdb", "sqlite"])
def test_refresh_pairs_change_and_restore_the_order_count(benchbox, data_dir, platform: str) -> None:
    done = benchbox("mode=maintenance", "mode.pairs=2", f"platform={platform}", *FAST)
    assert done.code == 0, done.stdout + done.stderr
    record = done.result()
    rows = record["executions"]
    assert [(r["query_id"], r["iteration"]) for r in rows] == [("RF1", 1), ("RF2", 1), ("RF1", 2), ("RF2", 2)]
    assert all(r["status"] == "ok" and r["validation"] == "ok" and r["rows"] == 15 for r in rows)
    assert all(r["duration_ms"] > 0 and r["offset_ms"] > 0 for r in rows)
    (phase,) = [p for p in record["phases"] if p["name"] == "maintenance"]
    orders = [c["orders"] for c in phase["details"]["counts"]]
    assert orders == [15000, 15015, 15000, 15015, 15000], "RF1 adds SF x 1500 orders, RF2 removes as many"
    lineitem = [c["lineitem"] for c in phase["details"]["counts"]]
    assert lineitem[0] == 60175 and lineitem[1] > lineitem[0]
    sets = {p.name for p in data_dir.glob(f"tpch/sf0.01/refresh/v{LAYOUT}/seed0/set*") if p.is_dir()}
    assert {"set1", "set2"} <= sets, "refresh sets are cached next to the data"  # other tests add more
    assert all(
        (data_dir / f"tpch/sf0.01/refresh/v{LAYOUT}/seed0/set1/{f}.parquet").exists()
        for f in ("orders", "lineitem", "delete")
    )
    assert record["summary"]["queries"]["RF1"]["median_ms"] > 0


@pytest.mark.e2e
def test_the_cached_base_data_is_untouched_and_the_next_run_starts_from_it(benchbox, tmp_path) -> None:
    folders = [tmp_path / "first", tmp_path / "second"]
    for folder in folders:
        folder.mkdir()
    first = benchbox("mode=maintenance", *FAST, cwd=folders[0])
    second = benchbox("mode=maintenance", *FAST, cwd=folders[1])
    assert (first.code, second.code) == (0, 0), second.stderr
    for run in (first, second):
        counts = run.result()["phases"][-1]["details"]["counts"]
        assert counts[0] == {"orders": 15000, "lineitem": 60175}
        assert counts[-1]["orders"] == 15000


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("platform", "why"), [("datafusion", "has no transactions"), ("polars", "has no transactions")]
)
def test_platforms_without_refresh_functions_are_refused_up_front(benchbox, platform: str, why: str) -> None:
    done = benchbox("mode=maintenance", f"platform={platform}", *FAST)
    assert done.code == 2 and why in done.stderr and "Traceback" not in done.stderr


@pytest.mark.e2e
@pytest.mark.parametrize(("platform", "file"), [("duckdb", "tpch.duckdb"), ("sqlite", "tpch.sqlite")])
def test_a_file_database_is_reloaded_before_the_next_run(
    benchbox, tmp_path, platform: str, file: str
) -> None:
    database = tmp_path / file
    runs = []
    for name in ("first", "second"):
        folder = tmp_path / name
        folder.mkdir()
        args = ("mode=maintenance", f"platform={platform}", f"platform.database={database}", *FAST)
        runs.append(benchbox(*args, cwd=folder))
    assert [r.code for r in runs] == [0, 0], runs[-1].stderr
    for run in runs:  # the second run starts from the base data again, not from the first run's changes
        assert run.result()["phases"][-1]["details"]["counts"][0] == {"orders": 15000, "lineitem": 60175}


class _InterruptedAdapter:
    """Runs every maintenance function, except that Ctrl-C comes during the first one."""

    def __init__(self) -> None:
        self.ran: list[str] = []

    def translate(self, sql: str, read: str) -> str:
        return sql

    def server_pid(self) -> None:
        return None

    def run_transaction(self, statements, staged) -> None:
        self.ran.append(statements[0])
        if len(self.ran) == 1:
            raise KeyboardInterrupt


class _Refreshes:
    """RF1 and RF2 of every refresh run, with no counts to read."""

    dialect = "duckdb"

    def counts(self) -> None:
        return None

    def maintenance_ops(self, dataset: object, run: int) -> list[MaintenanceOp]:
        return [MaintenanceOp(name, run, (f"-- {name} of run {run}",)) for name in ("RF1", "RF2")]


def test_ctrl_c_during_a_refresh_function_ends_the_phase_there() -> None:
    """timed() turns the KeyboardInterrupt into the function's ``interrupted`` row; the phase must
    then stop, as the power phase does, not go on with the next function."""
    adapter, executions = _InterruptedAdapter(), []
    result = SimpleNamespace(spec=SimpleNamespace(mode=SimpleNamespace(pairs=2)), executions=executions)
    progress = SimpleNamespace(query_finished=lambda execution: None)
    state = SimpleNamespace(
        result=result, benchmark=_Refreshes(), adapter=adapter, progress=progress, dataset=None, origin_ns=0
    )
    with pytest.raises(KeyboardInterrupt):
        phases.maintenance(state)  # type: ignore[arg-type]
    assert [(e.query_id, e.iteration, e.status, e.error) for e in executions] == [
        ("RF1", 1, "interrupted", "interrupted by signal")
    ]
    assert adapter.ran == ["-- RF1 of run 1"], "no refresh function ran after the interrupted one"
