"""What the benchmark scripts share: interleaved timing, memory readings, machine facts, README sections.

Each script writes its own section of ``benchmarks/README.md`` between its markers
(``<!-- name:begin -->`` … ``<!-- name:end -->``) and leaves the rest of the file alone.
"""

from __future__ import annotations

import gc
import os
import platform
import resource
import statistics
import time
from pathlib import Path
from typing import Callable

README = Path(__file__).resolve().parent / "README.md"


def interleaved(calls: dict[str, Callable[[], object]], rounds: int, summary=statistics.median) -> dict[str, float]:
    """Seconds of each zero-argument callable, the rounds interleaved so that machine load hits all alike.

    ``summary`` turns the list of round times into one number (``statistics.median`` or ``min``).
    """
    times: dict[str, list[float]] = {key: [] for key in calls}
    for _ in range(rounds):
        for key, fn in calls.items():
            gc.collect()
            start = time.perf_counter()
            fn()
            times[key].append(time.perf_counter() - start)
    return {key: summary(v) for key, v in times.items()}


def _status(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def peak_mib() -> float:
    """Peak resident memory of this process (MiB): ``VmHWM``, which :func:`reset_peak` restarts."""
    peak = _status("VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def resident_mib() -> float:
    """Resident memory of this process now (MiB; ``VmRSS``), or the peak where unknown."""
    now = _status("VmRSS")
    return now if now is not None else peak_mib()


def reset_peak() -> None:
    """Start the peak (``VmHWM``) afresh from the current resident memory (Linux)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def machine() -> str:
    """``CPU, cores, system``, as the tables' header line states it."""
    return f"{cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.machine()}"


def write_section(name: str, body: str, readme: Path = README) -> None:
    """Put ``body`` between ``<!-- name:begin -->`` and ``<!-- name:end -->`` of the README."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    text = readme.read_text(encoding="utf-8") if readme.exists() else "# Benchmarks\n"
    block = f"{begin}\n{body.strip()}\n{end}"
    if begin in text and end in text:
        a, b = text.index(begin), text.index(end) + len(end)
        text = text[:a] + block + text[b:]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    readme.write_text(text, encoding="utf-8")
