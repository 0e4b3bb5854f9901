"""One mapping from the benchmarks' canonical column types to each platform's SQL types.

A canonical type (``INTEGER``, ``BIGINT``, ``DECIMAL(p,s)``, ``DOUBLE``, ``DATE``, ``VARCHAR``; see
``benchbox.benchmarks.schema``) is parsed by sqlglot and written in the platform's
dialect, so ClickHouse gets ``Int32`` and ``Nullable(...)`` for a column that may hold
NULL, Spark ``STRING``, and so on. Where a platform wants something else, its adapter
says so as data (``Adapter.type_overrides``: ``{"VARCHAR": 'text COLLATE "C"',
"DECIMAL": "numeric({p},{s})"}``), keyed by the type's name without its digits.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from benchbox.benchmarks.schema import Table, canonical, decimal_digits


def column_type(
    kind: str, dialect: str, nullable: bool = False, overrides: Mapping[str, str] | None = None
) -> str:
    """The platform type of canonical type ``kind`` in ``dialect``.

    Raises:
        ValueError: ``kind`` is not a canonical type.
    """
    canonical(kind)
    digits = decimal_digits(kind)
    key = "DECIMAL" if digits else kind
    plain, typed = _render(kind, dialect, False), _render(kind, dialect, nullable)
    if not overrides or key not in overrides:
        return typed
    p, s = digits or (None, None)
    # Where the dialect writes nullability into the type (ClickHouse's Nullable(...)), the
    # override is wrapped the same way.
    return typed.replace(plain, overrides[key].format(p=p, s=s), 1)


WRITTEN = {
    "duckdb": {
        "INTEGER": "INT",
        "BIGINT": "BIGINT",
        "DOUBLE": "DOUBLE",
        "DATE": "DATE",
        "VARCHAR": "TEXT",
        "DECIMAL": "DECIMAL({p}, {s})",
    }
}
"""What sqlglot writes for each canonical type in a dialect whose types carry no nullability, written
out so that loading into DuckDB (the default platform, whose queries need no translation) does not
import sqlglot (0.2 s) for five type names. ``tests/test_import_cost.py`` checks it against sqlglot."""


@functools.cache
def _render(kind: str, dialect: str, nullable: bool) -> str:
    if dialect in WRITTEN:
        digits = decimal_digits(kind)
        written = WRITTEN[dialect]
        return written["DECIMAL"].format(p=digits[0], s=digits[1]) if digits else written[kind]
    from sqlglot import exp

    dtype = exp.DataType.build(kind)
    dtype.set("nullable", nullable)
    return dtype.sql(dialect=dialect)


def column_definitions(
    table: Table, dialect: str, overrides: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """``(column, platform type)`` for every column of ``table``, nullability included where the
    dialect's types carry it (ClickHouse)."""
    return [(c.name, column_type(c.type, dialect, c.nullable, overrides)) for c in table.columns]


def create_table_sql(
    table: Table,
    dialect: str,
    overrides: Mapping[str, str] | None = None,
    *,
    verb: str = "CREATE TABLE",
    primary_key: bool = False,
    suffix: str = "",
) -> str:
    """``CREATE TABLE name (column type, ...)`` for a platform; ``primary_key`` adds the table's
    key as a constraint, ``suffix`` what follows the column list (a ClickHouse ``ENGINE``)."""
    parts = [f"{name} {kind}" for name, kind in column_definitions(table, dialect, overrides)]
    if primary_key and table.primary_key:
        parts.append(f"PRIMARY KEY ({', '.join(table.primary_key)})")
    return f"{verb} {table.name} ({', '.join(parts)}){suffix}"
