"""A dry run's ``sql/``: its layout, written by the exporter from the plan, all or none with the rest."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from benchbox import sqlfiles
from benchbox.errors import ExportError
from benchbox.exporters import export, staging
from benchbox.result import PlannedQuery, RunResult
from benchbox.spec import RunContext, RunSpec


def _planned(query_id: str, stream: int = 0) -> PlannedQuery:
    return PlannedQuery(query_id, f"SELECT '{query_id}' AS q{stream}", f"select '{query_id}'", stream)


def _dry_run(tmp_path: Path, plan: list[PlannedQuery], mode: str = "dry_run") -> RunResult:
    spec = RunSpec.model_validate(
        {
            "platform": {"name": "duckdb"},
            "benchmark": {"name": "tpch"},
            "mode": {"name": mode},
            "data_dir": tmp_path / "data",
            "context": RunContext(output_dir=tmp_path / "out"),
        }
    )
    result = RunResult(run_id="r1", spec=spec, started_at="2026-01-01T00:00:00+00:00", status="ok")
    result.plan = plan
    result.finished_at = "2026-01-01T00:00:01+00:00"
    return result


def _tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_one_folder_per_stream_and_names_that_sort_in_run_order() -> None:
    plan = [_planned("Q2", 0), _planned("Q1", 0), _planned("Q1", 1), _planned("Q14a", 1), _planned("Q/x", 1)]
    assert list(sqlfiles.files(plan)) == [
        "stream0/01-Q2.sql",
        "stream0/02-Q1.sql",
        "stream1/01-Q1.sql",
        "stream1/02-Q14a.sql",
        "stream1/03-Q_x.sql",  # no folder out of a query id
    ]
    assert sqlfiles.files(plan)["stream1/02-Q14a.sql"] == plan[3].sql


def test_numbers_are_padded_to_one_width() -> None:
    plan = [_planned(f"Q{n}", 0) for n in range(1, 101)] + [_planned("Q1", s) for s in range(1, 11)]
    names = list(sqlfiles.files(plan))
    assert names[0] == "stream00/001-Q1.sql" and names[99] == "stream00/100-Q100.sql"
    assert (
        names[100:102] == ["stream01/01-Q1.sql", "stream02/01-Q1.sql"] and names[-1] == "stream10/01-Q1.sql"
    )
    assert names == sorted(names)


def test_a_dry_run_gets_the_plans_texts_and_other_modes_none(tmp_path: Path) -> None:
    plan = [_planned("Q1"), _planned("Q6")]
    written = export(_dry_run(tmp_path, plan))
    out = tmp_path / "out"
    assert out / "sql" in written and written[-1] == out / "result.json"
    record = json.loads((out / "result.json").read_text())
    assert _tree(out / "sql") == {
        "stream0/01-Q1.sql": record["plan"][0]["sql"],
        "stream0/02-Q6.sql": record["plan"][1]["sql"],
    }
    assert (
        out / "sql" / "stream0" / "01-Q1.sql"
    ).read_bytes() == b"SELECT 'Q1' AS q0"  # exactly, nothing added
    assert [p.name for p in out.rglob(".*")] == []
    export(_dry_run(tmp_path / "power", plan, mode="power"))
    assert not (tmp_path / "power" / "out" / "sql").exists()


def test_an_earlier_sql_folder_is_replaced_whole(tmp_path: Path) -> None:
    export(_dry_run(tmp_path, [_planned(f"Q{n}") for n in range(1, 23)]))
    export(_dry_run(tmp_path, [_planned("Q6")]))
    out = tmp_path / "out"
    assert list(_tree(out / "sql")) == ["stream0/01-Q6.sql"], "no file of the earlier run is left"
    assert [p.name for p in out.rglob(".*")] == []


def test_a_full_disk_leaves_no_sql_folder_and_the_earlier_one_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export(_dry_run(tmp_path, [_planned("Q1")]))
    out = tmp_path / "out"
    before = _tree(out)
    fsync = os.fsync

    def full(fd: int) -> None:
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(out / ".sql.")):  # the staged sql/
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        fsync(fd)

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(ExportError, match="No space left"):
        export(_dry_run(tmp_path, [_planned("Q6"), _planned("Q7")]))
    assert _tree(out) == before
    assert [p.name for p in out.rglob(".*")] == [], "no temporary file or folder"


def test_a_failed_rename_puts_the_earlier_folder_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export(_dry_run(tmp_path, [_planned("Q1")]))
    out = tmp_path / "out"
    before = _tree(out / "sql")
    replace = os.replace

    def failing(source: os.PathLike, target: os.PathLike) -> None:
        if Path(target).name == "result.json":
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        replace(source, target)

    monkeypatch.setattr(staging.os, "replace", failing)
    with pytest.raises(ExportError):
        export(_dry_run(tmp_path, [_planned("Q6")]))
    assert _tree(out / "sql") == before
    assert [p.name for p in out.rglob(".*")] == []


def test_a_folder_entry_stays_inside_its_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a path inside"):
        staging.write_all([(tmp_path / "sql", {"../escape.sql": lambda handle: handle.write(b"x")})])
    assert list(tmp_path.iterdir()) == []
