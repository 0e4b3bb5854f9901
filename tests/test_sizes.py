"""The size check before generation: data that cannot fit on the disk (or, for a platform that holds
every table in memory, in memory) is refused with the numbers unless ``allow_large_data=true``, and
scale factors that are no size at all (inf, nan) are refused when the config is validated."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import NamedTuple

import pytest

from benchbox import benchmarks, platforms
from benchbox.benchmarks import datacache, sizes
from benchbox.benchmarks.tpcds import TPCDS
from benchbox.benchmarks.tpcds import Config as TpcdsConfig
from benchbox.benchmarks.tpch import TPCH
from benchbox.benchmarks.tpch import Config as TpchConfig
from benchbox.errors import SpecError


def test_data_that_cannot_fit_on_disk_is_refused_with_the_numbers(benchbox, tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = benchbox("benchmark.scale_factor=100000", "mode=data_only", env={"BENCHBOX_DATA_DIR": str(data)})
    out = done.stdout + done.stderr
    assert done.code == 2, out
    assert "Traceback" not in out
    target = data / "tpch" / "sf100000" / "parquet"
    assert (
        f"TPC-H SF 100000 parquet data needs about 35.6 TiB of disk (an estimate), and the disk of {target} "
        "has " in out
    )
    assert "lower benchmark.scale_factor" in out and "set allow_large_data=true to generate it anyway" in out
    assert not data.exists() or not any(data.rglob("*")), "a refused run leaves no folder, lock or staging"


def test_tpcds_data_that_cannot_fit_on_disk_is_refused(benchbox, tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = benchbox(
        "benchmark=tpcds",
        "benchmark.scale_factor=100000",
        "mode=data_only",
        env={"BENCHBOX_DATA_DIR": str(data)},
    )
    assert done.code == 2, done.stdout + done.stderr
    assert "TPC-DS SF 100000 parquet data needs about 38.2 TiB of disk" in done.stdout + done.stderr
    assert not data.exists() or not any(data.rglob("*"))


def test_data_that_cannot_fit_in_memory_is_refused_before_generation(benchbox, tmp_path: Path) -> None:
    data = tmp_path / "data"
    done = benchbox(
        "benchmark.scale_factor=100000", env={"BENCHBOX_DATA_DIR": str(data)}
    )  # duckdb ':memory:'
    out = done.stdout + done.stderr
    assert done.code == 2, out
    assert "TPC-H SF 100000 data needs about 128.5 TiB of memory with platform.database=':memory:'" in out
    assert "this machine has " in out and "available" in out
    assert "change platform.database to keep the tables out of memory" in out
    assert not data.exists() or not any(data.rglob("*"))


@pytest.mark.parametrize("benchmark", ["tpch", "tpcds"])
@pytest.mark.parametrize("value", ["inf", "nan", "-inf"])
def test_a_scale_factor_that_is_no_size_is_refused_at_validation(
    benchbox, benchmark: str, value: str
) -> None:
    done = benchbox(f"benchmark={benchmark}", f"benchmark.scale_factor={value}", "mode=dry_run")
    assert done.code == 2, done.stdout + done.stderr
    assert done.stderr.strip() == (
        f"benchbox: error: benchmark.scale_factor={float(value)!r} is not allowed (it must be a finite "
        "number): use a value > 0 (e.g. 0.01, 0.1, 1, 10)."
    )


class Usage(NamedTuple):
    total: int
    used: int
    free: int


class Memory(NamedTuple):
    available: int


def test_allow_large_data_turns_the_disk_refusal_into_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(10**6, 0, 10**6))
    benchmark, messages = TPCH(TpchConfig(scale_factor=1)), []
    with pytest.raises(SpecError, match=r"needs about 373\.4 MiB of disk .* has 976\.6 KiB free"):
        sizes.check_disk(tmp_path / "x", benchmark, "TPC-H SF 1 parquet", False, messages.append)
    sizes.check_disk(tmp_path / "x", benchmark, "TPC-H SF 1 parquet", True, messages.append)
    assert messages == [
        "TPC-H SF 1 parquet data needs about 373.4 MiB of disk (an estimate), and the disk of "
        f"{tmp_path / 'x'} has 976.6 KiB free; going on, as allow_large_data=true says"
    ]


def test_allow_large_data_turns_the_memory_refusal_into_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    import psutil

    monkeypatch.setattr(psutil, "virtual_memory", lambda: Memory(10**6))
    benchmark, messages = TPCDS(TpcdsConfig(scale_factor=1)), []
    with pytest.raises(
        SpecError, match=re.escape("needs about 863.1 MiB of memory with platform.load='memory'")
    ):
        sizes.check_memory(benchmark, "platform.load='memory'", False, messages.append)
    sizes.check_memory(benchmark, "platform.load='memory'", True, messages.append)
    assert messages[0].endswith("has 976.6 KiB available; going on, as allow_large_data=true says")


def test_data_that_fits_passes_quietly(tmp_path: Path) -> None:
    messages: list[str] = []
    small = TPCH(TpchConfig(scale_factor=0.01))
    sizes.check_disk(tmp_path, small, "TPC-H SF 0.01 parquet", False, messages.append)
    sizes.check_memory(small, "platform.database=':memory:'", False, messages.append)
    assert messages == []


@pytest.mark.parametrize(
    ("platform", "settings", "expected"),
    [
        ("duckdb", {}, "platform.database=':memory:'"),
        ("duckdb", {"database": "bench.db"}, None),
        ("polars", {"load": "memory"}, "platform.load='memory'"),
        ("polars", {}, None),  # lazy scans of the cached files
        ("datafusion", {"load": "memory"}, "platform.load='memory'"),
        ("chdb", {}, "platform.table_engine='Memory'"),
        ("chdb", {"table_engine": "MergeTree"}, None),
        ("sqlite", {}, None),
        ("spark", {}, None),  # Spark's cache spills to disk
    ],
)
def test_the_adapter_says_when_it_holds_the_data_in_memory(
    platform: str, settings: dict, expected: str | None
) -> None:
    module = platforms.get(platform)
    assert module.Adapter(module.Config(**settings)).memory_setting() == expected


@pytest.mark.parametrize(
    ("benchmark", "config"),
    [
        ("tpch", {"scale_factor": 0.01}),
        ("tpch", {"scale_factor": 0.01, "data_format": "csv"}),
        ("tpcds", {"scale_factor": 0.01}),
    ],
)
def test_the_estimate_is_near_the_generated_size(tmp_path: Path, benchmark: str, config: dict) -> None:
    """The estimates are per-unit figures measured at SF 0.01 to 10; generated data at SF 0.01 must
    stay within 25 % of them (a new generator version that changes sizes fails here)."""
    bench = benchmarks.get(benchmark)(benchmarks.get(benchmark).Config(**config))
    dataset = datacache.ensure(tmp_path, bench, lambda _: None)
    size = sum(f.stat().st_size for t in bench.tables() for f in dataset.files(t.name))
    assert 0.75 * size <= bench.estimated_bytes().files <= 1.25 * size, size
