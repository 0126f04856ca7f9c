"""Thermo-elastic response along a temperature path that crosses glass transitions.

A mould compound or adhesive is stiff below its Tg and soft above it. The stress it
builds while cooling from the stress-free temperature down to Tg is set by its soft,
above-Tg modulus; only the cooling below Tg loads it at the stiff modulus. Taking the
whole strain from the stress-free state at the modulus of the end temperature (a secant
model) applies the large above-Tg expansion at the glassy modulus as soon as the part is
below Tg: on the default heat-spreader BGA that gave a 74 um spike at 150 C that no
shadow-moire curve shows. Here the path is cut at every Tg it crosses; each interval is
solved with its own moduli and its own thermal-strain increment, and the linear
responses (displacements, stresses, curvatures) add up:

    u(T) = sum_i u_i,   u_i = K(E(T_i*))^-1 f(eps_th(T_i) - eps_th(T_i-1)),

with T_i* inside interval i. Within an interval every property is constant, so this is
the exact incremental (hypo-elastic) solution of the piecewise-constant material model.

References
----------
The incremental (rate) form of Hooke's law with temperature-dependent properties,
d sigma = D(T) (d eps - alpha(T) dT), as used for thermal stresses past a transition:
O. C. Zienkiewicz, R. L. Taylor, D. D. Fox, The Finite Element Method for Solid and
Structural Mechanics, 7th ed., Elsevier 2014 (inelastic and thermal strains integrated
step by step).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import numpy as np

from semipack.mechanics.fe import FeResult, MechMesh, solve_thermoelastic
from semipack.mechanics.laminate import initial_strain
from semipack.mechanics.stackup import NON_STRUCTURAL, CltWarpage, ColumnStack, clt_warpage
from semipack.model import Package


def has_initial_strain(pkg: Package, t_ref_k: float) -> bool:
    """Whether any structural material carries its own stress-free offset or cure shrinkage."""
    return any(
        abs(initial_strain(pkg.materials[b.material], t_ref_k)) > 0.0
        for b in pkg.bodies
        if b.role not in NON_STRUCTURAL
    )


def glass_transitions(pkg: Package) -> tuple[float, ...]:
    """The Tg (K) of every structural material with properties that change there."""
    tgs = set()
    for b in pkg.bodies:
        if b.role in NON_STRUCTURAL:
            continue
        m = pkg.materials[b.material]
        if m.tg_k is not None and (m.youngs_above_tg_pa is not None or m.cte_above_tg_per_k is not None):
            tgs.add(float(m.tg_k))
    return tuple(sorted(tgs))


def intervals(t_ref_k: float, t_k: float, tgs: tuple[float, ...]) -> list[tuple[float, float]]:
    """The path from ``t_ref_k`` to ``t_k`` cut at every Tg strictly between them (one
    interval, possibly of zero length, when none lies between)."""
    lo, hi = min(t_ref_k, t_k), max(t_ref_k, t_k)
    cuts = [tg for tg in tgs if lo < tg < hi]
    cuts.sort(reverse=t_k < t_ref_k)  # in the order the path meets them
    return list(itertools.pairwise([t_ref_k, *cuts, t_k]))


def fe_history(
    mesh: MechMesh,
    t_ref_k: float,
    t_k: float,
    cure_shrinkage: float = 0.0,
    cache: dict[tuple[float, float], FeResult] | None = None,
) -> FeResult:
    """The FE state at ``t_k`` reached from the stress-free ``t_ref_k`` interval by interval.

    ``cache`` (keyed by interval) lets a curve over many temperatures solve each shared
    interval once. Cure shrinkage is frozen in at the stress-free state: the first
    interval carries it.
    """
    steps = intervals(t_ref_k, t_k, glass_transitions(mesh.package))
    parts: list[FeResult] = []
    if has_initial_strain(mesh.package, t_ref_k):
        # The materials' own stress-free states and cure shrinkage: one step at t_ref.
        key0 = (-1.0, round(t_ref_k, 9))
        hit0 = cache.get(key0) if cache is not None else None
        if hit0 is None:
            hit0 = solve_thermoelastic(mesh, t_ref_k, t_ref_k, props_k=t_ref_k, initial=True)
            if cache is not None:
                cache[key0] = hit0
        parts.append(hit0)
    for i, (a, b) in enumerate(steps):
        shrink = cure_shrinkage if i == 0 else 0.0
        shared = cache if cache is not None and shrink == 0.0 else None  # a shrinking step is not shared
        key = (round(a, 9), round(b, 9))
        hit = shared.get(key) if shared is not None else None
        if hit is None:
            hit = solve_thermoelastic(mesh, a, b, cure_shrinkage=shrink, props_k=0.5 * (a + b))
            if shared is not None:
                shared[key] = hit
        parts.append(hit)
    return replace(
        parts[0],
        temperature_k=t_k,
        t_ref_k=t_ref_k,
        displacement=np.sum([p.displacement for p in parts], axis=0),
        stress=np.sum([p.stress for p in parts], axis=0),
        iterations=sum(p.iterations for p in parts),
        solve_s=sum(p.solve_s for p in parts),
    )


def clt_history(pkg: Package, t_ref_k: float, t_k: float, stacks: list[ColumnStack] | None = None) -> CltWarpage:
    """The laminated-plate estimate at ``t_k`` summed over the intervals between glass transitions."""
    parts = [
        clt_warpage(pkg, a, b, stacks=stacks, props_k=0.5 * (a + b))
        for a, b in intervals(t_ref_k, t_k, glass_transitions(pkg))
    ]
    if has_initial_strain(pkg, t_ref_k):
        parts.append(clt_warpage(pkg, t_ref_k, t_ref_k, stacks=stacks, props_k=t_ref_k, initial=True))
    kappa = math.fsum(p.curvature_per_m for p in parts)
    warp = math.fsum(p.warpage_m for p in parts)
    pts = tuple(
        (cols[0][0], cols[0][1], math.fsum(c[2] for c in cols)) for cols in zip(*(p.points for p in parts), strict=True)
    )
    return CltWarpage(t_k, kappa, warp, pts)
