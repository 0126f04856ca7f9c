"""Solver state kept across solves that share a grid: multigrid hierarchies and warm starts.

Many analyses solve a sequence of operators on one grid that differ only in boundary
terms (the film-coefficient iterations of still air, the four JEDEC set-ups of one
fixture, the 38 or 99 DELPHI boundary conditions) or only in a diagonal shift
(the time steps of a transient, A + c C with c = alpha / dt). Building the multigrid
hierarchy costs several cycles; a hierarchy built for a neighbouring operator still
preconditions well, and the Krylov iteration always multiplies by the operator being
solved, so the answer is that operator's own to the solver tolerance (the
preconditioner changes the iteration count only).

Three devices, each with its reason:

- `HierarchyReuse` keeps one column-AMG hierarchy A0 for the next operator A1 unless
  a cheap probe shows them far apart: the Rayleigh quotients of the pencil (A1, A0)
  on the unit vectors, the ratios of the diagonals cell by cell, each a lower bound on
  the spectral-equivalence constant. A ratio past ``EQUIVALENCE_RATIO`` rebuilds at
  once: a cold plate replacing a film multiplies some diagonals by 1e5, which no level
  of the old hierarchy knows of (a still-air hierarchy left the ring cold plate's CG at
  its starting residual after 58 iterations). A change of the total boundary
  conductance moves only the few lowest modes (the package's mean rise), which the
  probe ignores on purpose: CG removes a few outlying eigenvalues at an iteration or two
  each (Axelsson and Lindskog 1986); a film iteration of a bare slab moves that mode
  16-fold and a kept hierarchy still converges. So CG is watched too: a reused
  hierarchy may run at most ``REBUILD_FACTOR`` times the iterations its own operator
  needed (and at least ``REBUILD_MIN_ITERATIONS``; scaled by the decades of residual asked
  against those of that first solve, since the film iterates run to a looser tolerance);
  past that it is stopped, rebuilt for the current operator, and the solve resumes from
  the iterate it reached.
- `warm_start` scales a previous field by the one-dimensional Galerkin (Ritz) step
  s = (x.b) / (x.A x), which minimises the energy-norm error along x and so never
  starts worse than zero in that norm; it is used only when it also lowers the
  residual below ||b|| (the stopping test is relative to ||b||).
- `SnapshotBasis` keeps the last fields of a family A = A_int + diag(d) (one interior
  operator, boundary terms on the diagonal: the DELPHI conditions) and starts each solve
  from the Galerkin projection onto their span, x0 = V (V^T A V)^+ V^T b, the best
  starting guess in the energy norm that the span offers (Fischer 1998). The products
  A_int V are kept, so a new condition costs the boundary cells' part of V^T A V only.
- `ShiftedPreconditioners` keeps one hierarchy per factor-``ratio`` band of the shift
  c: for c'/c in [1/rho, rho], (A + c C) and (A + c' C) are spectrally equivalent with
  constant rho (C is a positive diagonal), so the preconditioned condition number grows
  at most rho-fold and CG's iteration bound at most sqrt(rho)-fold.

References
----------
Saad, Iterative Methods for Sparse Linear Systems, 2nd ed., SIAM 2003, sec. 5.2
(one-dimensional projection processes) and sec. 9.2 (preconditioned CG).
Axelsson, Iterative Solution Methods, Cambridge University Press 1994, sec. 10.2
(spectrally equivalent preconditioners: kappa(M^-1 A) <= (c2 / c1) kappa(M^-1 B)
when c1 B <= A <= c2 B).
Axelsson, Lindskog, "On the rate of convergence of the preconditioned conjugate gradient
method", Numer. Math. 48 (1986) 499-523 (a few outlying eigenvalues cost a few iterations).
Fischer, "Projection techniques for iterative solution of Ax = b with successive
right-hand sides", Comput. Methods Appl. Mech. Engrg. 163 (1998) 193-204.
Notay, "Flexible conjugate gradients", SIAM J. Sci. Comput. 22 (2000) 1444-1460.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import numpy as np
from numpy.typing import NDArray

from semipack.thermal.assemble import Stencil

Array = NDArray[np.float64]
P = TypeVar("P")

REBUILD_FACTOR = 2.0
# The largest ratio of diagonals (either way) at which a hierarchy is kept: CG's iteration
# bound grows as the square root of the equivalence constant.
EQUIVALENCE_RATIO = 1.5
# A small grid's hierarchy is exact (one iteration): allow a few before calling it a slow-down.
REBUILD_MIN_ITERATIONS = 4


@dataclass
class HierarchyReuse:
    """A column-AMG hierarchy kept across solves on one grid, and the last field solved for.

    Mutable solver state owned by one analysis (never global). ``first_iterations`` is
    what the solve with the freshly built hierarchy needed; ``builds`` and ``solves``
    count what happened (tests and benchmarks read them).
    """

    hierarchy: Any = None
    first_iterations: int = 0
    first_rtol: float = 1e-8  # the tolerance that first solve ran to (a limit scales with the decades asked)
    builds: int = 0
    solves: int = 0
    last: Array | None = field(default=None, repr=False)


def warm_start(st: Stencil, b: Array, x: Array | None) -> Array | None:
    """``x`` scaled by the Ritz step s = (x.b)/(x.A x) as a starting guess; None where it would not beat zero."""
    if x is None or x.shape != b.shape:
        return None
    ax = st.apply(x)
    xax, xb = float(np.vdot(x, ax)), float(np.vdot(x, b))
    if not (xax > 0 and xb > 0):
        return None
    s = xb / xax
    if not float(np.linalg.norm(b - s * ax)) < float(np.linalg.norm(b)):
        return None
    out: Array = s * x
    return out


def equivalent(a0: Stencil, a1: Stencil, ratio: float) -> bool:
    """Whether every diagonal entry of ``a1`` is within a factor ``ratio`` of ``a0``'s (unit-vector Rayleigh quotients)."""
    q = a1.diagonal() / a0.diagonal()
    return float(q.max()) <= ratio and float(q.min()) >= 1.0 / ratio


def _backend(device: bool) -> tuple[Callable[[Stencil], Any], Callable[..., tuple[Array, Any]]]:
    """(build a hierarchy, solve with one): column AMG on the CPU, or on the GPU (CuPy) when ``device``."""
    from semipack.thermal.solvers.column_amg import ColumnAMG
    from semipack.thermal.solvers.column_amg import solve as cpu_solve

    if not device:
        return ColumnAMG, cpu_solve
    from semipack.thermal.solvers import column_amg_device

    xp = column_amg_device.cupy_or_error()
    return (lambda st: column_amg_device.DeviceColumnAMG(ColumnAMG(st), xp)), column_amg_device.solve


def solve_reusing(
    st: Stencil,
    b: Array,
    reuse: HierarchyReuse,
    *,
    rtol: float,
    maxiter: int,
    x0: Array | None = None,
    on_iteration: Callable[[int, float], None] | None = None,
    device: bool = False,
) -> tuple[Array, Any]:
    """Column AMG with the hierarchy in ``reuse`` (built when missing, rebuilt when CG slows).

    ``x0`` (default: the last field ``reuse`` solved for) is Ritz-scaled by `warm_start`.
    ``device`` runs the cycle on the GPU (the hierarchy is built on the host, then moved).
    Returns the field and the solver's `SolveInfo` (iterations of the final run only).
    """
    from semipack.thermal.solvers.column_amg import ColumnAMG

    build, column_amg_solve = _backend(device)
    start = warm_start(st, b, reuse.last if x0 is None else x0)
    reuse.solves += 1
    if reuse.hierarchy is not None and isinstance(reuse.hierarchy, ColumnAMG) == device:
        reuse.hierarchy = None  # built for the other processor
    if reuse.hierarchy is not None and not equivalent(reuse.hierarchy.source, st, EQUIVALENCE_RATIO):
        reuse.hierarchy = None  # too far from the operator it was built for: rebuild now, not after 2x iterations
    if reuse.hierarchy is not None:
        # Stop a reused hierarchy early: past the rebuild limit a fresh one is cheaper.
        decades = (
            max(1.0, math.log(rtol) / math.log(reuse.first_rtol)) if 0 < rtol < 1 and reuse.first_rtol < 1 else 1.0
        )
        limit = min(maxiter, max(int(REBUILD_FACTOR * reuse.first_iterations * decades), REBUILD_MIN_ITERATIONS, 1))
        x, info = column_amg_solve(
            st, b, rtol=rtol, maxiter=limit, x0=start, precond=reuse.hierarchy, on_iteration=on_iteration
        )
        # "converged" allows 10 x rtol on the true residual; a stop at the limit is a slow-down.
        if info.converged and (info.iterations < limit or info.relative_residual <= rtol):
            reuse.last = x
            return x, info
        start = x  # keep what it reached as the warm start of the fresh hierarchy
    reuse.hierarchy = None  # free the old one first: a GPU hierarchy holds a dense inverse of up to 1 GB
    reuse.hierarchy = build(st)
    reuse.builds += 1
    x, info = column_amg_solve(
        st, b, rtol=rtol, maxiter=maxiter, x0=start, precond=reuse.hierarchy, on_iteration=on_iteration
    )
    reuse.first_iterations = max(info.iterations, 1)
    reuse.first_rtol = rtol
    reuse.last = x
    return x, info


@dataclass
class ShiftedPreconditioners(Generic[P]):
    """Preconditioners of A + c C kept by factor-``ratio`` band of the shift c (see the module docstring).

    ``build`` makes one for a shifted stencil; at most ``size`` bands are kept (the
    oldest dropped first), enough for an adaptive step that grows and shrinks.
    """

    build: Callable[[Stencil], P]
    ratio: float = 2.0
    size: int = 6
    builds: int = 0
    _kept: dict[int, P] = field(default_factory=dict, repr=False)

    def get(self, shifted: Stencil, shift: float) -> P:
        """The preconditioner for ``shifted`` (= A + ``shift`` C): a kept one of its band, else a new one."""
        band = math.floor(math.log(shift) / math.log(self.ratio)) if shift > 0 else -(10**9)
        if band not in self._kept:
            if len(self._kept) >= self.size:
                del self._kept[next(iter(self._kept))]
            self._kept[band] = self.build(shifted)
            self.builds += 1
        return self._kept[band]


@dataclass
class SnapshotBasis:
    """Fields solved on one grid, for Galerkin starting guesses of operators A_int + diag(d) (see the module docstring).

    ``interior`` is the operator every member of the family shares but for the boundary
    terms of its ``gb``. At most ``size`` snapshots v (normalised) are kept with their
    products A_int v and the Gram matrix V^T A_int V, the oldest replaced first (``2
    size`` grid-sized vectors of memory); a guess then costs the cells whose ``gb``
    differs from the interior's (the exposed faces) and two products with V.
    """

    interior: Stencil
    size: int = 16
    _v: Array | None = field(default=None, repr=False)  # (size, n) snapshots
    _w: Array | None = field(default=None, repr=False)  # (size, n) interior products
    _gram: Array | None = field(default=None, repr=False)  # (size, size) V^T A_int V
    count: int = 0
    _next: int = 0

    def add(self, x: Array) -> None:
        """Keep ``x`` (normalised) and its interior product."""
        n = float(np.linalg.norm(x))
        if not n > 0:
            return
        if self._v is None or self._w is None or self._gram is None:
            self._v, self._w = np.zeros((self.size, x.size)), np.zeros((self.size, x.size))
            self._gram = np.zeros((self.size, self.size))
        i = self.count if self.count < self.size else self._next
        self._v[i] = x.ravel() / n
        self._w[i] = self.interior.apply(self._v[i].reshape(x.shape)).ravel()
        if self.count < self.size:
            self.count += 1
        else:
            self._next = (self._next + 1) % self.size
        k = self.count
        row = self._v[:k] @ self._w[i]
        self._gram[i, :k], self._gram[:k, i] = row, row

    def guess(self, st: Stencil, b: Array) -> Array | None:
        """The Galerkin projection of A^-1 b onto the kept fields (A = ``st``); None without snapshots."""
        if self.count == 0 or self._v is None or self._gram is None:
            return None
        shared = st.gx is self.interior.gx and st.gy is self.interior.gy and st.gz is self.interior.gz
        if not shared:
            raise ValueError("SnapshotBasis.guess needs a stencil that shares the interior couplings")
        k = self.count
        v = self._v[:k]
        d = (st.gb - self.interior.gb).ravel()
        nz = np.flatnonzero(d)
        vb = v[:, nz]
        g = self._gram[:k, :k] + (vb * d[nz]) @ vb.T  # V^T (A_int + diag(d)) V
        g = 0.5 * (g + g.T)
        lam, u = np.linalg.eigh(g)
        keep = lam > 1e-12 * max(float(lam[-1]), 0.0)
        if not keep.any():
            return None
        y = u[:, keep] @ ((u[:, keep].T @ (v @ b.ravel())) / lam[keep])
        out: Array = (y @ v).reshape(b.shape)
        return out
