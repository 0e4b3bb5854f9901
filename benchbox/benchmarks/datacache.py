"""The data cache: every benchmark's data is generated once per data key, reused after.

Data lives in ``<data_dir>/<benchmark>/<key...>/`` (for example ``<name>/sf1/parquet``)
with a ``manifest.json`` (generator and version, tables, row counts, files, bytes).
A dataset is reused only when its manifest is valid and every file has the recorded
size. It is generated into a temporary sibling folder and renamed into place, under a
file lock, so parallel sweep jobs never generate twice or read half-written data.
Only the generator itself is the benchmark's (``Benchmark.generate``); this module
knows no benchmark.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchbox.atomic import write_atomic, write_bytes_atomic
from benchbox.errors import DataError

if TYPE_CHECKING:
    import pyarrow as pa

    from benchbox.benchmarks.base import Benchmark

Notify = Callable[[str], None]


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


@dataclass(frozen=True)
class Generated:
    """What a benchmark's generator made in the staging folder."""

    files: Mapping[str, Sequence[Path]]
    """Table name -> its data files (inside the staging folder)."""
    generator: Mapping[str, str]
    """``name`` and ``version`` of the program that made the data."""
    facts: Mapping[str, Any]
    """What the data is, for the manifest (e.g. scale factor and format)."""


def dataset_dir(data_dir: Path, benchmark: Benchmark) -> Path:
    """Where the benchmark's dataset lives (it may not exist yet)."""
    return data_dir.joinpath(benchmark.name, *benchmark.data_key())


def ensure(data_dir: Path, benchmark: Benchmark, notify: Notify) -> Dataset:
    """Return the cached dataset, generating it first when it is missing or broken."""
    from filelock import FileLock

    target = dataset_dir(data_dir, benchmark)
    data_format = benchmark.data_format
    target.parent.mkdir(parents=True, exist_ok=True)
    what = f"{benchmark.title} {benchmark.config.label} {data_format}"
    with FileLock(f"{target}.lock"):
        manifest = _valid_manifest(target, benchmark)
        if manifest is not None:
            notify(f"reusing cached {what} data in {target}")
            return Dataset(target, data_format, manifest, generated=False)
        notify(f"generating {what} data into {target}")
        staging = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        shutil.rmtree(staging, ignore_errors=True)
        try:
            staging.mkdir(parents=True)
            manifest = _manifest(benchmark, staging, benchmark.generate(staging, notify))
            write_bytes_atomic(staging / "manifest.json", json.dumps(manifest, indent=2).encode())
            shutil.rmtree(target, ignore_errors=True)
            staging.rename(target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return Dataset(target, data_format, manifest, generated=True)


def _valid_manifest(path: Path, benchmark: Benchmark) -> dict | None:
    try:
        manifest = json.loads((path / "manifest.json").read_text())
        for table in benchmark.tables():
            for entry in manifest["tables"][table.name]["files"]:
                if (path / entry["path"]).stat().st_size != entry["bytes"]:
                    return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return manifest


def _manifest(benchmark: Benchmark, staging: Path, made: Generated) -> dict:
    tables = {}
    for table in benchmark.tables():
        files = list(made.files.get(table.name, ()))
        missing = [f for f in files if not f.exists()] or ([] if files else [table.name])
        if missing:
            raise DataError(f"{made.generator['name']} did not write {missing[0]} into {staging}")
        tables[table.name] = {
            "rows": sum(_count_rows(f, benchmark.data_format) for f in files),
            "files": [{"path": f.relative_to(staging).as_posix(), "bytes": f.stat().st_size} for f in files],
        }
    return {
        "benchmark": benchmark.name,
        **made.facts,
        "generator": dict(made.generator),
        "created_at": datetime.now(timezone.utc).isoformat(),
        "tables": tables,
    }


def _count_rows(file: Path, data_format: str) -> int:
    if data_format == "parquet":
        import pyarrow.parquet as pq

        return pq.read_metadata(file).num_rows
    with file.open("rb") as handle:  # CSV with one header line; values never hold newlines
        return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1


def executable(name: str, package: str) -> str:
    """The path of a generator program, preferring the one installed next to this Python (the
    same venv) over PATH; a DataError naming the package to install when there is none."""
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    found = shutil.which(name, path=search)
    if found is None:
        raise DataError(f"{name} is not installed: run `pip install {package}` (a benchbox dependency)")
    return found


def run_generator(command: Sequence[str]) -> str:
    """Run a generator's command line (its program first); return the program's ``--version``.

    Raises:
        DataError: the generator failed; the message ends with its own last words.
    """
    import subprocess

    done = subprocess.run(list(command), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise DataError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    version = subprocess.run([command[0], "--version"], capture_output=True, text=True, check=False)
    words = version.stdout.split()
    return words[-1] if words else "unknown"


def number_label(value: float) -> str:
    """A number as folder names and generators see it: ``0.01``, ``1``, ``10``, never ``1e+01``, and
    never two values on one label (``:g`` alone keeps only six digits)."""
    return f"{value:.15g}"


def derived(
    dataset: Dataset, parts: Sequence[str], make: Callable[[], Mapping[str, pa.Table]]
) -> dict[str, pa.Table]:
    """Tables derived from a dataset (e.g. refresh rows), made once and cached as Parquet next to it.

    They live in ``<dataset>/../<parts...>/<name>.parquet``, written under a lock, each
    file atomically; a ``.complete`` file, written last, lists them and marks the set whole.
    """
    import pyarrow.parquet as pq
    from filelock import FileLock

    folder = dataset.path.parent.joinpath(*parts)
    folder.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(f"{folder}.lock"):
        done = folder / ".complete"
        if not done.exists():
            made = dict(make())
            for name, table in made.items():
                write_atomic(folder / f"{name}.parquet", lambda handle, t=table: pq.write_table(t, handle))
            write_bytes_atomic(done, json.dumps(sorted(made)).encode())
            return made
        names = json.loads(done.read_text())
    return {name: pq.read_table(folder / f"{name}.parquet") for name in names}
