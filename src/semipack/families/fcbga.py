"""Flip-chip BGA (``fcbga``): a bumped die on a build-up substrate, bare or under a lid.

A die face down on an area array of solder bumps, underfilled, on a build-up
substrate described by its stack-up (a core with build-up layers on both faces, copper
layers smeared with their coverage, plated vias under the die); either a bare die or a
hat-shaped lid: a top plate on a ring of walls (the foot) bonded to the substrate by a
lid adhesive, with TIM1 between the die back and the lid and an air cavity around the
die; optional ceramic capacitors on either face (die side in the cavity or outside the
lid, land side among the balls); solder balls on a generated array (full or perimeter
rows, named depopulated sites) or on a pin-map table. Power: uniform, blocks and a grid
on the die (`powermap`).

The defaults imitate a 35 x 35 mm, 1.0 mm pitch, 1156-ball (34 x 34 full array) lidded
FCBGA of the FPGA / network-switch class (the outline of lidded FPGA packages such as
Xilinx's Virtex-6 FF1156): a 12 x 12 x 0.75 mm die at 25 W on 60 x 60 SAC305 bumps at
0.2 mm pitch with capillary underfill; an 8-layer "3-2-3" build-up substrate (0.8 mm
BT core, 30 um ABF build-up layers, 15 um copper, 1.14 mm with its solder mask) with
0.15 mm plated vias at 0.4 mm under the die; a one-piece copper lid (0.8 mm top plate,
2.5 mm foot, 50 um silicone lid adhesive, 50 um TIM1); eight 0402 decoupling
capacitors in the lid cavity; 0.6 mm SAC305 balls on 0.5 mm lands.

Modelling choices. The lid's cavity is left empty: the thermal solver treats void
cells that do not reach its box boundary, and any void inside the package outline, as
still air that conducts (``thermal.steady._exterior``), so the sealed cavity conducts
as air and has no film coefficient. The lid foot's height is not a parameter: it is
what the bumps, the die and the TIM1 bond line leave between the lid adhesive and the
top plate. The vias under the die (core through-holes and stacked micro-vias) are one
smeared field of plated barrels through every dielectric (`laminate.ViaArray`). A
capacitor is a ceramic body (role ``passive``, on no net: it does not conduct at DC)
between two terminations (role ``passive``, on its two nets) standing on copper lands;
the nets reach it through the substrate.

Numerals are semipack's own (300 series) and appear in the drawing legend.

References
----------
JEDEC MS-034 (square plastic BGA outlines at 1.0 and 1.27 mm pitch: 0.60 mm nominal
balls at 1.0 mm pitch, at least 0.25 mm from ball edge to body edge); JEDEC JEP95
section 4.5 and JESD95-1 (ball names); IPC-7095 (0.5-0.6 mm balls on 0.4-0.5 mm lands
at 1.0 mm pitch); Amkor, "FCBGA: flip chip ball grid array" product data (4-8 layer
substrates, solder bumps from 130 um pitch, one- and two-piece lids, bodies to 45 mm);
EIA-198 / IEC 60384-1 chip-capacitor case sizes (inch codes). For context, a lidded
FCBGA's published numbers: Renesas (NEC) "FCBGA thermal characteristics" (one-piece
lid, JEDEC still air on a 4-layer board, simulated): theta-JA 12 C/W, psi-JT 0.10 C/W,
theta-JC 0.3 C/W for a 27 mm body with a 12.95 mm die.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import Annotated

import numpy as np
from pydantic import BeforeValidator

from semipack.errors import DesignError
from semipack.families.bga import ball_field
from semipack.families.common import (
    GridSite,
    ball_standoff,
    body,
    box,
    centered_box,
    require,
    require_material,
)
from semipack.families.laminate import (
    CopperLayer,
    Laminate,
    Stackup,
    ViaArray,
    build_laminate,
    check_stackup,
    fit_vias,
    thickness,
)
from semipack.families.params import Length, MaterialRef, Offset, Power, param
from semipack.families.parts import Callout, bump, flip_chip_die
from semipack.families.pinmap import (
    MAX_TERMINALS,
    PinEntry,
    PinRole,
    assign_grid_nets,
    check_pin_map,
    grid_sites,
    net_kind,
)
from semipack.families.powermap import PowerBlock, die_heat_sources
from semipack.geometry import Box
from semipack.materials import MaterialLibrary
from semipack.model import Body, Marker, Net, NetKind, Package, Pad, Role, Route
from semipack.units import mm, um

FAMILY = "fcbga"

# The die and its bumps are the parts `exposed_sink`'s flip-chip carrier is built from too (families/parts.py).
DIE = Callout(310, "die (flip chip)")
BUMP = Callout(312, "solder bump")

MAX_BUMPS = 20_000  # a 0.13 mm pitch array on a 18 x 18 mm die; keeps builds under a few seconds
MAX_CAPACITORS = 200
REFERENCE_DIE = 12e-3  # the die edge `DEFAULT_CAPACITORS` are placed around
DEFAULT_CAP_GAP = 0.1e-3  # a moved default capacitor keeps this beyond CLEARANCE from the fillet
DEFAULT_SIGNALS = 600  # the generated pin-out of a 35 mm, 34 x 34-ball body (a mid-range processor's I/O count)
CLEARANCE = 0.2e-3  # least gap kept between a capacitor and the die, its fillet or the lid foot
BALL_EDGE = 0.25e-3  # JEDEC MS-034: at least 0.25 mm from a ball's edge to the body edge


class Face(Enum):
    """Which face of the substrate a capacitor sits on."""

    TOP = "top"
    BOTTOM = "bottom"


class CapSize(Enum):
    """Chip-capacitor case sizes by EIA inch code (an unquoted YAML 0402 is read back, see `_case_code`)."""

    C0201 = "0201"
    C0402 = "0402"
    C0603 = "0603"
    C0805 = "0805"


# Length x width of each case (EIA-198 / IEC 60384-1 nominal sizes), m.
CAP_DIMENSIONS: dict[CapSize, tuple[float, float]] = {
    CapSize.C0201: (0.6e-3, 0.3e-3),
    CapSize.C0402: (1.0e-3, 0.5e-3),
    CapSize.C0603: (1.6e-3, 0.8e-3),
    CapSize.C0805: (2.0e-3, 1.25e-3),
}
# Each termination band covers a quarter of the length (0.25 mm on an 0402, as maker drawings give).
BAND_FRACTION = 0.25


def _case_code(v: object) -> object:
    """Read a case code that YAML turned into a number back as its four digits.

    YAML 1.1 reads an unquoted ``0402`` as the octal number 258 (and ``402`` is a plain
    402), so a template printed with ``size: 0402`` would not load again. An integer is
    taken as the code whose octal or decimal digits it spells.
    """
    if isinstance(v, int) and not isinstance(v, bool):
        codes = {m.value for m in CapSize}
        for text in (f"{v:o}".zfill(4), str(v).zfill(4)):
            if text in codes:
                return text
    return v


CaseCode = Annotated[CapSize, BeforeValidator(_case_code)]


@dataclass(frozen=True)
class BumpArray:
    """The flip-chip bumps: a full area array on the die at ``pitch``."""

    pitch: Length = param(0.2e-3, "bump pitch (full area array, centred on the die)")
    diameter: Length = param(0.11e-3, "bump diameter (the reflowed sphere)")
    height: Length = param(0.08e-3, "bump height after reflow (die-to-substrate gap)")
    material: MaterialRef = param(MaterialRef("sac305"), "bump alloy")


@dataclass(frozen=True)
class Lid:
    """A one-piece hat-shaped lid: top plate on a foot ring bonded to the substrate."""

    material: MaterialRef = param(MaterialRef("cu_rolled"), "lid material")
    size_x: Length | None = param(None, "lid outline in x (null = the body)")
    size_y: Length | None = param(None, "lid outline in y (null = the body)")
    top_thickness: Length = param(0.8e-3, "top plate thickness")
    foot_width: Length = param(2.5e-3, "width of the wall/foot ring bonded to the substrate")
    adhesive_bond_line: Length = param(50e-6, "lid adhesive between foot and substrate")
    adhesive_material: MaterialRef = param(MaterialRef("thermal_glue"), "lid adhesive")
    tim1_bond_line: Length = param(50e-6, "TIM1 bond line between die back and lid")
    tim1_material: MaterialRef = param(MaterialRef("thermal_glue"), "TIM1 material")


@dataclass(frozen=True)
class Capacitor:
    """A chip capacitor on the substrate, centred at (x, y)."""

    x: Offset = param(0.0, "centre x from the body centre")
    y: Offset = param(9e-3, "centre y from the body centre")
    size: CaseCode = param(CapSize.C0402, "EIA case, inch code (0201, 0402, 0603, 0805)")
    height: Length = param(0.5e-3, "body height")
    face: Face = param(Face.TOP, "top (die side) | bottom (land side, among the balls)")
    rotated: bool = param(False, "long axis along y (false: along x)")
    net_a: str = param("VDD", "net of the -x (or -y) termination")
    net_b: str = param("VSS", "net of the +x (or +y) termination")


# 3 build-up layers + core + 3 build-up layers: signal / plane alternating, core planes.
_COVERAGE = (0.5, 0.8, 0.5, 0.85, 0.85, 0.5, 0.8, 0.5)


@dataclass(frozen=True)
class BuildupStackup(Stackup):
    """The laminate stack-up with an FCBGA's defaults: "3-2-3" build-up on a BT core.

    A subclass only to change the defaults: a design file that gives part of
    ``stackup:`` keeps these for the rest, not the generic laminate's.
    """

    copper: tuple[CopperLayer, ...] = param(
        tuple(CopperLayer(15e-6, c) for c in _COVERAGE), "copper layers, top (die side) first; an even count from 2"
    )
    core_thickness: Length = param(0.8e-3, "core thickness (between the middle copper layers)")
    prepreg_thickness: Length = param(30e-6, "each build-up dielectric layer")
    core_material: MaterialRef = param(MaterialRef("bt_core"), "core dielectric")
    prepreg_material: MaterialRef = param(MaterialRef("abf"), "build-up dielectric (film)")


@dataclass(frozen=True)
class CoreVias(ViaArray):
    """Plated vias under the die with an FCBGA's defaults (the same role as `BuildupStackup`)."""

    pitch: Length = param(0.4e-3, "via pitch")
    drill: Length = param(0.15e-3, "finished hole diameter before plating")
    plating: Length = param(15e-6, "barrel plating thickness")


# Two decoupling capacitors beside each die edge, in the lid cavity; the side pairs
# sit on the default section (y = -0.5 mm) so the drawing shows them.
DEFAULT_CAPACITORS = (
    Capacitor(-3e-3, 9e-3),
    Capacitor(3e-3, 9e-3),
    Capacitor(-3e-3, -9e-3),
    Capacitor(3e-3, -9e-3),
    Capacitor(-9e-3, -0.5e-3),
    Capacitor(9e-3, -0.5e-3),
    Capacitor(-9e-3, 3.5e-3),
    Capacitor(9e-3, 3.5e-3),
)


@dataclass(frozen=True)
class FcbgaParams:
    body_x: Length = param(35e-3, "package body edge in x")
    body_y: Length = param(35e-3, "package body edge in y")
    die_x: Length = param(12e-3, "die edge in x")
    die_y: Length = param(12e-3, "die edge in y")
    die_thickness: Length = param(0.75e-3, "die thickness")
    die_material: MaterialRef = param(MaterialRef("si"), "die material")
    die_power: Power = param(25.0, "uniform die power")
    power_blocks: tuple[PowerBlock, ...] = param((), "extra power in rectangles (die frame, origin at its centre)")
    power_grid_w: tuple[tuple[float, ...], ...] = param((), "power per cell in W, rows from +y (or a CSV file)")
    bumps: BumpArray = param(BumpArray(), "flip-chip bump array")
    underfill_material: MaterialRef | None = param(MaterialRef("underfill"), "underfill (null = none)")
    underfill_fillet: Length = param(0.5e-3, "underfill fillet beyond the die edge")
    stackup: BuildupStackup = param(BuildupStackup(), "build-up substrate stack-up (core in the middle)")
    thermal_vias: CoreVias | None = param(CoreVias(), "plated vias under the die, smeared (null = none)")
    lid: Lid | None = param(Lid(), "lid (null = bare die)")
    capacitors: tuple[Capacitor, ...] | None = param(
        None, "chip capacitors on the substrate (null = eight 0402s beside the die, placed in proportion to it)"
    )
    land_thickness: Length = param(15e-6, "copper of ball and capacitor lands")
    ball_pitch: Length = param(1.0e-3, "ball pitch")
    ball_diameter: Length = param(0.60e-3, "solder ball diameter")
    land_diameter: Length = param(0.50e-3, "ball land diameter")
    ball_material: MaterialRef = param(MaterialRef("sac305"), "ball alloy")
    ball_count_x: int | None = param(None, "columns of the generated array (null = as many as fit)")
    ball_count_y: int | None = param(None, "rows of the generated array (null = as many as fit)")
    ball_rows: int | None = param(None, "perimeter rows kept (null = full array)")
    depopulate: tuple[str, ...] = param((), "site names left out of the generated array (A1, K10, ...)")
    signals: int | None = param(
        None,
        "signal balls of the generated pin-out, the rest VDD/VSS (null = 600, fewer where fewer balls or bumps fit)",
    )
    pin_map: tuple[PinEntry, ...] = param((), "ball table (or a CSV/YAML file); replaces the generated array")


@dataclass(frozen=True)
class Levels:
    """Heights of the stack, m (substrate bottom at z = 0)."""

    sub_top: float
    die_bottom: float
    die_top: float
    lid_underside: float  # = die_top when there is no lid
    lid_top: float
    foot_bottom: float


@dataclass(frozen=True)
class BumpSite:
    name: str
    row: int
    col: int
    x: float
    y: float
    ring: int


def build(p: FcbgaParams, lib: MaterialLibrary, name: str) -> Package:
    """Build the flip-chip BGA: checks first, then substrate, die stack, lid, capacitors, balls and nets."""
    _check_materials(p, lib)
    check_stackup(p.stackup, lib)
    terms = terminals(p)
    z = levels(p, thickness(p.stackup))
    _check_layout(p, z)
    vias = None if p.thermal_vias is None else fit_vias(p.thermal_vias, (p.die_x, p.die_y))
    sites = bump_sites(p)
    bump_nets = assign_bumps(sites, terms, p.bumps.pitch)
    lam = build_laminate(p.stackup, lib, (p.body_x, p.body_y), 0.0, vias=vias, numeral=302)
    bodies = [_relabel(b) for b in lam.bodies]
    bodies += die_stack(p, z, sites, bump_nets)
    bodies += lid_bodies(p, z)
    bodies += ball_bodies(p, terms)
    caps = capacitor_bodies(p, z, terms, bump_nets)
    bodies += caps
    pads = [Pad(f"die.{s.name}", "die", (s.x, s.y), 0.8 * p.bumps.diameter, bump_nets[s.name]) for s in sites]
    nets = build_nets(lam, sites, bump_nets, terms, caps)
    heat = die_heat_sources("die", (0.0, 0.0), (p.die_x, p.die_y), p.die_power, p.power_blocks, p.power_grid_w, "")
    return Package(
        name=name,
        family=FAMILY,
        bodies=tuple(bodies),
        materials=lam.materials,
        pads=tuple(pads),
        nets=tuple(nets),
        heat_sources=heat,
        contacts=tuple(_contacts(p, lam.media[0])),
        features={
            "lid": p.lid is not None,
            "underfill": p.underfill_material is not None,
            "capacitors": len(capacitors_of(p)),
            "bumps": len(sites),
            "balls": len(terms),
            "copper_layers": len(p.stackup.copper),
            "thermal_vias": 0 if vias is None else (vias.count_x or 0) * (vias.count_y or 0),
            "pin_map": bool(p.pin_map),
        },
        parameters=p,
        section_hint=("y", section_y(sites, terms, p.ball_diameter)),
        markers=tuple(_markers(p, z)),
    )


# --- checks -------------------------------------------------------------------------------------


def _check_materials(p: FcbgaParams, lib: MaterialLibrary) -> None:
    for f in ("die_material", "ball_material"):
        require_material(lib, getattr(p, f), f)
    require_material(lib, p.bumps.material, "bumps.material")
    if p.underfill_material is not None:
        require_material(lib, p.underfill_material, "underfill_material")
    if p.lid is not None:
        for f in ("material", "adhesive_material", "tim1_material"):
            require_material(lib, getattr(p.lid, f), f"lid.{f}")


def _keepout(p: FcbgaParams) -> tuple[float, float]:
    """Half sizes of what the die occupies on the substrate: the die and its underfill fillet."""
    extra = p.underfill_fillet if p.underfill_material is not None else 0.0
    return p.die_x / 2 + extra, p.die_y / 2 + extra


def lid_outline(p: FcbgaParams, lid: Lid) -> tuple[float, float]:
    """The lid's outer size (x, y)."""
    return (
        lid.size_x if lid.size_x is not None else p.body_x,
        lid.size_y if lid.size_y is not None else p.body_y,
    )


def _check_layout(p: FcbgaParams, z: Levels) -> None:
    """Die and fillet on the body; the lid on the body, around the die, its foot tall enough."""
    kx, ky = _keepout(p)
    fits_x = kx + 0.5e-3 <= p.body_x / 2
    require(
        fits_x and ky + 0.5e-3 <= p.body_y / 2,
        "die_x" if not fits_x else "die_y",
        f"{mm(p.die_x)} x {mm(p.die_y)}",
        f"the die and its underfill fillet must fit on the {mm(p.body_x)} x {mm(p.body_y)} body with 0.5 mm to spare",
    )
    if p.lid is None:
        return
    lid = p.lid
    lx, ly = lid_outline(p, lid)
    require(
        lx <= p.body_x + 1e-12 and ly <= p.body_y + 1e-12,
        "lid.size_x" if lx > p.body_x + 1e-12 else "lid.size_y",
        f"{mm(lx)} x {mm(ly)}",
        f"the lid must lie on the {mm(p.body_x)} x {mm(p.body_y)} body",
    )
    ix, iy = lx / 2 - lid.foot_width, ly / 2 - lid.foot_width
    require(
        ix > 0 and iy > 0,
        "lid.foot_width",
        mm(lid.foot_width),
        f"must leave a cavity inside a {mm(lx)} x {mm(ly)} lid",
    )
    inside_x = kx + CLEARANCE <= ix
    require(
        inside_x and ky + CLEARANCE <= iy,
        "die_x" if not inside_x else "die_y",
        f"{mm(p.die_x)} x {mm(p.die_y)}",
        f"the die and its underfill fillet must fit inside the lid walls ({mm(2 * ix)} x {mm(2 * iy)}) "
        f"with {mm(CLEARANCE)} to spare",
    )
    require(
        z.lid_underside - z.foot_bottom >= 0.1e-3,
        "lid.adhesive_bond_line",
        um(lid.adhesive_bond_line),
        f"the lid foot must be at least 0.1 mm tall (the die stack is {mm(z.lid_underside - z.sub_top)} high)",
    )


def levels(p: FcbgaParams, sub_top: float) -> Levels:
    """Heights of the die, the lid's underside and top, and its foot."""
    die0 = sub_top + p.bumps.height
    die1 = die0 + p.die_thickness
    if p.lid is None:
        return Levels(sub_top, die0, die1, die1, die1, sub_top)
    under = die1 + p.lid.tim1_bond_line
    return Levels(sub_top, die0, die1, under, under + p.lid.top_thickness, sub_top + p.lid.adhesive_bond_line)


# --- balls ---------------------------------------------------------------------------------------


def terminals(p: FcbgaParams) -> tuple[PinEntry, ...]:
    """The ball map: the pin-map table, or the generated array with its default pin-out."""
    require(
        p.ball_diameter < p.ball_pitch,
        "ball_diameter",
        mm(p.ball_diameter),
        f"must be below the ball pitch {mm(p.ball_pitch)}",
    )
    require(p.land_diameter < p.ball_diameter, "land_diameter", mm(p.land_diameter), "must be below ball_diameter")
    hx, hy = p.body_x / 2 - p.ball_diameter / 2 - BALL_EDGE, p.body_y / 2 - p.ball_diameter / 2 - BALL_EDGE
    if p.pin_map:
        check_pin_map(p.pin_map, hx, hy, p.ball_diameter)
        return p.pin_map
    # Outer ball centres keep at least 0.75 pitch from the body edge (34 x 34 at 1.0 mm on
    # 35 mm), and the balls 0.25 mm (MS-034) at fine pitches.
    fit_x = min(math.floor((p.body_x - 1.5 * p.ball_pitch) / p.ball_pitch + 1e-9) + 1, _most(hx, p.ball_pitch))
    fit_y = min(math.floor((p.body_y - 1.5 * p.ball_pitch) / p.ball_pitch + 1e-9) + 1, _most(hy, p.ball_pitch))
    nx = p.ball_count_x if p.ball_count_x is not None else fit_x
    ny = p.ball_count_y if p.ball_count_y is not None else fit_y
    require(
        nx >= 2 and (nx - 1) * p.ball_pitch <= 2 * hx + 1e-12,
        "ball_count_x",
        nx,
        f"2 to {_most(hx, p.ball_pitch)} columns fit on {mm(p.body_x)}",
    )
    require(
        ny >= 2 and (ny - 1) * p.ball_pitch <= 2 * hy + 1e-12,
        "ball_count_y",
        ny,
        f"2 to {_most(hy, p.ball_pitch)} rows fit on {mm(p.body_y)}",
    )
    require(
        nx * ny <= MAX_TERMINALS, "ball_pitch", mm(p.ball_pitch), f"{nx} x {ny} sites: at most {MAX_TERMINALS} balls"
    )
    if p.ball_rows is not None:
        require(1 <= p.ball_rows <= (min(nx, ny) + 1) // 2, "ball_rows", p.ball_rows, f"1 to {(min(nx, ny) + 1) // 2}")
    known = {s[0] for s in grid_sites(nx, ny, p.ball_pitch, p.ball_pitch)}
    bad = [n for n in p.depopulate if n not in known]
    require(not bad, "depopulate", bad[:3], f"site names of the {nx} x {ny} grid (A1 to its far corner)")
    sites = grid_sites(nx, ny, p.ball_pitch, p.ball_pitch, rows=p.ball_rows, depopulate=p.depopulate)
    most = len(sites) - math.ceil(len(sites) / 4)
    require(len(sites) >= 2, "depopulate", len(p.depopulate), "must leave at least two balls (a supply pair)")
    signals = p.signals if p.signals is not None else default_signals(p, most)
    require(0 <= signals <= most, "signals", signals, f"0 to {most} (one site in four is a supply)")
    return assign_grid_nets(sites, signals)


def default_signals(p: FcbgaParams, most: int) -> int:
    """The generated pin-out's signal count when none is given: `DEFAULT_SIGNALS` where they fit.

    A smaller body has fewer balls (``most``, three in four of the sites) and a smaller die
    fewer bumps, each signal net needing one bump besides the VDD and VSS bumps
    (`assign_bumps`), so the default shrinks to what both allow instead of failing.
    """
    b = p.bumps
    nx = max(math.floor((p.die_x - b.pitch) / b.pitch + 1e-9) + 1, 0)  # as `bump_sites` places them
    ny = max(math.floor((p.die_y - b.pitch) / b.pitch + 1e-9) + 1, 0)
    return max(min(DEFAULT_SIGNALS, most, nx * ny - 2), 0)


def _most(half: float, pitch: float) -> int:
    return math.floor(2 * half / pitch + 1e-9) + 1


def ball_bodies(p: FcbgaParams, terms: Sequence[PinEntry]) -> list[Body]:
    """Lands under the substrate and a reflowed ball on each; NC balls on no net."""
    sites = [GridSite(t.name, 0, 0, t.x, t.y, 0) for t in terms]
    nets = {t.name: t.net_name for t in terms if t.role is not PinRole.NC}
    return ball_field(sites, 0.0, p.land_thickness, p.ball_diameter, p.land_diameter, p.ball_material, 340, 342, nets)


# --- die, bumps, underfill -----------------------------------------------------------------------


def bump_sites(p: FcbgaParams) -> list[BumpSite]:
    """A full bump array centred on the die, half a pitch (at least) in from its edges."""
    b = p.bumps
    require(b.diameter < b.pitch, "bumps.diameter", mm(b.diameter), f"must be below the bump pitch {mm(b.pitch)}")
    require(
        0.3 * b.diameter <= b.height <= b.diameter,
        "bumps.height",
        um(b.height),
        f"a reflowed bump is 0.3 to 1 times its diameter high ({um(0.3 * b.diameter)} to {um(b.diameter)})",
    )
    nx = math.floor((p.die_x - b.pitch) / b.pitch + 1e-9) + 1
    ny = math.floor((p.die_y - b.pitch) / b.pitch + 1e-9) + 1
    require(
        nx >= 2 and ny >= 2,
        "bumps.pitch",
        mm(b.pitch),
        f"at least 2 x 2 bumps must fit on the {mm(p.die_x)} x {mm(p.die_y)} die, half a pitch in from its edges",
    )
    require(nx * ny <= MAX_BUMPS, "bumps.pitch", mm(b.pitch), f"{nx} x {ny} bumps: at most {MAX_BUMPS} are modelled")
    return [
        BumpSite(
            f"b{r + 1}_{c + 1}",
            r,
            c,
            (c - (nx - 1) / 2) * b.pitch,
            ((ny - 1) / 2 - r) * b.pitch,
            min(r, c, ny - 1 - r, nx - 1 - c),
        )
        for r in range(ny)
        for c in range(nx)
    ]


def assign_bumps(sites: Sequence[BumpSite], terms: Sequence[PinEntry], pitch: float) -> dict[str, str]:
    """Net of each bump: one per signal net on the outer rings, the rest the supplies.

    Signals take the outermost bumps (I/O sits at the die edge), matched to their balls
    by angle so that the substrate fans out without crossing; every other bump carries a
    supply, the supplies alternating on a checkerboard as a power grid does.
    """
    signals: dict[str, PinEntry] = {}
    supplies: dict[str, PinEntry] = {}
    for t in terms:
        if t.role is PinRole.NC:
            continue
        target = signals if net_kind(t.role) is NetKind.SIGNAL else supplies
        target.setdefault(t.net_name, t)
    require(
        bool(supplies),
        "pin_map",
        f"{len(signals)} signal nets",
        "needs at least one power or ground ball: the bumps beyond the signals carry supplies",
    )
    need = len(signals) + len(supplies)
    require(
        len(sites) >= need,
        "bumps.pitch",
        mm(pitch),
        f"{len(sites)} bumps fit: {len(signals)} signal nets and {len(supplies)} supply nets need {need}",
    )
    order = sorted(sites, key=lambda s: (s.ring, math.atan2(s.y, s.x)))
    outer = sorted(order[: len(signals)], key=lambda s: math.atan2(s.y, s.x))
    by_angle = sorted(signals.values(), key=lambda t: math.atan2(t.y, t.x))
    out = {s.name: t.net_name for s, t in zip(outer, by_angle, strict=True)}
    rest = order[len(signals) :]
    names = list(supplies)
    for s in rest:
        out[s.name] = names[(s.row + s.col) % len(names)]
    for n in names:
        require(n in out.values(), "bumps.pitch", mm(pitch), f"supply net {n!r} got none of the {len(sites)} bumps")
    return out


def die_stack(p: FcbgaParams, z: Levels, sites: Sequence[BumpSite], nets: dict[str, str]) -> list[Body]:
    """The die face down, its bumps, and the underfill with its fillet."""
    b = p.bumps
    out = [flip_chip_die((p.die_x, p.die_y), z.die_bottom, p.die_thickness, p.die_material, DIE)]
    die_box = centered_box(p.die_x, p.die_y, z.die_bottom, z.die_top)  # the underfill's hole
    zc = (z.sub_top + z.die_bottom) / 2
    for s in sites:
        out.append(
            bump(
                f"bump_{s.name}",
                (s.x, s.y, zc),
                b.diameter / 2,
                (z.sub_top, z.die_bottom),
                b.material,
                BUMP,
                nets[s.name],
            )
        )
    if p.underfill_material is not None:
        kx, ky = _keepout(p)
        # The fillet climbs half-way up the die edge; the die itself is cut out.
        fill = box(-kx, -ky, z.sub_top, kx, ky, z.die_bottom + p.die_thickness / 2, (die_box,))
        out.append(body("underfill", Role.ENCAPSULANT, p.underfill_material, fill, 314, "underfill"))
    return out


# --- lid -----------------------------------------------------------------------------------------


def lid_bodies(p: FcbgaParams, z: Levels) -> list[Body]:
    """TIM1 on the die back, the lid's top plate and foot, and the adhesive under the foot.

    The one-piece lid is modelled as its top plate and four foot strips (same material,
    touching): a single box with the cavity cut out would have a bounding box over every
    bump, and the overlap check would sample each of them against it.
    """
    if p.lid is None:
        return []
    lid = p.lid
    lx, ly = lid_outline(p, lid)
    out = [
        body(
            "tim1",
            Role.THERMAL_GLUE,
            lid.tim1_material,
            centered_box(p.die_x, p.die_y, z.die_top, z.lid_underside),
            322,
            "TIM1",
        ),
        body("lid", Role.HEAT_SPREADER, lid.material, centered_box(lx, ly, z.lid_underside, z.lid_top), 320, "lid"),
    ]
    for side, (cx, cy, sx, sy) in ring_strips(lx, ly, lid.foot_width).items():
        foot = centered_box(sx, sy, z.foot_bottom, z.lid_underside, cx, cy)
        glue = centered_box(sx, sy, z.sub_top, z.foot_bottom, cx, cy)
        out.append(body(f"lid_foot_{side}", Role.HEAT_SPREADER, lid.material, foot, 320, "lid"))
        out.append(body(f"lid_adhesive_{side}", Role.ADHESIVE, lid.adhesive_material, glue, 324, "lid adhesive"))
    return out


def ring_strips(lx: float, ly: float, w: float) -> dict[str, tuple[float, float, float, float]]:
    """A rectangular ring of width ``w`` as four strips: centre x, y and size x, y by side."""
    return {
        "s": (0.0, -(ly - w) / 2, lx, w),
        "n": (0.0, (ly - w) / 2, lx, w),
        "w": (-(lx - w) / 2, 0.0, w, ly - 2 * w),
        "e": ((lx - w) / 2, 0.0, w, ly - 2 * w),
    }


def _markers(p: FcbgaParams, z: Levels) -> list[Marker]:
    if p.lid is None:
        return []
    lx, _ = lid_outline(p, p.lid)
    x = (_keepout(p)[0] + lx / 2 - p.lid.foot_width) / 2
    return [Marker(326, "air cavity", (x, 0.0, (z.sub_top + z.lid_underside) / 2))]


def _contacts(p: FcbgaParams, top_layer: str) -> list[tuple[str, str]]:
    out = [("underfill", top_layer), ("die", "underfill")] if p.underfill_material is not None else []
    if p.lid is not None:
        out += [("tim1", "die"), ("tim1", "lid")]
        for side in ("s", "n", "w", "e"):
            out += [
                (f"lid_foot_{side}", "lid"),
                (f"lid_adhesive_{side}", f"lid_foot_{side}"),
                (f"lid_adhesive_{side}", top_layer),
            ]
    return out


# --- capacitors ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CapRect:
    """A capacitor's footprint (x0, y0, x1, y1) and its long axis."""

    x0: float
    y0: float
    x1: float
    y1: float
    along_y: bool


def cap_rect(c: Capacitor) -> CapRect:
    length, width = CAP_DIMENSIONS[c.size]
    sx, sy = (width, length) if c.rotated else (length, width)
    return CapRect(c.x - sx / 2, c.y - sy / 2, c.x + sx / 2, c.y + sy / 2, c.rotated)


def _apart(a: CapRect, b: tuple[float, float, float, float], gap: float) -> bool:
    """Whether rectangle ``a`` keeps ``gap`` from rectangle ``b``."""
    return a.x1 + gap <= b[0] or b[2] + gap <= a.x0 or a.y1 + gap <= b[1] or b[3] + gap <= a.y0


def _within(a: CapRect, half_x: float, half_y: float) -> bool:
    return -half_x <= a.x0 and a.x1 <= half_x and -half_y <= a.y0 and a.y1 <= half_y


def check_capacitor(
    p: FcbgaParams, i: int, c: Capacitor, z: Levels, terms: Sequence[PinEntry], supplies: set[str]
) -> None:
    """On the body and on two supply nets, then the checks of its face."""
    f = f"capacitors.{i}"
    r = cap_rect(c)
    where = f"({mm(c.x)}, {mm(c.y)})"
    require(_within(r, p.body_x / 2, p.body_y / 2), f"{f}.x", where, "the capacitor must lie on the body")
    for g in ("net_a", "net_b"):
        net = getattr(c, g)
        allowed = "a supply net of the ball map with bumps: " + ", ".join(sorted(supplies))
        require(net in supplies, f"{f}.{g}", net, allowed)
    if c.face is Face.BOTTOM:
        _check_land_side(p, f, c, r, terms)
    else:
        _check_die_side(p, f, c, r, z)


def _check_land_side(p: FcbgaParams, f: str, c: Capacitor, r: CapRect, terms: Sequence[PinEntry]) -> None:
    """Clear of the board under the balls' stand-off, and of every ball."""
    clear = ball_standoff(p.ball_diameter, p.land_diameter) - 50e-6
    require(
        c.height + p.land_thickness <= clear,
        f"{f}.height",
        mm(c.height),
        f"a land-side capacitor must clear the board by 50 um: at most {mm(clear - p.land_thickness)}",
    )
    gap = p.ball_diameter / 2 + 0.1e-3
    for t in terms:
        ok = _apart(r, (t.x, t.y, t.x, t.y), gap)
        require(
            ok,
            f"{f}.x",
            f"({mm(c.x)}, {mm(c.y)})",
            f"overlaps ball {t.name} (keep 0.1 mm from each ball: depopulate it)",
        )


def _check_die_side(p: FcbgaParams, f: str, c: Capacitor, r: CapRect, z: Levels) -> None:
    """Clear of the die and its fillet; inside the lid's cavity (under its top) or outside the lid."""
    where = f"({mm(c.x)}, {mm(c.y)})"
    kx, ky = _keepout(p)
    require(
        _apart(r, (-kx, -ky, kx, ky), CLEARANCE),
        f"{f}.x",
        where,
        f"overlaps the die and its underfill fillet (keep {mm(CLEARANCE)} from {mm(2 * kx)} x {mm(2 * ky)})",
    )
    if p.lid is None:
        return
    lx, ly = lid_outline(p, p.lid)
    ix, iy = lx / 2 - p.lid.foot_width, ly / 2 - p.lid.foot_width
    inside = _within(r, ix - CLEARANCE, iy - CLEARANCE)
    outside = _apart(r, (-lx / 2, -ly / 2, lx / 2, ly / 2), CLEARANCE)
    require(
        inside or outside,
        f"{f}.x",
        where,
        f"overlaps the lid foot (inside {mm(2 * ix)} x {mm(2 * iy)} or outside the lid, {mm(CLEARANCE)} clear)",
    )
    room = z.lid_underside - z.sub_top - 50e-6
    require(
        not inside or c.height + p.land_thickness <= room,
        f"{f}.height",
        mm(c.height),
        f"must clear the lid's underside by 50 um: at most {mm(room - p.land_thickness)}",
    )


def capacitors_of(p: FcbgaParams) -> tuple[Capacitor, ...]:
    """The capacitors given, or `DEFAULT_CAPACITORS` placed for this die (`default_capacitor`)."""
    if p.capacitors is not None:
        return p.capacitors
    return tuple(default_capacitor(p, c) for c in DEFAULT_CAPACITORS)


def default_capacitor(p: FcbgaParams, c: Capacitor) -> Capacitor:
    """A default capacitor moved with the die: its place in proportion to the die edge, clear of the fillet.

    The defaults sit around the 12 mm die of the 35 mm default body, where the factor is
    exactly 1 and they stay where they are. Beside a smaller die they come in, but never
    closer than `CLEARANCE` plus `DEFAULT_CAP_GAP` to the die's underfill fillet, so a
    design that changes only the outline still builds (or names ``capacitors``).
    """
    fx, fy = p.die_x / REFERENCE_DIE, p.die_y / REFERENCE_DIE
    kx, ky = _keepout(p)
    r = cap_rect(c)
    if abs(c.y) > abs(c.x):  # above or below the die: y keeps it clear
        least = ky + CLEARANCE + (r.y1 - r.y0) / 2 + DEFAULT_CAP_GAP
        return replace(c, x=c.x * fx, y=math.copysign(max(abs(c.y) * fy, least), c.y))
    least = kx + CLEARANCE + (r.x1 - r.x0) / 2 + DEFAULT_CAP_GAP
    return replace(c, x=math.copysign(max(abs(c.x) * fx, least), c.x), y=c.y * fy)


def capacitor_bodies(p: FcbgaParams, z: Levels, terms: Sequence[PinEntry], bump_nets: dict[str, str]) -> list[Body]:
    """Land, termination and ceramic bodies of every capacitor, after its checks.

    When the default capacitors do not fit, the error names ``capacitors`` and the fix,
    not a capacitor the design file never listed.
    """
    try:
        return _capacitor_bodies(p, capacitors_of(p), z, terms, bump_nets)
    except DesignError as exc:
        if p.capacitors is not None:
            raise
        what = f"{exc.field.removeprefix('parameters.')}: {exc.allowed}"
        fix = "list the capacitors (x, y, size, face) or give capacitors: [] for none"
        raise DesignError("parameters.capacitors", None, f"the default eight do not fit ({what}); {fix}") from None


def _capacitor_bodies(
    p: FcbgaParams, caps: Sequence[Capacitor], z: Levels, terms: Sequence[PinEntry], bump_nets: dict[str, str]
) -> list[Body]:
    require(len(caps) <= MAX_CAPACITORS, "capacitors", f"{len(caps)} capacitors", f"at most {MAX_CAPACITORS}")
    supplies = {t.net_name for t in terms if net_kind(t.role) is not NetKind.SIGNAL and t.role is not PinRole.NC}
    supplies &= set(bump_nets.values())
    out: list[Body] = []
    placed: list[tuple[Face, CapRect]] = []
    for i, c in enumerate(caps):
        check_capacitor(p, i, c, z, terms, supplies)
        r = cap_rect(c)
        for j, (face, other) in enumerate(placed):
            ok = face is not c.face or _apart(r, (other.x0, other.y0, other.x1, other.y1), 0.1e-3)
            require(ok, f"capacitors.{i}.x", f"({mm(c.x)}, {mm(c.y)})", f"overlaps capacitor {j} (keep 0.1 mm apart)")
        placed.append((c.face, r))
        out += _capacitor(p, i + 1, c, r, z)
    return out


def _capacitor(p: FcbgaParams, k: int, c: Capacitor, r: CapRect, z: Levels) -> list[Body]:
    """Two lands, two terminations and the ceramic body between them."""
    length = (r.y1 - r.y0) if r.along_y else (r.x1 - r.x0)
    band = BAND_FRACTION * length
    t = p.land_thickness
    if c.face is Face.TOP:
        land_z, part_z = (z.sub_top, z.sub_top + t), (z.sub_top + t, z.sub_top + t + c.height)
    else:
        land_z, part_z = (-t, 0.0), (-t - c.height, -t)

    def span(a: float, b: float, zz: tuple[float, float]) -> Box:
        if r.along_y:
            return Box((r.x0, a, zz[0]), (r.x1, b, zz[1]))
        return Box((a, r.y0, zz[0]), (b, r.y1, zz[1]))

    lo, hi = (r.y0, r.y1) if r.along_y else (r.x0, r.x1)
    name = f"cap{k}"
    out = []
    for end, (a, b), net in (("a", (lo, lo + band), c.net_a), ("b", (hi - band, hi), c.net_b)):
        out.append(
            body(f"{name}_land_{end}", Role.LAND, "cu_plated", span(a, b, land_z), 334, "capacitor land", net=net)
        )
        out.append(
            body(
                f"{name}_term_{end}",
                Role.PASSIVE,
                "cu_plated",
                span(a, b, part_z),
                332,
                "capacitor termination",
                net=net,
            )
        )
    # The ceramic does not conduct at DC: a passive on no net (validation only asks net members to conduct).
    out.append(body(name, Role.PASSIVE, "mlcc_x7r", span(lo + band, hi - band, part_z), 330, "capacitor (MLCC)"))
    return out


# --- nets ----------------------------------------------------------------------------------------


def _nearest(x: float, y: float, xs: np.ndarray, ys: np.ndarray) -> int:
    return int(np.argmin(np.abs(xs - x) + np.abs(ys - y)))


def build_nets(
    lam: Laminate,
    sites: Sequence[BumpSite],
    bump_nets: dict[str, str],
    terms: Sequence[PinEntry],
    caps: Sequence[Body],
) -> list[Net]:
    """Pad -> bump -> (substrate) -> ball land -> ball for every net; capacitors join their nets."""
    balls: dict[str, list[PinEntry]] = {}
    for t in terms:
        if t.role is not PinRole.NC:
            balls.setdefault(t.net_name, []).append(t)
    bumps: dict[str, list[BumpSite]] = {}
    for s in sites:
        bumps.setdefault(bump_nets[s.name], []).append(s)
    cap_lands: dict[str, list[Body]] = {}
    for b in caps:
        if b.role is Role.LAND and b.net is not None:
            cap_lands.setdefault(b.net, []).append(b)
    return [_net(net, members, bumps.get(net, []), cap_lands.get(net, []), lam) for net, members in balls.items()]


def _net(
    name: str, balls: Sequence[PinEntry], bumps: Sequence[BumpSite], cap_lands: Sequence[Body], lam: Laminate
) -> Net:
    """One net: each bump routed through the whole stack-up to the nearest ball of its net,
    and each ball no bump reached from the nearest bump, so that every ball serves the die
    (as a real substrate's supply planes join them); capacitor lands to a ball or a bump."""
    bx, by = np.array([s.x for s in bumps]), np.array([s.y for s in bumps])
    tx, ty = np.array([t.x for t in balls]), np.array([t.y for t in balls])
    edges = [(f"die.{s.name}", f"bump_{s.name}") for s in bumps]
    edges += [(f"land_{t.name}", f"ball_{t.name}") for t in balls]
    routes: dict[tuple[str, str], Route] = {}

    def route(a: str, b: str, dx: float, dy: float) -> None:
        routes[(a, b)] = Route(a, b, lam.media, abs(dx) + abs(dy) + lam.top_z)

    for s in bumps:
        t = balls[_nearest(s.x, s.y, tx, ty)]
        route(f"bump_{s.name}", f"land_{t.name}", s.x - t.x, s.y - t.y)
    reached = {b for _, b in routes}
    for t in balls:
        if bumps and f"land_{t.name}" not in reached:
            s = bumps[_nearest(t.x, t.y, bx, by)]
            route(f"bump_{s.name}", f"land_{t.name}", s.x - t.x, s.y - t.y)
    for land in cap_lands:
        edges.append((land.name, land.name.replace("_land_", "_term_")))
        bb = land.solid.bbox
        x, y = (bb.lo[0] + bb.hi[0]) / 2, (bb.lo[1] + bb.hi[1]) / 2
        if bb.lo[2] >= 0.0:  # die side: down to the nearest ball
            t = balls[_nearest(x, y, tx, ty)]
            route(land.name, f"land_{t.name}", x - t.x, y - t.y)
        else:  # land side: up from the nearest bump
            s = bumps[_nearest(x, y, bx, by)]
            route(f"bump_{s.name}", land.name, x - s.x, y - s.y)
    return Net(name, net_kind(balls[0].role), tuple(edges), tuple(routes.values()))


# --- drawing -------------------------------------------------------------------------------------


def _relabel(b: Body) -> Body:
    """Call the laminate's outer dielectrics what they are in a build-up substrate."""
    return replace(b, label="build-up layer") if b.label == "prepreg" else b


def section_y(sites: Sequence[BumpSite], terms: Sequence[PinEntry], ball_diameter: float) -> float:
    """A cut through a bump row that also cuts a ball row (nearest the centre among those)."""
    rows = sorted({round(t.y, 9) for t in terms})
    ys = sorted({round(s.y, 9) for s in sites})
    if not rows:
        return ys[len(ys) // 2]

    def miss(y: float) -> bool:
        return min(abs(y - r) for r in rows) > ball_diameter / 4

    return min(ys, key=lambda y: (miss(y), abs(y)))
