"""SQLite translation: forms that plain transpiling gets silently wrong are rewritten."""

from __future__ import annotations

import sqlite3

import pytest

from benchbox.platforms.sqlite import Adapter, Config


def _sqlite(sql: str) -> list[tuple]:
    translated = Adapter(Config()).translate(sql)
    return sqlite3.connect(":memory:").execute(translated).fetchall()


@pytest.mark.parametrize(
    ("canonical", "expected"),
    [
        ("select date '1998-12-01' - interval '90' day", "1998-09-02"),
        ("select date '1995-01-01' + interval '1' year", "1996-01-01"),
        ("select date '1993-10-01' + interval '3' month", "1994-01-01"),
        ("select date '1996-01-31' + interval '1' month", "1996-02-29"),
        ("select date '1994-01-01' - interval '1' day", "1993-12-31"),
    ],
)
def test_date_arithmetic_is_folded_to_iso_text(canonical: str, expected: str) -> None:
    assert _sqlite(canonical) == [(expected,)]


def test_date_literals_compare_as_text_dates() -> None:
    db = sqlite3.connect(":memory:")
    db.execute("create table t (d text)")
    db.executemany("insert into t values (?)", [("1998-08-01",), ("1998-09-02",), ("1998-10-01",)])
    sql = Adapter(Config()).translate(
        "select count(*) from t where d <= date '1998-12-01' - interval '90' day"
    )
    assert db.execute(sql).fetchall() == [(2,)]


def test_extract_year_is_an_integer() -> None:
    assert _sqlite("select extract(year from date '1995-06-17')") == [(1995,)]


def test_derived_column_list_becomes_aliases() -> None:
    sql = "select c_count, count(*) from (select 7, 3) as c_orders (c_custkey, c_count) group by c_count"
    assert _sqlite(sql) == [(3, 1)]


def test_substring_from_for() -> None:
    assert _sqlite("select substring('13-987' from 1 for 2)") == [("13",)]


def test_duckdb_sql_is_left_alone() -> None:
    from benchbox.platforms.duckdb import Adapter as DuckDB
    from benchbox.platforms.duckdb import Config as DuckDBConfig

    sql = "select 1 from t where d <= date '1998-12-01' - interval '90' day"
    assert DuckDB(DuckDBConfig()).translate(sql) == sql


def test_decimal_literal_arithmetic_is_exact() -> None:
    db = sqlite3.connect(":memory:")
    db.execute("create table t (d real)")
    db.executemany("insert into t values (?)", [(0.05,), (0.06,), (0.07,), (0.08,)])
    sql = Adapter(Config()).translate("select count(*) from t where d between 0.06 - 0.01 and 0.06 + 0.01")
    assert db.execute(sql).fetchall() == [(3,)]
