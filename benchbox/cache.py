"""The reference-result cache: expected answers a reference platform computed, kept next to the data.

Computing an expected result means loading the data into a second engine, so each
result is stored once, under a digest of everything that decides it (the data's
fingerprint, the reference platform and its driver version, the exact query text),
in ``<dataset>/../references/<platform>/<digest>.json.gz``. Files are written
atomically, so parallel sweep jobs at worst compute the same result twice.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

from benchbox.atomic import write_bytes_atomic


def digest(*parts: str) -> str:
    """sha256 over the parts, each length-prefixed so that no two part lists collide."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode()
        hasher.update(len(data).to_bytes(8, "big") + data)
    return hasher.hexdigest()


def read(path: Path) -> dict[str, Any] | None:
    """The cached entry at ``path``, or None when missing or unreadable (it is then recomputed)."""
    try:
        return json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError, EOFError):
        return None


def write(path: Path, entry: dict[str, Any]) -> None:
    """Store ``entry`` (JSON-ready) at ``path`` atomically."""
    write_bytes_atomic(path, gzip.compress(json.dumps(entry, separators=(",", ":")).encode(), mtime=0))
