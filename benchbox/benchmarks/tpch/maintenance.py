"""TPC-H's refresh functions as data (clauses 2.5-2.7): RF1 inserts a refresh set's new orders
and their lineitems, RF2 deletes old orders and theirs, each one transaction.

The rows come from ``refresh.py`` (cached next to the data); the engine runs the
statements through ``Adapter.run_transaction`` with the rows staged as tables. In
mode=maintenance the order and lineitem counts are read around each function: RF1
adds its orders and lineitems, RF2 brings the order count back to where it was.
"""

from __future__ import annotations

from collections.abc import Mapping

from benchbox.benchmarks.base import Counts, MaintenanceOp
from benchbox.benchmarks.datacache import Dataset

COUNTS = Counts(
    "SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM lineitem)", ("orders", "lineitem")
)
"""The row counts the refresh functions change, read outside every timed region."""

_RF1 = (
    "INSERT INTO orders SELECT * FROM benchbox_rf_orders",
    "INSERT INTO lineitem SELECT * FROM benchbox_rf_lineitem",
)
_RF2 = (
    "DELETE FROM lineitem WHERE l_orderkey IN (SELECT o_orderkey FROM benchbox_rf_keys)",
    "DELETE FROM orders WHERE o_orderkey IN (SELECT o_orderkey FROM benchbox_rf_keys)",
)


def refresh_pair(dataset: Dataset, scale_factor: float, seed: int, number: int) -> tuple[MaintenanceOp, ...]:
    """RF1 and RF2 of refresh set ``number`` for ``seed``."""
    from benchbox.benchmarks.tpch.data import refresh_set

    rows = refresh_set(dataset, scale_factor, seed, number)
    inserted = {"orders": rows.orders.num_rows, "lineitem": rows.lineitem.num_rows}
    deleted = rows.delete_keys.num_rows
    rf1 = MaintenanceOp(
        "RF1",
        number,
        _RF1,
        {"benchbox_rf_orders": rows.orders, "benchbox_rf_lineitem": rows.lineitem},
        rows=inserted["orders"],
        expect=lambda before, after: _problems({t: before[t] + n for t, n in inserted.items()}, after),
    )
    rf2 = MaintenanceOp(
        "RF2",
        number,
        _RF2,
        {"benchbox_rf_keys": rows.delete_keys},
        rows=deleted,
        expect=lambda before, after: _problems({"orders": before["orders"] - deleted}, after),
    )
    return rf1, rf2


def _problems(expected: Mapping[str, int], found: Mapping[str, int]) -> list[str]:
    return [
        f"{table}: expected {want} rows, found {found[table]}"
        for table, want in expected.items()
        if want != found[table]
    ]
