"""Seed 003: a package with an exposed heat sink.

A chip on a carrier (a BGA substrate with bonding wires or solder bumps, or a QFN lead
frame); a heat sink whose first surface is attached to the chip, directly, through a
connecting portion (claim 10) or through a buffer pad of CTE close to the chip's
(claim 12); an interface layer on the sink's second (top) surface that the mould
compound adheres to less than to the sink (Au, Cr, Ni, their alloys or Teflon); the
encapsulant fills the gap between the sink and the carrier, and the interface layer
and the sink's side surfaces are exposed, the sides coplanar with the encapsulant
(singulated through the sink), so the sink's area equals the carrier's (claim 2).

Defaults imitate a 12 x 12 mm, 0.8 mm pitch, 3-row BGA with a 6 x 6 mm wire-bonded die
under a 0.3 mm copper drop-in heat slug, as in thermally enhanced "HSBGA/EDHS-BGA"
products; the QFN variant a 7 x 7 mm, 0.5 mm pitch, 48-lead QFN with an exposed pad.
Numerals follow the seed's FIG. 1 style (semipack's own where the text gives none).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from semipack.families.bga import (
    EdgePad,
    area_array_balls,
    area_array_nets,
    assign_balls,
    ball_field,
    edge_pads,
    pads_of,
    substrate_nets,
    wire_bonds,
    wire_section_y,
)
from semipack.families.common import ball_grid, body, box, centered_box, require, require_material, wire_loop
from semipack.families.params import Count, Length, MaterialRef, Power, param
from semipack.geometry import Ball
from semipack.materials import MaterialLibrary
from semipack.model import Body, HeatSource, Marker, Net, NetKind, Package, Pad, Role
from semipack.units import mm


class Carrier(Enum):
    """Claims 4-6 (substrate; wires or solder bumps) and 7-8 (QFN lead frame)."""

    SUBSTRATE_WIRE_BOND = "substrate_wire_bond"
    SUBSTRATE_FLIP_CHIP = "substrate_flip_chip"
    QFN_LEAD_FRAME = "qfn_lead_frame"


class Attachment(Enum):
    """How the sink's first surface meets the chip: claim 1/11, claim 10, claim 12."""

    DIRECT = "direct"
    CONNECTING_PORTION = "connecting_portion"
    BUFFER_PAD = "buffer_pad"


@dataclass(frozen=True)
class ExposedSinkParams:
    carrier: Carrier = param(Carrier.SUBSTRATE_WIRE_BOND, "substrate_wire_bond | substrate_flip_chip | qfn_lead_frame")
    attachment: Attachment = param(Attachment.CONNECTING_PORTION, "direct | connecting_portion | buffer_pad")
    body_size: Length = param(12e-3, "package edge = carrier edge = sink edge (square)")
    die_size: Length = param(6e-3, "chip edge (square)")
    die_thickness: Length = param(0.30e-3, "chip thickness")
    die_material: MaterialRef = param(MaterialRef("si"), "chip material")
    die_power: Power = param(2.0, "chip power")
    attach_thickness: Length = param(25e-6, "die attach bond line")
    attach_material: MaterialRef = param(MaterialRef("silver_epoxy"), "die attach")
    substrate_thickness: Length = param(0.36e-3, "BGA substrate thickness")
    substrate_material: MaterialRef = param(MaterialRef("bt_laminate"), "BGA substrate laminate")
    pads_per_side: Count = param(16, "chip bond pads per side (wire bond)")
    wire_diameter: Length = param(25e-6, "bond-wire diameter")
    wire_material: MaterialRef = param(MaterialRef("au"), "bond-wire material")
    loop_height: Length = param(0.15e-3, "wire loop height")
    finger_offset: Length = param(0.8e-3, "bond finger ring distance outside the chip")
    bump_pitch: Length = param(0.40e-3, "flip-chip bump pitch (area array)")
    bump_diameter: Length = param(0.12e-3, "flip-chip bump diameter")
    bump_material: MaterialRef = param(MaterialRef("sac305"), "flip-chip bump alloy")
    underfill_material: MaterialRef = param(MaterialRef("underfill"), "flip-chip underfill")
    land_thickness: Length = param(20e-6, "copper land thickness")
    ball_pitch: Length = param(0.8e-3, "ball pitch")
    ball_diameter: Length = param(0.40e-3, "ball diameter")
    land_diameter: Length = param(0.30e-3, "ball land diameter")
    ball_material: MaterialRef = param(MaterialRef("sac305"), "ball alloy")
    ball_rows: Count = param(3, "perimeter ball rows")
    thermal_balls: int = param(4, "centre thermal-ball block edge (0 = none)")
    lead_pitch: Length = param(0.5e-3, "QFN lead pitch")
    lead_width: Length = param(0.25e-3, "QFN lead width")
    lead_length: Length = param(0.40e-3, "QFN lead length")
    lead_frame_thickness: Length = param(0.20e-3, "QFN lead-frame thickness")
    lead_frame_material: MaterialRef = param(MaterialRef("c194"), "QFN lead-frame alloy")
    paddle_margin: Length = param(0.25e-3, "QFN die paddle overhang beyond the chip")
    adhesive_thickness: Length = param(30e-6, "thermally conductive adhesive between chip/pad/portion and sink")
    adhesive_material: MaterialRef = param(MaterialRef("silver_epoxy"), "thermally conductive adhesive (claims 11, 20)")
    portion_height: Length = param(0.30e-3, "connecting portion height below the first surface")
    portion_inset: Length = param(0.50e-3, "connecting portion inset from the chip edge (clears the bond pads)")
    buffer_thickness: Length = param(0.30e-3, "buffer pad thickness")
    buffer_material: MaterialRef = param(MaterialRef("si"), "buffer pad material (CTE close to the chip's)")
    sink_thickness: Length = param(0.30e-3, "heat sink thickness")
    sink_material: MaterialRef = param(MaterialRef("cu_rolled"), "heat sink material")
    interface_material: MaterialRef | None = param(
        MaterialRef("au"), "interface layer on the second surface (null = none)"
    )
    interface_thickness: Length = param(1e-6, "interface layer thickness")
    first_surface_roughened: bool = param(False, "first surface roughened, corrugated or uneven (claim 9)")
    encapsulant_material: MaterialRef = param(MaterialRef("mold_compound"), "mould compound")


def build(p: ExposedSinkParams, lib: MaterialLibrary, name: str) -> Package:
    """Build the exposed-heat-sink package."""
    for f in (
        "die_material",
        "attach_material",
        "substrate_material",
        "wire_material",
        "bump_material",
        "underfill_material",
        "ball_material",
        "lead_frame_material",
        "adhesive_material",
        "buffer_material",
        "sink_material",
        "encapsulant_material",
    ):
        require_material(lib, getattr(p, f), f)
    if p.interface_material is not None:
        require_material(lib, p.interface_material, "interface_material")
    qfn = p.carrier is Carrier.QFN_LEAD_FRAME
    flip = p.carrier is Carrier.SUBSTRATE_FLIP_CHIP
    wired = not flip
    require(
        p.die_size < p.body_size - 1e-3,
        "die_size",
        mm(p.die_size),
        f"must be at least 1 mm below body_size {mm(p.body_size)}",
    )
    require(
        not (wired and p.attachment is Attachment.DIRECT),
        "attachment",
        p.attachment.value,
        "a wire-bonded chip needs connecting_portion or buffer_pad: a sink directly on the chip would crush the wire loops",
    )

    half = p.body_size / 2
    bodies: list[Body] = []
    add = bodies.append
    markers = []
    nets: list[Net] = []
    pads: tuple[Pad, ...] = ()
    contacts: list[tuple[str, str]] = []
    mold_cuts = []

    if qfn:
        t_lf = p.lead_frame_thickness
        paddle = p.die_size + 2 * p.paddle_margin
        add(
            body(
                "die_paddle",
                Role.DIE_PADDLE,
                p.lead_frame_material,
                centered_box(paddle, paddle, 0.0, t_lf),
                12,
                "die paddle (exposed pad)",
            )
        )
        z_att = t_lf
        carrier_name = "die_paddle"
    else:
        t_sub = p.substrate_thickness
        add(
            body(
                "substrate",
                Role.SUBSTRATE,
                p.substrate_material,
                centered_box(p.body_size, p.body_size, 0.0, t_sub),
                11,
                "chip carrier (substrate)",
            )
        )
        carrier_name = "substrate"
        z_att = t_sub

    if flip:
        ball_r = p.bump_diameter / 2
        standoff = 0.8 * p.bump_diameter
        z_die0 = z_att + p.land_thickness + standoff
        z_die1 = z_die0 + p.die_thickness
        add(body("die", Role.DIE, p.die_material, centered_box(p.die_size, p.die_size, z_die0, z_die1), 20, "chip"))
        uf = centered_box(p.die_size, p.die_size, z_att, z_die0)
        add(body("underfill", Role.ENCAPSULANT, p.underfill_material, uf, 25, "underfill"))
        mold_cuts.append(uf)
        nb = max(int((p.die_size - p.bump_pitch) / p.bump_pitch) + 1, 1)
        sites = ball_grid(nb, nb, p.bump_pitch)
        # Flip-chip bumps: pad on the chip face, land on the substrate; area array routed through the substrate.
        bump_pads = []
        edges_by_net: dict[str, list[tuple[str, str]]] = {}
        for k, s in enumerate(sites, start=1):
            kind = NetKind.POWER if k % 4 == 1 else NetKind.GROUND if k % 4 == 3 else NetKind.SIGNAL
            net = "VDD" if kind is NetKind.POWER else "VSS" if kind is NetKind.GROUND else f"S{k}"
            pname = f"die.pad{k}"
            bump_pads.append(Pad(pname, "die", (s.x, s.y), 0.8 * p.bump_diameter, net))
            add(
                body(
                    f"bumpland_{s.name}",
                    Role.LAND,
                    "cu_plated",
                    centered_box(
                        0.8 * p.bump_diameter, 0.8 * p.bump_diameter, z_att, z_att + p.land_thickness, s.x, s.y
                    ),
                    None,
                    "bump land",
                    net=net,
                )
            )
            c = (s.x, s.y, z_att + p.land_thickness + standoff / 2)
            add(
                body(
                    f"bump_{s.name}",
                    Role.BUMP,
                    p.bump_material,
                    Ball(c, max(ball_r, standoff / 2 * 1.01), z_att + p.land_thickness, z_die0),
                    22,
                    "solder bump",
                    net=net,
                )
            )
            edges_by_net.setdefault(net, []).extend(
                [(pname, f"bump_{s.name}"), (f"bump_{s.name}", f"bumpland_{s.name}")]
            )
        pads = tuple(bump_pads)
        contacts += [("underfill", "substrate"), ("die", "underfill")]
    else:
        z_die0 = z_att + p.attach_thickness
        z_die1 = z_die0 + p.die_thickness
        add(
            body(
                "die_attach",
                Role.DIE_ATTACH,
                p.attach_material,
                centered_box(p.die_size, p.die_size, z_att, z_die0),
                21,
                "die attach",
            )
        )
        add(body("die", Role.DIE, p.die_material, centered_box(p.die_size, p.die_size, z_die0, z_die1), 20, "chip"))
        contacts += [("die", "die_attach"), ("die_attach", carrier_name)]

    # What stands between chip and sink, and where the first surface sits.
    clear = z_die1 + (p.loop_height + p.wire_diameter + 50e-6 if wired else 0.0)
    za = z_die1 + p.adhesive_thickness
    if p.attachment is Attachment.DIRECT:
        add(
            body(
                "sink_adhesive",
                Role.THERMAL_GLUE,
                p.adhesive_material,
                centered_box(p.die_size, p.die_size, z_die1, za),
                26,
                "thermally conductive adhesive",
            )
        )
        z_first = za
        contacts += [("sink_adhesive", "die"), ("sink_adhesive", "sink")]
    elif p.attachment is Attachment.CONNECTING_PORTION:
        size = p.die_size - 2 * p.portion_inset
        require(
            size > 0.5e-3, "portion_inset", mm(p.portion_inset), "must leave a connecting portion at least 0.5 mm wide"
        )
        add(
            body(
                "sink_adhesive",
                Role.THERMAL_GLUE,
                p.adhesive_material,
                centered_box(size, size, z_die1, za),
                26,
                "thermally conductive adhesive",
            )
        )
        z_first = za + p.portion_height
        require(
            z_first >= clear,
            "portion_height",
            mm(p.portion_height),
            f"the first surface must clear the wire loops by 50 um (needs >= {mm(clear - za)})",
        )
        add(
            body(
                "connecting_portion",
                Role.HEAT_SINK,
                p.sink_material,
                centered_box(size, size, za, z_first),
                34,
                "connecting portion",
            )
        )
        contacts += [("sink_adhesive", "die"), ("connecting_portion", "sink_adhesive"), ("connecting_portion", "sink")]
    else:
        size = p.die_size - 2 * p.portion_inset
        require(size > 0.5e-3, "portion_inset", mm(p.portion_inset), "must leave a buffer pad at least 0.5 mm wide")
        zb = za + p.buffer_thickness
        z_first = zb + p.adhesive_thickness
        require(
            zb >= clear,
            "buffer_thickness",
            mm(p.buffer_thickness),
            f"the buffer pad must lift the sink clear of the wire loops (needs >= {mm(clear - za)})",
        )
        add(
            body(
                "pad_adhesive",
                Role.THERMAL_GLUE,
                p.adhesive_material,
                centered_box(size, size, z_die1, za),
                26,
                "thermally conductive adhesive",
            )
        )
        add(body("buffer_pad", Role.BUFFER_PAD, p.buffer_material, centered_box(size, size, za, zb), 36, "buffer pad"))
        add(
            body(
                "sink_adhesive",
                Role.THERMAL_GLUE,
                p.adhesive_material,
                centered_box(size, size, zb, z_first),
                26,
                "thermally conductive adhesive",
            )
        )
        contacts += [
            ("pad_adhesive", "die"),
            ("buffer_pad", "pad_adhesive"),
            ("sink_adhesive", "buffer_pad"),
            ("sink_adhesive", "sink"),
        ]

    z_second = z_first + p.sink_thickness
    tags = ("roughened",) if p.first_surface_roughened else ()
    add(
        body(
            "sink",
            Role.HEAT_SINK,
            p.sink_material,
            centered_box(p.body_size, p.body_size, z_first, z_second),
            30,
            "heat sink",
            tags=tags,
        )
    )
    markers.append((31, "first surface", (half * 0.75, 0.0, z_first)))
    markers.append((32, "second surface", (-half * 0.75, 0.0, z_second)))
    markers.append((33, "side surface", (half, 0.0, (z_first + z_second) / 2)))
    if p.interface_material is not None:
        add(
            body(
                "interface_layer",
                Role.INTERFACE_LAYER,
                p.interface_material,
                centered_box(p.body_size, p.body_size, z_second, z_second + p.interface_thickness),
                40,
                "interface layer",
            )
        )
        contacts.append(("interface_layer", "sink"))
    z_mold0 = 0.0 if qfn else z_att
    add(
        body(
            "encapsulant",
            Role.ENCAPSULANT,
            p.encapsulant_material,
            box(-half, -half, z_mold0, half, half, z_first, mold_cuts),
            50,
            "encapsulant (molding compound)",
        )
    )
    contacts.append(("encapsulant", "sink"))

    if wired:
        epads = edge_pads("die", p.die_size, p.pads_per_side, 0.12e-3, 0.4e-3)
        pad_pitch = (p.die_size - 0.8e-3) / p.pads_per_side
        require(
            pad_pitch > 2.5 * p.wire_diameter,
            "pads_per_side",
            p.pads_per_side,
            f"pad pitch {mm(pad_pitch)} is too fine",
        )
        pads = pads_of(epads, "die", 80e-6)
        if qfn:
            nets, contacts2 = _qfn_leads(p, epads, z_die1, bodies)
            contacts += contacts2
        else:
            wb, conns = wire_bonds(
                epads,
                p.die_size,
                z_die1,
                z_att,
                p.finger_offset,
                p.land_thickness,
                diameter=p.wire_diameter,
                loop_height=p.loop_height,
                material=p.wire_material,
                numeral=24,
                finger_numeral=23,
            )
            bodies += wb
            n_grid = math.floor((p.body_size - 1.5 * p.ball_pitch) / p.ball_pitch + 1e-9) + 1
            sites = ball_grid(n_grid, n_grid, p.ball_pitch, rows=p.ball_rows, center_block=p.thermal_balls)
            ball_nets = assign_balls(epads, sites, p.ball_rows, "ball_rows")
            bodies += ball_field(
                sites, 0.0, p.land_thickness, p.ball_diameter, p.land_diameter, p.ball_material, 60, 61, ball_nets
            )
            nets = substrate_nets(epads, conns, ball_nets, bodies, "substrate", p.substrate_thickness)
    else:
        n_grid = math.floor((p.body_size - 1.5 * p.ball_pitch) / p.ball_pitch + 1e-9) + 1
        sites = ball_grid(n_grid, n_grid, p.ball_pitch)
        ball_nets = area_array_balls(edges_by_net, sites)
        bodies += ball_field(
            sites, 0.0, p.land_thickness, p.ball_diameter, p.land_diameter, p.ball_material, 60, 61, ball_nets
        )
        nets = area_array_nets(edges_by_net, ball_nets, bodies, "substrate", p.substrate_thickness)

    # Cut through a wire in profile and the terminals it serves (leads or balls).
    if wired:
        hint = wire_section_y(bodies, Role.LEAD if qfn else Role.BALL, 0.5 * (p.lead_width if qfn else p.ball_diameter))
    else:
        ys = sorted(
            {round((b.solid.bbox.lo[1] + b.solid.bbox.hi[1]) / 2, 9) for b in bodies if b.role is Role.BALL}, key=abs
        )
        hint = ys[0]
    return Package(
        name=name,
        family="exposed_sink",
        bodies=tuple(bodies),
        materials=lib,
        pads=pads,
        nets=tuple(nets),
        heat_sources=(HeatSource("die", p.die_power),),
        contacts=tuple(contacts),
        features={
            "carrier": p.carrier.value,
            "attachment": p.attachment.value,
            "interface_material": p.interface_material,
            "first_surface_roughened": p.first_surface_roughened,
        },
        parameters=p,
        section_hint=("y", hint),
        markers=tuple(Marker(n, lbl, pt) for n, lbl, pt in markers),
    )


def _qfn_leads(
    p: ExposedSinkParams, epads: list[EdgePad], z_die1: float, bodies: list[Body]
) -> tuple[list[Net], list[tuple[str, str]]]:
    """Perimeter leads flush with the body edge, exposed at the bottom, one wire per pad."""
    half = p.body_size / 2
    per_side = math.floor((p.body_size - 2 * 0.35e-3) / p.lead_pitch)
    require(per_side >= 1, "lead_pitch", mm(p.lead_pitch), "no lead fits on a side")
    leads = []
    for side in range(4):
        for i in range(per_side):
            s = (i - (per_side - 1) / 2) * p.lead_pitch
            cx, cy, nx, ny = [
                (s, -half + p.lead_length / 2, 0, -1),
                (half - p.lead_length / 2, s, 1, 0),
                (-s, half - p.lead_length / 2, 0, 1),
                (-half + p.lead_length / 2, -s, -1, 0),
            ][side]
            sx, sy = (p.lead_width, p.lead_length) if nx == 0 else (p.lead_length, p.lead_width)
            leads.append((cx, cy, sx, sy, nx, ny))
    paddle_half = p.die_size / 2 + p.paddle_margin
    require(
        half - p.lead_length > paddle_half + 0.2e-3,
        "lead_length",
        mm(p.lead_length),
        "leads would touch the die paddle",
    )
    require(
        len(leads) >= len(epads), "pads_per_side", p.pads_per_side, f"only {len(leads)} leads fit; reduce pads_per_side"
    )
    nets: dict[str, tuple[NetKind, list[tuple[str, str]]]] = {}
    # Pair pads and leads by angle around the centre so wires fan out without crossing.
    lead_order = sorted(range(len(leads)), key=lambda i: math.atan2(leads[i][1], leads[i][0]))
    pad_order = sorted(epads, key=lambda e: math.atan2(e.y, e.x))
    a0 = math.atan2(pad_order[0].y, pad_order[0].x)
    start = min(
        range(len(lead_order)), key=lambda j: abs(math.atan2(leads[lead_order[j]][1], leads[lead_order[j]][0]) - a0)
    )
    used: set[int] = set()
    for j, pd in enumerate(pad_order):
        idx = (start + round(j * len(lead_order) / len(pad_order))) % len(lead_order)
        while idx in used:
            idx = (idx + 1) % len(lead_order)
        used.add(idx)
        li = lead_order[idx]
        cx, cy, sx, sy, nx, ny = leads[li]
        lname = f"lead{li + 1}"
        bodies.append(
            body(
                lname,
                Role.LEAD,
                p.lead_frame_material,
                centered_box(sx, sy, 0.0, p.lead_frame_thickness, cx, cy),
                13,
                "lead",
                net=pd.net,
            )
        )
        # Stitch on the inner end of the lead.
        tx, ty = cx - nx * (p.lead_length / 2 - 0.1e-3), cy - ny * (p.lead_length / 2 - 0.1e-3)
        wname = f"wire{j + 1}"
        bodies.append(
            body(
                wname,
                Role.WIRE,
                p.wire_material,
                wire_loop((pd.x, pd.y, z_die1), (tx, ty, p.lead_frame_thickness), p.loop_height, p.wire_diameter),
                24,
                "bonding wire",
                net=pd.net,
            )
        )
        kind_edges = nets.setdefault(pd.net, (pd.kind, []))
        kind_edges[1].extend([(pd.name, wname), (wname, lname)])
    for li in range(len(leads)):
        if li not in {lead_order[i] for i in used}:
            cx, cy, sx, sy, _, _ = leads[li]
            bodies.append(
                body(
                    f"lead{li + 1}",
                    Role.LEAD,
                    p.lead_frame_material,
                    centered_box(sx, sy, 0.0, p.lead_frame_thickness, cx, cy),
                    13,
                    "lead",
                )
            )
    return [Net(n, k, tuple(e)) for n, (k, e) in nets.items()], []
