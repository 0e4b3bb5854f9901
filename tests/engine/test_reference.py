"""validation.reference: a reference platform computes expected answers, cached next to the data."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchbox import engine
from benchbox.errors import SpecError
from benchbox.platforms import sqlite
from benchbox.spec import RunContext, RunSpec


def _spec(tmp_path: Path, data_dir: Path, **benchmark: object) -> RunSpec:
    return RunSpec.model_validate(
        {
            "platform": {"name": "sqlite"},
            "benchmark": {"name": "tpch", "scale_factor": 0.01, **benchmark},
            "mode": {"name": "power", "warmups": 0, "iterations": 1},
            "validation": {"reference": "duckdb"},
            "data_dir": data_dir,
            "progress": False,
            "reuse_warm_process": True,  # unit tests run the engine many times in one process
            "context": RunContext(output_dir=tmp_path / "out"),
        }
    )


def test_seeded_parameters_are_validated_and_cached(tmp_path: Path, data_dir: Path) -> None:
    first = engine.run(_spec(tmp_path, data_dir, parameters="seeded", seed=11))
    assert first.summary["totals"]["validated"] == 22, [e.validation_detail for e in first.executions]
    assert {e.validation_source for e in first.executions} == {"duckdb"}
    validate = first.phases[-1].details
    assert validate["computed"] + validate["cached"] == 22
    again = engine.run(_spec(tmp_path, data_dir, parameters="seeded", seed=11))
    assert again.phases[-1].details["cached"] == 22 and again.phases[-1].details["computed"] == 0
    assert again.summary["totals"]["validated"] == 22


def test_a_wrong_answer_is_caught_by_the_reference(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without exact decimal folding SQLite's Q6 drops the rows at the upper discount bound.
    without = tuple(t for t in sqlite.Adapter.transforms if t is not sqlite.fold_decimal_arithmetic)
    monkeypatch.setattr(sqlite.Adapter, "transforms", without)
    result = engine.run(_spec(tmp_path, data_dir, queries=(6,)))
    (q6,) = result.executions
    assert (q6.validation, q6.validation_source) == ("mismatch", "duckdb")
    assert "expected" in (q6.validation_detail or "")
    assert result.exit_code == 1


def test_the_reference_must_be_a_known_installed_platform() -> None:
    base = {
        "platform": {"name": "duckdb"},
        "benchmark": {"name": "tpch"},
        "mode": {"name": "dry_run"},
        "data_dir": "/tmp",
    }
    with pytest.raises(SpecError, match="did you mean 'duckdb'"):
        RunSpec.from_config({**base, "validation": {"reference": "duckbd"}}, RunContext(output_dir="out"))
    with pytest.raises(SpecError, match="use one of answers"):
        RunSpec.from_config({**base, "validation": {"reference": "sqlalchemy"}}, RunContext(output_dir="out"))
