"""A benchmark table described as data, so every platform builds its own DDL."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Table:
    """One table: ordered ``(column, canonical type)`` pairs and its keys."""

    name: str
    columns: tuple[tuple[str, str], ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, ...], ...] = ()
