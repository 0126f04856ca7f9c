"""A package as named, coloured triangle meshes: what every mesh format writes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from semipack.export.appearance import RGBA, color_of
from semipack.export.tessellate import Mesh, mesh_of
from semipack.model import Package


@dataclass(frozen=True)
class Part:
    """One body as a mesh, in metres in the package frame."""

    name: str
    role: str
    material: str
    color: RGBA
    mesh: Mesh


def parts(pkg: Package, segments: int = 32) -> tuple[Part, ...]:
    """Every body of ``pkg`` tessellated (``segments`` sides for round solids)."""
    return tuple(
        Part(b.name, b.role.value, b.material, color_of(pkg.material_of(b)), mesh_of(b.solid, segments))
        for b in pkg.bodies
    )


def seating_origin(pkg: Package) -> tuple[float, float, float]:
    """The offset that puts the package's centre at x = y = 0 and its lowest point at z = 0.

    KiCad places a footprint's 3D model on that origin: the footprint is centred, and
    the model's seating plane (ball or lead bottoms) lies on the board.
    """
    b = pkg.bbox
    lo, hi = np.asarray(b.lo), np.asarray(b.hi)
    return (float(-(lo[0] + hi[0]) / 2), float(-(lo[1] + hi[1]) / 2), float(-lo[2]))
