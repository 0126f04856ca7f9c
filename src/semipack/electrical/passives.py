"""Values of the thin-film passives drawn in a package's wiring (seed 002 claims 10-12).

Inductor: a square spiral, valued by Mohan's three expressions and by a Greenhouse sum
over the drawn centre line. Resistor: sheet resistance times squares along the meander.
Interdigital capacitor: Bahl/Alley over the nearest conductor below (the die or the metal
substrate). Plate capacitor (the filter's C): parallel plate to that conductor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from semipack.electrical import formulas as fm
from semipack.geometry import Box, Trace
from semipack.model import Body, Package, PassiveElement, Role


@dataclass(frozen=True)
class PassiveValue:
    body: str
    kind: str
    value: float
    unit: str
    method: str
    detail: str


def _height_over_ground(b: Body, pkg: Package) -> tuple[float, float]:
    """Dielectric height between a body and the conductor under it (die or metal substrate), and its er."""
    grounds = pkg.by_role(Role.METAL_SUBSTRATE) + pkg.by_role(Role.CARRIER) + pkg.by_role(Role.DIE)
    bb = b.solid.bbox
    under = [
        g.solid.bbox.hi[2]
        for g in grounds
        if g.solid.bbox.hi[2] <= bb.lo[2] + 1e-12
        and g.solid.bbox.lo[0] < bb.hi[0]
        and bb.lo[0] < g.solid.bbox.hi[0]
        and g.solid.bbox.lo[1] < bb.hi[1]
        and bb.lo[1] < g.solid.bbox.hi[1]
    ]
    top = max(under, default=0.0)
    diel = [d for d in pkg.by_role(Role.DIELECTRIC) if d.solid.bbox.lo[2] <= b.solid.bbox.lo[2]]
    eps = pkg.materials[diel[0].material].permittivity if diel else None
    return max(b.solid.bbox.lo[2] - top, 1e-6), eps or 3.0


def _segments(t: Trace) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    return [(a, b) for a, b in zip(t.points[:-1], t.points[1:], strict=True) if math.dist(a, b) > 0]


def passive_values(pkg: Package) -> list[PassiveValue]:
    out: list[PassiveValue] = []
    for b in pkg.by_role(Role.PASSIVE):
        s, element = b.solid, (b.passive.element if b.passive is not None else None)
        mat = pkg.materials[b.material]
        rho = mat.resistivity_ohm_m or 0.0
        if isinstance(s, Trace) and element is PassiveElement.SPIRAL:
            turns = max(len(s.points) // 5, 1)
            bb = s.bbox
            d_out = bb.hi[0] - bb.lo[0]
            w = s.width
            t = s.z1 - s.z0
            gap = 2 * w  # the builder's line pitch is 3 w
            l_gh = fm.l_greenhouse(_segments(s), w, t)
            try:
                l_mw = fm.l_wheeler(turns, d_out, w, gap)
                l_cs = fm.l_current_sheet(turns, d_out, w, gap)
                l_mo = fm.l_monomial(turns, d_out, w, gap)
                detail = f"n={turns}, d_out={d_out * 1e6:.0f} um, w={w * 1e6:.0f} um, s={gap * 1e6:.0f} um; Mohan: Wheeler {l_mw * 1e9:.3f}, current sheet {l_cs * 1e9:.3f}, monomial {l_mo * 1e9:.3f} nH"
            except ValueError:
                l_mw = l_gh
                detail = "outside Mohan's geometry"
            out.append(
                PassiveValue(
                    b.name,
                    "inductor",
                    l_mw,
                    "H",
                    "Mohan modified Wheeler",
                    detail + f"; Greenhouse sum {l_gh * 1e9:.3f} nH",
                )
            )
        elif isinstance(s, Trace) and element is PassiveElement.MEANDER:
            length = sum(math.dist(a, c) for a, c in _segments(s))
            rs = fm.r_sheet(rho, s.z1 - s.z0)
            out.append(
                PassiveValue(
                    b.name,
                    "resistor",
                    fm.r_thin_film(rs, length, s.width),
                    "ohm",
                    "sheet resistance x squares",
                    f"R_s={rs * 1e3:.2f} mohm/sq, {length / s.width:.0f} squares",
                )
            )
        elif isinstance(s, Box) and element is PassiveElement.PLATE:
            h, eps = _height_over_ground(b, pkg)
            area = (s.hi[0] - s.lo[0]) * (s.hi[1] - s.lo[1])
            out.append(
                PassiveValue(
                    b.name,
                    "capacitor",
                    fm.c_parallel_plate(area, h, eps),
                    "F",
                    "parallel plate to the conductor below",
                    f"A={area * 1e6:.4g} mm2, d={h * 1e6:.3g} um, er={eps:g}",
                )
            )
    fingers: dict[str, list[Body]] = {}  # by device, in build order
    for b in pkg.by_role(Role.PASSIVE):
        if b.passive is not None and b.passive.element is PassiveElement.FINGER:
            fingers.setdefault(b.passive.device, []).append(b)
    out += [v for device, fs in fingers.items() if (v := _interdigital(pkg, device, fs)) is not None]
    return out


def _interdigital(pkg: Package, device: str, fingers: list[Body]) -> PassiveValue | None:
    """The interdigital capacitor ``device`` from its (at least one) fingers (Bahl; Alley);
    None with fewer than three fingers or no overlap."""
    first = fingers[0]
    assert isinstance(first.solid, Trace)
    seg = _segments(first.solid)
    overlap = max(math.dist(a, c) for a, c in seg) if seg else 0.0
    h, eps = _height_over_ground(first, pkg)
    n = len(fingers)
    if n < 3 or not overlap > 0:
        return None
    return PassiveValue(
        device,
        "capacitor",
        fm.c_interdigital(n, overlap, first.solid.width, h, eps),
        "F",
        "interdigital (Bahl/Alley)",
        f"{n} fingers, overlap {overlap * 1e6:.0f} um, W={first.solid.width * 1e6:.0f} um, h={h * 1e6:.3g} um, er={eps:g}",
    )
