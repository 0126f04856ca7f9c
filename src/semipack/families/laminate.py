"""Laminate substrates described by their stack-up, with thermal vias.

A substrate is a stack of copper layers (each with its thickness and copper coverage;
coverage 1 is a solid plane) separated by dielectric layers: one core in the middle and
prepreg (or build-up film) layers on either side, with solder mask outside. Each layer
is a body; a copper layer is a smeared copper/dielectric composite of its coverage
(rule of mixtures), because package routing is not drawn trace by trace. An array of
plated thermal vias under the die enters each dielectric layer it crosses as a via
field: copper barrels in parallel through the thickness, and cylinders in the matrix
in the plane (Rayleigh's formula).

References
----------
Rule of mixtures for laminates (parallel in plane, series through the thickness), as
JESD51 board models and Icepak's trace-layer import use it: Lasance, "The conceptual
limitations of compact thermal models", and JEDEC JESD51-7 annex (smeared layers);
Turner's rule for the CTE of a composite: Turner, J. Res. NBS 37, 239 (1946).
Lord Rayleigh, "On the influence of obstacles arranged in rectangular order upon the
properties of a medium", Phil. Mag. 34, 481 (1892): k_eff = k_m (k_c + k_m + f (k_c - k_m))
/ (k_c + k_m - f (k_c - k_m)) for parallel cylinders, fraction f, across their axes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from semipack.families.common import body, centered_box, require, require_material
from semipack.families.params import Fraction, Length, MaterialRef, param
from semipack.materials import MaterialLibrary
from semipack.materials.composites import copper_layer_material, via_field_material
from semipack.model import Body, Role
from semipack.model.roles import LAMINATE_LAYER
from semipack.model.tile import CONTINUOUS
from semipack.units import mm, um

MAX_COPPER_LAYERS = 20


@dataclass(frozen=True)
class CopperLayer:
    """One copper layer of a substrate, counted from the top (die side)."""

    thickness: Length = param(18e-6, "copper thickness (18 um = 1/2 oz)")
    coverage: Fraction = param(0.5, "copper fraction of the layer area (1 = solid plane)")


@dataclass(frozen=True)
class Stackup:
    """A laminate's layers, from the die side down."""

    copper: tuple[CopperLayer, ...] = param(
        (CopperLayer(18e-6, 0.4), CopperLayer(18e-6, 0.9), CopperLayer(18e-6, 0.9), CopperLayer(18e-6, 0.4)),
        "copper layers, top (die side) first; an even count from 2",
    )
    core_thickness: Length = param(0.20e-3, "core thickness (between the middle copper layers)")
    prepreg_thickness: Length = param(0.06e-3, "each prepreg or build-up dielectric layer")
    core_material: MaterialRef = param(MaterialRef("bt_core"), "core dielectric")
    prepreg_material: MaterialRef = param(MaterialRef("bt_core"), "prepreg or build-up dielectric")
    solder_mask_thickness: Length | None = param(20e-6, "solder mask on each face (null = none)")
    solder_mask_material: MaterialRef = param(MaterialRef("solder_mask"), "solder mask")

    @property
    def mask_thickness(self) -> float:
        """Solder mask on each face in m, 0 where there is none: what a land fills its opening through."""
        return self.solder_mask_thickness or 0.0


@dataclass(frozen=True)
class ViaArray:
    """Plated through vias under the die, from the top copper to the bottom copper."""

    count_x: int | None = param(None, "vias in x (null = as many as fit under the die)")
    count_y: int | None = param(None, "vias in y (null = as many as fit under the die)")
    pitch: Length = param(0.8e-3, "via pitch")
    drill: Length = param(0.2e-3, "finished hole diameter before plating")
    plating: Length = param(20e-6, "barrel plating thickness")


def dielectric_layers(s: Stackup) -> list[tuple[str, str, float]]:
    """(kind, material, thickness) of the dielectrics between the copper layers, top down."""
    n = len(s.copper)
    mid = n // 2 - 1  # the core sits between copper layers mid and mid + 1
    return [
        ("core", s.core_material, s.core_thickness)
        if i == mid
        else ("prepreg", s.prepreg_material, s.prepreg_thickness)
        for i in range(n - 1)
    ]


def thickness(s: Stackup) -> float:
    """Total substrate thickness, solder mask included."""
    return sum(c.thickness for c in s.copper) + sum(t for _, _, t in dielectric_layers(s)) + 2 * s.mask_thickness


def check_stackup(s: Stackup, lib: MaterialLibrary, field: str = "stackup") -> None:
    """Refuse an odd or out-of-range copper count and unknown materials."""
    n = len(s.copper)
    require(
        2 <= n <= MAX_COPPER_LAYERS and n % 2 == 0,
        f"{field}.copper",
        f"{n} layers",
        f"an even number of copper layers from 2 to {MAX_COPPER_LAYERS}",
    )
    for f in ("core_material", "prepreg_material", "solder_mask_material"):
        require_material(lib, getattr(s, f), f"{field}.{f}")


def fit_vias(v: ViaArray, region: tuple[float, float], field: str = "thermal_vias") -> ViaArray:
    """The via array with its counts filled in (as many as fit) and checked.

    Vias must not overlap (50 um of laminate between holes) and the array must fit
    under ``region`` (x, y sizes, the die).
    """
    require(v.drill + 2 * 0.05e-3 < v.pitch, f"{field}.drill", mm(v.drill), f"vias need 50 um of laminate between holes at pitch {mm(v.pitch)}")
    require(v.plating < v.drill / 2, f"{field}.plating", um(v.plating), f"must be below half the drill {mm(v.drill / 2)}")
    fit = [max(math.floor((r - v.drill) / v.pitch + 1e-9) + 1, 0) for r in region]
    nx = v.count_x if v.count_x is not None else fit[0]
    ny = v.count_y if v.count_y is not None else fit[1]
    require(1 <= nx <= 200 and 1 <= ny <= 200, f"{field}.count_x", (nx, ny), "1 to 200 vias per side (does one fit under the die?)")
    v = replace(v, count_x=nx, count_y=ny)
    check_vias(v, region, field)
    return v


def check_vias(v: ViaArray, region: tuple[float, float], field: str = "thermal_vias") -> None:
    """The array (counts given) must fit under ``region`` (x, y sizes)."""
    assert v.count_x is not None and v.count_y is not None
    span = ((v.count_x - 1) * v.pitch + v.drill, (v.count_y - 1) * v.pitch + v.drill)
    require(
        span[0] <= region[0] + 1e-12 and span[1] <= region[1] + 1e-12,
        f"{field}.count_x",
        f"{mm(span[0])} x {mm(span[1])}",
        f"the via array must fit under the die ({mm(region[0])} x {mm(region[1])})",
    )


def via_copper_fraction(v: ViaArray) -> float:
    """Copper area fraction of the via field: one plated barrel per pitch cell."""
    r = v.drill / 2
    return math.pi * (r * r - (r - v.plating) ** 2) / (v.pitch * v.pitch)


@dataclass(frozen=True)
class Laminate:
    """The bodies of a built substrate and the library with its composite materials."""

    bodies: tuple[Body, ...]
    materials: MaterialLibrary
    top_z: float
    media: tuple[str, ...]  # layer names from the top down, for routes through it


def build_laminate(
    s: Stackup,
    lib: MaterialLibrary,
    size: tuple[float, float],
    z0: float,
    *,
    vias: ViaArray | None = None,
    via_centre: tuple[float, float] = (0.0, 0.0),
    prefix: str = "sub",
    numeral: int = 102,
) -> Laminate:
    """The substrate's layer bodies from ``z0`` up, centred on the origin.

    Copper layers are named ``{prefix}_cu1`` (top) to ``_cuN``, dielectrics
    ``{prefix}_d1``.., masks ``{prefix}_mask_top`` and ``_mask_bottom``, via fields
    ``{prefix}_vias_d1``... The layers share the substrate's ``numeral`` with a letter
    per kind (core, ``a`` prepreg, ``b`` copper, ``c`` solder mask, ``d`` thermal vias).
    """
    sx, sy = size
    extra: dict[str, object] = {}
    layers: list[tuple[str, Role, str, float, str]] = []  # name, role, material, thickness, label
    mask = s.mask_thickness
    if mask:
        layers.append((f"{prefix}_mask_top", Role.PASSIVATION, s.solder_mask_material, mask, "solder mask"))
    sub = {"core": "substrate core", "prepreg": "prepreg / build-up layer"}
    diel = dielectric_layers(s)
    for i, cu in enumerate(s.copper):
        host = diel[min(i, len(diel) - 1)][1]
        key = f"{prefix}_cu{i + 1}_mix"
        extra[key] = copper_layer_material(lib, host, cu.coverage)
        label = "copper plane" if cu.coverage >= 0.999 else "copper layer"
        # Role SUBSTRATE, not PLANE: a smeared copper layer is structural (warpage) and
        # carries no single net; routes cross it as a medium.
        layers.append((f"{prefix}_cu{i + 1}", Role.SUBSTRATE, key, cu.thickness, label))
        if i < len(diel):
            kind, mat, t = diel[i]
            layers.append((f"{prefix}_d{i + 1}", Role.DIELECTRIC, mat, t, sub[kind]))
    if mask:
        layers.append((f"{prefix}_mask_bottom", Role.PASSIVATION, s.solder_mask_material, mask, "solder mask"))
    lib2 = lib.extended(extra)
    if vias is not None:
        # The barrels cross every dielectric and every copper layer between the outer coppers.
        f_via = via_copper_fraction(vias)
        crossed = sorted({mat for _, role, mat, _, _ in layers if role in (Role.DIELECTRIC, Role.SUBSTRATE)})
        lib2 = lib2.extended({f"{prefix}_vias_{mat}": via_field_material(lib2, mat, f_via) for mat in crossed})
    bodies: list[Body] = []
    z = z0
    for name, role, mat, t, label in reversed(layers):
        bodies.append(_layer_body(name, role, mat, centered_box(sx, sy, z, z + t), _numeral(numeral, label), label))
        if vias is not None and role in (Role.DIELECTRIC, Role.SUBSTRATE):
            vx = (vias.count_x or 1) * vias.pitch
            vy = (vias.count_y or 1) * vias.pitch
            bodies.append(
                body(
                    name.replace(f"{prefix}_", f"{prefix}_vias_", 1),
                    Role.VIA,
                    f"{prefix}_vias_{mat}",
                    centered_box(min(vx, sx), min(vy, sy), z, z + t, *via_centre),
                    f"{numeral}d",
                    "thermal vias",
                    net="VSS",
                    tags=(LAMINATE_LAYER,),
                )
            )
        z += t
    media = tuple(name for name, *_ in layers)
    return Laminate(tuple(bodies), lib2, z, media)


def _numeral(base: int, label: str) -> int | str:
    if label == "substrate core":
        return base
    suffix = {"prepreg / build-up layer": "a", "copper layer": "b", "copper plane": "b", "solder mask": "c"}[label]
    return f"{base}{suffix}"


def _layer_body(name: str, role: Role, material: str, solid: object, numeral: int | str, label: str) -> Body:
    # Every layer spans the body and yields to the via field inside it: all are fillers
    # (the dielectrics by role, the copper layers and masks set so).
    b = body(name, role, material, solid, numeral, label, tags=(CONTINUOUS, LAMINATE_LAYER))
    return replace(b, filler=True)
