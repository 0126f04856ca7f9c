"""Plane figures produced by sections and views: filled regions with holes, and thick lines."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array2 = NDArray[np.float64]


@dataclass(frozen=True)
class Region:
    """A filled polygon with optional holes, coordinates in metres (u, v)."""

    outer: tuple[tuple[float, float], ...]
    holes: tuple[tuple[tuple[float, float], ...], ...] = ()

    @property
    def area(self) -> float:
        return abs(_signed_area(self.outer)) - sum(abs(_signed_area(h)) for h in self.holes)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        pts = np.asarray(self.outer)
        return float(pts[:, 0].min()), float(pts[:, 1].min()), float(pts[:, 0].max()), float(pts[:, 1].max())

    def anchor(self) -> tuple[float, float]:
        """A point well inside the region (for leader lines): centre of the biggest free rectangle strip."""
        x0, y0, x1, y1 = self.bounds
        best = ((x0 + x1) / 2, (y0 + y1) / 2)
        best_score = -1.0
        for fy in (0.5, 0.3, 0.7, 0.15, 0.85):
            y = y0 + fy * (y1 - y0)
            for fx in (0.5, 0.3, 0.7, 0.15, 0.85, 0.05, 0.95):
                x = x0 + fx * (x1 - x0)
                if self.contains(x, y):
                    score = 1.0 - abs(fx - 0.5) - abs(fy - 0.5)
                    if score > best_score:
                        best, best_score = (x, y), score
            if best_score > 0.9:
                break
        return best

    def contains(self, x: float, y: float) -> bool:
        if not _point_in_polygon(x, y, self.outer):
            return False
        return not any(_point_in_polygon(x, y, h) for h in self.holes)


@dataclass(frozen=True)
class Polyline:
    """A drawn line of a given width (wires, tapes, traces seen edge-on)."""

    points: tuple[tuple[float, float], ...]
    width: float

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        pts = np.asarray(self.points)
        h = self.width / 2
        return (
            float(pts[:, 0].min() - h),
            float(pts[:, 1].min() - h),
            float(pts[:, 0].max() + h),
            float(pts[:, 1].max() + h),
        )

    def anchor(self) -> tuple[float, float]:
        mid = len(self.points) // 2
        return self.points[mid]


Shape2D = Region | Polyline


def rect(u0: float, v0: float, u1: float, v1: float) -> tuple[tuple[float, float], ...]:
    """Counter-clockwise rectangle."""
    return ((u0, v0), (u1, v0), (u1, v1), (u0, v1))


def reversed_ring(ring: tuple[tuple[float, float], ...]) -> tuple[tuple[float, float], ...]:
    return tuple(reversed(ring))


def circle(cu: float, cv: float, r: float, n: int = 48) -> tuple[tuple[float, float], ...]:
    t = np.linspace(0.0, 2 * np.pi, n, endpoint=False)
    return tuple((float(cu + r * np.cos(a)), float(cv + r * np.sin(a))) for a in t)


def _signed_area(ring: tuple[tuple[float, float], ...]) -> float:
    pts = np.asarray(ring)
    x, y = pts[:, 0], pts[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _point_in_polygon(x: float, y: float, ring: tuple[tuple[float, float], ...]) -> bool:
    inside = False
    n = len(ring)
    for i in range(n):
        x1, y1 = ring[i]
        x2, y2 = ring[(i + 1) % n]
        if (y1 > y) != (y2 > y):
            xi = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if xi > x:
                inside = not inside
    return inside
