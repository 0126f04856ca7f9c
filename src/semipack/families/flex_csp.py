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

from dataclasses import dataclass

from semipack.families.common import body, box, centered_box
from semipack.families.flex_csp_flex import balls_and_routes, bend_sheets, fold_contacts, glass, ir_cut, segment_sheets
from semipack.families.flex_csp_frame import (
    CUT_OVERSHOOT_M,
    PAD_END_MARGIN_M,
    PAD_INSET_M,
    PILLAR_INSET_M,
    STACKINGS,
    WINDOW_BELOW_M,
    WINDOW_CLEARANCE_M,
    WINDOW_TOP_M,
    Bump,
    Frame,
    Memory,
    Numeral,
    Parts,
    Stacking,
    check_design,
    frame_of,
)
from semipack.families.flex_csp_params import Embodiment, FlexCspParams, SensorType, row_on_axis
from semipack.geometry import Box, Cylinder
from semipack.materials import MaterialLibrary
from semipack.model import (
    Body,
    HeatSource,
    Marker,
    Package,
    Pad,
    Role,
)
from semipack.model.roles import IMAGE_SENSOR

_BUMP_LABEL = {False: "conductive bump", True: "conductive pillar"}
# The adhesive under a face-up first memory and over a face-down one, labelled with the
# numerals of FIG. 2 and FIG. 3 whatever the figure (as drawn since the first version).
_BETWEEN_ADHESIVE_LABEL = {True: "adhesive (224a)", False: "adhesive (324a)"}
_THIRD_ADHESIVE_LABEL = "adhesive (624a)"


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


def _bumps(f: Frame, face: _Face, bond: _Bond) -> Parts:
    """Bumps from every pad of ``face`` onto segment ``bond.segment``: pads, bump bodies, flex openings."""
    p = f.p
    pads: list[Pad] = []
    bodies: list[Body] = []
    bumps: list[Bump] = []
    for k, (pname, x, y) in enumerate(_die_pads(face, bond.inset), start=1):
        net = f"{face.die}.PAD{k}"
        bname = f"{face.die}_bump{k}"
        z0, z1 = (face.z, face.z + bond.height) if face.up else (face.z - bond.height, face.z)
        solid = Cylinder((x, y), p.bump_diameter / 2, z0, z1)
        pads.append(Pad(pname, face.die, (x, y), p.bump_diameter, net))
        bodies.append(body(bname, Role.BUMP, p.bump_material, solid, bond.numeral, _BUMP_LABEL[bond.pillar], net=net))
        bumps.append(Bump(pname, bname, bond.segment, net, (x, y), face.up))
    return Parts(bodies=tuple(bodies), pads=tuple(pads), bumps=tuple(bumps))


def _glue(f: Frame, name: str, size: tuple[float, float], z_top: float, label: str) -> Body:
    """An adhesive under ``z_top``."""
    solid = centered_box(size[0], size[1], z_top - f.p.adhesive_thickness, z_top)
    return body(name, Role.ADHESIVE, f.p.adhesive_material, solid, f.num(Numeral.ADHESIVE), label)


def _memory_face(f: Frame, m: Memory, z: float, up: bool) -> _Face:
    sx, sy, per_side = f.memory_size(m)
    return _Face(m.name, sx, sy, per_side, z, up)


def _plain_bond(f: Frame, segment: int, suffix: str) -> _Bond:
    """Stud bumps across the stand-off into the film of ``segment``."""
    return _Bond(segment, f.tag(Numeral.BUMP, suffix), PAD_INSET_M, f.p.bump_standoff + f.tpi)


def _memory(f: Frame, m: Memory, z_top: float) -> Body:
    """Memory die ``m`` with its top at ``z_top``."""
    sx, sy, _ = f.memory_size(m)
    solid = centered_box(sx, sy, z_top - f.p.memory_thickness, z_top)
    return body(m.name, Role.DIE, "si", solid, f.num(m.numeral), m.name.replace("_", " ") + " die")


def _heat(f: Frame, m: Memory) -> Parts:
    return Parts(heat=(HeatSource(m.name, f.p.memory_power),))


# --- The stack, top-down from the top of segment L0 at z = 0 --------------------------------------


@dataclass(frozen=True)
class _Stack:
    parts: Parts
    segment_z: tuple[float, ...]  # bottom of each flex segment, L0 first
    window: Box  # the window's cut-out through L0


def _sensor(f: Frame) -> tuple[Parts, float, Box]:
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
        Parts(bodies=(sensor,), heat=(HeatSource("sensor", p.die_power),))
        + _bumps(f, face, _plain_bond(f, 0, ""))
        + Parts(bodies=(encapsulant,), contacts=(("encapsulant", "sensor"),), markers=markers)
    )
    return parts, bot, window


def _glued_die(f: Frame, m: Memory, glue: str, above: str | None, z: float, label: str) -> tuple[Parts, float]:
    """Adhesive ``glue`` under ``z`` (touching ``above``) and die ``m`` under it; the die's bottom."""
    za = z - f.p.adhesive_thickness
    sx, sy, _ = f.memory_size(m)
    contacts = (((glue, above),) if above is not None else ()) + ((m.name, glue),)
    parts = Parts(bodies=(_glue(f, glue, (sx, sy), z, label), _memory(f, m, za)), contacts=contacts)
    return parts, za - f.p.memory_thickness


def _under_sensor(f: Frame, z: float) -> tuple[Parts, float]:
    """Adhesive 124 under the sensor (top at ``z``), with a memory die glued under it (FIG. 4 to 7)."""
    p, m = f.p, f.st.under_sensor
    if m is None:
        glue = _glue(f, "adhesive_a", (p.die_x, p.die_y), z, "adhesive")
        return Parts(bodies=(glue,), contacts=(("adhesive_a", "sensor"),)), z - p.adhesive_thickness
    parts, mt = _glued_die(f, m, "adhesive_a", "sensor", z, "adhesive")
    bumps = _bumps(f, _memory_face(f, m, mt, up=False), _plain_bond(f, 1, m.bump_suffix))
    return parts + _heat(f, m) + bumps, mt - p.bump_standoff


def _face_up(f: Frame, m: Memory, z: float) -> tuple[Parts, float]:
    """FIG. 2, 4: ``m`` under L1 (bottom at ``z``), bumped up into it, its back glued to L2."""
    p = f.p
    mt = z - p.bump_standoff
    mb = mt - p.memory_thickness
    sx, sy, _ = f.memory_size(m)
    glue = _glue(f, "adhesive_b", (sx, sy), mb, _BETWEEN_ADHESIVE_LABEL[True])
    parts = (
        Parts(bodies=(_memory(f, m, mt),))
        + _bumps(f, _memory_face(f, m, mt, up=True), _plain_bond(f, 1, m.bump_suffix))
        + Parts(bodies=(glue,), contacts=((m.name, "adhesive_b"),))
    )
    return parts, mb - p.adhesive_thickness


def _face_down(f: Frame, m: Memory, z: float) -> tuple[Parts, float]:
    """FIG. 3, 5, 6: ``m`` glued under L1 (bottom at ``z``), bumped down to L2 (over a third die in FIG. 6)."""
    parts, mb = _glued_die(f, m, "adhesive_b", None, z, _BETWEEN_ADHESIVE_LABEL[False])
    if f.st.third is not None:
        under, z_out = _third(f, m, f.st.third, mb)
        return parts + under, z_out
    bumps = _bumps(f, _memory_face(f, m, mb, up=False), _plain_bond(f, 2, m.bump_suffix))
    return parts + bumps, mb - f.p.bump_standoff


def _third(f: Frame, m: Memory, t: Memory, mb: float) -> tuple[Parts, float]:
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


def _stack(f: Frame) -> _Stack:
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


def build(p: FlexCspParams, lib: MaterialLibrary, name: str) -> Package:
    """Build the folded-flex CSP for the chosen embodiment (see `STACKINGS`)."""
    f = frame_of(p)
    check_design(f, lib)
    stack = _stack(f)
    shift = -stack.segment_z[-1]  # the bottom of the lowest segment at z = 0
    segment_z = tuple(z + shift for z in stack.segment_z)
    window = stack.window.translated((0.0, 0.0, shift))
    parts = stack.parts.lifted(shift)
    last = len(segment_z) - 1
    for k, z0 in enumerate(segment_z):
        parts += segment_sheets(f, k, z0, k == last, window, stack.parts.bumps)
    for k in range(1, last + 1):
        parts += bend_sheets(f, k, segment_z[k - 1], segment_z[k])
    parts += glass(f, segment_z)
    balls, nets = balls_and_routes(f, segment_z, parts.bumps)
    parts += balls + fold_contacts(f)
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
            "ir_cut": ir_cut(p.glass_material),
            "bends": f.st.bends,
            "sensor_type": p.sensor_type.value,
            "back_ground": f.st.back_ground,
        },
        parameters=p,
        section_hint=("y", 0.0 if row_on_axis(p) else p.ball_pitch / 2),
        markers=parts.markers,
    )


__all__ = ["STACKINGS", "Embodiment", "FlexCspParams", "Numeral", "SensorType", "Stacking", "build"]
