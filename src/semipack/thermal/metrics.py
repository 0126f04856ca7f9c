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
from semipack.thermal.grid import DEFAULT_MAX_CELLS, DEFAULT_MAX_MEMORY, smeared_contacts
from semipack.thermal.setup import ThermalCache
from semipack.thermal.steady import Solver, ThermalResult, solve_thermal

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
) -> dict[str, Any]:
    """Run the four JEDEC environments and merge their metrics (Tj and cells from the theta_JA run).

    ``still_air`` reuses a JESD51-2A run on the 2s2p board that the caller already has
    (the costliest of the four: its film coefficients are iterated). ``progress`` hears
    ``stage("environment", k, 4)`` before each set-up, then that run's own stages.
    ``cache`` (default: a new `ThermalCache` for this call) keeps the grid, fields and
    multigrid hierarchy of one fixture across the set-ups that share it: still air and
    the ring cold plate (the 2s2p board), the top and bottom cold plates (no board).
    Pass ``ThermalCache(max_setups=0)`` to build every set-up from nothing.
    """
    t0 = time.perf_counter()
    # The bench (board, traces, land, radiation, ambient) of ``template`` in each JEDEC set-up.
    base = template or Environment()
    kept = cache if cache is not None else ThermalCache()
    if still_air is not None and (
        still_air.environment.kind is not EnvKind.STILL_AIR or still_air.environment.board is not BoardKind.TWO_S2P
    ):
        raise ValueError("still_air must be a still-air run on the 2s2p board")
    runs: dict[int, ThermalResult] = {}
    for n_env, i in enumerate(RUN_ORDER, start=1):
        kind, board = SETUPS[i]
        progress.stage("environment", n_env, len(SETUPS))
        if still_air is not None and kind is EnvKind.STILL_AIR:
            runs[i] = still_air
            continue
        env = replace(base, kind=kind, board=board)
        runs[i] = solve_thermal(
            pkg,
            env,
            resolution=resolution,
            power_w=power_w,
            solver=solver,
            max_cells=max_cells,
            max_memory=max_memory,
            progress=progress,
            cache=kept,
        )
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
