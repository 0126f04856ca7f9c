"""Pads fed at a point: flat round conductors whose face a narrower conductor covers in part.

A thin-film bump pad (250 um of copper, 4 um thick) sits on a 30 um via; a routing pad
(60 um) on another. The heat enters the pad at the via and spreads in its copper to the ball
or bump. Deposited in a cell several times its width, the pad's copper is smeared over the
cell and that spreading is lost, whatever the end model does at its faces (`constriction`):
the grid must see the pad (`grid.FED_RESOLVE_CELLS`), and the ball on it. A pad a conductor
covers at least `CONTINUED` of (a land under its ball) is continued by it, not fed at a point.

This module is geometry only: discs' overlaps on shared planes.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from semipack.geometry import Ball, Cylinder
from semipack.model import Package

Array = NDArray[np.float64]

CONTINUED = 0.5
"""An end is continued where opposite conductor ends cover this fraction of its disc."""
Z_TOLERANCE_M = 1e-9
"""Faces are put on one plane by their z rounded to this (a builder's stacked faces agree
to far less)."""


def lens_area(r: float | Array, rs: Array, d: Array) -> Array:
    """Overlap area of discs of radius ``r`` with discs of radii ``rs`` at centre distances ``d``.

    References
    ----------
    Weisstein, "Circle-circle intersection", MathWorld (the lens of two circles).
    """
    small, big = np.minimum(rs, r), np.maximum(rs, r)
    inside = d <= big - small
    apart = d >= big + small
    dd = np.where(inside | apart, big, d)  # any value that keeps the formula finite where unused
    a1 = r**2 * np.arccos(np.clip((dd**2 + r**2 - rs**2) / (2 * dd * r), -1, 1))
    a2 = rs**2 * np.arccos(np.clip((dd**2 + rs**2 - r**2) / (2 * dd * rs), -1, 1))
    k = np.sqrt(np.clip((-dd + r + rs) * (dd + r - rs) * (dd - r + rs) * (dd + r + rs), 0, None))
    out: Array = np.where(inside, math.pi * small**2, np.where(apart, 0.0, a1 + a2 - k / 2))
    return out


def overlap_pairs(xy_a: Array, r_a: Array, xy_b: Array, r_b: Array) -> tuple[NDArray[np.intp], NDArray[np.intp], Array]:
    """Every overlapping pair of a disc of A and a disc of B on one plane: (index in A, index
    in B, lens area m^2), the area positive.

    One k-d tree of B, queried at once for every disc of A within its radius plus B's largest:
    thousands of bumps on their pads cost neither every pair nor a Python loop per disc.
    """
    if not len(r_a) or not len(r_b):
        return np.zeros(0, np.intp), np.zeros(0, np.intp), np.zeros(0)
    found = cKDTree(xy_b).query_ball_point(xy_a, r_a + float(r_b.max()))
    counts = np.fromiter((len(f) for f in found), np.intp, len(found))
    ia = np.repeat(np.arange(len(r_a)), counts)
    ib = np.fromiter(itertools.chain.from_iterable(found), np.intp, int(counts.sum()))
    d = np.hypot(xy_a[ia, 0] - xy_b[ib, 0], xy_a[ia, 1] - xy_b[ib, 1])
    area = lens_area(r_a[ia], r_b[ib], d)
    hit = area > 0
    return ia[hit], ib[hit], area[hit]


def keyed_overlaps(
    key_a: NDArray[np.int64], xy_a: Array, r_a: Array, key_b: NDArray[np.int64], xy_b: Array, r_b: Array
) -> tuple[NDArray[np.intp], NDArray[np.intp], Array]:
    """`overlap_pairs` between the discs of A and of B that share a key (a plane and a sense,
    one row each): indices into A and into B, and the lens areas (m^2)."""
    parts = [(np.zeros(0, np.intp), np.zeros(0, np.intp), np.zeros(0))]
    for key in np.unique(key_a, axis=0):
        a = np.flatnonzero((key_a == key).all(axis=1))
        b = np.flatnonzero((key_b == key).all(axis=1))
        ia, ib, area = overlap_pairs(xy_a[a], r_a[a], xy_b[b], r_b[b])
        parts.append((a[ia], b[ib], area))
    return tuple(np.concatenate(p) for p in zip(*parts, strict=True))  # type: ignore[return-value]


def end_discs(solid: Ball | Cylinder) -> list[tuple[float, float, bool]]:
    """(z, radius, top) of a round conductor's end discs (a ball's caps where it is cut; a
    ball not cut at a face has no disc there)."""
    if isinstance(solid, Cylinder):
        return [(solid.z0, solid.radius, False), (solid.z1, solid.radius, True)]
    cz = solid.center[2]
    out = []
    for z, top in ((solid.z0, False), (solid.z1, True)):
        r = math.sqrt(max(solid.radius**2 - (z - cz) ** 2, 0.0))
        if r > 0:
            out.append((z, r, top))
    return out


def fed_at_a_point(pkg: Package) -> frozenset[int]:
    """Indices of the pads fed at a point and of the balls that continue them.

    A pad fed at a point is a cylinder no taller than its radius with a face that the
    opposite ends of other cylinders (vias, columns) cover in part, and that all opposite
    ends together cover less than `CONTINUED` of. A ball or bump (a `Ball`) that alone
    covers at least `CONTINUED` of such a pad's other face continues it and goes with it: a
    ball left in cells several times its width over its resolved pad read group_different's
    theta-JC(bottom) 6 % high against resolution 2. Pins (cylinders) stay with the general
    rule: resolved with their pads, the thin-film package with pins read 6 % high against
    resolution 2, left to it 0.2 %. A ball's foot on a wider land does not make it fed."""
    discs = _Discs.of(pkg)
    pad = np.array([isinstance(s, Cylinder) and s.z1 - s.z0 <= s.radius for s in discs.solids], bool)
    cyl = np.array([isinstance(s, Cylinder) for s in discs.solids], bool)
    n = len(discs.body)
    key = np.column_stack((discs.plane, discs.top))
    ia, ib, area = keyed_overlaps(
        key[pad], discs.xy[pad], discs.r[pad], np.column_stack((discs.plane, ~discs.top)), discs.xy, discs.r
    )
    ia = np.flatnonzero(pad)[ia]
    share = area / (math.pi * discs.r[ia] ** 2)
    total, by_vias = np.zeros(n), np.zeros(n)  # per disc: the cover of all opposite ends, of cylinders'
    np.add.at(total, ia, share)
    np.add.at(by_vias, ia, np.where(cyl[ib], share, 0.0))
    fed_disc = (by_vias > 0) & (total < CONTINUED)
    out = set(discs.body[fed_disc].tolist())
    # The ball that alone covers half of a fed pad's other face goes with it.
    by_ball = ~cyl[ib] & (share >= CONTINUED) & fed_disc[discs.partner[ia]]
    out.update(discs.body[ib[by_ball]].tolist())
    return frozenset(out)


class _Discs:
    """The end discs of a package's round conductors: body, solid, centre, radius, plane, sense."""

    def __init__(self, rows: list[tuple[int, Ball | Cylinder, float, float, float, int, bool]], partner: list[int]):
        self.body = np.array([r[0] for r in rows], np.intp)
        self.solids = [r[1] for r in rows]
        self.xy = np.array([(r[2], r[3]) for r in rows]).reshape(-1, 2)
        self.r = np.array([r[4] for r in rows])
        self.plane = np.array([r[5] for r in rows], np.int64)
        self.top = np.array([r[6] for r in rows], bool)
        self.partner = np.array(partner, np.intp)  # the other end disc of the same cylinder (-1: none)

    @classmethod
    def of(cls, pkg: Package) -> _Discs:
        rows: list[tuple[int, Ball | Cylinder, float, float, float, int, bool]] = []
        partner: list[int] = []
        for n, b in enumerate(pkg.bodies):
            s = b.solid
            if not isinstance(s, Ball | Cylinder):
                continue
            ends = end_discs(s)
            first = len(rows)
            for z, r, top in ends:
                rows.append((n, s, s.center[0], s.center[1], r, round(z / Z_TOLERANCE_M), top))
            partner += [first + 1, first] if len(ends) == 2 else [-1] * len(ends)
        return cls(rows, partner)
