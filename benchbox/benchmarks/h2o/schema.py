"""The db-benchmark's tables as data: ``x`` for groupby; ``x``, ``small``, ``medium``, ``big`` for join.

Types follow the generated data (falsa's Arrow schemas): ids are ``VARCHAR`` (``id001``) or
``BIGINT``, measures ``BIGINT`` or ``DOUBLE``. Where the ``na_percent`` knob puts NULLs (the
groupby table's ids and measures), the columns are nullable; the join tables have none.
"""

from __future__ import annotations

from benchbox.benchmarks.schema import Column, Table

GROUPBY: tuple[Table, ...] = (
    Table(
        "x",
        (
            *(Column(f"id{i}", "VARCHAR", True) for i in (1, 2, 3)),
            *(Column(f"id{i}", "BIGINT", True) for i in (4, 5, 6)),
            Column("v1", "BIGINT", True),
            Column("v2", "BIGINT", True),
            Column("v3", "DOUBLE", True),
        ),
        (),
    ),
)
"""The groupby task's one table (10 questions)."""

_JOIN_X = (
    *((f"id{i}", "BIGINT") for i in (1, 2, 3)),
    *((f"id{i}", "VARCHAR") for i in (4, 5, 6)),
    ("v1", "DOUBLE"),
)
JOIN: tuple[Table, ...] = (
    Table("x", _JOIN_X, ()),
    Table("small", (("id1", "BIGINT"), ("id4", "VARCHAR"), ("v2", "DOUBLE")), ("id1",)),
    Table(
        "medium",
        (("id1", "BIGINT"), ("id2", "BIGINT"), ("id4", "VARCHAR"), ("id5", "VARCHAR"), ("v2", "DOUBLE")),
        ("id2",),
    ),
    Table(
        "big",
        (
            *((f"id{i}", "BIGINT") for i in (1, 2, 3)),
            *((f"id{i}", "VARCHAR") for i in (4, 5, 6)),
            ("v2", "DOUBLE"),
        ),
        ("id3",),
    ),
)
"""The join task's four tables: the left table ``x`` (``rows`` rows) and the right tables of
``rows / 1e6``, ``rows / 1e3`` and ``rows`` rows."""
