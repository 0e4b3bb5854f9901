"""The TPC-H schema (spec clause 1.4) as data, so every platform builds its own DDL.

Types are canonical SQL type names; a platform adapter maps them to its own.
Keys are declared because row stores need them: without the primary- and
foreign-key indexes SQLite takes minutes on Q4, Q19 and Q21.
"""

from __future__ import annotations

from benchbox.benchmarks.schema import Table

_MONEY = "DECIMAL(15,2)"

TABLES: tuple[Table, ...] = (
    Table(
        "nation",
        (
            ("n_nationkey", "INTEGER"),
            ("n_name", "VARCHAR"),
            ("n_regionkey", "INTEGER"),
            ("n_comment", "VARCHAR"),
        ),
        ("n_nationkey",),
        (("n_regionkey",),),
    ),
    Table(
        "region",
        (("r_regionkey", "INTEGER"), ("r_name", "VARCHAR"), ("r_comment", "VARCHAR")),
        ("r_regionkey",),
    ),
    Table(
        "part",
        (
            ("p_partkey", "INTEGER"),
            ("p_name", "VARCHAR"),
            ("p_mfgr", "VARCHAR"),
            ("p_brand", "VARCHAR"),
            ("p_type", "VARCHAR"),
            ("p_size", "INTEGER"),
            ("p_container", "VARCHAR"),
            ("p_retailprice", _MONEY),
            ("p_comment", "VARCHAR"),
        ),
        ("p_partkey",),
    ),
    Table(
        "supplier",
        (
            ("s_suppkey", "INTEGER"),
            ("s_name", "VARCHAR"),
            ("s_address", "VARCHAR"),
            ("s_nationkey", "INTEGER"),
            ("s_phone", "VARCHAR"),
            ("s_acctbal", _MONEY),
            ("s_comment", "VARCHAR"),
        ),
        ("s_suppkey",),
        (("s_nationkey",),),
    ),
    Table(
        "partsupp",
        (
            ("ps_partkey", "INTEGER"),
            ("ps_suppkey", "INTEGER"),
            ("ps_availqty", "INTEGER"),
            ("ps_supplycost", _MONEY),
            ("ps_comment", "VARCHAR"),
        ),
        ("ps_partkey", "ps_suppkey"),
        (("ps_suppkey",),),
    ),
    Table(
        "customer",
        (
            ("c_custkey", "INTEGER"),
            ("c_name", "VARCHAR"),
            ("c_address", "VARCHAR"),
            ("c_nationkey", "INTEGER"),
            ("c_phone", "VARCHAR"),
            ("c_acctbal", _MONEY),
            ("c_mktsegment", "VARCHAR"),
            ("c_comment", "VARCHAR"),
        ),
        ("c_custkey",),
        (("c_nationkey",),),
    ),
    Table(
        "orders",
        (
            ("o_orderkey", "BIGINT"),
            ("o_custkey", "INTEGER"),
            ("o_orderstatus", "VARCHAR"),
            ("o_totalprice", _MONEY),
            ("o_orderdate", "DATE"),
            ("o_orderpriority", "VARCHAR"),
            ("o_clerk", "VARCHAR"),
            ("o_shippriority", "INTEGER"),
            ("o_comment", "VARCHAR"),
        ),
        ("o_orderkey",),
        (("o_custkey",),),
    ),
    Table(
        "lineitem",
        (
            ("l_orderkey", "BIGINT"),
            ("l_partkey", "INTEGER"),
            ("l_suppkey", "INTEGER"),
            ("l_linenumber", "INTEGER"),
            ("l_quantity", _MONEY),
            ("l_extendedprice", _MONEY),
            ("l_discount", _MONEY),
            ("l_tax", _MONEY),
            ("l_returnflag", "VARCHAR"),
            ("l_linestatus", "VARCHAR"),
            ("l_shipdate", "DATE"),
            ("l_commitdate", "DATE"),
            ("l_receiptdate", "DATE"),
            ("l_shipinstruct", "VARCHAR"),
            ("l_shipmode", "VARCHAR"),
            ("l_comment", "VARCHAR"),
        ),
        ("l_orderkey", "l_linenumber"),
        (("l_partkey", "l_suppkey"), ("l_suppkey",)),
    ),
)
