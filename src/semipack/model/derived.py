"""The quantities users ask first: size, height, die ratio, mass, terminals and pitch."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from semipack.geometry import Box, overlap_volume
from semipack.model.package import Package
from semipack.model.roles import TERMINAL_ROLES, Role


@dataclass(frozen=True)
class Summary:
    """Key dimensions of a package (SI units)."""

    body_x_m: float
    body_y_m: float
    total_height_m: float
    die_x_m: float
    die_y_m: float
    package_to_die_ratio: float
    package_to_die_area_ratio: float
    mass_kg: float
    terminal_count: int
    terminal_pitch_m: float | None
    die_count: int
    body_count: int
    net_count: int


def _effective_volumes(pkg: Package) -> dict[str, float]:
    """Volumes with each filler reduced by the solid bodies inside its envelope."""
    vols = {b.name: b.solid.volume for b in pkg.bodies}
    solids = [b for b in pkg.bodies if not b.is_filler]
    lo = np.array([b.solid.bbox.lo for b in solids]) if solids else np.zeros((0, 3))
    hi = np.array([b.solid.bbox.hi for b in solids]) if solids else np.zeros((0, 3))
    for f in pkg.bodies:
        if not f.is_filler:
            continue
        fb = f.solid.bbox
        near = np.all((lo < fb.hi) & (hi > fb.lo), axis=1)
        inside = np.all((lo >= fb.lo) & (hi <= fb.hi), axis=1)
        taken = 0.0
        for k in np.flatnonzero(near):
            s = solids[k]
            if inside[k] and not (isinstance(f.solid, Box) and f.solid.cutouts):  # only boxes have cut-outs
                taken += s.solid.volume
            else:
                taken += overlap_volume(f.solid, s.solid, n=10)
        vols[f.name] = max(vols[f.name] - taken, 0.0)
    return vols


def summarize(pkg: Package) -> Summary:
    """Compute the `Summary` of a package.

    The body size is the x-y extent of everything except the external terminals; the
    package-to-die ratio is the larger of the two linear ratios (the seed 001 criterion:
    within 10 % of the die).
    """
    core = [b for b in pkg.bodies if b.role not in TERMINAL_ROLES]
    lo = np.min([b.solid.bbox.lo for b in core], axis=0)
    hi = np.max([b.solid.bbox.hi for b in core], axis=0)
    full = pkg.bbox
    dies = pkg.by_role(Role.DIE)
    die = max(dies, key=lambda d: d.solid.bbox.size[0] * d.solid.bbox.size[1]) if dies else None
    dx, dy = (die.solid.bbox.size[0], die.solid.bbox.size[1]) if die else (float("nan"), float("nan"))
    bx, by = float(hi[0] - lo[0]), float(hi[1] - lo[1])
    vols = _effective_volumes(pkg)
    mass = sum(vols[b.name] * pkg.materials[b.material].density_kg_m3 for b in pkg.bodies)
    terms = [b for b in pkg.bodies if b.role in TERMINAL_ROLES]
    pitch = None
    if len(terms) >= 2:
        # Imported here: scipy.spatial costs 0.6 s, and loading a design should not pay it.
        from scipy.spatial import cKDTree

        c = np.array([[(b.solid.bbox.lo[i] + b.solid.bbox.hi[i]) / 2 for i in (0, 1)] for b in terms])
        d, _ = cKDTree(c).query(c, k=2)
        pitch = float(np.min(d[:, 1]))
    return Summary(
        body_x_m=bx,
        body_y_m=by,
        total_height_m=full.size[2],
        die_x_m=dx,
        die_y_m=dy,
        package_to_die_ratio=max(bx / dx, by / dy) if die else float("nan"),
        package_to_die_area_ratio=(bx * by) / (dx * dy) if die else float("nan"),
        mass_kg=mass,
        terminal_count=len(terms),
        terminal_pitch_m=pitch,
        die_count=len(dies),
        body_count=len(pkg.bodies),
        net_count=len(pkg.nets),
    )
