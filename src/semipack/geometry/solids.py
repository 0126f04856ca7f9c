"""Solids in the package frame (metres; z up, the package's seating plane near z = 0).

Every solid is a frozen dataclass that can report its bounding box and volume, test
whether points lie inside it, cut itself with a vertical plane (``y = c`` or ``x = c``)
and draw its outline seen from above. Those four operations are all the model,
validation and drawing layers need; the thermal grid will rasterise with ``contains``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import Enum
from functools import cached_property

import numpy as np
from numpy.typing import NDArray

from semipack.geometry.shapes2d import Polyline, Region, Shape2D, circle, rect, reversed_ring

Vec3 = tuple[float, float, float]
Points = NDArray[np.float64]
Mask = NDArray[np.bool_]


class DegenerateSolid(ValueError):
    """A solid with a non-positive size: the dimensions that made it are inconsistent."""


class Axis(Enum):
    """The normal of a vertical cut plane."""

    X = "x"
    Y = "y"


@dataclass(frozen=True)
class BBox:
    lo: Vec3
    hi: Vec3

    def overlaps(self, other: BBox, tol: float = 0.0) -> bool:
        return all(self.lo[i] < other.hi[i] - tol and other.lo[i] < self.hi[i] - tol for i in range(3))

    def gap(self, other: BBox) -> float:
        """Largest separation along any axis (<= 0 when the boxes touch or overlap)."""
        return max(max(other.lo[i] - self.hi[i], self.lo[i] - other.hi[i]) for i in range(3))

    def intersection(self, other: BBox) -> BBox | None:
        lo = tuple(max(a, b) for a, b in zip(self.lo, other.lo, strict=True))
        hi = tuple(min(a, b) for a, b in zip(self.hi, other.hi, strict=True))
        if any(h <= l for l, h in zip(lo, hi, strict=True)):
            return None
        return BBox(lo, hi)  # type: ignore[arg-type]

    @property
    def size(self) -> Vec3:
        return (self.hi[0] - self.lo[0], self.hi[1] - self.lo[1], self.hi[2] - self.lo[2])

    @cached_property
    def volume(self) -> float:
        s = self.size
        return s[0] * s[1] * s[2]


def _cut(axis: Axis) -> tuple[int, int]:
    """(index of the in-plane horizontal coordinate, index of the plane normal)."""
    return (0, 1) if axis is Axis.Y else (1, 0)


@dataclass(frozen=True)
class Box:
    """An axis-aligned box, optionally with box-shaped cut-outs (cavities, windows, holes).

    Cut-outs must not overlap one another; each is clipped to the box.
    """

    lo: Vec3
    hi: Vec3
    cutouts: tuple[Box, ...] = ()

    def __post_init__(self) -> None:
        if any(not h > l for l, h in zip(self.lo, self.hi, strict=True)):  # NaN too
            raise DegenerateSolid(f"box has non-positive size: lo={self.lo} hi={self.hi}")

    @cached_property
    def bbox(self) -> BBox:
        return BBox(self.lo, self.hi)

    def _clipped_cutouts(self) -> list[BBox]:
        return self._clipped

    @cached_property
    def _clipped(self) -> list[BBox]:
        out = []
        for c in self.cutouts:
            inter = self.bbox.intersection(c.bbox)
            if inter is not None:
                out.append(inter)
        return out

    @cached_property
    def _cut_arrays(self) -> tuple[Points, Points]:
        cl = self._clipped
        return np.array([c.lo for c in cl]).reshape(-1, 3), np.array([c.hi for c in cl]).reshape(-1, 3)

    @cached_property
    def volume(self) -> float:
        return self.bbox.volume - sum(c.volume for c in self._clipped_cutouts())

    def contains(self, p: Points) -> Mask:
        inside: Mask = np.all((p >= self.lo) & (p <= self.hi), axis=1)
        lo, hi = self._cut_arrays
        if len(lo) and inside.any():
            # Only cut-outs that reach the query points matter.
            near = np.all((lo < p.max(axis=0)) & (hi > p.min(axis=0)), axis=1)
            lo, hi = lo[near], hi[near]
            if len(lo):
                q = p[inside]
                hit = np.any(np.all((q[:, None, :] > lo[None]) & (q[:, None, :] < hi[None]), axis=2), axis=1)
                idx = np.flatnonzero(inside)
                inside[idx[hit]] = False
        return inside

    def section(self, axis: Axis, at: float) -> list[Shape2D]:
        iu, inormal = _cut(axis)
        if not self.lo[inormal] <= at <= self.hi[inormal]:
            return []
        outer = rect(self.lo[iu], self.lo[2], self.hi[iu], self.hi[2])
        holes = []
        for c in self._clipped_cutouts():
            if c.lo[inormal] < at < c.hi[inormal]:
                holes.append(reversed_ring(rect(c.lo[iu], c.lo[2], c.hi[iu], c.hi[2])))
        return [Region(outer, tuple(holes))]

    def outline(self) -> list[Shape2D]:
        holes = [
            reversed_ring(rect(c.lo[0], c.lo[1], c.hi[0], c.hi[1]))
            for c in self._clipped_cutouts()
            if c.hi[2] >= self.hi[2]
        ]
        return [Region(rect(self.lo[0], self.lo[1], self.hi[0], self.hi[1]), tuple(holes))]

    def translated(self, d: Vec3) -> Box:
        return replace(
            self, lo=_add(self.lo, d), hi=_add(self.hi, d), cutouts=tuple(c.translated(d) for c in self.cutouts)
        )

    def mirrored_z(self) -> Box:
        """Mirror image in the plane z = 0 (a package turned face down)."""
        return replace(
            self,
            lo=(self.lo[0], self.lo[1], -self.hi[2]),
            hi=(self.hi[0], self.hi[1], -self.lo[2]),
            cutouts=tuple(c.mirrored_z() for c in self.cutouts),
        )


@dataclass(frozen=True)
class Cylinder:
    """A vertical cylinder: vias, conductive columns, pins."""

    center: tuple[float, float]
    radius: float
    z0: float
    z1: float

    def __post_init__(self) -> None:
        if self.radius <= 0 or self.z1 <= self.z0:
            raise DegenerateSolid("cylinder needs a positive radius and height")

    @cached_property
    def bbox(self) -> BBox:
        cx, cy = self.center
        r = self.radius
        return BBox((cx - r, cy - r, self.z0), (cx + r, cy + r, self.z1))

    @cached_property
    def volume(self) -> float:
        return math.pi * self.radius**2 * (self.z1 - self.z0)

    def contains(self, p: Points) -> Mask:
        d2 = (p[:, 0] - self.center[0]) ** 2 + (p[:, 1] - self.center[1]) ** 2
        mask: Mask = (d2 <= self.radius**2) & (p[:, 2] >= self.z0) & (p[:, 2] <= self.z1)
        return mask

    def section(self, axis: Axis, at: float) -> list[Shape2D]:
        iu, inormal = _cut(axis)
        d = at - self.center[inormal]
        if abs(d) >= self.radius:
            return []
        h = math.sqrt(self.radius**2 - d**2)
        c = self.center[iu]
        return [Region(rect(c - h, self.z0, c + h, self.z1))]

    def outline(self) -> list[Shape2D]:
        return [Region(circle(self.center[0], self.center[1], self.radius))]

    def mirrored_z(self) -> Cylinder:
        return replace(self, z0=-self.z1, z1=-self.z0)

    def translated(self, d: Vec3) -> Cylinder:
        return replace(
            self, center=(self.center[0] + d[0], self.center[1] + d[1]), z0=self.z0 + d[2], z1=self.z1 + d[2]
        )


@dataclass(frozen=True)
class Ball:
    """A sphere truncated by two horizontal planes: solder balls and bumps after reflow."""

    center: Vec3
    radius: float
    z0: float
    z1: float

    def __post_init__(self) -> None:
        if self.radius <= 0 or self.z1 <= self.z0:
            raise DegenerateSolid("ball needs a positive radius and height")

    @cached_property
    def bbox(self) -> BBox:
        cx, cy, _ = self.center
        r = self.radius
        return BBox((cx - r, cy - r, self.z0), (cx + r, cy + r, self.z1))

    @cached_property
    def volume(self) -> float:
        # Volume of a sphere between two planes: integral of pi (R^2 - z^2) dz.
        r = self.radius
        a = max(self.z0 - self.center[2], -r)
        b = min(self.z1 - self.center[2], r)
        return math.pi * ((r**2 * b - b**3 / 3) - (r**2 * a - a**3 / 3))

    def contains(self, p: Points) -> Mask:
        d2 = np.sum((p - np.asarray(self.center)) ** 2, axis=1)
        mask: Mask = (d2 <= self.radius**2) & (p[:, 2] >= self.z0) & (p[:, 2] <= self.z1)
        return mask

    def section(self, axis: Axis, at: float) -> list[Shape2D]:
        iu, inormal = _cut(axis)
        d = at - self.center[inormal]
        if abs(d) >= self.radius:
            return []
        r = math.sqrt(self.radius**2 - d**2)
        cz = self.center[2]
        lo, hi = max(self.z0, cz - r), min(self.z1, cz + r)
        if hi <= lo:
            return []
        # Walk the circle between the clipping planes on both sides.
        a0, a1 = math.asin((lo - cz) / r), math.asin((hi - cz) / r)
        angles = np.linspace(a0, a1, 24)
        right = [(self.center[iu] + r * math.cos(a), cz + r * math.sin(a)) for a in angles]
        left = [(self.center[iu] - r * math.cos(a), cz + r * math.sin(a)) for a in angles[::-1]]
        return [Region(tuple(right + left))]

    def outline(self) -> list[Shape2D]:
        return [Region(circle(self.center[0], self.center[1], self.radius))]

    def mirrored_z(self) -> Ball:
        return replace(self, center=(self.center[0], self.center[1], -self.center[2]), z0=-self.z1, z1=-self.z0)

    def translated(self, d: Vec3) -> Ball:
        return replace(self, center=_add(self.center, d), z0=self.z0 + d[2], z1=self.z1 + d[2])


def _segment_frames(points: Points) -> tuple[Points, Points, Points]:
    a = points[:-1]
    b = points[1:]
    return a, b, b - a


@dataclass(frozen=True)
class Wire:
    """A round wire along a 3D polyline: bond-wire loops.

    ``thickness`` > 0 turns it into a flat ribbon of that thickness and width ``diameter``
    (conductive adhesive tape); containment then uses the half-thickness as radius.
    """

    points: tuple[Vec3, ...]
    diameter: float
    thickness: float = 0.0

    def __post_init__(self) -> None:
        if len(self.points) < 2 or self.diameter <= 0:
            raise DegenerateSolid("wire needs two points and a positive diameter")

    @property
    def radius(self) -> float:
        return self.thickness / 2 if self.thickness > 0 else self.diameter / 2

    @cached_property
    def bbox(self) -> BBox:
        p = np.asarray(self.points)
        h = max(self.diameter, self.thickness) / 2
        lo = p.min(axis=0) - h
        hi = p.max(axis=0) + h
        return BBox((float(lo[0]), float(lo[1]), float(lo[2])), (float(hi[0]), float(hi[1]), float(hi[2])))

    @property
    def length(self) -> float:
        p = np.asarray(self.points)
        return float(np.sum(np.linalg.norm(np.diff(p, axis=0), axis=1)))

    @cached_property
    def volume(self) -> float:
        area = self.diameter * self.thickness if self.thickness > 0 else math.pi * self.diameter**2 / 4
        return area * self.length

    def contains(self, p: Points) -> Mask:
        a, _, ab = _segment_frames(np.asarray(self.points))
        best = np.full(len(p), np.inf)
        for i in range(len(ab)):
            t = np.clip(((p - a[i]) @ ab[i]) / max(float(ab[i] @ ab[i]), 1e-30), 0.0, 1.0)
            d = np.linalg.norm(p - (a[i] + t[:, None] * ab[i]), axis=1)
            best = np.minimum(best, d)
        return best <= self.radius

    def section(self, axis: Axis, at: float, tolerance: float = 0.0) -> list[Shape2D]:
        """Wires are drawn in profile when their path comes within ``tolerance`` of the plane."""
        iu, inormal = _cut(axis)
        p = np.asarray(self.points)
        reach = max(tolerance, self.diameter / 2)
        if p[:, inormal].min() - reach > at or p[:, inormal].max() + reach < at:
            return []
        width = self.thickness if self.thickness > 0 else self.diameter
        return [Polyline(tuple((float(q[iu]), float(q[2])) for q in p), width)]

    def outline(self) -> list[Shape2D]:
        return [Polyline(tuple((q[0], q[1]) for q in self.points), self.diameter)]

    def mirrored_z(self) -> Wire:
        return replace(self, points=tuple((x, y, -z) for x, y, z in self.points))

    def translated(self, d: Vec3) -> Wire:
        return replace(self, points=tuple(_add(q, d) for q in self.points))


@dataclass(frozen=True)
class Trace:
    """A horizontal conductor of rectangular section along an xy polyline (round ends)."""

    points: tuple[tuple[float, float], ...]
    width: float
    z0: float
    z1: float

    def __post_init__(self) -> None:
        if len(self.points) < 2 or self.width <= 0 or self.z1 <= self.z0:
            raise DegenerateSolid("trace needs two points, a positive width and thickness")

    @cached_property
    def bbox(self) -> BBox:
        p = np.asarray(self.points)
        h = self.width / 2
        return BBox(
            (float(p[:, 0].min() - h), float(p[:, 1].min() - h), self.z0),
            (float(p[:, 0].max() + h), float(p[:, 1].max() + h), self.z1),
        )

    @property
    def length(self) -> float:
        p = np.asarray(self.points)
        return float(np.sum(np.linalg.norm(np.diff(p, axis=0), axis=1)))

    @cached_property
    def volume(self) -> float:
        return self.width * (self.z1 - self.z0) * self.length

    def distance_xy(self, q: Points) -> NDArray[np.float64]:
        a, _, ab = _segment_frames(np.asarray(self.points))
        best = np.full(len(q), np.inf)
        for i in range(len(ab)):
            t = np.clip(((q - a[i]) @ ab[i]) / max(float(ab[i] @ ab[i]), 1e-30), 0.0, 1.0)
            best = np.minimum(best, np.linalg.norm(q - (a[i] + t[:, None] * ab[i]), axis=1))
        return best

    def contains(self, p: Points) -> Mask:
        return (self.distance_xy(p[:, :2]) <= self.width / 2) & (p[:, 2] >= self.z0) & (p[:, 2] <= self.z1)

    def section(self, axis: Axis, at: float) -> list[Shape2D]:
        iu, inormal = _cut(axis)
        box = self.bbox
        if not box.lo[inormal] <= at <= box.hi[inormal]:
            return []
        u = np.linspace(box.lo[iu], box.hi[iu], 801)
        q = np.empty((len(u), 2))
        q[:, iu] = u
        q[:, inormal] = at
        inside = self.distance_xy(q) <= self.width / 2
        shapes: list[Shape2D] = []
        idx = np.flatnonzero(np.diff(np.concatenate(([0], inside.astype(np.int8), [0]))))
        for s, e in zip(idx[::2], idx[1::2], strict=True):
            u0, u1 = float(u[s]), float(u[e - 1])
            if u1 - u0 < 1e-9:
                u1 = u0 + (u[1] - u[0])
            shapes.append(Region(rect(u0, self.z0, u1, self.z1)))
        return shapes

    def outline(self) -> list[Shape2D]:
        return [Polyline(self.points, self.width)]

    def mirrored_z(self) -> Trace:
        return replace(self, z0=-self.z1, z1=-self.z0)

    def translated(self, d: Vec3) -> Trace:
        return replace(
            self, points=tuple((x + d[0], y + d[1]) for x, y in self.points), z0=self.z0 + d[2], z1=self.z1 + d[2]
        )


@dataclass(frozen=True)
class BentSheet:
    """A sheet bent through 180 degrees around a horizontal axis: the curved portion of a flex.

    The bend axis runs along ``axis_dir`` (x or y) from ``span[0]`` to ``span[1]``. In the
    plane across the axis the sheet is a half annulus centred at (``center_u``,
    ``center_z``) with inner radius ``inner_radius`` and the given ``thickness``; it bulges
    towards ``+u`` when ``side`` is +1 and towards ``-u`` when -1.
    """

    axis_dir: Axis
    center_u: float
    center_z: float
    inner_radius: float
    thickness: float
    span: tuple[float, float]
    side: int

    def __post_init__(self) -> None:
        if self.inner_radius <= 0 or self.thickness <= 0 or self.span[1] <= self.span[0]:
            raise DegenerateSolid("bent sheet needs positive radius, thickness and span")
        if self.side not in (-1, 1):
            raise ValueError("side must be +1 or -1")

    @property
    def outer_radius(self) -> float:
        return self.inner_radius + self.thickness

    def _uv_index(self) -> tuple[int, int]:
        # u runs across the axis, a along it.
        return (0, 1) if self.axis_dir is Axis.Y else (1, 0)

    @cached_property
    def bbox(self) -> BBox:
        iu, ia = self._uv_index()
        ro = self.outer_radius
        u0, u1 = sorted((self.center_u, self.center_u + self.side * ro))
        lo = [0.0, 0.0, self.center_z - ro]
        hi = [0.0, 0.0, self.center_z + ro]
        lo[iu], hi[iu] = u0, u1
        lo[ia], hi[ia] = self.span
        return BBox((lo[0], lo[1], lo[2]), (hi[0], hi[1], hi[2]))

    @cached_property
    def volume(self) -> float:
        return 0.5 * math.pi * (self.outer_radius**2 - self.inner_radius**2) * (self.span[1] - self.span[0])

    def contains(self, p: Points) -> Mask:
        iu, ia = self._uv_index()
        du = p[:, iu] - self.center_u
        dz = p[:, 2] - self.center_z
        r = np.hypot(du, dz)
        return (
            (r >= self.inner_radius)
            & (r <= self.outer_radius)
            & (du * self.side >= 0)
            & (p[:, ia] >= self.span[0])
            & (p[:, ia] <= self.span[1])
        )

    def section(self, axis: Axis, at: float) -> list[Shape2D]:
        _iu, _ia = self._uv_index()
        if (axis is Axis.Y) == (self.axis_dir is Axis.Y):
            # Cut across the bend axis: the half annulus itself.
            if not self.span[0] <= at <= self.span[1]:
                return []
            ang = np.linspace(-math.pi / 2, math.pi / 2, 33)
            s = self.side
            outer = [
                (self.center_u + s * self.outer_radius * math.cos(a), self.center_z + self.outer_radius * math.sin(a))
                for a in ang
            ]
            inner = [
                (self.center_u + s * self.inner_radius * math.cos(a), self.center_z + self.inner_radius * math.sin(a))
                for a in ang[::-1]
            ]
            return [Region(tuple(outer + inner))]
        # Cut along the axis: one or two horizontal bands.
        d = (at - self.center_u) * self.side
        ro, ri = self.outer_radius, self.inner_radius
        if d < 0 or d >= ro:
            return []
        a0, a1 = self.span
        zo = math.sqrt(ro**2 - d**2)
        if d >= ri:
            return [Region(rect(a0, self.center_z - zo, a1, self.center_z + zo))]
        zi = math.sqrt(ri**2 - d**2)
        cz = self.center_z
        return [Region(rect(a0, cz + zi, a1, cz + zo)), Region(rect(a0, cz - zo, a1, cz - zi))]

    def outline(self) -> list[Shape2D]:
        b = self.bbox
        return [Region(rect(b.lo[0], b.lo[1], b.hi[0], b.hi[1]))]

    def mirrored_z(self) -> BentSheet:
        return replace(self, center_z=-self.center_z)

    def translated(self, d: Vec3) -> BentSheet:
        iu, ia = self._uv_index()
        return replace(
            self,
            center_u=self.center_u + d[iu],
            center_z=self.center_z + d[2],
            span=(self.span[0] + d[ia], self.span[1] + d[ia]),
        )


Solid = Box | Cylinder | Ball | Wire | Trace | BentSheet


def _add(a: Vec3, b: Vec3) -> Vec3:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def segment_distance(p1: Vec3, q1: Vec3, p2: Vec3, q2: Vec3) -> float:
    """Shortest distance between segments p1-q1 and p2-q2.

    References
    ----------
    Ericson, Real-Time Collision Detection, Morgan Kaufmann 2005, section 5.1.9
    (closest points of two segments).
    """
    d1 = (q1[0] - p1[0], q1[1] - p1[1], q1[2] - p1[2])
    d2 = (q2[0] - p2[0], q2[1] - p2[1], q2[2] - p2[2])
    r = (p1[0] - p2[0], p1[1] - p2[1], p1[2] - p2[2])

    def dot(u: tuple[float, float, float], v: tuple[float, float, float]) -> float:
        return u[0] * v[0] + u[1] * v[1] + u[2] * v[2]

    a, e, f = dot(d1, d1), dot(d2, d2), dot(d2, r)
    eps = 1e-30
    if a <= eps and e <= eps:
        return math.sqrt(dot(r, r))
    if a <= eps:
        s, t = 0.0, min(max(f / e, 0.0), 1.0)
    else:
        c = dot(d1, r)
        if e <= eps:
            s, t = min(max(-c / a, 0.0), 1.0), 0.0
        else:
            b = dot(d1, d2)
            denom = a * e - b * b
            s = min(max((b * f - c * e) / denom, 0.0), 1.0) if denom > eps else 0.0
            t = (b * s + f) / e
            if t < 0.0:
                s, t = min(max(-c / a, 0.0), 1.0), 0.0
            elif t > 1.0:
                s, t = min(max((b - c) / a, 0.0), 1.0), 1.0
    w = tuple(r[i] + d1[i] * s - d2[i] * t for i in range(3))
    return math.sqrt(w[0] ** 2 + w[1] ** 2 + w[2] ** 2)


def polyline_distance(a: Wire, b: Wire) -> float:
    """Shortest distance between the centre lines of two wires."""
    pa, pb = a.points, b.points
    return min(
        segment_distance(pa[i], pa[i + 1], pb[j], pb[j + 1]) for i in range(len(pa) - 1) for j in range(len(pb) - 1)
    )


def overlap_volume(a: Solid, b: Solid, n: int = 10) -> float:
    """Volume shared by two solids.

    Exact for plain boxes and for wires that keep clear of each other; otherwise a
    midpoint-rule estimate on an ``n``^3 grid over the intersection of their bounding
    boxes (faces that merely touch give zero).
    """
    inter = a.bbox.intersection(b.bbox)
    if inter is None:
        return 0.0
    if isinstance(a, Box) and isinstance(b, Box) and not a.cutouts and not b.cutouts:
        return inter.volume
    if isinstance(a, Wire) and isinstance(b, Wire) and polyline_distance(a, b) >= a.radius + b.radius:
        return 0.0
    axes = [inter.lo[i] + (np.arange(n) + 0.5) * (inter.hi[i] - inter.lo[i]) / n for i in range(3)]
    gx, gy, gz = np.meshgrid(*axes, indexing="ij")
    pts = np.column_stack([gx.ravel(), gy.ravel(), gz.ravel()])
    both = a.contains(pts) & b.contains(pts)
    return float(both.sum()) * inter.volume / n**3
