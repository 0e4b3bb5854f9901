"""The data cache: every benchmark's data is generated once per data key, reused after.

Data lives in ``<data_dir>/<benchmark>/<key...>/`` (for example ``<name>/sf1/parquet``)
with a ``manifest.json`` (generator and version, tables, row counts, files, bytes, CRC-32s).
It is generated into a temporary sibling folder and renamed into place, under a file
lock, so parallel sweep jobs never generate twice or read half-written data. A run
killed mid-generation leaves that folder behind; the next run holding the lock removes
it, and the generator itself dies with its parent (``generator.run_generator``).

A dataset is reused when every file has its recorded size and this machine's stamp
(``.verified.json``: the manifest's digest, each file's size and modification time)
still matches; otherwise its contents are checked against the manifest (row counts,
CRC-32s: one read of the data) before reuse, and it is generated again when they
differ. Reusing a complete dataset writes nothing, so a read-only cache works.
Only the generator itself is the benchmark's (``Benchmark.generate``); this module
knows no benchmark.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import shutil
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchbox.atomic import write_atomic, write_bytes_atomic
from benchbox.benchmarks.sizes import check_disk
from benchbox.errors import DataError, SpecError

if TYPE_CHECKING:
    import pyarrow as pa

    from benchbox.benchmarks.base import Benchmark

log = logging.getLogger(__name__)

Notify = Callable[[str], None]

MANIFEST = "manifest.json"
STAMP = ".verified.json"
"""This machine's record of a verified dataset: not part of the data, never in the fingerprint."""
_CHUNK = 1 << 20
_READ_ONLY = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})
"""What creating a lock file fails with where the cache cannot be written."""


@dataclass(frozen=True)
class Dataset:
    """A complete, validated dataset on disk."""

    path: Path
    data_format: str
    manifest: dict
    generated: bool

    @property
    def fingerprint(self) -> str:
        """sha256 of the manifest's canonical JSON without its creation time and the files' CRC-32s:
        names the exact data a run used, the same as before CRC-32s were recorded."""
        return _fingerprint(self.manifest)

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


def ensure(data_dir: Path, benchmark: Benchmark, notify: Notify, allow_large_data: bool = False) -> Dataset:
    """Return the cached dataset, generating it first when it is missing or damaged.

    Raises:
        SpecError: the data must be generated but the folder is not writable, or the data
            would not fit on its disk (unless ``allow_large_data``).
        DataError: the generator failed.
    """
    target = dataset_dir(data_dir, benchmark)
    data_format = benchmark.data_format
    what = f"{benchmark.title} {benchmark.config.label} {data_format}"
    checked = not (target / MANIFEST).exists()
    log.debug("data cache: %s (%s)", target, "no manifest" if checked else "has a manifest")
    if checked:  # nothing cached: refuse data that cannot fit before making any folder for it
        check_disk(target, benchmark, what, allow_large_data, notify)
    with _lock(target) as refused:
        manifest, problem = _reusable(target, benchmark, record=refused is None)
        if manifest is not None:
            notify(f"reusing cached {what} data in {target}")
            return Dataset(target, data_format, manifest, generated=False)
        if refused is not None:
            raise SpecError(
                f"the {what} data in {target} is {problem}, and benchbox cannot generate it there "
                f"({_reason(refused)} in {target.parent}): make data_dir={data_dir} writable, or set "
                "data_dir (or BENCHBOX_DATA_DIR) to a writable folder"
            )
        if problem != "missing":
            notify(f"the cached {what} data in {target} is {problem}: generating it again")
        _clear_stale(target, notify)
        if not checked:
            check_disk(target, benchmark, what, allow_large_data, notify)
        inputs = [ensure(data_dir, source, notify, allow_large_data) for source in benchmark.sources()]
        notify(f"generating {what} data into {target}")
        manifest = _generate(target, benchmark, notify, inputs)
    return Dataset(target, data_format, manifest, generated=True)


@contextlib.contextmanager
def _lock(target: Path) -> Iterator[OSError | None]:
    """Hold ``<target>.lock`` while checking and generating; yield None, or the error that refused
    the lock where the cache cannot be written (a read-only mount, a folder not ours). Reading a
    complete dataset needs no lock there: nobody can be writing it."""
    from filelock import FileLock

    refused: OSError | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(f"{target}.lock")
        lock.acquire()
    except OSError as exc:
        if exc.errno not in _READ_ONLY:
            raise
        refused = exc
    if refused is not None:
        yield refused
        return
    try:
        yield None
    finally:
        lock.release()


def _reason(error: OSError) -> str:
    """``read-only file system``: why the lock was refused, in the words of ``strerror``."""
    return (error.strerror or str(error)).lower()


def _clear_stale(target: Path, notify: Notify) -> None:
    """Remove staging folders of this dataset left by killed runs. Generation happens only under the
    lock this run holds, so every staging folder found now is stale, whatever its pid."""
    for stale in sorted(target.parent.glob(f".{target.name}.tmp-*")):
        notify(f"removing {stale}, left by a run that ended while generating")
        shutil.rmtree(stale, ignore_errors=True)


def _generate(target: Path, benchmark: Benchmark, notify: Notify, sources: Sequence[Dataset]) -> dict:
    """Generate into a staging sibling, write the manifest and the stamp, then rename into place."""
    staging = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir(parents=True)
        manifest = _manifest(benchmark, staging, benchmark.generate(staging, notify, sources))
        body = json.dumps(manifest, indent=2).encode()
        write_bytes_atomic(staging / MANIFEST, body)
        _write_stamp(staging, body, manifest["tables"])
        shutil.rmtree(target, ignore_errors=True)
        staging.rename(target)
    except OSError as exc:
        raise DataError(f"cannot write the data into {staging.parent}: {exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _reusable(path: Path, benchmark: Benchmark, record: bool) -> tuple[dict | None, str]:
    """``(manifest, "")`` when the dataset at ``path`` can be reused, else ``(None, what is wrong)``.

    Sizes always; the contents (row counts, CRC-32s: one read of the data) only when this
    machine's stamp does not match. Then, if ``record`` (the lock is held), the stamp is
    written again, and a manifest of an older benchbox gets the CRC-32s it lacks."""
    try:
        body = (path / MANIFEST).read_bytes()
    except FileNotFoundError:
        return None, "missing"
    except OSError as exc:
        return None, f"unreadable ({exc.strerror})"
    try:
        manifest = json.loads(body)
        tables = {t.name: _entries(manifest, t.name) for t in benchmark.tables()}
    except (ValueError, KeyError, TypeError):
        return None, f"damaged ({MANIFEST} is not a valid manifest)"
    problem = _sizes_problem(path, tables)
    if problem:
        return None, problem
    if _stamp_of(path, body, tables) == _read_stamp(path):
        log.debug("data cache: sizes and this machine's stamp match in %s: reused without reading it", path)
        return manifest, ""
    log.debug("data cache: no matching stamp in %s: checking row counts and CRC-32s", path)
    problem = _contents_problem(path, tables, benchmark.data_format)
    if problem:
        return None, problem
    if record:
        with contextlib.suppress(OSError):  # the stamp saves the next run a read; it is not needed
            upgraded = json.dumps(manifest, indent=2).encode()
            if upgraded != body and json.loads(upgraded) != json.loads(body):
                write_bytes_atomic(path / MANIFEST, upgraded)
                body = upgraded
            _write_stamp(path, body, tables)
    return manifest, ""


def _entries(manifest: dict, table: str) -> dict:
    """One table's manifest entry, its types checked (a KeyError or TypeError when malformed)."""
    entry = manifest["tables"][table]
    if not isinstance(entry["rows"], int) or not entry["files"]:
        raise TypeError(table)
    for file in entry["files"]:
        if not (isinstance(file["path"], str) and isinstance(file["bytes"], int)):
            raise TypeError(table)
    return entry


def _sizes_problem(path: Path, tables: Mapping[str, dict]) -> str:
    """What is wrong with the files' sizes (a missing or truncated file), or ``""``."""
    for table in tables.values():
        for entry in table["files"]:
            try:
                size = (path / entry["path"]).stat().st_size
            except OSError:
                return f"incomplete ({entry['path']} is missing)"
            if size != entry["bytes"]:
                return f"damaged ({entry['path']} has {size} bytes, the manifest says {entry['bytes']})"
    return ""


def _contents_problem(path: Path, tables: Mapping[str, dict], data_format: str) -> str:
    """What is wrong with the files' contents, or ``""``: each table's rows and each file's CRC-32
    against the manifest's. An entry without a CRC-32 (an older benchbox's) gets it, in place."""
    for name, table in tables.items():
        rows = 0
        for entry in table["files"]:
            try:
                counted, crc = _scan(path / entry["path"], data_format)
            except OSError as exc:
                return f"unreadable ({entry['path']}: {exc.strerror})"
            rows += counted
            if entry.setdefault("crc32", crc) != crc:
                return f"damaged ({entry['path']} is not the generated file: its CRC-32 differs)"
        if rows != table["rows"]:
            return f"damaged ({name} has {rows} rows, the manifest says {table['rows']})"
    return ""


def _stamp_of(path: Path, body: bytes, tables: Mapping[str, dict]) -> dict:
    """What the stamp of the dataset at ``path`` says when nothing changed since it was written."""
    files = {}
    for table in tables.values():
        for entry in table["files"]:
            stat = (path / entry["path"]).stat()
            files[entry["path"]] = [stat.st_size, stat.st_mtime_ns]
    return {"manifest_sha256": hashlib.sha256(body).hexdigest(), "files": files}


def _read_stamp(path: Path) -> dict | None:
    try:
        return json.loads((path / STAMP).read_bytes())
    except (OSError, ValueError):
        return None


def _write_stamp(path: Path, body: bytes, tables: Mapping[str, dict]) -> None:
    write_bytes_atomic(path / STAMP, json.dumps(_stamp_of(path, body, tables)).encode())


def _fingerprint(manifest: dict) -> str:
    def plain(entry: dict) -> dict:
        return {**entry, "files": [{k: v for k, v in f.items() if k != "crc32"} for f in entry["files"]]}

    body = {k: v for k, v in manifest.items() if k != "created_at"}
    body["tables"] = {name: plain(entry) for name, entry in manifest["tables"].items()}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _manifest(benchmark: Benchmark, staging: Path, made: Generated) -> dict:
    tables = {}
    for table in benchmark.tables():
        files = list(made.files.get(table.name, ()))
        missing = [f for f in files if not f.exists()] or ([] if files else [table.name])
        if missing:
            raise DataError(f"{made.generator['name']} did not write {missing[0]} into {staging}")
        scans = [_scan(f, benchmark.data_format) for f in files]
        tables[table.name] = {
            "rows": sum(rows for rows, _ in scans),
            "files": [
                {"path": f.relative_to(staging).as_posix(), "bytes": f.stat().st_size, "crc32": crc}
                for f, (_, crc) in zip(files, scans, strict=True)
            ],
        }
    return {
        "benchmark": benchmark.name,
        **made.facts,
        "generator": dict(made.generator),
        "created_at": datetime.now(timezone.utc).isoformat(),
        "tables": tables,
    }


def _scan(file: Path, data_format: str) -> tuple[int, str]:
    """``(rows, CRC-32)`` of one data file in one read: Parquet's rows from its footer, CSV's by
    counting lines (one header line; values never hold newlines). CRC-32 rather than a
    cryptographic hash: it finds accidental damage at about 2 GB/s, where sha256 ran at 0.35 GB/s
    on the machine it was measured on."""
    crc, newlines = 0, 0
    with file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            crc = zlib.crc32(chunk, crc)
            newlines += chunk.count(b"\n") if data_format != "parquet" else 0
    if data_format == "parquet":
        import pyarrow.parquet as pq

        try:
            return pq.read_metadata(file).num_rows, f"{crc:08x}"
        except (OSError, ValueError):  # a damaged footer: no rows, so the count differs
            return -1, f"{crc:08x}"
    return newlines - 1, f"{crc:08x}"


def damaged(files: Sequence[Path], data_format: str) -> DataError | None:
    """Why a platform could not read ``files`` of a cached dataset, when the reason is damage: one
    line naming the folder to delete, or None (the files are intact: the platform failed). Called
    only after a load failed, so its full read costs nothing otherwise. Drops the stamp, so that
    the next run checks the contents and generates the data again."""
    for file in files:
        folder = next((p for p in file.parents if (p / MANIFEST).is_file()), None)
        if folder is None:
            continue
        try:
            manifest = json.loads((folder / MANIFEST).read_bytes())
            entry = next(
                f for t in manifest["tables"].values() for f in t["files"] if folder / f["path"] == file
            )
            intact = "crc32" not in entry or _scan(file, data_format)[1] == entry["crc32"]
        except (OSError, ValueError, KeyError, TypeError, StopIteration):
            intact = False
        if not intact:
            with contextlib.suppress(OSError):
                (folder / STAMP).unlink()
            return DataError(
                f"{file} in the data cache is damaged (it is not the file that was generated): "
                f"delete {folder} and run again, and benchbox generates it anew"
            )
    return None


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
    A complete set is read without a write (a read-only cache).
    """
    import pyarrow.parquet as pq

    folder = dataset.path.parent.joinpath(*parts)
    with _lock(folder) as refused:
        done = folder / ".complete"
        if not done.exists():
            if refused is not None:
                raise SpecError(
                    f"{folder} is not made yet, and benchbox cannot write it ({_reason(refused)} in "
                    f"{folder.parent}): make {dataset.path.parent} writable, or set data_dir (or "
                    "BENCHBOX_DATA_DIR) to a writable folder"
                )
            made = dict(make())
            for name, table in made.items():
                write_atomic(folder / f"{name}.parquet", lambda handle, t=table: pq.write_table(t, handle))
            write_bytes_atomic(done, json.dumps(sorted(made)).encode())
            return made
        names = json.loads(done.read_text())
    return {name: pq.read_table(folder / f"{name}.parquet") for name in names}
