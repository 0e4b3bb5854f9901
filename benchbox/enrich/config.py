"""Collectors for what was asked: spec hash, overrides, and the config's git state."""

from __future__ import annotations

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
    # The first folder is the primary one: the user's --config-dir when given, else the shipped conf/.
    commit, dirty = _git_state(Path(context.config_dirs[0])) if context.config_dirs else (None, None)
    metadata["config_git_commit"] = commit
    metadata["config_git_dirty"] = dirty


def _git_state(folder: Path) -> tuple[str | None, bool | None]:
    """HEAD commit and dirty flag of the repository holding ``folder``, if any."""
    if not folder.is_dir():
        return None, None
    try:
        head = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10
        )
        if head.returncode != 0:
            return None, None
        status = subprocess.run(
            ["git", "-C", str(folder), "status", "--porcelain"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None, None
    return head.stdout.strip(), bool(status.stdout.strip())
