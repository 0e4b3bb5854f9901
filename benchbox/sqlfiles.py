"""A dry run's SQL as files: which runs get them, and the layout of the run folder's ``sql/``.

Defined once, for the exporter that writes the files and the console summary that says where
they are. The layout is one folder per query stream of the plan and one file per planned
query, numbered in the order the stream runs its queries, so that the names sort that way::

    sql/stream0/01-Q1.sql, sql/stream0/02-Q2.sql, ...

Stream and position numbers are padded to the same width within a folder (at least two digits
for positions: ``001-Q1.sql`` when a stream has 100 queries or more). A query id is kept as it
is, but for characters a file name should not hold, which become ``_``. Each file holds
exactly the text the platform executes, ``PlannedQuery.sql`` (the ``sql`` of ``result.json``'s
``plan``), in UTF-8: no terminator and no newline are added (``sqlite3 db < file``,
``psql -f file`` and DuckDB run a last statement without ``;``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchbox.result import PlannedQuery
    from benchbox.spec import RunSpec

FOLDER = "sql"
"""The folder inside the run folder."""

MODES = frozenset({"dry_run"})
"""The modes whose run folder gets the files: the run's answer is its SQL. Other runs keep the
same text in ``result.json``'s ``plan`` only."""

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def folder(spec: RunSpec) -> Path | None:
    """Where a run of ``spec`` writes its SQL files, or None when its mode writes none."""
    return spec.context.output_dir / FOLDER if spec.mode.name in MODES else None


def files(plan: Iterable[PlannedQuery]) -> dict[str, str]:
    """Each planned query's file, as its path inside ``sql/`` (``stream0/01-Q1.sql``) and its
    text, streams in ascending order and each stream's queries in its run order."""
    streams: dict[int, list[PlannedQuery]] = {}
    for query in plan:
        streams.setdefault(query.stream, []).append(query)
    stream_width = len(str(max(streams, default=0)))
    found: dict[str, str] = {}
    for stream, queries in sorted(streams.items()):
        width = max(2, len(str(len(queries))))
        for position, query in enumerate(queries, 1):
            name = f"{position:0{width}d}-{_UNSAFE.sub('_', query.query_id)}.sql"
            found[f"stream{stream:0{stream_width}d}/{name}"] = query.sql
    return found
