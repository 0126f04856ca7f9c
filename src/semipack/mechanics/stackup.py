"""The layered stack of a package through one (x, y) point, and its CLT warpage estimate."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from semipack.geometry import Box
from semipack.mechanics.laminate import Layer, PlateResponse, decoupled_response, initial_strain, sag, thermal_strain
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


def layers_at(
    pkg: Package,
    x: float,
    y: float,
    t_ref_k: float,
    t_k: float,
    stack: list[tuple[str, str, float, float]] | None = None,
    props_k: float | None = None,
    initial: bool = False,
) -> list[Layer]:
    """CLT layers through (x, y) at temperature ``t_k`` (stress-free at ``t_ref_k``), moduli above Tg where they apply.

    ``stack`` is ``stack_at(pkg, x, y)`` when the caller already has it (it does not
    depend on temperature); ``props_k`` the temperature the moduli are taken at (``t_k``).
    ``initial``: the layers' own stress-free offsets and cure shrinkage at ``t_ref_k``
    (`initial_strain`) instead of the thermal strain to ``t_k``.
    """
    out = []
    e_k = t_k if props_k is None else props_k
    for name, mat_key, z0, z1 in stack_at(pkg, x, y) if stack is None else stack:
        m = pkg.materials[mat_key]
        eps = initial_strain(m, t_ref_k) if initial else thermal_strain(m, t_ref_k, t_k)
        out.append(Layer(z1 - z0, m.youngs_at(e_k), m.poisson, eps, name))
    return out


@dataclass(frozen=True)
class CltWarpage:
    temperature_k: float
    curvature_per_m: float
    warpage_m: float
    points: tuple[tuple[float, float, float], ...]  # (x, y, curvature) sampled


def column_cells(pkg: Package, samples: int | None = None) -> list[tuple[float, float, float]]:
    """(x, y, area) of the columns a plate estimate averages over.

    By default the footprint is cut along the edges of every large structural body
    (a block covering at least 1 % of the package's footprint: substrate, die, mould,
    spreader, sink, carrier); the stack is the same all over each rectangle, so the
    area-weighted mean over rectangle centres is exact for them and moves smoothly as a
    die grows. Small bodies (vias, traces) count where a centre lands on them. With
    ``samples`` (or when the large bodies cut more than 24 lines per axis) the footprint
    is a samples x samples grid of equal cells instead. (Fixed points placed anywhere
    else weight whatever they land on: the old 5 x 5 points at 1/6 .. 5/6 of the body
    made the PBGA's warpage jump from 40 to 105 um between 8.9 and 9.1 mm dies.)
    """
    bb = pkg.bbox
    lx, ly = bb.hi[0] - bb.lo[0], bb.hi[1] - bb.lo[1]
    if samples is None:
        big = [
            b.solid.bbox
            for b in pkg.bodies
            if b.role not in NON_STRUCTURAL
            and isinstance(b.solid, Box)
            and (b.solid.bbox.hi[0] - b.solid.bbox.lo[0]) * (b.solid.bbox.hi[1] - b.solid.bbox.lo[1]) >= 0.01 * lx * ly
        ]
        xs = np.unique(np.round([v for c in big for v in (c.lo[0], c.hi[0])] + [bb.lo[0], bb.hi[0]], 12))
        ys = np.unique(np.round([v for c in big for v in (c.lo[1], c.hi[1])] + [bb.lo[1], bb.hi[1]], 12))
        xs = xs[(xs >= bb.lo[0]) & (xs <= bb.hi[0])]
        ys = ys[(ys >= bb.lo[1]) & (ys <= bb.hi[1])]
        if len(xs) <= 25 and len(ys) <= 25:
            return [
                (float(0.5 * (x0 + x1)), float(0.5 * (y0 + y1)), float((x1 - x0) * (y1 - y0)))
                for x0, x1 in itertools.pairwise(xs)
                for y0, y1 in itertools.pairwise(ys)
                if x1 - x0 > 1e-9 and y1 - y0 > 1e-9
            ]
        samples = 15
    cx = bb.lo[0] + (np.arange(samples) + 0.5) * lx / samples
    cy = bb.lo[1] + (np.arange(samples) + 0.5) * ly / samples
    return [(float(x), float(y), lx * ly / samples**2) for x in cx for y in cy]


ColumnStack = tuple[float, float, float, list[tuple[str, str, float, float]]]


def column_stacks(pkg: Package, samples: int | None = None) -> list[ColumnStack]:
    """(x, y, area, ``stack_at``) of each column of `column_cells`: the geometry a curve over
    temperature reuses at every temperature."""
    return [(x, y, area, stack_at(pkg, x, y)) for x, y, area in column_cells(pkg, samples)]


def column_responses(
    pkg: Package,
    t_ref_k: float,
    t_k: float,
    samples: int | None = None,
    stacks: list[ColumnStack] | None = None,
    props_k: float | None = None,
    initial: bool = False,
) -> list[tuple[float, float, float, PlateResponse]]:
    """(x, y, area, free plate response) of the stack of each column of `column_cells`.

    A compliant bond line in a column decouples the layers above it over the shear-lag
    length (`decoupled_response`, half-span = half the body's shorter side).
    """
    bb = pkg.bbox
    half = 0.5 * min(bb.hi[0] - bb.lo[0], bb.hi[1] - bb.lo[1])
    out = []
    for x, y, area, stack in column_stacks(pkg, samples) if stacks is None else stacks:
        layers = layers_at(pkg, x, y, t_ref_k, t_k, stack, props_k, initial)
        if layers:
            out.append((x, y, area, decoupled_response(layers, half)))
    return out


def clt_warpage(
    pkg: Package,
    t_ref_k: float,
    t_k: float,
    samples: int | None = None,
    stacks: list[ColumnStack] | None = None,
    props_k: float | None = None,
    initial: bool = False,
) -> CltWarpage:
    """Fast warpage estimate: the area-averaged CLT curvature of the columns (`column_cells`), over the diagonal.

    The sag over the package diagonal d is kappa d^2 / 8; positive = smile (top face concave).
    ``stacks`` (from `column_stacks`) saves re-slicing the package at each temperature.
    """
    bb = pkg.bbox
    cols = column_responses(pkg, t_ref_k, t_k, samples, stacks, props_k, initial)
    pts = [(x, y, r.curvature_per_m) for x, y, _, r in cols]
    kappa = float(np.average([p[2] for p in pts], weights=[a for _, _, a, _ in cols])) if pts else 0.0
    diag = math.hypot(bb.hi[0] - bb.lo[0], bb.hi[1] - bb.lo[1])
    return CltWarpage(t_k, kappa, sag(kappa, diag), tuple(pts))
