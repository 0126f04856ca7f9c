"""Interfaces of a package's moisture domain and what the moisture does there at reflow.

An interface is every grid face between cells of two different bodies where at least
one side holds water, grouped by the pair of bodies; faces between the layers of a
laminate substrate, and faces to the balls or the air, are left out (the package's
own interfaces are the ones J-STD-020 inspects for delamination).

At each face, the vapour pressure in an interface void follows the local moisture in
the polymer facing it (Kitano et al. 1988: the pressure "depends on the moisture
content at the part of the plastic facing the space"): the water in the polymer's free
volume ``f`` as an ideal gas, ``p = C R T / (f M)``, capped at the saturated-steam
pressure at the temperature (beyond it the water stays partly liquid; Fan, Zhou, Zhang,
Ernst 2005). The hygroscopic mismatch strain is ``|beta_1 C_1 - beta_2 C_2|`` across the
face (0 for an impermeable side).

References
----------
Kitano, Nishimura, Kawai, Nishi, "Analysis of package cracking during reflow soldering
process", Proc. 26th IRPS, 90 (1988).
Fan, Zhou, Zhang, Ernst, "A micromechanics-based vapor pressure model in electronic
packages", J. Electron. Packag. 127(3), 262 (2005).
Chen, Zhou, Chu, Zhang, Fan, "A review on water vapor pressure model for moisture
permeable materials subjected to rapid heating", Appl. Mech. Rev. 70(2), 020803 (2018).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from semipack.model import Package
from semipack.model.roles import Role
from semipack.moisture.domain import PackageDomain
from semipack.moisture.solver import Array, axis_views
from semipack.moisture.steam import M_WATER_KG_MOL, R_J_MOLK, saturation_pressure_pa

# Roles inside a laminate substrate, and terminals: faces between two of these are
# not reported as package interfaces.
_LAMINATE = frozenset(
    {Role.SUBSTRATE, Role.DIELECTRIC, Role.PASSIVATION, Role.VIA, Role.PLANE, Role.LAND, Role.TRACE, Role.BALL}
)
_TERMINALS = frozenset({Role.BALL, Role.TERMINAL_BUMP, Role.PIN, Role.WIRE})
# Interfaces at the die and its attach: where Galloway and Miles (1997) tied popcorn to
# the moisture concentration.
DIE_ROLES = frozenset({Role.DIE, Role.DIE_ATTACH})

DEFAULT_FREE_VOLUME = 0.05


@dataclass(frozen=True)
class InterfaceMoisture:
    """Moisture at one interface (the worst face of it).

    Attributes
    ----------
    lower, upper
        The two bodies (sorted by name).
    concentration_kg_m3
        The larger moisture concentration of the two sides at the face where the vapour
        pressure is highest.
    activity
        Moisture activity there (equivalent relative humidity, 0-1, continuous).
    vapour_pressure_pa
        Vapour pressure an interface void would hold there.
    saturated
        True when that pressure is the saturated-steam pressure (water left liquid).
    mismatch_strain
        Largest hygroscopic mismatch strain across the interface.
    die_region_kg_m3
        For an interface of the die attach, the attach's largest concentration; of the
        die, the largest concentration facing it; None elsewhere (Galloway and Miles'
        popcorn criterion reads the die-attach region).

    Bodies named with a trailing number (``lead12``, ``die_finger3``) are grouped as
    ``lead*``: the worst of them is reported.
    """

    lower: str
    upper: str
    concentration_kg_m3: float
    activity: float
    vapour_pressure_pa: float
    saturated: bool
    mismatch_strain: float
    die_region_kg_m3: float | None

    @property
    def name(self) -> str:
        return f"{self.lower} / {self.upper}"


def vapour_pressure_pa(concentration_kg_m3: float, temperature_k: float, free_volume: float) -> float:
    """Ideal-gas pressure of ``C`` held in the free volume, capped at saturation (see module notes)."""
    return min(
        concentration_kg_m3 / free_volume * R_J_MOLK * temperature_k / M_WATER_KG_MOL,
        saturation_pressure_pa(temperature_k),
    )


def _die_side(r0: Role, r1: Role, c0: float, c1: float) -> float:
    """The concentration Galloway and Miles' criterion reads at a face, NaN where it does not apply."""
    if r0 is Role.DIE_ATTACH:
        return c0
    if r1 is Role.DIE_ATTACH:
        return c1
    if r0 is Role.DIE:
        return c1
    if r1 is Role.DIE:
        return c0
    return math.nan


def interface_moisture(
    pkg: Package, pd: PackageDomain, activity: Array, temperature_k: float, free_volume: float = DEFAULT_FREE_VOLUME
) -> tuple[InterfaceMoisture, ...]:
    """Every package interface's moisture at ``activity`` and ``temperature_k`` (worst pressure first)."""
    dom = pd.domain
    conc = np.where(dom.active, dom.capacity * activity, 0.0)
    swell = pd.beta() * conc
    roles = [b.role for b in pkg.bodies]
    bodies = pkg.bodies
    names = [re.sub(r"\d+$", "*", b.name) for b in bodies]
    groups: dict[tuple[str, str], list[tuple[float, float, float, float]]] = defaultdict(list)
    for ax in range(3):
        o0, o1 = axis_views(pd.owner, ax)
        c0, c1 = axis_views(conc, ax)
        a0, a1 = axis_views(activity, ax)
        s0, s1 = axis_views(swell, ax)
        act0, act1 = axis_views(dom.active, ax)
        m = (o0 != o1) & (o0 >= 0) & (o1 >= 0) & (act0 | act1)
        for i0, i1, cc0, cc1, aa0, aa1, ss0, ss1 in zip(
            o0[m], o1[m], c0[m], c1[m], a0[m], a1[m], s0[m], s1[m], strict=True
        ):
            r0, r1 = roles[i0], roles[i1]
            if (r0 in _LAMINATE and r1 in _LAMINATE) or r0 in _TERMINALS or r1 in _TERMINALS:
                continue
            if names[i0] == names[i1]:
                continue
            key = (names[i0], names[i1]) if names[i0] < names[i1] else (names[i1], names[i0])
            c, a = (cc0, aa0) if cc0 >= cc1 else (cc1, aa1)
            groups[key].append((float(c), float(a), float(abs(ss0 - ss1)), _die_side(r0, r1, float(cc0), float(cc1))))
    p_sat = saturation_pressure_pa(temperature_k)
    out = []
    for (lo, hi), faces in groups.items():
        c, a, _, _ = max(faces, key=lambda f: f[0])
        p = vapour_pressure_pa(c, temperature_k, free_volume)
        die = [f[3] for f in faces if not math.isnan(f[3])]
        out.append(
            InterfaceMoisture(
                lo, hi, c, a, p, p >= p_sat * (1 - 1e-12), max(f[2] for f in faces), max(die) if die else None
            )
        )
    return tuple(sorted(out, key=lambda i: (-i.vapour_pressure_pa, -i.concentration_kg_m3, i.name)))
