"""Benchmarks, one package each; a benchmark package is looked up by its config name.

Each package exposes the same module-level names, which is all the engine uses:
``Config`` (its pydantic config model), ``TABLES`` (schema), ``ensure_data``,
``plan_queries``, ``reference`` and ``compare``.
"""

from __future__ import annotations

import importlib
from types import ModuleType

NAMES: tuple[str, ...] = ("tpch",)


def get(name: str) -> ModuleType:
    """Return the benchmark package called ``name`` (one of ``NAMES``)."""
    if name not in NAMES:
        raise KeyError(name)
    return importlib.import_module(f"{__name__}.{name}")
