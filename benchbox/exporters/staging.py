"""All of a run's files, or none of them: each is written in full first, then all are renamed into place.

Each file alone is already atomic (``benchbox.atomic``); a run has several, and a disk that
fills up after ``queries.parquet`` but before ``result.json`` would leave a folder whose
tables belong to no record. So every file is first written completely (and fsynced) into a
temporary sibling, ``.<name>.<random>.tmp``; only when all of them are there are they renamed
over their targets, in order (``result.json`` last). If anything fails, every temporary file
is removed and the files this call had already renamed are removed too: the folder then
holds none of this run's files.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from benchbox.atomic import write_atomic

Writer = Callable[[BinaryIO], None]
"""Writes one file's contents into an open binary file."""


def write_all(files: Sequence[tuple[Path, Writer]]) -> list[Path]:
    """Write every ``(path, writer)`` or none; return the paths, in the order given (renamed in it)."""
    staged: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    try:
        for path, write in files:
            temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
            staged.append((write_atomic(temporary, write), path))
        for temporary, path in staged:
            os.replace(temporary, path)
            placed.append(path)
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        for path in placed:
            path.unlink(missing_ok=True)
        raise
    return placed
