"""The TPC-H data cache: generate once per (scale factor, format), reuse after.

Data lives in ``<data_dir>/tpch/sf<SF>/<format>/`` with a ``manifest.json``
(generator and version, tables, row counts, files, bytes). A dataset is reused
only when its manifest is valid and every file has the recorded size. It is
generated into a temporary sibling folder and renamed into place, under a file
lock, so parallel sweep jobs never generate twice or read half-written data.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from benchbox.atomic import write_atomic, write_bytes_atomic
from benchbox.benchmarks.tpch.schema import TABLES
from benchbox.errors import DataError

if TYPE_CHECKING:
    from benchbox.benchmarks.tpch.refresh import RefreshSet

GENERATOR = "tpchgen-cli"
EXTENSIONS = {"parquet": "parquet", "csv": "csv"}


@dataclass(frozen=True)
class Dataset:
    """A complete, validated dataset on disk."""

    path: Path
    data_format: str
    manifest: dict
    generated: bool

    @property
    def fingerprint(self) -> str:
        """sha256 of the manifest's canonical JSON: names the exact data a run used."""
        canonical = json.dumps({k: v for k, v in self.manifest.items() if k != "created_at"}, sort_keys=True)
        return hashlib.sha256(canonical.encode()).hexdigest()

    def files(self, table: str) -> list[Path]:
        """The data files of ``table``."""
        return [self.path / f["path"] for f in self.manifest["tables"][table]["files"]]

    def rows(self, table: str) -> int:
        """The row count of ``table`` as generated."""
        return int(self.manifest["tables"][table]["rows"])


def sf_label(scale_factor: float) -> str:
    """The scale factor as file names and the generator see it: ``0.01``, ``1``, ``10``, never ``1e+01``
    and never two scale factors on one label (``:g`` alone keeps only six digits)."""
    return f"{scale_factor:.15g}"


def dataset_dir(data_dir: Path, scale_factor: float, data_format: str) -> Path:
    """Where the dataset for this scale factor and format lives (it may not exist yet)."""
    return data_dir / "tpch" / f"sf{sf_label(scale_factor)}" / data_format


def ensure_data(
    scale_factor: float, data_format: str, data_dir: Path, notify: Callable[[str], None]
) -> Dataset:
    """Return the cached dataset, generating it first when it is missing or broken."""
    from filelock import FileLock

    target = dataset_dir(data_dir, scale_factor, data_format)
    target.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{target}.lock"):
        manifest = _valid_manifest(target)
        if manifest is not None:
            notify(f"reusing cached TPC-H SF {scale_factor:g} {data_format} data in {target}")
            return Dataset(target, data_format, manifest, generated=False)
        notify(f"generating TPC-H SF {scale_factor:g} {data_format} data into {target}")
        staging = target.with_name(f".{data_format}.tmp-{os.getpid()}")
        shutil.rmtree(staging, ignore_errors=True)
        try:
            manifest = _generate(scale_factor, data_format, staging)
            shutil.rmtree(target, ignore_errors=True)
            staging.rename(target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return Dataset(target, data_format, manifest, generated=True)


def _valid_manifest(path: Path) -> dict | None:
    try:
        manifest = json.loads((path / "manifest.json").read_text())
        for table in TABLES:
            for entry in manifest["tables"][table.name]["files"]:
                if (path / entry["path"]).stat().st_size != entry["bytes"]:
                    return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return manifest


def _generator() -> str:
    # Prefer the generator installed next to this Python (the same venv) over PATH.
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    found = shutil.which(GENERATOR, path=search)
    if found is None:
        raise DataError(
            f"{GENERATOR} is not installed: run `pip install {GENERATOR}` (a benchbox dependency)"
        )
    return found


def _generate(scale_factor: float, data_format: str, staging: Path) -> dict:
    exe = _generator()
    staging.mkdir(parents=True)
    command = [exe, data_format, "--scale-factor", sf_label(scale_factor), "--output-dir", str(staging)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise DataError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    version = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False).stdout.split()
    tables = {}
    for table in TABLES:
        file = staging / f"{table.name}.{EXTENSIONS[data_format]}"
        if not file.exists():
            raise DataError(f"{GENERATOR} did not write {file.name} into {staging}")
        tables[table.name] = {
            "rows": _count_rows(file, data_format),
            "files": [{"path": file.name, "bytes": file.stat().st_size}],
        }
    manifest = {
        "benchmark": "tpch",
        "scale_factor": scale_factor,
        "data_format": data_format,
        "generator": {"name": GENERATOR, "version": version[-1] if version else "unknown"},
        "created_at": datetime.now(timezone.utc).isoformat(),
        "tables": tables,
    }
    write_bytes_atomic(staging / "manifest.json", json.dumps(manifest, indent=2).encode())
    return manifest


def _count_rows(file: Path, data_format: str) -> int:
    if data_format == "parquet":
        import pyarrow.parquet as pq

        return pq.read_metadata(file).num_rows
    with file.open("rb") as handle:  # CSV with one header line; values never hold newlines
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1


REFRESH_FILES = ("orders", "lineitem", "delete")


def ensure_refresh_set(dataset: Dataset, scale_factor: float, seed: int, number: int) -> RefreshSet:
    """Refresh set ``number`` for ``seed``, cached as Parquet next to the base data
    (``<sf>/refresh/seed<seed>/set<number>/``) and generated once under a lock."""
    import pyarrow.parquet as pq
    from filelock import FileLock

    from benchbox.benchmarks.tpch import refresh

    folder = dataset.path.parent / "refresh" / f"seed{seed}" / f"set{number}"
    folder.parent.mkdir(parents=True, exist_ok=True)
    files = {name: folder / f"{name}.parquet" for name in REFRESH_FILES}
    with FileLock(f"{folder}.lock"):
        if not all(f.exists() for f in files.values()):
            sizes = refresh.Sizes(*(dataset.rows(t) for t in ("orders", "customer", "part", "supplier")))
            made = refresh.refresh_set(number, scale_factor, seed, sizes)
            tables = {"orders": made.orders, "lineitem": made.lineitem, "delete": made.delete_keys}
            for name, table in tables.items():  # each file atomic; "delete" last marks the set complete
                write_atomic(files[name], lambda handle, t=table: pq.write_table(t, handle))
            return made
    read = {name: pq.read_table(path) for name, path in files.items()}
    return refresh.RefreshSet(number, read["orders"], read["lineitem"], read["delete"])
