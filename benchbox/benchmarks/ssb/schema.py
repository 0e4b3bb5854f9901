"""The Star Schema Benchmark's five tables (O'Neil et al., revision 3, section 2) as data.

Types are canonical: keys ``INTEGER`` (the order key ``BIGINT``, as in TPC-H), dates as
``yyyymmdd`` integers (``lo_orderdate``, ``lo_commitdate``, ``d_datekey``), money
``DECIMAL(15,2)`` (TPC-H's dollars and cents), discounts, taxes and quantities whole
numbers, the date table's flags ``0``/``1``. Nothing is NULL. The date table is ``dates``, not
ssb-dbgen's ``date``: a reserved word of standard SQL and of some databases (docs/benchmarks/ssb.md).
"""

from __future__ import annotations

from benchbox.benchmarks.schema import Table

_MONEY = "DECIMAL(15,2)"

TABLES: tuple[Table, ...] = (
    Table(
        "customer",
        (
            ("c_custkey", "INTEGER"),
            ("c_name", "VARCHAR"),
            ("c_address", "VARCHAR"),
            ("c_city", "VARCHAR"),
            ("c_nation", "VARCHAR"),
            ("c_region", "VARCHAR"),
            ("c_phone", "VARCHAR"),
            ("c_mktsegment", "VARCHAR"),
        ),
        ("c_custkey",),
    ),
    Table(
        "supplier",
        (
            ("s_suppkey", "INTEGER"),
            ("s_name", "VARCHAR"),
            ("s_address", "VARCHAR"),
            ("s_city", "VARCHAR"),
            ("s_nation", "VARCHAR"),
            ("s_region", "VARCHAR"),
            ("s_phone", "VARCHAR"),
        ),
        ("s_suppkey",),
    ),
    Table(
        "part",
        (
            ("p_partkey", "INTEGER"),
            ("p_name", "VARCHAR"),
            ("p_mfgr", "VARCHAR"),
            ("p_category", "VARCHAR"),
            ("p_brand1", "VARCHAR"),
            ("p_color", "VARCHAR"),
            ("p_type", "VARCHAR"),
            ("p_size", "INTEGER"),
            ("p_container", "VARCHAR"),
        ),
        ("p_partkey",),
    ),
    Table(
        "dates",
        (
            ("d_datekey", "INTEGER"),
            ("d_date", "VARCHAR"),
            ("d_dayofweek", "VARCHAR"),
            ("d_month", "VARCHAR"),
            ("d_year", "INTEGER"),
            ("d_yearmonthnum", "INTEGER"),
            ("d_yearmonth", "VARCHAR"),
            ("d_daynuminweek", "INTEGER"),
            ("d_daynuminmonth", "INTEGER"),
            ("d_daynuminyear", "INTEGER"),
            ("d_monthnuminyear", "INTEGER"),
            ("d_weeknuminyear", "INTEGER"),
            ("d_sellingseason", "VARCHAR"),
            ("d_lastdayinweekfl", "INTEGER"),
            ("d_lastdayinmonthfl", "INTEGER"),
            ("d_holidayfl", "INTEGER"),
            ("d_weekdayfl", "INTEGER"),
        ),
        ("d_datekey",),
    ),
    Table(
        "lineorder",
        (
            ("lo_orderkey", "BIGINT"),
            ("lo_linenumber", "INTEGER"),
            ("lo_custkey", "INTEGER"),
            ("lo_partkey", "INTEGER"),
            ("lo_suppkey", "INTEGER"),
            ("lo_orderdate", "INTEGER"),
            ("lo_orderpriority", "VARCHAR"),
            ("lo_shippriority", "VARCHAR"),
            ("lo_quantity", "INTEGER"),
            ("lo_extendedprice", _MONEY),
            ("lo_ordtotalprice", _MONEY),
            ("lo_discount", "INTEGER"),
            ("lo_revenue", _MONEY),
            ("lo_supplycost", _MONEY),
            ("lo_tax", "INTEGER"),
            ("lo_commitdate", "INTEGER"),
            ("lo_shipmode", "VARCHAR"),
        ),
        ("lo_orderkey", "lo_linenumber"),
    ),
)
"""In load order: the dimensions, then the fact table."""
