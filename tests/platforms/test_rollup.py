"""The ROLLUP expansion (benchbox/platforms/rollup.py): on SQLite, which has no ROLLUP, the rewritten
query returns what DuckDB's own ROLLUP returns, on data with NULLs."""

from __future__ import annotations

import sqlite3

import duckdb
import pytest
import sqlglot

from benchbox.platforms.rollup import expand_rollup
from benchbox.platforms.sqlite import Adapter, Config

ROWS = [("a", "x", 1, 10), ("a", "y", 2, 20), ("a", None, 3, 30), ("b", "x", 4, None), (None, "z", 5, 50)]


@pytest.fixture
def engines():
    duck = duckdb.connect()
    lite = sqlite3.connect(":memory:")
    for con in (duck, lite):
        con.execute("create table t (k1 varchar, k2 varchar, n integer, v integer)")
        con.executemany("insert into t values (?, ?, ?, ?)", ROWS)
    yield duck, lite
    duck.close()
    lite.close()


QUERIES = [
    "select k1, k2, sum(v) as s, count(*) as c from t group by rollup (k1, k2) "
    "order by k1, k2, grouping(k1), grouping(k2)",
    "select k1, k2, sum(n), grouping(k1) + grouping(k2) as g from t group by rollup (k1, k2) "
    "order by g, k1, k2",
    "select k1, grouping(k1, k2) as bits, avg(n) as a from t group by rollup (k1, k2) order by bits, k1, a",
    "select k1, k2, sum(n) as s from t group by k1, rollup (k2) order by k1, k2, grouping(k2)",
    "select k1, sum(n) as s from t where n > 1 group by rollup (k1) having sum(n) > 4 "
    "order by s desc, k1 limit 2",
    """select k1, k2, sum(n) as s,
              rank() over (partition by grouping(k1) + grouping(k2),
                           case when grouping(k2) = 0 then k1 end order by sum(n) desc) as r
       from t group by rollup (k1, k2) order by grouping(k1) + grouping(k2), k1, r""",
    """with base as (select * from t where v is not null)
       select * from (select k1, sum(v) as s from base group by rollup (k1)) x order by k1 desc, s""",
    "select sum(n) as s from t where false group by rollup (k1)",  # the grand total of no rows
]


@pytest.mark.parametrize("sql", QUERIES)
def test_the_rewrite_returns_what_rollup_returns(engines, sql: str) -> None:
    duck, lite = engines
    expected = duck.execute(sql).fetchall()
    rewritten = sqlglot.parse_one(sql, read="duckdb").transform(expand_rollup).sql("sqlite")
    assert "rollup (" not in rewritten.lower() and "rollup(" not in rewritten.lower()
    actual = lite.execute(rewritten).fetchall()
    assert [tuple(float(v) if isinstance(v, float) else v for v in row) for row in actual] == expected


def test_sqlite_translation_expands_rollup_and_leaves_plain_groups_alone() -> None:
    adapter = Adapter(Config())
    assert "UNION ALL" in adapter.translate("select a, count(*) from t group by rollup (a)")
    plain = adapter.translate("select a, count(*) from t group by a")
    assert "UNION" not in plain and "GROUP BY" in plain
