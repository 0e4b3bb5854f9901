"""Platform adapters, one module each; a module is looked up by its config name.

Each module (every module here but the shared ``base``, ``rollup`` and ``types``) exposes
``Config`` (its pydantic config model) and ``Adapter`` (a ``benchbox.platforms.base.Adapter`` subclass).
Importing a module is cheap: the driver itself is imported in ``Adapter.connect``,
so every platform is known (and validated) whether or not its driver is installed.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

_SHARED = ("base", "rollup", "types")
NAMES: tuple[str, ...] = tuple(
    sorted(
        m.name for m in pkgutil.iter_modules(__path__) if m.name not in _SHARED and not m.name.startswith("_")
    )
)


def get(name: str) -> ModuleType:
    """Return the platform module called ``name`` (one of ``NAMES``)."""
    if name not in NAMES:
        raise KeyError(name)
    return importlib.import_module(f"{__name__}.{name}")
