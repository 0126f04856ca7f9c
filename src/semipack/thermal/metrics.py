"""JEDEC metrics from the standard environments.

- theta_JA = (Tj - Ta) / P in still air on a 2s2p board (JESD51-2A, JESD51-7/-9);
- Psi_JT and Psi_JB from the same run, at the package top centre and on the board at
  the midpoint of the longest side, 1 mm from the body (exact TB point unverified);
- theta_JC(top) and theta_JC(bottom) against an isothermal cold plate, everything else adiabatic;
- theta_JB with the JESD51-8 ring cold plate on a 2s2p board (TB as above).
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from semipack.model import Package
from semipack.progress import NO_PROGRESS, Progress
from semipack.thermal.environment import BoardKind, Environment, EnvKind, bench
from semipack.thermal.grid import DEFAULT_MAX_CELLS, DEFAULT_MAX_MEMORY
from semipack.thermal.lanes import (
    SharedProgress,
    check_workers,
    default_workers,
    lane_count,
    lanes,
    run_lanes,
)
from semipack.thermal.setup import ThermalCache
from semipack.thermal.smeared import smeared_contacts
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
    ``stage("environment", k, 4)`` when the set-ups before k are done (with one lane: as set-up
    k starts), and the runs' own stages (with lanes at once, interleaved).
    ``cache`` (default: a new `ThermalCache` for this call) keeps the grid, fields and
    multigrid hierarchy of one fixture across the set-ups that share it: still air and
    the ring cold plate (the 2s2p board), the top and bottom cold plates (no board).
    Pass ``ThermalCache(max_setups=0)`` to build every set-up from nothing.
    ``workers`` (default `default_workers`: one per core, at most three) runs the set-ups
    in that many `lanes` at once, in threads (`semipack.thermal.lanes`), sharing the set-ups
    of ``cache`` (each built once, before the lanes start) and each lane with solver state of
    its own; fewer where the largest fixture's estimated peak memory, once per lane, would
    pass ``max_memory``; one for the GPU and baseline solvers and for a cache that keeps
    nothing. The metrics do not depend on it beyond the solver tolerance.
    """
    t0 = time.perf_counter()
    # The bench (board, traces, land, radiation, ambient) of ``template`` in each JEDEC set-up.
    base = template or Environment()
    if still_air is not None and (
        still_air.environment.kind is not EnvKind.STILL_AIR or still_air.environment.board is not BoardKind.TWO_S2P
    ):
        raise ValueError("still_air must be a still-air run on the 2s2p board")
    check_workers(workers)
    shared = SharedProgress(progress, len(SETUPS))
    shared.begin()
    runs: dict[int, ThermalResult] = {}
    if still_air is not None:
        runs[0] = still_air
        shared.finished()
    todo = tuple(i for i in RUN_ORDER if i not in runs)
    kept = cache if cache is not None else ThermalCache()
    # Each fixture as its first set-up mounts it (the kind decides nothing of the set-up but says what it is).
    fixtures = {SETUPS[i][1]: replace(base, kind=SETUPS[i][0], board=SETUPS[i][1]) for i in reversed(todo)}
    n = lane_count(pkg, fixtures.values(), len(todo), _workers(workers, solver, kept), resolution, max_memory)
    lane_kept = kept.holding(2) if n > 1 and kept.max_setups < 2 else kept  # lanes hold both fixtures anyway

    def run_lane(lane: tuple[int, ...], lane_cache: ThermalCache) -> None:
        for i in lane:
            kind, board = SETUPS[i]
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
            shared.finished()

    if n > 1:  # the set-ups first, one after the other (see semipack.thermal.lanes)
        for env in fixtures.values():
            kw: dict[str, Any] = {"max_cells": max_cells, "max_memory": max_memory, "progress": shared}
            prepare(pkg, env, lane_kept, resolution=resolution, power_w=power_w, **kw)
    try:
        run_lanes(lanes(todo, n), lane_kept, run_lane, shared)
    finally:
        if lane_kept is not kept:  # the caller's counters tell what was built and reused
            kept.setups_built += lane_kept.setups_built
            kept.setups_reused += lane_kept.setups_reused
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


def _workers(workers: int | None, solver: Solver, cache: ThermalCache) -> int:
    """Lanes asked for: ``workers`` or one per core; one for the GPU solvers (one device), the
    direct and pyamg baselines (their memory is not `estimated_bytes`'), and a cache that keeps
    nothing (its caller asked for every set-up built from nothing, one after the other)."""
    if solver not in (Solver.COLUMN_AMG, Solver.ZLINE_MG) or cache.max_setups == 0:
        return 1
    return workers or default_workers()
