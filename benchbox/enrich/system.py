"""Collectors for the software and the machine a run used."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path
from typing import Any

import benchbox
from benchbox.result import RunResult


def collect_benchbox(metadata: dict[str, Any], result: RunResult) -> None:
    """benchbox's own version."""
    metadata["benchbox_version"] = benchbox.__version__


def collect_python(metadata: dict[str, Any], result: RunResult) -> None:
    """Interpreter version and implementation."""
    metadata["python_version"] = platform.python_version()
    metadata["python_implementation"] = platform.python_implementation()
    metadata["python_executable_in_venv"] = sys.prefix != sys.base_prefix
    metadata["process_runs_before"] = result.process_runs_before


def collect_system(metadata: dict[str, Any], result: RunResult) -> None:
    """OS, CPU model and core counts, total memory (no hostname)."""
    import psutil

    metadata["os"] = platform.system()
    metadata["os_release"] = platform.release()
    metadata["machine"] = platform.machine()
    metadata["cpu_model"] = _cpu_model()
    metadata["cpu_cores_logical"] = os.cpu_count()
    metadata["cpu_cores_physical"] = psutil.cpu_count(logical=False)
    metadata["memory_total_bytes"] = psutil.virtual_memory().total


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"
