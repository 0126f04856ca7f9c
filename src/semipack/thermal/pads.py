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

import math
from collections import defaultdict

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


def lens_area(r: float, rs: Array, d: Array) -> Array:
    """Overlap area of a disc of radius ``r`` with discs of radii ``rs`` at centre distances ``d``.

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
    rounds = [(n, b.solid) for n, b in enumerate(pkg.bodies) if isinstance(b.solid, Ball | Cylinder)]
    planes: dict[tuple[int, bool], list[tuple[float, float, float, int]]] = defaultdict(list)
    for n, s in rounds:
        for z, r, top in end_discs(s):
            planes[(round(z / Z_TOLERANCE_M), top)].append((s.center[0], s.center[1], r, n))
    # Per plane and sense: the ends (x, y, radius, body), their k-d tree and largest radius.
    trees = {key: (np.asarray(v), cKDTree(np.asarray(v)[:, :2]), max(e[2] for e in v)) for key, v in planes.items()}
    out: set[int] = set()
    for n, s in rounds:
        if not isinstance(s, Cylinder) or s.z1 - s.z0 > s.radius:
            continue
        cover = {top: _cover(s, r, trees.get((round(z / Z_TOLERANCE_M), not top))) for z, r, top in end_discs(s)}
        for top, (shares, bodies) in cover.items():
            by_vias = sum(f for f, b in zip(shares, bodies, strict=True) if isinstance(pkg.bodies[b].solid, Cylinder))
            if by_vias > 0.0 and sum(shares) < CONTINUED:
                out.add(n)
                other = zip(*cover[not top], strict=True)
                out.update(b for f, b in other if f >= CONTINUED and isinstance(pkg.bodies[b].solid, Ball))
    return frozenset(out)


def _cover(
    pad: Cylinder, r: float, found: tuple[NDArray[np.float64], cKDTree, float] | None
) -> tuple[list[float], list[int]]:
    """The fractions of a pad's face that the opposite ends on its plane cover, one per end
    that overlaps it, and their bodies."""
    if found is None:
        return [], []
    ends, tree, reach = found
    near = ends[tree.query_ball_point(pad.center, r + reach)]
    if not len(near):
        return [], []
    d = np.hypot(near[:, 0] - pad.center[0], near[:, 1] - pad.center[1])
    share = lens_area(r, near[:, 2], d) / (math.pi * r**2)
    hit = share > 0
    return [float(f) for f in share[hit]], [int(b) for b in near[hit, 3]]
