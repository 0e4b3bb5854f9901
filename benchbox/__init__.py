"""benchbox: analytic database benchmarks from declarative configs, through one engine.

``benchbox.run(overrides)`` makes a run as the command would and ``benchbox.load(paths)``
reads finished runs as one table (``benchbox.api``, docs/python.md). They are loaded on
first use, so that ``import benchbox.cli`` (and ``benchbox --help``) stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "load", "run"]

_LAZY = ("load", "run")

if TYPE_CHECKING:
    from benchbox.api import load, run


def __getattr__(name: str) -> Any:
    """``benchbox.run`` and ``benchbox.load``, imported from ``benchbox.api`` when first used."""
    if name in _LAZY:
        from benchbox import api

        return getattr(api, name)
    raise AttributeError(f"module 'benchbox' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
