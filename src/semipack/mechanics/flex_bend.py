"""Minimum bend radius of a single-conductor-layer flex (IPC-2223) with a crease floor.

References
----------
IPC-2223, Sectional Design Standard for Flexible Printed Boards, section 5.2.3.4.1:
for a single-sided flex the minimum inside bend radius is

    R = (c / 2) * (100 - E_B) / E_B - D

with c the copper thickness, E_B the copper's allowable elongation in per cent and D
the dielectric (cover) thickness on the inside of the bend. It is the radius at which
the copper's outer fibre, at c/2 from the neutral axis, reaches E_B.

The formula reaches zero or below for thin, ductile copper (12 um rolled-annealed
copper under 25 um of cover film gives about 0). semipack then applies a floor of one
total flex thickness: a 180 degree fold tighter than the sheet's own thickness creases
the film whatever the copper allows (a rule of semipack's, stated, not IPC's).
"""

from __future__ import annotations

from dataclasses import dataclass

from semipack.model import Body, Package, Role
from semipack.model.flex import FlexPiece


def ipc2223_single_sided(copper_m: float, cover_m: float, elongation: float) -> float:
    """IPC-2223 minimum inside radius (m); may be <= 0 for thin, ductile copper.

    ``elongation`` is a fraction (0.16 = 16 %).
    """
    if not 0.0 < elongation < 1.0:
        raise ValueError("elongation must be a fraction between 0 and 1")
    eb = 100.0 * elongation
    return (copper_m / 2.0) * (100.0 - eb) / eb - cover_m


def min_bend_radius(copper_m: float, cover_m: float, total_m: float, elongation: float) -> float:
    """Minimum inside bend radius (m): the IPC-2223 value, but at least the flex's total thickness."""
    return max(ipc2223_single_sided(copper_m, cover_m, elongation), total_m)


@dataclass(frozen=True)
class BendCheck:
    """Copper strain at one curved portion of a flex and its verdict."""

    bend: str
    inner_radius_m: float
    neutral_offset_m: float
    copper_strain_max: float
    allowable_strain: float
    min_radius_m: float

    @property
    def passes(self) -> bool:
        return self.copper_strain_max <= self.allowable_strain and self.inner_radius_m >= self.min_radius_m


def _stem(names: list[str]) -> str:
    """The names' common start without its trailing ``_`` (``flex_bend1`` for ``flex_bend1_inner``, ``_cu``, ...): a label only."""
    first, last = min(names), max(names)
    n = next((i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b), min(len(first), len(last)))
    return first[:n].rstrip("_")


def bend_checks(pkg: Package) -> list[BendCheck]:
    """Every curved portion of a flex: copper strain from the stack's own neutral axis.

    The sheets of one bend (film, copper, film) share a centre; with each sheet's radial
    position r and modulus E the neutral radius is r_n = sum E t r / sum E t (thin
    sheets), and a copper fibre at radius r strains by (r - r_n) / r_n. The copper's
    extreme fibres are checked against its allowable elongation (``elongation`` in the
    materials library).
    """
    from semipack.geometry import BentSheet

    # The sheets of one bend are those whose flex part names that bend (Body.flex), not a name pattern.
    groups: dict[int, list[Body]] = {}
    for b in pkg.bodies:
        if isinstance(b.solid, BentSheet) and b.flex is not None and b.flex.piece is FlexPiece.BEND:
            groups.setdefault(b.flex.index, []).append(b)
    out = []
    for index, sheets in sorted(groups.items()):
        key = _stem([b.name for b in sheets]) or f"bend {index}"
        num = den = 0.0
        for b in sheets:
            s = b.solid
            assert isinstance(s, BentSheet)
            e = pkg.materials[b.material].youngs_pa
            r_mid = s.inner_radius + s.thickness / 2
            num += e * s.thickness * r_mid
            den += e * s.thickness
        r_n = num / den
        strains = []
        allow = 1.0
        cu_t = cover = total = 0.0
        inner = min(b.solid.inner_radius for b in sheets if isinstance(b.solid, BentSheet))
        outer = max(b.solid.outer_radius for b in sheets if isinstance(b.solid, BentSheet))
        total = outer - inner
        for b in sheets:
            s = b.solid
            assert isinstance(s, BentSheet)
            if b.role is Role.FLEX_CONDUCTOR:
                mat = pkg.materials[b.material]
                allow = min(allow, mat.elongation if mat.elongation is not None else 0.10)
                for r in (s.inner_radius, s.outer_radius):
                    strains.append(abs(r - r_n) / r_n)
                cu_t = s.thickness
                cover = s.inner_radius - inner
        r_min = min_bend_radius(cu_t, cover, total, allow) if cu_t > 0 else total
        out.append(BendCheck(key, inner, r_n - inner - total / 2, max(strains, default=0.0), allow, r_min))
    return out
