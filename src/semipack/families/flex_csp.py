"""Seed 001: folded-flex image-sensor CSP, FIG. 1 to FIG. 7.

An image sensor die (CMOS or CCD) is flip-chip bumped to a flexible substrate whose
window lies over the photo-sensing surface; a glass (optionally IR-cut) is glued over
the window; an encapsulant is doped around the bumps; the flex is bent with a
curvature around one side of the die and glued under it; solder balls sit in holes of
the flex. Memory dies are stacked as the seed's FIG. 2 to FIG. 7 show:

======  ==================================================================================
FIG. 1  sensor only (package 100)
FIG. 2  first memory 260 below the flex, bumped up through holes 225, flex bent again
        around side 216 (curved portion 226a) and glued under it; balls in holes 225a
FIG. 3  as FIG. 2, but memory 360 glued to the flex above and bumped down to the flex below
FIG. 4  FIG. 2 plus second memory 470 glued under the sensor, bumped to the flex below
FIG. 5  FIG. 4 with the first memory 560 glued above and bumped below (as FIG. 3)
FIG. 6  FIG. 5 plus third memory 680 between first memory 660 and the flex below
FIG. 7  FIG. 1 plus first memory 760 glued under a back-ground sensor, bumped to the flex
======  ==================================================================================

The table is `STACKINGS`; the builder walks it top-down: flex segment L0, the sensor, the
die glued under it, segment L1, the dies between L1 and L2, segment L2. The flex is
modelled as it is built: a polyimide base film, the copper conductive patterns, and a
polyimide cover film, with openings where bumps and balls reach the copper; each bend is
three concentric half-annuli. Every flex sheet carries its `FlexPart` (segment or bend,
sheet), which the process reads. Reference numerals are the seed's (hundreds digit =
figure number, see `Numeral`).

Defaults imitate a VGA-class camera module CSP: a 5.0 x 4.0 x 0.30 mm sensor, 0.4 mm
glass, 0.5 mm ball pitch, a 25 um / 12 um / 25 um polyimide-copper flex.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import IntEnum

from semipack.families.common import body, box, centered_box, require, require_materials, solder_ball
from semipack.families.flex_csp_params import Embodiment, FlexCspParams, SensorType, ball_sites, row_on_axis
from semipack.geometry import Axis, BentSheet, Box, Cylinder
from semipack.materials import MaterialLibrary
from semipack.model import (
    Body,
    FlexLayer,
    FlexPart,
    FlexPiece,
    HeatSource,
    Marker,
    Net,
    NetKind,
    Package,
    Pad,
    Role,
    Route,
)
from semipack.model.roles import IMAGE_SENSOR
from semipack.units import mm

# --- Dimensions the parameters do not set (defaults of this model unless a figure is named) ---
PAD_RING_M = 0.3e-3  # die margin around the window that holds the bond pads (default)
MAX_PROTRUSION = 0.1  # overhang past the die below 10 % of its size: "nearly die size" (seed 001)
PAD_END_MARGIN_M = 0.35e-3  # first and last bond pad of a row this far from the die corner (default)
PAD_INSET_M = 0.15e-3  # bond-pad row inset from the die edge (default)
PILLAR_RING_M = 0.3e-3  # FIG. 6: the first memory's margin around the third die, for its pillars (default)
PILLAR_INSET_M = 0.12e-3  # FIG. 6: the first memory's pillars, nearer its edge, clear the third die (default)
THIRD_MEMORY_PADS_PER_SIDE = 3  # FIG. 6's small third memory die (default)
WINDOW_CLEARANCE_M = 0.1e-3  # the encapsulant stops this short of the window (default)
BUMP_HOLE_RATIO = 1.2  # film opening over a bump / bump diameter (default)
BALL_HOLE_RATIO = 1.1  # film hole over a ball land / land diameter (default)
WINDOW_BELOW_M = 1e-3  # the window cut-out reaches this far below the sensor's top ...
WINDOW_TOP_M = 1e-2  # ... and up to this height: through every L0 sheet whatever the stack
CUT_OVERSHOOT_M = 1e-6  # cut-outs run past the faces they open, so the boolean is clean
HOLE_OVERSHOOT_M = 1e-9  # the same for the film holes
THICKNESS_TOL_M = 1e-12  # round-off allowed when comparing the ground and the original die thickness
_BUMP_LABEL = {False: "conductive bump", True: "conductive pillar"}
# The adhesive under a face-up first memory and over a face-down one, labelled with the
# numerals of FIG. 2 and FIG. 3 whatever the figure (as drawn since the first version).
_BETWEEN_ADHESIVE_LABEL = {True: "adhesive (224a)", False: "adhesive (324a)"}
_THIRD_ADHESIVE_LABEL = "adhesive (624a)"


class Numeral(IntEnum):
    """The seed's reference numerals less the figure's hundreds (110 in FIG. 1 is 210 in FIG. 2)."""

    SENSOR = 10
    PHOTO_SURFACE = 11
    BUMP = 13
    NON_PHOTO_SURFACE = 14
    SENSOR_SIDE = 15
    WINDOW = 21
    FILM = 22
    CONDUCTOR = 23
    ADHESIVE = 24
    HOLES = 25
    CURVED_PORTION = 26
    SUBSTRATE_SIDE = 27
    GLASS = 30
    GLASS_ADHESIVE = 31
    GLASS_SIDE_FAR = 32
    GLASS_SIDE_BEND = 33
    ENCAPSULANT = 40
    BALLS = 50
    FIRST_MEMORY = 60
    SECOND_MEMORY = 70
    THIRD_MEMORY = 80


@dataclass(frozen=True)
class Memory:
    """A memory die: body name, numeral, and the suffix of its bumps' numeral (n13, n13a, n13b)."""

    name: str
    numeral: Numeral
    bump_suffix: str
    third: bool = False  # sized by third_memory_x/y, with THIRD_MEMORY_PADS_PER_SIDE pads


FIRST = Memory("first_memory", Numeral.FIRST_MEMORY, "a")
SECOND = Memory("second_memory", Numeral.SECOND_MEMORY, "")
THIRD = Memory("third_memory", Numeral.THIRD_MEMORY, "b", third=True)


@dataclass(frozen=True)
class Stacking:
    """One figure's stack of dies on the folded flex.

    Attributes
    ----------
    figure
        The seed's figure: the hundreds digit of its reference numerals.
    under_sensor
        Die glued under the sensor, face down, bumped to segment L1 (FIG. 4 to 7).
    between
        Die between segments L1 and L2; None leaves one bend (FIG. 1, 7).
    face_up
        ``between`` faces up, bumped into L1 and glued to L2 (FIG. 2, 4); else it is glued
        under L1 and bumped down to L2 (FIG. 3, 5, 6).
    third
        Die glued under ``between``, bumped to L2; ``between`` reaches L2 on pillars (FIG. 6).
    back_ground
        The sensor is back-ground to ``ground_thickness`` (FIG. 7).
    """

    figure: int
    under_sensor: Memory | None = None
    between: Memory | None = None
    face_up: bool = False
    third: Memory | None = None
    back_ground: bool = False

    @property
    def memories(self) -> int:
        return sum(m is not None for m in (self.under_sensor, self.between, self.third))

    @property
    def bends(self) -> int:
        return 2 if self.between is not None else 1


STACKINGS: dict[Embodiment, Stacking] = {
    Embodiment.FIG1: Stacking(1),
    Embodiment.FIG2: Stacking(2, between=FIRST, face_up=True),
    Embodiment.FIG3: Stacking(3, between=FIRST),
    Embodiment.FIG4: Stacking(4, under_sensor=SECOND, between=FIRST, face_up=True),
    Embodiment.FIG5: Stacking(5, under_sensor=SECOND, between=FIRST),
    Embodiment.FIG6: Stacking(6, under_sensor=SECOND, between=FIRST, third=THIRD),
    Embodiment.FIG7: Stacking(7, under_sensor=FIRST, back_ground=True),
}

# Bend k joins segments k-1 and k: around the sensor's side 115 (-x), then side 216 (+x, FIG. 2).
_BEND_SIDE = {1: -1, 2: +1}
_BEND_SUFFIX = {1: "", 2: "a"}


@dataclass(frozen=True)
class _Frame:
    """The parameters with what every part derives from them."""

    p: FlexCspParams
    st: Stacking
    hundreds: int  # the figure's numerals start here
    tpi: float  # each film
    tcu: float  # the copper
    flex_t: float  # the three sheets
    sensor_t: float
    hx: float
    hy: float
    fy: float  # half width of flex and glass
    x_left: float  # the bend side (curved portion 126)
    x_right: float  # the side opposite, protruding by edge_protrusion

    def num(self, n: Numeral) -> int:
        return self.hundreds + n

    def tag(self, n: Numeral, suffix: str = "") -> str:
        return f"{self.hundreds + n}{suffix}"

    def memory_size(self, m: Memory) -> tuple[float, float, int]:
        p = self.p
        if m.third:
            return p.third_memory_x, p.third_memory_y, THIRD_MEMORY_PADS_PER_SIDE
        return p.memory_x, p.memory_y, p.memory_pads_per_side


def _frame(p: FlexCspParams) -> _Frame:
    st = STACKINGS[p.embodiment]
    tpi, tcu = p.film_thickness, p.conductor_thickness
    hx, hy = p.die_x / 2, p.die_y / 2
    return _Frame(
        p,
        st,
        st.figure * 100,
        tpi,
        tcu,
        2 * tpi + tcu,
        p.ground_thickness if st.back_ground else p.die_thickness,
        hx,
        hy,
        hy + p.edge_protrusion,
        -hx,
        hx + p.edge_protrusion,
    )


@dataclass(frozen=True)
class _Bump:
    """A bump or pillar from a die pad onto a flex segment, from below or from above it."""

    pad: str
    body: str
    segment: int
    net: str
    xy: tuple[float, float]
    from_below: bool


@dataclass(frozen=True)
class _Parts:
    """A piece of the package; pieces add up field by field, in order."""

    bodies: tuple[Body, ...] = ()
    pads: tuple[Pad, ...] = ()
    heat: tuple[HeatSource, ...] = ()
    contacts: tuple[tuple[str, str], ...] = ()
    markers: tuple[Marker, ...] = ()
    bumps: tuple[_Bump, ...] = ()

    def __add__(self, o: _Parts) -> _Parts:
        return _Parts(
            self.bodies + o.bodies,
            self.pads + o.pads,
            self.heat + o.heat,
            self.contacts + o.contacts,
            self.markers + o.markers,
            self.bumps + o.bumps,
        )

    def lifted(self, dz: float) -> _Parts:
        """Everything moved up by ``dz``."""
        bodies = tuple(replace(b, solid=b.solid.translated((0.0, 0.0, dz))) for b in self.bodies)
        markers = tuple(Marker(m.numeral, m.label, (m.point[0], m.point[1], m.point[2] + dz)) for m in self.markers)
        return replace(self, bodies=bodies, markers=markers)


def _check(f: _Frame, lib: MaterialLibrary) -> None:
    """The checks that need no geometry, in the order they are reported."""
    p = f.p
    require_materials(lib, p)
    require(
        p.window_x < p.die_x - 2 * PAD_RING_M and p.window_y < p.die_y - 2 * PAD_RING_M,
        "window_x",
        mm(p.window_x),
        "the window must leave 0.3 mm of die around it for the bond pads",
    )
    require(
        p.edge_protrusion < MAX_PROTRUSION * min(p.die_x, p.die_y),
        "edge_protrusion",
        mm(p.edge_protrusion),
        "must stay below 10 % of the die size (package nearly die size)",
    )
    if f.st.memories:
        require(
            p.memory_x <= p.die_x and p.memory_y <= p.die_y,
            "memory_x",
            mm(p.memory_x),
            "memory dies must fit under the sensor",
        )
    require(
        f.sensor_t < p.die_thickness + THICKNESS_TOL_M,
        "ground_thickness",
        mm(p.ground_thickness),
        "back-grinding can only thin the die",
    )
    if f.st.third is not None:
        require(
            p.memory_x - 2 * PILLAR_RING_M > p.third_memory_x and p.memory_y - 2 * PILLAR_RING_M > p.third_memory_y,
            "third_memory_x",
            mm(p.third_memory_x),
            "the third memory must leave room for the first memory's pillars around it",
        )


@dataclass(frozen=True)
class _Face:
    """The bumped face of a die: its name, size, pads per side, height, and whether it faces up."""

    die: str
    sx: float
    sy: float
    per_side: int
    z: float
    up: bool


@dataclass(frozen=True)
class _Bond:
    """Where its bumps go: the segment, their numeral, the pads' inset, their height, pillars or bumps."""

    segment: int
    numeral: str
    inset: float
    height: float
    pillar: bool = False


def _die_pads(face: _Face, inset: float) -> list[tuple[str, float, float]]:
    """Bond pads in a ring, ``per_side`` per side, counter-clockwise from the -y side."""
    out: list[tuple[str, float, float]] = []
    for side in range(4):
        for i in range(face.per_side):
            along = (face.sx if side % 2 == 0 else face.sy) - 2 * PAD_END_MARGIN_M
            s = -along / 2 + (i + 0.5) * along / face.per_side
            x, y = [
                (s, -face.sy / 2 + inset),
                (face.sx / 2 - inset, s),
                (-s, face.sy / 2 - inset),
                (-face.sx / 2 + inset, -s),
            ][side]
            # 0.0 + x: the centred pad of a row lies at 0.0, not -0.0.
            out.append((f"{face.die}.pad{len(out) + 1}", 0.0 + x, 0.0 + y))
    return out


def _bumps(f: _Frame, face: _Face, bond: _Bond) -> _Parts:
    """Bumps from every pad of ``face`` onto segment ``bond.segment``: pads, bump bodies, flex openings."""
    p = f.p
    pads: list[Pad] = []
    bodies: list[Body] = []
    bumps: list[_Bump] = []
    for k, (pname, x, y) in enumerate(_die_pads(face, bond.inset), start=1):
        net = f"{face.die}.PAD{k}"
        bname = f"{face.die}_bump{k}"
        z0, z1 = (face.z, face.z + bond.height) if face.up else (face.z - bond.height, face.z)
        solid = Cylinder((x, y), p.bump_diameter / 2, z0, z1)
        pads.append(Pad(pname, face.die, (x, y), p.bump_diameter, net))
        bodies.append(body(bname, Role.BUMP, p.bump_material, solid, bond.numeral, _BUMP_LABEL[bond.pillar], net=net))
        bumps.append(_Bump(pname, bname, bond.segment, net, (x, y), face.up))
    return _Parts(bodies=tuple(bodies), pads=tuple(pads), bumps=tuple(bumps))


def _glue(f: _Frame, name: str, size: tuple[float, float], z_top: float, label: str) -> Body:
    """An adhesive under ``z_top``."""
    solid = centered_box(size[0], size[1], z_top - f.p.adhesive_thickness, z_top)
    return body(name, Role.ADHESIVE, f.p.adhesive_material, solid, f.num(Numeral.ADHESIVE), label)


def _memory_face(f: _Frame, m: Memory, z: float, up: bool) -> _Face:
    sx, sy, per_side = f.memory_size(m)
    return _Face(m.name, sx, sy, per_side, z, up)


def _plain_bond(f: _Frame, segment: int, suffix: str) -> _Bond:
    """Stud bumps across the stand-off into the film of ``segment``."""
    return _Bond(segment, f.tag(Numeral.BUMP, suffix), PAD_INSET_M, f.p.bump_standoff + f.tpi)


def _memory(f: _Frame, m: Memory, z_top: float) -> Body:
    """Memory die ``m`` with its top at ``z_top``."""
    sx, sy, _ = f.memory_size(m)
    solid = centered_box(sx, sy, z_top - f.p.memory_thickness, z_top)
    return body(m.name, Role.DIE, "si", solid, f.num(m.numeral), m.name.replace("_", " ") + " die")


def _heat(f: _Frame, m: Memory) -> _Parts:
    return _Parts(heat=(HeatSource(m.name, f.p.memory_power),))


# --- The stack, top-down from the top of segment L0 at z = 0 --------------------------------------


@dataclass(frozen=True)
class _Stack:
    parts: _Parts
    segment_z: tuple[float, ...]  # bottom of each flex segment, L0 first
    window: Box  # the window's cut-out through L0


def _sensor(f: _Frame) -> tuple[_Parts, float, Box]:
    """The sensor under L0, bumped up into it, and the encapsulant around its bumps; its bottom; the window."""
    p = f.p
    z = -f.flex_t
    top = z - p.bump_standoff
    bot = top - f.sensor_t
    solid = centered_box(p.die_x, p.die_y, bot, top)
    tags = (p.sensor_type.value, IMAGE_SENSOR)
    label = f"image sensor die ({p.sensor_type.value.upper()})"
    sensor = body("sensor", Role.DIE, "si", solid, f.num(Numeral.SENSOR), label, tags=tags)
    face = _Face("sensor", p.die_x, p.die_y, p.sensor_pads_per_side, top, True)
    wx, wy = p.window_x / 2, p.window_y / 2
    window = Box((-wx, -wy, top - WINDOW_BELOW_M), (wx, wy, WINDOW_TOP_M))
    clear = Box(
        (-p.window_x / 2 - WINDOW_CLEARANCE_M, -p.window_y / 2 - WINDOW_CLEARANCE_M, top - CUT_OVERSHOOT_M),
        (p.window_x / 2 + WINDOW_CLEARANCE_M, p.window_y / 2 + WINDOW_CLEARANCE_M, z + CUT_OVERSHOOT_M),
    )
    encapsulant = body(
        "encapsulant",
        Role.ENCAPSULANT,
        p.encapsulant_material,
        box(-f.hx, -f.hy, top, f.hx, f.hy, z, [clear]),
        f.num(Numeral.ENCAPSULANT),
        "encapsulant",
    )
    markers = (
        Marker(f.num(Numeral.PHOTO_SURFACE), "photo sensing surface", (0.0, 0.0, top)),
        Marker(f.num(Numeral.WINDOW), "window", (0.0, 0.0, -f.flex_t / 2)),
        # Half-way to the edge, clear of the side-surface marker.
        Marker(f.num(Numeral.NON_PHOTO_SURFACE), "non-photo sensing surface", (f.hx * 0.5, 0.0, bot)),
        Marker(f.num(Numeral.SENSOR_SIDE), "side surface", (-f.hx, 0.0, (top + bot) / 2)),
    )
    parts = (
        _Parts(bodies=(sensor,), heat=(HeatSource("sensor", p.die_power),))
        + _bumps(f, face, _plain_bond(f, 0, ""))
        + _Parts(bodies=(encapsulant,), contacts=(("encapsulant", "sensor"),), markers=markers)
    )
    return parts, bot, window


def _glued_die(f: _Frame, m: Memory, glue: str, above: str | None, z: float, label: str) -> tuple[_Parts, float]:
    """Adhesive ``glue`` under ``z`` (touching ``above``) and die ``m`` under it; the die's bottom."""
    za = z - f.p.adhesive_thickness
    sx, sy, _ = f.memory_size(m)
    contacts = (((glue, above),) if above is not None else ()) + ((m.name, glue),)
    parts = _Parts(bodies=(_glue(f, glue, (sx, sy), z, label), _memory(f, m, za)), contacts=contacts)
    return parts, za - f.p.memory_thickness


def _under_sensor(f: _Frame, z: float) -> tuple[_Parts, float]:
    """Adhesive 124 under the sensor (top at ``z``), with a memory die glued under it (FIG. 4 to 7)."""
    p, m = f.p, f.st.under_sensor
    if m is None:
        glue = _glue(f, "adhesive_a", (p.die_x, p.die_y), z, "adhesive")
        return _Parts(bodies=(glue,), contacts=(("adhesive_a", "sensor"),)), z - p.adhesive_thickness
    parts, mt = _glued_die(f, m, "adhesive_a", "sensor", z, "adhesive")
    bumps = _bumps(f, _memory_face(f, m, mt, up=False), _plain_bond(f, 1, m.bump_suffix))
    return parts + _heat(f, m) + bumps, mt - p.bump_standoff


def _face_up(f: _Frame, m: Memory, z: float) -> tuple[_Parts, float]:
    """FIG. 2, 4: ``m`` under L1 (bottom at ``z``), bumped up into it, its back glued to L2."""
    p = f.p
    mt = z - p.bump_standoff
    mb = mt - p.memory_thickness
    sx, sy, _ = f.memory_size(m)
    glue = _glue(f, "adhesive_b", (sx, sy), mb, _BETWEEN_ADHESIVE_LABEL[True])
    parts = (
        _Parts(bodies=(_memory(f, m, mt),))
        + _bumps(f, _memory_face(f, m, mt, up=True), _plain_bond(f, 1, m.bump_suffix))
        + _Parts(bodies=(glue,), contacts=((m.name, "adhesive_b"),))
    )
    return parts, mb - p.adhesive_thickness


def _face_down(f: _Frame, m: Memory, z: float) -> tuple[_Parts, float]:
    """FIG. 3, 5, 6: ``m`` glued under L1 (bottom at ``z``), bumped down to L2 (over a third die in FIG. 6)."""
    parts, mb = _glued_die(f, m, "adhesive_b", None, z, _BETWEEN_ADHESIVE_LABEL[False])
    if f.st.third is not None:
        under, z_out = _third(f, m, f.st.third, mb)
        return parts + under, z_out
    bumps = _bumps(f, _memory_face(f, m, mb, up=False), _plain_bond(f, 2, m.bump_suffix))
    return parts + bumps, mb - f.p.bump_standoff


def _third(f: _Frame, m: Memory, t: Memory, mb: float) -> tuple[_Parts, float]:
    """FIG. 6: die ``t`` glued under ``m`` (bottom at ``mb``), both bumped to L2, ``m`` on pillars around ``t``."""
    p = f.p
    parts, tb = _glued_die(f, t, "adhesive_c", m.name, mb, _THIRD_ADHESIVE_LABEL)
    pillar = mb - (tb - p.bump_standoff) + f.tpi
    pillars = _Bond(2, f.tag(Numeral.BUMP, m.bump_suffix), PILLAR_INSET_M, pillar, pillar=True)
    parts += (
        _heat(f, t)
        + _bumps(f, _memory_face(f, t, tb, up=False), _plain_bond(f, 2, t.bump_suffix))
        + _bumps(f, _memory_face(f, m, mb, up=False), pillars)
    )
    return parts, tb - p.bump_standoff


def _stack(f: _Frame) -> _Stack:
    """Sensor, the dies and adhesives between the flex segments, and where the segments lie."""
    parts, z, window = _sensor(f)
    under, z = _under_sensor(f, z)
    segment_z = [-f.flex_t, z - f.flex_t]
    z -= f.flex_t
    parts += under
    m = f.st.between
    if m is not None:
        between, z = _face_up(f, m, z) if f.st.face_up else _face_down(f, m, z)
        parts += between + _heat(f, m)
        segment_z.append(z - f.flex_t)
    return _Stack(parts, tuple(segment_z), window)


# --- The flex, the glass and the balls, with the bottom of the lowest segment at z = 0 -------------


def _sheet_name(piece: FlexPiece, index: int, layer: FlexLayer) -> str:
    return f"flex_{'L' if piece is FlexPiece.SEGMENT else 'bend'}{index}_{layer.value}"


def _sheet(f: _Frame, part: FlexPart, solid: Box | BentSheet, numeral: int | str, label: str) -> Body:
    """One sheet of the flex, marked with its place."""
    cu = part.layer is FlexLayer.CONDUCTOR
    return Body(
        _sheet_name(part.piece, part.index, part.layer),
        Role.FLEX_CONDUCTOR if cu else Role.FLEX,
        f.p.conductor_material if cu else f.p.film_material,
        solid,
        numeral,
        label,
        tags=frozenset({"patterned"} if cu else ()),
        flex=part,
    )


def _holes(pts: list[tuple[float, float]], za: float, zb: float, size: float) -> list[Box]:
    o = HOLE_OVERSHOOT_M
    return [Box((x - size / 2, y - size / 2, za - o), (x + size / 2, y + size / 2, zb + o)) for x, y in pts]


def _segment(f: _Frame, k: int, z0: float, bottom: bool, window: Box, bumps: tuple[_Bump, ...]) -> _Parts:
    """Segment ``k`` (bottom at ``z0``): film holes over its bumps, ball holes if lowest, the window in L0."""
    p, tpi, tcu, t = f.p, f.tpi, f.tcu, f.flex_t
    hole = BUMP_HOLE_RATIO * p.bump_diameter
    lower = _holes([b.xy for b in bumps if b.segment == k and b.from_below], z0, z0 + tpi, hole)
    upper = _holes([b.xy for b in bumps if b.segment == k and not b.from_below], z0 + tpi + tcu, z0 + t, hole)
    if bottom:
        lower = _holes([(s[1], s[2]) for s in ball_sites(p)], z0, z0 + tpi, BALL_HOLE_RATIO * p.land_diameter)
    win = [window] if k == 0 else []
    film, cu = f.num(Numeral.FILM), f.num(Numeral.CONDUCTOR)
    sheets = (
        (FlexLayer.LOWER, z0, z0 + tpi, [*lower, *win], film, "insulative layer"),
        (FlexLayer.CONDUCTOR, z0 + tpi, z0 + tpi + tcu, win, cu, "electrically conductive patterns"),
        (FlexLayer.UPPER, z0 + tpi + tcu, z0 + t, [*upper, *win], film, "insulative layer"),
    )
    return _Parts(
        bodies=tuple(
            _sheet(
                f, FlexPart(FlexPiece.SEGMENT, k, layer), box(f.x_left, -f.fy, za, f.x_right, f.fy, zb, cuts), n, lab
            )
            for layer, za, zb, cuts, n, lab in sheets
        )
    )


def _bend(f: _Frame, k: int, z_above: float, z_below: float) -> _Parts:
    """Bend ``k``: three half-annuli joining the copper of segments k-1 (bottom ``z_above``) and k."""
    tpi, tcu = f.tpi, f.tcu
    za_cu = z_above + tpi + tcu / 2
    zb_cu = z_below + tpi + tcu / 2
    zc = (za_cu + zb_cu) / 2
    r_mid = (za_cu - zb_cu) / 2
    r_cu = r_mid - tcu / 2
    require(r_cu - tpi > 0, "bump_standoff", mm(f.p.bump_standoff), "the stack is too thin to bend the flex around")
    side = _BEND_SIDE[k]
    xb = f.x_left if side < 0 else f.x_right
    num = f.tag(Numeral.CURVED_PORTION, _BEND_SUFFIX[k])
    sheets = ((FlexLayer.INNER, r_cu - tpi, tpi), (FlexLayer.CONDUCTOR, r_cu, tcu), (FlexLayer.OUTER, r_cu + tcu, tpi))
    bodies = tuple(
        _sheet(
            f,
            FlexPart(FlexPiece.BEND, k, layer),
            BentSheet(Axis.Y, xb, zc, r_in, t, (-f.fy, f.fy), side),
            num,
            "curved portion",
        )
        for layer, r_in, t in sheets
    )
    cu = _sheet_name(FlexPiece.BEND, k, FlexLayer.CONDUCTOR)
    seg = [_sheet_name(FlexPiece.SEGMENT, j, FlexLayer.CONDUCTOR) for j in (k - 1, k)]
    marker = Marker(num, "curved portion", (xb + side * (r_mid + tcu), 0.0, zc))
    return _Parts(bodies=bodies, contacts=((cu, seg[0]), (cu, seg[1])), markers=(marker,))


def _ir_cut(material: str) -> bool:
    return "ircut" in material or "ir_cut" in material


def _glass(f: _Frame, segment_z: tuple[float, ...]) -> _Parts:
    """Adhesive 131 and the glass over L0, ringed round the window; the side-surface and hole markers."""
    p = f.p
    top_l0 = segment_z[0] + f.flex_t
    za = top_l0 + p.adhesive_thickness
    zg = za + p.glass_thickness / 2
    ring = Box(
        (-p.window_x / 2, -p.window_y / 2, top_l0 - CUT_OVERSHOOT_M),
        (p.window_x / 2, p.window_y / 2, za + CUT_OVERSHOOT_M),
    )
    glue_box = box(f.x_left, -f.fy, top_l0, f.x_right, f.fy, za, [ring])
    glue = body(
        "glass_adhesive", Role.ADHESIVE, p.adhesive_material, glue_box, f.num(Numeral.GLASS_ADHESIVE), "adhesive"
    )
    ir = _ir_cut(p.glass_material)
    glass_box = box(f.x_left, -f.fy, za, f.x_right, f.fy, za + p.glass_thickness)
    label = "glass (IR-cut)" if ir else "glass"
    glass = body(
        "glass", Role.GLASS, p.glass_material, glass_box, f.num(Numeral.GLASS), label, tags=("ir_cut",) if ir else ()
    )
    markers = (
        Marker(f.num(Numeral.GLASS_SIDE_FAR), "side surface (glass)", (f.x_right, 0.0, zg)),
        Marker(f.num(Numeral.GLASS_SIDE_BEND), "side surface (glass)", (f.x_left, 0.0, zg)),
        Marker(
            f.num(Numeral.SUBSTRATE_SIDE), "side surface (substrate)", (f.x_right, 0.0, segment_z[0] + f.flex_t / 2)
        ),
        Marker(f.num(Numeral.HOLES), "holes", (0.0, 0.0, segment_z[-1] + f.tpi / 2)),
    )
    contacts = (("glass_adhesive", _sheet_name(FlexPiece.SEGMENT, 0, FlexLayer.UPPER)), ("glass", "glass_adhesive"))
    return _Parts(bodies=(glue, glass), contacts=contacts, markers=markers)


def _route(f: _Frame, b: _Bump, ball: str, xy: tuple[float, float], last: int) -> Net:
    """The net of bump ``b``: its pad to its ball along the copper from its segment round the bends."""
    media = [_sheet_name(FlexPiece.SEGMENT, b.segment, FlexLayer.CONDUCTOR)]
    for j in range(b.segment + 1, last + 1):
        media += [
            _sheet_name(FlexPiece.BEND, j, FlexLayer.CONDUCTOR),
            _sheet_name(FlexPiece.SEGMENT, j, FlexLayer.CONDUCTOR),
        ]
    # Manhattan length under the die, plus the way round bend 1 for the sensor's segment.
    length = abs(xy[0]) + abs(xy[1]) + (2 * abs(f.x_left) if b.segment == 0 else 0.0)
    return Net(b.net, NetKind.SIGNAL, ((b.pad, b.body),), (Route(b.body, ball, tuple(media), length),))


def _balls(f: _Frame, segment_z: tuple[float, ...], bumps: tuple[_Bump, ...]) -> tuple[_Parts, tuple[Net, ...]]:
    """A ball in each hole of the lowest segment, outer ring first; each bump's pad gets its own ball."""
    p = f.p
    sites = ball_sites(p)
    require(
        len(sites) >= len(bumps),
        "ball_pitch",
        mm(p.ball_pitch),
        f"{len(sites)} balls under the die cannot serve {len(bumps)} pads",
    )
    served = {site: b for (site, _, _), b in zip(sites, bumps, strict=False)}
    z_top = segment_z[-1] + f.tpi
    bodies, nets = [], []
    for site, x, y in sites:
        b = served.get(site)
        solid = solder_ball(x, y, z_top, p.ball_diameter, p.land_diameter)
        net = b.net if b is not None else None
        bodies.append(
            body(f"ball_{site}", Role.BALL, p.ball_material, solid, f.num(Numeral.BALLS), "solder balls", net=net)
        )
        if b is not None:
            nets.append(_route(f, b, f"ball_{site}", (x, y), len(segment_z) - 1))
    return _Parts(bodies=tuple(bodies)), tuple(nets)


def _fold_contacts(f: _Frame) -> _Parts:
    """The fold adhesives touch the segment they glue the dies to."""
    st = f.st
    a = _sheet_name(FlexPiece.SEGMENT, 1, FlexLayer.UPPER) if st.under_sensor is None else "sensor"
    pairs = [("adhesive_a", a)]
    if st.between is not None:
        b = (FlexPiece.SEGMENT, 2, FlexLayer.UPPER) if st.face_up else (FlexPiece.SEGMENT, 1, FlexLayer.LOWER)
        pairs.append(("adhesive_b", _sheet_name(*b)))
    return _Parts(contacts=tuple(pairs))


def build(p: FlexCspParams, lib: MaterialLibrary, name: str) -> Package:
    """Build the folded-flex CSP for the chosen embodiment (see `STACKINGS`)."""
    f = _frame(p)
    _check(f, lib)
    stack = _stack(f)
    shift = -stack.segment_z[-1]  # the bottom of the lowest segment at z = 0
    segment_z = tuple(z + shift for z in stack.segment_z)
    window = stack.window.translated((0.0, 0.0, shift))
    parts = stack.parts.lifted(shift)
    last = len(segment_z) - 1
    for k, z0 in enumerate(segment_z):
        parts += _segment(f, k, z0, k == last, window, stack.parts.bumps)
    for k in range(1, last + 1):
        parts += _bend(f, k, segment_z[k - 1], segment_z[k])
    parts += _glass(f, segment_z)
    balls, nets = _balls(f, segment_z, parts.bumps)
    parts += balls + _fold_contacts(f)
    return Package(
        name=name,
        family="flex_csp",
        bodies=parts.bodies,
        materials=lib,
        pads=parts.pads,
        nets=nets,
        heat_sources=parts.heat,
        contacts=parts.contacts,
        features={
            "embodiment": p.embodiment.value,
            "memory_dies": f.st.memories,
            "ir_cut": _ir_cut(p.glass_material),
            "bends": f.st.bends,
            "sensor_type": p.sensor_type.value,
            "back_ground": f.st.back_ground,
        },
        parameters=p,
        section_hint=("y", 0.0 if row_on_axis(p) else p.ball_pitch / 2),
        markers=parts.markers,
    )


__all__ = ["STACKINGS", "Embodiment", "FlexCspParams", "Numeral", "SensorType", "Stacking", "build"]
