"""Conjugate gradients preconditioned by a z-line, x-y semi-coarsening multigrid V-cycle.

Package layers are thin: cells are flat (dz << dx) and the strongest couplings are
vertical, so point smoothers stall. The smoother here solves every vertical line of
cells exactly (a tridiagonal solve per line), in red-black order over the x-y plane
(z-line Gauss-Seidel); the coarse levels aggregate 2 x 2 columns in x-y and keep z,
so they stay 7-point stencils whose Galerkin product is the aggregated conductance
graph. Post-smoothing runs the colours in reverse, so the V-cycle is symmetric and a
valid CG preconditioner. The cost per cycle is a few stencil sweeps per cell.

References
----------
Trottenberg, Oosterlee, Schueller, Multigrid, Academic Press 2001, sections 5.1-5.2
(line relaxation and semi-coarsening for anisotropic problems).
Braess, "Towards algebraic multigrid for elliptic problems of second order",
Computing 55 (1995) 379-393 (aggregation: piecewise-constant transfer).
Saad, Iterative Methods for Sparse Linear Systems, 2nd ed., SIAM 2003, Alg. 9.1 (PCG).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse.linalg as spla
from numpy.typing import NDArray

from semipack.thermal.assemble import Stencil

Array = NDArray[np.float64]


def _pair_sum(a: Array, axis: int) -> Array:
    """Sum neighbouring pairs along ``axis`` (an odd tail stays alone)."""
    n = a.shape[axis]
    if n % 2:
        pad = [(0, 0)] * a.ndim
        pad[axis] = (0, 1)
        a = np.pad(a, pad)
    shape = list(a.shape)
    shape[axis : axis + 1] = [shape[axis] // 2, 2]
    out: Array = a.reshape(shape).sum(axis=axis + 1)
    return out


def coarsen(s: Stencil) -> Stencil:
    """Galerkin coarse stencil for 2 x 2 aggregation in x-y (z kept)."""
    nx, ny, nz = s.shape
    gz = _pair_sum(_pair_sum(s.gz, 0), 1)
    gb = _pair_sum(_pair_sum(s.gb, 0), 1)
    # x faces that cross aggregate boundaries are the odd ones (between 2I+1 and 2I+2).
    gx = _pair_sum(s.gx[1::2], 1) if nx > 2 else np.zeros((0, (ny + 1) // 2, nz))
    gy = _pair_sum(s.gy[:, 1::2], 0) if ny > 2 else np.zeros(((nx + 1) // 2, 0, nz))
    return Stencil(gx, gy, gz, gb)


@dataclass
class _Level:
    st: Stencil
    diag: Array
    colors: list[tuple[NDArray[np.intp], Array, Array, Array]]  # per colour: line indices, a, cprime, denom


def _line_factors(st: Stencil, diag: Array, lines: NDArray[np.intp]) -> tuple[NDArray[np.intp], Array, Array, Array]:
    nx, ny, nz = st.shape
    d = diag.reshape(nx * ny, nz)[lines]
    g = st.gz.reshape(nx * ny, nz - 1)[lines] if nz > 1 else np.zeros((len(lines), 0))
    a = np.zeros_like(d)
    c = np.zeros_like(d)
    a[:, 1:] = -g
    c[:, :-1] = -g
    cp = np.zeros_like(d)
    den = np.zeros_like(d)
    den[:, 0] = d[:, 0]
    cp[:, 0] = c[:, 0] / den[:, 0]
    for k in range(1, nz):
        den[:, k] = d[:, k] - a[:, k] * cp[:, k - 1]
        cp[:, k] = c[:, k] / den[:, k]
    return lines, a, cp, den


def _thomas(a: Array, cp: Array, den: Array, rhs: Array) -> Array:
    n = rhs.shape[1]
    dp = np.empty_like(rhs)
    dp[:, 0] = rhs[:, 0] / den[:, 0]
    for k in range(1, n):
        dp[:, k] = (rhs[:, k] - a[:, k] * dp[:, k - 1]) / den[:, k]
    x = np.empty_like(rhs)
    x[:, -1] = dp[:, -1]
    for k in range(n - 2, -1, -1):
        x[:, k] = dp[:, k] - cp[:, k] * x[:, k + 1]
    return x


def _xy_neighbours(st: Stencil, t: Array) -> Array:
    """Sum over x-y neighbours of g * t (the off-line part of the operator, negated)."""
    out = np.zeros_like(t)
    out[:-1] += st.gx * t[1:]
    out[1:] += st.gx * t[:-1]
    out[:, :-1] += st.gy * t[:, 1:]
    out[:, 1:] += st.gy * t[:, :-1]
    return out


class ZLineMultigrid:
    """The preconditioner: build once per operator, then ``apply(r)`` runs one V(1,1) cycle."""

    def __init__(self, st: Stencil, coarsest_columns: int = 64) -> None:
        self.levels: list[_Level] = []
        cur = st
        while True:
            nx, ny, _ = cur.shape
            diag = cur.diagonal()
            ij = (np.arange(nx)[:, None] + np.arange(ny)[None, :]).ravel() % 2
            colors = [_line_factors(cur, diag, np.flatnonzero(ij == c)) for c in (0, 1)]
            self.levels.append(_Level(cur, diag, colors))
            if nx * ny <= coarsest_columns or (nx <= 2 and ny <= 2):
                break
            cur = coarsen(cur)
        self.coarse_lu = spla.splu(self.levels[-1].st.to_sparse().tocsc())

    def _smooth(self, lv: _Level, x: Array, r: Array, order: tuple[int, int]) -> None:
        nx, ny, nz = lv.st.shape
        for c in order:
            lines, a, cp, den = lv.colors[c]
            if len(lines) == 0:
                continue
            rhs = (r + _xy_neighbours(lv.st, x)).reshape(nx * ny, nz)[lines]
            x.reshape(nx * ny, nz)[lines] = _thomas(a, cp, den, rhs)

    def _cycle(self, i: int, r: Array) -> Array:
        lv = self.levels[i]
        if i == len(self.levels) - 1:
            return np.asarray(self.coarse_lu.solve(r.ravel()), dtype=float).reshape(r.shape)
        x = np.zeros_like(r)
        self._smooth(lv, x, r, (0, 1))
        res = r - lv.st.apply(x)
        rc = _pair_sum(_pair_sum(res, 0), 1)
        ec = self._cycle(i + 1, rc)
        nx, ny, _ = r.shape
        x += np.repeat(np.repeat(ec, 2, axis=0), 2, axis=1)[:nx, :ny]
        self._smooth(lv, x, r, (1, 0))
        return x

    def apply(self, r: Array) -> Array:
        return self._cycle(0, r)


@dataclass(frozen=True)
class SolveInfo:
    iterations: int
    relative_residual: float
    converged: bool


def pcg(
    st: Stencil,
    b: Array,
    *,
    rtol: float = 1e-8,
    maxiter: int = 500,
    precond: object | None = None,
    x0: Array | None = None,
) -> tuple[Array, SolveInfo]:
    """Preconditioned conjugate gradients on the stencil (Saad, Alg. 9.1); ``x0`` warm-starts it."""
    m = precond if precond is not None else ZLineMultigrid(st)
    x = np.zeros_like(b) if x0 is None else x0.copy()
    r = b - st.apply(x) if x0 is not None else b.copy()
    bnorm = float(np.linalg.norm(b)) or 1.0
    z = m.apply(r)  # type: ignore[attr-defined]
    p = z.copy()
    rz = float(np.vdot(r, z))
    it = 0
    rel = float(np.linalg.norm(r)) / bnorm
    while rel > rtol and it < maxiter:
        ap = st.apply(p)
        alpha = rz / float(np.vdot(p, ap))
        x += alpha * p
        r -= alpha * ap
        rel = float(np.linalg.norm(r)) / bnorm
        it += 1
        if rel <= rtol:
            break
        z = m.apply(r)  # type: ignore[attr-defined]
        rz_new = float(np.vdot(r, z))
        p = z + (rz_new / rz) * p
        rz = rz_new
    return x, SolveInfo(it, rel, rel <= rtol)
