"""The single-path rules, checked on the source so that breaking them fails loudly.

1. Only the engine calls phases, the enricher and the exporter.
2. Only the exporter (and the data cache, and the atomic-write helper) writes files.
3. The CLI only composes, validates and calls ``engine.run``.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "benchbox"
SOURCES = sorted(PACKAGE.rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


RESTRICTED = {
    "benchbox.engine.phases": ("benchbox/engine/", {"benchbox/engine/__init__.py"}),
    "benchbox.engine.performance": ("benchbox/engine/", {"benchbox/engine/__init__.py"}),
    "benchbox.enrich": ("benchbox/enrich/", {"benchbox/engine/__init__.py"}),
    "benchbox.exporters": ("benchbox/exporters/", {"benchbox/engine/__init__.py"}),
    "benchbox.engine": ("benchbox/engine/", {"benchbox/cli.py"}),
}
"""Module -> (the package that owns it, the only files outside that package allowed to import it)."""


@pytest.mark.parametrize("module", sorted(RESTRICTED))
def test_only_the_engine_calls_phases_enrich_and_export(module: str) -> None:
    owner, allowed = RESTRICTED[module]
    offenders = []
    for path in SOURCES:
        rel = _rel(path)
        if rel.startswith(owner):
            continue  # a package may use its own modules
        hits = {name for name in _imports(path) if name == module or name.startswith(module + ".")}
        if hits and rel not in allowed:
            offenders.append(f"{rel}: {sorted(hits)}")
    assert not offenders, f"only {allowed} may import {module}: {offenders}"


WRITERS = {
    "benchbox/atomic.py",  # the one temp-file-and-rename primitive
    "benchbox/benchmarks/tpch/data.py",  # the data cache's manifest
    "benchbox/cache.py",  # the reference-result cache next to the data
    "benchbox/benchmarks/tpch/answers/make_answers.py",  # maintainer script that writes the shipped answers
}
_WRITE_CALLS = {
    "write_text",
    "write_bytes",
    "dump",
    "write_table",
    "write_csv",
    "to_csv",
    "to_parquet",
    "fdopen",
}


def test_no_file_writing_outside_the_exporter() -> None:
    offenders = []
    for path in SOURCES:
        rel = _rel(path)
        if rel.startswith("benchbox/exporters/") or rel in WRITERS:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            mode = next((a for a in node.args[1:2]), None)
            writes_by_open = (
                name == "open" and isinstance(mode, ast.Constant) and any(c in str(mode.value) for c in "wax")
            )
            if (
                name in _WRITE_CALLS
                or writes_by_open
                or (name.startswith("write_") and name.endswith("atomic"))
            ):
                offenders.append(f"{rel}:{node.lineno} {name}")
    assert not offenders, f"files written outside the exporter: {offenders}"


def test_cli_is_tiny_and_branch_free() -> None:
    source = (PACKAGE / "cli.py").read_text()
    assert len(source.splitlines()) <= 120
    tree = ast.parse(source)
    ifs = [node for node in ast.walk(tree) if isinstance(node, ast.If)]
    assert len(ifs) <= 2, "the CLI may only report errors; modes are RunSpecs on the engine's path"
    assert "mode" not in {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}


def test_engine_run_is_the_only_runner() -> None:
    """No second executor: nothing but the engine package defines phase functions."""
    for path in SOURCES:
        if _rel(path).startswith("benchbox/engine/"):
            continue
        tree = ast.parse(path.read_text())
        defined = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        assert not defined & {"power", "throughput", "maintenance", "run_benchmark", "execute_benchmark"}, (
            path
        )


def test_cli_import_is_cheap() -> None:
    """``benchbox --help`` must not pay for drivers, Arrow or pydantic."""
    code = "import sys, benchbox.cli; print(' '.join(sorted(sys.modules)))"
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert not loaded & {"duckdb", "pyarrow", "sqlalchemy", "sqlglot", "pydantic", "rich"}


def test_the_support_matrix_in_the_docs_is_current() -> None:
    from benchbox.support_matrix import matrix

    docs = (PACKAGE.parent / "docs" / "platforms" / "README.md").read_text()
    assert matrix() in docs, "regenerate it: python -m benchbox.support_matrix"
