"""Timing and memory primitives shared by every operation.

Times are wall-clock ``time.perf_counter_ns`` around one call, after warm-up calls that
are not counted. Percentiles use the nearest-rank method, so p95 of 20 samples is the
19th fastest: no interpolation invents a time that was never measured.

Peak memory is the peak resident set size (RSS) of the process that did the work: the
kernel's high-water mark ``VmHWM`` from ``/proc/<pid>/status``, reset before the
operation by writing ``5`` to ``/proc/<pid>/clear_refs``. Where that reset is not
permitted, a thread samples ``VmRSS`` every 5 ms instead; the result says which method
produced the number.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Stats:
    """What one system did in one operation: times per repetition, and what they carried."""

    samples_ns: list[int] = field(default_factory=list)
    units_per_sample: int = 1  # rows (or requests) one timed call handled, for throughput
    unit: str = "op"
    peak_rss_bytes: int | None = None
    memory_method: str = ""
    note: str = ""

    @property
    def count(self) -> int:
        return len(self.samples_ns)

    def percentile_ms(self, q: float) -> float | None:
        return percentile(self.samples_ns, q) / 1e6 if self.samples_ns else None

    @property
    def p50_ms(self) -> float | None:
        return self.percentile_ms(50)

    @property
    def p95_ms(self) -> float | None:
        return self.percentile_ms(95)

    @property
    def throughput(self) -> float | None:
        """Units per second at the median time."""
        p50 = self.p50_ms
        if not p50:
            return None
        return self.units_per_sample / (p50 / 1000)


def percentile(samples: Iterable[int], q: float) -> int:
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples")
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def timed(call: Callable[[], object]) -> int:
    start = time.perf_counter_ns()
    call()
    return time.perf_counter_ns() - start


def alternate(
    calls: dict[str, Callable[[int], object]], *, repetitions: int, warmup: int
) -> dict[str, list[int]]:
    """Time each call ``repetitions`` times, taking turns, after ``warmup`` untimed rounds.

    Each call gets the repetition index, so it can pick the i-th sample subject; taking
    turns means a slow minute of the machine hurts every system alike.
    """
    for index in range(warmup):
        for call in calls.values():
            call(-1 - index)
    samples: dict[str, list[int]] = {name: [] for name in calls}
    for index in range(repetitions):
        for name, call in calls.items():
            samples[name].append(timed(lambda call=call, index=index: call(index)))
    return samples


def _status_kib(pid: int, key: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    return None


def _reset_high_water_mark(pid: int) -> bool:
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


@dataclass
class PeakMemory:
    """The peak RSS seen across some processes while the ``with`` block ran."""

    peak_bytes: int | None = None
    method: str = ""


@contextmanager
def peak_rss(pids: Iterable[int]) -> Iterator[PeakMemory]:
    """Measure the largest peak RSS among ``pids`` during the block."""
    pids = list(pids)
    result = PeakMemory()
    if pids and all(_reset_high_water_mark(pid) for pid in pids):
        yield result
        peaks = [_status_kib(pid, "VmHWM") for pid in pids]
        known = [peak for peak in peaks if peak is not None]
        result.peak_bytes = max(known) * 1024 if known else None
        result.method = "VmHWM after reset"
        return
    stop = threading.Event()
    highest = [0]

    def sample() -> None:
        while not stop.is_set():
            for pid in pids:
                highest[0] = max(highest[0], _status_kib(pid, "VmRSS") or 0)
            stop.wait(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield result
    finally:
        stop.set()
        sampler.join()
        result.peak_bytes = highest[0] * 1024 or None
        result.method = "VmRSS sampled every 5 ms"


def current_rss_bytes(pid: int) -> int | None:
    kib = _status_kib(pid, "VmRSS")
    return kib * 1024 if kib is not None else None
