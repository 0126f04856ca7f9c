"""Seed 004: build-up package with the die in a metal carrier's cavity.

A die in a cavity of a copper or aluminium carrier, its active surface coplanar with the
carrier surface (claims 2, 11); the carrier covers the die's passive surface and sides
(claim 9), or the cavity is a through-opening; dielectric layers (polyimide, epoxy,
BT, FR-4, FR-5, BCB, PTFE; claims 8, 16) on the active surface and the carrier surface,
each with conductive columns (copper or aluminium; claims 7, 15) on the bonding pads,
columns stacked vertically from layer to layer (claim 3), traces between the layers,
and solder balls, bumps or pins in a grid on the outermost layer (claims 4-5, 13).

Defaults imitate a 10 x 10 mm, 0.65 mm pitch BGA with a 5 x 5 mm die embedded in a 0.6 mm
copper carrier under three 30 um epoxy build-up layers (the "BBUL"-style embedded-die
build-up of the early 2000s). Numerals are semipack's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from semipack.families.bga import EdgePad, edge_pads
from semipack.families.buildup import BuildupSpec, Terminal, build_wiring, dielectric_bodies, terminal_row
from semipack.families.common import body, box, centered_box, check_die_on_attach, require, require_material
from semipack.families.params import Count, Length, MaterialRef, Offset, Power, param
from semipack.families.parts import Callout, bare_die, die_on_attach
from semipack.geometry import Box
from semipack.materials import MaterialLibrary
from semipack.model import Body, HeatSource, Marker, Package, Pad, Role
from semipack.units import mm

NUMERALS = {
    "via": 42,
    "wiring": 44,
    "trace": 45,
    "bonding_pad": 46,
    "terminal": 50,
    "bus": 48,
    "passive": 49,
    "dielectric": 40,
    "passivation": 47,
}


@dataclass(frozen=True)
class CavityBuildupParams:
    body_size: Length = param(10e-3, "carrier and package edge (square)")
    carrier_thickness: Length = param(0.6e-3, "metal carrier thickness")
    carrier_material: MaterialRef = param(MaterialRef("cu_rolled"), "metal carrier (copper or aluminium, claim 6)")
    covers_back_and_sides: bool = param(
        True, "blind cavity: the carrier covers the passive surface and sides (claim 9)"
    )
    cavity_clearance: Length = param(50e-6, "gap between die and cavity wall")
    recess_offset: Offset = param(
        0.0, "active surface below (+) or above (-) the carrier surface; 0 = coplanar (claim 2)"
    )
    fill_material: MaterialRef = param(MaterialRef("epoxy"), "fill in the gap around the die")
    die_size: Length = param(5e-3, "die edge (square)")
    die_thickness: Length = param(0.30e-3, "die thickness")
    die_material: MaterialRef = param(MaterialRef("si"), "die material")
    die_power: Power = param(2.0, "die power")
    attach_thickness: Length = param(20e-6, "die attach in the cavity")
    attach_material: MaterialRef = param(MaterialRef("silver_epoxy"), "die attach")
    pads_per_side: Count = param(11, "bonding pads per die side (odd: the centre pad lines up with the centre ball)")
    layers: Count = param(3, "dielectric layers")
    dielectric_material: MaterialRef = param(
        MaterialRef("epoxy"), "dielectric (polyimide, epoxy, BT, FR-4, FR-5, BCB, PTFE)"
    )
    dielectric_thickness: Length = param(30e-6, "dielectric thickness between wiring levels")
    metal_thickness: Length = param(15e-6, "trace thickness")
    column_material: MaterialRef = param(
        MaterialRef("cu_plated"), "conductive columns and traces (copper or aluminium)"
    )
    column_diameter: Length = param(60e-6, "conductive column diameter")
    capture_diameter: Length = param(110e-6, "capture pad diameter on each level")
    trace_width: Length = param(40e-6, "trace width")
    trace_level: int = param(0, "wiring level of the fan-out traces (0 = one below the top)")
    stacked_columns: bool = param(True, "columns stacked vertically on each other (claim 3)")
    solder_mask: bool = param(True, "solder mask over the outermost layer, opened at the pads")
    mask_thickness: Length = param(20e-6, "solder-mask thickness")
    mask_material: MaterialRef = param(MaterialRef("epoxy"), "solder-mask material")
    terminal: Terminal = param(Terminal.BALLS, "balls | bumps | pins in a grid (claims 4, 5, 13)")
    terminal_pitch: Length = param(0.65e-3, "terminal grid pitch")
    terminal_diameter: Length = param(0.35e-3, "ball, bump or pin diameter")
    land_diameter: Length = param(0.28e-3, "bonding pad diameter")
    terminal_material: MaterialRef = param(MaterialRef("sac305"), "ball/bump alloy or pin metal")
    pin_length: Length = param(1.0e-3, "pin length")


# Layout rules of semipack's own (the seed gives no dimensions for them).
MIN_FLOOR_M = 0.1e-3  # metal left under a blind cavity
CUT_BEYOND_M = 1e-3  # the cavity cut-out runs this far past the faces it opens (a clean boolean)
PAD_INSET_M = 0.12e-3  # die pad row inset from the die edge
PAD_CORNER_KEEPOUT_M = 0.4e-3  # no pad within 0.4 mm of a die corner
PAD_SIZE_M = 80e-6  # die pad edge
COPLANAR_TOL_M = 1e-9  # a recess below this counts as coplanar (claim 2)
# Numerals of the bodies and markers below the build-up (semipack's own, like NUMERALS).
BODY_NUMERALS = {"carrier": 10, "cavity": 12, "die_attach": 14, "fill": 16, "die": 20, "active": 22, "die_pad": 24}
_MATERIALS = (
    "carrier_material",
    "fill_material",
    "die_material",
    "attach_material",
    "dielectric_material",
    "column_material",
    "mask_material",
    "terminal_material",
)


@dataclass(frozen=True)
class _Heights:
    """z of the carrier surface, the die's active and back surfaces and the cavity floor (the
    carrier bottom, 0, for a through-opening's attach-free die)."""

    surface: float
    active: float
    back: float
    floor: float


def build(p: CavityBuildupParams, lib: MaterialLibrary, name: str) -> Package:
    """Build the cavity build-up package."""
    level = _check(p, lib)
    z = _heights(p)
    bodies, contacts = _carrier_and_die(p, z)
    spec = _spec(p, level)
    epads = edge_pads("die", p.die_size, p.pads_per_side, PAD_INSET_M, PAD_CORNER_KEEPOUT_M)
    z_base = max(z.active, z.surface)
    res = build_wiring(spec, epads, (0.0, 0.0), p.body_size, z_base, p.die_size, "", z_pad=z.active)
    half = p.body_size / 2
    diel, _ = dielectric_bodies(spec, (-half, -half, half, half), z_base, res.openings)
    return Package(
        name=name,
        family="cavity_buildup",
        bodies=tuple(bodies + res.bodies + diel),
        materials=lib,
        pads=tuple(Pad(e.name, "die", (e.x, e.y), PAD_SIZE_M, e.net) for e in epads),
        nets=tuple(res.nets),
        heat_sources=(HeatSource("die", p.die_power),),
        contacts=(*contacts, ("dielectric1", "carrier"), ("dielectric1", "die")),
        features=_features(p),
        parameters=p,
        section_hint=("y", terminal_row(res.bodies)),
        markers=_markers(p, z, epads[0]),
    )


def _check(p: CavityBuildupParams, lib: MaterialLibrary) -> int:
    """Refuse what cannot be built; returns the fan-out (trace) level."""
    for f in _MATERIALS:
        require_material(lib, getattr(p, f), f)
    level = p.trace_level or max(p.layers - 1, 1)
    require(1 <= level <= p.layers, "trace_level", p.trace_level, f"must be 0 or between 1 and layers ({p.layers})")
    require(
        p.die_size + 2 * p.terminal_pitch < p.body_size,
        "die_size",
        mm(p.die_size),
        f"must leave a terminal pitch each side inside body_size {mm(p.body_size)}",
    )
    _check_sizes(p)
    z = _heights(p)
    if p.covers_back_and_sides:
        need = mm(p.die_thickness + p.attach_thickness)
        require(
            z.floor > MIN_FLOOR_M,
            "carrier_thickness",
            mm(p.carrier_thickness),
            f"the cavity needs a floor of at least 0.1 mm (die + attach = {need})",
        )
    else:
        require(
            abs(z.back) < 1e-12 or z.back > 0,
            "recess_offset",
            p.recess_offset,
            "with a through-opening the die back must be at or above the carrier bottom",
        )
    return level


def _check_sizes(p: CavityBuildupParams) -> None:
    """Sizes that are each in range but cannot stand together: die on its bond line, features on their pitch."""
    check_die_on_attach(p.die_thickness, p.attach_thickness, "die_thickness", "attach_thickness")
    pitch = mm(p.terminal_pitch)
    require(
        p.terminal_diameter < p.terminal_pitch,
        "terminal_diameter",
        mm(p.terminal_diameter),
        f"must be below terminal_pitch ({pitch}): neighbouring terminals would touch",
    )
    require(
        p.land_diameter < p.terminal_pitch,
        "land_diameter",
        mm(p.land_diameter),
        f"must be below terminal_pitch ({pitch}): neighbouring lands would touch",
    )
    require(
        p.column_diameter < p.capture_diameter,
        "column_diameter",
        mm(p.column_diameter),
        f"must be below capture_diameter ({mm(p.capture_diameter)}): the pad must capture its column",
    )


def _heights(p: CavityBuildupParams) -> _Heights:
    z_active = p.carrier_thickness - p.recess_offset
    z_back = z_active - p.die_thickness
    z_floor = z_back - (p.attach_thickness if p.covers_back_and_sides else 0.0)
    return _Heights(p.carrier_thickness, z_active, z_back, z_floor)


def _cavity_width(p: CavityBuildupParams) -> float:
    return p.die_size + 2 * p.cavity_clearance


def _carrier_and_die(p: CavityBuildupParams, z: _Heights) -> tuple[list[Body], list[tuple[str, str]]]:
    """The carrier with its cavity (blind, or a through-opening), the die attach on the cavity
    floor (blind only), the die and the fill around it; and the contacts among them."""
    half, t_c, cw, num = p.body_size / 2, p.carrier_thickness, _cavity_width(p), BODY_NUMERALS
    cav_lo = z.floor if p.covers_back_and_sides else -CUT_BEYOND_M
    cavity = Box((-cw / 2, -cw / 2, cav_lo), (cw / 2, cw / 2, t_c + CUT_BEYOND_M))
    carrier = box(-half, -half, 0.0, half, half, t_c, [cavity])
    bodies = [body("carrier", Role.CARRIER, p.carrier_material, carrier, num["carrier"], "metal carrier")]
    contacts: list[tuple[str, str]] = []
    square, die = (p.die_size, p.die_size), Callout(num["die"], "die")
    if p.covers_back_and_sides:
        attach = Callout(num["die_attach"], "die attach")
        materials = (p.attach_material, p.die_material)
        bodies += die_on_attach(square, (z.floor, z.back, z.active), materials, die=die, attach=attach)
        contacts += [("die_attach", "carrier"), ("die", "die_attach")]
    else:  # the die stands in a through-opening: nothing under it in the package
        bodies.append(bare_die(square, (z.back, z.active), p.die_material, die))
    fill = centered_box(cw, cw, max(z.floor, 0.0), max(z.active, z.surface))
    bodies.append(body("cavity_fill", Role.FILLING, p.fill_material, fill, num["fill"], "fill"))
    return bodies, contacts


def _spec(p: CavityBuildupParams, level: int) -> BuildupSpec:
    """The build-up of claims 3-8: columns (not vias) through every layer, no bus, no passives."""
    return BuildupSpec(
        layers=p.layers,
        dielectric_thickness=p.dielectric_thickness,
        metal_thickness=p.metal_thickness,
        dielectric_material=p.dielectric_material,
        metal_material=p.column_material,
        via_diameter=p.column_diameter,
        capture_diameter=p.capture_diameter,
        trace_width=p.trace_width,
        fanout_level=level,
        stacked=p.stacked_columns,
        bus=False,
        passives=(),
        passivation_thickness=p.mask_thickness,
        passivation_material=p.mask_material if p.solder_mask else None,
        terminal=p.terminal,
        terminal_pitch=p.terminal_pitch,
        terminal_diameter=p.terminal_diameter,
        land_diameter=p.land_diameter,
        terminal_material=p.terminal_material,
        pin_length=p.pin_length,
        via_role=Role.COLUMN,
        numerals=NUMERALS,
    )


def _markers(p: CavityBuildupParams, z: _Heights, pad: EdgePad) -> tuple[Marker, ...]:
    num = BODY_NUMERALS
    cavity_xyz = (_cavity_width(p) / 2 - p.cavity_clearance / 2, 0.0, (max(z.floor, 0.0) + p.carrier_thickness) / 2)
    return (
        Marker(num["cavity"], "cavity", cavity_xyz),
        Marker(num["active"], "active surface", (-p.die_size / 4, 0.0, z.active)),
        Marker(num["die_pad"], "bonding pad (die)", (pad.x, pad.y, z.active)),
    )


def _features(p: CavityBuildupParams) -> dict[str, object]:
    return {
        "covers_back_and_sides": p.covers_back_and_sides,
        "coplanar": abs(p.recess_offset) < COPLANAR_TOL_M,
        "layers": p.layers,
        "stacked_columns": p.stacked_columns,
        "terminal": p.terminal.value,
        "carrier_material": p.carrier_material,
        "dielectric_material": p.dielectric_material,
        "column_material": p.column_material,
    }
