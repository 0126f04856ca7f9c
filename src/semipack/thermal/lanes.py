"""Lanes: independent steady runs (the JEDEC set-ups) at once, in threads, within a memory budget.

A lane is a sequence of runs that go one after the other; lanes run at once. The runs
share their set-ups (grid, raster, exterior: read-only once built) through one
`ThermalCache`, built before the lanes start, one after the other: rasterising holds the
interpreter, and beside a solve in another lane it ran twice as slow and slowed the solve
(the lidded FCBGA's JEDEC set: 8.7 s in one lane, 9.5 s with its no-board raster beside the
still-air solves). Each lane keeps its own solver state (`setup.LaneCache`). Threads, not
processes: no pickling of grids and fields, and one progress display hears every lane;
scipy's sparse products, LAPACK's line solves and numpy's vector operations release the
interpreter lock. Two solves at once share the memory bandwidth, so each runs about 1.6x
slower than alone (measured on the 2-core machine, docs/benchmarks.md).

A lane that fails stops the others at their next solver iteration or stage
(`SharedProgress` raises `Cancelled` in them), and so does an interrupt in the caller.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait

from semipack.errors import DesignError
from semipack.model import Package
from semipack.progress import Progress
from semipack.thermal.environment import Environment
from semipack.thermal.grid import check_resolution, estimated_bytes
from semipack.thermal.setup import LaneCache, ThermalCache, mount, prescribed_board
from semipack.thermal.solvers.blas_threads import one_blas_thread

# At most this many lanes: still air (the film iterations make it the longest), the ring cold
# plate, and the two plates on the boardless fixture.
MAX_LANES = 3


def default_workers() -> int:
    """Runs at once by default: one per core this process may use, at most `MAX_LANES`."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(MAX_LANES, cores))


def check_workers(workers: int | None) -> None:
    """Refuse a ``workers`` that is not a whole number >= 1 (None: the default)."""
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise DesignError("workers", workers, "a whole number >= 1")


def lanes(todo: tuple[int, ...], n: int) -> tuple[tuple[int, ...], ...]:
    """``todo`` (runs in their order) split into at most ``n`` lanes that run at once.

    One lane runs them all in order. More lanes give the first runs one each, the longest
    first, and the last lane the rest: with still air the longest by far, two lanes
    balance it against the other three JEDEC set-ups.
    """
    n = max(1, min(n, MAX_LANES, len(todo)))
    return (*((i,) for i in todo[: n - 1]), todo[n - 1 :])


def lane_count(
    pkg: Package, fixtures: Iterable[Environment], runs: int, workers: int, resolution: float, max_memory: float
) -> int:
    """The most lanes (up to ``workers`` and ``runs``) whose largest fixture's estimated peak memory, once per lane, fits ``max_memory``."""
    if workers <= 1 or runs <= 1:
        return 1
    check_resolution(resolution)
    cells = max(mount(pkg, prescribed_board(env), resolution).cells for env in fixtures)
    n = min(workers, MAX_LANES, runs)
    while n > 1 and n * estimated_bytes(cells) > max_memory:
        n -= 1
    return n


class Cancelled(Exception):
    """Raised in a lane whose run another lane's failure (or an interrupt) has stopped."""


class SharedProgress:
    """One `Progress` for lanes that run at once: one event at a time, and the lanes' stop signal.

    ``stage("environment", k, n)`` counts the runs finished, not started: environment 1 at
    `begin`, k + 1 once k have finished, so that with lanes at once the display's ETA
    (elapsed time per finished run) stays sound; with one lane it is the run starting.
    """

    def __init__(self, inner: Progress, total: int) -> None:
        self._inner, self._total, self._done = inner, total, 0
        self._lock = threading.Lock()
        self.cancelled = threading.Event()

    def begin(self) -> None:
        with self._lock:
            self._inner.stage("environment", 1, self._total)

    def finished(self) -> None:
        with self._lock:
            self._done += 1
            if self._done < self._total:
                self._inner.stage("environment", self._done + 1, self._total)

    def stage(self, name: str, k: int = 0, n: int = 0) -> None:
        self._check()
        with self._lock:
            self._inner.stage(name, k, n)

    def iteration(self, it: int, residual: float) -> None:
        self._check()
        with self._lock:
            self._inner.iteration(it, residual)

    def _check(self) -> None:
        if self.cancelled.is_set():
            raise Cancelled("stopped: another lane failed or the run was interrupted")


def run_lanes(
    plan: tuple[tuple[int, ...], ...],
    kept: ThermalCache,
    run_lane: Callable[[tuple[int, ...], ThermalCache], None],
    progress: SharedProgress,
) -> None:
    """Run one lane here with ``kept``, or several at once in threads, each with a `LaneCache` of ``kept``.

    The lanes hold one BLAS thread for their whole run (`one_blas_thread`). The first
    failure, or an interrupt here, stops the other lanes at their next progress event and
    is raised once they have stopped.
    """
    if len(plan) == 1:
        run_lane(plan[0], kept)
        return
    with one_blas_thread(), ThreadPoolExecutor(len(plan)) as pool:
        futures = [pool.submit(run_lane, lane, LaneCache(shared=kept)) for lane in plan]
        try:
            done, _ = wait(futures, return_when=FIRST_EXCEPTION)
            failed = [f for f in done if f.exception() is not None]
            if failed:
                progress.cancelled.set()
                failed[0].result()
        except BaseException:
            progress.cancelled.set()
            raise
