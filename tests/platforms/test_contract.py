"""The contract every platform meets: all 22 TPC-H answers validated at SF 0.01 and 0.1 through
the real ``benchbox`` command, timeouts honoured, versions and load timings reported.

A known gap is declared by the benchmark (``Benchmark.known_gaps``, by platform) and becomes
a strict expected failure here, so a gap that gets fixed fails until its declaration is removed.
A platform whose driver is missing is skipped with the extra to install, or fails
when ``BENCHBOX_REQUIRE_ALL_PLATFORMS=1`` (as in CI).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from benchbox import benchmarks, platforms

SCALE_FACTORS = (0.01, 0.1)
STATIC_OVERRIDES = {"sqlalchemy": ["platform.url=sqlite:///tpch.sqlite"]}
"""Platforms that need a setting to run at all (the sqlalchemy platform: some URL; see test_sqlalchemy.py)."""
QUERIES = [f"Q{n}" for n in range(1, 23)]
_RUNS: dict[tuple[str, float], dict[str, Any]] = {}


def _cases() -> list[Any]:
    cases = []
    for name in platforms.NAMES:
        gaps = benchmarks.get("tpch").known_gaps.get(name, {})
        for sf in SCALE_FACTORS:
            for query in QUERIES:
                marks = []
                if query in gaps:
                    gap = gaps[query]
                    marks.append(pytest.mark.xfail(strict=True, reason=f"{gap.kind}: {gap.reason}"))
                cases.append(pytest.param(name, sf, query, marks=marks, id=f"{name}-sf{sf:g}-{query}"))
    return cases


def _run(
    benchbox, overrides: list[str], sf: float, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """One power run per (platform, SF) for the whole session; each query's test reads it."""
    key = (overrides[0], sf)
    overrides = [*overrides, *STATIC_OVERRIDES.get(overrides[0].removeprefix("platform="), [])]
    if key not in _RUNS:
        folder = tmp_path_factory.mktemp("contract")
        done = benchbox(
            *overrides,
            f"benchmark.scale_factor={sf}",
            "mode.warmups=0",
            "mode.iterations=1",
            "progress=false",
            cwd=folder,
        )
        assert done.code in (0, 1), done.stdout + done.stderr
        _RUNS[key] = done.result()
    return _RUNS[key]


@pytest.mark.e2e
@pytest.mark.parametrize(("name", "sf", "query"), _cases())
def test_query_answer_is_validated(
    benchbox, platform_overrides, tmp_path_factory: pytest.TempPathFactory, name: str, sf: float, query: str
) -> None:
    record = _run(benchbox, platform_overrides(name), sf, tmp_path_factory)
    (execution,) = [e for e in record["executions"] if e["query_id"] == query]
    assert execution["status"] == "ok", execution["error"]
    assert execution["validation"] == "ok", execution["validation_detail"]


@pytest.mark.e2e
@pytest.mark.parametrize("name", platforms.NAMES)
def test_versions_and_load_timings_are_reported(
    benchbox, platform_overrides, tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    record = _run(benchbox, platform_overrides(name), 0.01, tmp_path_factory)
    metadata = record["metadata"]
    assert metadata["platform"] == name
    assert metadata["platform_engine_version"] and metadata["platform_driver_version"] not in (
        None,
        "unknown",
    )
    (load,) = [p for p in record["phases"] if p["name"] == "load"]
    tables = {t["table"]: t for t in load["details"]["tables"]}
    assert tables["lineitem"]["rows"] == 60175 and tables["lineitem"]["duration_ms"] > 0
    assert len(tables) == 8


@pytest.mark.e2e
@pytest.mark.parametrize("name", platforms.NAMES)
def test_timeouts_cancel_queries_and_the_run_goes_on(
    benchbox, platform_overrides, tmp_path: Path, name: str
) -> None:
    overrides = [*platform_overrides(name), *STATIC_OVERRIDES.get(name, [])]
    capabilities = platforms.get(name).Adapter.capabilities
    done = benchbox(
        *overrides,
        "benchmark.scale_factor=0.01",
        "mode.timeout_s=0.001",
        "mode.warmups=0",
        "mode.iterations=1",
        "progress=false",
        "benchmark.queries=[1,9,18,21]",
    )
    if not capabilities.cancel:
        assert done.code == 2 and "cannot" in done.stderr  # the spec refuses before any work
        pytest.xfail(f"notimpl: {name} declares no way to cancel a running query")
    assert done.code == 1, done.stdout + done.stderr
    rows = done.result()["executions"]
    assert len(rows) == 4, "every query still ran"
    timed_out = [r for r in rows if r["status"] == "timeout"]
    assert timed_out, rows
    assert all(r["duration_ms"] < 1 + 5000 for r in timed_out), timed_out


def test_every_platform_declares_its_capabilities() -> None:
    for name in platforms.NAMES:
        adapter = platforms.get(name).Adapter
        assert adapter.name == name and adapter.extra == name
        assert adapter.capabilities.dialect
        assert Path(__file__).parents[2].joinpath("conf", "platform", f"{name}.yaml").exists()
        assert Path(__file__).parents[2].joinpath("docs", "platforms", f"{name}.md").exists()
        gaps = benchmarks.get("tpch").known_gaps.get(name, {})
        assert all(q in QUERIES for q in gaps)
        assert json.dumps(sorted(gaps))  # ids are plain strings
