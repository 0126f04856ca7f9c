"""Warpage versus temperature (FE or laminated plate), die stress, interface stresses, and the 003 buffer-pad study.

Sign convention: JESD22-B112 / JEITA ED-7306 (`warpage_sign`): warpage > 0 is convex
(the centre above the corners with the package balls down, a "cry"), < 0 concave (a
"smile"); its size is the coplanarity of the ball-side face, the highest minus the
lowest point once the best-fit plane is removed (what a shadow-moire tool reports).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np

from semipack.errors import DesignError
from semipack.mechanics.fe import FeResult, mesh_package
from semipack.mechanics.history import clt_history, fe_history
from semipack.mechanics.stackup import column_stacks
from semipack.mechanics.warpage_limits import LimitCheck, check_curve, limits_for
from semipack.mechanics.warpage_sign import plate_warpage
from semipack.model import Package, Role

# Common stress-free temperature: the mould compound's cure (175 C), when the package
# sets. Materials with their own ``stress_free`` bond at theirs instead.
STRESS_FREE_K = 448.15


class WarpageMethod(Enum):
    """How warpage is computed: 3D finite elements (the default everywhere) or the
    laminated-plate estimate (fast; exact only where every layer spans the body)."""

    FE = "fe"
    PLATE = "clt"

    @classmethod
    def parse(cls, value: object, field: str = "method") -> WarpageMethod:
        """The method named ``value`` ('fe', 'clt' or 'plate'); a one-line error otherwise."""
        if isinstance(value, cls):
            return value
        text = str(value).strip().lower()
        if text == "plate":
            return cls.PLATE
        try:
            return cls(text)
        except ValueError:
            raise DesignError(field, value, "allowed: fe, clt (plate)") from None


DEFAULT_METHOD = WarpageMethod.FE


@dataclass(frozen=True)
class WarpagePoint:
    """Warpage at one temperature: signed per JESD22-B112 (+ convex, - concave), and the
    coplanarity (its size)."""

    temperature_k: float
    warpage_m: float
    coplanarity_m: float
    method: str


def warpage_curve(
    pkg: Package,
    temperatures_k: Sequence[float],
    t_ref_k: float = STRESS_FREE_K,
    method: WarpageMethod | str = DEFAULT_METHOD,
    resolution: float = 0.5,
    cure_shrinkage: float = 0.0,
) -> tuple[tuple[WarpagePoint, ...], dict[float, FeResult]]:
    """Warpage at each temperature; the FE results by temperature (empty for the plate).

    ``cure_shrinkage`` (FE only): an extra linear shrinkage of the mould bodies on top of
    their materials' own ``cure_shrinkage``.
    """
    how = WarpageMethod.parse(method)
    points: list[WarpagePoint] = []
    fe: dict[float, FeResult] = {}
    if how is WarpageMethod.PLATE:
        if cure_shrinkage:
            raise DesignError("cure_shrinkage", cure_shrinkage, "an extra shrinkage needs the fe method")
        stacks = column_stacks(pkg)  # the same columns at every temperature
        for t in temperatures_k:
            est = clt_history(pkg, t_ref_k, t, stacks)
            w, cop = plate_warpage(est.warpage_m)
            points.append(WarpagePoint(t, w, cop, how.value))
        return tuple(points), fe
    mesh = mesh_package(pkg, resolution)
    shared: dict[tuple[float, float], FeResult] = {}  # intervals between glass transitions
    for t in temperatures_k:
        key = round(float(t), 6)
        if key not in fe:  # the model has no hysteresis: heating and cooling share a state
            fe[key] = fe_history(mesh, t_ref_k, float(t), cure_shrinkage, shared)
        w, cop, _ = fe[key].warpage()
        points.append(WarpagePoint(float(t), w, cop, how.value))
    return tuple(points), fe


@dataclass(frozen=True)
class InterfaceStress:
    lower: str
    upper: str
    shear_max_pa: float
    peel_max_pa: float


@dataclass(frozen=True)
class StressSummary:
    temperature_k: float
    die_von_mises_max_pa: float
    die_principal_max_pa: float
    interfaces: tuple[InterfaceStress, ...]


def interface_stress(res: FeResult, lower: str, upper: str) -> InterfaceStress | None:
    """Largest shear (sqrt(txz^2 + tyz^2)) and peel (szz) on the cells either side of where two bodies meet in z."""
    a = res.cells_of(lower)
    b = res.cells_of(upper)
    pair = a[:, :, :-1] & b[:, :, 1:]
    if not pair.any():
        return None
    s = res.stress
    lo = s[:, :, :-1][pair]
    hi = s[:, :, 1:][pair]
    both = np.concatenate([lo, hi])
    shear = np.hypot(both[:, 3], both[:, 4])
    return InterfaceStress(lower, upper, float(np.nanmax(shear)), float(np.nanmax(both[:, 2])))


# Interfaces whose shear and peel are reported, as (role below, role above): every pair of
# bodies with these roles that meet in z (attach under each die, sealant and glue under the
# spreader, encapsulant and adhesive under the sink and its connecting portion, the buffer
# pad's adhesives), read from the bodies' roles, not their names.
INTERFACE_ROLES = (
    (Role.DIE_ATTACH, Role.DIE),
    (Role.SEALANT, Role.THERMAL_GLUE),
    (Role.THERMAL_GLUE, Role.HEAT_SPREADER),
    (Role.SEALANT, Role.HEAT_SPREADER),
    (Role.ENCAPSULANT, Role.HEAT_SINK),
    (Role.THERMAL_GLUE, Role.HEAT_SINK),
    (Role.THERMAL_GLUE, Role.BUFFER_PAD),
    (Role.BUFFER_PAD, Role.THERMAL_GLUE),
    (Role.DIE, Role.THERMAL_GLUE),
)


def interfaces(res: FeResult) -> tuple[InterfaceStress, ...]:
    """Shear and peel at every interface of :data:`INTERFACE_ROLES` the package has."""
    pkg = res.mesh.package
    out = []
    for lower, upper in INTERFACE_ROLES:
        for a in pkg.by_role(lower):
            for b in pkg.by_role(upper):
                if (x := interface_stress(res, a.name, b.name)) is not None:
                    out.append(x)
    return tuple(out)


def stress_summary(res: FeResult) -> StressSummary:
    pkg = res.mesh.package
    dies = [b.name for b in pkg.by_role(Role.DIE)]
    vm = res.von_mises()
    pr = res.max_principal()
    die = np.zeros(vm.shape, dtype=bool)
    for d in dies:
        die |= res.cells_of(d)
    return StressSummary(
        res.temperature_k,
        float(np.nanmax(vm[die])) if die.any() else float("nan"),
        float(np.nanmax(pr[die])) if die.any() else float("nan"),
        interfaces(res),
    )


@dataclass(frozen=True)
class PadVariant:
    label: str
    pad_material: str | None
    pad_cte_per_k: float | None
    die_von_mises_max_pa: float
    die_principal_max_pa: float
    warpage_m: float


def buffer_pad_study(
    pkg: Package,
    t_k: float = 233.15,
    t_ref_k: float = STRESS_FREE_K,
    resolution: float = 0.5,
    design: FeResult | None = None,
) -> tuple[PadVariant, ...]:
    """003 claim 12: die stress with the design's pad, a copper pad of the same shape, and no pad (sink adhesive on the die).

    ``design``: the design's own result at ``t_k`` and ``resolution`` when the caller has it
    (`semipack stress` solves it first), so it is not solved twice.
    """
    from dataclasses import replace

    pads = pkg.by_role(Role.BUFFER_PAD)
    variants: list[tuple[str, Package, str | None]] = []
    if pads:
        pad = pads[0]
        variants.append((f"pad of {pkg.materials[pad.material].name} (design)", pkg, pad.material))
        cu = replace(
            pkg,
            bodies=tuple(replace(b, material="cu_rolled") if b.name == pad.name else b for b in pkg.bodies),
            validate=False,
        )
        variants.append(("mismatched pad (copper)", cu, "cu_rolled"))
        # No pad: the pad and its adhesive become sink adhesive (same stack height, no CTE match).
        glue = [b.material for b in pkg.by_role(Role.THERMAL_GLUE)][:1] or ["silver_epoxy"]
        nopad = replace(
            pkg,
            bodies=tuple(replace(b, material=glue[0]) if b.name == pad.name else b for b in pkg.bodies),
            validate=False,
        )
        variants.append(("no pad (adhesive in its place)", nopad, None))
    else:
        variants.append(("design (no pad)", pkg, None))
    out = []
    for label, p, mat in variants:
        res = design if (p is pkg and design is not None) else fe_history(mesh_package(p, resolution), t_ref_k, t_k)
        s = stress_summary(res)
        out.append(
            PadVariant(
                label,
                mat,
                p.materials[mat].cte_per_k if mat else None,
                s.die_von_mises_max_pa,
                s.die_principal_max_pa,
                res.warpage()[0],
            )
        )
    return tuple(out)


def limit_checks(pkg: Package, points: Sequence[WarpagePoint]) -> tuple[LimitCheck, ...]:
    """The curve against the JEDEC / JEITA dynamic-warpage limits for the package's ball
    pitch and body size (`warpage_limits`); empty when none is tabulated for it."""
    from semipack.model import summarize

    bb = pkg.bbox
    body = max(bb.hi[0] - bb.lo[0], bb.hi[1] - bb.lo[1])
    pitch = summarize(pkg).terminal_pitch_m if pkg.by_role(Role.BALL) else None
    pts = [(p.temperature_k, p.warpage_m) for p in points]
    return tuple(c for lim in limits_for(pitch, body) if (c := check_curve(pts, lim)) is not None)
