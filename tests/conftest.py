"""Shared fixtures: one data cache per test session, and a runner for the real ``benchbox`` command."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from benchbox import platforms

BENCHBOX = str(Path(sys.executable).parent / "benchbox")


def pytest_configure(config: pytest.Config) -> None:
    """One marker per platform, named like the platform: ``pytest -m postgresql``. The tester's own
    standing config folders (``~/.config/benchbox``, ``BENCHBOX_CONFIG_DIR``) are not searched:
    the tests see the shipped configs and the folders they make themselves."""
    import tempfile

    os.environ.pop("BENCHBOX_CONFIG_DIR", None)
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="benchbox-no-user-config-")
    for name in platforms.NAMES:
        config.addinivalue_line("markers", f"{name}: tests that run the {name} platform")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """With ``BENCHBOX_REQUIRE_ALL_PLATFORMS=1`` (CI installs every driver) a skip is a failure:
    a missing driver or Java must not let a platform's tests pass by not running."""
    outcome = yield
    report = outcome.get_result()
    required = os.environ.get("BENCHBOX_REQUIRE_ALL_PLATFORMS") == "1"
    if required and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped where every platform must run: {report.longrepr}"


ONE_RUN = re.compile(r"/test_contract\.py::\w+\[(\w+-\w+-[\w.]+)[-\]]")
"""The contract tests that read one run (``test_contract._run``: one per benchmark, platform and setting
(``sf0.1``, ``join``), named first in the test's id) form one unit of work for pytest-xdist."""
ONE_MODULE = (
    "tests/report/test_html.py",
    "tests/report/test_tables.py",
    "tests/test_api.py",
    "tests/benchmarks/test_datacache_faults.py",
    "tests/benchmarks/tpch/test_answers.py",
    "tests/benchmarks/tpch/test_refresh.py",
    "tests/benchmarks/tpcds/test_data.py",
    "tests/benchmarks/h2o/test_data.py",
    "tests/platforms/test_spark_distributed.py",
    "tests/test_slurm.py",
)
"""Modules whose tests share a module-scoped fixture that runs benchbox or a generator (a sweep, a
data set): each is one unit of work, so the fixture is made once, not once per worker (test_html's
sweep took 12.5 s on each of the two). ``test_every_module_fixture_is_one_unit`` keeps the list whole."""


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """pytest-xdist's ``load`` distribution, except that the tests of one contract run (and of one
    ``ONE_MODULE`` module) go to one worker as one unit (xdist hands out the largest units first),
    so that the run is made once
    (xdist's own ``loadgroup`` cannot do it under pytest 9.2, which no longer lets it rename a
    test's node id)."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class OneRunOneWorker(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            found = ONE_RUN.search(nodeid)
            if found:
                return found.group(1)
            module = nodeid.split("::", 1)[0]
            return module if module.endswith(ONE_MODULE) else nodeid

    return OneRunOneWorker(config, log)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with the platform it runs: by its ``name``/``platform`` parameter, or by
    its module (``test_<platform>.py``)."""
    for item in items:
        params = getattr(item, "callspec", None)
        params = params.params if params is not None else {}
        candidates = {params.get("name"), params.get("platform"), item.path.stem.removeprefix("test_")}
        for name in candidates & set(platforms.NAMES):
            item.add_marker(name)


@dataclass
class Completed:
    """A finished ``benchbox`` process."""

    code: int
    stdout: str
    stderr: str
    cwd: Path

    def result(self) -> dict[str, Any]:
        """The ``result.json`` of the single run this process made under ``cwd/outputs``."""
        found = sorted(self.cwd.glob("outputs/*/*/result.json"))
        assert len(found) == 1, f"expected one result.json, found {found}\n{self.stdout}\n{self.stderr}"
        return json.loads(found[0].read_text())


@pytest.fixture(scope="session")
def benchbox_exe() -> str:
    """The installed ``benchbox`` script of this interpreter's environment."""
    return BENCHBOX


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data cache shared by the whole session, so each scale factor is generated once: with
    pytest-xdist, by all its workers (the cache's lock makes one generate while the rest wait)."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "data"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture
def benchbox(tmp_path: Path, data_dir: Path):
    """Run the installed ``benchbox`` command in a fresh folder with the session's data cache."""

    def run(
        *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 600
    ) -> Completed:
        folder = cwd or tmp_path
        environment = {**os.environ, "BENCHBOX_DATA_DIR": str(data_dir), **(env or {})}
        done = subprocess.run(
            [BENCHBOX, *args], cwd=folder, env=environment, capture_output=True, text=True, timeout=timeout
        )
        return Completed(done.returncode, done.stdout, done.stderr, folder)

    return run
