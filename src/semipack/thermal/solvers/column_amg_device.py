"""Column AMG on an array module (CuPy on an NVIDIA GPU, or numpy): the set-up on the host, the cycle on the device.

The hierarchy is the CPU solver's (:class:`~semipack.thermal.solvers.column_amg.ColumnAMG`,
aggregation and Galerkin products are cheap on the host and hard to do well on a GPU); every
level's operators then move to the array module ``xp`` as its sparse matrices
(``cupyx.scipy.sparse.csr_matrix`` for CuPy, scipy's otherwise). On the device the z-line
smoother is a batched tridiagonal (Thomas) solve over all lines of a colour at once, one
thread per line on a GPU (:func:`~semipack.thermal.solvers.zline_mg._thomas_gpu`); the
K-cycle and the flexible CG are the CPU solver's, written once for any ``xp``. The coarsest
level is a dense inverse on the device when small, else the host's sparse LU.

Thomas factors come from LAPACK's ``pttrf`` factors of the host: for a symmetric tridiagonal
with diagonal ``d`` and off-diagonal ``c``, ``L D L^T`` has ``D_k = den_k`` and
``L_k = c_k / D_k = cp_k`` (Thomas' modified coefficients), and the sub-diagonal is
``c_{k-1} = L_{k-1} D_{k-1}``.

References
----------
Golub, Van Loan, Matrix Computations, 4th ed., Johns Hopkins 2013, section 4.3.6 (the
``L D L^T`` factorisation of a symmetric tridiagonal matrix and its relation to Thomas'
algorithm).
Notay, Vassilevski, "Recursive Krylov-based multigrid cycles", Numer. Linear Algebra
Appl. 15 (2008) 473-487 (the K-cycle). Notay, "Flexible conjugate gradients", SIAM J. Sci.
Comput. 22 (2000) 1444-1460 (FCG).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.linalg as sla
import scipy.sparse as sp

from semipack.errors import DesignError
from semipack.thermal.assemble import Stencil
from semipack.thermal.solvers.column_amg import K_CYCLE_THRESHOLD, ColumnAMG, _Level, _permute, stencil_matrix
from semipack.thermal.solvers.zline_mg import SolveInfo, _thomas, _thomas_gpu, to_host

Array = Any  # numpy or cupy arrays
DENSE_COARSEST = 4000  # the coarsest level as a dense inverse on the device up to this many unknowns


def cupy_or_error() -> Any:
    """CuPy with a usable GPU, or a one-line DesignError saying what is missing."""
    allowed = "needs CuPy and an NVIDIA GPU (pip install cupy-cuda12x); use --solver column-amg on the CPU"
    try:
        import cupy
    except ImportError:
        raise DesignError("solver", "column-amg-gpu", allowed) from None
    try:
        if cupy.cuda.runtime.getDeviceCount() < 1:
            raise DesignError("solver", "column-amg-gpu", allowed)
    except cupy.cuda.runtime.CUDARuntimeError:
        raise DesignError("solver", "column-amg-gpu", allowed) from None
    return cupy


def _sparse(xp: Any, m: sp.csr_matrix) -> Any:
    if xp is np:
        return m
    import importlib

    return importlib.import_module("cupyx.scipy.sparse").csr_matrix(m)  # CuPy's own scipy.sparse


@dataclass(frozen=True)
class _DeviceColour:
    start: int
    stop: int
    lines: int
    lower: Any  # the colour's rows of -B, earlier / later colours' columns (None when empty)
    upper: Any
    a: Any  # Thomas factors (lines, nz); transposed to (nz, lines) for the CUDA kernel
    cp: Any
    den: Any


@dataclass(frozen=True)
class _DeviceLevel:
    a: Any
    nz: int
    colours: tuple[_DeviceColour, ...]
    p: Any
    r: Any


def _thomas_factors(d: np.ndarray, e: np.ndarray, lines: int, nz: int) -> tuple[np.ndarray, ...]:
    """Thomas' (sub-diagonal, cp, den), each (lines, nz), from pttrf's ``D`` and ``L`` (zero between lines)."""
    den = d.reshape(lines, nz)
    cp = np.append(e, 0.0).reshape(lines, nz)
    a = np.zeros((lines, nz))
    a[:, 1:] = (cp * den)[:, :-1]
    return a, cp, den


def _device_level(lv: _Level, xp: Any) -> _DeviceLevel:
    gpu = xp is not np
    colours = []
    for c in lv.colours:
        lines = (c.stop - c.start) // lv.nz
        factors = _thomas_factors(c.d, c.e, lines, lv.nz)
        if gpu:  # the CUDA kernel reads layer-major factors: neighbouring threads, neighbouring words
            factors = tuple(np.ascontiguousarray(f.T) for f in factors)
        lower, upper = (
            _sparse(xp, m[c.start : c.stop]) if m[c.start : c.stop].nnz else None for m in (lv.lower, lv.upper)
        )
        a, cp, den = (xp.asarray(f) for f in factors)
        colours.append(_DeviceColour(c.start, c.stop, lines, lower, upper, a, cp, den))
    p = None if lv.p is None else _sparse(xp, lv.p)
    r = None if lv.r is None else _sparse(xp, lv.r)
    return _DeviceLevel(_sparse(xp, lv.a), lv.nz, tuple(colours), p, r)


class DeviceColumnAMG:
    """A host :class:`ColumnAMG` moved to the array module ``xp``; ``cycle(r)`` runs there."""

    def __init__(self, host: ColumnAMG, xp: Any) -> None:
        self.host = host
        self.xp = xp
        self.levels = tuple(_device_level(lv, xp) for lv in host.levels)
        coarse = host.levels[-1].a
        self._dense_inverse = None
        if coarse.shape[0] <= DENSE_COARSEST:
            eye = np.eye(coarse.shape[0])
            self._dense_inverse = xp.asarray(sla.cho_solve(sla.cho_factor(coarse.toarray()), eye))

    def _coarse(self, r: Array) -> Array:
        if self._dense_inverse is not None:
            return self._dense_inverse @ r
        return self.xp.asarray(self.host._coarse.solve(to_host(r)))

    def _smooth(self, lv: _DeviceLevel, x: Array, r: Array, reverse: bool) -> None:
        """z-line Gauss-Seidel colour by colour: forward from zero, or backward (as the host's)."""
        for c in reversed(lv.colours) if reverse else lv.colours:
            rhs = r[c.start : c.stop].copy()
            if c.lower is not None:
                rhs += c.lower @ x
            if reverse and c.upper is not None:
                rhs += c.upper @ x
            rhs = rhs.reshape(c.lines, lv.nz)
            sol = _thomas(c.a, c.cp, c.den, rhs) if self.xp is np else _thomas_gpu(c.a, c.cp, c.den, rhs)
            x[c.start : c.stop] = sol.reshape(-1)

    def _solve_level(self, i: int, r: Array) -> Array:
        lv = self.levels[i]
        if lv.p is None:
            return self._coarse(r)
        xp = self.xp
        x = xp.zeros_like(r)
        self._smooth(lv, x, r, reverse=False)
        # The sweep's residual: zero on the last colour, -B_upper x on the others (see column_amg).
        parts = [xp.zeros(c.stop - c.start) if c.upper is None else c.upper @ x for c in lv.colours[:-1]]
        rc = lv.r @ xp.concatenate(parts) if parts else xp.zeros(lv.r.shape[0])
        x += lv.p @ self._coarse_correction(i + 1, rc)
        self._smooth(lv, x, r, reverse=True)
        return x

    def _coarse_correction(self, i: int, rc: Array) -> Array:
        """Up to two flexible-CG steps preconditioned by the level's own cycle (Notay & Vassilevski)."""
        xp = self.xp
        c1 = self._solve_level(i, rc)
        if self.levels[i].p is None:
            return c1
        a = self.levels[i].a
        v = a @ c1
        rho1 = float(xp.vdot(c1, v))
        alpha1 = float(xp.vdot(c1, rc))
        if rho1 <= 0:
            return c1
        r2 = rc - (alpha1 / rho1) * v
        if float(xp.linalg.norm(r2)) <= K_CYCLE_THRESHOLD * float(xp.linalg.norm(rc)):
            return (alpha1 / rho1) * c1
        c2 = self._solve_level(i, r2)
        w = a @ c2
        gamma = float(xp.vdot(c2, v))
        alpha2 = float(xp.vdot(c2, r2))
        rho2 = float(xp.vdot(c2, w)) - gamma * gamma / rho1
        if rho2 <= 0:
            return (alpha1 / rho1) * c1
        return (alpha1 / rho1 - gamma * alpha2 / (rho1 * rho2)) * c1 + (alpha2 / rho2) * c2

    def cycle(self, r: Array) -> Array:
        """One K-cycle on ``r`` in the hierarchy's numbering (``r`` already on the device)."""
        return self._solve_level(0, r)


def solve(
    st: Stencil,
    b: np.ndarray,
    *,
    rtol: float = 1e-8,
    maxiter: int = 300,
    x0: np.ndarray | None = None,
    precond: DeviceColumnAMG | None = None,
    on_iteration: Callable[[int, float], None] | None = None,
    xp: Any = None,
) -> tuple[np.ndarray, SolveInfo]:
    """Flexible CG with the column-AMG K-cycle on ``xp`` (CuPy when None); host arrays in, host array out.

    Raises
    ------
    DesignError
        When ``xp`` is None and CuPy or a GPU is missing.
    """
    if precond is None:
        precond = DeviceColumnAMG(ColumnAMG(st), cupy_or_error() if xp is None else xp)
    m = precond
    xp = m.xp
    perm = m.host._perm
    a = m.levels[0].a if m.host.source is st else _sparse(xp, _permute(stencil_matrix(st), perm, m.host._inv))
    bf = xp.asarray(np.asarray(b, dtype=float).ravel()[perm])
    bnorm = float(xp.linalg.norm(bf)) or 1.0
    x = xp.zeros_like(bf) if x0 is None else xp.asarray(np.asarray(x0, dtype=float).ravel()[perm])
    r = bf - a @ x if x0 is not None else bf.copy()
    rel = float(xp.linalg.norm(r)) / bnorm
    it = 0
    if rel <= rtol:
        return _unpermuted(x, perm, b.shape), SolveInfo(0, rel, True)
    z = m.cycle(r)
    p = z.copy()
    rz = float(xp.vdot(r, z))
    while it < maxiter:
        q = a @ p
        pq = float(xp.vdot(p, q))
        if not pq > 0:
            break
        alpha = rz / pq
        x += alpha * p
        r -= alpha * q
        it += 1
        rel = float(xp.linalg.norm(r)) / bnorm
        if on_iteration is not None:
            on_iteration(it, rel)
        if rel <= rtol:
            break
        z = m.cycle(r)
        beta = -alpha * float(xp.vdot(z, q)) / rz  # Polak-Ribiere, z . (r_new - r_old) = -alpha z . q
        rz = float(xp.vdot(r, z))
        p = z + beta * p
    true_rel = float(xp.linalg.norm(bf - a @ x)) / bnorm
    return _unpermuted(x, perm, b.shape), SolveInfo(it, true_rel, true_rel <= rtol * 10)


def _unpermuted(x: Array, perm: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    out = np.empty(len(perm))
    out[perm] = to_host(x)
    return out.reshape(shape)
