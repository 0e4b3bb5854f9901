"""Polars: config, canonical types, the SQL forms the templates need, both load modes and engines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from benchbox.benchmarks.schema import Table
from benchbox.errors import DriverMissingError
from benchbox.platforms.polars import Adapter, Config, check_version, polars_schema, polars_type, scan_casts

CONF = Path(__file__).parents[2] / "conf" / "platform" / "polars.yaml"
ORDERS = Table(
    "orders",
    (("o_orderkey", "BIGINT"), ("o_custkey", "INTEGER"), ("o_totalprice", "DECIMAL(15,2)"),
     ("o_orderdate", "DATE"), ("o_comment", "VARCHAR")),
    ("o_orderkey",),
)  # fmt: skip


def test_the_yaml_holds_exactly_the_config_fields() -> None:
    document = yaml.safe_load(CONF.read_text())
    assert set(document) == set(Config.model_fields)
    assert Config(**document) == Config()


@pytest.mark.parametrize(
    ("override", "hint"),
    [({"load": "register"}, "'scan'"), ({"engine": "gpu"}, "'streaming'"), ({"threads": 2}, "Extra")],
)
def test_bad_values_are_refused(override: dict, hint: str) -> None:
    with pytest.raises(ValidationError, match=hint):
        Config(**override)


def test_no_cancel_is_declared_and_interrupt_does_nothing() -> None:
    assert Adapter.capabilities.cancel is False
    assert Adapter(Config()).interrupt() is None


def test_polars_1_is_refused_with_the_fix() -> None:
    with pytest.raises(DriverMissingError, match=r"polars>=2, found 1\.44\.2.*pip install -U 'polars>=2'"):
        check_version("1.44.2")
    check_version("2.0.0")


def test_canonical_sql_runs_untranslated() -> None:
    sql = "select substring(c_phone from 1 for 2) from t where d <= date '1998-12-01' - interval '90' day"
    assert Adapter(Config()).translate(sql) == sql


def test_canonical_types_map_to_polars() -> None:
    pl = pytest.importorskip("polars")
    assert polars_type("DECIMAL(15,2)") == pl.Decimal(15, 2)
    assert polars_type("INTEGER") == pl.Int32 and polars_type("BIGINT") == pl.Int64
    assert polars_type("DATE") == pl.Date and polars_type("VARCHAR") == pl.String
    assert list(polars_schema(ORDERS)) == [column.name for column in ORDERS.columns]
    with pytest.raises(ValueError, match="BLOB"):
        polars_type("BLOB")


def _orders_files(folder: Path) -> dict[str, Path]:
    """Three rows of ``orders`` as Parquet (keys as Int64, as tpchgen writes them) and as CSV."""
    import polars as pl

    data = pl.DataFrame(
        {
            "o_orderkey": [1, 2, 3],
            "o_custkey": [10, 20, 10],
            "o_totalprice": pl.Series(
                [Decimal("1.10"), Decimal("2.25"), Decimal("0.07")], dtype=pl.Decimal(15, 2)
            ),
            "o_orderdate": [date(1995, 1, 31), date(1996, 2, 29), date(1996, 3, 1)],
            "o_comment": ["a, b", "c", "d"],
        }
    )
    files = {"parquet": folder / "orders.parquet", "csv": folder / "orders.csv"}
    data.write_parquet(files["parquet"])
    data.write_csv(files["csv"])
    return files


@pytest.mark.parametrize("engine", ["streaming", "in-memory"])
@pytest.mark.parametrize("load", ["scan", "memory"])
@pytest.mark.parametrize("data_format", ["parquet", "csv"])
def test_load_gives_canonical_types_and_python_values(
    tmp_path: Path, load: str, engine: str, data_format: str
) -> None:
    pl = pytest.importorskip("polars")
    adapter = Adapter(Config(load=load, engine=engine))
    adapter.connect()
    try:
        file = _orders_files(tmp_path)[data_format]
        assert adapter.load_table(ORDERS, [file, file], data_format) == 6
        assert adapter.load_table(ORDERS, [file], data_format) == 3, "a second load replaces the table"
        schema = adapter._ctx.execute("select * from orders").collect_schema()
        rows = adapter.execute(
            "select o_custkey, o_totalprice + 0.01, o_orderdate + interval '1' month, o_comment"
            " from orders where o_orderkey < 3 order by o_orderkey"
        )
    finally:
        adapter.close()
    wider = {"o_custkey": pl.Int64} if data_format == "parquet" else {}  # kept as the file holds it
    assert schema == pl.Schema({**polars_schema(ORDERS), **wider})
    assert rows == [
        (10, Decimal("1.11"), date(1995, 2, 28), "a, b"),
        (20, Decimal("2.26"), date(1996, 3, 29), "c"),
    ]


@pytest.fixture
def orders(tmp_path: Path) -> Adapter:
    pytest.importorskip("polars")
    adapter = Adapter(Config())
    adapter.connect()
    adapter.load_table(ORDERS, [_orders_files(tmp_path)["parquet"]], "parquet")
    return adapter


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("select 0.06 + 0.01", [(Decimal("0.07"),)]),
        ("select count(*) from orders where o_totalprice between 0.06 - 0.01 and 0.06 + 0.01", [(1,)]),
        ("select date '1998-12-01' - interval '90' day", [(date(1998, 9, 2),)]),
        ("select extract(year from date '1995-06-17')", [(1995,)]),
        ("select substring('13-987' from 1 for 2)", [("13",)]),
        ("select count(*) from orders a, orders b where a.o_orderkey = b.o_orderkey", [(3,)]),
        (
            "select c, count(*) from (select o_custkey, count(*) from orders group by o_custkey)"
            " as t (k, c) group by c order by c",
            [(1, 1), (2, 1)],
        ),
        (
            "select o_orderkey from orders o1 where o_totalprice > "
            "(select avg(o_totalprice) from orders o2 where o2.o_custkey = o1.o_custkey) order by 1",
            [(1,)],
        ),
        (
            "select o_orderkey from orders o1 where not exists "
            "(select * from orders o2 where o2.o_custkey = o1.o_custkey and o2.o_orderkey <> o1.o_orderkey)",
            [(2,)],
        ),
    ],
    ids=[
        "decimal",
        "between",
        "interval",
        "extract",
        "substring",
        "comma-join",
        "column-list",
        "scalar",
        "exists",
    ],
)
def test_the_sql_forms_the_templates_use(orders: Adapter, sql: str, expected: list) -> None:
    assert orders.execute(sql) == expected


def test_versions_name_the_package(orders: Adapter) -> None:
    versions = orders.versions()
    assert versions["driver"] == "polars"
    assert versions["engine_version"] == versions["driver_version"] and versions["engine_version"][0] >= "2"


def test_a_scan_is_cast_only_where_the_file_does_not_hold_the_canonical_values() -> None:
    pl = pytest.importorskip("polars")
    want = {"k": pl.Int32(), "big": pl.Int64(), "price": pl.Decimal(15, 2), "day": pl.Date()}
    have = {"k": pl.Int64(), "big": pl.Int32(), "price": pl.Float64(), "day": pl.Date()}
    assert scan_casts(have, want) == {"big": pl.Int64(), "price": pl.Decimal(15, 2)}
    assert scan_casts({**have, "k": pl.UInt64()}, want)["k"] == pl.Int32(), "unsigned is not wider"
    assert scan_casts({}, want) == want, "a column the file lacks is left to the cast to report"
