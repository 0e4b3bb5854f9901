"""The data cache under faults, through the real command: a run killed mid-generation, damaged files
and manifests, and a complete cache that cannot be written."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

BENCHBOX = str(Path(sys.executable).parent / "benchbox")
"""The installed command (as ``tests/conftest.py`` runs it)."""
LINUX = sys.platform.startswith("linux")

HARNESS = r"""
import ctypes, json, os, signal, subprocess, sys, time
import psutil

ctypes.CDLL(None, use_errno=True).prctl(36, 1)  # PR_SET_CHILD_SUBREAPER: orphans become ours
data_dir, command = sys.argv[1], sys.argv[2:]
run = subprocess.Popen(command, env={**os.environ, "BENCHBOX_DATA_DIR": data_dir},
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
folder = os.path.join(data_dir, "tpch", "sf1")
deadline, generator = time.monotonic() + 300, None
while generator is None and time.monotonic() < deadline and run.poll() is None:
    staging = [n for n in os.listdir(folder) if ".tmp-" in n] if os.path.isdir(folder) else []
    found = [c for c in psutil.Process(run.pid).children(recursive=True) if c.name() == "tpchgen-cli"]
    generator = found[0].pid if staging and found else None
    time.sleep(0.02)
if generator is None:
    run.kill()
    print(json.dumps({"error": "no generator seen", "exit": run.wait()}))
    sys.exit()
os.kill(run.pid, signal.SIGKILL)
run.wait()
_, status = os.waitpid(generator, 0)  # reparented to this subreaper when benchbox died
print(json.dumps({
    "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
    "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
    "left": sorted(os.listdir(folder)),
}))
"""
"""Start a real SF 1 generation, kill -9 benchbox once its generator runs, and report how the
generator ended. The harness is a child subreaper, so it reaps the orphaned generator and sees
its exit status: killed (SIGKILL) or, without the fix, finished (exit 0) long after benchbox."""


@pytest.mark.skipif(not LINUX, reason="PR_SET_PDEATHSIG is Linux's")
def test_a_killed_run_takes_its_generator_along_and_the_next_run_clears_its_staging(
    tmp_path: Path, benchbox
) -> None:
    data = tmp_path / "data"
    command = [BENCHBOX, "benchmark.scale_factor=1", "mode=data_only", "progress=false"]
    harness = subprocess.run(
        [sys.executable, "-c", HARNESS, str(data), *command],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    report = json.loads(harness.stdout)
    assert report.get("signal") == signal.SIGKILL, f"the generator outlived benchbox: {report}"
    stale = [name for name in report["left"] if name.startswith(".parquet.tmp-")]
    assert len(stale) == 1, report  # what the killed run left

    again = benchbox(
        "benchmark.scale_factor=1", "mode=data_only", env={"BENCHBOX_DATA_DIR": str(data)}, cwd=tmp_path
    )
    assert again.code == 0, again.stdout + again.stderr
    assert f"removing {data / 'tpch' / 'sf1' / stale[0]}" in again.stdout + again.stderr
    assert sorted(p.name for p in (data / "tpch" / "sf1").iterdir()) == ["parquet", "parquet.lock"]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir holding TPC-H SF 0.01, made by the real command; each test damages a copy."""
    root = tmp_path_factory.mktemp("pristine")
    done = subprocess.run(
        [BENCHBOX, "benchmark.scale_factor=0.01", "mode=data_only", "progress=false"],
        cwd=root,
        env={**os.environ, "BENCHBOX_DATA_DIR": str(root / "data")},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return root / "data"


@pytest.fixture
def cache(pristine: Path, tmp_path: Path) -> Path:
    """A copy of the pristine data dir (modification times kept: the copy's stamp still holds)."""
    shutil.copytree(pristine, tmp_path / "data")
    return tmp_path / "data"


def folder(data: Path) -> Path:
    return data / "tpch" / "sf0.01" / "parquet"


def load(benchbox, data: Path, cwd: Path):
    cwd.mkdir(exist_ok=True)
    done = benchbox(
        "benchmark.scale_factor=0.01", "mode=load_only", env={"BENCHBOX_DATA_DIR": str(data)}, cwd=cwd
    )
    return done, done.stdout + done.stderr


def flip_middle(file: Path, keep_mtime: bool = False) -> None:
    """Overwrite 4 KiB in the middle of ``file`` with 0xff, keeping its size (and, for a disk error,
    its modification time)."""
    stat = file.stat()
    with file.open("r+b") as handle:
        handle.seek(stat.st_size // 2)
        handle.write(b"\xff" * 4096)
    if keep_mtime:
        os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert file.stat().st_size == stat.st_size


def assert_regenerated(out: str, pristine: Path, data: Path, why: str) -> None:
    assert "Traceback" not in out
    assert f"is damaged ({why}" in out and "generating it again" in out, out
    for name in ("lineitem.parquet", "orders.parquet", "manifest.json"):
        if name != "manifest.json":
            assert (folder(data) / name).read_bytes() == (folder(pristine) / name).read_bytes()
    manifest = json.loads((folder(data) / "manifest.json").read_text())
    assert manifest["tables"]["orders"]["rows"] == 15000


def test_bytes_flipped_in_the_middle_of_a_file_are_found_and_the_data_regenerated(
    cache: Path, pristine: Path, tmp_path: Path, benchbox
) -> None:
    flip_middle(folder(cache) / "lineitem.parquet")
    done, out = load(benchbox, cache, tmp_path)
    assert done.code == 0, out
    assert_regenerated(out, pristine, cache, "lineitem.parquet is not the generated file: its CRC-32 differs")


def test_a_manifest_whose_row_count_disagrees_with_the_data_is_found(
    cache: Path, pristine: Path, tmp_path: Path, benchbox
) -> None:
    path = folder(cache) / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["tables"]["orders"]["rows"] = 15001
    path.write_text(json.dumps(manifest, indent=2))
    done, out = load(benchbox, cache, tmp_path)
    assert done.code == 0, out
    assert_regenerated(out, pristine, cache, "orders has 15000 rows, the manifest says 15001")


def test_a_truncated_file_is_found(cache: Path, pristine: Path, tmp_path: Path, benchbox) -> None:
    os.truncate(folder(cache) / "orders.parquet", 1000)
    done, out = load(benchbox, cache, tmp_path)
    assert done.code == 0, out
    size = (folder(pristine) / "orders.parquet").stat().st_size
    assert_regenerated(out, pristine, cache, f"orders.parquet has 1000 bytes, the manifest says {size}")


def test_a_garbage_manifest_is_found(cache: Path, pristine: Path, tmp_path: Path, benchbox) -> None:
    (folder(cache) / "manifest.json").write_bytes(b"\x00garbage{")
    done, out = load(benchbox, cache, tmp_path)
    assert done.code == 0, out
    assert_regenerated(out, pristine, cache, "manifest.json is not a valid manifest")


def test_damage_the_cheap_check_cannot_see_fails_the_load_with_one_line_then_regenerates(
    cache: Path, pristine: Path, tmp_path: Path, benchbox
) -> None:
    """A disk error keeps size and modification time: only the platform's reader finds it. The run
    fails with exit 1 and one line naming the folder to delete; the next run regenerates."""
    flip_middle(folder(cache) / "lineitem.parquet", keep_mtime=True)
    done, out = load(benchbox, cache, tmp_path / "first")
    assert done.code == 1, out
    assert "Traceback" not in out
    line = next(line for line in out.splitlines() if "is damaged" in line)
    lineitem = folder(cache) / "lineitem.parquet"
    assert f"{lineitem} in the data cache is damaged" in line
    assert f"delete {folder(cache)} and run again" in line
    again, out = load(benchbox, cache, tmp_path / "second")
    assert again.code == 0, out
    assert_regenerated(out, pristine, cache, "lineitem.parquet is not the generated file")


def test_a_copy_with_new_modification_times_is_checked_once_and_reused(
    pristine: Path, tmp_path: Path, benchbox
) -> None:
    """Copying the cache (``cp -r``) changes the times the stamp recorded: the contents are read and
    checked once, found intact, and reused; the stamp is renewed, so the next run reads nothing."""
    data = tmp_path / "data"
    shutil.copytree(pristine, data, copy_function=shutil.copy)
    done, out = load(benchbox, data, tmp_path / "first")
    assert done.code == 0 and "reusing cached TPC-H SF 0.01 parquet data" in out, out
    stamp = json.loads((folder(data) / ".verified.json").read_text())
    assert stamp["files"]["lineitem.parquet"][1] == (folder(data) / "lineitem.parquet").stat().st_mtime_ns


def test_a_cache_of_an_older_benchbox_gets_its_checksums_and_keeps_its_fingerprint(
    cache: Path, tmp_path: Path, benchbox
) -> None:
    """A manifest without CRC-32s and no stamp (benchbox before this check): reused, not generated
    again, and given the CRC-32s; the fingerprint results carry stays what it was."""
    path = folder(cache) / "manifest.json"
    manifest = json.loads(path.read_text())
    crcs = {}
    for table in manifest["tables"].values():
        for entry in table["files"]:
            crcs[entry["path"]] = entry.pop("crc32")
    path.write_text(json.dumps(manifest, indent=2))
    (folder(cache) / ".verified.json").unlink()
    old = {k: v for k, v in manifest.items() if k != "created_at"}  # the fingerprint as it was computed
    fingerprint = hashlib.sha256(json.dumps(old, sort_keys=True).encode()).hexdigest()
    done = benchbox(
        "benchmark.scale_factor=0.01", "mode=data_only", env={"BENCHBOX_DATA_DIR": str(cache)}, cwd=tmp_path
    )
    out = done.stdout + done.stderr
    assert done.code == 0 and "reusing cached" in out, out
    assert done.result()["data"]["fingerprint"] == fingerprint
    upgraded = json.loads(path.read_text())
    assert {f["path"]: f["crc32"] for t in upgraded["tables"].values() for f in t["files"]} == crcs


# A complete cache that cannot be written.


def _unshare_works() -> bool:
    if not LINUX or os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True, check=False)
    return probe.returncode == 0


UNSHARE = ("unshare", "--mount", "--propagation", "private")
READ_ONLY_MOUNT = 'mount --bind "$1" "$2" && mount -o remount,ro,bind "$2" && shift 2 && exec "$@"'
"""Run a command with ``$2`` a read-only view of ``$1``, in a private mount namespace: the mount
vanishes with the command, and nothing outside sees it."""


def on_read_only_mount(source: Path, view: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    view.mkdir(exist_ok=True)
    return subprocess.run(
        [*UNSHARE, "sh", "-c", READ_ONLY_MOUNT, "sh", str(source), str(view), BENCHBOX, *args],
        cwd=cwd,
        env={**os.environ, "BENCHBOX_DATA_DIR": str(view)},
        capture_output=True,
        text=True,
        timeout=600,
    )


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*")}


QUICK_POWER = (
    "benchmark.scale_factor=0.01",
    "benchmark.queries=[1,6]",
    "mode.iterations=1",
    "mode.warmups=0",
)


@pytest.mark.skipif(not _unshare_works(), reason="needs root and unshare for a private read-only bind mount")
def test_a_complete_cache_on_a_read_only_mount_is_used(cache: Path, tmp_path: Path) -> None:
    before = snapshot(cache)
    done = on_read_only_mount(cache, tmp_path / "ro", tmp_path, *QUICK_POWER)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "reusing cached TPC-H SF 0.01 parquet data" in out and "Traceback" not in out
    assert snapshot(cache) == before


@pytest.mark.skipif(not _unshare_works(), reason="needs root and unshare for a private read-only bind mount")
def test_a_reference_platform_validates_on_a_read_only_cache_it_cannot_write(
    cache: Path, tmp_path: Path
) -> None:
    """The answers DuckDB computes are cached beside the data; where that cannot be written they are
    still used (said once), and the run validates."""
    args = (*QUICK_POWER, "platform=sqlite", "validation.reference=duckdb", "progress=true")
    done = on_read_only_mount(cache, tmp_path / "ro", tmp_path, *args)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert out.count("cannot cache the answers duckdb computes in ") == 1 and "Traceback" not in out
    [result] = (tmp_path / "outputs").glob("*/*/result.json")
    record = json.loads(result.read_text())
    assert [(e["query_id"], e["validation"]) for e in record["executions"]] == [("Q1", "ok"), ("Q6", "ok")]
    assert not (cache / "tpch" / "sf0.01" / "references").exists()


@pytest.mark.skipif(not _unshare_works(), reason="needs root and unshare for a private read-only bind mount")
def test_data_missing_from_a_read_only_cache_is_one_line(cache: Path, tmp_path: Path) -> None:
    done = on_read_only_mount(
        cache, tmp_path / "ro", tmp_path, "benchmark.scale_factor=0.02", "mode=data_only"
    )
    out = done.stdout + done.stderr
    assert done.returncode == 2, out
    assert "Traceback" not in out
    assert (
        "data in " in out
        and "is missing, and benchbox cannot generate it there (read-only file system" in out
    )


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder another user can reach (pytest's own tmp folders are private to root)."""
    root = Path(tempfile.mkdtemp(prefix="benchbox-ro-"))
    root.chmod(0o755)
    yield root
    subprocess.run(["chmod", "-R", "u+w", str(root)], check=False)
    shutil.rmtree(root, ignore_errors=True)


def _as_other_user() -> list[str] | None:
    """How to run a command as a user without write permission on root's files: as is when not
    root, else through setpriv as nobody; None when neither can be done."""
    if os.geteuid() != 0:
        return []
    if not LINUX or shutil.which("setpriv") is None:
        return None
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.mark.skipif(_as_other_user() is None, reason="needs a non-root user (setpriv as root)")
def test_a_complete_cache_without_write_permission_is_used(pristine: Path, shared_tmp: Path) -> None:
    data, work = shared_tmp / "data", shared_tmp / "work"
    shutil.copytree(pristine, data)
    work.mkdir(mode=0o777)
    work.chmod(0o777)
    subprocess.run(["chmod", "-R", "a-w", str(data)], check=True)
    before = snapshot(data)
    done = subprocess.run(
        [*_as_other_user(), BENCHBOX, *QUICK_POWER],
        cwd=work,
        env={**os.environ, "BENCHBOX_DATA_DIR": str(data), "HOME": str(work)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert "reusing cached TPC-H SF 0.01 parquet data" in out and "Traceback" not in out
    assert snapshot(data) == before
