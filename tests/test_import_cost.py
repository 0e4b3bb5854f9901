"""The import boundaries that keep a run's fixed cost down (docs/performance.md, "Fixed cost per
process"): sqlglot (0.2 s) only where a translation runs, pyarrow (0.25 s with numpy) only where a
table is written. Each case runs the real command in a fresh interpreter and lists the modules
loaded by the time it exits. Nothing here is timed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

_LIST_AT_EXIT = """\
import atexit, sys
listing = sys.argv[1]
atexit.register(lambda: open(listing, "w").write("\\n".join(sorted(sys.modules))))
sys.argv = ["benchbox", *sys.argv[2:]]
from benchbox.cli import main
main()
"""
"""``benchbox ARGS`` in this interpreter, writing ``sys.modules`` into a file when it exits."""


def _loaded(tmp_path: Path, *overrides: str) -> set[str]:
    """The top-level packages loaded by ``benchbox OVERRIDES progress=false`` (which must succeed)."""
    listing = tmp_path / "modules.txt"
    command = [sys.executable, "-c", _LIST_AT_EXIT, str(listing), *overrides, "progress=false"]
    command.append(f"hydra.run.dir={tmp_path / 'run'}")
    done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return {name.split(".")[0] for name in listing.read_text().split()}


DUCKDB_DRY_RUN = ("mode=dry_run", "platform=duckdb", "export=json")


def test_a_duckdb_dry_run_writing_json_imports_neither_sqlglot_nor_pyarrow(tmp_path: Path) -> None:
    """Templates whose row order ships with the benchmark (TPC-DS's order.json): nothing on the
    path (spec, platform, plan, enricher, exporter, report page) needs either."""
    loaded = _loaded(tmp_path, *DUCKDB_DRY_RUN, "benchmark=tpcds", "benchmark.queries=[1,2,3]")
    assert not loaded & {"sqlglot", "pyarrow", "numpy"}


def test_the_default_duckdb_dry_run_imports_no_pyarrow(tmp_path: Path) -> None:
    assert not _loaded(tmp_path, *DUCKDB_DRY_RUN) & {"pyarrow", "numpy"}


def test_the_default_duckdb_dry_run_imports_no_sqlglot(tmp_path: Path) -> None:
    assert "sqlglot" not in _loaded(tmp_path, *DUCKDB_DRY_RUN)


def test_a_platform_that_translates_imports_sqlglot(tmp_path: Path) -> None:
    """The boundary is where translation runs, not "never": SQLite's queries are rewritten."""
    loaded = _loaded(tmp_path, "mode=dry_run", "platform=sqlite", "benchmark=tpcds", "benchmark.queries=[1]")
    assert "sqlglot" in loaded


def test_writing_a_table_imports_pyarrow(tmp_path: Path) -> None:
    assert "pyarrow" in _loaded(tmp_path, "mode=dry_run", "export=parquet")


@pytest.mark.parametrize("kind", ["INTEGER", "BIGINT", "DATE", "VARCHAR", "DECIMAL(15,2)", "DECIMAL(7, 0)"])
@pytest.mark.parametrize("nullable", [False, True])
def test_the_types_written_out_are_what_sqlglot_writes(kind: str, nullable: bool) -> None:
    """``platforms.types.WRITTEN`` spares DuckDB's load the sqlglot import; it must say what sqlglot says."""
    from sqlglot import exp

    from benchbox.platforms import types

    for dialect in types.WRITTEN:
        dtype = exp.DataType.build(kind)
        dtype.set("nullable", nullable)
        assert types.column_type(kind, dialect, nullable) == dtype.sql(dialect=dialect), dialect
