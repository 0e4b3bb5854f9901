"""Benchmark tables described as data, so every platform builds its own DDL from one description.

Column types are canonical SQL type names: ``INTEGER``, ``BIGINT``, ``DECIMAL(p,s)``,
``DOUBLE`` (binary floating point, where a benchmark's data is that), ``DATE`` and
``VARCHAR``. A platform maps them to its own types in one place
(``benchbox.platforms.types``); the Arrow types are mapped here, once.
Nullability is part of the schema: a platform that stored a NULL as ``0`` or ``''``
would give answers that are silently wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import pyarrow as pa

_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")
CANONICAL_TYPES = ("INTEGER", "BIGINT", "DOUBLE", "DATE", "VARCHAR", "DECIMAL(p,s)")
"""The canonical column types a benchmark may use."""


class Column(NamedTuple):
    """One column: its name, canonical type, and whether it may hold NULL."""

    name: str
    type: str
    nullable: bool = False


@dataclass(frozen=True)
class Table:
    """One table: ordered columns and its keys.

    ``columns`` may be given as ``(name, type)`` pairs (NOT NULL) or as ``Column``s.
    """

    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, ...], ...] = ()
    names: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        columns = tuple(c if isinstance(c, Column) else Column(*c) for c in self.columns)
        for column in columns:
            canonical(column.type)  # an unknown type fails where the schema is written, not at load
        object.__setattr__(self, "columns", columns)
        object.__setattr__(self, "names", tuple(c.name for c in columns))

    def arrow_schema(self) -> pa.Schema:
        """The table as an Arrow schema of the canonical types (see :func:`arrow_type`)."""
        import pyarrow as pa

        return pa.schema([pa.field(c.name, arrow_type(c.type), nullable=c.nullable) for c in self.columns])


def canonical(kind: str) -> str:
    """``kind`` if it is a canonical type; otherwise a ValueError naming the allowed ones."""
    if kind in CANONICAL_TYPES or _DECIMAL.fullmatch(kind):
        return kind
    raise ValueError(f"{kind!r} is not a canonical column type: use one of {', '.join(CANONICAL_TYPES)}")


def decimal_digits(kind: str) -> tuple[int, int] | None:
    """``(precision, scale)`` of a canonical ``DECIMAL(p,s)`` type; None for any other type."""
    decimal = _DECIMAL.fullmatch(kind)
    return (int(decimal[1]), int(decimal[2])) if decimal else None


def arrow_type(kind: str) -> pa.DataType:
    """The Arrow type of a canonical column type: the one place that mapping is written."""
    import pyarrow as pa

    digits = decimal_digits(kind)
    if digits:
        return pa.decimal128(*digits)
    types = {
        "INTEGER": pa.int32(),
        "BIGINT": pa.int64(),
        "DOUBLE": pa.float64(),
        "DATE": pa.date32(),
        "VARCHAR": pa.string(),
    }
    if kind not in types:
        raise ValueError(f"no Arrow type for the canonical type {kind!r}")
    return types[kind]


def wider_integer(have: pa.DataType, want: pa.DataType) -> bool:
    """Whether a data file's column of Arrow type ``have`` holds every value of the canonical
    type's ``want`` as it is: both integers of the same signedness, ``have`` at least as wide.

    Such a column is read as it is, not cast down on every scan: tpchgen-cli writes TPC-H's
    INTEGER keys as int64, and the cast made Polars and DataFusion plan the joins over them far
    more slowly (docs/performance.md).
    """
    import pyarrow as pa

    if not (pa.types.is_integer(have) and pa.types.is_integer(want)):
        return False
    same_sign = pa.types.is_signed_integer(have) == pa.types.is_signed_integer(want)
    return same_sign and have.bit_width >= want.bit_width


def canonical_of_arrow(dtype: pa.DataType) -> str:
    """The canonical type of an Arrow type (for tables a benchmark stages, such as refresh rows)."""
    import pyarrow as pa

    if pa.types.is_decimal(dtype):
        return f"DECIMAL({dtype.precision},{dtype.scale})"
    if pa.types.is_int64(dtype):
        return "BIGINT"
    if pa.types.is_integer(dtype):
        return "INTEGER"
    if pa.types.is_float64(dtype):
        return "DOUBLE"
    if pa.types.is_date(dtype):
        return "DATE"
    if pa.types.is_string(dtype) or pa.types.is_large_string(dtype) or pa.types.is_string_view(dtype):
        return "VARCHAR"
    raise ValueError(f"no canonical type for the Arrow type {dtype}")


def staged_table(name: str, schema: pa.Schema) -> Table:
    """A ``Table`` for an Arrow table a benchmark hands to a transaction (see ``MaintenanceOp``)."""
    columns = tuple(Column(f.name, canonical_of_arrow(f.type), f.nullable) for f in schema)
    return Table(name, columns, ())
