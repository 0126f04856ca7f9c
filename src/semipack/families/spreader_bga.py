"""Seed 000: the heat-spreader BGA.

A die on a laminate substrate with an adhesive layer (silver paste), wire bonds or
conductive adhesive tapes to the substrate, a sealant over die and wires, a metal heat
spreader on the sealant (optionally a concave in the sealant top with a downward bump
on the spreader aligned to it, and thermally conductive glue primed between), and
solder balls under the substrate. A strip of N units can be built as it is before
singulation (claim 14).

The defaults imitate a 27 x 27 mm, 1.0 mm pitch, 456-ball thermally enhanced PBGA
(5 perimeter rows plus a 6 x 6 thermal-ball block, JEDEC MO-151 outline) with a
10 x 10 mm die, 4-layer BT substrate and a copper spreader on the mould cap.

The seed's text has no reference numerals; the numerals used here (100 series) are
semipack's own and are listed in each drawing's legend.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import Enum

from semipack.families.bga import (
    assign_balls,
    ball_field,
    edge_pads,
    pads_of,
    substrate_nets,
    wire_bonds,
    wire_section_y,
)
from semipack.families.common import ball_grid, body, box, centered_box, require, require_material
from semipack.families.params import Count, Length, MaterialRef, Power, param
from semipack.materials import MaterialLibrary
from semipack.model import Body, HeatSource, Marker, Package, Role
from semipack.model.tile import CONTINUOUS, tile_strip
from semipack.units import mm


class SignalTransfer(Enum):
    """Claims 3/9 (bonding wires) or 4/10 (conductive adhesive tapes)."""

    WIRE_BOND = "wire_bond"
    ADHESIVE_TAPE = "adhesive_tape"


@dataclass(frozen=True)
class SpreaderBgaParams:
    body_size: Length = param(27e-3, "package body edge (square)")
    substrate_thickness: Length = param(0.56e-3, "laminate substrate thickness")
    substrate_material: MaterialRef = param(MaterialRef("bt_laminate"), "substrate laminate")
    die_size: Length = param(10e-3, "die edge (square)")
    die_thickness: Length = param(0.30e-3, "die thickness")
    die_material: MaterialRef = param(MaterialRef("si"), "die material")
    die_power: Power = param(3.0, "power dissipated in the die")
    attach_thickness: Length = param(25e-6, "adhesive layer (die attach) bond line")
    attach_material: MaterialRef = param(MaterialRef("silver_epoxy"), "adhesive layer; silver paste per claim 15")
    signal_transfer: SignalTransfer = param(SignalTransfer.WIRE_BOND, "wire_bond or adhesive_tape")
    pads_per_side: Count = param(40, "die bond pads per side")
    wire_diameter: Length = param(25e-6, "bond-wire diameter")
    wire_material: MaterialRef = param(MaterialRef("au"), "bond-wire material")
    loop_height: Length = param(0.20e-3, "wire loop height above the die")
    tape_width: Length = param(80e-6, "conductive adhesive tape width")
    tape_thickness: Length = param(30e-6, "conductive adhesive tape thickness")
    tape_material: MaterialRef = param(MaterialRef("silver_epoxy"), "conductive adhesive tape material")
    finger_offset: Length = param(1.2e-3, "bond finger ring distance outside the die edge")
    land_thickness: Length = param(20e-6, "copper thickness of bond fingers and ball lands")
    sealant_thickness: Length = param(0.80e-3, "sealant (mould cap) thickness above the substrate")
    sealant_material: MaterialRef = param(MaterialRef("mold_compound"), "sealant material")
    concave: bool = param(False, "concave in the sealant top with an aligned spreader bump (claim 7)")
    concave_size: Length = param(8e-3, "concave edge (square, centred)")
    concave_depth: Length = param(0.15e-3, "concave depth")
    bump_clearance: Length = param(50e-6, "lateral gap between the spreader bump and the concave wall")
    glue: bool = param(True, "thermally conductive glue primed on the sealant (claim 6)")
    glue_thickness: Length = param(50e-6, "glue bond line")
    glue_material: MaterialRef = param(MaterialRef("thermal_glue"), "thermally conductive glue")
    spreader_thickness: Length = param(0.30e-3, "heat-spreading device thickness")
    spreader_material: MaterialRef = param(MaterialRef("cu_rolled"), "heat-spreading device material")
    ball_pitch: Length = param(1.0e-3, "ball pitch")
    ball_diameter: Length = param(0.60e-3, "solder ball diameter before reflow")
    land_diameter: Length = param(0.45e-3, "ball land diameter")
    ball_material: MaterialRef = param(MaterialRef("sac305"), "solder ball alloy")
    ball_rows: Count = param(5, "perimeter ball rows")
    thermal_balls: int = param(6, "centre thermal-ball block edge (0 = none)")
    strip_units: Count = param(1, "units in the strip (1 = singulated package)")
    saw_street: Length = param(0.3e-3, "saw street between units in a strip")


def build(p: SpreaderBgaParams, lib: MaterialLibrary, name: str) -> Package:
    """Build the heat-spreader BGA (one unit, or a strip of ``strip_units``)."""
    for f in (
        "substrate_material",
        "die_material",
        "attach_material",
        "wire_material",
        "tape_material",
        "sealant_material",
        "glue_material",
        "spreader_material",
        "ball_material",
    ):
        require_material(lib, getattr(p, f), f)
    half = p.body_size / 2
    require(
        p.die_size + 2 * (p.finger_offset + 0.2e-3) < p.body_size,
        "die_size",
        mm(p.die_size),
        f"die plus bond-finger ring ({mm(p.die_size + 2 * p.finger_offset + 0.4e-3)}) must fit in body_size {mm(p.body_size)}",
    )
    # Outer ball centres keep at least 0.75 pitch from the body edge (26 x 26 at 1.0 mm on 27 mm).
    n_grid = math.floor((p.body_size - 1.5 * p.ball_pitch) / p.ball_pitch + 1e-9) + 1
    require(n_grid >= 2, "ball_pitch", mm(p.ball_pitch), f"at least 2 balls per side must fit in {mm(p.body_size)}")
    require(
        p.ball_diameter < p.ball_pitch,
        "ball_diameter",
        mm(p.ball_diameter),
        f"must be below ball_pitch {mm(p.ball_pitch)}",
    )
    require(p.land_diameter < p.ball_diameter, "land_diameter", mm(p.land_diameter), "must be below ball_diameter")
    require(
        2 * p.ball_rows < n_grid + 1 or p.ball_rows >= n_grid,
        "ball_rows",
        p.ball_rows,
        f"at most {n_grid // 2} rows fit",
    )
    require(
        0 <= p.thermal_balls <= max(n_grid - 2 * p.ball_rows, 0),
        "thermal_balls",
        p.thermal_balls,
        f"must be between 0 and {max(n_grid - 2 * p.ball_rows, 0)} (the free centre of the grid)",
    )

    t_sub = p.substrate_thickness
    z_att0 = t_sub
    z_die0 = z_att0 + p.attach_thickness
    z_die1 = z_die0 + p.die_thickness
    seal_top = t_sub + p.sealant_thickness
    wire_top = z_die1 + p.loop_height + p.wire_diameter
    conn_top = wire_top if p.signal_transfer is SignalTransfer.WIRE_BOND else z_die1 + 2 * p.tape_thickness
    require(
        seal_top >= conn_top + 50e-6,
        "sealant_thickness",
        mm(p.sealant_thickness),
        f"must cover the die and its connections with 50 um to spare (needs >= {mm(conn_top + 50e-6 - t_sub)})",
    )
    if p.concave:
        require(
            p.concave_size < p.body_size - 1e-3,
            "concave_size",
            mm(p.concave_size),
            "must be smaller than the body by 1 mm",
        )
        require(
            seal_top - p.concave_depth >= z_die1 + 50e-6,
            "concave_depth",
            mm(p.concave_depth),
            f"the concave must leave 50 um of sealant over the die (at most {mm(seal_top - z_die1 - 50e-6)})",
        )
        require(p.bump_clearance * 2 < p.concave_size, "bump_clearance", mm(p.bump_clearance), "must leave a bump")

    bodies: list[Body] = []
    add = bodies.append
    sub = body(
        "substrate",
        Role.SUBSTRATE,
        p.substrate_material,
        centered_box(p.body_size, p.body_size, 0.0, t_sub),
        102,
        "substrate",
        tags=(CONTINUOUS,),
    )
    add(sub)
    add(
        body(
            "die_attach",
            Role.DIE_ATTACH,
            p.attach_material,
            centered_box(p.die_size, p.die_size, z_att0, z_die0),
            106,
            "adhesive layer",
        )
    )
    add(body("die", Role.DIE, p.die_material, centered_box(p.die_size, p.die_size, z_die0, z_die1), 104, "die"))

    concave_cut = centered_box(p.concave_size, p.concave_size, seal_top - p.concave_depth, seal_top + 1e-3)
    add(
        body(
            "sealant",
            Role.SEALANT,
            p.sealant_material,
            box(-half, -half, t_sub, half, half, seal_top, [concave_cut] if p.concave else []),
            110,
            "sealant material",
            tags=(CONTINUOUS,),
        )
    )
    z_spr0 = seal_top + (p.glue_thickness if p.glue else 0.0)
    if p.glue:
        cut = centered_box(p.concave_size, p.concave_size, seal_top - 1e-6, z_spr0 + 1e-6)
        add(
            body(
                "glue",
                Role.THERMAL_GLUE,
                p.glue_material,
                box(-half, -half, seal_top, half, half, z_spr0, [cut] if p.concave else []),
                114,
                "thermally conductive glue",
                tags=(CONTINUOUS,),
            )
        )
    add(
        body(
            "spreader",
            Role.HEAT_SPREADER,
            p.spreader_material,
            centered_box(p.body_size, p.body_size, z_spr0, z_spr0 + p.spreader_thickness),
            112,
            "heat-spreading device",
            tags=(CONTINUOUS,),
        )
    )
    markers = []
    if p.concave:
        z_cb = seal_top - p.concave_depth
        if p.glue:
            add(
                body(
                    "glue_concave",
                    Role.THERMAL_GLUE,
                    p.glue_material,
                    centered_box(p.concave_size, p.concave_size, z_cb, z_cb + p.glue_thickness),
                    114,
                    "thermally conductive glue",
                )
            )
        bump_bottom = z_cb + (p.glue_thickness if p.glue else 0.0)
        bsz = p.concave_size - 2 * p.bump_clearance
        add(
            body(
                "spreader_bump",
                Role.HEAT_SPREADER,
                p.spreader_material,
                centered_box(bsz, bsz, bump_bottom, z_spr0),
                120,
                "downward bump",
            )
        )
        markers.append(
            Marker(118, "concave", (p.concave_size / 2 - p.bump_clearance / 2, 0.0, z_cb + p.concave_depth / 2))
        )

    # Pads around the die, bond fingers on the substrate, wires or tapes between them.
    tape = p.signal_transfer is SignalTransfer.ADHESIVE_TAPE
    pads = edge_pads("die", p.die_size, p.pads_per_side, 0.12e-3, 0.6e-3)
    pad_pitch = (p.die_size - 1.2e-3) / p.pads_per_side
    require(
        pad_pitch > 2.5 * (p.tape_width if tape else p.wire_diameter),
        "pads_per_side",
        p.pads_per_side,
        f"pad pitch {mm(pad_pitch)} is too fine for the connection width",
    )
    conn_bodies, conns = wire_bonds(
        pads,
        p.die_size,
        z_die1,
        t_sub,
        p.finger_offset,
        p.land_thickness,
        diameter=p.wire_diameter,
        loop_height=p.loop_height,
        material=p.tape_material if tape else p.wire_material,
        numeral=108,
        finger_numeral=122,
        tape=(p.tape_width, p.tape_thickness) if tape else None,
    )
    label = "signal transferring means (" + ("conductive adhesive tape" if tape else "bonding wire") + ")"
    bodies += [replace(b, label=label) if b.numeral == 108 else b for b in conn_bodies]

    # Balls and their lands; signals on the perimeter rows, thermal balls to ground.
    sites = ball_grid(n_grid, n_grid, p.ball_pitch, rows=p.ball_rows, center_block=p.thermal_balls)
    ball_nets = assign_balls(pads, sites, p.ball_rows, "ball_rows")
    bodies += ball_field(
        sites,
        0.0,
        p.land_thickness,
        p.ball_diameter,
        p.land_diameter,
        p.ball_material,
        116,
        124,
        ball_nets,
        label="conductive means (solder balls)",
    )
    nets = substrate_nets(pads, conns, ball_nets, bodies, "substrate", t_sub)

    contacts = [("die", "die_attach"), ("die_attach", "substrate"), ("sealant", "substrate")]
    if p.glue:
        contacts += [("glue", "sealant"), ("spreader", "glue")]
    else:
        contacts += [("spreader", "sealant")]
    if p.concave:
        contacts += [("spreader_bump", "spreader"), ("spreader_bump", "glue_concave" if p.glue else "sealant")]
    row_y = wire_section_y(bodies, Role.BALL, 0.5 * p.ball_diameter)
    unit = Package(
        name=name,
        family="spreader_bga",
        bodies=tuple(bodies),
        materials=lib,
        pads=pads_of(pads, "die", 80e-6),
        nets=tuple(nets),
        heat_sources=(HeatSource("die", p.die_power),),
        contacts=tuple(contacts),
        features={
            "signal_transfer": p.signal_transfer.value,
            "concave": p.concave,
            "glue": p.glue,
            "adhesive_material": p.attach_material,
            "spreader_material": p.spreader_material,
            "strip_units": 1,
        },
        parameters=p,
        section_hint=("y", row_y),
        markers=tuple(markers),
    )
    if p.strip_units > 1:
        return tile_strip(unit, p.strip_units, p.body_size + p.saw_street)
    return unit
