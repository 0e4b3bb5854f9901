"""engine.run: failures are wrapped once, named by phase, and still enriched and exported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchbox import engine
from benchbox.platforms import duckdb as duckdb_platform
from benchbox.spec import RunContext, RunSpec


def _spec(tmp_path: Path, data_dir: Path, mode: str = "load_only") -> RunSpec:
    return RunSpec.model_validate(
        {
            "platform": {"name": "duckdb"},
            "benchmark": {"name": "tpch", "scale_factor": 0.01, "queries": [6]},
            "mode": {"name": mode},
            "validation": {"reference": "duckdb" if mode == "tpc" else "answers"},
            "data_dir": data_dir,
            "progress": False,
            "reuse_warm_process": True,  # unit tests run the engine many times in one process
            "context": RunContext(output_dir=tmp_path / "out"),
        }
    )


def test_a_missing_driver_is_a_user_error_naming_the_extra(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        duckdb_platform.Adapter, "connect", lambda self: self.import_driver("no_such_driver_pkg")
    )
    result = engine.run(_spec(tmp_path, data_dir))
    assert result.exit_code == 2 and result.status == "failed"
    assert "pip install 'benchbox[duckdb]'" in result.error
    record = json.loads((tmp_path / "out" / "result.json").read_text())
    load = record["phases"][-1]
    assert (load["name"], load["status"]) == ("load", "failed") and "no_such_driver_pkg" in load["error"]
    assert record["metadata"]["benchbox_version"], "enrichment ran on the failed run too"


def test_a_bug_in_a_phase_is_recorded_not_lost(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(state: object) -> dict:
        raise ValueError("boom")

    monkeypatch.setitem(engine._PHASE_FUNCTIONS, "generate", broken)
    result = engine.run(_spec(tmp_path, data_dir))
    assert (result.status, result.exit_code) == ("failed", 1)
    assert result.error == "phase 'generate' failed: boom"
    assert json.loads((tmp_path / "out" / "result.json").read_text())["status"] == "failed"


@pytest.mark.parametrize(("mode", "phases"), list(engine.PHASES.items()))
def test_every_mode_is_the_same_path_with_fewer_phases(
    tmp_path: Path, data_dir: Path, mode: str, phases: tuple
) -> None:
    spec = _spec(tmp_path, data_dir, mode)
    result = engine.run(spec)
    assert result.status == "ok", result.error
    assert tuple(p.name for p in result.phases) == phases
    shared = ("plan", "generate", "load")  # every mode walks the same path, stopping early ...
    assert phases[:3] == shared[: len(phases[:3])]
    assert phases[3:] in (
        (),
        ("power", "validate"),
        ("throughput", "validate"),
        ("maintenance",),
        ("power_test", "throughput_test", "validate"),
    )
    assert (tmp_path / "out" / "result.json").exists()
