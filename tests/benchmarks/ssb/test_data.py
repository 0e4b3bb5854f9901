"""SSB data: derived from TPC-H's through the generic cache, with TPC-H's keys and row counts and
the paper's value rules; a missing or damaged TPC-H source fails with a clear DataError."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from benchbox.benchmarks import datacache
from benchbox.benchmarks.schema import arrow_type
from benchbox.benchmarks.ssb import SSB, Config, data
from benchbox.benchmarks.ssb.schema import TABLES
from benchbox.benchmarks.tpch import TPCH
from benchbox.benchmarks.tpch import Config as TPCHConfig
from benchbox.errors import DataError

SF = 0.01


def _one(con: duckdb.DuckDBPyConnection, sql: str):
    return con.execute(sql).fetchone()


def test_five_tables_are_derived_and_cached_with_a_manifest(dataset: datacache.Dataset) -> None:
    assert dataset.path.parts[-3:] == ("ssb", "sf0.01", "parquet")
    assert set(dataset.manifest["tables"]) == {"lineorder", "customer", "supplier", "part", "dates"}
    assert dataset.manifest["benchmark"] == "ssb" and dataset.manifest["source"] == "tpch"
    assert dataset.manifest["generator"]["name"].startswith("tpchgen-cli")
    assert dataset.manifest["generator"]["version"].endswith(f"+{data.TRANSFORM}")
    left = sorted(p.name for p in dataset.path.iterdir())
    assert left == sorted([".verified.json", "manifest.json", *(f"{t.name}.parquet" for t in TABLES)]), (
        "the TPC-H source is deleted"
    )
    again = datacache.ensure(dataset.path.parents[2], SSB(Config(scale_factor=SF)), lambda _: None)
    assert not again.generated and again.fingerprint == dataset.fingerprint


def test_keys_and_row_counts_are_tpch_s(dataset: datacache.Dataset, con) -> None:
    rows = {t.name: dataset.rows(t.name) for t in TABLES}
    assert rows == {"customer": 1500, "supplier": 100, "part": 2000, "dates": 2557, "lineorder": 60175}
    for ssb, tpch, keys in (
        ("lineorder", "lineitem", "lo_orderkey, lo_linenumber, lo_partkey, lo_suppkey"),
        ("customer", "customer", "c_custkey"),
        ("supplier", "supplier", "s_suppkey"),
        ("part", "part", "p_partkey"),
    ):
        assert _one(con, f"SELECT count(*) FROM tpch_{tpch}") == (rows[ssb],)
        tpch_keys = keys.replace("lo_", "l_")
        assert _one(
            con, f"SELECT count(*) FROM (SELECT {keys} FROM {ssb} EXCEPT SELECT {tpch_keys} FROM tpch_{tpch})"
        ) == (0,)


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_the_schema_is_the_derived_files(dataset: datacache.Dataset, table) -> None:
    schema = pq.read_schema(dataset.files(table.name)[0])
    assert schema.names == list(table.names)
    for column in table.columns:
        field = schema.field(column.name)
        assert field.type == arrow_type(column.type) and not field.nullable, column.name


def test_customer_and_supplier_cities_follow_the_paper(con) -> None:
    for prefix, table in (("c", "customer"), ("s", "supplier")):
        cities = con.execute(f"SELECT DISTINCT {prefix}_city, {prefix}_nation FROM {table}").fetchall()
        assert all(re.fullmatch(r".{9}\d", city) for city, _ in cities), cities[:5]
        assert all(city[:9] == nation[:9].ljust(9) for city, nation in cities)
    assert _one(con, "SELECT count(*) FROM customer WHERE c_city = 'UNITED KI1'")[0] > 0
    assert _one(con, "SELECT min(c_city) FROM customer WHERE c_nation = 'PERU'") == ("PERU     0",)
    assert _one(con, "SELECT count(DISTINCT c_region), count(DISTINCT c_nation) FROM customer") == (5, 25)
    assert _one(
        con,
        "SELECT count(*) FROM customer JOIN tpch_customer USING (c_custkey) JOIN tpch_nation "
        "ON c_nationkey = n_nationkey WHERE c_nation <> n_name",
    ) == (0,)


def test_part_manufacturer_category_and_brand_follow_the_paper(con) -> None:
    assert {r[0] for r in con.execute("SELECT DISTINCT p_mfgr FROM part").fetchall()} == {
        f"MFGR#{m}" for m in range(1, 6)
    }
    categories = {r[0] for r in con.execute("SELECT DISTINCT p_category FROM part").fetchall()}
    assert categories == {f"MFGR#{m}{n}" for m in range(1, 6) for n in range(1, 6)}
    brands = con.execute("SELECT p_mfgr, p_category, p_brand1 FROM part").fetchall()
    for mfgr, category, brand in brands:
        assert category.startswith(mfgr) and brand.startswith(category)
        assert 1 <= int(brand[len(category) :]) <= 40
    brand_count = _one(con, "SELECT count(DISTINCT p_brand1) FROM part")[0]
    assert 800 < brand_count <= 1000  # 2,000 parts over 1,000 brands
    assert _one(con, "SELECT count(*) FROM part WHERE p_brand1 = 'MFGR#2221'")[0] > 0


def test_the_date_table_holds_every_day_of_1992_to_1998(con) -> None:
    assert _one(con, "SELECT count(*), min(d_datekey), max(d_datekey) FROM dates") == (
        2557,
        19920101,
        19981231,
    )
    row = con.execute("SELECT * FROM dates WHERE d_datekey = 19971225").fetchone()
    assert row == (
        *(19971225, "December 25, 1997", "Thursday", "December", 1997, 199712, "Dec1997"),
        *(5, 25, 359, 12, 52, "Christmas", 0, 0, 1, 1),
    )
    assert _one(
        con, "SELECT d_weeknuminyear, d_daynuminweek, d_weekdayfl FROM dates WHERE d_datekey = 19920101"
    ) == (1, 4, 1)
    assert _one(
        con, "SELECT d_lastdayinweekfl, d_lastdayinmonthfl FROM dates WHERE d_datekey = 19920229"
    ) == (1, 1)
    assert _one(con, "SELECT min(d_weeknuminyear), max(d_weeknuminyear) FROM dates") == (1, 53)
    keys = [r[0] for r in con.execute("SELECT d_datekey FROM dates ORDER BY 1").fetchall()]
    days = [dt.date(1992, 1, 1) + dt.timedelta(n) for n in range(2557)]
    assert keys == [int(d.strftime("%Y%m%d")) for d in days]


def test_lineorder_values_follow_the_paper(con) -> None:
    assert _one(
        con,
        "SELECT min(lo_discount), max(lo_discount), min(lo_tax), max(lo_tax), min(lo_quantity), "
        "max(lo_quantity) FROM lineorder",
    ) == (0, 10, 0, 8, 1, 50)
    assert _one(
        con,
        "SELECT count(*) FROM lineorder "
        "WHERE lo_revenue <> floor(lo_extendedprice * (100 - lo_discount)) / 100",
    ) == (0,)
    assert _one(
        con,
        "SELECT count(*) FROM lineorder LEFT JOIN dates o ON lo_orderdate = o.d_datekey "
        "LEFT JOIN dates c ON lo_commitdate = c.d_datekey WHERE o.d_datekey IS NULL OR c.d_datekey IS NULL",
    ) == (0,), "every order and commit date is in the date table"
    assert _one(
        con,
        "SELECT count(*) FROM lineorder JOIN tpch_partsupp ON ps_partkey = lo_partkey "
        "AND ps_suppkey = lo_suppkey WHERE lo_supplycost <> ps_supplycost",
    ) == (0,)
    assert _one(
        con,
        "SELECT count(*) FROM lineorder JOIN tpch_orders ON o_orderkey = lo_orderkey "
        "WHERE lo_custkey <> o_custkey OR lo_ordtotalprice <> o_totalprice "
        "OR lo_orderdate <> CAST(strftime(o_orderdate, '%Y%m%d') AS INTEGER)",
    ) == (0,)


def test_the_estimate_is_near_the_measured_size(dataset: datacache.Dataset) -> None:
    size = SSB(Config(scale_factor=SF)).estimated_bytes()
    files = sum(f["bytes"] for t in dataset.manifest["tables"].values() for f in t["files"])
    assert 0.9 * files <= size.files <= 1.2 * files, (size.files, files)
    assert size.setting == "benchmark.scale_factor" and size.memory > size.files


# A missing or damaged TPC-H source.


def _copy_tpch(tpch: Path, into: Path) -> Path:
    into.mkdir()
    for file in tpch.glob("*.parquet"):
        (into / file.name).write_bytes(file.read_bytes())
    return into


def test_a_missing_tpch_table_fails_clearly(tpch: Path, tmp_path: Path) -> None:
    source = _copy_tpch(tpch, tmp_path / "tpch")
    (source / "partsupp.parquet").unlink()
    with pytest.raises(
        DataError, match=r"deriving the SSB tables from the TPC-H data in .* failed.*partsupp"
    ):
        data.derive(source, tmp_path)


def test_a_damaged_tpch_file_fails_clearly(tpch: Path, tmp_path: Path) -> None:
    source = _copy_tpch(tpch, tmp_path / "tpch")
    (source / "lineitem.parquet").write_bytes(b"not parquet at all" * 100)
    with pytest.raises(DataError, match=r"deriving the SSB tables .* failed.*lineitem"):
        data.derive(source, tmp_path)
    assert not (tmp_path / "lineorder.parquet").exists()


def test_a_failing_tpch_generator_fails_the_generation_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self, staging: Path, notify, sources=()) -> None:
        (staging / "lineitem.parquet").write_bytes(b"half")
        raise DataError("tpchgen-cli failed (1): disk full")

    monkeypatch.setattr(TPCH, "generate", broken)
    with pytest.raises(DataError, match="tpchgen-cli failed"):
        datacache.ensure(tmp_path, SSB(Config(scale_factor=SF)), lambda _: None)
    assert not any(tmp_path.rglob("*.parquet")), "no staging folder or TPC-H file is left behind"
    assert not (tmp_path / "ssb" / "sf0.01" / "parquet").exists()
    assert not (tmp_path / "tpch" / "sf0.01" / "parquet").exists()


def test_the_cached_tpch_data_is_made_once_and_kept(tmp_path: Path) -> None:
    """SSB's generation finds TPC-H's dataset in the same cache, or makes it there first; a TPC-H
    run of that scale then reuses it, and SSB's manifest names the data it was made from."""
    notes: list[str] = []
    ssb = datacache.ensure(tmp_path, SSB(Config(scale_factor=SF)), notes.append)
    tpch = datacache.ensure(tmp_path, TPCH(TPCHConfig(scale_factor=SF)), notes.append)
    assert ssb.generated and not tpch.generated, notes
    assert ssb.manifest["source"] == "tpch" and ssb.manifest["source_fingerprint"] == tpch.fingerprint
    assert ssb.rows("lineorder") == tpch.rows("lineitem") == 60175
    assert sum("generating TPC-H" in note for note in notes) == 1, notes
    assert not list(tmp_path.rglob(".duckdb-spill")) and not list(tmp_path.rglob("*.tmp-*"))
    again = datacache.ensure(tmp_path, SSB(Config(scale_factor=SF)), notes.append)
    assert not again.generated and again.fingerprint == ssb.fingerprint


def test_a_tpch_dataset_without_a_table_is_named(tmp_path: Path) -> None:
    tpch = datacache.ensure(tmp_path, TPCH(TPCHConfig(scale_factor=SF)), lambda _: None)
    del tpch.manifest["tables"]["orders"]
    with pytest.raises(DataError, match="has no orders table"):
        data.generate(SF, tmp_path / "staging", lambda _: None, tpch)
