"""The single-path rules, checked on the source so that breaking them fails loudly.

1. Only the engine calls phases, the enricher and the exporter.
2. Only the exporter (and the data cache, the atomic-write helper, and ``benchbox report``
   rebuilding a page) writes files.
3. The CLI only composes, validates and calls ``engine.run``.
"""

from __future__ import annotations

import ast
import re
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
    "benchbox.engine.streams": ("benchbox/engine/", {"benchbox/engine/__init__.py"}),
    "benchbox.enrich": ("benchbox/enrich/", {"benchbox/engine/__init__.py"}),
    "benchbox.exporters": ("benchbox/exporters/", {"benchbox/engine/__init__.py"}),
    # the command and its Python twin (benchbox.run): both hand a RunSpec to engine.run
    "benchbox.engine": ("benchbox/engine/", {"benchbox/cli.py", "benchbox/api.py"}),
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
    "benchbox/benchmarks/datacache.py",  # the data cache: manifests and derived tables next to the data
    # a generator that is a library (falsa), writing the data into the staging folder the data cache
    # hands it and renames into place, as tpchgen-cli does in its own process
    "benchbox/benchmarks/h2o/data.py",
    "benchbox/cache.py",  # the reference-result cache next to the data
    # a measurement, not a result file: "5" into /proc/<pid>/clear_refs resets the kernel's
    # peak-RSS counter before a timed call (it writes no file, and nothing but that counter)
    "benchbox/engine/resources.py",
    "benchbox/report/report.py",  # `benchbox report DIR` rebuilds report.html next to finished results
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


GENERIC = sorted(
    path
    for path in SOURCES
    if _rel(path).startswith(
        ("benchbox/engine/", "benchbox/exporters/", "benchbox/platforms/", "benchbox/enrich/")
    )
    or _rel(path)
    in {
        "benchbox/spec.py",
        "benchbox/result.py",
        "benchbox/sqlfiles.py",
        "benchbox/support_matrix.py",
        "benchbox/benchmarks/__init__.py",
        "benchbox/benchmarks/base.py",
        "benchbox/benchmarks/schema.py",
        "benchbox/benchmarks/datacache.py",
        "benchbox/benchmarks/generator.py",
        "benchbox/benchmarks/sizes.py",
        "benchbox/benchmarks/answers.py",
    }
)
"""The modules that must not know any benchmark: they reach one only through ``Benchmark``."""
_BENCHMARK_TERMS = re.compile(r"\b(RF1|RF2|scale_factor|tpch|tpcds|lineitem|store_sales)\b")
"""Terms of one benchmark, wherever they appear (code, strings, docstrings, comments)."""


def _table_names() -> set[str]:
    """Every benchmark's tables, under each of its configs' table sets (H2O's per ``task``)."""
    import typing

    from benchbox import benchmarks

    names = set()
    for name in benchmarks.NAMES:
        suite = benchmarks.get(name)
        task = suite.Config.model_fields.get("task")
        variants = [{"task": t} for t in typing.get_args(task.annotation)] if task else [{}]
        for settings in variants:
            names |= {table.name for table in suite(suite.Config(**settings)).tables()}
    return names


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the string statements (docstrings, attribute docstrings): prose may say "region" or
    "part"; code and SQL may not."""
    found = set()
    for parent in ast.walk(tree):
        body = getattr(parent, "body", None)
        for statement in body if isinstance(body, list) else []:
            if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
                found.add(id(statement.value))
    return found


@pytest.mark.parametrize("path", GENERIC, ids=_rel)
def test_generic_modules_know_no_benchmark_by_name(path: Path) -> None:
    text = path.read_text()
    terms = sorted({m.group(0) for m in _BENCHMARK_TERMS.finditer(text)})
    assert not terms, f"{_rel(path)} names a benchmark's terms {terms}: reach them through Benchmark"
    tree = ast.parse(text)
    prose = _docstrings(tree)
    words = re.compile(r"\b(" + "|".join(sorted(_table_names())) + r")\b")
    found = {
        m.group(0)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose
        if _SQL.search(node.value)
        for m in words.finditer(node.value)
    }
    assert not found, f"{_rel(path)} names benchmark tables {sorted(found)} in SQL"


_SQL = re.compile(r"\b(select|from|insert|delete|update|join|table)\b", re.IGNORECASE)
"""A string that may be SQL (where a table name would be a benchmark's table)."""


def test_benchmarks_are_reached_only_through_the_registry() -> None:
    """Nothing outside a benchmark's package imports it, and a benchmark imports no engine,
    exporter or platform: the seam runs one way."""
    from benchbox import benchmarks

    packages = {f"benchbox.benchmarks.{name}" for name in benchmarks.NAMES}
    offenders = []
    for path in SOURCES:
        rel = _rel(path)
        own = next((p for p in packages if rel.startswith(p.replace(".", "/") + "/")), None)
        for name in _imports(path):
            if own is None and any(name == p or name.startswith(p + ".") for p in packages):
                offenders.append(f"{rel} imports {name}")
            if own is not None and name.startswith(
                ("benchbox.engine", "benchbox.exporters", "benchbox.platforms")
            ):
                offenders.append(f"{rel} imports {name}")
            if own is not None and any(name.startswith(p) for p in packages - {own}):
                offenders.append(f"{rel} imports another benchmark: {name}")
    assert not offenders, offenders


def test_every_benchmark_is_a_package_a_config_a_docs_page_and_tests() -> None:
    from benchbox import benchmarks

    root = PACKAGE.parent
    for name in benchmarks.NAMES:
        benchmark = benchmarks.get(name)
        assert benchmark.name == name and benchmark.Config.model_fields["name"].default == name
        assert (root / "conf" / "benchmark" / f"{name}.yaml").is_file(), name
        assert (root / "docs" / "benchmarks" / f"{name}.md").is_file(), name
        assert (root / "tests" / "benchmarks" / name).is_dir(), name
        assert benchmark.modes <= {
            "power",
            "throughput",
            "maintenance",
            "tpc",
            "data_only",
            "load_only",
            "dry_run",
        }


def test_reading_results_never_runs_anything() -> None:
    """compare (benchbox/report/) reads run records only: no engine, platform, exporter or benchmark."""
    offenders = [
        f"{_rel(path)} imports {name}"
        for path in SOURCES
        if _rel(path).startswith("benchbox/report/")
        for name in _imports(path)
        if name.startswith(
            ("benchbox.engine", "benchbox.platforms", "benchbox.exporters", "benchbox.benchmarks")
        )
    ]
    assert not offenders, offenders
