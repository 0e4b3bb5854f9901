"""What an execution cost besides time: CPU time and peak memory, read just before and just
after its timed region (``timing.timed``), never inside it.

Two processes can be measured. benchbox's own: CPU time of all its threads, user and
system (``time.process_time_ns``), and its peak resident set during the call (the kernel's
high-water mark ``VmHWM`` in ``/proc/self/status``, reset to the current RSS just before
the call by writing ``5`` to ``/proc/self/clear_refs``). And the process on this machine
that executes one connection's queries, when the platform names one
(``Adapter.server_pid()``): its CPU clock (all its threads) and its ``/proc/<pid>`` figures
the same way. Each reading costs microseconds (a system call or a small ``/proc`` file).

A figure that cannot be read is None, never an error: no ``/proc`` (another OS), a
``clear_refs`` benchbox may not write (another user's process: without the reset the
high-water mark would be the process's lifetime peak, not the call's), a process that is gone.

Writing to ``clear_refs`` is a measurement, not a result file: it changes nothing but the
kernel's peak counter of that process (proc(5)), which is why this module may write it.
"""

from __future__ import annotations

import functools
import os
import time
from typing import NamedTuple

from benchbox.result import Execution

PROC = "/proc"
"""Where the kernel's process files are (a test points it elsewhere)."""
_RESET_PEAK = b"5"
"""Written to ``clear_refs``: reset the peak RSS (VmHWM) to the current RSS, nothing else."""


class Before(NamedTuple):
    """The readings taken just before a timed call."""

    cpu_ns: int | None
    """benchbox's CPU time, or None when its figures are not wanted (concurrent streams)."""
    peak_reset: bool
    """Whether benchbox's peak counter was reset (so VmHWM afterwards is the call's peak)."""
    server_pid: int | None
    server_cpu_ns: int | None
    server_peak_reset: bool


NOTHING = Before(None, False, None, None, False)


def before(own: bool, server_pid: int | None) -> Before:
    """Reset the peak counters, then read the CPU clocks (last, closest to the call).
    ``own``: measure benchbox's process (False when other streams run in it meanwhile)."""
    if not own and server_pid is None:
        return NOTHING
    peak_reset = own and _reset_peak("self")
    server_peak_reset = server_pid is not None and _reset_peak(str(server_pid))
    server_cpu_ns = _server_cpu_ns(server_pid) if server_pid is not None else None
    cpu_ns = time.process_time_ns() if own else None
    return Before(cpu_ns, peak_reset, server_pid, server_cpu_ns, server_peak_reset)


def after(start: Before, execution: Execution) -> None:
    """Read the CPU clocks first (closest to the call), then the peaks; record them on ``execution``."""
    if start is NOTHING:
        return
    if start.cpu_ns is not None:
        execution.cpu_ms = (time.process_time_ns() - start.cpu_ns) / 1e6
    if start.server_cpu_ns is not None:
        now = _server_cpu_ns(start.server_pid)
        execution.server_cpu_ms = None if now is None else (now - start.server_cpu_ns) / 1e6
    if start.peak_reset:
        execution.peak_rss_bytes = _peak_rss("self")
    if start.server_peak_reset:
        execution.server_peak_rss_bytes = _peak_rss(str(start.server_pid))


def _reset_peak(process: str) -> bool:
    """Reset a process's peak RSS to its current RSS; False where that cannot be done."""
    try:
        fd = os.open(f"{PROC}/{process}/clear_refs", os.O_WRONLY)
    except OSError:
        return False
    try:
        return os.write(fd, _RESET_PEAK) == len(_RESET_PEAK)
    except OSError:
        return False
    finally:
        os.close(fd)


def _peak_rss(process: str) -> int | None:
    """A process's peak RSS in bytes (``VmHWM``), or None."""
    try:
        fd = os.open(f"{PROC}/{process}/status", os.O_RDONLY)
    except OSError:
        return None
    try:
        status = os.read(fd, 16384)
    except OSError:
        return None
    finally:
        os.close(fd)
    start = status.find(b"VmHWM:")
    if start < 0:
        return None
    fields = status[start + 6 : status.find(b"\n", start)].split()
    try:
        return int(fields[0]) * 1024 if fields and fields[-1] == b"kB" else None
    except ValueError:
        return None


def _server_cpu_ns(pid: int | None) -> int | None:
    """Another process's CPU time (all its threads, user and system) in ns: its CPU clock where
    the C library gives one, else psutil's reading (ticks of /proc/<pid>/stat); None if gone."""
    if pid is None:
        return None
    clock = _cpu_clock(pid)
    if clock is not None:
        try:
            return time.clock_gettime_ns(clock)
        except OSError:
            return None
    try:
        import psutil

        times = psutil.Process(pid).cpu_times()
    except Exception:  # psutil.Error: gone or not ours to read
        return None
    return round((times.user + times.system) * 1e9)


@functools.lru_cache(maxsize=64)
def _cpu_clock(pid: int) -> int | None:
    """The id of a process's CPU-time clock (``clock_getcpuclockid``), looked up once per process."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        clock = ctypes.c_int()
        if libc.clock_getcpuclockid(pid, ctypes.byref(clock)) != 0:
            return None
        time.clock_gettime_ns(clock.value)  # readable here (Linux reads any process's clock)
    except Exception:  # no such function (macOS, Windows), or the clock cannot be read
        return None
    return clock.value
