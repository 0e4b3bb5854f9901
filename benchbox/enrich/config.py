"""Collectors for what was asked: spec hash, overrides, and the config's git state."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

from benchbox.result import RunResult

_SECRET_KEY = re.compile(r"(password|passwd|secret|token|api_key|credential)", re.IGNORECASE)


def redact_override(override: str) -> str:
    """``a.password=x`` -> ``a.password=***``: an override may carry a secret."""
    key, sep, _ = override.partition("=")
    return f"{key}=***" if sep and _SECRET_KEY.search(key) else override


def collect_config(metadata: dict[str, Any], result: RunResult) -> None:
    """Spec hash, Hydra overrides (secrets redacted), run id, and the config repo's commit."""
    context = result.spec.context
    metadata["run_id"] = result.run_id
    metadata["spec_hash"] = result.spec.spec_hash
    metadata["hydra_overrides"] = [redact_override(o) for o in context.overrides]
    metadata["config_dirs"] = list(context.config_dirs)
    commit, dirty = None, None
    for folder in context.config_dirs:  # the user's --config-dir comes first
        commit, dirty = _git_state(Path(folder))
        if commit is not None:
            break
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
