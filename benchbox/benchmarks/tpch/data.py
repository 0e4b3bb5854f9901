"""TPC-H data: ``tpchgen-cli`` writes the tables (the cache is ``benchbox.benchmarks.datacache``),
and refresh sets are derived from them and cached next to the data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from benchbox.benchmarks.datacache import Dataset, Generated, derived
from benchbox.benchmarks.datacache import number_label as sf_label
from benchbox.benchmarks.generator import executable, run_generator
from benchbox.benchmarks.tpch.schema import TABLES

if TYPE_CHECKING:
    from benchbox.benchmarks.tpch.refresh import RefreshSet

GENERATOR = "tpchgen-cli"
EXTENSIONS = {"parquet": "parquet", "csv": "csv"}


def generate(scale_factor: float, data_format: str, staging: Path) -> Generated:
    """Run tpchgen-cli into ``staging``: one file per table."""
    exe = executable(GENERATOR, GENERATOR)
    version = run_generator(
        [exe, data_format, "--scale-factor", sf_label(scale_factor), "--output-dir", str(staging)]
    )
    return Generated(
        files={t.name: [staging / f"{t.name}.{EXTENSIONS[data_format]}"] for t in TABLES},
        generator={"name": GENERATOR, "version": version},
        facts={"scale_factor": scale_factor, "data_format": data_format},
    )


def refresh_set(dataset: Dataset, scale_factor: float, seed: int, number: int) -> RefreshSet:
    """Refresh set ``number`` for ``seed``, cached as Parquet next to the base data
    (``<sf>/refresh/v<LAYOUT>/seed<seed>/set<number>/``) and generated once."""
    from benchbox.benchmarks.tpch import refresh

    def make() -> dict:
        sizes = refresh.Sizes(*(dataset.rows(t) for t in ("orders", "customer", "part", "supplier")))
        made = refresh.refresh_set(number, scale_factor, seed, sizes)
        return {"orders": made.orders, "lineitem": made.lineitem, "delete": made.delete_keys}

    tables = derived(dataset, ("refresh", f"v{refresh.LAYOUT}", f"seed{seed}", f"set{number}"), make)
    return refresh.RefreshSet(number, tables["orders"], tables["lineitem"], tables["delete"])
