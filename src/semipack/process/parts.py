"""Which part of the build each body of a design belongs to, and so which step makes it.

The family builder gives the finished package; a flow must make every one of its
bodies exactly once. This module sorts the bodies into parts (the substrate and its
copper, the die, the wires, the mould, build-up level 2 wiring, ...). Build-up bodies
are sorted by height: a dielectric's level is its rank from the die up; a via or
column belongs to the dielectric it crosses; a land, trace, plane or passive to the
dielectric it sits on.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from semipack.model import Body, Package, Role
from semipack.model.roles import LAMINATE_LAYER

_EPS = 1e-9


class Part(Enum):
    """A group of bodies one kind of step makes."""

    BASE = "substrate or lead frame"
    FLEX = "flexible substrate"
    METAL_BASE = "metal substrate"
    CARRIER = "metal carrier"
    DIE = "die"
    DIE_ATTACH = "die attach"
    WIRES = "bond wires"
    TAPES = "conductive adhesive tapes"
    BUMPS = "die bumps"
    UNDERFILL = "underfill / encapsulant around the bumps"
    MOLD = "mould / sealant"
    GLUE = "thermally conductive glue"
    SPREADER = "heat spreader"
    SINK = "heat sink"
    INTERFACE = "interface layer"
    GLASS = "glass"
    FOLD = "bent flex and its adhesives"
    FILLING = "filling layer"
    DIELECTRIC = "dielectric layer"
    VIAS = "vias / conductive columns"
    WIRING = "patterned wiring layer"
    PASSIVATION = "passivation"
    BALLS = "solder balls"
    TERMINAL_BUMPS = "bumps (terminals)"
    PINS = "pins"


@dataclass(frozen=True)
class PartKey:
    """A part, with its build-up level where it has one."""

    part: Part
    layer: int | None = None

    def __str__(self) -> str:
        return self.part.value if self.layer is None else f"{self.part.value} {self.layer}"


_BY_ROLE: dict[Role, Part] = {
    Role.SUBSTRATE: Part.BASE,
    Role.DIE_PADDLE: Part.BASE,
    Role.LEAD: Part.BASE,
    Role.METAL_SUBSTRATE: Part.METAL_BASE,
    Role.CARRIER: Part.CARRIER,
    Role.DIE: Part.DIE,
    Role.DIE_ATTACH: Part.DIE_ATTACH,
    Role.WIRE: Part.WIRES,
    Role.TAPE: Part.TAPES,
    Role.BUMP: Part.BUMPS,
    Role.SEALANT: Part.MOLD,
    Role.HEAT_SPREADER: Part.SPREADER,
    Role.HEAT_SINK: Part.SINK,
    Role.BUFFER_PAD: Part.SINK,
    Role.INTERFACE_LAYER: Part.INTERFACE,
    Role.GLASS: Part.GLASS,
    Role.FLEX: Part.FOLD,
    Role.FLEX_CONDUCTOR: Part.FOLD,
    Role.FILLING: Part.FILLING,
    Role.PASSIVATION: Part.PASSIVATION,
    Role.BALL: Part.BALLS,
    Role.TERMINAL_BUMP: Part.TERMINAL_BUMPS,
    Role.PIN: Part.PINS,
}

_BUILDUP_CONDUCTORS = frozenset({Role.LAND, Role.TRACE, Role.PLANE, Role.PASSIVE})


def dielectric_levels(pkg: Package) -> list[tuple[float, float]]:
    """z ranges of the build-up dielectrics, from the die up (level 1 first); a laminate's own are not levels."""
    boxes = sorted(
        (b.solid.bbox.lo[2], b.solid.bbox.hi[2]) for b in pkg.by_role(Role.DIELECTRIC) if LAMINATE_LAYER not in b.tags
    )
    return boxes


def _level_in(zmid: float, levels: list[tuple[float, float]]) -> int:
    for k, (lo, hi) in enumerate(levels, start=1):
        if lo - _EPS <= zmid <= hi + _EPS:
            return k
    return 0


def classify(pkg: Package) -> dict[str, PartKey]:
    """The part each body of ``pkg`` belongs to (body name -> part)."""
    levels = dielectric_levels(pkg)
    laminate = bool(pkg.by_role(Role.SUBSTRATE) or pkg.by_role(Role.LEAD))
    glass_glue = _glass_adhesives(pkg)
    out: dict[str, PartKey] = {}
    for b in pkg.bodies:
        out[b.name] = PartKey(Part.GLASS) if b.name in glass_glue else _classify(b, pkg, levels, laminate)
    return out


def _glass_adhesives(pkg: Package) -> frozenset[str]:
    """The adhesives a glass is glued with (they touch it by the design's contacts): they go on with it."""
    glass = {b.name for b in pkg.by_role(Role.GLASS)}
    adhesive = {b.name for b in pkg.by_role(Role.ADHESIVE)}
    return frozenset(n for pair in pkg.contacts if glass & set(pair) for n in pair if n in adhesive)


def _classify(b: Body, pkg: Package, levels: list[tuple[float, float]], laminate: bool) -> PartKey:
    r = b.role
    if LAMINATE_LAYER in b.tags:
        return PartKey(Part.BASE)  # a laminate's layers, vias and mask come made with the substrate
    if r is Role.ENCAPSULANT:
        # Underfill or an encapsulant doped around bumps (001 operation 4) vs a moulded body.
        if b.material in ("underfill", "glob_top") or pkg.family == "flex_csp":
            return PartKey(Part.UNDERFILL)
        return PartKey(Part.MOLD)
    if r is Role.THERMAL_GLUE:
        if pkg.family == "spreader_bga":
            return PartKey(Part.GLUE)
        return PartKey(Part.SINK)  # the sink's and the buffer pad's adhesive go on with them
    if r is Role.ADHESIVE:
        return PartKey(Part.FOLD)  # under a folded flex, or a lid's foot (a glass's: see classify)
    if r is Role.DIELECTRIC:
        zmid = 0.5 * (b.solid.bbox.lo[2] + b.solid.bbox.hi[2])
        return PartKey(Part.DIELECTRIC, _level_in(zmid, levels))
    if r in (Role.VIA, Role.COLUMN):
        zmid = 0.5 * (b.solid.bbox.lo[2] + b.solid.bbox.hi[2])
        return PartKey(Part.VIAS, _level_in(zmid, levels))
    if r in _BUILDUP_CONDUCTORS:
        if r is Role.LAND and laminate:
            return PartKey(Part.BASE)  # bond fingers and ball lands come with the substrate
        # The builders embed each wiring level in the top of the dielectric it belongs to.
        zmid = 0.5 * (b.solid.bbox.lo[2] + b.solid.bbox.hi[2])
        return PartKey(Part.WIRING, _level_in(zmid, levels))
    part = _BY_ROLE.get(r)
    if part is None:
        raise KeyError(f"no process part for role {r.value} of body {b.name!r}")
    return PartKey(part)
