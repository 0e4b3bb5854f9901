"""Benchmarks, one package each; a benchmark is looked up by its config name.

Each package defines ``BENCHMARK``, a
``benchbox.benchmarks.base.Benchmark`` subclass, which is all the engine uses.
Importing a package is cheap: data generation, answers and metrics are imported
when first used, so building a RunSpec stays fast.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchbox.benchmarks.base import Benchmark

NAMES: tuple[str, ...] = tuple(sorted(m.name for m in pkgutil.iter_modules(__path__) if m.ispkg))


def get(name: str) -> type[Benchmark]:
    """Return the benchmark class called ``name`` (one of ``NAMES``)."""
    if name not in NAMES:
        raise KeyError(name)
    return importlib.import_module(f"{__name__}.{name}").BENCHMARK
