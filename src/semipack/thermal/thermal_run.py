"""One steady thermal analysis as a result: a single environment, the four JEDEC set-ups, or a
mesh study, everything the ``thermal`` command reports (`to_dict` for JSON).

References
----------
JESD51-2A, Integrated circuits thermal test method environmental conditions - natural
convection (still air); JESD51-12.01, Guidelines for reporting and using electronic package
thermal information (the metrics in :mod:`semipack.thermal.metrics`).
Roache, P. J., "Perspective: a method for uniform reporting of grid refinement studies",
J. Fluids Eng. 116(3), 1994 (the grid convergence index in :mod:`semipack.thermal.convergence`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from semipack.errors import DesignError
from semipack.model import Package
from semipack.progress import NO_PROGRESS, Progress
from semipack.thermal.convergence import GridConvergence, mesh_study
from semipack.thermal.environment import Environment
from semipack.thermal.grid import DEFAULT_MAX_CELLS, DEFAULT_MAX_MEMORY, check_resolution
from semipack.thermal.lanes import check_workers
from semipack.thermal.metrics import KEYS, bench_of, jedec_metrics, metrics_of
from semipack.thermal.steady import Solver, ThermalResult, solve_thermal

MIN_CELLS, MAX_CELLS = 1000, 2_000_000_000  # the cell limit a caller may set


class ThermalMode(Enum):
    """What one thermal run solves."""

    ONE = "one"  # the given environment
    JEDEC = "jedec"  # the four JEDEC set-ups on the given environment's bench
    CONVERGENCE = "convergence"  # the given environment on the grid split 4, 2 and 1 times


@dataclass(frozen=True)
class ThermalRun:
    """The metrics of one run (:data:`~semipack.thermal.metrics.KEYS`), its bench (one per set-up
    for JEDEC), the solved field (None for JEDEC: four fields) and, for a mesh study, its convergence."""

    mode: ThermalMode
    metrics: Mapping[str, Any]
    bench: Any
    result: ThermalResult | None = None
    convergence: GridConvergence | None = None

    def extra(self) -> dict[str, Any]:
        """The fields beyond the metric keys: the mesh study's (if any), then the bench."""
        out: dict[str, Any] = {}
        gc = self.convergence
        if gc is not None:
            out = {
                "convergence_cells": list(gc.cells),
                "convergence_theta_c_per_w": list(gc.values),
                "observed_order": gc.order,
                "oscillatory": gc.oscillatory,
                "richardson_theta_c_per_w": gc.extrapolated,
                "gci_fine_rel": gc.gci_fine,
            }
        out["bench"] = self.bench
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values: the metric keys in order (None where the set-up has none), then :meth:`extra`."""
        return {**{k: self.metrics[k] for k in KEYS}, **self.extra()}


def thermal_run(
    pkg: Package,
    env: Environment | None = None,
    *,
    mode: ThermalMode = ThermalMode.ONE,
    resolution: float = 1.0,
    power_w: float | None = None,
    solver: Solver = Solver.COLUMN_AMG,
    max_cells: int = DEFAULT_MAX_CELLS,
    max_memory: float = DEFAULT_MAX_MEMORY,
    progress: Progress = NO_PROGRESS,
    workers: int | None = None,
) -> ThermalRun:
    """Solve ``pkg`` in ``env`` (default: still air on a 2s2p board) as ``mode`` asks.

    For :attr:`ThermalMode.JEDEC` the environment's bench (board options, land, radiation,
    ambient) applies to each of the four set-ups and its kind is not used. ``power_w``
    (positive) rescales the design's heat sources; ``max_cells`` (1000 to 2e9) and
    ``max_memory`` (bytes) refuse a grid before it is allocated. ``workers`` (at least 1;
    default one per core, at most 3) is how many JEDEC set-ups run at once (`jedec_metrics`).
    """
    check_resolution(resolution)
    if not MIN_CELLS <= max_cells <= MAX_CELLS:
        raise DesignError("max_cells", max_cells, "a cell count from 1000 to 2e9")
    if power_w is not None and not power_w > 0:
        raise DesignError("power_w", power_w, "must be positive")
    check_workers(workers)
    if solver is Solver.COLUMN_AMG_GPU:  # say so before the grid is built
        from semipack.thermal.solvers.column_amg_device import cupy_or_error

        cupy_or_error()
    e = env or Environment()
    kw: dict[str, Any] = {
        "resolution": resolution,
        "power_w": power_w,
        "solver": solver,
        "max_cells": max_cells,
        "max_memory": max_memory,
    }
    if mode is ThermalMode.JEDEC:
        out = jedec_metrics(pkg, template=e, progress=progress, workers=workers, **kw)
        return ThermalRun(mode, out, out["bench"])
    if mode is ThermalMode.CONVERGENCE:
        gc, results = mesh_study(pkg, e, progress=progress, **kw)
        return ThermalRun(mode, metrics_of(results[0]), bench_of(pkg, results[0]), results[0], gc)
    result = solve_thermal(pkg, e, progress=progress, **kw)
    return ThermalRun(mode, metrics_of(result), bench_of(pkg, result), result)
