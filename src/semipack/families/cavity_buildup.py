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

from semipack.families.bga import edge_pads
from semipack.families.buildup import BuildupSpec, Terminal, build_wiring, dielectric_bodies, terminal_row
from semipack.families.common import body, box, centered_box, require, require_material
from semipack.families.params import Count, Length, MaterialRef, Offset, Power, param
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


def build(p: CavityBuildupParams, lib: MaterialLibrary, name: str) -> Package:
    """Build the cavity build-up package."""
    for f in (
        "carrier_material",
        "fill_material",
        "die_material",
        "attach_material",
        "dielectric_material",
        "column_material",
        "mask_material",
        "terminal_material",
    ):
        require_material(lib, getattr(p, f), f)
    level = p.trace_level or max(p.layers - 1, 1)
    require(1 <= level <= p.layers, "trace_level", p.trace_level, f"must be 0 or between 1 and layers ({p.layers})")
    require(
        p.die_size + 2 * p.terminal_pitch < p.body_size,
        "die_size",
        mm(p.die_size),
        f"must leave a terminal pitch each side inside body_size {mm(p.body_size)}",
    )
    half = p.body_size / 2
    t_c = p.carrier_thickness
    z_surface = t_c
    z_active = t_c - p.recess_offset
    z_back = z_active - p.die_thickness
    z_floor = z_back - (p.attach_thickness if p.covers_back_and_sides else 0.0)
    if p.covers_back_and_sides:
        require(
            z_floor > 0.1e-3,
            "carrier_thickness",
            mm(t_c),
            f"the cavity needs a floor of at least 0.1 mm (die + attach = {mm(p.die_thickness + p.attach_thickness)})",
        )
    else:
        require(
            abs(z_back) < 1e-12 or z_back > 0,
            "recess_offset",
            p.recess_offset,
            "with a through-opening the die back must be at or above the carrier bottom",
        )
    cw = p.die_size + 2 * p.cavity_clearance
    cav_lo = z_floor if p.covers_back_and_sides else -1e-3
    cavity = Box((-cw / 2, -cw / 2, cav_lo), (cw / 2, cw / 2, t_c + 1e-3))
    bodies: list[Body] = []
    add = bodies.append
    add(
        body(
            "carrier",
            Role.CARRIER,
            p.carrier_material,
            box(-half, -half, 0.0, half, half, t_c, [cavity]),
            10,
            "metal carrier",
        )
    )
    contacts: list[tuple[str, str]] = []
    if p.covers_back_and_sides:
        add(
            body(
                "die_attach",
                Role.DIE_ATTACH,
                p.attach_material,
                centered_box(p.die_size, p.die_size, z_floor, z_back),
                14,
                "die attach",
            )
        )
        contacts += [("die_attach", "carrier"), ("die", "die_attach")]
    add(body("die", Role.DIE, p.die_material, centered_box(p.die_size, p.die_size, z_back, z_active), 20, "die"))
    z_base = max(z_active, z_surface)
    fill_top = z_base
    add(
        body(
            "cavity_fill", Role.FILLING, p.fill_material, centered_box(cw, cw, max(z_floor, 0.0), fill_top), 16, "fill"
        )
    )
    spec = BuildupSpec(
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
    epads = edge_pads("die", p.die_size, p.pads_per_side, 0.12e-3, 0.4e-3)
    res = build_wiring(spec, epads, (0.0, 0.0), p.body_size, z_base, p.die_size, "", z_pad=z_active)
    bodies += res.bodies
    openings = res.openings
    diel, _ = dielectric_bodies(spec, (-half, -half, half, half), z_base, openings)
    bodies += diel
    contacts += [("dielectric1", "carrier"), ("dielectric1", "die")]
    pads = tuple(Pad(e.name, "die", (e.x, e.y), 80e-6, e.net) for e in epads)
    markers = (
        Marker(12, "cavity", (cw / 2 - p.cavity_clearance / 2, 0.0, (max(z_floor, 0.0) + t_c) / 2)),
        Marker(22, "active surface", (-p.die_size / 4, 0.0, z_active)),
        Marker(24, "bonding pad (die)", (epads[0].x, epads[0].y, z_active)),
    )
    return Package(
        name=name,
        family="cavity_buildup",
        bodies=tuple(bodies),
        materials=lib,
        pads=pads,
        nets=tuple(res.nets),
        heat_sources=(HeatSource("die", p.die_power),),
        contacts=tuple(contacts),
        features={
            "covers_back_and_sides": p.covers_back_and_sides,
            "coplanar": abs(p.recess_offset) < 1e-9,
            "layers": p.layers,
            "stacked_columns": p.stacked_columns,
            "terminal": p.terminal.value,
            "carrier_material": p.carrier_material,
            "dielectric_material": p.dielectric_material,
            "column_material": p.column_material,
        },
        parameters=p,
        section_hint=("y", terminal_row(res.bodies)),
        markers=markers,
    )
