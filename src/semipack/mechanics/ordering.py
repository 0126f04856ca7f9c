"""Geometric nested dissection: a fill-reducing order for the nodes of a structured grid.

The nodes are split by a plane of nodes across the box's longest index extent; the two
halves are ordered first (recursively), the separating plane last. Eliminating the
halves first keeps them decoupled in the factor, so fill arises only in the separators.
On the thermo-elastic hexahedral meshes this cuts SuperLU's fill by 40 % and its time by
three against COLAMD (``bench/mechanics.py``).

References
----------
A. George, "Nested dissection of a regular finite element mesh", SIAM J. Numer. Anal.
10(2), 345-363 (1973).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

IntArray = NDArray[np.int64]


def nested_dissection(ijk: IntArray, leaf: int = 32) -> IntArray:
    """An elimination order of the nodes with integer grid indices ``ijk`` (n x 3).

    Returns a permutation of ``range(n)``: position ``p`` holds the node eliminated p-th.
    Parts of at most ``leaf`` nodes, or one node thick, keep their given order.
    """
    pts = np.asarray(ijk, dtype=np.int64)
    if pts.ndim != 2 or pts.shape[1] != 3:
        raise ValueError(f"ijk must be an (n, 3) array of grid indices, got shape {pts.shape}")
    out: list[IntArray] = []

    def dissect(idx: IntArray) -> None:
        p = pts[idx]
        lo, hi = p.min(axis=0), p.max(axis=0)
        ext = hi - lo
        ax = int(np.argmax(ext))
        if idx.size <= leaf or ext[ax] < 2:
            out.append(idx)
            return
        mid = (lo[ax] + hi[ax]) // 2
        coord = p[:, ax]
        dissect(idx[coord < mid])
        dissect(idx[coord > mid])
        out.append(idx[coord == mid])  # the separator: eliminated after both halves

    dissect(np.arange(pts.shape[0], dtype=np.int64))
    order: IntArray = np.concatenate(out) if out else np.zeros(0, dtype=np.int64)
    return order
