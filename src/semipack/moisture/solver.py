"""Implicit finite-volume Fickian diffusion in moisture activity on a rectilinear grid.

The unknown is the moisture activity ``a`` (the local equivalent relative humidity,
0-1): a cell of material m holds ``C = K_m a`` (``K_m`` its saturated concentration at
100 %RH), so ``a`` is continuous across material interfaces where ``C`` jumps (the
wetness approach: ``a = RH * w`` with ``w = C / C_sat(RH)``). Fick's law ``J = -D grad C``
inside a material becomes ``J = -P grad a`` with the permeance ``P = D K``; between two
cells the face conductance is the series sum of the two half cells,
``A / (h_i / 2 P_i + h_j / 2 P_j)`` (exact for layers aligned with the grid). Faces to the
ambient (the grid's outer faces, void or gas cells) hold ``a`` at the ambient RH with no
surface resistance; impermeable cells (metals, silicon, solder, glass) are decoupled.
Each step is solved by conjugate gradients preconditioned with the thermal solver's
z-line multigrid (`semipack.thermal.solvers.zline_mg`): the operator is the same 7-point
stencil as conduction.
Time stepping is implicit: a backward-Euler first step, ``(M / dt + G) a1 = M / dt a0 +
g_amb RH`` with ``M = diag(K V)``, then variable-step BDF2 (second order; zero-stable
for step ratios below 1 + sqrt 2, and backward Euler is used after any larger jump):
both conserve mass to the linear solver's tolerance, so the steps can grow geometrically
through a long soak.

References
----------
Crank, The Mathematics of Diffusion, 2nd ed., Oxford 1975, ch. 4 (plane sheet) and 8.
Saad, Iterative Methods for Sparse Linear Systems, 2nd ed., SIAM 2003, Alg. 9.1 (PCG).
Hairer and Wanner, Solving Ordinary Differential Equations II, 2nd ed., Springer 1996,
section III.5 (variable-step BDF2 and its zero-stability bound).
Patankar, Numerical Heat Transfer and Fluid Flow, Hemisphere 1980, sections 4.2-4.3
(harmonic-mean interface conductance, fully implicit scheme).
Wong, Teo, Lim, Proc. 48th ECTC, 1372 (1998) (wetness continuity across interfaces).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from semipack.errors import check_converged
from semipack.thermal.assemble import Stencil
from semipack.thermal.grid import Grid
from semipack.thermal.solvers.zline_mg import ZLineMultigrid

Array = NDArray[np.float64]
ScalarT = TypeVar("ScalarT", bound=np.generic)

# Relative residual of each implicit step's solve (preconditioned CG with the thermal
# package's z-line multigrid): mass is conserved to about this fraction per step.
RTOL = 1e-10


@dataclass(frozen=True)
class Domain:
    """A grid with per-cell moisture data.

    Attributes
    ----------
    grid
        Cell faces (m).
    capacity
        Saturated concentration at 100 %RH per cell (kg/m^3); 0 where impermeable.
    ambient
        True for cells that are the surrounding air (void or gas).
    open_axes
        Per axis x, y, z: whether the grid's two outer faces normal to it are exposed to
        the ambient (all False: sealed).
    """

    grid: Grid
    capacity: Array
    ambient: NDArray[np.bool_]
    open_axes: tuple[bool, bool, bool] = (True, True, True)

    @property
    def active(self) -> NDArray[np.bool_]:
        out: NDArray[np.bool_] = (self.capacity > 0) & ~self.ambient
        return out

    def mass_kg(self, activity: Array) -> float:
        """Moisture held in the domain (kg) at per-cell ``activity``."""
        return float(np.sum(np.where(self.active, self.capacity * activity, 0.0) * self.grid.volumes()))


def axis_views(a: NDArray[ScalarT], axis: int) -> tuple[NDArray[ScalarT], NDArray[ScalarT]]:
    """The cells below and above each interior face normal to ``axis`` (views)."""
    lo = [slice(None)] * 3
    hi = [slice(None)] * 3
    lo[axis] = slice(0, -1)
    hi[axis] = slice(1, None)
    return a[tuple(lo)], a[tuple(hi)]


def conductances(dom: Domain, permeance: Array) -> tuple[Array, Array, Array, Array]:
    """Face conductances ``gx, gy, gz`` between active cells and each cell's conductance to the ambient.

    ``permeance`` is ``D K`` per cell (kg/(m s)); arrays are on the full grid (the
    thermal `Stencil` layout), 0 wherever a side is not active.
    """
    g = dom.grid
    act = dom.active
    h = (g.dx[:, None, None], g.dy[None, :, None], g.dz[None, None, :])
    area = (
        g.dy[None, :, None] * g.dz[None, None, :],
        g.dx[:, None, None] * g.dz[None, None, :],
        g.dx[:, None, None] * g.dy[None, :, None],
    )
    half = [
        np.where(act, np.broadcast_to(h[ax], g.shape) / (2.0 * np.maximum(permeance, 1e-300)), np.inf)
        for ax in range(3)
    ]
    faces: list[Array] = []
    amb = np.zeros(g.shape)
    for ax in range(3):
        A = np.broadcast_to(area[ax], g.shape)
        r0, r1 = axis_views(half[ax], ax)
        act0, act1 = axis_views(act, ax)
        e0, e1 = axis_views(dom.ambient, ax)
        a_face, _ = axis_views(A, ax)
        faces.append(np.where(act0 & act1, a_face / (r0 + r1), 0.0))
        # Active cell next to an ambient (void or gas) cell: Dirichlet at the shared face.
        amb_lo, amb_hi = axis_views(amb, ax)
        lo_amb = act0 & e1
        hi_amb = act1 & e0
        amb_lo[lo_amb] += a_face[lo_amb] / r0[lo_amb]
        amb_hi[hi_amb] += a_face[hi_amb] / r1[hi_amb]
        if dom.open_axes[ax]:
            for end in (0, -1):
                sl: list[slice | int] = [slice(None)] * 3
                sl[ax] = slice(0, 1) if end == 0 else slice(-1, None)
                t = tuple(sl)
                m = act[t]
                amb[t][m] += A[t][m] / half[ax][t][m]
    return faces[0], faces[1], faces[2], amb


def _dot(u: Array, v: Array) -> float:
    # A plain reduction, not BLAS: on a few-thousand-cell grid a threaded BLAS dot costs
    # more in thread hand-offs than the sum (10-25 ms per call on a loaded 2-core machine).
    return float(np.einsum("ijk,ijk->", u, v))


def _pcg(st: Stencil, b: Array, x0: Array, maxiter: int = 500) -> Array:
    """Conjugate gradients on ``st`` preconditioned by one z-line multigrid V-cycle (Saad, Alg. 9.1)."""
    m = ZLineMultigrid(st, coarsest_columns=4)
    x = x0.copy()
    r = b - st.apply(x)
    bnorm = np.sqrt(_dot(b, b)) or 1.0
    z = m.apply(r)
    p = z.copy()
    rz = _dot(r, z)
    for _ in range(maxiter):
        if np.sqrt(_dot(r, r)) <= RTOL * bnorm:
            return x
        ap = st.apply(p)
        alpha = rz / _dot(p, ap)
        x += alpha * p
        r -= alpha * ap
        z = m.apply(r)
        rz_new = _dot(r, z)
        p = z + (rz_new / rz) * p
        rz = rz_new
    check_converged("moisture z-line MG-CG", float(np.sqrt(_dot(r, r))) / bnorm, RTOL, maxiter)
    return x


def geometric_steps(duration_s: float, first_s: float, growth: float = 1.3) -> list[float]:
    """Time steps from ``first_s`` growing by ``growth`` and summing exactly to ``duration_s``."""
    if duration_s <= 0:
        return []
    steps: list[float] = []
    dt, t = min(first_s, duration_s), 0.0
    while t + dt < duration_s * (1 - 1e-12):
        steps.append(dt)
        t += dt
        dt *= growth
    steps.append(duration_s - t)
    if len(steps) > 1 and steps[-1] < 0.3 * steps[-2]:  # fold a sliver into its neighbour
        steps[-2] += steps.pop()
    return steps


def advance(
    dom: Domain,
    activity: Array,
    permeance: Array,
    rh: float,
    steps: list[float],
    snapshots: dict[int, float] | None = None,
) -> tuple[Array, dict[float, Array]]:
    """Backward-Euler steps at fixed permeance and ambient ``rh``; returns the end field.

    ``snapshots`` maps a step count to a label time: the field after that many steps is
    returned under that time (used to read several soak durations in one run).
    """
    act = dom.active
    gx, gy, gz, amb = conductances(dom, permeance)
    m = np.where(act, dom.capacity * dom.grid.volumes(), 0.0)
    a = np.where(act, activity, 0.0)
    prev: Array | None = None
    taken: dict[float, Array] = {}
    dt_prev = 0.0
    for k, dt in enumerate(steps, start=1):
        if prev is None or dt > 2.0 * dt_prev:
            # Backward Euler to start, and where a step is cut short before a longer one
            # (a read-out time): BDF2 is zero-stable only for ratios below 1 + sqrt 2.
            alpha, rhs = 1.0, m / dt * a
        else:  # variable-step BDF2 (second order; stable for step ratios below 1 + sqrt 2)
            w = dt / dt_prev
            alpha = (1 + 2 * w) / (1 + w)
            rhs = m / dt * ((1 + w) * a - w * w / (1 + w) * prev)
        # Inactive cells decouple (no faces) with a unit diagonal and a zero right-hand side.
        st = Stencil(gx, gy, gz, np.where(act, amb + alpha * m / dt, 1.0))
        x = _pcg(st, rhs + amb * rh, a)
        prev, a = a, x
        dt_prev = dt
        if snapshots and k in snapshots:
            taken[snapshots[k]] = np.where(act, a, activity)
    return np.where(act, a, activity), taken
