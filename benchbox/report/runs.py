"""Finished runs, read back from disk: a run folder, its ``result.json``, or a sweep folder.

Reading results never re-runs anything; this module only reads the run records the
exporter wrote (see docs/results.md) and raises ``ReportError`` (exit code 2) for a
path that holds none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from benchbox.errors import BenchboxError


class ReportError(BenchboxError):
    """A path given to compare or report holds no usable run record (a user's mistake)."""

    exit_code = 2


@dataclass(frozen=True)
class Run:
    """One finished run's record, where it came from, and the overrides it was started with."""

    path: Path
    record: dict[str, Any]
    overrides: tuple[str, ...]

    def samples(self) -> dict[str, list[float]]:
        """Query id -> the measured durations (warmups and failed executions left out), in plan order."""
        found: dict[str, list[float]] = {}
        for execution in self.record.get("executions", []):
            if execution.get("warmup") or execution.get("status") != "ok":
                continue
            if execution.get("duration_ms") is None or execution.get("kind", "query") != "query":
                continue
            found.setdefault(execution["query_id"], []).append(float(execution["duration_ms"]))
        return found

    def value(self, dotted: str) -> Any:
        """A spec value by its config key (``platform`` is the platform's name, like the command line)."""
        node: Any = self.record.get("spec", {})
        for part in dotted.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        return node.get("name") if isinstance(node, dict) and "name" in node else node


def load(path: str | Path) -> list[Run]:
    """Every run at ``path``: a ``result.json``, a run folder, or a sweep folder (its job folders).

    Raises:
        ReportError: nothing readable is there.
    """
    target = Path(path)
    if target.is_file():
        return [read(target)]
    if not target.exists():
        raise ReportError(f"{path} does not exist: give a run folder, its result.json, or a sweep folder")
    if (target / "result.json").is_file():
        return [read(target / "result.json")]
    jobs = sorted(target.glob("*/result.json"), key=lambda p: _job_number(p.parent.name))
    if not jobs:
        raise ReportError(
            f"{path} holds no result.json: give a run folder, its result.json, or a sweep folder"
        )
    return [read(job) for job in jobs]


def _job_number(name: str) -> tuple[int, str]:
    return (int(name), name) if name.isdigit() else (1 << 30, name)


def read(path: Path) -> Run:
    """One ``result.json`` (raises ``ReportError`` when it is not a readable run record)."""
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ReportError(f"{path} is not a readable run record ({exc})") from None
    if not isinstance(record, dict) or "executions" not in record or "spec" not in record:
        raise ReportError(f"{path} is not a benchbox result.json (no spec or executions)")
    overrides_file = path.parent / ".hydra" / "overrides.yaml"
    overrides: list[str] = []
    if overrides_file.is_file():
        try:
            overrides = [str(o) for o in yaml.safe_load(overrides_file.read_text()) or []]
        except yaml.YAMLError:
            overrides = []
    else:
        overrides = list(record.get("metadata", {}).get("hydra_overrides") or [])
    return Run(path, record, tuple(o for o in overrides if not o.startswith("hydra.")))
