"""Column AMG on an array module (CuPy on an NVIDIA GPU, or numpy): the set-up on the host, the cycle on the device.

The hierarchy is the CPU solver's (:class:`~semipack.thermal.solvers.column_amg.ColumnAMG`:
aggregation and Galerkin products are cheap on the host and hard to do well on a GPU). Each
level then moves to the device renumbered layer by layer inside every colour (cell ``k`` of
line ``i`` of a colour of ``L`` lines is ``start + k L + i``), so that the one-thread-per-line
z-line kernel reads neighbouring words in neighbouring threads, and its operators become
int32 CSR arrays for the kernels of :mod:`~semipack.thermal.solvers.device_kernels` (one
launch per colour and sweep, one per sparse product). The cycle is the CPU solver's:
forward z-line Gauss-Seidel from zero, the sweep's residual from the upper part only,
smoothed-aggregation coarse correction, backward sweep; the K-cycle's flexible-CG steps on
levels 1 to ``K_CYCLE_LEVELS`` and one visit below (where a GPU would otherwise spend its
time launching kernels on tiny levels); flexible CG outside. The device hierarchy ends at
the first level of at most ``dense_up_to`` unknowns (``DENSE_COARSEST_GPU`` on a GPU,
``DENSE_COARSEST`` on numpy), inverted densely on the device; where no level is that small
(coarsening stalled), the host's sparse LU of the last level.

Three ways to run the same cycle: CuPy with the CUDA kernels (``xp=cupy``), numpy with the
numpy reference of each kernel (``xp=numpy``, the tests' default), or numpy with kernels
given by the caller (the tests compile the CUDA source as C++ and run it thread by thread).

References
----------
Notay, Vassilevski, "Recursive Krylov-based multigrid cycles", Numer. Linear Algebra
Appl. 15 (2008) 473-487 (the K-cycle). Notay, "Flexible conjugate gradients", SIAM J. Sci.
Comput. 22 (2000) 1444-1460 (FCG).
Golub, Van Loan, Matrix Computations, 4th ed., Johns Hopkins 2013, section 4.3.6 (the
``L D L^T`` factors of a symmetric tridiagonal as Thomas' coefficients).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from semipack.errors import DesignError
from semipack.thermal.assemble import Stencil
from semipack.thermal.solvers.column_amg import (
    K_CYCLE_LEVELS,
    K_CYCLE_THRESHOLD,
    ColumnAMG,
    _Level,
    _permute,
    _unpermuted,
    stencil_matrix,
)
from semipack.thermal.solvers.device_kernels import (
    LINE_KERNELS,
    LINE_THREADS,
    THREADS,
    DeviceCSR,
    Kernel,
    blocks,
    cupy_kernels,
    spmv_reference,
    sweep_reference,
)
from semipack.thermal.solvers.zline_mg import SolveInfo, to_host

Array = Any  # numpy or cupy arrays
DENSE_COARSEST = 4000  # numpy: the hierarchy ends at the first level this small, inverted densely
# On a GPU the hierarchy stops at the first level this small: a dense product of 12 k unknowns
# (1.2 GB, 0.3 ms on an H200) replaces the launches of the levels below it.
DENSE_COARSEST_GPU = 12_000


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


def dense_limit(free_bytes: int, share: float = 0.25) -> int:
    """The largest dense coarsest level for a GPU with ``free_bytes`` free: ``DENSE_COARSEST_GPU``,
    or fewer unknowns where three n x n float64 matrices (the matrix, the inverse, cuSOLVER's
    work) would take more than ``share`` of the free memory; never below ``DENSE_COARSEST``."""
    fits = int((share * free_bytes / (3 * 8)) ** 0.5)
    return max(DENSE_COARSEST, min(DENSE_COARSEST_GPU, fits))


def thomas_factors(d: np.ndarray, e: np.ndarray, lines: int, nz: int) -> tuple[np.ndarray, ...]:
    """Thomas' (sub-diagonal, cp, 1/den) of a colour's lines, layer-major (``nz * lines``), from pttrf's ``D``, ``L``.

    For ``A = L D L^T`` with unit bidiagonal ``L`` (sub-diagonal ``e``): ``den_k = D_k``,
    ``cp_k = e_k`` and the sub-diagonal ``a_k = e_{k-1} D_{k-1}`` (zero at a line's first cell,
    where ``e`` is zero between lines). The reciprocal turns the recurrence's division into a
    product.
    """
    den = d.reshape(lines, nz)
    cp = np.append(e, 0.0).reshape(lines, nz)
    a = np.zeros((lines, nz))
    a[:, 1:] = (cp * den)[:, :-1]
    return tuple(np.ascontiguousarray(f.T).ravel() for f in (a, cp, 1.0 / den))


def layer_order(lv: _Level) -> np.ndarray:
    """Device numbering -> the host level's: inside each colour, line-major becomes layer-major."""
    order = np.arange(lv.a.shape[0])
    for c in lv.colours:
        lines = (c.stop - c.start) // lv.nz
        order[c.start : c.stop] = c.start + (np.arange(lines)[None, :] * lv.nz + np.arange(lv.nz)[:, None]).ravel()
    return order


def _inverse(order: np.ndarray) -> np.ndarray:
    inv = np.empty_like(order)
    inv[order] = np.arange(len(order))
    return inv


@dataclass(frozen=True)
class _DeviceColour:
    start: int
    lines: int
    lower: DeviceCSR  # the colour's rows of -B: earlier colours' columns
    upper: DeviceCSR  # later colours' columns
    factors: tuple[Any, ...]  # Thomas' a, cp, 1/den, layer-major


@dataclass(frozen=True)
class _DeviceLevel:
    a: DeviceCSR
    n: int
    nz: int
    colours: tuple[_DeviceColour, ...]
    upper_head: DeviceCSR | None  # rows before the last colour of -B_upper (the forward sweep's residual)
    p: DeviceCSR | None
    r: DeviceCSR | None
    scratch: tuple[Any, Any] | None = None  # a colour's right-hand side and forward sweep (the kernels' buffers)


def _device_level(lv: _Level, order: np.ndarray, coarser: np.ndarray, xp: Any) -> _DeviceLevel:
    """A level above the cut (it has colours and a coarser level) in the device numbering ``order``."""
    assert lv.p is not None and lv.r is not None
    inv = _inverse(order)
    colours = []
    lower, upper = (_permute(m, order, inv) for m in (lv.lower, lv.upper))
    for c in lv.colours:
        lines = (c.stop - c.start) // lv.nz
        factors = tuple(xp.asarray(f) for f in thomas_factors(c.d, c.e, lines, lv.nz))
        rows = slice(c.start, c.stop)
        lo, up = DeviceCSR.from_host(lower[rows], xp), DeviceCSR.from_host(upper[rows], xp)
        colours.append(_DeviceColour(c.start, lines, lo, up, factors))
    a = DeviceCSR.from_host(_permute(lv.a, order, inv), xp)
    n = lv.a.shape[0]
    head = DeviceCSR.from_host(upper[: lv.colours[-1].start], xp)
    p = DeviceCSR.from_host(_permute(lv.p, order, _inverse(coarser)), xp)
    r = DeviceCSR.from_host(_permute(lv.r, coarser, inv), xp)
    size = max(c.stop - c.start for c in lv.colours)
    return _DeviceLevel(a, n, lv.nz, tuple(colours), head, p, r, (xp.empty(size), xp.empty(size)))


class DeviceColumnAMG:
    """A host :class:`ColumnAMG` moved to the array module ``xp``; ``cycle(r)`` runs there.

    ``kernels`` (name -> launch) runs the CUDA kernels; None picks CuPy's compiled ones when
    ``xp`` is CuPy and the numpy references when it is numpy. ``dense_up_to`` cuts the
    hierarchy at the first level with at most that many unknowns (a dense inverse; default
    by array module, see the module docstring). ``line_kernel`` picks the z-line kernel (one
    of ``LINE_KERNELS``; the second is an experimental variant for the benchmark). Each
    level owns scratch buffers for its sweeps, so one hierarchy serves one solve at a time.
    """

    def __init__(
        self,
        host: ColumnAMG,
        xp: Any,
        kernels: Mapping[str, Kernel] | None = None,
        dense_up_to: int | None = None,
        line_kernel: str = LINE_KERNELS[0],
    ) -> None:
        if line_kernel not in LINE_KERNELS:
            raise ValueError(f"line_kernel: got {line_kernel!r}; allowed: {', '.join(LINE_KERNELS)}")
        self.line_kernel = line_kernel
        self.host = host
        self.xp = xp
        self.kernels = kernels if kernels is not None or xp is np else cupy_kernels()
        if dense_up_to is None:
            dense_up_to = DENSE_COARSEST if xp is np else dense_limit(xp.cuda.runtime.memGetInfo()[0])
        # The first level small enough is this hierarchy's coarsest, solved by a dense inverse:
        # its own numbering is the host's (it has no device colours), so the level above maps to it.
        cut = next((i for i, lv in enumerate(host.levels) if lv.a.shape[0] <= dense_up_to), len(host.levels) - 1)
        host_levels = host.levels[: cut + 1]
        orders = [layer_order(lv) if i < cut else np.arange(lv.a.shape[0]) for i, lv in enumerate(host_levels)]
        self.levels = tuple(
            _device_level(lv, orders[i], orders[i + 1], xp)
            if i < cut
            else _DeviceLevel(DeviceCSR.from_host(lv.a, xp), lv.a.shape[0], lv.nz, (), None, None, None)
            for i, lv in enumerate(host_levels)
        )
        self.order = host._perm[orders[0]]  # device numbering -> the stencil's
        self._inv = _inverse(self.order)
        coarse = host_levels[-1].a
        self._dense_inverse = None
        if coarse.shape[0] <= dense_up_to:  # inverted where it is used: on a GPU in milliseconds
            self._dense_inverse = xp.linalg.inv(xp.asarray(coarse.toarray()))

    @property
    def source(self) -> Stencil:
        """The stencil the hierarchy was built for."""
        return self.host.source

    def spmv(self, m: DeviceCSR, x: Array, y: Array, accumulate: bool = False) -> None:
        """``y = m x`` (or ``y += m x``) on the device."""
        if self.kernels is None:
            spmv_reference(m, x, y, accumulate)
            return
        n = m.shape[0]
        self.kernels["csr_spmv"](blocks(n), (THREADS,), (np.int32(n), m.ptr, m.idx, m.val, x, y, np.int32(accumulate)))

    def _sweep(self, lv: _DeviceLevel, c: _DeviceColour, x: Array, r: Array, use_upper: bool) -> None:
        if self.kernels is None:
            sweep_reference(c.lines, lv.nz, c.start, c.lower, c.upper, use_upper, c.factors, r, x)
            return
        assert lv.scratch is not None  # every level with colours has its buffers
        lo, up = c.lower, c.upper
        rhs, work = lv.scratch
        n = c.lines * lv.nz
        args = (np.int32(n), np.int32(c.start), lo.ptr, lo.idx, lo.val, up.ptr, up.idx, up.val, np.int32(use_upper))
        self.kernels["colour_rhs"](blocks(n), (THREADS,), (*args, r, x, rhs))
        line_args = (np.int32(c.lines), np.int32(lv.nz), np.int32(c.start), *c.factors, rhs, work, x)
        self.kernels[self.line_kernel](blocks(c.lines, LINE_THREADS), (LINE_THREADS,), line_args)

    def _coarse(self, r: Array) -> Array:
        if self._dense_inverse is not None:
            return self._dense_inverse @ r
        # The coarsest level keeps the host's numbering (it has no colours).
        return self.xp.asarray(self.host._coarse.solve(to_host(r)))

    def _solve_level(self, i: int, r: Array) -> Array:
        lv = self.levels[i]
        if lv.p is None or lv.r is None or lv.upper_head is None:
            return self._coarse(r)
        xp = self.xp
        x = xp.empty_like(r)  # the forward sweep writes every cell before a later colour reads it
        for c in lv.colours:
            self._sweep(lv, c, x, r, False)
        # The sweep's residual: zero on the last colour, -B_upper x on the others (see column_amg).
        res = xp.empty(lv.upper_head.shape[0])
        self.spmv(lv.upper_head, x, res)
        rc = xp.empty(lv.r.shape[0])
        self.spmv(lv.r, res, rc)
        self.spmv(lv.p, self._coarse_correction(i + 1, rc), x, accumulate=True)
        for c in reversed(lv.colours):
            self._sweep(lv, c, x, r, True)
        return x

    def _coarse_correction(self, i: int, rc: Array) -> Array:
        """Up to two flexible-CG steps preconditioned by the level's own cycle (Notay & Vassilevski)."""
        xp = self.xp
        c1 = self._solve_level(i, rc)
        if self.levels[i].p is None or i > K_CYCLE_LEVELS:
            return c1
        a = self.levels[i].a
        v = xp.empty_like(c1)
        self.spmv(a, c1, v)
        rho1 = float(xp.vdot(c1, v))
        alpha1 = float(xp.vdot(c1, rc))
        if rho1 <= 0:
            return c1
        r2 = rc - (alpha1 / rho1) * v
        if float(xp.linalg.norm(r2)) <= K_CYCLE_THRESHOLD * float(xp.linalg.norm(rc)):
            return (alpha1 / rho1) * c1
        c2 = self._solve_level(i, r2)
        w = xp.empty_like(c2)
        self.spmv(a, c2, w)
        gamma = float(xp.vdot(c2, v))
        alpha2 = float(xp.vdot(c2, r2))
        rho2 = float(xp.vdot(c2, w)) - gamma * gamma / rho1
        if rho2 <= 0:
            return (alpha1 / rho1) * c1
        return (alpha1 / rho1 - gamma * alpha2 / (rho1 * rho2)) * c1 + (alpha2 / rho2) * c2

    def cycle(self, r: Array) -> Array:
        """One K-cycle on ``r`` in the device numbering (``r`` already on the device)."""
        return self._solve_level(0, r)

    def operator(self, st: Stencil) -> DeviceCSR:
        """``st``'s matrix in the device numbering (the hierarchy's own when built for ``st``)."""
        if self.host.source is st:
            return self.levels[0].a
        return DeviceCSR.from_host(_permute(stencil_matrix(st), self.order, self._inv), self.xp)


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
    a = m.operator(st)
    bf = xp.asarray(np.asarray(b, dtype=float).ravel()[m.order])
    bnorm = float(xp.linalg.norm(bf)) or 1.0
    x = xp.zeros_like(bf) if x0 is None else xp.asarray(np.asarray(x0, dtype=float).ravel()[m.order])
    q = xp.zeros_like(bf)
    if x0 is not None:
        m.spmv(a, x, q)
    r = bf - q
    rel = float(xp.linalg.norm(r)) / bnorm
    it = 0
    if rel <= rtol:
        return _unpermuted(to_host(x), m.order, b.shape), SolveInfo(0, rel, True)
    z = m.cycle(r)
    p = z.copy()
    rz = float(xp.vdot(r, z))
    while it < maxiter:
        m.spmv(a, p, q)
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
    m.spmv(a, x, q)
    true_rel = float(xp.linalg.norm(bf - q)) / bnorm
    return _unpermuted(to_host(x), m.order, b.shape), SolveInfo(it, true_rel, true_rel <= rtol * 10)
