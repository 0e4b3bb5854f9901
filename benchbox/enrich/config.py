"""Collectors for what was asked: spec hash, overrides, and the config's git state."""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path
from typing import Any

from benchbox.result import RunResult


def collect_config(metadata: dict[str, Any], result: RunResult) -> None:
    """Spec hash, Hydra overrides (secrets already redacted by RunContext), run id, config repo commit."""
    context = result.spec.context
    metadata["run_id"] = result.run_id
    metadata["spec_hash"] = result.spec.spec_hash
    metadata["hydra_overrides"] = list(context.overrides)
    metadata["config_dirs"] = list(context.config_dirs)
    metadata["experiment"] = context.experiment
    metadata["replay_of"] = context.replay_of
    # The first folder is the primary one: the user's --config-dir when given, else the shipped conf/.
    commit, dirty = (
        _git_state(Path(context.config_dirs[0]), Path(context.output_dir))
        if context.config_dirs
        else (None, None)
    )
    metadata["config_git_commit"] = commit
    metadata["config_git_dirty"] = dirty


RESULT_FOLDERS = ("outputs", "multirun")
"""Hydra's default run and sweep folders: results, not configs (see the README's .gitignore lines)."""


def _git_state(folder: Path, output_dir: Path) -> tuple[str | None, bool | None]:
    """HEAD commit and dirty flag of the repository holding ``folder``, if any.

    Dirty means a tracked file changed or an untracked file could change the configs: untracked
    result folders (Hydra's ``outputs/`` and ``multirun/``, and the top folder of this run's own
    output directory when it lies in the repository) do not count, or running an experiment in
    its repository would make every later run look dirty.
    """
    if not folder.is_dir():
        return None, None
    try:
        head = _git(folder, "rev-parse", "HEAD", "--show-toplevel")
        if head is None:
            return None, None
        commit, root = head.splitlines()[:2]
        status = _git(folder, "status", "--porcelain")
    except (OSError, subprocess.TimeoutExpired, ValueError):
        return None, None
    if status is None:
        return commit, None
    ignored = set(RESULT_FOLDERS)
    with contextlib.suppress(ValueError, IndexError, OSError):  # the run's folder is outside the repo
        ignored.add(output_dir.resolve().relative_to(Path(root).resolve()).parts[0])
    changes = [
        line
        for line in status.splitlines()
        if not (line.startswith("?? ") and line[3:].strip('"').split("/")[0] in ignored)
    ]
    return commit, bool(changes)


def _git(folder: Path, *args: str) -> str | None:
    """``git -C folder ARGS``' output, or None when git fails."""
    done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=10)
    return done.stdout.strip() if done.returncode == 0 else None
