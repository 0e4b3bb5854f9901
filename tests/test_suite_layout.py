"""The suite's own layout under pytest-xdist: what ``tests/conftest.py``'s scheduler relies on."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def _one_module() -> set[str]:
    """``ONE_MODULE`` as conftest.py spells it (read, not imported: conftest is no importable module)."""
    tree = ast.parse((TESTS / "conftest.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "ONE_MODULE" for t in node.targets):
            return set(ast.literal_eval(node.value))
    raise AssertionError("conftest.py defines no ONE_MODULE")


def _has_module_fixture(path: Path) -> bool:
    """Whether the module defines a fixture with ``scope="module"`` or wider: one that is ``session``
    scoped but defined in a test module (a server only its tests use) is made once per worker too."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and any(
                    k.arg == "scope"
                    and isinstance(k.value, ast.Constant)
                    and k.value.value in ("module", "package", "class", "session")
                    for k in decorator.keywords
                ):
                    return True
    return False


def test_every_module_fixture_is_one_unit() -> None:
    """A module-scoped fixture is made once per worker that runs one of the module's tests: the
    module must be one unit of work (``ONE_MODULE``), else its sweep or data is made twice."""
    root = TESTS.parent
    having = {p.relative_to(root).as_posix() for p in TESTS.rglob("test_*.py") if _has_module_fixture(p)}
    listed = _one_module()
    assert having == listed, (
        f"add to ONE_MODULE: {sorted(having - listed)}; remove: {sorted(listed - having)}"
    )
