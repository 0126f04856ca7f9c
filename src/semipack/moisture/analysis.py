"""Soak, bake and reflow a package: moisture at the end of the soak and at the reflow peak.

The package starts dry (J-STD-020 bakes parts 24 h at 125 C before the soak), soaks at
a level's condition, optionally bakes per J-STD-033, then goes through the J-STD-020
Pb-free profile (body at the oven temperature, no gradient through the part; the oven
air holds the factory's water vapour, about zero activity at reflow temperatures) up
to the peak, where the interfaces are read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from semipack.model import Package
from semipack.model.roles import Role
from semipack.moisture.conditions import (
    FACTORY_C,
    FACTORY_RH,
    Exposure,
    Level,
    bake,
    peak_temperature_c,
    reflow_profile,
    soak,
)
from semipack.moisture.domain import PackageDomain, package_domain
from semipack.moisture.interfaces import DEFAULT_FREE_VOLUME, InterfaceMoisture, interface_moisture
from semipack.moisture.properties import MoistureProperties
from semipack.moisture.solver import Array, advance, geometric_steps
from semipack.moisture.steam import saturation_pressure_pa

# First soak step and growth (BDF2 allows ratios up to 2.41), and the reflow's steps.
# Against 1 s steps growing by 1.1 and a 40-step reflow, on the PBGA and QFN32 examples'
# die-attach concentration after a level-3 soak: within 0.6 % at the end of the soak and
# 1 % at the peak (a first step of 30 s gives the same to 4 digits; a growth of 1.5 was
# 12 % off). BDF2 is not monotone: at 1.2 a saturating soak overshoots the ambient
# activity by 0.1 % (0.7 % at 1.3).
_FIRST_STEP_S = 300.0
_GROWTH = 1.2
_REFLOW_STEPS = 6


@dataclass(frozen=True)
class MoistureState:
    """The package's moisture at one moment.

    Attributes
    ----------
    label, temperature_k
        When, and the body temperature then.
    moisture_kg
        Water the package holds.
    interfaces
        Each package interface, worst vapour pressure first.
    """

    label: str
    temperature_k: float
    moisture_kg: float
    interfaces: tuple[InterfaceMoisture, ...]


@dataclass(frozen=True)
class MaterialSwelling:
    """Volume-mean hygroscopic strain of one material and the temperature rise giving the same free strain.

    ``delta_t_equivalent_k = strain / CTE(T)``: what a warpage model can add to the
    material's thermal load to include the swelling.
    """

    material: str
    strain: float
    delta_t_equivalent_k: float


@dataclass(frozen=True)
class MoistureResult:
    """Moisture of a package through a soak (and bake) to the reflow peak."""

    package: str
    soak: Exposure
    bake: Exposure | None
    peak_k: float
    free_volume: float
    after_soak: MoistureState
    at_peak: MoistureState
    swelling: tuple[MaterialSwelling, ...]
    dry_mass_kg: float
    profile: tuple[float, ...]  # z centres (m) of the profile below
    profile_concentration_kg_m3: tuple[float, ...]  # end of the soak, through the package centre (NaN: dry)
    profile_peak_kg_m3: tuple[float, ...]  # the same at the reflow peak


def package_thickness_m(pkg: Package) -> float:
    """Body thickness without the terminals (balls, bumps, pins), for J-STD-020 Table 4-2."""
    skip = {Role.BALL, Role.TERMINAL_BUMP, Role.PIN, Role.WIRE}
    bbs = [b.solid.bbox for b in pkg.bodies if b.role not in skip]
    return max(b.hi[2] for b in bbs) - min(b.lo[2] for b in bbs)


def package_peak_k(pkg: Package) -> float:
    """J-STD-020 classification temperature of ``pkg`` (K)."""
    bb = pkg.bbox
    t = package_thickness_m(pkg)
    return peak_temperature_c(t, bb.size[0] * bb.size[1] * t) + 273.15


def expose(
    pd: PackageDomain, activity: Array, exp: Exposure, times_s: tuple[float, ...] = ()
) -> tuple[Array, dict[float, Array]]:
    """Hold ``exp`` for its duration; also return the field at each of ``times_s`` (within it)."""
    steps = geometric_steps(exp.duration_s, _FIRST_STEP_S, _GROWTH)
    for t in times_s:  # cut the steps at the requested times
        acc, out = 0.0, []
        for dt in steps:
            if acc < t < acc + dt - 1e-6:
                out += [t - acc, acc + dt - t]
            else:
                out.append(dt)
            acc += dt
        steps = out
    ends = np.cumsum(steps)
    snaps = {int(np.argmin(abs(ends - t))) + 1: t for t in times_s}
    return advance(pd.domain, activity, pd.permeance(exp.temperature_k), exp.rh, steps, snaps)


def reflow(pd: PackageDomain, activity: Array, peak_k: float) -> Array:
    """Follow the J-STD-020 profile from 25 C to its peak; the field at the peak."""
    pts = reflow_profile(peak_k - 273.15)
    t_peak = max(pts, key=lambda p: p[1])[0]
    times = np.array([p[0] for p in pts])
    temps = np.array([p[1] for p in pts]) + 273.15
    p_amb = FACTORY_RH * saturation_pressure_pa(FACTORY_C + 273.15)
    a, t = activity, 0.0
    n = _REFLOW_STEPS
    for k in range(n):
        t1 = t_peak * (k + 1) / n
        temp = float(np.interp(0.5 * (t + t1), times, temps))
        a, _ = advance(pd.domain, a, pd.permeance(temp), p_amb / saturation_pressure_pa(temp), [t1 - t])
        t = t1
    return a


def _state(pkg: Package, pd: PackageDomain, a: Array, label: str, temp_k: float, f: float) -> MoistureState:
    return MoistureState(label, temp_k, pd.domain.mass_kg(a), interface_moisture(pkg, pd, a, temp_k, f))


def swelling(pkg: Package, pd: PackageDomain, activity: Array, temperature_k: float) -> tuple[MaterialSwelling, ...]:
    """Volume-mean hygroscopic strain per permeable material (see `MaterialSwelling`)."""
    dom = pd.domain
    vol = dom.grid.volumes()
    strain = pd.beta() * np.where(dom.active, dom.capacity * activity, 0.0)
    out = []
    for i, perm in enumerate(pd.perms):
        m = (pd.material == i) & dom.active
        if not perm.permeable or not m.any():
            continue
        e = float(np.sum(strain[m] * vol[m]) / np.sum(vol[m]))
        cte = pkg.materials[perm.key].cte_at(temperature_k)
        out.append(MaterialSwelling(perm.key, e, e / cte if cte > 0 else 0.0))
    return tuple(out)


def _profile(pd: PackageDomain, a: Array) -> tuple[tuple[float, ...], tuple[float, ...]]:
    g = pd.domain.grid
    i, j = g.shape[0] // 2, g.shape[1] // 2
    # NaN where the column crosses metal, silicon or air: no moisture there, and a plot breaks its line.
    c = np.where(pd.domain.active, pd.domain.capacity * a, np.nan)[i, j, :]
    return tuple(float(z) for z in g.centers[2]), tuple(float(v) for v in c)


def moisture_analysis(
    pkg: Package,
    level: Level | Exposure = Level.L3,
    *,
    bake_hours: float = 0.0,
    bake_temperature_c: float = 125.0,
    accelerated: bool = False,
    peak_k: float | None = None,
    free_volume: float = DEFAULT_FREE_VOLUME,
    resolution: float = 0.5,
    domain: PackageDomain | None = None,
    table: Mapping[str, MoistureProperties] | None = None,
) -> MoistureResult:
    """Soak ``pkg`` at ``level`` (or a custom `Exposure`), bake if asked, reflow to the peak.

    ``table`` replaces the built-in moisture data (material key -> `MoistureProperties`);
    ``domain`` reuses a rasterised package (then ``resolution`` and ``table`` are its own).
    """
    pd = domain or package_domain(pkg, resolution, table)
    return run_levels(pkg, [level], bake_hours, bake_temperature_c, accelerated, peak_k, free_volume, resolution, pd)[0]


def run_levels(
    pkg: Package,
    levels: list[Level | Exposure],
    bake_hours: float,
    bake_temperature_c: float,
    accelerated: bool,
    peak_k: float | None,
    free_volume: float,
    resolution: float,
    domain: PackageDomain | None,
) -> list[MoistureResult]:
    """Soak from dry at each of ``levels``, bake, reflow: one result each.

    Soaks at the same condition share one run, read at each duration (levels 2a to 5a
    are one 30 C/60 %RH soak of 696 h read at 48, 72, 96, 192 and 696 h).
    """
    from semipack.errors import DesignError

    if bake_hours < 0:
        raise DesignError("bake", f"{bake_hours:g} h", "a bake time of 0 h or more")
    if not 0.0 < free_volume < 1.0:
        raise DesignError("free_volume", free_volume, "a fraction between 0 and 1")
    if peak_k is not None and not 373.15 <= peak_k <= 623.15:
        raise DesignError("peak", f"{peak_k - 273.15:g} C", "a reflow peak from 100 C to 350 C")
    pd = domain or package_domain(pkg, resolution)
    peak = peak_k if peak_k is not None else package_peak_k(pkg)
    bk = bake(bake_hours, bake_temperature_c) if bake_hours > 0 else None
    exps = [lv if isinstance(lv, Exposure) else soak(lv, accelerated) for lv in levels]
    dry = np.zeros(pd.domain.grid.shape)
    # Soaks at the same condition share one run, read at each duration.
    fields: dict[int, Array] = {}
    by_cond: dict[tuple[float, float], list[int]] = {}
    for i, e in enumerate(exps):
        by_cond.setdefault((e.temperature_k, e.rh), []).append(i)
    for idx in by_cond.values():
        longest = max(idx, key=lambda i: exps[i].duration_s)
        others = tuple(sorted({exps[i].duration_s for i in idx if exps[i].duration_s < exps[longest].duration_s}))
        end, snaps = expose(pd, dry, exps[longest], others)
        for i in idx:
            fields[i] = end if exps[i].duration_s == exps[longest].duration_s else snaps[exps[i].duration_s]
    dry_mass = float(
        sum(
            np.sum(pd.domain.grid.volumes()[pd.owner == k]) * pkg.materials[b.material].density_kg_m3
            for k, b in enumerate(pkg.bodies)
        )
    )
    out = []
    for i, e in enumerate(exps):
        a = fields[i]
        after = _state(pkg, pd, a, f"end of {e.label}", e.temperature_k, free_volume)
        zs, cs = _profile(pd, a)
        if bk is not None:
            a, _ = expose(pd, a, bk)
        a_peak = reflow(pd, a, peak)
        out.append(
            MoistureResult(
                pkg.name,
                e,
                bk,
                peak,
                free_volume,
                after,
                _state(pkg, pd, a_peak, f"reflow peak {peak - 273.15:g} C", peak, free_volume),
                swelling(pkg, pd, fields[i], e.temperature_k),
                dry_mass,
                zs,
                cs,
                _profile(pd, a_peak)[1],
            )
        )
    return out
