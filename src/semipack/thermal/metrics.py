"""JEDEC metrics from the standard environments.

- theta_JA = (Tj - Ta) / P in still air on a 2s2p board (JESD51-2A, JESD51-7/-9);
- Psi_JT and Psi_JB from the same run, at the package top centre and on the board at
  the midpoint of the longest side, 1 mm from the body (exact TB point unverified);
- theta_JC(top) and theta_JC(bottom) against an isothermal cold plate, everything else adiabatic;
- theta_JB with the JESD51-8 ring cold plate on a 2s2p board (TB as above).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from semipack.errors import DesignError
from semipack.model import Package
from semipack.progress import NO_PROGRESS, Progress
from semipack.thermal.environment import BoardKind, Environment, EnvKind, bench
from semipack.thermal.grid import (
    DEFAULT_MAX_CELLS,
    DEFAULT_MAX_MEMORY,
    check_resolution,
    estimated_bytes,
    smeared_contacts,
)
from semipack.thermal.setup import LaneCache, ThermalCache, mount, prescribed_board
from semipack.thermal.solvers.blas_threads import SOLVER_BLAS_THREADS
from semipack.thermal.steady import Solver, ThermalResult, prepare, solve_thermal

KEYS = (
    "tj_max_c",
    "theta_ja_c_per_w",
    "theta_jc_top_c_per_w",
    "theta_jc_bottom_c_per_w",
    "theta_jb_c_per_w",
    "psi_jt_c_per_w",
    "psi_jb_c_per_w",
    "energy_balance_rel",
    "cells",
    "solve_s",
)


def metrics_of(result: ThermalResult) -> dict[str, Any]:
    """The metric keys one environment's result provides (others are None)."""
    env = result.environment
    p = result.power_w
    tj = result.tj_max_k
    out: dict[str, Any] = dict.fromkeys(KEYS)
    out.update(
        tj_max_c=tj - 273.15, energy_balance_rel=result.energy_balance_rel, cells=result.cells, solve_s=result.solve_s
    )
    if env.kind in (EnvKind.STILL_AIR, EnvKind.FORCED_AIR, EnvKind.CUSTOM):
        # In moving air this is theta_JMA (JESD51-6); the key keeps one name for studies.
        out["theta_ja_c_per_w"] = (tj - env.ambient_k) / p
        out["psi_jt_c_per_w"] = (tj - result.package_top_k) / p
        if result.board_point_k is not None:
            out["psi_jb_c_per_w"] = (tj - result.board_point_k) / p
    elif env.kind is EnvKind.COLD_PLATE_TOP:
        out["theta_jc_top_c_per_w"] = (tj - env.ambient_k) / p
    elif env.kind is EnvKind.COLD_PLATE_BOTTOM:
        out["theta_jc_bottom_c_per_w"] = (tj - env.ambient_k) / p
    elif env.kind is EnvKind.RING_COLD_PLATE and result.board_point_k is not None:
        out["theta_jb_c_per_w"] = (tj - result.board_point_k) / p
    return out


def bench_of(pkg: Package, result: ThermalResult) -> dict[str, Any]:
    """The set-up of one run as a reader needs it to reproduce the number (board, air, films, grid)."""
    out = bench(pkg, result.environment)
    smeared = smeared_contacts(pkg, result.resolution)
    out.update(
        film_w_m2k={k: round(v, 4) for k, v in result.film_w_m2k.items()},
        resolution=result.resolution,
        cells=result.cells,
        smeared_balls_and_lands=None
        if smeared is None
        else {
            "count": smeared.count,
            "narrowest_mm": round(smeared.narrowest_m * 1e3, 4),
            "resolved_from_resolution": smeared.resolved_from,
        },
    )
    return out


# The JEDEC set-ups in the order their metrics merge (theta_JA's run first: Tj and cells come from it).
SETUPS = (
    (EnvKind.STILL_AIR, BoardKind.TWO_S2P),
    (EnvKind.COLD_PLATE_TOP, BoardKind.NONE),
    (EnvKind.COLD_PLATE_BOTTOM, BoardKind.NONE),
    (EnvKind.RING_COLD_PLATE, BoardKind.TWO_S2P),
)
# The order they run in: set-ups on one fixture (the 2s2p board; no board) run one after the
# other, so a cache that keeps one set-up serves both of each pair.
RUN_ORDER = (0, 3, 1, 2)
# At most this many lanes run at once: still air (the film iterations make it the longest),
# the ring cold plate, and the two plates on the boardless fixture.
MAX_LANES = 3


def default_workers() -> int:
    """Set-ups run at once by default: one per core, at most `MAX_LANES`."""
    return max(1, min(MAX_LANES, os.cpu_count() or 1))


def lanes(todo: tuple[int, ...], n: int) -> tuple[tuple[int, ...], ...]:
    """``todo`` (set-ups in `RUN_ORDER`) split into at most ``n`` lanes that run at once.

    One lane runs them all in order (each fixture's second set-up keeps the first's grid,
    fields and hierarchy). More lanes give the first set-ups one each, the longest first,
    and the last lane the rest: with still air the longest by far, two lanes balance it
    against the other three.
    """
    n = max(1, min(n, MAX_LANES, len(todo)))
    return (*((i,) for i in todo[: n - 1]), todo[n - 1 :])


def lane_count(
    pkg: Package, base: Environment, todo: tuple[int, ...], workers: int, resolution: float, max_memory: float
) -> int:
    """The most lanes (up to ``workers``) whose set-ups' estimated peak memory together stays within ``max_memory``."""
    if workers <= 1 or len(todo) <= 1:
        return 1
    check_resolution(resolution)
    boards = {SETUPS[i][1] for i in todo}
    cells = max(mount(pkg, prescribed_board(replace(base, board=b)), resolution).cells for b in boards)
    n = min(workers, MAX_LANES, len(todo))
    while n > 1 and n * estimated_bytes(cells) > max_memory:
        n -= 1
    return n


class _SharedProgress:
    """One `Progress` for lanes that run at once: one event at a time, environments numbered as they start."""

    def __init__(self, inner: Progress, total: int) -> None:
        self._inner, self._total, self._started = inner, total, 0
        self._lock = threading.Lock()

    def environment(self) -> None:
        with self._lock:
            self._started += 1
            self._inner.stage("environment", self._started, self._total)

    def stage(self, name: str, k: int = 0, n: int = 0) -> None:
        with self._lock:
            self._inner.stage(name, k, n)

    def iteration(self, it: int, residual: float) -> None:
        with self._lock:
            self._inner.iteration(it, residual)


def jedec_metrics(
    pkg: Package,
    *,
    resolution: float = 1.0,
    power_w: float | None = None,
    solver: Solver = Solver.COLUMN_AMG,
    still_air: ThermalResult | None = None,
    template: Environment | None = None,
    max_cells: int = DEFAULT_MAX_CELLS,
    max_memory: float = DEFAULT_MAX_MEMORY,
    progress: Progress = NO_PROGRESS,
    cache: ThermalCache | None = None,
    workers: int | None = None,
) -> dict[str, Any]:
    """Run the four JEDEC environments and merge their metrics (Tj and cells from the theta_JA run).

    ``still_air`` reuses a JESD51-2A run on the 2s2p board that the caller already has
    (the costliest of the four: its film coefficients are iterated). ``progress`` hears
    ``stage("environment", k, 4)`` as each set-up starts, then that run's own stages.
    ``cache`` (default: a new `ThermalCache` for this call) keeps the grid, fields and
    multigrid hierarchy of one fixture across the set-ups that share it: still air and
    the ring cold plate (the 2s2p board), the top and bottom cold plates (no board).
    Pass ``ThermalCache(max_setups=0)`` to build every set-up from nothing.
    ``workers`` (default `default_workers`: one per core, at most three) runs the set-ups
    in that many `lanes` at once, in threads, sharing the set-ups of ``cache`` (each built
    once, one at a time) and each lane with solver state of its own; fewer where the grids'
    estimated peak memory, once per lane, would pass ``max_memory``. The metrics do not
    depend on it beyond the solver tolerance.
    """
    t0 = time.perf_counter()
    # The bench (board, traces, land, radiation, ambient) of ``template`` in each JEDEC set-up.
    base = template or Environment()
    if still_air is not None and (
        still_air.environment.kind is not EnvKind.STILL_AIR or still_air.environment.board is not BoardKind.TWO_S2P
    ):
        raise ValueError("still_air must be a still-air run on the 2s2p board")
    if workers is not None and not workers >= 1:
        raise DesignError("workers", workers, "an integer >= 1")
    shared = _SharedProgress(progress, len(SETUPS))
    runs: dict[int, ThermalResult] = {}
    if still_air is not None:
        shared.environment()
        runs[0] = still_air
    todo = tuple(i for i in RUN_ORDER if i not in runs)
    # The GPU solver keeps its hierarchies on one device: its set-ups run one after the other.
    asked = 1 if solver in (Solver.COLUMN_AMG_GPU, Solver.ZLINE_MG_GPU) else workers or default_workers()
    n = lane_count(pkg, base, todo, asked, resolution, max_memory)
    kept = cache if cache is not None else ThermalCache()
    if n > 1 and kept.max_setups < 2:
        kept = kept.holding(2)  # lanes at once hold both fixtures' set-ups anyway

    def run_lane(lane: tuple[int, ...], lane_cache: ThermalCache) -> None:
        for i in lane:
            kind, board = SETUPS[i]
            shared.environment()
            runs[i] = solve_thermal(
                pkg,
                replace(base, kind=kind, board=board),
                resolution=resolution,
                power_w=power_w,
                solver=solver,
                max_cells=max_cells,
                max_memory=max_memory,
                progress=shared,
                cache=lane_cache,
            )

    if n > 1:
        # The set-ups first, one after the other: rasterising holds the interpreter, and beside a
        # solve in another lane it ran twice as slow and slowed the solve (lidded FCBGA: 8.7 s in
        # one lane, 9.5 s with the no-board raster beside the still-air solves); solves release it.
        for b in dict.fromkeys(SETUPS[i][1] for i in todo):
            env = replace(base, board=b)
            prepare(
                pkg,
                env,
                kept,
                resolution=resolution,
                power_w=power_w,
                max_cells=max_cells,
                max_memory=max_memory,
                progress=progress,
            )
    _run_lanes(lanes(todo, n), kept, run_lane)
    ordered = [runs[i] for i in range(len(SETUPS))]
    merged = metrics_of(ordered[0])
    for r in ordered[1:]:
        for k, v in metrics_of(r).items():
            if merged.get(k) is None and v is not None:
                merged[k] = v
    merged["energy_balance_rel"] = max(r.energy_balance_rel for r in ordered)
    merged["bench"] = [bench_of(pkg, r) for r in ordered]
    merged["solve_s"] = time.perf_counter() - t0
    return merged


def _run_lanes(
    plan: tuple[tuple[int, ...], ...], kept: ThermalCache, run_lane: Callable[[tuple[int, ...], ThermalCache], None]
) -> None:
    """Run one lane here with ``kept``, or several at once in threads, each with a `LaneCache` of ``kept``.

    The lanes share the set-ups (built one at a time: a lane that needs the fixture
    another is rasterising waits for it rather than rasterising it again) and keep their
    solver state apart. The solvers' vector operations take one BLAS thread each
    (`blas_threads`); the lanes hold that limit for their whole run, since a solver
    returning in one lane would otherwise restore the pool the other lane's solver is
    still using.
    """
    if len(plan) == 1:
        run_lane(plan[0], kept)
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=SOLVER_BLAS_THREADS, user_api="blas"), ThreadPoolExecutor(len(plan)) as pool:
        futures = [pool.submit(run_lane, lane, LaneCache(shared=kept)) for lane in plan]
        for f in futures:
            f.result()
