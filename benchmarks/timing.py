"""Wall time of a call made in this process (best or median of N), for the in-process benchmarks."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def wall_times(work: Callable[[], object], repeat: int) -> list[float]:
    """The wall time (s) of each of ``repeat`` calls of ``work``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times


def best_time(work: Callable[[], object], repeat: int) -> float:
    """The shortest wall time (s) of ``repeat`` calls of ``work``."""
    return min(wall_times(work, repeat))


def median_time(work: Callable[[], object], repeat: int) -> float:
    """The median wall time (s) of ``repeat`` calls of ``work``."""
    return statistics.median(wall_times(work, repeat))
