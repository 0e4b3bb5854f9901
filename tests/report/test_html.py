"""report.html through the real command: every run and sweep writes one (unless the export policy
says not), ``benchbox report DIR`` rebuilds it byte for byte, ``benchbox compare --format html``
uses the same blocks, and each page renders in a real browser (headless Chromium) with no
console error and no blank screen."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

FAST = ("benchmark.scale_factor=0.01", "benchmark.queries=[1,6,14]", "progress=false")
BROWSER_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars", "--enable-logging=stderr", "--v=0",
)  # fmt: skip
"""No network at all (this machine has none): without them Chromium's own connections fail."""


def _run(benchbox, folder: Path, *args: str) -> dict:
    done = benchbox(*FAST, f"hydra.run.dir={folder}", *args)
    assert done.code == 0, done.stdout + done.stderr
    return json.loads((folder / "result.json").read_text())


def _external_references(page: str) -> list[str]:
    """Anything the page would fetch: src/href to a URL, @import, url(...) other than data:."""
    found = re.findall(r"""(?:src|href)\s*=\s*["']((?!data:|#)[^"']+)["']""", page)
    found += re.findall(r"@import|url\((?!data:)", page)
    return found


@pytest.mark.e2e
def test_a_run_writes_a_self_contained_page_of_what_it_measured(benchbox, tmp_path: Path) -> None:
    record = _run(benchbox, tmp_path / "run")
    page = (tmp_path / "run" / "report.html").read_text()
    assert _external_references(page) == []
    assert "<script" not in page
    for query_id, stats in record["summary"]["queries"].items():
        assert f">{query_id}<" in page
        assert f"{stats['median_ms']:,.2f}" in page, "the table shows each query's median"
    assert page.count("<rect") >= 3, "one bar per query"
    for phase in record["phases"]:
        assert f"<td>{phase['name']}</td>" in page
    assert record["run_id"] in page and record["metadata"]["data_fingerprint"] in page
    assert json.dumps(record["spec"], indent=2).replace('"', "&quot;") in page, "the spec, whole"


@pytest.mark.e2e
def test_the_export_policy_can_turn_the_page_off(benchbox, tmp_path: Path) -> None:
    _run(benchbox, tmp_path / "run", "export.report=false")
    assert not (tmp_path / "run" / "report.html").exists()
    assert (tmp_path / "run" / "result.json").is_file()


@pytest.mark.e2e
def test_concurrent_streams_get_a_timeline_with_a_box_per_execution(benchbox, tmp_path: Path) -> None:
    record = _run(benchbox, tmp_path / "run", "mode=throughput", "mode.streams=2")
    page = (tmp_path / "run" / "report.html").read_text()
    timeline = page[page.index("<h2>Streams</h2>") :]
    timeline = timeline[: timeline.index("</svg>")]
    streamed = [e for e in record["executions"] if e["phase"] == "throughput"]
    assert timeline.count("<rect") == len(streamed) == 2 * 3
    assert "stream 1" in timeline and "stream 2" in timeline


@pytest.fixture(scope="module")
def sweep(benchbox_exe: str, data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two platforms at two scale factors: a heat map, geomeans by data size, a scaling plot."""
    folder = tmp_path_factory.mktemp("html") / "sweep"
    command = [
        benchbox_exe, "-m", "platform=duckdb,sqlite", "benchmark.scale_factor=0.01,0.1",
        "benchmark.queries=[1,6,14]", "mode.iterations=2", "progress=false", f"hydra.sweep.dir={folder}",
    ]  # fmt: skip
    env = {**os.environ, "BENCHBOX_DATA_DIR": str(data_dir)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    return folder


@pytest.mark.e2e
def test_a_sweep_writes_a_page_comparing_its_jobs(sweep: Path) -> None:
    page = (sweep / "report.html").read_text()
    assert _external_references(page) == []
    assert "sweep: 4 jobs, 4 ok" in page
    records = [json.loads((sweep / str(n) / "result.json").read_text()) for n in range(4)]
    heat = page[page.index("Median ms per query and job") : page.index("Geomean by series and data")]
    for record in records:
        for stats in record["summary"]["queries"].values():
            assert f"{stats['median_ms']:,.2f}</td>" in heat
    assert "Scaling over scale_factor" in page, "the scale factor varies: a scaling plot"
    scaling = page[page.index("Scaling over scale_factor") :]
    assert scaling.count("<circle") == 4 and "duckdb" in scaling and "sqlite" in scaling


@pytest.mark.e2e
def test_benchbox_report_rebuilds_the_same_pages(benchbox, sweep: Path, tmp_path: Path) -> None:
    _run(benchbox, tmp_path / "run")
    for folder in (tmp_path / "run", sweep):
        original = (folder / "report.html").read_bytes()
        (folder / "report.html").unlink()
        done = benchbox("report", str(folder))
        assert done.code == 0, done.stderr
        assert done.stdout.strip() == str(folder / "report.html")
        assert (folder / "report.html").read_bytes() == original
    done = benchbox("report", str(tmp_path / "run" / "result.json"), "-o", str(tmp_path / "copy.html"))
    assert done.code == 0, done.stderr
    assert (tmp_path / "copy.html").read_bytes() == (tmp_path / "run" / "report.html").read_bytes()


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing", "does not exist"),
        (lambda tmp: tmp, "holds no result.json"),
        (lambda tmp: _write(tmp / "result.json", "{not json"), "is not a readable run record"),
    ],
    ids=["missing", "no-records", "corrupt-record"],
)
def test_benchbox_report_refuses_what_is_not_a_result(benchbox, tmp_path: Path, make, message) -> None:
    done = benchbox("report", str(make(tmp_path)))
    assert done.code == 2, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr


@pytest.mark.e2e
def test_benchbox_report_says_when_it_cannot_write(benchbox, tmp_path: Path) -> None:
    _run(benchbox, tmp_path / "run")
    done = benchbox("report", str(tmp_path / "run"), "-o", "/proc/report.html")
    assert done.code == 2 and "cannot write /proc/report.html" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def _write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path.parent


@pytest.mark.e2e
def test_compare_as_html_draws_the_ratios_and_states_the_gate(benchbox, tmp_path: Path) -> None:
    for side in ("a", "b"):
        _run(benchbox, tmp_path / side, "mode.iterations=3")
    done = benchbox("compare", str(tmp_path / "a"), str(tmp_path / "b"), "--format", "html",
                    "--fail-on-regression", "900%")  # fmt: skip
    assert done.code == 0, done.stderr
    page = done.stdout
    assert page.startswith("<!DOCTYPE html>") and _external_references(page) == []
    assert page.count("<circle") == 4, "a dot per query and one for the geomean"
    assert "no regression of 900% or more (any) at 95% confidence" in page


# In a real browser.


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("BENCHBOX_REQUIRE_ALL_PLATFORMS") == "1":
        pytest.fail("chromium is not installed: apt-get install chromium (.ci/run does)")
    pytest.skip("chromium is not installed: apt-get install chromium")


def _open(page: Path, screenshot: Path, height: int) -> str:
    """Render ``page`` in headless Chromium, save a screenshot, return what the browser logged."""
    profile = screenshot.with_name("profile-" + screenshot.stem)
    done = subprocess.run(
        [
            _chromium(), *BROWSER_FLAGS, f"--user-data-dir={profile}",
            f"--screenshot={screenshot}", f"--window-size=1280,{height}", page.resolve().as_uri(),
        ],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0 and screenshot.is_file(), done.stderr[-2000:]
    return done.stderr


def _assert_drawn(screenshot: Path) -> None:
    from PIL import Image

    data = Image.open(screenshot).convert("RGB").tobytes()
    pixels = [data[i : i + 3] for i in range(0, len(data), 3)]
    ink = sum(1 for p in pixels if sum(p) < 600) / len(pixels)  # anything not near-white
    colours = len(set(pixels))
    assert ink > 0.01 and colours > 20, f"{screenshot.name} looks blank: {ink:.2%} ink, {colours} colours"


@pytest.mark.e2e
def test_every_page_renders_in_a_real_browser(benchbox, sweep: Path, tmp_path: Path) -> None:
    _run(benchbox, tmp_path / "run")
    _run(benchbox, tmp_path / "streams", "mode=throughput", "mode.streams=2")
    done = benchbox("compare", str(tmp_path / "run"), str(tmp_path / "streams"), "--format", "html",
                    "--allow-different")  # fmt: skip
    assert done.code == 0, done.stderr
    (tmp_path / "compare.html").write_text(done.stdout)
    pages = {
        "run": tmp_path / "run" / "report.html",
        "streams": tmp_path / "streams" / "report.html",
        "sweep": sweep / "report.html",
        "compare": tmp_path / "compare.html",
    }
    shots = Path(os.environ.get("BENCHBOX_SCREENSHOTS", tmp_path / "shots"))
    shots.mkdir(parents=True, exist_ok=True)
    for name, page in pages.items():
        log = _open(page, shots / f"{name}.png", 1600)
        console = [line for line in log.splitlines() if ":CONSOLE" in line]
        assert console == [], f"{name}: {console}"
        _assert_drawn(shots / f"{name}.png")
