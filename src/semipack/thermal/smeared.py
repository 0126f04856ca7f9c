"""Balls and lands a grid leaves smeared: which, and from which resolution it resolves them.

`semipack thermal` says so after its table and in its JSON (`metrics.bench_of`); the rules
are `grid.make_grid`'s, read from the same constants.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from semipack.geometry import Ball, Cylinder
from semipack.model import Package, Role
from semipack.thermal.grid import (
    CELLS_ACROSS,
    DEFAULT_STYLE,
    FED_RESOLVE_CELLS,
    MAX_RESOLUTION,
    RESOLVE_CELLS,
    SNAP,
    GridStyle,
)
from semipack.thermal.pads import fed_at_a_point


@dataclass(frozen=True)
class SmearedContacts:
    """Balls and lands (roles BALL, TERMINAL_BUMP and LAND) whose shape a grid does not resolve.

    A ball or land narrower than the grid resolves is deposited as a volume fraction: its
    metal spreads over its whole cell and the heat no longer converges into it, so
    theta-JC(bottom) and theta-JB read low (by Thomson's principle they can only read low),
    11-25 % on the BGAs measured. A ball whose faces lie within `SNAP` cells of its land's
    shares their planes at the pair's mean, which widens the land's cell: the lidded
    FCBGA's theta-JC(bottom) read 10 % low so (docs/benchmarks.md).
    """

    count: int  # balls and lands deposited or merged
    narrowest_m: float  # the narrowest of them (a merged pair: its land)
    resolved_from: float  # the grid resolution from which every one of them is resolved


RIM_FRACTION = 0.02
"""`smeared_contacts`: a ball's faces sharing planes with its land's count only where the
rim between them is wider than this fraction of the narrower of the two."""


def smeared_contacts(pkg: Package, resolution: float, style: GridStyle | None = None) -> SmearedContacts | None:
    """The balls and their lands that `make_grid` at ``resolution`` leaves unresolved (None if none).

    The contacts are the balls (roles BALL and TERMINAL_BUMP) and the land cylinders they
    sit on (role LAND, the same centre, touching in z). The rules are `make_grid`'s: a ball or cylinder
    narrower than the style's resolve width (`RESOLVE_CELLS` target cells for PHYSICS, one
    for FACES; a target cell is the package's x-y span / (`CELLS_ACROSS` ``resolution``)) gets no planes
    and is deposited, a pad fed at a point and its ball from `FED_RESOLVE_CELLS`; on the
    PHYSICS grid, a ball whose faces lie less than `SNAP` target cells from its land's
    shares their planes (a narrow fed pair snaps at `MAJOR_SNAP` only, so this may name a
    higher resolution than the grid needs for it).
    """
    physics = (style or DEFAULT_STYLE) is GridStyle.PHYSICS
    resolve_cells = RESOLVE_CELLS if physics else 1.0
    # By the solid's identity, as the pairs below are kept (a solid shared by two bodies is
    # the same shape).
    fed = {id(pkg.bodies[n].solid) for n in fed_at_a_point(pkg)} if physics else set()
    bb = pkg.bbox
    span = max(bb.size[0], bb.size[1])
    lands: dict[tuple[float, float], list[Cylinder]] = {}
    for b in pkg.bodies:
        if b.role is Role.LAND and isinstance(b.solid, Cylinder):
            lands.setdefault(_centre(b.solid), []).append(b.solid)
    # The resolution from which each contact is resolved, keyed by the solid's identity.
    need: dict[int, tuple[float, float]] = {}
    for b in pkg.bodies:
        ball = b.solid
        if b.role not in (Role.BALL, Role.TERMINAL_BUMP) or not isinstance(ball, Ball | Cylinder):
            continue
        pair: list[Ball | Cylinder] = [ball]
        # The land the ball wets: the widest one touching it (a microvia's cap may share its face).
        touching = [c for c in lands.get(_centre(ball), []) if _touch(c, ball)]
        pair += [max(touching, key=lambda c: c.bbox.size[0])] if touching else []
        widths = [min(c.bbox.size[0], c.bbox.size[1]) for c in pair]
        rim = abs(widths[0] - widths[-1]) / 2
        # Planes from resolve_cells target cells; a ball's and its land's apart once the rim
        # passes SNAP cells. A rim under a fiftieth of the land (an LGA's 4 um on 0.4 mm)
        # widens the land's cell by no more than that when they share a plane: not counted.
        merge = SNAP * span / (CELLS_ACROSS * rim) if physics and rim > RIM_FRACTION * min(widths) else 0.0
        for c, w in zip(pair, widths, strict=True):
            rc = min(resolve_cells, FED_RESOLVE_CELLS) if id(c) in fed else resolve_cells
            need[id(c)] = (w, max(rc * span / (CELLS_ACROSS * w), merge))
    found = [(w, r) for w, r in need.values() if r > resolution * (1 + 1e-9)]
    if not found:
        return None
    # Rounded up to a twentieth, the step a user types.
    top = max(math.ceil(20 * r * (1 + 1e-9)) / 20 for _, r in found)
    return SmearedContacts(len(found), min(w for w, _ in found), min(top, MAX_RESOLUTION))


def _touch(land: Cylinder, ball: Ball | Cylinder) -> bool:
    """``land`` touches ``ball`` in z (one's top face is the other's bottom)."""
    lb, bb = land.bbox, ball.bbox
    return abs(lb.hi[2] - bb.lo[2]) < 1e-9 or abs(lb.lo[2] - bb.hi[2]) < 1e-9


def _centre(solid: Ball | Cylinder) -> tuple[float, float]:
    b = solid.bbox
    return (round((b.lo[0] + b.hi[0]) / 2, 9), round((b.lo[1] + b.hi[1]) / 2, 9))
