"""Spark: config validation, canonical types, translation, loading, and cancellation from another thread.

The tests that need a running Spark share one driver JVM (PySpark keeps it for the
whole process), so only the first session pays the start-up of several seconds.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from benchbox.benchmarks import tpch
from benchbox.benchmarks.schema import Table
from benchbox.errors import PlatformError
from benchbox.platforms.spark import (
    Adapter,
    Config,
    QueryCancelled,
    _local_cores,
    cast_columns,
    data_path,
    ddl_schema,
    jvm_bytes,
    spark_type,
)

CONF = Path(__file__).parents[2] / "conf" / "platform" / "spark.yaml"
ORDERS = Table(
    "orders",
    (("o_orderkey", "BIGINT"), ("o_custkey", "INTEGER"), ("o_totalprice", "DECIMAL(15,2)"),
     ("o_orderdate", "DATE"), ("o_comment", "VARCHAR")),
    ("o_orderkey",),
)  # fmt: skip
SLOW = "select sum(id % 7) from range(0, 1000000000000, 1, 2)"
"""A query that runs for hours unless it is cancelled, in constant memory: a cross join of two
ranges did too, but buffered one side in the heap, so where the cancel came late on a loaded
machine the driver ran out of heap (CI, 2026-12-03) and later tests lost their JVM."""

needs_spark = pytest.mark.skipif(
    importlib.util.find_spec("pyspark") is None or shutil.which("java") is None,
    reason="needs pyspark and a Java runtime (pip install 'benchbox[spark]')",
)


def test_the_yaml_holds_exactly_the_config_fields() -> None:
    document = yaml.safe_load(CONF.read_text())
    assert set(document) == set(Config.model_fields)
    assert Config(**document) == Config()
    assert Config().master == "local[2]" and Config().shuffle_partitions == 4 and Config().cache


@pytest.mark.parametrize(
    ("override", "hint"),
    [
        ({"remote": "sc://localhost:15002"}, "mutually exclusive: set platform.master=null"),
        ({"master": None}, r"set platform.master \(e.g. 'local\[2\]'\) or platform.remote"),
        ({"master": None, "remote": "http://localhost:15002"}, "should match pattern"),
        ({"master": None, "remote": "sc://host:15002/;token=abc"}, "SPARK_CONNECT_AUTHENTICATE_TOKEN"),
        ({"master": None, "remote": "sc://host:15002", "driver_memory": "2g"}, "driver_memory=null"),
        ({"master": ""}, "at least 1 character"),
        ({"driver_memory": "2 GB"}, "should match pattern"),
        ({"shuffle_partitions": 0}, "greater than or equal to 1"),
        ({"cache": "sometimes"}, "valid boolean"),
        ({"threads": 2}, "Extra"),
        ({"data_uri": "/shared/benchbox"}, "a URI with a scheme.*'file://' before it"),
        ({"data_uri": "s3a://key:secret@bucket/benchbox"}, "holds credentials"),
        ({"data_uri": "file:///data/bench box"}, "no spaces"),
        ({"data_uri": "s3a://bucket/benchbox?versionId=1"}, "'\\?' query"),
    ],
)
def test_bad_values_are_refused(override: dict, hint: str) -> None:
    with pytest.raises(ValidationError, match=hint):
        Config(**override)


def test_good_values_are_accepted() -> None:
    assert Config(master=None, remote="sc://spark.example.com:15002/;use_ssl=true").remote
    assert Config(master="spark://head:7077", driver_memory="512m", cache=False).driver_memory == "512m"
    assert Config(master=None, remote="sc://h:15002", data_uri="s3a://bucket/benchbox").data_uri
    assert Config(data_uri="hdfs:///benchbox").data_uri == "hdfs:///benchbox"


def _cache_layout(root: Path) -> Path:
    """A data cache's layout (``<root>/<benchmark>/<data key...>/`` with a manifest); its dataset folder."""
    dataset = root / "tpch" / "sf0.01" / "parquet"
    dataset.mkdir(parents=True)
    (dataset / "manifest.json").write_text("{}")
    return dataset


def test_data_uri_replaces_the_data_cache_root(tmp_path: Path) -> None:
    file = _cache_layout(tmp_path / "cache") / "orders.parquet"
    assert data_path(file, None) == str(file), "null: the local path, as before"
    for uri in ("hdfs:///benchbox", "hdfs:///benchbox/", "hdfs:///benchbox//"):
        assert data_path(file, uri) == "hdfs:///benchbox/tpch/sf0.01/parquet/orders.parquet"
    assert data_path(file, "s3a://bucket") == "s3a://bucket/tpch/sf0.01/parquet/orders.parquet"
    assert data_path(file, "file:///") == "file:///tpch/sf0.01/parquet/orders.parquet"
    assert data_path(file, f"file://{tmp_path}/cache") == f"file://{file}"
    with pytest.raises(PlatformError, match="not in a dataset"):
        data_path(tmp_path / "elsewhere.parquet", "hdfs:///benchbox")


def test_placement_of_a_local_master_needs_no_session() -> None:
    assert (_local_cores("local"), _local_cores("local[3]"), _local_cores("local[3, 2]")) == (1, 3, 3)
    assert _local_cores("local[*]") == os.cpu_count() and _local_cores("spark://h:7077") is None
    assert (jvm_bytes("1g"), jvm_bytes("512m"), jvm_bytes("2048"), jvm_bytes("4gb")) == (
        1024**3, 512 * 1024**2, 2048 * 1024**2, 4 * 1024**3,
    )  # fmt: skip
    assert jvm_bytes("lots") is None
    assert jvm_bytes("512b") == 512
    assert Adapter(Config(master="local[3]", driver_memory="2g")).placement() == {
        "placement": "local_process", "url": "local[3]", "executors": 1, "cores": 3,
        "executor_memory_bytes": 2 * 1024**3,
    }, "from the config alone: it never raises, even unconnected"  # fmt: skip
    assert Adapter(Config(master="spark://h:7077")).placement() == {
        "placement": "cluster",
        "url": "spark://h:7077",
    }
    remote = Adapter(Config(master=None, remote="sc://h:15002/;user_id=me")).placement()
    assert remote == {"placement": "remote", "url": "sc://h:15002/;user_id=me"}


def test_canonical_types_map_to_spark() -> None:
    assert spark_type("DECIMAL(15,2)") == "DECIMAL(15,2)" and spark_type("INTEGER") == "INT"
    assert spark_type("BIGINT") == "BIGINT" and spark_type("DATE") == "DATE"
    assert spark_type("VARCHAR") == "STRING"
    assert ddl_schema(ORDERS).startswith("o_orderkey BIGINT, o_custkey INT, o_totalprice DECIMAL(15,2)")
    assert cast_columns(ORDERS)[1] == "CAST(o_custkey AS INT) AS o_custkey"
    with pytest.raises(ValueError, match="BLOB"):
        spark_type("BLOB")


def test_capabilities_are_declared_not_derived() -> None:
    """The support matrix reads an overridden ``capabilities_for`` as "dialect from the config"."""
    from benchbox.platforms.base import Adapter as BaseAdapter

    assert Adapter.capabilities_for.__func__ is BaseAdapter.capabilities_for.__func__
    caps = Adapter.capabilities_for(Config(master=None, remote="sc://h:15002"))
    assert (caps.dialect, caps.storage, caps.cancel, caps.transactions) == ("spark", "memory", True, False)


def test_translation_keeps_duckdb_semantics() -> None:
    """Spark sorts NULLs first on ascending keys; DuckDB last. The rest must be Spark SQL."""
    adapter = Adapter(Config())
    sql = adapter.translate(
        "select substring(c_phone from 1 for 2) as code, count(*) from t as x (c_phone, d)"
        " where d <= date '1998-12-01' - interval '90' day group by code order by code"
    )
    assert "SUBSTRING(c_phone, 1, 2)" in sql
    assert "CAST('1998-12-01' AS DATE) - INTERVAL '90' DAY" in sql
    assert "AS x(c_phone, d)" in sql
    assert sql.rstrip().endswith("code NULLS LAST")


def test_every_tpch_query_translates_to_spark_sql() -> None:
    import sqlglot

    adapter = Adapter(Config())
    for query_id, sql in [(q.id, q.sql) for q in tpch.TPCH(tpch.Config(scale_factor=0.01)).queries(None)]:
        translated = adapter.translate(sql)
        assert sqlglot.parse_one(translated, read="spark"), query_id
        assert "::" not in translated, f"{query_id}: a DuckDB cast survived"


HIDE_GRPC = """\
import importlib.abc
import sys


class _HideGrpc(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "grpc" or name.startswith("grpc."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _HideGrpc())
"""
"""A ``sitecustomize`` that makes ``grpc`` (the Spark Connect client's transport) unimportable."""


def _without_grpc(tmp_path: Path, code: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -c code`` where ``grpc`` cannot be imported (hidden by a ``sitecustomize`` on
    PYTHONPATH), so that these tests mean the same whether or not ``pyspark[connect]`` is installed."""
    hide = tmp_path / "hide-grpc"
    hide.mkdir(exist_ok=True)
    (hide / "sitecustomize.py").write_text(HIDE_GRPC)
    path = os.pathsep.join(filter(None, [str(hide), os.environ.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": path},
    )


def test_remote_without_the_connect_client_names_the_package(tmp_path: Path) -> None:
    pytest.importorskip("pyspark")
    code = (
        "from benchbox.errors import DriverMissingError\n"
        "from benchbox.platforms.spark import Adapter, Config\n"
        "try:\n"
        "    import grpc\n"
        "    raise SystemExit('grpc was not hidden')\n"
        "except ModuleNotFoundError:\n"
        "    pass\n"
        "adapter = Adapter(Config(master=None, remote='sc://localhost:1'))\n"
        "try:\n"
        "    adapter.connect()\n"
        "except DriverMissingError as exc:\n"
        "    print(exc)\n"
        "adapter.close()\n"
    )
    done = _without_grpc(tmp_path, code)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "platform.remote needs Spark Connect's client packages (" in done.stdout
    assert "grpc" in done.stdout and done.stdout.rstrip().endswith("run `pip install 'pyspark[connect]'`")


def test_remote_without_the_client_is_an_error_also_where_main_has_no_file(tmp_path: Path) -> None:
    """Under ``python -c`` (as in a sweep job forked from the zygote) pyspark's own check of the
    client would take itself for a doctest run and end the process with status 0."""
    pytest.importorskip("pyspark")
    code = (
        "from benchbox.platforms.spark import Adapter, Config\n"
        "Adapter(Config(master=None, remote='sc://localhost:1')).connect()"
    )
    done = _without_grpc(tmp_path, code)
    assert done.returncode == 1, done.stderr
    assert "DriverMissingError" in done.stderr and "pip install 'pyspark[connect]'" in done.stderr
    assert "Skipping doctests" not in done.stderr


@pytest.fixture
def adapter():
    adapter = Adapter(Config(shuffle_partitions=2))
    adapter.connect()
    yield adapter
    adapter.close()


@needs_spark
def test_decimal_literals_are_exact(adapter: Adapter) -> None:
    """As floats, 0.06 + 0.01 is 0.0699..., and Q6's BETWEEN would drop every 0.07 discount."""
    assert adapter.execute("select 0.06 + 0.01, cast(0.07 as decimal(15,2)) <= 0.06 + 0.01") == [
        (Decimal("0.07"), True)
    ]
    assert adapter._spark.conf.get("spark.sql.shuffle.partitions") == "2"
    assert adapter.placement() == {
        "placement": "local_process", "url": "local[2]", "executors": 1, "cores": 2,
        "executor_memory_bytes": 1024**3,
    }  # fmt: skip
    versions = adapter.versions()
    assert versions["driver"] == "pyspark" and versions["engine_version"][0].isdigit()


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
            "o_comment": ['a, "quoted" b', "c"],
        }
    )
    files = {"parquet": folder / "orders.parquet", "csv": folder / "orders.csv"}
    pq.write_table(data, files["parquet"])
    pcsv.write_csv(data, files["csv"])
    return files


@needs_spark
@pytest.mark.parametrize("cache", [True, False])
@pytest.mark.parametrize("data_format", ["parquet", "csv"])
def test_load_gives_canonical_types_and_python_values(tmp_path: Path, cache: bool, data_format: str) -> None:
    adapter = Adapter(Config(cache=cache))
    adapter.connect()
    try:
        file = _orders_files(tmp_path)[data_format]
        assert adapter.load_table(ORDERS, [file], data_format) == 2
        assert adapter.load_table(ORDERS, [file], data_format) == 2, "a second load replaces the table"
        assert adapter._spark.catalog.isCached("orders") is cache
        rows = adapter.execute(
            "select typeof(o_orderkey), typeof(o_custkey), o_totalprice + 0.01,"
            " add_months(o_orderdate, 1), o_comment from orders order by o_orderkey"
        )
    finally:
        adapter.close()
    assert rows == [
        ("bigint", "int", Decimal("1.11"), date(1995, 2, 28), 'a, "quoted" b'),
        ("bigint", "int", Decimal("2.26"), date(1996, 3, 29), "c"),
    ]


@needs_spark
def test_load_reads_through_data_uri(tmp_path: Path) -> None:
    """The readers get ``<data_uri>/<path in the cache>``: right, the table loads; wrong, it fails."""
    dataset = _cache_layout(tmp_path / "cache")
    file = _orders_files(dataset)["parquet"]
    adapter = Adapter(Config(data_uri=f"file://{tmp_path}/cache"))
    adapter.connect()
    try:
        assert adapter.load_table(ORDERS, [file], "parquet") == 2
    finally:
        adapter.close()
    adapter = Adapter(Config(data_uri=f"file://{tmp_path}/not-the-cache"))
    adapter.connect()
    try:
        with pytest.raises(Exception, match=r"PATH_NOT_FOUND.*not-the-cache/tpch/sf0.01/parquet/orders"):
            adapter.load_table(ORDERS, [file], "parquet")
    finally:
        adapter.close()


@needs_spark
def test_a_malformed_csv_value_fails_the_load_rather_than_becoming_null(
    tmp_path: Path, adapter: Adapter
) -> None:
    file = tmp_path / "orders.csv"
    file.write_text("o_orderkey,o_custkey,o_totalprice,o_orderdate,o_comment\n1,10,1.10,1995-13-45,a\n")
    with pytest.raises(Exception, match=r"(?i)malformed|FAILFAST|parse"):
        adapter.load_table(ORDERS, [file], "csv")


def _cancel_after(adapter: Adapter, seconds: float, sql: str) -> float:
    """Run ``sql`` with ``interrupt()`` called from another thread; return how long until it raised."""
    timer = threading.Timer(seconds, adapter.interrupt)
    timer.start()
    start = time.perf_counter()
    try:
        with pytest.raises(QueryCancelled):
            adapter.execute(sql)
    finally:
        timer.cancel()
    return time.perf_counter() - start


@needs_spark
def test_interrupt_cancels_a_running_query_within_seconds(adapter: Adapter) -> None:
    adapter.execute("select 1")  # warm the planner: the cancel latency, not the first planning, is tested
    assert _cancel_after(adapter, 1.0, SLOW) < 120  # cancelled, not run for its minutes
    # At once, with jobs: the canceller of the interrupted query must leave this one alone.
    assert adapter.execute("select count(*) from range(0, 3000000, 1, 4)") == [(3000000,)]
    assert list(adapter._spark.sparkContext.statusTracker().getActiveJobsIds()) == []
    assert adapter.execute("select 40 + 2") == [(42,)], "the session works after a cancel"


@needs_spark
def test_interrupt_while_spark_plans_stops_the_query_before_any_job(adapter: Adapter) -> None:
    assert _cancel_after(adapter, 0.001, SLOW) < 120
    adapter.interrupt()  # nothing runs: harmless, and the next query is not cancelled by it
    assert adapter.execute("select 'still', 'here'") == [("still", "here")]


@needs_spark
def test_close_stops_the_session_and_gives_sigint_back() -> None:
    before = signal.getsignal(signal.SIGINT)
    adapter = Adapter(Config())
    adapter.connect()
    spark = adapter._spark
    adapter.close()
    adapter.close()  # twice is harmless
    assert signal.getsignal(signal.SIGINT) is before
    assert spark.sparkContext._jsc is None, "the SparkContext was stopped"
