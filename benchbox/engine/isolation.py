"""Fresh processes for timed runs: a run never silently inherits another run's warm process.

The first run in a process runs in place. A later one (the next job of a sweep, a
second ``benchbox.run()`` in a script, or a worker the joblib launcher reuses) would
find another run's imports, caches and allocator state warm, so it runs in a fresh
interpreter instead, unless ``reuse_warm_process: true`` says that is wanted (the result
records how many runs the process had made before, either way). The child runs the same
``engine.run``.

The child is forked from this process's zygote (``zygote``: an idle interpreter started at the
first such run, that has imported the engine and done nothing else), so a sweep job starts in
milliseconds, not the 0.6-0.9 s a new interpreter and its imports took. Where the zygote cannot
serve (another thread's run is using it, it died, it could not start), the child is a new
``python -c``. Either way it has this process's interpreter, flags, ``sys.path`` (so a
checkout that is not installed works), environment and working folder. It never imports
the caller's ``__main__``, unlike multiprocessing's "spawn", so a script without an
``if __name__ == "__main__":`` guard, ``python - < script.py`` and a notebook cell all
work. The spec goes in on the child's stdin; the result comes back on a pipe of its own,
because stdout and stderr stay the user's terminal (the summary table, the progress).
The child shares the process group, so Ctrl-C (and a SIGTERM to the group) reaches it
directly; meanwhile this process only notes the signal and waits for the child's partial
result. A signal that reaches the child before its run has started (while it imports) ends
it quietly with exit code 130, and this process reports the job as interrupted, with no
traceback from either. POSIX only; it works the same in a launcher's worker process
(joblib's), since nothing here depends on how that process was started.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from benchbox.engine import zygote
from benchbox.errors import BenchboxError

if TYPE_CHECKING:
    from benchbox.result import RunResult
    from benchbox.spec import RunSpec

_runs_in_process = 0

_BOOT = (
    zygote.MARK + "import sys\n"
    "try:\n"
    "    sys.path[:] = sys.argv[2:]\n"
    "    from benchbox.engine.isolation import child\n"
    "except KeyboardInterrupt:\n"
    "    sys.exit(130)\n"
    "child(int(sys.argv[1]))\n"
)
"""The child's program: the parent's ``sys.path`` first (from argv; only the builtin ``sys`` is
imported before it), then benchbox. Nothing of the caller's ``__main__`` is imported. Ctrl-C
while it starts ends it with 130 and no traceback."""

INTERRUPTED = 130

Handlers = list[tuple[str, str | None, str | None]]
Levels = dict[str, int]
"""Logger name -> level, for the root logger ("") and every benchbox logger with a level of its own
(``hydra.verbose=benchbox`` sets ``benchbox`` to DEBUG): the child logs what this process would."""

log = logging.getLogger(__name__)


class FreshProcessError(BenchboxError):
    """The fresh process of a run ended without handing back its result (killed, crashed)."""


def runs_before() -> int:
    """Count a run starting in this process; return how many ran here before it."""
    global _runs_in_process
    _runs_in_process += 1
    return _runs_in_process - 1


def in_fresh_process(run: Callable[[RunSpec], RunResult], spec: RunSpec) -> RunResult:
    """``run(spec)`` in a fresh process, with this process's log handlers mirrored: forked from this
    process's zygote (see ``zygote``), or a new interpreter when the zygote is busy with another
    thread's run or does not work here.

    Raises:
        FreshProcessError: the child ended without a result; exit code 130 if a signal
            arrived meanwhile, else 1.
    """
    with _waiting() as signals:  # from the start: a Ctrl-C in this process is noted, never raised
        forks = zygote.get() if sys.executable else None
        payload = _payload(run, spec)
        if signals:  # Ctrl-C came before the run's process existed: start none
            raise _no_result(None, None, signals, spec)
        if forks is not None and forks.lock.acquire(blocking=False):
            try:
                return _run_forked(forks, payload, spec, signals)
            except zygote.ZygoteGone as exc:
                log.debug("the zygote cannot fork this run (%s): starting a new interpreter", exc)
                zygote.discard()
            finally:
                forks.lock.release()
        return _run_in_child(payload, spec, signals)


def _payload(run: Callable[[RunSpec], RunResult], spec: RunSpec) -> bytes:
    """What the child reads: the run, its spec and this process's logging; stdout and stderr flushed
    first, so that what this process printed comes before the child's output."""
    handlers = [_describe(h) for h in logging.getLogger().handlers]
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    return pickle.dumps((run, spec, handlers, _levels()))


def _run_forked(forks: zygote.Zygote, payload: bytes, spec: RunSpec, signals: list[int]) -> RunResult:
    """Fork the child from the zygote and wait for its result.

    Raises:
        zygote.ZygoteGone: the zygote did not fork it (nothing ran).
    """
    pid, result_r = forks.fork(payload)
    log.debug("fresh process pid %d forked for run folder %s", pid, spec.context.output_dir)
    if signals:  # it came while the zygote forked: the new process may have missed it
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signals[0])
    data = _read_all(result_r)
    return _result(data, pid, forks.wait(), signals, spec)


def _run_in_child(payload: bytes, spec: RunSpec, signals: list[int]) -> RunResult:
    """Start a new interpreter, hand it the run, wait for its result (``signals``: those noted meanwhile)."""
    if not sys.executable:
        raise FreshProcessError(
            "cannot start a fresh Python for this run (sys.executable is empty in this interpreter): "
            "set reuse_warm_process=true to run it in this process"
        )
    flags = subprocess._args_from_interpreter_flags()  # -O, -X, -W ...: what multiprocessing passes too
    command = [sys.executable, *flags, "-c", _BOOT]
    result_r, result_w = os.pipe()
    try:
        child_process = subprocess.Popen(
            [*command, str(result_w), *sys.path], stdin=subprocess.PIPE, pass_fds=(result_w,)
        )
    except BaseException:
        os.close(result_r)
        raise
    finally:
        os.close(result_w)  # the child holds the only write end: end of file means it is gone
    try:
        log.debug(
            "fresh process pid %d started for run folder %s", child_process.pid, spec.context.output_dir
        )
        child_process.stdin.write(payload)  # type: ignore[union-attr]
        child_process.stdin.close()  # type: ignore[union-attr]
    except BrokenPipeError:
        pass  # it died at once; its exit status says how
    data = _read_all(result_r)
    return _result(data, child_process.pid, child_process.wait(), signals, spec)


def _result(data: bytes, pid: int, status: int | None, signals: list[int], spec: RunSpec) -> RunResult:
    """The child's result, or the error that says why there is none."""
    try:
        return pickle.loads(data)
    except Exception:  # nothing or a truncated result: the child did not finish writing it
        raise _no_result(pid, status, signals, spec) from None


def _no_result(pid: int | None, status: int | None, signals: list[int], spec: RunSpec) -> FreshProcessError:
    """Why the run's fresh process gave no result: interrupted (130) or ended (1)."""
    folder = spec.context.output_dir
    process = "fresh process" if pid is None else f"fresh process (pid {pid})"
    if signals or status in (INTERRUPTED, -signal.SIGINT, -signal.SIGTERM):
        ended = "" if pid is None else f" ({_ended(status)})"
        error = FreshProcessError(
            f"interrupted by signal before the run's {process} handed back its result{ended}: "
            f"{folder} may hold no result.json"
        )
        error.exit_code = INTERRUPTED
        return error
    return FreshProcessError(
        f"the run's {process} {_ended(status)} before it handed back "
        f"its result, so {folder} may hold no result.json (its own messages, if any, are above). "
        "To run in this process instead, set reuse_warm_process=true"
    )


def child(result_fd: int, payload: bytes | None = None) -> None:
    """The fresh process: read (run, spec, log handlers) from ``payload`` or else stdin, run, write
    the pickled result.

    A signal before the run's own handling of signals starts (while this process imports what
    the run needs) ends it with 130: nothing ran, there is nothing to hand back. Once the run
    has returned, its result is handed back whatever arrives: its files say it is complete.
    """
    try:
        os.set_inheritable(result_fd, False)  # a subprocess of the run must not keep the pipe open
        source = pickle.loads(payload) if payload is not None else pickle.load(sys.stdin.buffer)
        run, spec, handlers, levels = source
        _mirror(handlers, levels)
        result = run(spec)
    except KeyboardInterrupt:
        sys.exit(INTERRUPTED)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_IGN)
    data = memoryview(pickle.dumps(result))
    while data:
        data = data[os.write(result_fd, data) :]
    os.close(result_fd)


@contextmanager
def _waiting() -> Iterator[list[int]]:
    """While the child runs, SIGINT and SIGTERM are only noted here: the child got them too (same
    process group) and ends its run with a partial result, which this process still collects."""
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received  # signals are handled by the main thread only; nothing to change
        return
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    for sig in previous:
        signal.signal(sig, lambda signum, frame: received.append(signum))
    try:
        yield received
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _read_all(fd: int) -> bytes:
    """Everything the child writes on the result pipe, until it closes it (or dies)."""
    chunks = []
    try:
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


def _ended(status: int | None) -> str:
    if status is None:  # the zygote that forked it died first
        return "ended (how is unknown)"
    if status >= 0:
        return f"exited with status {status}"
    try:
        return f"was killed by signal {signal.Signals(-status).name}"
    except ValueError:
        return f"was killed by signal {-status}"


def _describe(handler: logging.Handler) -> tuple[str, str | None, str | None]:
    fmt = handler.formatter._fmt if handler.formatter else None
    if isinstance(handler, logging.FileHandler):
        return "file", handler.baseFilename, fmt
    return "stream", "stderr" if getattr(handler, "stream", None) is sys.stderr else "stdout", fmt


def _levels() -> Levels:
    named = dict(logging.Logger.manager.loggerDict)
    levels = {
        name: logger.level
        for name, logger in named.items()
        if isinstance(logger, logging.Logger) and name.split(".")[0] == "benchbox" and logger.level
    }
    return {"": logging.getLogger().level, **levels}


def _mirror(handlers: Handlers, levels: Levels) -> None:
    root = logging.getLogger()
    root.setLevel(levels.get("", logging.INFO))
    for name, level in levels.items():
        if name:
            logging.getLogger(name).setLevel(level)
    for kind, target, fmt in handlers:
        if kind == "file":
            handler: logging.Handler = logging.FileHandler(target or "", mode="a")
        else:
            handler = logging.StreamHandler(sys.stderr if target == "stderr" else sys.stdout)
        handler.setFormatter(logging.Formatter(fmt))
        root.addHandler(handler)
