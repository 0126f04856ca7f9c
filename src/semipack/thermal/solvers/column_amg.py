"""Column AMG: z-line Gauss-Seidel with smoothed aggregation of cell columns, K-cycle, flexible CG.

The grids of packages on boards are anisotropic in two ways at once. Layers are thin, so
the vertical couplings dominate (dz << dx); and the grading that keeps the cell count
down stretches cells in x or y far from the package, so that in a quarter of the columns
one in-plane direction is 10 to 1000 times stronger than the other. A z-line smoother
takes care of the first: every vertical line of cells is solved exactly (LAPACK's
symmetric tridiagonal factorisation, ``pttrf``/``pttrs``). The coarse levels take care
of the second: columns are aggregated along their strong in-plane connections (the
lumped conductance between two columns, symmetric strength of connection), every layer
is kept, and the transfer keeps layers apart, so a level's coarse operator is again
"columns of cells" whose lines stay tridiagonal. From the finest level the piecewise-
constant transfer is smoothed by one damped-Jacobi step of the (strength-filtered) in-plane
operator of each layer; below it the transfer stays piecewise constant, which keeps the
coarse stencils narrow (smoothing there doubled their width and saved no iteration).
Cells with no coupling at all (the air cut away from the domain) stay out of the coarse
space.

The V-cycle alone degrades with depth on these problems (iterations grow with size); the
K-cycle (two flexible-CG steps on a coarse level, the second one only when the first one
leaves more than a quarter of the residual) keeps the iteration count flat, and the outer
iteration is flexible CG because the K-cycle is a nonlinear preconditioner. The K-cycle
visits level i up to 2^i times per iteration; on the two levels below the finest it buys
the flat count, deeper down it only multiplies the visits of small levels (and on a GPU
their launches), so deeper levels take one V-cycle visit (``K_CYCLE_LEVELS``).

References
----------
Vanek, Mandel, Brezina, "Algebraic multigrid by smoothed aggregation for second and fourth
order elliptic problems", Computing 56 (1996) 179-196 (tentative and smoothed prolongator,
omega = 2/3 for a Laplacian-like operator, symmetric strength of connection).
Trottenberg, Oosterlee, Schueller, Multigrid, Academic Press 2001, sections 5.1-5.2
(line relaxation for anisotropic operators; coarsen only where the smoother smooths).
Notay, Vassilevski, "Recursive Krylov-based multigrid cycles", Numer. Linear Algebra
Appl. 15 (2008) 473-487 (the K-cycle and its 0.25 threshold).
Notay, "Flexible conjugate gradients", SIAM J. Sci. Comput. 22 (2000) 1444-1460 (FCG).
Bell, Olson, Schroder, "PyAMG: Algebraic Multigrid Solvers in Python", JOSS 7 (2022) 4142
(the aggregation and colouring kernels used here).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np
import scipy.linalg.blas as blas
import scipy.linalg.lapack as lapack
import scipy.sparse as sp
import scipy.sparse.linalg as spla
from numpy.typing import NDArray
from scipy.sparse._sparsetools import csr_matvec

from semipack.thermal.assemble import Stencil
from semipack.thermal.solvers.blas_threads import blas_threads
from semipack.thermal.solvers.finest_rows import Transfer, finest_rows
from semipack.thermal.solvers.parallel import line_solve, solving, split_rows
from semipack.thermal.solvers.zline_mg import SolveInfo

Array = NDArray[np.float64]
IntArray = NDArray[np.intp]

THETA = 0.25  # strength of connection between columns; 0.08 gives larger aggregates and more iterations
OMEGA = 2.0 / 3.0  # prolongator damping for a Laplacian-like in-plane operator (Vanek et al. 1996)
K_CYCLE_THRESHOLD = 0.25  # Notay & Vassilevski (2008)
# Levels 1..K_CYCLE_LEVELS get the K-cycle's flexible-CG steps; deeper ones one V-cycle visit.
# Measured on the spreader-BGA bench (0.9, 3.2, 10.8 M cells): K-cycle on every level 22, 21,
# 25 iterations; on levels 1-2 only 23, 21, 25 in 3-25 % less time; on level 1 only 27, 30, 37.
K_CYCLE_LEVELS = 2
COARSEST_UNKNOWNS = 3000


def _stencil_column_graph(st: Stencil) -> sp.csr_matrix:
    """Lumped column graph of the stencil: the x and y conductances summed over the layers (W/K)."""
    nx, ny, _ = st.shape
    cidx = np.arange(nx * ny).reshape(nx, ny)
    wx, wy = st.gx.sum(axis=2), st.gy.sum(axis=2)
    rows = np.concatenate([cidx[:-1].ravel(), cidx[1:].ravel(), cidx[:, :-1].ravel(), cidx[:, 1:].ravel()])
    cc = np.concatenate([cidx[1:].ravel(), cidx[:-1].ravel(), cidx[:, 1:].ravel(), cidx[:, :-1].ravel()])
    vals = np.concatenate([wx.ravel(), wx.ravel(), wy.ravel(), wy.ravel()])
    m = vals != 0
    return sp.csr_matrix((vals[m], (rows[m], cc[m])), shape=(nx * ny, nx * ny))


def stencil_matrix(st: Stencil) -> sp.csr_matrix:
    """The stencil's operator as a CSR matrix (z-fastest numbering, as the hierarchy's finest level)."""
    return finest_rows(st, np.arange(st.shape[0] * st.shape[1])).a


def _split(a: sp.csr_matrix, nz: int) -> tuple[Array, Array, sp.csr_matrix, sp.csr_matrix]:
    """Line (tridiagonal) part ``d, e``, the off-line rest ``B`` and its same-layer part."""
    n = a.shape[0]
    rows = np.repeat(np.arange(n), np.diff(a.indptr))
    cols = a.indices
    off_line = (rows // nz) != (cols // nz)
    same_k = (rows % nz) == (cols % nz)
    d = a.diagonal().copy()
    e = a.diagonal(1).copy()
    e[(np.arange(n - 1) % nz) == nz - 1] = 0.0
    b = _select(a, rows, off_line)
    b_xy = _select(a, rows, off_line & same_k)
    return d, e, b, b_xy


def _select(a: sp.csr_matrix, rows: IntArray, mask: NDArray[np.bool_]) -> sp.csr_matrix:
    """The entries of ``a`` under ``mask``, still CSR (row order is kept, so no sort is needed)."""
    indptr = np.zeros(a.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows[mask], minlength=a.shape[0]), out=indptr[1:])
    return sp.csr_matrix((a.data[mask], a.indices[mask], indptr), shape=a.shape)


def _column_graph(b_xy: sp.csr_matrix, ncol: int, nz: int) -> sp.csr_matrix:
    """Lumped in-plane conductance between columns (W/K, positive), summed over the layers."""
    coo = b_xy.tocoo()
    w = sp.csr_matrix((-coo.data, (coo.row // nz, coo.col // nz)), shape=(ncol, ncol))
    w.sum_duplicates()
    return w


@dataclass(frozen=True)
class _Colour:
    """One colour's lines: the contiguous block ``start:stop`` of its level's (permuted) unknowns."""

    start: int
    stop: int
    d: Array  # pttrf factors of the block's lines (one long tridiagonal, zero couplings between lines)
    e: Array


@dataclass(frozen=True)
class _Level:
    """A level in its own numbering: colour by colour, each line's cells consecutive (bottom to top).

    The off-line operator ``B`` (everything but the z-line tridiagonals) is kept negated and
    split by colour: ``lower`` holds each row's columns of earlier colours, ``upper`` those of
    later ones (a colour never couples to itself). After a forward sweep from zero the residual
    of a colour's rows is exactly ``upper @ x``: the tridiagonal and the earlier colours were
    what the sweep solved against.
    """

    a: sp.csr_matrix
    nz: int
    colours: tuple[_Colour, ...]
    lower: sp.csr_matrix
    upper: sp.csr_matrix
    p: sp.csr_matrix | None  # to this level from the next coarser one
    r: sp.csr_matrix | None  # restriction of the rows before the last colour (its residual is zero)


def _matvec_add(m: sp.csr_matrix, x: Array, y: Array, rows: tuple[int, int] | None = None) -> None:
    """``y += m[lo:hi] @ x`` in scipy's own kernel (no temporaries, no dispatch), its rows split over the cores."""
    lo, hi = (0, m.shape[0]) if rows is None else rows

    def piece(a: int, b: int) -> None:
        csr_matvec(b - a, m.shape[1], m.indptr[a : b + 1], m.indices, m.data, x, y[a - lo : b - lo])

    split_rows(piece, lo, hi)


def _permute(a: sp.csr_matrix, rows: IntArray | None, col_inv: IntArray | None) -> sp.csr_matrix:
    """``a`` with its rows taken in the order ``rows`` and column ``j`` renamed ``col_inv[j]``."""
    out = a[rows] if rows is not None else a
    idx = out.indices if col_inv is None else col_inv[out.indices].astype(out.indices.dtype)
    return sp.csr_matrix((out.data, idx, out.indptr), shape=out.shape)


def _column_order(col_colour: IntArray, nz: int) -> tuple[IntArray, IntArray, IntArray]:
    """Cell permutation (new -> old) that takes columns colour by colour, its inverse, and the colour sizes in cells."""
    order = np.argsort(col_colour, kind="stable")
    perm = (order[:, None] * nz + np.arange(nz)[None, :]).ravel()
    inv = np.empty_like(perm)
    inv[perm] = np.arange(len(perm))
    return perm, inv, np.bincount(col_colour, minlength=int(col_colour.max()) + 1) * nz


def _colours(d: Array, e: Array, sizes: IntArray) -> tuple[_Colour, ...]:
    """Per colour block of the permuted level: the pttrf factors of its lines."""
    out = []
    start = 0
    for size in (int(s) for s in sizes if s > 0):
        stop = start + size
        df, ef, info = lapack.dpttrf(d[start:stop], e[start : stop - 1])
        if info != 0:  # an SPD operator always factorises; anything else is a modelling error upstream
            raise ArithmeticError(
                f"z-line factorisation failed at line row {info}: the operator is not positive definite"
            )
        out.append(_Colour(start, stop, df, ef))
        start = stop
    return tuple(out)


def _lower_upper(b: sp.csr_matrix, colours: tuple[_Colour, ...]) -> tuple[sp.csr_matrix, sp.csr_matrix]:
    """``-B`` split into the columns of earlier and of later colours, row by row."""
    rows = np.repeat(np.arange(b.shape[0]), np.diff(b.indptr))
    start = np.zeros(b.shape[0], dtype=np.intp)
    stop = np.zeros(b.shape[0], dtype=np.intp)
    for c in colours:
        start[c.start : c.stop], stop[c.start : c.stop] = c.start, c.stop
    lower = b.indices < start[rows]
    upper = b.indices >= stop[rows]
    # The colouring is what lets a colour's block be updated in place: it never reads itself.
    assert (lower | upper).all()
    neg = sp.csr_matrix((-b.data, b.indices, b.indptr), shape=b.shape)
    return _select(neg, rows, lower), _select(neg, rows, upper)


def _aggregate(w: sp.csr_matrix, theta: float) -> tuple[IntArray, int, sp.coo_matrix]:
    """Column -> aggregate (-1 for columns with no in-plane coupling at all), and the strong column pairs."""
    from pyamg.aggregation.aggregate import standard_aggregation
    from pyamg.strength import symmetric_strength_of_connection

    lap = (sp.diags(np.asarray(w.sum(axis=1)).ravel()) - w).tocsr()
    s = sp.csr_matrix(symmetric_strength_of_connection(lap, theta))
    agg_op, _ = standard_aggregation(s)
    agg_op = sp.csr_matrix(agg_op)
    ncol, nagg = agg_op.shape
    agg_of = np.full(ncol, -1, dtype=np.intp)
    r, c = agg_op.nonzero()
    agg_of[r] = c
    # pyamg leaves columns without a strong neighbour out; every coupled column must be
    # represented on the coarse level, so it joins its strongest neighbour's aggregate.
    for col in np.flatnonzero((agg_of < 0) & (np.diff(w.indptr) > 0)):
        lo, hi = w.indptr[col], w.indptr[col + 1]
        for nb in w.indices[lo:hi][np.argsort(-w.data[lo:hi])]:
            if agg_of[nb] >= 0:
                agg_of[col] = agg_of[nb]
                break
        else:
            agg_of[col] = nagg
            nagg += 1
    return agg_of, int(nagg), s.tocoo()


def _tentative(a: sp.csr_matrix, w: sp.csr_matrix, nz: int, theta: float) -> tuple[sp.csr_matrix, int]:
    """The piecewise-constant prolongator of a Galerkin level: each coupled cell to its column's aggregate, same layer.

    Below the finest level the prolongator is not smoothed. Smoothing there widened the coarse
    stencils from 8-10 to 12-20 entries a row without saving iterations (measured on the
    bench problem and nine examples, docs/benchmarks.md), and on these levels the in-plane
    couplings have both signs, which once put 1e15 into a Jacobi weight.
    """
    agg_of, nagg, _ = _aggregate(w, theta)
    n = w.shape[0] * nz
    col_agg = np.repeat(agg_of, nz)
    keep = (col_agg >= 0) & (np.diff(a.indptr) > 1)  # uncoupled cells stay out of the coarse space
    indptr = np.zeros(n + 1, dtype=a.indices.dtype)
    np.cumsum(keep, out=indptr[1:])
    cols = (col_agg * nz + np.arange(n) % nz)[keep].astype(a.indices.dtype)
    return sp.csr_matrix((np.ones(len(cols)), cols, indptr), shape=(n, nagg * nz)), nagg


class _Finest(NamedTuple):
    level: _Level  # in its colour-by-colour numbering; no transfers yet
    perm: IntArray  # new -> stencil cell
    inv: IntArray  # stencil -> new cell
    p: sp.csr_matrix  # rows in ``level``'s numbering, columns the next level's natural (aggregate * nz + k)
    nagg: int


def _finest(st: Stencil, theta: float, omega: float) -> _Finest | None:
    """The finest level and its prolongator straight from the stencil (None: coarsening stalls).

    The 7-point stencil couples a column only to its four x/y neighbours, so the columns are
    coloured red-black by ``(i + j) mod 2``: every off-line coupling of a red row reaches a
    later (black) column and of a black row an earlier one, so ``upper`` is ``-B``'s red
    rows and ``lower`` its black rows, two views of one matrix. The prolongator is smoothed
    aggregation's, evaluated on the four in-plane neighbours of each cell (`finest_rows`):
    no sparse products, and a search over the column pairs only.
    """
    nx, ny, nz = st.shape
    ncol = nx * ny
    ii, jj = np.meshgrid(np.arange(nx), np.arange(ny), indexing="ij")
    colour = ((ii + jj) % 2).ravel()
    w = _stencil_column_graph(st)
    agg_of, nagg, s = _aggregate(w, theta)
    if nagg >= 0.9 * ncol:
        return None
    perm, inv, sizes = _column_order(colour, nz)
    order = perm[::nz] // nz  # new -> stencil column
    keys = np.sort(s.row.astype(np.int64) * ncol + s.col)
    rows = finest_rows(st, order, Transfer(agg_of, nagg, keys, omega))
    assert rows.p is not None
    colours = _colours(rows.d, rows.e, sizes)
    nb = rows.neg_b
    cut = int(nb.indptr[colours[0].stop])  # the red rows' entries come first
    upper = sp.csr_matrix((nb.data[:cut], nb.indices[:cut], np.minimum(nb.indptr, cut)), shape=nb.shape)
    lower = sp.csr_matrix((nb.data[cut:], nb.indices[cut:], np.maximum(nb.indptr, cut) - cut), shape=nb.shape)
    level = _Level(rows.a, nz, colours, lower, upper, None, None)
    return _Finest(level, perm, inv, rows.p, nagg)


def _galerkin(a: sp.csr_matrix, p: sp.csr_matrix) -> sp.csr_matrix:
    """The coarse operator ``P^T A P``; coarse unknowns no fine cell maps to get a unit diagonal (decoupled, value 0)."""
    out = (p.T.tocsr() @ (a @ p)).tocsr()
    dg = out.diagonal()
    if (dg <= 0).any():
        out = (out + sp.diags((dg <= 0).astype(float))).tocsr()
    return out


class ColumnAMG:
    """The hierarchy (built once per operator); ``cycle(r)`` is one K-cycle on a flat vector.

    Every level but the coarsest is renumbered colour by colour (whole columns move, so each
    z-line stays a run of consecutive cells): a colour's unknowns are one slice, the smoother
    updates them in place and the products run in scipy's kernels without gathers, scatters or
    temporaries. ``cycle`` and ``matrix`` speak the stencil's own (z-fastest) numbering.
    """

    def __init__(self, st: Stencil, *, theta: float = THETA, omega: float = OMEGA) -> None:
        self.source = st  # the stencil this hierarchy was built for (solve multiplies by its matrix)
        nz = st.shape[2]
        levels: list[_Level] = []
        orders: list[tuple[IntArray, IntArray]] = []
        fine = _finest(st, theta, omega) if st.gb.size > COARSEST_UNKNOWNS else None
        if fine is None:  # a small stencil, or one that does not coarsen: solved directly
            a = stencil_matrix(st)
            levels.append(_Level(a, nz, (), sp.csr_matrix(a.shape), sp.csr_matrix(a.shape), None, None))
            orders.append((np.arange(a.shape[0]), np.arange(a.shape[0])))
        else:
            levels.append(fine.level)
            orders.append((fine.perm, fine.inv))
            p_rows: sp.csr_matrix = fine.p  # the last level's prolongator, rows renumbered, columns not yet
            a, ncol = _galerkin(fine.level.a, fine.p), fine.nagg
        from pyamg.graph import vertex_coloring

        while fine is not None:
            d, e, b, b_xy = _split(a, nz)
            w = _column_graph(b_xy, ncol, nz)
            g = _column_graph(b, ncol, nz)
            g.data[:] = 1.0
            col_colour = np.asarray(vertex_coloring(g, method="MIS")) if g.nnz else np.zeros(ncol, dtype=np.intp)
            coarsest = a.shape[0] <= COARSEST_UNKNOWNS
            if not coarsest:
                p, nagg = _tentative(a, w, nz, theta)
                coarsest = nagg >= 0.9 * ncol  # coarsening stalled: stop here and solve this level directly
            # The coarsest level is solved directly: it keeps its numbering and needs no colours.
            perm, inv = (np.arange(a.shape[0]), None) if coarsest else _column_order(col_colour, nz)[:2]
            prev = levels[-1]
            pp = _permute(p_rows, None, inv)
            levels[-1] = replace(prev, p=pp, r=pp[: prev.colours[-1].start].T.tocsr())
            if coarsest:
                empty = sp.csr_matrix(a.shape)
                levels.append(_Level(a, nz, (), empty, empty, None, None))
                orders.append((perm, perm))
                break
            assert inv is not None
            sizes = np.bincount(col_colour) * nz
            e_perm = np.append(e, 0.0)[perm][:-1]  # lines move whole, so line ends stay line ends
            colours = _colours(d[perm], e_perm, sizes)
            lower, upper = _lower_upper(_permute(b, perm, inv), colours)
            levels.append(_Level(_permute(a, perm, inv), nz, colours, lower, upper, None, None))
            orders.append((perm, inv))
            p_rows = _permute(p, perm, None)
            a, ncol = _galerkin(a, p), nagg
        self.levels = tuple(levels)
        self._perm, self._inv = orders[0]  # the finest level's numbering: new -> stencil, stencil -> new
        self._matrix: sp.csr_matrix | None = None
        self._diag_pos: IntArray | None = None
        self._coarse = spla.splu(levels[-1].a.tocsc())

    def operator(self, st: Stencil) -> sp.csr_matrix:
        """``st``'s operator in this hierarchy's numbering (the matrix a Krylov iteration multiplies by).

        A stencil that shares its conductances with `source` (the same ``gx``, ``gy``, ``gz``
        arrays: a film-coefficient update, a transient step's shift ``A + c C``) differs
        from it by a diagonal only: its matrix is a copy of the finest level's data with
        ``st.gb - source.gb`` added at the diagonal entries, O(non-zeros) and no sort,
        where assembling and renumbering it anew costs several sparse passes.
        """
        src = self.source
        if st is src:
            return self.levels[0].a
        if st.gx is src.gx and st.gy is src.gy and st.gz is src.gz:
            pos = self._diagonal_positions()
            if pos is not None:
                a = self.levels[0].a
                data = a.data.copy()
                data[pos] += (st.gb - src.gb).ravel()[self._perm]
                return sp.csr_matrix((data, a.indices, a.indptr), shape=a.shape)
        return _permute(stencil_matrix(st), self._perm, self._inv)

    def _diagonal_positions(self) -> IntArray | None:
        """Where each row's diagonal entry sits in the finest level's data (None if a row stores none)."""
        if self._diag_pos is None:
            a = self.levels[0].a
            rows = np.repeat(np.arange(a.shape[0], dtype=a.indices.dtype), np.diff(a.indptr))
            pos = np.flatnonzero(a.indices == rows)
            self._diag_pos = pos if len(pos) == a.shape[0] else np.empty(0, dtype=np.intp)
        return self._diag_pos if len(self._diag_pos) else None

    @property
    def matrix(self) -> sp.csr_matrix:
        """The finest operator in the stencil's numbering (as ``stencil_matrix(source)``)."""
        if self._matrix is None:
            self._matrix = _permute(self.levels[0].a, self._inv, self._perm)
        return self._matrix

    def _smooth(self, lv: _Level, x: Array, r: Array, reverse: bool) -> None:
        """z-line Gauss-Seidel colour by colour; forward from a zero guess (``x`` uninitialised), or backward."""
        lower, upper = lv.lower, lv.upper

        # Whole lines of one colour are independent. A piece calls scipy's kernel itself: it
        # runs on its thread already and must not split again (`_matvec_add` would).
        def lines(c: _Colour, lo: int, hi: int) -> None:
            xs = x[lo:hi]
            xs[:] = r[lo:hi]
            csr_matvec(hi - lo, x.size, lower.indptr[lo : hi + 1], lower.indices, lower.data, x, xs)
            if reverse:  # from zero, later colours hold nothing yet
                csr_matvec(hi - lo, x.size, upper.indptr[lo : hi + 1], upper.indices, upper.data, x, xs)
            line_solve(c.d[lo - c.start : hi - c.start], c.e[lo - c.start : hi - c.start - 1], xs)

        for c in reversed(lv.colours) if reverse else lv.colours:
            split_rows(functools.partial(lines, c), c.start, c.stop, lv.nz)

    def _solve_level(self, i: int, r: Array) -> Array:
        """One visit of level ``i`` (smooth, coarse correction, smooth), in the level's numbering."""
        lv = self.levels[i]
        if lv.p is None:
            out: Array = np.asarray(self._coarse.solve(r), dtype=float)
            return out
        assert lv.r is not None
        x = np.empty_like(r)
        self._smooth(lv, x, r, reverse=False)
        # The residual of the sweep: zero on the last colour, ``-B_upper x`` on the others.
        head = lv.colours[-1].start
        res = np.zeros(head)
        _matvec_add(lv.upper, x, res, (0, head))
        rc = np.zeros(lv.r.shape[0])
        _matvec_add(lv.r, res, rc)
        _matvec_add(lv.p, self._coarse_correction(i + 1, rc), x)
        self._smooth(lv, x, r, reverse=True)
        return x

    def _coarse_correction(self, i: int, rc: Array) -> Array:
        """Up to two flexible-CG steps on level ``i`` preconditioned by its own cycle (Notay & Vassilevski)."""
        c1 = self._solve_level(i, rc)
        if self.levels[i].p is None or i > K_CYCLE_LEVELS:
            return c1  # exact on the coarsest level; a plain V-cycle visit below the K-cycle levels
        a = self.levels[i].a
        v = np.zeros_like(c1)
        _matvec_add(a, c1, v)
        rho1 = float(c1 @ v)
        alpha1 = float(c1 @ rc)
        if rho1 <= 0:
            return c1
        r2 = blas.daxpy(v, rc.copy(), a=-alpha1 / rho1)
        if np.linalg.norm(r2) <= K_CYCLE_THRESHOLD * np.linalg.norm(rc):
            c1 *= alpha1 / rho1
            return c1
        c2 = self._solve_level(i, r2)
        w = np.zeros_like(c2)
        _matvec_add(a, c2, w)
        gamma = float(c2 @ v)
        beta = float(c2 @ w)
        alpha2 = float(c2 @ r2)
        rho2 = beta - gamma * gamma / rho1
        if rho2 <= 0:
            c1 *= alpha1 / rho1
            return c1
        c1 *= alpha1 / rho1 - gamma * alpha2 / (rho1 * rho2)
        out: Array = blas.daxpy(c2, c1, a=alpha2 / rho2)
        return out

    def cycle(self, r: Array) -> Array:
        """One K-cycle on ``r`` in the stencil's numbering (a new array)."""
        out = np.empty_like(r)
        out[self._perm] = self._solve_level(0, r[self._perm])
        return out


@blas_threads
def solve(
    st: Stencil,
    b: Array,
    *,
    rtol: float = 1e-8,
    maxiter: int = 300,
    x0: Array | None = None,
    precond: ColumnAMG | None = None,
    on_iteration: Callable[[int, float], None] | None = None,
) -> tuple[Array, SolveInfo]:
    """Flexible CG (Notay 2000) preconditioned by the column-AMG K-cycle; ``x0`` warm-starts it.

    ``on_iteration(it, relative_residual)`` is called after every iteration (progress displays).
    The iteration runs in the hierarchy's numbering; ``z . (r_new - r_old)`` of the flexible
    (Polak-Ribiere) beta is ``-alpha z . q``, so no old residual is kept.
    """
    with solving():
        return _fcg(st, b, rtol, maxiter, x0, precond, on_iteration)


def _fcg(
    st: Stencil,
    b: Array,
    rtol: float,
    maxiter: int,
    x0: Array | None,
    precond: ColumnAMG | None,
    on_iteration: Callable[[int, float], None] | None,
) -> tuple[Array, SolveInfo]:
    m = precond if precond is not None else ColumnAMG(st)
    perm = m._perm
    # A hierarchy built for another operator (one whose boundary terms differ) still
    # preconditions; the Krylov iteration must multiply by ``st``'s own matrix.
    a = m.operator(st)
    bf = np.asarray(b, dtype=float).ravel()[perm]
    bnorm = float(np.linalg.norm(bf)) or 1.0
    x = np.zeros_like(bf) if x0 is None else np.asarray(x0, dtype=float).ravel()[perm]
    q = np.zeros_like(bf)
    if x0 is not None:
        _matvec_add(a, x, q)
    r = bf - q
    rel = float(np.linalg.norm(r)) / bnorm
    it = 0
    if rel <= rtol:
        return _unpermuted(x, perm, b.shape), SolveInfo(0, rel, True)
    # The cycle ends with a sweep of the first colour, whose rows of ``A z`` are then ``r``:
    # ``q = A p`` follows from ``A z`` on the other rows and the last ``q`` (p = z + beta p).
    free = m.levels[0].colours[0].stop if (a is m.levels[0].a and m.levels[0].colours) else 0
    z = m._solve_level(0, r)
    p = z.copy()
    rz = float(r @ z)
    beta = 0.0
    while it < maxiter:
        q *= beta
        _matvec_add(a, z, q[free:], (free, len(bf)))  # adds A z to beta q, row by row
        q[:free] += r[:free]
        pq = float(p @ q)
        if not pq > 0:  # breakdown: the residual test below reports it honestly
            break
        alpha = rz / pq
        blas.daxpy(p, x, a=alpha)
        blas.daxpy(q, r, a=-alpha)
        it += 1
        rel = float(np.linalg.norm(r)) / bnorm
        if on_iteration is not None:
            on_iteration(it, rel)
        if rel <= rtol:
            break
        z = m._solve_level(0, r)
        beta = -alpha * float(z @ q) / rz  # Polak-Ribiere: the flexible form
        rz = float(r @ z)
        p *= beta
        p += z
    # Report the true residual, not the recursively updated one.
    q.fill(0.0)
    _matvec_add(a, x, q)
    true_rel = float(np.linalg.norm(bf - q)) / bnorm
    return _unpermuted(x, perm, b.shape), SolveInfo(it, true_rel, true_rel <= rtol * 10)


def _unpermuted(x: Array, perm: IntArray, shape: tuple[int, ...]) -> Array:
    out = np.empty_like(x)
    out[perm] = x
    return out.reshape(shape)
