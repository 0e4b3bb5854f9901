"""All of a run's files, or none of them: each is written in full first, then all are renamed into place.

Each file alone is already atomic (``benchbox.atomic``); a run has several, and a disk that
fills up after ``queries.parquet`` but before ``result.json`` would leave a folder whose
tables belong to no record. So every file is first written completely (and fsynced) into a
temporary sibling, ``.<name>.<random>.tmp``; only when all of them are there are they renamed
over their targets, in order (``result.json`` last). If anything fails, every temporary file
is removed and the files this call had already renamed are removed too: the folder then
holds none of this run's files.

A folder of files (a ``Folder``: a dry run's ``sql/``) is one entry too: all its files are
written into a temporary sibling folder, which is renamed into place as a whole, so that it
holds exactly this run's files (a folder of that name from an earlier run into the same run
folder is moved aside first, removed once every entry is in place, and put back if anything
fails).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from benchbox.atomic import write_atomic

Writer = Callable[[BinaryIO], None]
"""Writes one file's contents into an open binary file."""

Folder = Mapping[str, Writer]
"""A folder's files: each one's relative path inside it (``stream0/01-Q1.sql``) and its writer."""

Entry = Writer | Folder
"""What ``write_all`` puts at a path: a file, or a folder of files."""


def write_all(files: Sequence[tuple[Path, Entry]]) -> list[Path]:
    """Write every ``(path, entry)`` or none; return the paths, in the order given (renamed in it)."""
    staged: list[tuple[Path, Path, bool]] = []
    placed: list[Path] = []
    aside: list[tuple[Path, Path]] = []
    try:
        for path, entry in files:
            temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
            if isinstance(entry, Mapping):
                staged.append((temporary, path, True))  # before it exists: a failure inside removes it
                _stage_folder(temporary, entry)
            else:
                staged.append((write_atomic(temporary, entry), path, False))
        for temporary, path, is_folder in staged:
            if is_folder and path.is_dir():
                earlier = path.with_name(f".{path.name}.{secrets.token_hex(4)}.old")
                os.replace(path, earlier)
                aside.append((earlier, path))
            os.replace(temporary, path)
            placed.append(path)
    except BaseException:
        for temporary, _, _ in staged:
            _remove(temporary)
        for path in placed:
            _remove(path)
        for earlier, path in aside:
            with contextlib.suppress(OSError):
                os.replace(earlier, path)
        raise
    for earlier, _ in aside:
        shutil.rmtree(earlier, ignore_errors=True)
    return placed


def _stage_folder(temporary: Path, files: Folder) -> Path:
    """Write every file of a folder into the new folder ``temporary``."""
    temporary.mkdir()
    for name, write in files.items():
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise ValueError(f"{name!r} is not a path inside the folder")
        write_atomic(temporary.joinpath(*relative.parts), write)
    return temporary


def _remove(path: Path) -> None:
    """Remove a file or a folder, if it is there."""
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
