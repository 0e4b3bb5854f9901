"""Running a finished run again from its ``result.json`` alone, and never over it.

``benchbox replay=outputs/DAY/TIME/result.json`` runs the spec that file records
(``result.json`` holds the whole spec, so neither the original config folders nor its
``.hydra/`` are needed): what the spec hash covers comes from the record, and where and how
this run happens (``data_dir``, ``progress``, ``objective``, ...) from this machine's config.
Overrides on the same command line change the replayed spec as they would change a
composed one: ``replay=... mode.iterations=5`` keeps everything else, ``platform=sqlite``
swaps the whole platform. The new run records which run it replays (``context.replay_of``).

A run folder that already holds a finished run (``result.json``) is never written into
again: Hydra's ``--experimental-rerun`` hands the job its original folder, and a fixed
``hydra.run.dir`` does too on a second run. The new run goes to the next free sibling
(``<folder>-1``, ...), and a rerun of the identical spec records the run it replays.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from benchbox.errors import SpecError

KEY = "replay"
"""The config key naming the ``result.json`` to replay (null: compose as usual)."""

LOCAL = ("data_dir", "progress", "reuse_warm_process", "reuse_loaded_data", "allow_large_data", "objective")
"""The spec's fields that say where and how a run happens, not what it measures (outside the spec
hash): a replay takes them from this machine's config, not from the record."""

_GROUPS_SWAPPED = ("platform", "benchmark", "mode", "export")
"""Groups whose choice on a replay's command line replaces that whole part of the replayed spec."""


def recorded(source: str | Path) -> dict[str, Any]:
    """The ``result.json`` at ``source`` (or in the run folder ``source``), read for its spec."""
    path = Path(source).expanduser()
    path = path / "result.json" if path.is_dir() else path
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SpecError(f"replay={source}: there is no such file; give a run's result.json") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        reason = " ".join(str(exc).split())
        raise SpecError(f"replay={source} cannot be read as a run's result.json ({reason})") from None
    if not isinstance(record, dict) or not isinstance(record.get("spec"), dict):
        raise SpecError(f"replay={source} holds no spec: give the result.json of a benchbox run")
    record["_path"] = str(path.resolve())
    return record


def replay_of(record: dict[str, Any]) -> dict[str, str]:
    """What a replay records about the run it replays."""
    return {
        "run_id": str(record.get("run_id")),
        "spec_hash": str(record.get("spec_hash")),
        "result_path": record["_path"],
    }


def replayed(record: dict[str, Any], composed: dict[str, Any], overrides: list[str]) -> dict[str, Any]:
    """The config to validate: the recorded spec, with this machine's ``LOCAL`` fields and the command
    line's overrides (their values as Hydra composed them into ``composed``) applied to it."""
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    config = {k: v for k, v in record["spec"].items() if k != "context"}
    config.update({k: composed[k] for k in LOCAL if k in composed})
    try:
        parsed = OverridesParser.create().parse_overrides(overrides)
    except HydraException as exc:  # the preflight has parsed them already; kept for the Python API
        raise SpecError(f"cannot parse the overrides: {exc}") from None
    for override in parsed:
        key = override.key_or_group
        if key == KEY or key.split(".")[0] in ("hydra", *LOCAL):
            continue
        if key == "experiment":
            raise SpecError(
                f"replay and experiment={override.value()} both say what to run: replay a run, changing "
                "single keys (mode.iterations=5), or run the experiment without replay"
            )
        if override.is_delete():
            _delete(config, key.split("."))
        elif key in _GROUPS_SWAPPED:
            config[key] = composed[key]
        else:
            _set(config, key.split("."), _select(composed, key.split(".")))
    return config


def fresh_folder(folder: Path) -> tuple[Path, dict[str, Any] | None]:
    """``folder``, or its next free sibling when it holds a finished run already (said on stderr);
    with the finished run's record, or None."""
    finished = folder / "result.json"
    if not finished.is_file():
        return folder, None
    try:
        record = recorded(finished)
    except SpecError:
        record = {"spec": {}, "_path": str(finished.resolve())}
    number, free = 1, folder.with_name(f"{folder.name}-1")
    while free.exists():
        number += 1
        free = folder.with_name(f"{folder.name}-{number}")
    sys.stderr.write(
        f"benchbox: {folder} holds a finished run ({record.get('run_id', 'unknown id')}), which stays as it "
        f"is; this run's results go to {free}\n"
    )
    return free, record


def _select(node: Any, path: list[str]) -> Any:
    for part in path:
        node = node[part] if isinstance(node, dict) and part in node else None
    return node


def _set(node: dict[str, Any], path: list[str], value: Any) -> None:
    for part in path[:-1]:
        child = node.get(part)
        node = node.setdefault(part, {}) if isinstance(child, dict) or child is None else {}
    node[path[-1]] = value


def _delete(node: dict[str, Any], path: list[str]) -> None:
    for part in path[:-1]:
        node = node.get(part) if isinstance(node.get(part), dict) else {}
    node.pop(path[-1], None)
