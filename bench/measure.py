"""Measuring: medians and percentiles of repeated timings, child processes with their peak
memory, and the record every benchmark figure becomes."""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Final

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@dataclass(frozen=True)
class Figure:
    """One measured figure beside its baseline from the same run.

    ``ratio`` is baseline ÷ value for times and sizes (how many times better than the
    baseline; above 1 is better), or ``None`` where no baseline applies. ``value`` is
    ``None`` for a figure that could not be measured; ``note`` then says why.
    """

    section: str
    name: str
    value: float | None
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    repeats: int = 1
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.value is None or self.value == 0:
            return None
        return self.baseline / self.value

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ratio"] = self.ratio
        return data


def median_seconds(fn: Callable[[], object], *, repeat: int, warmup: int = 1) -> float:
    """Median wall time of ``fn`` over ``repeat`` calls after ``warmup`` unmeasured ones."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) of ``values``, linearly interpolated; NaN when empty."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = (len(ordered) - 1) * q / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


_PEAK: Final = """
import atexit, runpy, sys
from pathlib import Path
out, kind, target, *rest = sys.argv[1:]
def report():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            Path(out).write_text(line.split()[1])
atexit.register(report)
if kind == "-m":
    sys.argv = [target, *rest]
    runpy.run_module(target, run_name="__main__", alter_sys=True)
else:
    sys.argv = ["-c", *rest]
    exec(compile(target, "<string>", "exec"), {"__name__": "__main__"})
"""
"""Runs ``-m module …`` or ``-c code …`` and writes the process's own peak resident memory
(VmHWM, KiB) to a file at exit. ``ru_maxrss`` of a child is no good here: Linux carries the
parent's peak over into a child at fork, so every child of a big process looked as big."""


def run_child(argv: Sequence[str], *, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run a Python child process (``argv`` starts with ``-m`` or ``-c``); return (wall
    seconds, peak resident memory of the child itself in MiB).

    Standard error goes to a temporary file (a pipe that nobody reads while waiting would
    block a chatty child).

    Raises
    ------
    RuntimeError
        When the child fails, with its standard error.
    """
    if not argv or argv[0] not in ("-m", "-c"):
        raise ValueError("run_child needs '-m module …' or '-c code …'")
    with tempfile.TemporaryDirectory(prefix="zow-child-") as tmp:
        peak_file = Path(tmp) / "peak"
        errors_path = Path(tmp) / "stderr"
        with errors_path.open("wb") as errors:
            start = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-c", _PEAK, str(peak_file), *argv],
                cwd=REPO,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                env={**os.environ, **(env or {})},
                check=False,
            )
            seconds = time.perf_counter() - start
        if proc.returncode != 0:
            stderr = errors_path.read_text(encoding="utf-8", errors="replace")
            raise RuntimeError(f"{' '.join(argv)} failed: {stderr[-2000:]}")
        try:
            peak = int(peak_file.read_text()) / 1024.0
        except (OSError, ValueError):
            peak = math.nan
    return seconds, peak


def median_child(argv: Sequence[str], *, repeat: int) -> tuple[float, float]:
    """Median wall seconds and the largest peak memory (MiB) of ``repeat`` child runs."""
    runs = [run_child(argv) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def child_json(argv: Sequence[str], *, timeout: float = 600.0) -> Any:
    """Run a Python child that prints one JSON document as its last line of output, and
    return that document (a child reports its own peak memory with :func:`peak_mib`).

    Raises
    ------
    RuntimeError
        When the child fails, times out or prints no JSON, with its standard error.
    """
    try:
        proc = subprocess.run(
            [sys.executable, *argv], cwd=REPO, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise RuntimeError(f"{' '.join(argv)} took longer than {timeout:.0f} s") from None
    err = proc.stderr.decode(errors="replace")[-2000:]
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed: {err}")
    try:
        return json.loads(proc.stdout.decode().strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise RuntimeError(f"{' '.join(argv)} printed no JSON: {err}") from None


def peak_mib() -> float:
    """Peak resident memory of this process so far, in MiB: VmHWM of its own address space
    (``ru_maxrss`` would include the parent's peak, see :data:`_PEAK`); NaN without /proc."""
    return _status_kib("VmHWM") / 1024.0


def _status_kib(field: str) -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return float(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return math.nan


def current_mib() -> float:
    """Resident memory of this process now, in MiB (0 where /proc is absent)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024.0 / 1024.0
