"""Platform adapters, one module each; a module is looked up by its config name.

Each module exposes ``Config`` (its pydantic config model) and ``Adapter`` (a
``benchbox.platforms.base.Adapter`` subclass). Importing a module is cheap: the
driver itself is imported in ``Adapter.connect``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

NAMES: tuple[str, ...] = ("duckdb", "sqlite")


def get(name: str) -> ModuleType:
    """Return the platform module called ``name`` (one of ``NAMES``)."""
    if name not in NAMES:
        raise KeyError(name)
    return importlib.import_module(f"{__name__}.{name}")
