"""A clean, idle process that forks the fresh processes of runs (see ``isolation``).

A fresh interpreter per sweep job cost 0.6-0.9 s before its run began: Python's start and
benchbox's imports (pydantic, the spec's models, the engine), every job again (issue 11). The
zygote pays that once: started at the first run that needs a fresh process, it imports the
engine and then only waits. It never runs anything: no engine connects, no query runs, no
run's caches fill in it, and it has one thread, so a process forked from it is as clean as a new
interpreter (what a run would find warm is exactly what a new interpreter would have imported
before its run started), and it starts in milliseconds.

Each job is one request on a Unix socket: the pickled run, this process's environment and
``sys.path``, and four file descriptors (``SCM_RIGHTS``): the result pipe's write end, this
process's current stdout and stderr, and its working folder. The forked process puts them in
place, so it writes where this process writes now and works in its folder, even if those changed
after the zygote started (pytest's capture, Hydra's ``job.chdir``). The zygote answers with the
child's pid, then, when the child has ended, with its exit status; it ends when this process
closes the socket (or dies).

SIGINT and SIGTERM stay blocked in the zygote: Ctrl-C in a terminal signals the whole process
group, which must not end the zygote, and a signal that reaches a forked process before its run
exists stays pending there until it has unblocked them (it then ends with 130, as a new
interpreter does).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import pickle
import signal
import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

MARK = "# benchbox: the fresh process of a run\n"
"""First line of the ``-c`` program of every fresh process (forked from the zygote, which has it
too, or started on its own): what finds them among a command's processes."""

BOOT = (
    MARK + "import sys\n"
    "try:\n"
    "    import signal\n"
    "    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})\n"
    "    sys.path[:] = sys.argv[2:]\n"
    "    from benchbox.engine.zygote import serve\n"
    "except KeyboardInterrupt:\n"
    "    sys.exit(130)\n"
    "job = serve(int(sys.argv[1]))\n"
    "if job is not None:\n"
    "    job()\n"
)
"""The zygote's program. ``serve`` returns only at its end (None) or in a forked process (its job),
which then runs at the top of the program and exits as any interpreter does (atexit included)."""

_SIGNALS = {signal.SIGINT, signal.SIGTERM}
_HEADER = struct.Struct("!Q")
"""A request: its length, with the four descriptors attached; then the pickled request."""
_REPLY = struct.Struct("!cq")
"""A reply: ``P`` and the forked pid, later ``S`` and its exit status (negative: killed by that signal)."""
_DESCRIPTORS = 4
_REAP_S = 5.0


class ZygoteGone(Exception):
    """The zygote ended (or never worked) before forking the job: start the run another way."""


class Zygote:
    """This process's side of one zygote."""

    def __init__(self) -> None:
        mine, theirs = socket.socketpair()
        try:
            flags = subprocess._args_from_interpreter_flags()  # -O, -X, -W ...: as the parent runs
            self.process = subprocess.Popen(
                [sys.executable, *flags, "-c", BOOT, str(theirs.fileno()), *sys.path],
                stdin=subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),),
            )
        except BaseException:
            mine.close()
            raise
        finally:
            theirs.close()
        self._socket = mine
        self.lock = threading.Lock()
        """Held for a job from request to exit status: one job at a time."""

    def fork(self, payload: bytes) -> tuple[int, int]:
        """Start a process running ``payload`` (``isolation.child``'s); its pid and the read end of
        its result pipe.

        Raises:
            ZygoteGone: the zygote is not there to fork it.
        """
        result_r, result_w = os.pipe()
        folder = os.open(".", os.O_RDONLY | os.O_DIRECTORY)
        try:
            request = pickle.dumps((dict(os.environ), list(sys.path), payload))
            socket.send_fds(self._socket, [_HEADER.pack(len(request))], [result_w, 1, 2, folder])
            self._socket.sendall(request)
            kind, pid = self._reply()
        except (OSError, ZygoteGone) as exc:
            os.close(result_r)
            raise ZygoteGone(str(exc)) from None
        finally:
            os.close(result_w)  # the forked process holds the only write end: end of file means it ended
            os.close(folder)
        if kind != b"P":
            os.close(result_r)
            raise ZygoteGone(f"unexpected reply {kind!r}")
        return pid, result_r

    def wait(self) -> int | None:
        """The forked process's exit status, once it has ended; None if the zygote died meanwhile."""
        try:
            kind, status = self._reply()
        except (OSError, ZygoteGone):
            return None
        return status if kind == b"S" else None

    def close(self) -> None:
        """End the zygote (it reads end of file) and reap it, so that its CPU time (and its forks')
        counts in this process's; a zygote still waiting for a fork is left to end on its own."""
        self._socket.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=_REAP_S)

    def _reply(self) -> tuple[bytes, int]:
        data = _receive(self._socket, _REPLY.size)
        if data is None:
            raise ZygoteGone(f"the zygote (pid {self.process.pid}) has ended")
        return _REPLY.unpack(data)  # type: ignore[return-value]


_zygote: Zygote | None = None
_broken = False


def get() -> Zygote | None:
    """This process's zygote, started on first use; None once one has failed (then runs start new
    interpreters, as before)."""
    global _zygote
    if _zygote is None and not _broken:
        try:
            _zygote = Zygote()
        except OSError:
            discard()
        else:
            atexit.register(_zygote.close)
    return _zygote


def discard() -> None:
    """Give up on the zygote: it died or could not fork; later runs start new interpreters."""
    global _zygote, _broken
    if _zygote is not None:
        atexit.unregister(_zygote.close)
        _zygote.close()
    _zygote, _broken = None, True


def serve(fd: int) -> Callable[[], None] | None:
    """The zygote: import what every run imports, then fork one process per request until the
    socket closes. Returns None in the zygote at its end, the job in a forked process."""
    _preload()
    server = socket.socket(fileno=fd)
    if _threads() != 1:  # forking a process with threads copies none of them: refuse
        return None
    gc.freeze()  # the imported objects are never collected: their pages stay shared with the forks
    while True:
        request = _request(server)
        if request is None:
            return None
        descriptors, payload = request
        pid = os.fork()
        if pid == 0:
            server.close()
            return lambda: _forked(descriptors, payload)
        for descriptor in descriptors:
            os.close(descriptor)
        try:
            server.sendall(_REPLY.pack(b"P", pid))
            _, status = os.waitpid(pid, 0)
            server.sendall(_REPLY.pack(b"S", os.waitstatus_to_exitcode(status)))
        except OSError:  # the parent is gone: end (a running fork goes on to its end alone)
            return None


PRELOAD = (
    "benchbox.engine",
    "benchbox.engine.reference",
    "benchbox.report.html",
    "rich.console",
    "rich.live",
    "rich.table",
    "psutil",
    "filelock",
)
"""What a run imports and no other run's state hangs on: the engine, and the modules it imports only
when needed (to keep a single ``benchbox`` process's start short): expected answers, the report page,
the live display and its closing table, the machine metadata, the data cache's lock. pyarrow is not
among them: importing it starts threads, and a process with threads is not forked."""


def _preload() -> None:
    """Import ``PRELOAD``, every registered benchmark's modules and every platform's adapter module
    (not its driver, imported at connect): what fresh processes would otherwise each import again."""
    import importlib
    import pkgutil

    from benchbox import benchmarks, platforms

    # Each import may fail (a missing optional package): a run that needs the module imports it
    # again and reports why that fails; here it is only not preloaded.
    names = list(PRELOAD)
    for benchmark in benchmarks.NAMES:
        with contextlib.suppress(Exception):
            package = importlib.import_module(benchmarks.get(benchmark).__module__)
            walked = pkgutil.walk_packages(getattr(package, "__path__", []), package.__name__ + ".")
            names += [module.name for module in walked if not module.name.endswith(".__main__")]
    for platform in platforms.NAMES:
        with contextlib.suppress(Exception):
            platforms.get(platform)
    for name in names:
        with contextlib.suppress(Exception):
            importlib.import_module(name)


def _request(server: socket.socket) -> tuple[list[int], bytes] | None:
    """The next request's descriptors and payload, or None at the end of the socket."""
    try:
        header, descriptors, _, _ = socket.recv_fds(server, _HEADER.size, _DESCRIPTORS)
    except OSError:
        return None
    rest = _receive(server, _HEADER.size - len(header)) if header else None
    if not header or rest is None or len(descriptors) != _DESCRIPTORS:
        for descriptor in descriptors:
            os.close(descriptor)
        return None
    (size,) = _HEADER.unpack(header + rest)
    payload = _receive(server, size)
    return (descriptors, payload) if payload is not None else None


def _forked(descriptors: list[int], request: bytes) -> None:
    """In the forked process: put this job's descriptors, environment and path in place, then run
    it as a new interpreter would (``isolation.child``)."""
    from benchbox.engine import isolation

    result_fd, stdout, stderr, folder = descriptors
    os.dup2(stdout, 1)
    os.dup2(stderr, 2)
    os.fchdir(folder)
    for descriptor in (stdout, stderr, folder):
        os.close(descriptor)
    environment, path, payload = pickle.loads(request)
    os.environ.clear()
    os.environ.update(environment)
    sys.path[:] = path
    try:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)  # one that came meanwhile is raised now
        isolation.child(result_fd, payload)
    except KeyboardInterrupt:
        sys.exit(isolation.INTERRUPTED)


def _receive(connection: socket.socket, size: int) -> bytes | None:
    """Exactly ``size`` bytes, or None if the socket ends first."""
    chunks, missing = [], size
    while missing:
        try:
            chunk = connection.recv(missing)
        except OSError:
            return None
        if not chunk:
            return None
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _threads() -> int:
    """Threads in this process, C ones included (Linux's ``/proc``); 1 where it cannot be read."""
    tasks = Path("/proc/self/task")
    return len(list(tasks.iterdir())) if tasks.is_dir() else 1
