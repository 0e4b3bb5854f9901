"""Running a benchmark's data generator program: found next to this Python first, and never
outliving benchbox, so that a killed run cannot leave it filling the disk. The program and its
arguments are the benchmark's (``Benchmark.generate``); this module knows no benchmark.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from benchbox.errors import DataError

log = logging.getLogger(__name__)


def executable(name: str, package: str) -> str:
    """The path of a generator program, preferring the one installed next to this Python (the
    same venv) over PATH; a DataError naming the package to install when there is none."""
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    found = shutil.which(name, path=search)
    if found is None:
        raise DataError(f"{name} is not installed: run `pip install {package}` (a benchbox dependency)")
    return found


def run_generator(command: Sequence[str]) -> str:
    """Run a generator's command line (its program first); return the program's ``--version``.

    The generator dies with benchbox (``_die_with_parent``): a ``kill -9`` of the run cannot
    leave it filling the disk. The staging folder it wrote into is removed by the next run.

    Raises:
        DataError: the generator failed; the message ends with its own last words.
    """
    import subprocess

    preexec = _die_with_parent()
    log.debug("generator: %s", " ".join(command))
    done = subprocess.run(list(command), capture_output=True, text=True, check=False, preexec_fn=preexec)
    log.debug("generator: exit %s; its last words: %s", done.returncode, done.stderr.strip()[-300:] or "none")
    if done.returncode != 0:
        raise DataError(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    version = subprocess.run(
        [command[0], "--version"], capture_output=True, text=True, check=False, preexec_fn=preexec
    )
    words = version.stdout.split()
    return words[-1] if words else "unknown"


def _die_with_parent() -> Callable[[], None] | None:
    """On Linux, what a child runs before ``exec``: ask the kernel for SIGKILL when its parent
    thread dies (``PR_SET_PDEATHSIG``, kept across exec), and die at once if the parent died
    already. Elsewhere None: a killed run's generator then runs to its end.

    The function only calls ``prctl``, ``getppid`` and ``_exit``, resolved before the fork, so it
    is safe in the forked child while other threads (the watchdog) run. The generator is a
    single (multithreaded) process, so a process group of its own would add nothing."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import signal

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent, getppid, exit_now = os.getpid(), os.getppid, os._exit
    pr_set_pdeathsig, sigkill = 1, int(signal.SIGKILL)

    def preexec() -> None:
        prctl(pr_set_pdeathsig, sigkill)
        if getppid() != parent:  # the parent died before prctl took effect: nobody would kill us
            exit_now(1)

    return preexec
