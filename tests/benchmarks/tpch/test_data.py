"""The data cache: generated once, reused while valid, regenerated when broken, never read half-written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchbox.benchmarks import datacache
from benchbox.benchmarks.tpch import TPCH, Config


def ensure_data(scale_factor, data_format, data_dir, notify):
    return datacache.ensure(
        data_dir, TPCH(Config(scale_factor=scale_factor, data_format=data_format)), notify
    )


def dataset_dir(data_dir, scale_factor, data_format):
    return datacache.dataset_dir(data_dir, TPCH(Config(scale_factor=scale_factor, data_format=data_format)))


ENSURE = (
    "import sys, json; from pathlib import Path; from benchbox.benchmarks import datacache, tpch; "
    "d = datacache.ensure(Path(sys.argv[1]), tpch.TPCH(tpch.Config(scale_factor=0.01)), lambda _: None); "
    "print(json.dumps({'generated': d.generated, 'rows': d.rows('lineitem')}))"
)


def test_parallel_jobs_generate_once(tmp_path: Path) -> None:
    jobs = [
        subprocess.Popen([sys.executable, "-c", ENSURE, str(tmp_path)], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    outcomes = [json.loads(job.communicate(timeout=120)[0]) for job in jobs]
    assert sorted(o["generated"] for o in outcomes) == [False, False, True]
    assert {o["rows"] for o in outcomes} == {60175}
    folder = dataset_dir(tmp_path, 0.01, "parquet")
    assert sorted(p.name for p in folder.parent.iterdir()) == ["parquet", "parquet.lock"]  # no staging left


def test_manifest_describes_the_files(tmp_path: Path) -> None:
    dataset = ensure_data(0.01, "parquet", tmp_path, lambda _: None)
    manifest = json.loads((dataset.path / "manifest.json").read_text())
    assert manifest["generator"]["name"] == "tpchgen-cli" and manifest["generator"]["version"]
    assert manifest["tables"]["nation"]["rows"] == 25 and manifest["tables"]["region"]["rows"] == 5
    for table in manifest["tables"].values():
        for entry in table["files"]:
            assert (dataset.path / entry["path"]).stat().st_size == entry["bytes"]
    assert len(dataset.fingerprint) == 64


def test_a_broken_dataset_is_regenerated(tmp_path: Path) -> None:
    first = ensure_data(0.01, "csv", tmp_path, lambda _: None)
    assert first.generated and first.rows("orders") == 15000
    (first.path / "orders.csv").write_text("truncated")
    messages: list[str] = []
    second = ensure_data(0.01, "csv", tmp_path, messages.append)
    assert second.generated and "generating" in messages[0]
    assert ensure_data(0.01, "csv", tmp_path, messages.append).generated is False
    assert "reusing" in messages[-1]
