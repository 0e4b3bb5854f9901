"""The ``benchbox`` command: compose with Hydra, validate into a RunSpec, call ``engine.run``.

It has no behaviour of its own: every mode is a RunSpec the engine runs on its one
path. Heavy imports happen inside the task so that ``benchbox --help`` stays fast.
"""

from __future__ import annotations

import gc
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from benchbox.compose import CONFIG_NAME, hydra_reports, preflight, search_order
from benchbox.errors import RunInterrupted
from benchbox.exit_codes import CODES, INTERRUPTED, OUTCOMES, settle


def main() -> None:
    """Entry point: exit 0 ok, 1 failed queries, 2 user error, 130 interrupted."""
    early = preflight(sys.argv[1:])
    if early is not None:
        early.exit()
    import hydra

    config_path, sys.argv[1:] = search_order(sys.argv[1:])

    @hydra.main(config_path=config_path, config_name=CONFIG_NAME, version_base="1.3")
    def task(config: Any) -> dict[str, Any] | float | None:
        from hydra.core.hydra_config import HydraConfig

        # After Ctrl-C/SIGTERM ended one job, the rest of a sweep is a row each, not a run.
        skipped = {"exit_code": INTERRUPTED, "error": "not run: the sweep was interrupted"}, None
        outcome, value = skipped if INTERRUPTED in CODES else run_job(config)
        CODES.append(outcome["exit_code"])
        OUTCOMES[str(Path(HydraConfig.get().runtime.output_dir).resolve())] = outcome
        # With an objective, an optimising sweeper (hydra/sweeper=optuna) gets its number (None: failed).
        return outcome if config.get("objective") is None else value

    signal.signal(signal.SIGTERM, _terminated)  # a run's watchdog takes over while the run goes
    try:
        with hydra_reports():  # a mistake only Hydra finds (bad YAML, a run folder it cannot create): 2
            task()
    except KeyboardInterrupt:  # Ctrl-C (or SIGTERM) outside every run, e.g. in a launcher waiting (joblib)
        settle()  # a sweep its launcher cut short: its summary, and so its jobs' codes
        sys.stderr.write("benchbox: error: interrupted by signal\n")
        sys.exit(INTERRUPTED)
    except SystemExit as exc:
        if exc.code not in (0, None):  # Hydra rejected the command line (2), or failed after the jobs
            settle()  # a launcher that broke after jobs ran: their codes count
            sys.exit(max(1, *CODES) if CODES else 2)
        raise
    from benchbox.api import discard_refused_runs

    discard_refused_runs()  # a single run refused by validation leaves no run folder (Hydra made it)
    # The interpreter's last collections would walk every object the run made (0.1 s), to free
    # memory the exit returns anyway: frozen objects are left out of them.
    gc.freeze()
    sys.exit(max(CODES, default=0))


def _terminated(signum: int, frame: FrameType | None) -> None:
    """SIGTERM outside a run (while Hydra composes, or a launcher waits for its workers) ends the
    command as Ctrl-C does: one line, exit 130, a cut-short sweep's summary written."""
    raise RunInterrupted("received signal SIGTERM")


def run_job(config: Any) -> tuple[dict[str, Any], float | None]:
    """One Hydra job: the composed config -> RunSpec -> ``engine.run`` (``api.job``, the step ``benchbox.run``
    shares); returns the outcome (exit code, error) and the objective's value."""
    from hydra.core.hydra_config import HydraConfig

    from benchbox import api

    # What the imports and the composition made outlives the run: leave it out of the collections
    # the run's own objects trigger (each full one walked all of it: Polars at SF 1 spent 0.18 s in
    # them). Unfrozen after the job, so that a later job's collections see this one's garbage.
    gc.freeze()
    try:
        return api.job(config, HydraConfig.get())
    finally:
        gc.unfreeze()
