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
from typing import Any

import numpy as np
import scipy.sparse.linalg as spla
from numpy.typing import NDArray

from semipack.thermal.assemble import Stencil
from semipack.thermal.solvers.blas_threads import blas_threads

Array = NDArray[np.float64]


def xp_of(a: object) -> Any:
    """numpy, or cupy for device arrays (cupy is optional and imported only when present)."""
    mod = type(a).__module__
    if mod.startswith("cupy"):
        import cupy

        return cupy
    return np


def to_host(a: Any) -> Array:
    out: Array = a.get() if hasattr(a, "get") and not isinstance(a, np.ndarray) else np.asarray(a)
    return out


def _pair_sum(a: Array, axis: int) -> Array:
    """Sum neighbouring pairs along ``axis`` (an odd tail stays alone)."""
    n = a.shape[axis]
    if n % 2:
        pad = [(0, 0)] * a.ndim
        pad[axis] = (0, 1)
        a = xp_of(a).pad(a, pad)
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
    xp = xp_of(s.gz)
    gx = _pair_sum(s.gx[1::2], 1) if nx > 2 else xp.zeros((0, (ny + 1) // 2, nz))
    gy = _pair_sum(s.gy[:, 1::2], 0) if ny > 2 else xp.zeros(((nx + 1) // 2, 0, nz))
    return Stencil(gx, gy, gz, gb)


@dataclass
class _Level:
    st: Stencil
    diag: Array
    colors: list[tuple[NDArray[np.intp], Array, Array, Array]]  # per colour: line indices, a, cprime, denom


def _line_factors(st: Stencil, diag: Array, lines: NDArray[np.intp]) -> tuple[NDArray[np.intp], Array, Array, Array]:
    nx, ny, nz = st.shape
    xp = xp_of(diag)
    d = diag.reshape(nx * ny, nz)[lines]
    g = st.gz.reshape(nx * ny, nz - 1)[lines] if nz > 1 else xp.zeros((len(lines), 0))
    a = xp.zeros_like(d)
    c = xp.zeros_like(d)
    a[:, 1:] = -g
    c[:, :-1] = -g
    cp = xp.zeros_like(d)
    den = xp.zeros_like(d)
    den[:, 0] = d[:, 0]
    cp[:, 0] = c[:, 0] / den[:, 0]
    for k in range(1, nz):
        den[:, k] = d[:, k] - a[:, k] * cp[:, k - 1]
        cp[:, k] = c[:, k] / den[:, k]
    return lines, a, cp, den


def _thomas(a: Array, cp: Array, den: Array, rhs: Array) -> Array:
    n = rhs.shape[1]
    xp = xp_of(rhs)
    dp = xp.empty_like(rhs)
    dp[:, 0] = rhs[:, 0] / den[:, 0]
    for k in range(1, n):
        dp[:, k] = (rhs[:, k] - a[:, k] * dp[:, k - 1]) / den[:, k]
    x: Array = xp.empty_like(rhs)
    x[:, -1] = dp[:, -1]
    for k in range(n - 2, -1, -1):
        x[:, k] = dp[:, k] - cp[:, k] * x[:, k + 1]
    return x


_THOMAS_CUDA = r"""
extern "C" __global__ void thomas_lines(const double* a, const double* cp, const double* den,
                                        const double* rhs, double* x, const int L, const int n) {
    // One thread per vertical line; arrays are (n, L) so neighbouring threads read neighbouring words.
    const int i = blockDim.x * blockIdx.x + threadIdx.x;
    if (i >= L) return;
    double prev = rhs[i] / den[i];
    x[i] = prev;
    for (int k = 1; k < n; ++k) {
        const int idx = k * L + i;
        prev = (rhs[idx] - a[idx] * prev) / den[idx];
        x[idx] = prev;
    }
    for (int k = n - 2; k >= 0; --k) {
        const int idx = k * L + i;
        x[idx] = x[idx] - cp[idx] * x[idx + L];
    }
}
"""
_kernel_cache: dict[str, Any] = {}


def _thomas_gpu(a_t: Any, cp_t: Any, den_t: Any, rhs: Any) -> Any:
    """Tridiagonal solves of all lines in one CUDA kernel (factors pre-transposed to (nz, L))."""
    import cupy

    if "thomas" not in _kernel_cache:
        _kernel_cache["thomas"] = cupy.RawKernel(_THOMAS_CUDA, "thomas_lines")
    lines, n = rhs.shape
    rhs_t = cupy.ascontiguousarray(rhs.T)
    x_t = cupy.empty_like(rhs_t)
    threads = 128
    _kernel_cache["thomas"](
        ((lines + threads - 1) // threads,), (threads,), (a_t, cp_t, den_t, rhs_t, x_t, np.int32(lines), np.int32(n))
    )
    return x_t.T


def _xy_neighbours(st: Stencil, t: Array) -> Array:
    """Sum over x-y neighbours of g * t (the off-line part of the operator, negated)."""
    out: Array = xp_of(t).zeros_like(t)
    out[:-1] += st.gx * t[1:]
    out[1:] += st.gx * t[:-1]
    out[:, :-1] += st.gy * t[:, 1:]
    out[:, 1:] += st.gy * t[:, :-1]
    return out


class ZLineMultigrid:
    """The preconditioner: build once per operator, then ``apply(r)`` runs one V(1,1) cycle."""

    def __init__(self, st: Stencil, coarsest_columns: int = 64) -> None:
        self.levels: list[_Level] = []
        self._transposed: dict[tuple[int, int], tuple[Any, Any, Any]] = {}
        cur = st
        while True:
            nx, ny, _ = cur.shape
            xp = xp_of(cur.gz)
            diag = cur.diagonal()
            ij = (xp.arange(nx)[:, None] + xp.arange(ny)[None, :]).ravel() % 2
            colors = [_line_factors(cur, diag, xp.flatnonzero(ij == c)) for c in (0, 1)]
            self.levels.append(_Level(cur, diag, colors))
            if nx * ny <= coarsest_columns or (nx <= 2 and ny <= 2):
                break
            cur = coarsen(cur)
        last = self.levels[-1].st
        host = Stencil(to_host(last.gx), to_host(last.gy), to_host(last.gz), to_host(last.gb))
        # The coarsest level is a few dozen columns: factorise it on the host.
        self.coarse_lu = spla.splu(host.to_sparse().tocsc())

    def _smooth(self, lv: _Level, x: Array, r: Array, order: tuple[int, int]) -> None:
        nx, ny, nz = lv.st.shape
        gpu = xp_of(x) is not np
        for c in order:
            lines, a, cp, den = lv.colors[c]
            if len(lines) == 0:
                continue
            rhs = (r + _xy_neighbours(lv.st, x)).reshape(nx * ny, nz)[lines]
            if gpu:
                key = (id(lv), c)
                if key not in self._transposed:
                    import cupy

                    at, cpt, dent = (cupy.ascontiguousarray(v.T) for v in (a, cp, den))
                    self._transposed[key] = (at, cpt, dent)
                at, cpt, dent = self._transposed[key]
                sol = _thomas_gpu(at, cpt, dent, rhs)
            else:
                sol = _thomas(a, cp, den, rhs)
            x.reshape(nx * ny, nz)[lines] = sol

    def _cycle(self, i: int, r: Array) -> Array:
        lv = self.levels[i]
        xp = xp_of(r)
        if i == len(self.levels) - 1:
            sol = np.asarray(self.coarse_lu.solve(to_host(r).ravel()), dtype=float).reshape(r.shape)
            return xp.asarray(sol)  # type: ignore[no-any-return]
        x: Array = xp.zeros_like(r)
        self._smooth(lv, x, r, (0, 1))
        res = r - lv.st.apply(x)
        rc = _pair_sum(_pair_sum(res, 0), 1)
        ec = self._cycle(i + 1, rc)
        nx, ny, _ = r.shape
        x += xp.repeat(xp.repeat(ec, 2, axis=0), 2, axis=1)[:nx, :ny]
        self._smooth(lv, x, r, (1, 0))
        return x

    def apply(self, r: Array) -> Array:
        return self._cycle(0, r)


@dataclass(frozen=True)
class SolveInfo:
    iterations: int
    relative_residual: float
    converged: bool


@blas_threads
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
    xp = xp_of(b)
    x: Array = xp.zeros_like(b) if x0 is None else x0.copy()
    r = b - st.apply(x) if x0 is not None else b.copy()
    bnorm = float(xp.linalg.norm(b)) or 1.0
    z = m.apply(r)  # type: ignore[attr-defined]
    p = z.copy()
    rz = float(xp.vdot(r, z))
    it = 0
    rel = float(xp.linalg.norm(r)) / bnorm
    while rel > rtol and it < maxiter:
        ap = st.apply(p)
        alpha = rz / float(xp.vdot(p, ap))
        x += alpha * p
        r -= alpha * ap
        rel = float(xp.linalg.norm(r)) / bnorm
        it += 1
        if rel <= rtol:
            break
        z = m.apply(r)  # type: ignore[attr-defined]
        rz_new = float(xp.vdot(r, z))
        p = z + (rz_new / rz) * p
        rz = rz_new
    return x, SolveInfo(it, rel, rel <= rtol)


def pcg_gpu(
    st: Stencil, b: Array, *, rtol: float = 1e-8, maxiter: int = 500, x0: Array | None = None
) -> tuple[Array, SolveInfo]:
    """The same z-line multigrid PCG on an NVIDIA GPU through CuPy (optional; coarsest level on the host)."""
    try:
        import cupy
    except ImportError as exc:  # pragma: no cover - depends on the machine
        from semipack.errors import SemipackError

        raise SemipackError("the GPU solver needs CuPy and an NVIDIA GPU (pip install cupy-cuda12x)") from exc
    dev = Stencil(cupy.asarray(st.gx), cupy.asarray(st.gy), cupy.asarray(st.gz), cupy.asarray(st.gb))
    xg, info = pcg(dev, cupy.asarray(b), rtol=rtol, maxiter=maxiter, x0=None if x0 is None else cupy.asarray(x0))
    return to_host(xg), info
