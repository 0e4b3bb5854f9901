"""How each TPC-H answer column is compared: the precision rules of clause 2.1.3.5.

The clause sets the precision by what a column is, not by its values: singleton column
values and COUNT results must match exactly (a), ratios (b) and averages (d) must lie within
1% of the validation output when rounded to the nearest 1/100th, and SUM results within $100
(c). Its comments settle the mixed cases: a SUM divided by a SUM or a constant (Q8, Q14,
Q17) keeps both b and c (1); a SUM of 0s and 1s is a count (Q12: 2); a view's sum selected
without further computation is a sum (Q15's total_revenue: 3); and ``sum(l_quantity)`` is
exact (Q1, Q18: 4). So the kind of every output column is declared here, once, and
``tests/benchmarks/tpch/test_precision.py`` derives it again from the query text and checks
it against the shipped answers.

For b and d, the expected value ``v`` is rounded to the nearest 1/100th too, as the spec's
validation output gives it: an unrounded ``v`` below 1 would reject its own value
(``round(0.0344, 2)`` is 0.03, less than 0.99 x 0.0344).
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from benchbox.benchmarks.answers import Tolerance

Rule = Literal["exact", "sum", "average", "sum_ratio"]

RULES: dict[Rule, Tolerance] = {
    "exact": Tolerance(absolute=0.0),  # a), comments 2 and 4
    "sum": Tolerance(absolute=100.0),  # c), comment 3
    "average": Tolerance(relative=0.01, digits=2),  # d)
    "sum_ratio": Tolerance(absolute=100.0, relative=0.01, digits=2),  # comment 1: b) and c)
}
"""Clause 2.1.3.5's rules as tolerances. Every TPC-H ratio is a ratio of sums (comment 1), so
b) alone applies to no column."""

COLUMNS: dict[int, tuple[tuple[str, Rule], ...]] = {
    1: (
        ("l_returnflag", "exact"),
        ("l_linestatus", "exact"),
        ("sum_qty", "exact"),  # comment 4: SUM(l_quantity)
        ("sum_base_price", "sum"),
        ("sum_disc_price", "sum"),
        ("sum_charge", "sum"),
        ("avg_qty", "average"),
        ("avg_price", "average"),
        ("avg_disc", "average"),
        ("count_order", "exact"),
    ),
    2: (
        ("s_acctbal", "exact"),
        ("s_name", "exact"),
        ("n_name", "exact"),
        ("p_partkey", "exact"),
        ("p_mfgr", "exact"),
        ("s_address", "exact"),
        ("s_phone", "exact"),
        ("s_comment", "exact"),
    ),
    3: (("l_orderkey", "exact"), ("revenue", "sum"), ("o_orderdate", "exact"), ("o_shippriority", "exact")),
    4: (("o_orderpriority", "exact"), ("order_count", "exact")),
    5: (("n_name", "exact"), ("revenue", "sum")),
    6: (("revenue", "sum"),),
    7: (("supp_nation", "exact"), ("cust_nation", "exact"), ("l_year", "exact"), ("revenue", "sum")),
    8: (("o_year", "exact"), ("mkt_share", "sum_ratio")),  # comment 1
    9: (("nation", "exact"), ("o_year", "exact"), ("sum_profit", "sum")),
    10: (
        ("c_custkey", "exact"),
        ("c_name", "exact"),
        ("revenue", "sum"),
        ("c_acctbal", "exact"),
        ("n_name", "exact"),
        ("c_address", "exact"),
        ("c_phone", "exact"),
        ("c_comment", "exact"),
    ),
    11: (("ps_partkey", "exact"), ("value", "sum")),
    12: (("l_shipmode", "exact"), ("high_line_count", "exact"), ("low_line_count", "exact")),  # comment 2
    13: (("c_count", "exact"), ("custdist", "exact")),
    14: (("promo_revenue", "sum_ratio"),),  # comment 1
    15: (
        ("s_suppkey", "exact"),
        ("s_name", "exact"),
        ("s_address", "exact"),
        ("s_phone", "exact"),
        ("total_revenue", "sum"),  # comment 3
    ),
    16: (("p_brand", "exact"), ("p_type", "exact"), ("p_size", "exact"), ("supplier_cnt", "exact")),
    17: (("avg_yearly", "sum_ratio"),),  # comment 1
    18: (
        ("c_name", "exact"),
        ("c_custkey", "exact"),
        ("o_orderkey", "exact"),
        ("o_orderdate", "exact"),
        ("o_totalprice", "exact"),
        ("sum(l_quantity)", "exact"),  # comment 4
    ),
    19: (("revenue", "sum"),),
    20: (("s_name", "exact"), ("s_address", "exact")),
    21: (("s_name", "exact"), ("numwait", "exact")),
    22: (("cntrycode", "exact"), ("numcust", "exact"), ("totacctbal", "sum")),
}
"""Each query's output columns, in order, with the rule that applies to each."""


@cache
def tolerances(query: int) -> tuple[Tolerance, ...]:
    """The tolerance of each output column of ``query``, in order."""
    return tuple(RULES[rule] for _, rule in COLUMNS[query])
