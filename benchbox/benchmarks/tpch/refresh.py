"""TPC-H refresh data (spec clauses 2.5-2.7 and 4.2.4): what RF1 inserts and RF2 deletes.

The base data fills only the first 8 order keys of every 32 (dbgen's sparse keys:
row ``i`` gets key ``32 * (i // 8) + 8 * seq + i % 8`` with ``seq = 0``). Refresh set
``N`` covers rows ``(N - 1) * R + 1 .. N * R`` with ``R = SF x 1500``: RF1 inserts new
orders for those rows with ``seq = 1`` (keys the base data leaves unused), each with 1-7
lineitems; RF2 deletes the base orders of the same rows (``seq = 0``) and their
lineitems. So an RF1/RF2 pair leaves the order count where it was, and no set touches
another's rows.

The new rows follow the column rules of clause 4.2.3 (dates, prices, flags derived from
the ship and receipt dates, total price from the lineitems; comments are text strings of
19-78 characters for orders and 10-43 for lineitems, from the spec's grammar: ``text``),
with the key ranges of the base data: clerks ``Clerk#000000001`` to the base data's last,
and customer keys in the proportions the base data has (no key divisible by 3; keys 1 more
than a multiple of 3 twice as common as the others). Everything is drawn from
``random.Random(f"{seed}:refresh:{N}")``: the same seed gives the same sets in every
process. Differences from dbgen's ``-U`` files are deliberate and small: the values come
from Python's generator, not dbgen's streams (so do the comments' words, unweighted); and
below SF 1 a set has ``round(SF x 1500)`` orders (dbgen truncates SF 0.01 to 10).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from benchbox.benchmarks.tpch import vocabulary as v
from benchbox.benchmarks.tpch.schema import TABLES
from benchbox.benchmarks.tpch.text import text_string

if TYPE_CHECKING:
    import pyarrow as pa

START_DATE, END_DATE, CURRENT_DATE = date(1992, 1, 1), date(1998, 12, 31), date(1995, 6, 17)
"""STARTDATE, ENDDATE and CURRENTDATE, which clause 4.2.3's date rules use (defined in 4.2.2.12)."""
_LAST_ORDER_DATE = END_DATE - timedelta(days=151)
_PRIORITIES = ("1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW")
_INSTRUCTIONS = ("DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN")
O_COMMENT, L_COMMENT = (19, 78), (10, 43)
"""Clause 4.2.3: O_COMMENT is a text string[19, 78], L_COMMENT a text string[10, 43] (dbgen: its
O_CMNT_LEN 49 and L_CMNT_LEN 27 times 0.4 and 1.6, truncated)."""
LAYOUT = 2
"""The version of what a set holds, in its cache path (``refresh/v<LAYOUT>/...``): raised whenever a
change makes benchbox generate other rows for the same seed and set (2: clause 4.2.2.14's noun
phrase after a preposition, dbgen's move off the last customer key), so that a set cached by an
earlier benchbox is never reused."""
_CUST_MORTALITY = 3
"""Clause 4.2.3: O_CUSTKEY is never divisible by 3, so every third customer has no orders."""
_FEWEST_CLERKS = 1000
"""The base data's clerks below SF 1 (see ``clerks``)."""
_LAST_SET = 999
"""Clause 4.2.4.2 keeps the key rules above for sets 1 to 1000, but dbgen's 1000th set leaves
them: its RF1 takes key group ``1 + set // 1000`` (the third 8 keys of every 32) and its RF2
group ``set // 1000`` (keys of the second 8 that no set inserted). benchbox stops at 999,
where the clause and dbgen agree."""


def clerks(scale_factor: float) -> int:
    """The last clerk number in the base data: SF x 1000 (clause 4.2.3's O_CLERK), and 1000 below
    SF 1, as dbgen draws it (``mk_order``: 1 to the larger of SF x 1000 and 1000), so tpchgen-cli's
    SF 0.01 and 0.1 orders have Clerk#000000001 to Clerk#000001000."""
    return max(_FEWEST_CLERKS, round(scale_factor * 1000))


def orders_per_set(scale_factor: float) -> int:
    """SF x 1500 orders per refresh set (clauses 2.6.2 and 2.7.2), at least 1."""
    return max(1, round(scale_factor * 1500))


def sparse_key(row: int, seq: int) -> int:
    """dbgen's ``mk_sparse``: the order key of (1-based) row ``row`` in key group ``seq``."""
    return 32 * (row // 8) + 8 * seq + row % 8


def set_rows(number: int, scale_factor: float, base_orders: int) -> range:
    """The row numbers refresh set ``number`` (1-based) inserts (seq 1) and deletes (seq 0)."""
    per_set = orders_per_set(scale_factor)
    sets = min(base_orders // per_set, _LAST_SET)
    if not 1 <= number <= sets:
        raise ValueError(f"refresh set {number} does not exist: this scale factor has sets 1 to {sets}")
    return range((number - 1) * per_set + 1, number * per_set + 1)


@dataclass(frozen=True)
class RefreshSet:
    """One refresh pair's data: RF1's new rows and RF2's order keys."""

    number: int
    orders: pa.Table
    lineitem: pa.Table
    delete_keys: pa.Table
    """One column, ``o_orderkey``: the base orders (with their lineitems) RF2 deletes."""


@dataclass(frozen=True)
class Sizes:
    """The base data's row counts that bound the random keys (from the data's manifest)."""

    orders: int
    customer: int
    part: int
    supplier: int


def refresh_set(number: int, scale_factor: float, seed: int, sizes: Sizes) -> RefreshSet:
    """Generate refresh set ``number``: deterministic from ``seed`` and ``number``."""
    import pyarrow as pa

    rows = set_rows(number, scale_factor, sizes.orders)
    rng = random.Random(f"{seed}:refresh:{number}")
    last_clerk = clerks(scale_factor)
    orders: list[dict[str, object]] = []
    lines: list[dict[str, object]] = []
    for row in rows:
        key = sparse_key(row, 1)
        ordered = START_DATE + timedelta(days=rng.randint(0, (_LAST_ORDER_DATE - START_DATE).days))
        items = [_lineitem(rng, key, n, ordered, sizes) for n in range(1, rng.randint(1, 7) + 1)]
        statuses = {item["l_linestatus"] for item in items}
        total = sum(
            (i["l_extendedprice"] * (1 + i["l_tax"]) * (1 - i["l_discount"]) for i in items), Decimal(0)
        )
        orders.append(
            {
                "o_orderkey": key,
                "o_custkey": customer_key(rng, sizes.customer),
                "o_orderstatus": statuses.pop() if len(statuses) == 1 else "P",
                "o_totalprice": total.quantize(Decimal("0.01")),
                "o_orderdate": ordered,
                "o_orderpriority": rng.choice(_PRIORITIES),
                "o_clerk": f"Clerk#{rng.randint(1, last_clerk):09d}",
                "o_shippriority": 0,
                "o_comment": text_string(rng, *O_COMMENT),
            }
        )
        lines += items
    by_name = {table.name: table for table in TABLES}
    deleted = [sparse_key(row, 0) for row in rows]
    return RefreshSet(
        number=number,
        orders=pa.Table.from_pylist(orders, schema=by_name["orders"].arrow_schema()),
        lineitem=pa.Table.from_pylist(lines, schema=by_name["lineitem"].arrow_schema()),
        delete_keys=pa.table({"o_orderkey": pa.array(deleted, pa.int64())}),
    )


def _lineitem(rng: random.Random, key: int, number: int, ordered: date, sizes: Sizes) -> dict[str, object]:
    """One lineitem by clause 4.2.3's rules."""
    part = rng.randint(1, sizes.part)
    quantity = rng.randint(1, 50)
    shipped = ordered + timedelta(days=rng.randint(1, 121))
    received = shipped + timedelta(days=rng.randint(1, 30))
    return {
        "l_orderkey": key,
        "l_partkey": part,
        "l_suppkey": _supplier(part, rng.randint(0, 3), sizes.supplier),
        "l_linenumber": number,
        "l_quantity": Decimal(quantity),
        "l_extendedprice": Decimal(quantity) * retail_price(part),
        "l_discount": Decimal(rng.randint(0, 10)) / 100,
        "l_tax": Decimal(rng.randint(0, 8)) / 100,
        "l_returnflag": rng.choice("RA") if received <= CURRENT_DATE else "N",
        "l_linestatus": "O" if shipped > CURRENT_DATE else "F",
        "l_shipdate": shipped,
        "l_commitdate": ordered + timedelta(days=rng.randint(30, 90)),
        "l_receiptdate": received,
        "l_shipinstruct": rng.choice(_INSTRUCTIONS),
        "l_shipmode": rng.choice(v.SHIP_MODES),
        "l_comment": text_string(rng, *L_COMMENT),
    }


def retail_price(part: int) -> Decimal:
    """P_RETAILPRICE of a part key (clause 4.2.3), which L_EXTENDEDPRICE multiplies."""
    return Decimal(90000 + (part // 10) % 20001 + 100 * (part % 1000)) / 100


def _supplier(part: int, i: int, suppliers: int) -> int:
    """One of the part's four suppliers (clause 4.2.3's PS_SUPPKEY formula), so that
    (l_partkey, l_suppkey) is a row of partsupp."""
    return (part + i * (suppliers // 4 + (part - 1) // suppliers)) % suppliers + 1


def customer_key(rng: random.Random, customers: int) -> int:
    """An O_CUSTKEY: a uniform key moved off a multiple of 3 to the next key, or, for the last
    key, to the one before it, as dbgen's ``mk_order`` does (add 1, clamp to the last key,
    then subtract 1). So keys that are 1 more than a multiple of 3 come twice as often as
    those 2 more, the 2:1 split the base data's orders show (and what a rejection loop, at
    1:1, would not give)."""
    key = rng.randint(1, customers)
    if key % _CUST_MORTALITY:
        return key
    return key + 1 if key < customers else key - 1
