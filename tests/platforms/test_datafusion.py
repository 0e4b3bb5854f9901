"""DataFusion: config, canonical types, exact decimal literals, both load modes, and cancellation."""

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
from benchbox.errors import DriverMissingError
from benchbox.platforms.datafusion import (
    Adapter,
    Config,
    QueryCancelled,
    arrow_schema,
    arrow_type,
    check_version,
    scan_schema,
)

CONF = Path(__file__).parents[2] / "conf" / "platform" / "datafusion.yaml"
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
    [
        ({"load": "copy"}, "'register'"),
        ({"target_partitions": 0}, "greater than or equal to 1"),
        ({"threads": 2}, "Extra"),
    ],
)
def test_bad_values_are_refused(override: dict, hint: str) -> None:
    with pytest.raises(ValidationError, match=hint):
        Config(**override)


def test_releases_before_50_are_refused_with_the_fix() -> None:
    with pytest.raises(DriverMissingError, match=r"datafusion>=50, found 44\.0\.0.*pip install -U"):
        check_version("44.0.0")
    check_version("50.1.0")


def test_canonical_types_map_to_arrow() -> None:
    import pyarrow as pa

    assert arrow_type("DECIMAL(15,2)") == pa.decimal128(15, 2)
    assert arrow_type("INTEGER") == pa.int32() and arrow_type("BIGINT") == pa.int64()
    assert arrow_type("DATE") == pa.date32() and arrow_type("VARCHAR") == pa.string_view()
    assert arrow_schema(ORDERS).names == [column.name for column in ORDERS.columns]
    with pytest.raises(ValueError, match="BLOB"):
        arrow_type("BLOB")


def test_canonical_sql_runs_untranslated() -> None:
    sql = "select substring(c_phone from 1 for 2) from t where d <= date '1998-12-01' - interval '90' day"
    assert Adapter(Config()).translate(sql) == sql


@pytest.fixture
def adapter():
    pytest.importorskip("datafusion")
    adapter = Adapter(Config(target_partitions=2))
    adapter.connect()
    yield adapter
    adapter.close()


def test_decimal_literals_are_exact(adapter: Adapter) -> None:
    """As floats, 0.06 + 0.01 is 0.0699..., and Q6's BETWEEN would drop every 0.07 discount."""
    assert adapter.execute("select 0.06 + 0.01, cast(0.07 as decimal(15,2)) <= 0.06 + 0.01") == [
        (Decimal("0.07"), True)
    ]


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
            "o_comment": ["a, b", "c"],
        }
    )
    files = {"parquet": folder / "orders.parquet", "csv": folder / "orders.csv"}
    pq.write_table(data, files["parquet"])
    pcsv.write_csv(data, files["csv"])
    return files


@pytest.mark.parametrize("load", ["register", "memory"])
@pytest.mark.parametrize("data_format", ["parquet", "csv"])
def test_load_gives_canonical_types_and_python_values(tmp_path: Path, load: str, data_format: str) -> None:
    pytest.importorskip("datafusion")
    adapter = Adapter(Config(load=load))
    adapter.connect()
    try:
        file = _orders_files(tmp_path)[data_format]
        assert adapter.load_table(ORDERS, [file], data_format) == 2
        assert adapter.load_table(ORDERS, [file], data_format) == 2, "a second load replaces the table"
        rows = adapter.execute(
            "select arrow_typeof(o_custkey), o_totalprice + 0.01, o_orderdate + interval '1' month, o_comment"
            " from orders order by o_orderkey"
        )
    finally:
        adapter.close()
    key = "Int64" if data_format == "parquet" else "Int32"  # the file's wider integer is kept
    assert rows == [
        (key, Decimal("1.11"), date(1995, 2, 28), "a, b"),
        (key, Decimal("2.26"), date(1996, 3, 29), "c"),
    ]


def test_parquet_is_registered_canonical_except_wider_integers() -> None:
    pa = pytest.importorskip("pyarrow")
    have = pa.schema(
        [
            ("o_orderkey", pa.int64()),
            ("o_custkey", pa.int64()),  # canonical INTEGER: kept wider
            ("o_totalprice", pa.float64()),  # canonical DECIMAL(15,2): cast
            ("o_orderdate", pa.date32()),
            ("o_comment", pa.string()),  # read as string_view
        ]
    )
    schema = scan_schema(ORDERS, have)
    assert schema.field("o_custkey").type == pa.int64()
    assert schema.field("o_totalprice").type == pa.decimal128(15, 2)
    assert schema.field("o_comment").type == pa.string_view()
    narrow = scan_schema(ORDERS, pa.schema([("o_orderkey", pa.int32()), ("o_custkey", pa.uint64())]))
    assert narrow.field("o_orderkey").type == pa.int64(), "a narrower file integer is cast up"
    assert narrow.field("o_custkey").type == pa.int32(), "unsigned is not wider"


def test_several_parquet_files_make_one_table(adapter: Adapter, tmp_path: Path) -> None:
    file = _orders_files(tmp_path)["parquet"]
    assert adapter.load_table(ORDERS, [file, file], "parquet") == 4


def test_interrupt_from_another_thread_cancels_the_query(adapter: Adapter) -> None:
    threading.Timer(0.2, adapter.interrupt).start()
    start = time.monotonic()
    with pytest.raises(QueryCancelled):
        adapter.execute("select count(*) from range(10000000000)")  # minutes when not cancelled
    assert time.monotonic() - start < 60  # cancelled: far under its own minutes
    assert adapter.execute("select 1") == [(1,)], "the session is usable after a cancel"


def test_an_interrupt_between_queries_does_not_cancel_the_next(adapter: Adapter) -> None:
    adapter.interrupt()
    assert adapter.execute("select 2") == [(2,)]


def test_versions_name_the_engine_and_the_package(adapter: Adapter) -> None:
    versions = adapter.versions()
    assert versions["driver"] == "datafusion"
    assert versions["engine_version"][0].isdigit() and versions["driver_version"] != "unknown"
