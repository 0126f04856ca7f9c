"""The finest level's rows straight from the stencil, in a given column order, a block of columns at a time.

Column AMG's finest level is the 7-point stencil itself: each cell couples to the cells
below and above it (its z-line) and to its four x/y neighbours (``-B``, the off-line
part). `finest_rows` builds the operator, ``-B`` (conductances, positive) and the
smoothed-aggregation prolongator in the level's own numbering from fixed-width rows and
a mask, without sparse products, sorts or row gathers.

It works through the columns in blocks of about ``BLOCK_CELLS`` cells, so its
temporaries are a few MB (reused from the allocator's free list block after block) instead
of seven values a cell, and only the results are allocated at the grid's size. What the
finest level still costs at 8 M cells is mostly the first touch of those results: 2-3 s
of system time in 5-6 s (getrusage, 2-core virtual machine), against none when glibc is
told to keep freed memory (``MALLOC_MMAP_THRESHOLD_``; not done here, it is the process's
choice).

References
----------
Vanek, Mandel, Brezina, "Algebraic multigrid by smoothed aggregation for second and fourth
order elliptic problems", Computing 56 (1996) 179-196 (the tentative prolongator smoothed
by one damped-Jacobi step, ``omega = 2/3``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from semipack.thermal.assemble import Stencil

Array = NDArray[np.float64]
IntArray = NDArray[np.intp]
Index = NDArray[np.signedinteger[Any]]  # int32 or int64, as scipy picks for the matrix

BLOCK_CELLS = 1 << 18  # 262 144 cells: a block's largest temporary (7 entries a cell) is 15 MB


class Transfer(NamedTuple):
    """What the prolongator needs: the columns' aggregates and the strong column pairs."""

    agg_of: IntArray  # stencil column -> aggregate (-1: no in-plane coupling at all)
    nagg: int
    strong_keys: NDArray[np.int64]  # sorted ``row * ncol + col`` of the strong column pairs
    omega: float


class Rows(NamedTuple):
    """The finest level in a column order: every row of ``a`` stores its diagonal first."""

    a: sp.csr_matrix
    neg_b: sp.csr_matrix  # the in-plane couplings, negated (W/K, positive)
    p: sp.csr_matrix | None  # rows in this numbering, columns the next level's natural (aggregate * nz + k)
    d: Array  # the z-lines' diagonal and off-diagonal (zero at each line's top)
    e: Array


class _Packed(NamedTuple):
    data: list[Array]
    indices: list[Index]
    counts: list[IntArray]

    def add(self, vals: Array, cols: Index, keep: NDArray[np.bool_]) -> None:
        """Append fixed-width rows ``(rows, width)``, storing the entries under ``keep`` (row order kept)."""
        self.data.append(vals[keep])
        self.indices.append(cols[keep])
        self.counts.append(keep.sum(axis=1))

    def csr(self, width: int) -> sp.csr_matrix:
        counts = np.concatenate(self.counts)
        itype = self.indices[0].dtype
        indptr = np.zeros(len(counts) + 1, dtype=itype)
        np.cumsum(counts, out=indptr[1:])
        return sp.csr_matrix(
            (np.concatenate(self.data), np.concatenate(self.indices), indptr), shape=(len(counts), width)
        )


def _packed() -> _Packed:
    return _Packed([], [], [])


def _neighbours(st: Stencil, cols: IntArray) -> tuple[Array, IntArray, Array]:
    """Conductances of the stencil columns ``cols`` to their x-, y-, y+, x+ neighbours ``(b, nz, 4)``,
    those neighbours' columns ``(b, 4)`` (any valid index where there is none), and the z
    conductances padded with zero at both ends ``(b, nz + 1)`` (entry k couples k - 1 and k)."""
    nx, ny, nz = st.shape
    i, j = np.divmod(cols, ny)
    g = np.zeros((len(cols), nz, 4))
    if nx > 1:
        g[:, :, 0] = st.gx[np.maximum(i - 1, 0), j]
        g[i == 0, :, 0] = 0.0
        g[:, :, 3] = st.gx[np.minimum(i, nx - 2), j]
        g[i == nx - 1, :, 3] = 0.0
    if ny > 1:
        g[:, :, 1] = st.gy[i, np.maximum(j - 1, 0)]
        g[j == 0, :, 1] = 0.0
        g[:, :, 2] = st.gy[i, np.minimum(j, ny - 2)]
        g[j == ny - 1, :, 2] = 0.0
    nb = np.clip(np.stack([cols - ny, cols - 1, cols + 1, cols + ny], axis=1), 0, nx * ny - 1)
    gz = np.zeros((len(cols), nz + 1))
    gz[:, 1:-1] = st.gz.reshape(nx * ny, nz - 1)[cols]
    return g, nb, gz


def finest_rows(st: Stencil, order: IntArray, transfer: Transfer | None = None) -> Rows:
    """The stencil's operator with its columns taken in ``order`` (new -> stencil column), ``k`` fastest.

    With ``transfer`` also the prolongator ``p0 - omega / |L_s| L_s p0``: ``p0`` takes each
    coupled cell to its column's aggregate in the same layer, ``L_s`` is the cell's in-plane
    operator restricted to strong column pairs (weak couplings would only widen the
    prolongator across directions the smoother leaves rough). A cell keeps ``1 - omega *
    (strong conductance to other aggregates) / (all strong conductance)`` on its own
    aggregate and gives the rest to its neighbours' aggregates, layer by layer. A cell with two
    neighbours in one other aggregate stores that column twice (the products add them).
    """
    nx, ny, nz = st.shape
    ncol, n = nx * ny, nx * ny * nz
    itype: type[np.signedinteger[Any]] = np.int32 if 8 * n < 2**31 else np.int64  # scipy's own pick, built once
    new_col = np.empty(ncol, dtype=itype)
    new_col[order] = np.arange(ncol, dtype=itype)
    k = np.arange(nz, dtype=itype)
    a, neg_b, p = _packed(), _packed(), _packed()
    ds: list[Array] = []
    es: list[Array] = []
    step = max(1, BLOCK_CELLS // nz)
    for c0 in range(0, ncol, step):
        cols = order[c0 : c0 + step]
        g, nb, gz = _neighbours(st, cols)
        gb = st.gb.reshape(ncol, nz)[cols]
        # The diagonal summed in `Stencil.diagonal`'s order, so that it is the same to the last bit.
        d = gb + g[..., 3] + g[..., 0] + g[..., 2] + g[..., 1] + gz[:, 1:] + gz[:, :-1]
        cells: Index = np.arange(c0 * nz, (c0 + len(cols)) * nz, dtype=itype).reshape(len(cols), nz)
        nb_cells = new_col[nb][:, None, :] * nz + k[None, :, None]
        vals = np.empty((len(cols), nz, 7))
        idx = np.empty((len(cols), nz, 7), dtype=itype)
        vals[..., 0], vals[..., 1], vals[..., 2], vals[..., 3:] = d, -gz[:, :-1], -gz[:, 1:], -g
        idx[..., 0], idx[..., 1], idx[..., 2], idx[..., 3:] = cells, cells - 1, cells + 1, nb_cells
        keep = vals != 0.0
        keep[..., 0] = True  # every row stores its diagonal (`ColumnAMG.operator` adds to it in place)
        a.add(vals.reshape(-1, 7), idx.reshape(-1, 7), keep.reshape(-1, 7))
        neg_b.add(g.reshape(-1, 4), nb_cells.reshape(-1, 4), keep[..., 3:].reshape(-1, 4))
        ds.append(d.ravel())
        es.append(-gz[:, 1:].ravel())
        if transfer is not None:
            coupled = keep[..., 1:].any(axis=2)
            _prolongator_rows(p, transfer, cols, g, nb, coupled, ncol, itype)
    return Rows(
        a.csr(n),
        neg_b.csr(n),
        p.csr(transfer.nagg * nz) if transfer is not None else None,
        np.concatenate(ds),
        np.concatenate(es)[:-1],
    )


def _prolongator_rows(
    out: _Packed,
    t: Transfer,
    cols: IntArray,
    g: Array,
    nb: IntArray,
    coupled: NDArray[np.bool_],
    ncol: int,
    itype: type[np.signedinteger[Any]],
) -> None:
    """The block's rows of smoothed aggregation's prolongator (see `finest_rows`)."""
    b, nz, _ = g.shape
    keys = t.strong_keys
    query = cols[:, None].astype(np.int64) * ncol + nb
    pos = np.minimum(np.searchsorted(keys, query), max(len(keys) - 1, 0))
    strong = keys[pos] == query if len(keys) else np.zeros(query.shape, dtype=bool)
    own, theirs = t.agg_of[cols], t.agg_of[nb]
    gs = g * strong[:, None, :]
    mag = gs.sum(axis=2)
    scale = np.where(mag > 0, t.omega / np.where(mag > 0, mag, 1.0), 0.0)
    vals = np.empty((b, nz, 5))
    vals[..., 1:] = gs * (theirs != own[:, None])[:, None, :] * scale[..., None]
    vals[..., 0] = 1.0 - vals[..., 1:].sum(axis=2)
    k = np.arange(nz, dtype=itype)
    idx = np.empty((b, nz, 5), dtype=itype)
    idx[..., 0] = own[:, None] * nz + k
    idx[..., 1:] = theirs[:, None, :] * nz + k[None, :, None]
    # uncoupled cells (the air cut away) and columns with no in-plane coupling stay out
    kept = coupled & (own >= 0)[:, None]
    keep = vals != 0.0
    keep[..., 0] = kept
    keep[..., 1:] &= kept[..., None]
    out.add(vals.reshape(-1, 5), idx.reshape(-1, 5), keep.reshape(-1, 5))
