"""A benchmark table described as data, so every platform builds its own DDL."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

_DECIMAL = re.compile(r"DECIMAL\((\d+),\s*(\d+)\)")


@dataclass(frozen=True)
class Table:
    """One table: ordered ``(column, canonical type)`` pairs and its keys."""

    name: str
    columns: tuple[tuple[str, str], ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, ...], ...] = ()

    def arrow_schema(self) -> pa.Schema:
        """The table as an Arrow schema of the canonical types (see :func:`arrow_type`)."""
        import pyarrow as pa

        return pa.schema([(name, arrow_type(kind)) for name, kind in self.columns])


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
    types = {"INTEGER": pa.int32(), "BIGINT": pa.int64(), "DATE": pa.date32(), "VARCHAR": pa.string()}
    if kind not in types:
        raise ValueError(f"no Arrow type for the canonical type {kind!r}")
    return types[kind]
