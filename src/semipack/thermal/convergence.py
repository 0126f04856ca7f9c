"""Mesh convergence: observed order, Richardson extrapolation and the grid convergence index.

A thermal answer is only as good as its grid. `grid_convergence` takes one quantity
computed on three grids and returns the observed order of accuracy, the extrapolated
(grid-independent) value and the fine grid's discretisation uncertainty, following the
procedure the ASME Journal of Fluids Engineering asks authors to report. `mesh_study`
produces the three grids by splitting every cell of one generated grid 1, 2 and 4 times
(`semipack.thermal.grid.refine`), so the refinement ratio is exact everywhere.

References
----------
Celik, Ghia, Roache, Freitas, Coleman, Raad, "Procedure for estimation and reporting of
uncertainty due to discretization in CFD applications", J. Fluids Eng. 130 (2008) 078001,
eqs. (1)-(10) (apparent order with unequal ratios, extrapolated value, GCI with safety
factor 1.25).
Roache, Verification and Validation in Computational Science and Engineering, Hermosa
1998, chapter 5 (systematic refinement, Richardson extrapolation).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from semipack.errors import SemipackError
from semipack.model import Package
from semipack.thermal.environment import Environment
from semipack.thermal.steady import ThermalResult, solve_thermal

SAFETY_FACTOR = 1.25  # three grids (Celik et al. 2008, eq. 10)


@dataclass(frozen=True)
class GridConvergence:
    """One quantity on three grids (index 0 the finest) and what follows from them."""

    values: tuple[float, float, float]
    cells: tuple[int, int, int]
    ratios: tuple[float, float]  # h_coarse / h_fine for grids 2/1 and 3/2
    order: float  # observed (apparent) order p
    oscillatory: bool  # the differences change sign: no monotone convergence
    extrapolated: float  # Richardson: the grid-independent estimate
    gci_fine: float  # relative uncertainty of the finest value (1.25 e_a / (r^p - 1))

    @property
    def relative_error_fine(self) -> float:
        """|(phi_ext - phi_1) / phi_ext|, the fine grid's estimated error."""
        return abs((self.extrapolated - self.values[0]) / self.extrapolated)


def grid_convergence(values: Sequence[float], cells: Sequence[int], *, max_iterations: int = 100) -> GridConvergence:
    """Observed order and Richardson extrapolation from three grids (finest first).

    Representative cell sizes are h = N^(-1/3) for N cells (the same domain), so the
    ratios may differ (Celik et al. 2008, eqs. 1-4); the apparent order solves
    p = |ln|e32/e21| + q(p)| / ln r21 with q(p) = ln((r21^p - s) / (r32^p - s)).
    """
    if len(values) != 3 or len(cells) != 3:
        raise SemipackError("grid convergence needs exactly three grids")
    f1, f2, f3 = (float(v) for v in values)
    n1, n2, n3 = (int(c) for c in cells)
    if not n1 > n2 > n3 > 0:
        raise SemipackError(f"grid convergence needs grids from fine to coarse: got cells {n1}, {n2}, {n3}")
    r21, r32 = (n1 / n2) ** (1 / 3), (n2 / n3) ** (1 / 3)
    e21, e32 = f2 - f1, f3 - f2
    if e21 == 0 or e32 == 0:
        # Identical values: converged to rounding; no order can be observed.
        return GridConvergence((f1, f2, f3), (n1, n2, n3), (r21, r32), math.inf, False, f1, 0.0)
    s = math.copysign(1.0, e32 / e21)
    p = abs(math.log(abs(e32 / e21))) / math.log(r21)
    for _ in range(max_iterations):
        q = math.log((r21**p - s) / (r32**p - s)) if (r21**p - s) > 0 and (r32**p - s) > 0 else 0.0
        p_new = abs(math.log(abs(e32 / e21)) + q) / math.log(r21)
        if abs(p_new - p) < 1e-10:
            p = p_new
            break
        p = p_new
    rp = r21**p
    ext = (rp * f1 - f2) / (rp - 1) if rp != 1 else f1
    gci = SAFETY_FACTOR * abs((f1 - f2) / f1) / (rp - 1) if rp != 1 else math.inf
    return GridConvergence((f1, f2, f3), (n1, n2, n3), (r21, r32), p, s < 0, ext, gci)


def mesh_study(
    pkg: Package,
    env: Environment | None = None,
    *,
    resolution: float = 0.5,
    quantity: Callable[[ThermalResult], float] | None = None,
    **kw: Any,
) -> tuple[GridConvergence, tuple[ThermalResult, ...]]:
    """Solve on the grid for ``resolution`` with every cell split 4, 2 and 1 times; extrapolate.

    ``quantity`` picks the number to study from a result (default: the junction's rise
    over ambient per watt, theta = (Tj_max - Ta) / P in K/W).
    """

    def theta(r: ThermalResult) -> float:
        return (r.tj_max_k - r.environment.ambient_k) / r.power_w

    pick = quantity or theta
    results = tuple(solve_thermal(pkg, env, resolution=resolution, refine_by=m, **kw) for m in (4, 2, 1))
    values = [pick(r) for r in results]
    return grid_convergence(values, [r.cells for r in results]), results
