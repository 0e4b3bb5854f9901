"""chDB: config, canonical types, the translation that keeps ClickHouse's answers right,
loading, cancellation, timeouts, and a failed query that must not spoil the next."""

from __future__ import annotations

import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from benchbox.benchmarks.schema import Table
from benchbox.errors import PlatformError
from benchbox.platforms.chdb import Adapter, Config, clickhouse_type, size_bytes, structure

CONF = Path(__file__).parents[2] / "conf" / "platform" / "chdb.yaml"
ORDERS = Table(
    "orders",
    (("o_orderkey", "BIGINT"), ("o_custkey", "INTEGER"), ("o_totalprice", "DECIMAL(15,2)"),
     ("o_orderdate", "DATE"), ("o_comment", "VARCHAR")),
    ("o_orderkey",),
)  # fmt: skip
HEAVY = "select count() from numbers(100000000000) where number % 7 = 3"  # minutes when not cancelled
FAILS_MID_OUTPUT = (
    "select toInt32(number) as n from numbers(10) where throwIf(number = 5) = 0 settings max_block_size = 1"
)


def test_the_yaml_holds_exactly_the_config_fields() -> None:
    document = yaml.safe_load(CONF.read_text())
    assert set(document) == set(Config.model_fields)
    assert Config(**document) == Config()


@pytest.mark.parametrize(
    ("override", "hint"),
    [
        ({"table_engine": "Log"}, "'MergeTree'"),
        ({"max_threads": 0}, "greater than or equal to 1"),
        ({"max_memory_usage": "4G"}, "should match pattern"),
        ({"path": "db?readonly=1"}, "should match pattern"),
        ({"threads": 2}, "Extra"),
    ],
)
def test_bad_values_are_refused(override: dict, hint: str) -> None:
    with pytest.raises(ValidationError, match=hint):
        Config(**override)


def test_every_option_says_how_to_fix_a_wrong_value() -> None:
    for name, field in Config.model_fields.items():
        assert name == "name" or (field.description or "").startswith("use "), name


def test_sizes_become_bytes() -> None:
    assert size_bytes("512MB") == 512_000_000
    assert size_bytes("4GB") == 4_000_000_000
    assert size_bytes("1.5GiB") == 3 * 2**29
    with pytest.raises(ValueError, match="512MB"):
        size_bytes("lots")


def test_canonical_types_map_to_clickhouse() -> None:
    assert clickhouse_type("DECIMAL(15,2)") == "Decimal(15, 2)"
    assert clickhouse_type("INTEGER") == "Int32" and clickhouse_type("BIGINT") == "Int64"
    assert clickhouse_type("DATE") == "Date32" and clickhouse_type("VARCHAR") == "String"
    assert structure(ORDERS) == (
        "o_orderkey Int64, o_custkey Int32, o_totalprice Decimal(15, 2), o_orderdate Date32, o_comment String"
    )
    with pytest.raises(ValueError, match="BLOB"):
        clickhouse_type("BLOB")


def _translate(sql: str) -> str:
    return " ".join(Adapter(Config()).translate(sql).split())


def test_decimal_literals_become_exact_decimals() -> None:
    """A Float64 ``0.06 + 0.01`` is 0.0699..., and Q6's BETWEEN would drop every 0.07 discount."""
    assert _translate("select l_discount between 0.06 - 0.01 and 0.06 + 0.01 from t") == (
        "SELECT l_discount BETWEEN CAST('0.06' AS Decimal(18, 2)) - CAST('0.01' AS Decimal(18, 2))"
        " AND CAST('0.06' AS Decimal(18, 2)) + CAST('0.01' AS Decimal(18, 2)) FROM t"
    )
    assert _translate("select 100.00 * x, 0.0001, -0.5 from t") == (
        "SELECT CAST('100.00' AS Decimal(18, 2)) * x, CAST('0.0001' AS Decimal(18, 4)),"
        " -CAST('0.5' AS Decimal(18, 1)) FROM t"
    )
    assert _translate("select 1 - x, 1.5e3, cast(0.5 as double) from t") == (
        "SELECT 1 - x, 1.5e3, CAST(0.5 AS Float64) FROM t"
    ), "integers, scientific notation and explicit casts keep their types"
    assert "Decimal(38, 1)" in _translate("select 1234567890123456789.5")


def test_division_is_a_float_division() -> None:
    assert _translate("select sum(a) / sum(b), x / 7.0 from t") == (
        "SELECT toFloat64(SUM(a)) / toFloat64(SUM(b)),"
        " toFloat64(x) / toFloat64(CAST('7.0' AS Decimal(18, 1))) FROM t"
    )


def test_date_literals_are_not_nullable() -> None:
    assert _translate("select * from t where d < date '1995-01-01' + interval '3' month") == (
        "SELECT * FROM t WHERE d < CAST('1995-01-01' AS DATE) + INTERVAL '3' MONTH"
    )
    assert "Nullable(DATE)" in _translate("select cast(d as date) from t"), "a column's cast is left alone"


@pytest.fixture
def adapter():
    pytest.importorskip("chdb")
    adapter = Adapter(Config(max_threads=2))
    adapter.connect()
    yield adapter
    adapter.close()


def _run(adapter: Adapter, sql: str) -> list[tuple]:
    return adapter.execute(adapter.translate(sql))


def test_decimal_arithmetic_and_dates_give_canonical_answers(adapter: Adapter) -> None:
    assert _run(
        adapter,
        "select 0.06 + 0.01, cast(0.07 as decimal(15,2)) <= 0.06 + 0.01, cast(1.00 as decimal(15,2)) / 3,"
        " date '1996-01-31' + interval '1' month, date '1998-12-01' - interval '90' day",
    ) == [(Decimal("0.07"), 1, pytest.approx(1 / 3), date(1996, 2, 29), date(1998, 9, 2))]


def test_outer_join_misses_are_null(adapter: Adapter) -> None:
    """Q13's trap: without join_use_nulls, count(o_orderkey) counts a customer without orders as one."""
    rows = _run(
        adapter,
        "select c, count(o) from (select number as c from numbers(3)) as a"
        " left join (select number as o from numbers(2)) as b on c = o group by c order by c",
    )
    assert rows == [(0, 1), (1, 1), (2, 0)]


def test_aggregates_of_no_rows_are_null(adapter: Adapter) -> None:
    """Q17 at SF 0.01: sum over no rows is NULL, as in the canonical dialect (ClickHouse says 0)."""
    rows = _run(adapter, "select sum(number), sum(number) / 7.0, count() from numbers(0)")
    assert rows == [(None, None, 0)]


def _orders_files(folder: Path) -> dict[str, Path]:
    """Two rows of ``orders`` as Parquet (keys as int64, as tpchgen writes them) and as CSV."""
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    data = pa.table(
        {
            "o_orderkey": pa.array([1, 2], pa.int64()),
            "o_custkey": pa.array([10, 20], pa.int64()),
            "o_totalprice": pa.array([Decimal("1.10"), Decimal("2.25")], pa.decimal128(15, 2)),
            "o_orderdate": pa.array([date(1995, 1, 31), date(1996, 2, 29)], pa.date32()),
            "o_comment": ['it\'s, "quoted"', "c"],
        }
    )
    files = {"parquet": folder / "orders.parquet", "csv": folder / "orders.csv"}
    pq.write_table(data, files["parquet"])
    pcsv.write_csv(data, files["csv"])
    return files


@pytest.mark.parametrize("engine", ["MergeTree", "Memory"])
@pytest.mark.parametrize("data_format", ["parquet", "csv"])
def test_load_gives_canonical_types_and_python_values(tmp_path: Path, engine: str, data_format: str) -> None:
    pytest.importorskip("chdb")
    adapter = Adapter(Config(table_engine=engine))
    adapter.connect()
    try:
        file = _orders_files(tmp_path)[data_format]
        assert adapter.load_table(ORDERS, [file], data_format) == 2
        assert adapter.load_table(ORDERS, [file], data_format) == 2, "a second load replaces the table"
        rows = _run(
            adapter,
            "select toTypeName(o_custkey), toTypeName(o_totalprice), o_totalprice + 0.01,"
            " o_orderdate, o_comment from orders order by o_orderkey",
        )
        (table_engine,) = adapter.execute("select engine from system.tables where name = 'orders'")
    finally:
        adapter.close()
    assert table_engine == (engine,)
    assert rows == [
        ("Int32", "Decimal(15, 2)", Decimal("1.11"), date(1995, 1, 31), 'it\'s, "quoted"'),
        ("Int32", "Decimal(15, 2)", Decimal("2.26"), date(1996, 2, 29), "c"),
    ]


def test_several_files_make_one_mergetree_table_in_one_part(tmp_path: Path) -> None:
    pytest.importorskip("chdb")
    adapter = Adapter(Config(table_engine="MergeTree", max_threads=2))
    adapter.connect()
    try:
        file = _orders_files(tmp_path)["parquet"]
        assert adapter.load_table(ORDERS, [file, file], "parquet") == 4
        parts = adapter.execute("select count() from system.parts where active and table = 'orders'")
    finally:
        adapter.close()
    assert parts == [(1,)]


def test_tables_are_memory_tables_unless_told() -> None:
    """Memory by default: MergeTree made a TPC-H SF 1 run 2.35x a raw loop (docs/performance.md)."""
    assert Config().table_engine == "Memory"
    assert Adapter(Config()).memory_setting() == "platform.table_engine='Memory'", "checked to fit in memory"
    assert Adapter(Config(table_engine="MergeTree")).memory_setting() is None


def test_a_database_path_is_kept_and_a_temporary_one_removed(tmp_path: Path) -> None:
    pytest.importorskip("chdb")
    kept = Adapter(Config(path=str(tmp_path / "db")))
    kept.connect()
    kept.load_table(ORDERS, [_orders_files(tmp_path)["parquet"]], "parquet")
    kept.close()
    assert any((tmp_path / "db").iterdir())
    temporary = Adapter(Config())
    temporary.connect()
    folder = temporary._temporary
    assert folder is not None and folder.is_dir()
    temporary.close()
    assert not folder.exists()


def test_a_second_database_in_one_process_is_refused_clearly(adapter: Adapter) -> None:
    other = Adapter(Config())
    with pytest.raises(PlatformError, match="one per process"):
        other.connect()
    other.close()
    assert adapter.execute("select 1 as x") == [(1,)], "the open database is unaffected"


def test_interrupt_from_another_thread_cancels_the_query(adapter: Adapter) -> None:
    threading.Timer(0.3, adapter.interrupt).start()
    start = time.monotonic()
    with pytest.raises(RuntimeError, match="QUERY_WAS_CANCELLED"):
        adapter.execute(HEAVY)
    assert time.monotonic() - start < 60  # cancelled: far under its own minutes
    assert adapter.execute("select 1 as x") == [(1,)], "the session is usable after a cancel"


def test_an_interrupt_between_queries_does_not_cancel_the_next(adapter: Adapter) -> None:
    adapter.interrupt()
    assert adapter.execute("select 2 as x") == [(2,)]


def test_max_execution_time_is_a_timeout(adapter: Adapter) -> None:
    adapter.apply_timeout(0.2)
    start = time.monotonic()
    with pytest.raises(RuntimeError) as caught:
        adapter.execute(HEAVY)
    assert time.monotonic() - start < 60  # cancelled: far under its own minutes
    assert adapter.is_timeout(caught.value)
    assert not adapter.is_timeout(RuntimeError("Code: 394. Query was cancelled. (QUERY_WAS_CANCELLED)"))
    adapter.apply_timeout(None)
    assert adapter.execute("select 3 as x") == [(3,)]


def test_a_query_failing_mid_output_does_not_spoil_the_next(adapter: Adapter) -> None:
    """chDB keeps a failed query's partial Arrow output and hands it to the next statement."""
    for _ in range(3):
        with pytest.raises(RuntimeError, match="throwIf"):
            adapter.execute(FAILS_MID_OUTPUT)
        assert adapter.execute("select 42 as x, 'a' as y") == [(42, "a")]


def test_versions_name_the_engine_and_the_package(adapter: Adapter) -> None:
    versions = adapter.versions()
    assert versions["driver"] == "chdb"
    assert versions["engine_version"][0].isdigit() and versions["driver_version"] != "unknown"
