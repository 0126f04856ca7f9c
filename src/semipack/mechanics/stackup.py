"""The layered stack of a package through one (x, y) point, and its CLT warpage estimate."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from semipack.mechanics.laminate import Layer, PlateResponse, free_response, sag, thermal_strain
from semipack.model import Package, Role

# Terminals and wires do not carry the package's bending; they are left out of the stack.
NON_STRUCTURAL = frozenset({Role.BALL, Role.PIN, Role.TERMINAL_BUMP, Role.WIRE, Role.TAPE, Role.LAND, Role.LEAD})


def stack_at(pkg: Package, x: float, y: float) -> list[tuple[str, str, float, float]]:
    """(body, material, z0, z1) of each slab through (x, y), bottom to top (voids skipped)."""
    cands = [
        b
        for b in pkg.bodies
        if b.role not in NON_STRUCTURAL
        and b.solid.bbox.lo[0] <= x <= b.solid.bbox.hi[0]
        and b.solid.bbox.lo[1] <= y <= b.solid.bbox.hi[1]
    ]
    zs = sorted({z for b in cands for z in (b.solid.bbox.lo[2], b.solid.bbox.hi[2])})
    out: list[tuple[str, str, float, float]] = []
    for z0, z1 in itertools.pairwise(zs):
        if z1 - z0 < 1e-9:
            continue
        pt = np.array([[x, y, 0.5 * (z0 + z1)]])
        inside = [b for b in cands if bool(b.solid.contains(pt)[0])]
        if not inside:
            continue
        # A filler yields to what sits inside it (the same rule as the thermal raster).
        solid = [b for b in inside if not b.is_filler] or inside
        b = solid[0]
        if out and out[-1][0] == b.name and abs(out[-1][3] - z0) < 1e-12:
            out[-1] = (b.name, b.material, out[-1][2], z1)
        else:
            out.append((b.name, b.material, z0, z1))
    return out


def layers_at(pkg: Package, x: float, y: float, t_ref_k: float, t_k: float) -> list[Layer]:
    """CLT layers through (x, y) at temperature ``t_k`` (stress-free at ``t_ref_k``), moduli above Tg where they apply."""
    out = []
    for name, mat_key, z0, z1 in stack_at(pkg, x, y):
        m = pkg.materials[mat_key]
        out.append(Layer(z1 - z0, m.youngs_at(t_k), m.poisson, thermal_strain(m, t_ref_k, t_k), name))
    return out


@dataclass(frozen=True)
class CltWarpage:
    temperature_k: float
    curvature_per_m: float
    warpage_m: float
    points: tuple[tuple[float, float, float], ...]  # (x, y, curvature) sampled


def column_responses(
    pkg: Package, t_ref_k: float, t_k: float, samples: int = 5
) -> list[tuple[float, float, PlateResponse]]:
    """The free plate response of the stack under each of samples x samples evenly spread points."""
    bb = pkg.bbox
    xs = np.linspace(bb.lo[0], bb.hi[0], samples + 2)[1:-1]
    ys = np.linspace(bb.lo[1], bb.hi[1], samples + 2)[1:-1]
    out = []
    for x in xs:
        for y in ys:
            layers = layers_at(pkg, float(x), float(y), t_ref_k, t_k)
            if layers:
                out.append((float(x), float(y), free_response(layers)))
    return out


def clt_warpage(pkg: Package, t_ref_k: float, t_k: float, samples: int = 5) -> CltWarpage:
    """Fast warpage estimate: CLT curvature on a samples x samples grid of columns, averaged, over the diagonal.

    The sag over the package diagonal d is kappa d^2 / 8; positive = smile (top face concave).
    """
    bb = pkg.bbox
    pts = [(x, y, r.curvature_per_m) for x, y, r in column_responses(pkg, t_ref_k, t_k, samples)]
    kappa = float(np.mean([p[2] for p in pts])) if pts else 0.0
    diag = math.hypot(bb.hi[0] - bb.lo[0], bb.hi[1] - bb.lo[1])
    return CltWarpage(t_k, kappa, sag(kappa, diag), tuple(pts))
