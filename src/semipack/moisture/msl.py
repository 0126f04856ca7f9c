"""An estimated moisture sensitivity level: the least strict J-STD-020 soak the package survives.

For each level from 1 (most severe soak) to 5a, the package is soaked from dry, reflowed
to its classification temperature, and its interfaces are judged at the peak against:

1. Popcorn: the moisture concentration in the die-attach region (the attach itself; at
   the die's other interfaces the polymer facing it) at most 4.8 kg/m^3. Galloway and
   Miles (1997) found popcorn failures of a 68 I/O PBGA in 230 C solder-dip tests when
   the die-attach region held more than 0.0048 g/cm^3.
2. Hygroscopic mismatch: at every interface of a polymer with an impermeable body (die,
   paddle, leads, spreader), the swelling mismatch ``|beta_1 C_1 - beta_2 C_2|`` at most
   ``strain_ratio`` times the thermal mismatch strain of the same pair from 25 C to the
   peak, ``|int (alpha_1 - alpha_2) dT|``: moisture then adds no more than the mismatch
   the interface sees in reflow anyway. Stellrecht, Han and Pecht (2004) measured
   hygroscopic mismatch strains at the chip/mould interface comparable to (and larger
   than) the thermal ones; Wong et al. (2002) found hygroscopic stress 1.3-1.5 times the
   thermal stress in PBGAs. Between two polymers (both swell, and their thermal mismatch
   can be near zero) the strain is reported, not judged.
3. Vapour pressure (only with ``adhesion_pa``): the interface vapour pressure at the
   peak at most the interface's hot adhesion strength. No default: adhesion at 260 C
   depends on the surfaces and the compound and must come from the user's own tests
   (button shear or tensile at temperature). Without it the pressure is reported only;
   note that it reaches the saturated-steam pressure (4.69 MPa at 260 C) as soon as
   the local moisture exceeds the free volume's saturated-vapour content.

The level is the first (least strict) that passes; none passing is level 6 (bake before
use). This is an estimate from representative material data, not a classification:
J-STD-020 classifies by soaking and reflowing parts and inspecting them (acoustic
microscopy, electrical test).

References
----------
IPC/JEDEC J-STD-020E (2014), sections 5-7.
Galloway and Miles, IEEE Trans. CPMT-A 20(3), 274 (1997).
Stellrecht, Han, Pecht, IEEE Trans. Compon. Packag. Technol. 27(3), 499 (2004).
Wong, Rajoo, Koh, Lim, J. Electron. Packag. 124(2), 122 (2002).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from semipack.errors import DesignError
from semipack.model import Package
from semipack.moisture.analysis import MoistureResult, run_levels
from semipack.moisture.conditions import Level
from semipack.moisture.domain import package_domain
from semipack.moisture.interfaces import DEFAULT_FREE_VOLUME, InterfaceMoisture
from semipack.moisture.properties import IMPERMEABLE, MoistureProperties

GALLOWAY_MILES_KG_M3 = 4.8


@dataclass(frozen=True)
class Criteria:
    """The MSL criteria (see module notes); SI units."""

    max_die_region_kg_m3: float = GALLOWAY_MILES_KG_M3
    strain_ratio: float = 1.0
    adhesion_pa: float | None = None

    def __post_init__(self) -> None:
        if not self.max_die_region_kg_m3 > 0:
            raise DesignError("max_concentration", self.max_die_region_kg_m3, "a concentration above 0 kg/m^3")
        if not self.strain_ratio > 0:
            raise DesignError("strain_ratio", self.strain_ratio, "a ratio above 0")
        if self.adhesion_pa is not None and not self.adhesion_pa > 0:
            raise DesignError("adhesion", self.adhesion_pa, "a strength above 0 Pa")


@dataclass(frozen=True)
class LevelCheck:
    """One level's verdict: the soak's result and every criterion it breaks (empty: passes)."""

    level: Level
    result: MoistureResult
    failures: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class MslResult:
    """The estimated MSL ('1' ... '5a', or '6' when no level passes) and each level's check."""

    package: str
    msl: str
    criteria: Criteria
    checks: tuple[LevelCheck, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (SI units): the level, the study record, the criteria and each level."""
        crit = self.criteria
        return {
            "package": self.package,
            "msl": self.msl,
            **msl_record(self),
            "criteria": {
                "max_die_region_kg_m3": crit.max_die_region_kg_m3,
                "strain_ratio": crit.strain_ratio,
                "adhesion_pa": crit.adhesion_pa,
            },
            "levels": [_level_dict(c) for c in self.checks],
        }


def _level_dict(c: LevelCheck) -> dict[str, Any]:
    peak = c.result.at_peak.interfaces
    return {
        "level": c.level.value,
        "passed": c.passed,
        "failures": list(c.failures),
        "weight_gain_fraction": c.result.after_soak.moisture_kg / c.result.dry_mass_kg,
        "max_vapour_pressure_pa": max((i.vapour_pressure_pa for i in peak), default=0.0),
        "max_die_region_kg_m3": max(
            (i.die_region_kg_m3 for i in peak if i.die_region_kg_m3 is not None),
            default=None,
        ),
    }


def thermal_mismatch_strain(pkg: Package, a: str, b: str, t0_k: float, t1_k: float) -> float:
    """``|int_t0^t1 (alpha_a(T) - alpha_b(T)) dT|`` for materials ``a`` and ``b`` (1 K steps)."""
    ma, mb = pkg.materials[a], pkg.materials[b]
    ts = np.linspace(t0_k, t1_k, max(2, int(abs(t1_k - t0_k)) + 1))
    d = np.array([ma.cte_at(t) - mb.cte_at(t) for t in ts])
    return float(abs(np.trapezoid(d, ts)))


def _body_material(pkg: Package, name: str) -> str:
    base = name.rstrip("*")
    for b in pkg.bodies:
        if b.name == name or (name.endswith("*") and b.name.startswith(base) and b.name[len(base) :].isdigit()):
            return b.material
    raise KeyError(name)


def judge(pkg: Package, res: MoistureResult, crit: Criteria) -> tuple[str, ...]:
    """The criteria ``res`` breaks at the reflow peak, one line each."""
    out: list[str] = []
    for itf in res.at_peak.interfaces:
        out += _judge_interface(pkg, itf, res.peak_k, crit)
    return tuple(out)


def _judge_interface(pkg: Package, itf: InterfaceMoisture, peak_k: float, crit: Criteria) -> list[str]:
    out = []
    if itf.die_region_kg_m3 is not None and itf.die_region_kg_m3 > crit.max_die_region_kg_m3:
        out.append(f"{itf.name}: die-region moisture {itf.die_region_kg_m3:.2f} > {crit.max_die_region_kg_m3:g} kg/m^3")
    ma, mb = _body_material(pkg, itf.lower), _body_material(pkg, itf.upper)
    dry = any(pkg.materials[m].category in IMPERMEABLE for m in (ma, mb))
    thermal = thermal_mismatch_strain(pkg, ma, mb, 298.15, peak_k) if dry else 0.0
    if thermal > 0 and itf.mismatch_strain > crit.strain_ratio * thermal:
        out.append(
            f"{itf.name}: hygroscopic mismatch {itf.mismatch_strain * 100:.3f} % > "
            f"{crit.strain_ratio:g} x thermal {thermal * 100:.3f} %"
        )
    if crit.adhesion_pa is not None and itf.vapour_pressure_pa > crit.adhesion_pa:
        out.append(
            f"{itf.name}: vapour pressure {itf.vapour_pressure_pa / 1e6:.2f} MPa > adhesion {crit.adhesion_pa / 1e6:g} MPa"
        )
    return out


def estimate_msl(
    pkg: Package,
    criteria: Criteria | None = None,
    *,
    accelerated: bool = False,
    peak_k: float | None = None,
    free_volume: float = DEFAULT_FREE_VOLUME,
    resolution: float = 0.5,
    table: Mapping[str, MoistureProperties] | None = None,
) -> MslResult:
    """Soak ``pkg`` at every J-STD-020 level, reflow it and judge it (see module notes).

    ``table`` replaces the built-in moisture data (material key -> `MoistureProperties`).
    """
    crit = criteria or Criteria()
    levels = list(Level)
    pd = package_domain(pkg, resolution, table)
    results = run_levels(pkg, list(levels), 0.0, 125.0, accelerated, peak_k, free_volume, resolution, pd)
    checks = tuple(LevelCheck(lv, r, judge(pkg, r, crit)) for lv, r in zip(levels, results, strict=True))
    msl = next((c.level.value for c in checks if c.passed), "6")
    return MslResult(pkg.name, msl, crit, checks)


# J-STD-020 levels as numbers that sort and plot (2a = 2.5, 5a = 5.5; 6: none passes).
MSL_NUMBER: dict[str, float] = {"1": 1.0, "2": 2.0, "2a": 2.5, "3": 3.0, "4": 4.0, "5": 5.0, "5a": 5.5, "6": 6.0}


def msl_record(r: MslResult) -> dict[str, float | None]:
    """The flat numbers a study keeps (and ``semipack msl --json`` prints) for an `MslResult`."""
    by = {c.level: c.result for c in r.checks}
    l3 = [i.die_region_kg_m3 for i in by[Level.L3].at_peak.interfaces if i.die_region_kg_m3 is not None]
    return {
        "msl_level": MSL_NUMBER[r.msl],
        "die_region_level3_kg_m3": max(l3) if l3 else None,
        "weight_gain_level1": by[Level.L1].after_soak.moisture_kg / by[Level.L1].dry_mass_kg,
    }
