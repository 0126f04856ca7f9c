"""Resistance and inductance of one conductor body, from its solid and material.

Each body is taken end to end along its current path: a wire or trace along its
polyline, a via, column, land or pin vertically, a ball between its truncation planes,
a box along its longest side, a bent flex conductor along its arc.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from semipack.electrical import formulas as fm
from semipack.geometry import Ball, BentSheet, Box, Cylinder, Trace, Wire
from semipack.model import Body, Package
from semipack.model.roles import CONDUCTOR_ROLES


@dataclass(frozen=True)
class Settings:
    """Assumptions for what the model does not draw, all stated and settable.

    route_width_m, route_thickness_m
        Copper cross-section of a route through a smeared laminate (BGA substrate, flex):
        50 um x 18 um (half-ounce copper, a common BGA substrate trace).
    temperature_k
        Conductor temperature for R(T); 293.15 K (20 C) by default.
    body_temperature_k
        Per-body temperatures (from a thermal result, `temperatures_from`) that override
        ``temperature_k`` body by body.
    """

    route_width_m: float = 50e-6
    route_thickness_m: float = 18e-6
    temperature_k: float = 293.15
    body_temperature_k: Mapping[str, float] = field(default_factory=dict)

    def temperature_of(self, name: str) -> float:
        return self.body_temperature_k.get(name, self.temperature_k)


def temperatures_from(
    pkg: Package, temperature_k: np.ndarray, x: Sequence[float], y: Sequence[float], z: Sequence[float]
) -> dict[str, float]:
    """Each conductor body's temperature: the thermal field at the cell holding its centre.

    ``temperature_k`` is a cell field on the grid with faces ``x``, ``y``, ``z`` (a
    `semipack.thermal.ThermalResult`'s ``temperature_k`` and ``grid``).
    """
    out: dict[str, float] = {}
    xs, ys, zs = (np.asarray(v) for v in (x, y, z))
    for b in pkg.bodies:
        if b.role not in CONDUCTOR_ROLES:
            continue
        bb = b.solid.bbox
        c = [(bb.lo[i] + bb.hi[i]) / 2 for i in range(3)]
        idx = [int(np.clip(np.searchsorted(f, v) - 1, 0, len(f) - 2)) for f, v in zip((xs, ys, zs), c, strict=True)]
        out[b.name] = float(temperature_k[idx[0], idx[1], idx[2]])
    return out


def _polyline_length(points: tuple[tuple[float, ...], ...]) -> float:
    return sum(math.dist(a, b) for a, b in itertools.pairwise(points))


def length_of(b: Body) -> float:
    s = b.solid
    if isinstance(s, Wire):
        return _polyline_length(s.points)
    if isinstance(s, Trace):
        return _polyline_length(s.points)
    if isinstance(s, Cylinder):
        return s.z1 - s.z0
    if isinstance(s, Ball):
        return s.z1 - s.z0
    if isinstance(s, BentSheet):
        return math.pi * (s.inner_radius + s.thickness / 2)
    bb = s.bbox
    return max(bb.hi[i] - bb.lo[i] for i in range(3))


def resistance(b: Body, pkg: Package, temperature_k: float = 293.15) -> float:
    """End-to-end DC resistance of a conductor body (ohm) at ``temperature_k``."""
    mat = pkg.materials[b.material]
    rho = mat.resistivity_ohm_m
    if rho is None:
        raise ValueError(f"{b.name}: material {b.material} has no resistivity")
    s = b.solid
    if isinstance(s, Wire):
        length = _polyline_length(s.points)
        r = (
            fm.r_rect(rho, length, s.diameter, s.thickness)
            if s.thickness > 0
            else fm.r_round(rho, length, s.diameter / 2)
        )
    elif isinstance(s, Trace):
        r = fm.r_rect(rho, _polyline_length(s.points), s.width, s.z1 - s.z0)
    elif isinstance(s, Cylinder):
        r = fm.r_round(rho, s.z1 - s.z0, s.radius)
    elif isinstance(s, Ball):
        c = s.center[2]
        r = fm.r_truncated_sphere(rho, s.radius, max(s.z0 - c, -s.radius * 0.999), min(s.z1 - c, s.radius * 0.999))
    elif isinstance(s, BentSheet):
        r = fm.r_rect(rho, math.pi * (s.inner_radius + s.thickness / 2), s.span[1] - s.span[0], s.thickness)
    elif isinstance(s, Box):
        dims = sorted(s.hi[i] - s.lo[i] for i in range(3))
        r = fm.r_rect(rho, dims[2], dims[1], dims[0])
    else:  # pragma: no cover - every solid kind is handled above
        raise TypeError(type(s).__name__)
    return fm.r_at(r, mat.tcr_per_k, temperature_k)


def resistance_or_zero(b: Body, pkg: Package, temperature_k: float = 293.15) -> float:
    """`resistance`, or 0 for a conductor whose material has no resistivity in the library."""
    try:
        return resistance(b, pkg, temperature_k)
    except ValueError:
        return 0.0


# A route through a laminate is annealed copper (IACS, TCR per IEC 60028) of the
# cross-section `Settings` states.
ROUTE_RESISTIVITY_OHM_M = 1.7241e-8
ROUTE_TCR_PER_K = 3.93e-3


def route_resistance(length_m: float, s: Settings) -> float:
    """DC resistance of a route through a smeared laminate at ``s.temperature_k``."""
    r20 = fm.r_rect(ROUTE_RESISTIVITY_OHM_M, length_m, s.route_width_m, s.route_thickness_m)
    return fm.r_at(r20, ROUTE_TCR_PER_K, s.temperature_k)


def inductance(b: Body) -> float:
    """Partial self-inductance of a conductor body (H); 0 for bodies too squat to matter."""
    s = b.solid
    if isinstance(s, Wire):
        length = _polyline_length(s.points)
        return fm.l_bar(length, s.diameter, s.thickness) if s.thickness > 0 else fm.l_round(length, s.diameter / 2)
    if isinstance(s, Trace):
        return sum(
            fm.l_bar(math.dist(a, c), s.width, s.z1 - s.z0)
            for a, c in zip(s.points[:-1], s.points[1:], strict=True)
            if math.dist(a, c) > 0
        )
    if isinstance(s, Cylinder):
        return fm.l_round(s.z1 - s.z0, s.radius)
    if isinstance(s, Ball):
        return fm.l_round(s.z1 - s.z0, s.radius)
    return 0.0
