"""The flex of seed 001 as it is before operation 6: flat, with the memory dies on it.

In the finished package the flex runs L0 (over the sensor) - bend 1 - L1 - bend 2 - L2,
each bend a half turn. Unfolding bend k reflects everything beyond it about the bend
axis and moves it on by the developed arc length (pi times the copper's mid radius),
so the flat sheet continues in the plane of L0. Each segment's map is a composition of
such reflections: x' = ax + sx*x, z' = az + sz*z. Segments and bends are found by the
`FlexPart` each flex sheet carries.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from semipack.geometry import Ball, BentSheet, Box, Cylinder, Solid
from semipack.model import Body, FlexLayer, FlexPiece, Package, Role

_FLAT_LAYERS = (FlexLayer.LOWER, FlexLayer.CONDUCTOR, FlexLayer.UPPER)


@dataclass(frozen=True)
class Affine:
    """x' = ax + sx * x, z' = az + sz * z (sx, sz = +-1)."""

    sx: float = 1.0
    ax: float = 0.0
    sz: float = 1.0
    az: float = 0.0

    def then(self, inner: Affine) -> Affine:
        """self(inner(p))."""
        return Affine(
            self.sx * inner.sx, self.ax + self.sx * inner.ax, self.sz * inner.sz, self.az + self.sz * inner.az
        )

    def x(self, v: float) -> float:
        return self.ax + self.sx * v

    def z(self, v: float) -> float:
        return self.az + self.sz * v


def _box(s: Box, t: Affine) -> Box:
    x0, x1 = sorted((t.x(s.lo[0]), t.x(s.hi[0])))
    z0, z1 = sorted((t.z(s.lo[2]), t.z(s.hi[2])))
    return Box((x0, s.lo[1], z0), (x1, s.hi[1], z1), tuple(_box(c, t) for c in s.cutouts))


def transform(s: Solid, t: Affine) -> Solid:
    """Apply ``t`` to a box, cylinder or ball (the shapes that ride on a flex segment)."""
    if isinstance(s, Box):
        return _box(s, t)
    if isinstance(s, Cylinder):
        z0, z1 = sorted((t.z(s.z0), t.z(s.z1)))
        return Cylinder((t.x(s.center[0]), s.center[1]), s.radius, z0, z1)
    if isinstance(s, Ball):
        z0, z1 = sorted((t.z(s.z0), t.z(s.z1)))
        return Ball((t.x(s.center[0]), s.center[1], t.z(s.center[2])), s.radius, z0, z1)
    raise TypeError(f"cannot unfold a {type(s).__name__}")


@dataclass(frozen=True)
class FlatFlex:
    """The flat flex (temporary bodies) and each segment's unfolding map."""

    bodies: tuple[Body, ...]
    maps: tuple[Affine, ...]
    segment_z: tuple[tuple[float, float], ...]


def flex_sheets(pkg: Package, piece: FlexPiece) -> dict[tuple[int, FlexLayer], Body]:
    """The flex sheets of ``pkg`` of one kind of piece, by (index, layer)."""
    return {(b.flex.index, b.flex.layer): b for b in pkg.bodies if b.flex is not None and b.flex.piece is piece}


def _cu_mid(seg: dict[tuple[int, FlexLayer], Body], k: int) -> float:
    bb = seg[k, FlexLayer.CONDUCTOR].solid.bbox
    return 0.5 * (bb.lo[2] + bb.hi[2])


def flat_flex(pkg: Package) -> FlatFlex:
    """Unfold the flex of a ``flex_csp`` package into flat temporary bodies."""
    seg = flex_sheets(pkg, FlexPiece.SEGMENT)
    bends = flex_sheets(pkg, FlexPiece.BEND)
    segs = sorted({k for k, _ in seg})
    maps = [Affine()]
    flat: list[Body] = []
    for k in segs[1:]:
        sheet = bends[k, FlexLayer.CONDUCTOR].solid
        assert isinstance(sheet, BentSheet)
        c, sigma = sheet.center_u, sheet.side
        arc = math.pi * (sheet.inner_radius + sheet.thickness / 2)
        zp, zk = _cu_mid(seg, k - 1), _cu_mid(seg, k)
        reflect = Affine(-1.0, 2 * c + sigma * arc, -1.0, zp + zk)
        prev = maps[-1]
        maps.append(prev.then(reflect))
        # The arc, developed flat in the plane of segment k-1, per layer.
        for layer in _FLAT_LAYERS:
            src = seg[k - 1, layer]
            bb = src.solid.bbox
            a0, a1 = sorted((c, c + sigma * arc))
            piece = Box((a0, bb.lo[1], bb.lo[2]), (a1, bb.hi[1], bb.hi[2]))
            name = f"flat_bend{k}_{layer.value}"
            flat.append(replace(src, name=name, solid=_box(piece, prev), tags=frozenset(), flex=None))
    for k in segs:
        for layer in _FLAT_LAYERS:
            src = seg[k, layer]
            assert isinstance(src.solid, Box)
            name = f"flat_L{k}_{layer.value}"
            flat.append(replace(src, name=name, solid=_box(src.solid, maps[k]), tags=frozenset(), flex=None))
    zs = [(seg[k, FlexLayer.LOWER].solid.bbox.lo[2], seg[k, FlexLayer.UPPER].solid.bbox.hi[2]) for k in segs]
    return FlatFlex(tuple(flat), tuple(maps), tuple(zs))


def bumps_of(pkg: Package, die: str) -> tuple[Body, ...]:
    """The bumps on ``die``'s pads: those on the nets of its pads."""
    nets = {p.net for p in pkg.pads if p.die == die}
    return tuple(b for b in pkg.by_role(Role.BUMP) if b.net in nets)


def segment_of(pkg: Package, die: str, flat: FlatFlex) -> int:
    """The flex segment a die is flip-chip bonded to: the one its bumps touch."""
    bumps = bumps_of(pkg, die)
    if not bumps:
        return 0
    bb = bumps[0].solid.bbox
    for k, (lo, hi) in enumerate(flat.segment_z):
        if bb.lo[2] <= hi + 1e-9 and bb.hi[2] >= lo - 1e-9:
            return k
    return 0
