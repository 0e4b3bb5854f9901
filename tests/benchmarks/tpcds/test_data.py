"""TPC-DS data: tpcgen-cli's tables through the generic cache, and the schema that describes them."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from benchbox.benchmarks import datacache
from benchbox.benchmarks.schema import arrow_type
from benchbox.benchmarks.tpcds import TPCDS, Config
from benchbox.benchmarks.tpcds.schema import TABLES


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> datacache.Dataset:
    return datacache.ensure(
        tmp_path_factory.mktemp("tpcds"), TPCDS(Config(scale_factor=0.01)), lambda _: None
    )


def test_24_tables_are_generated_and_cached_with_a_manifest(dataset: datacache.Dataset) -> None:
    assert dataset.generated and len(dataset.manifest["tables"]) == 24
    assert dataset.manifest["generator"]["name"] == "tpcgen-cli" and dataset.manifest["benchmark"] == "tpcds"
    assert dataset.path.parts[-3:] == ("tpcds", "sf0.01", "parquet")
    # dsdgen's fixed-size dimensions keep their size below SF 1
    assert dataset.rows("customer_demographics") == 1_920_800 and dataset.rows("date_dim") == 73_049
    assert dataset.rows("store_sales") > 100_000
    assert not (dataset.path / "dbgen_version.parquet").exists()


def test_reused_on_the_next_run(dataset: datacache.Dataset) -> None:
    again = datacache.ensure(dataset.path.parents[2], TPCDS(Config(scale_factor=0.01)), lambda _: None)
    assert not again.generated and again.fingerprint == dataset.fingerprint


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_the_schema_is_the_generated_files(dataset: datacache.Dataset, table) -> None:
    """Column names, order, types and nullability in the schema are the data's (the spec's N column)."""
    schema = pq.read_schema(dataset.files(table.name)[0])
    assert schema.names == list(table.names)
    for column in table.columns:
        field = schema.field(column.name)
        assert field.nullable == column.nullable, column.name
        if column.type != "VARCHAR":  # text is string_view in the files
            assert field.type == arrow_type(column.type), column.name


def test_nullable_columns_hold_nulls_and_keys_do_not(dataset: datacache.Dataset) -> None:
    sales = pq.read_table(dataset.files("store_sales")[0], columns=["ss_customer_sk", "ss_item_sk"])
    assert sales.column("ss_customer_sk").null_count > 0, "TPC-DS data has NULLs: platforms must keep them"
    assert sales.column("ss_item_sk").null_count == 0
    assert Path(dataset.files("store")[0]).name == "store.parquet"
    assert "s_tax_precentage" in TABLES[[t.name for t in TABLES].index("store")].names  # dsdgen's spelling
