"""The ``benchbox`` command: compose with Hydra, validate into a RunSpec, call ``engine.run``.

It has no behaviour of its own: every mode is a RunSpec the engine runs on its one
path. Heavy imports happen inside the task so that ``benchbox --help`` stays fast.
"""

from __future__ import annotations

import sys
from typing import Any

from benchbox.compose import CONFIG_NAME, preflight, search_order
from benchbox.exit_codes import CODES, INTERRUPTED


def main() -> None:
    """Entry point: exit 0 ok, 1 failed queries, 2 user error, 130 interrupted."""
    early = preflight(sys.argv[1:])
    if early is not None:
        early.exit()
    import hydra

    config_path, sys.argv[1:] = search_order(sys.argv[1:])

    @hydra.main(config_path=config_path, config_name=CONFIG_NAME, version_base="1.3")
    def task(config: Any) -> dict[str, Any]:
        # After Ctrl-C/SIGTERM ended one job, the rest of a sweep is a row each, not a run.
        interrupted = INTERRUPTED in CODES
        outcome = {"exit_code": INTERRUPTED, "error": "not run: the sweep was interrupted"}
        outcome = outcome if interrupted else run_job(config)
        CODES.append(outcome["exit_code"])
        return outcome

    try:
        task()
    except SystemExit as exc:
        if exc.code not in (0, None) and not CODES:
            sys.exit(2)  # Hydra rejected the command line before any job ran
        raise
    sys.exit(max(CODES, default=0))


def run_job(config: Any) -> dict[str, Any]:
    """One Hydra job: the composed config -> RunSpec -> ``engine.run``; returns the exit code."""
    from hydra.core.hydra_config import HydraConfig
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    from benchbox import engine
    from benchbox.errors import SpecError
    from benchbox.spec import RunContext, RunSpec

    hydra = HydraConfig.get()
    context = RunContext(
        output_dir=hydra.runtime.output_dir,
        overrides=tuple(hydra.overrides.task),
        config_dirs=tuple(s.path for s in hydra.runtime.config_sources if s.schema == "file"),
        experiment=hydra.runtime.choices.get("experiment"),
    )
    try:
        raw = OmegaConf.to_container(config, resolve=True, throw_on_missing=True)
        spec = RunSpec.from_config(raw, context)
    except (SpecError, OmegaConfBaseException) as exc:
        message = " ".join(str(exc).split())
        sys.stderr.write(f"benchbox: error: {message}\n")
        return {"exit_code": 2, "error": message}
    result = engine.run(spec)
    return {"exit_code": result.exit_code, "error": result.error}
