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

from semipack.families import parts
from semipack.families.bga import (
    EdgePad,
    area_array_balls,
    area_array_nets,
    assign_balls,
    ball_field,
    bond_pads,
    pads_of,
    substrate_nets,
    wire_bonds,
    wire_section_y,
)
from semipack.families.common import (
    GridSite,
    ball_grid,
    balls_per_side,
    body,
    centered_box,
    check_die_on_attach,
    check_loop,
    require,
    require_material,
)
from semipack.families.params import Count, Length, MaterialRef, Power, param
from semipack.families.parts import Callout, bond_wire, die_on_attach, flip_chip_die, lead, mould_cap, paddle, plate
from semipack.geometry import Box
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


# --- Dimensions the parameters do not set (defaults of this model) ---------------------------------
MIN_BODY_MARGIN_M = 1e-3  # the chip at least 1 mm smaller than the body: mould round it
MIN_SPACER_M = 0.5e-3  # a connecting portion or buffer pad at least 0.5 mm wide
LOOP_CLEARANCE_M = 50e-6  # the first surface clears the wire loops by 50 um
BUMP_COLLAPSE = 0.8  # flip-chip stand-off / bump diameter after reflow (a collapsed C4 bump)
BUMP_PAD_RATIO = 0.8  # chip pad and substrate bump land edge / bump diameter
BUMP_BULGE = 1.01  # the bump sphere 1 % larger than half the stand-off, so it meets both faces
PAD_INSET_M = 0.12e-3  # wire-bond pad row inset from the chip edge
PAD_CORNER_KEEPOUT_M = 0.4e-3  # no pad within 0.4 mm of a chip corner
PAD_SIZE_M = 80e-6  # wire-bond pad edge
MIN_PAD_PITCH_WIRES = 2.5  # pad pitch at least 2.5 wire diameters (the capillary's room)
LEAD_CORNER_KEEPOUT_M = 0.35e-3  # QFN leads start 0.35 mm from the body corner
LEAD_PADDLE_GAP_M = 0.2e-3  # at least 0.2 mm between the leads' inner ends and the paddle
STITCH_INSET_M = 0.1e-3  # the wire's stitch 0.1 mm from the lead's inner end
MARKER_AT = 0.75  # surface markers at three quarters of the half body


class Numeral:
    """Reference numerals: the seed's FIG. 1 style, semipack's own where its text gives none."""

    SUBSTRATE = 11
    PADDLE = 12
    LEAD = 13
    CHIP = 20
    DIE_ATTACH = 21
    BUMP = 22
    FINGER = 23
    WIRE = 24
    UNDERFILL = 25
    ADHESIVE = 26
    SINK = 30
    FIRST_SURFACE = 31
    SECOND_SURFACE = 32
    SIDE_SURFACE = 33
    CONNECTING_PORTION = 34
    BUFFER_PAD = 36
    INTERFACE = 40
    ENCAPSULANT = 50
    BALL = 60
    BALL_LAND = 61


# The parts shared with `pbga`, `qfn` and `fcbga` (families/parts.py) under the seed's numerals and words.
SUBSTRATE = Callout(Numeral.SUBSTRATE, "chip carrier (substrate)")
PADDLE = Callout(Numeral.PADDLE, "die paddle (exposed pad)")
LEAD = Callout(Numeral.LEAD, "lead")
CHIP = Callout(Numeral.CHIP, "chip")
DIE_ATTACH = Callout(Numeral.DIE_ATTACH, "die attach")
BUMP = Callout(Numeral.BUMP, "solder bump")
WIRE = Callout(Numeral.WIRE, "bonding wire")
SINK = Callout(Numeral.SINK, "heat sink")
INTERFACE = Callout(Numeral.INTERFACE, "interface layer")
ENCAPSULANT = Callout(Numeral.ENCAPSULANT, "encapsulant (molding compound)")


@dataclass(frozen=True)
class CarrierKind:
    """What a carrier is made of and how the chip is connected to it."""

    lead_frame: bool  # a QFN lead frame (else a BGA substrate)
    flip_chip: bool  # solder bumps (else bonding wires)


CARRIERS: dict[Carrier, CarrierKind] = {
    Carrier.SUBSTRATE_WIRE_BOND: CarrierKind(lead_frame=False, flip_chip=False),
    Carrier.SUBSTRATE_FLIP_CHIP: CarrierKind(lead_frame=False, flip_chip=True),
    Carrier.QFN_LEAD_FRAME: CarrierKind(lead_frame=True, flip_chip=False),
}


@dataclass(frozen=True)
class Layer:
    """One layer between the chip and the sink: its body, and the parameters of its material and thickness."""

    name: str
    role: Role
    material: str  # field of ExposedSinkParams
    thickness: str  # field of ExposedSinkParams
    numeral: int
    label: str


def _glue(name: str) -> Layer:
    return Layer(
        name,
        Role.THERMAL_GLUE,
        "adhesive_material",
        "adhesive_thickness",
        Numeral.ADHESIVE,
        "thermally conductive adhesive",
    )


@dataclass(frozen=True)
class Mount:
    """How the sink's first surface meets the chip (claim 1/11, claim 10, claim 12).

    Attributes
    ----------
    layers
        From the chip up to the sink's first surface.
    spacer
        What the layers are narrowed to (``die_size - 2 portion_inset``), for messages;
        None keeps them chip-sized.
    lift
        Index of the layer whose top must clear the wire loops, and what to say when it does not.
    """

    layers: tuple[Layer, ...]
    spacer: str | None = None
    lift: tuple[int, str] | None = None


MOUNTS: dict[Attachment, Mount] = {
    Attachment.DIRECT: Mount((_glue("sink_adhesive"),)),
    Attachment.CONNECTING_PORTION: Mount(
        (
            _glue("sink_adhesive"),
            Layer(
                "connecting_portion",
                Role.HEAT_SINK,
                "sink_material",
                "portion_height",
                Numeral.CONNECTING_PORTION,
                "connecting portion",
            ),
        ),
        "connecting portion",
        (1, "the first surface must clear the wire loops by 50 um"),
    ),
    Attachment.BUFFER_PAD: Mount(
        (
            _glue("pad_adhesive"),
            Layer(
                "buffer_pad", Role.BUFFER_PAD, "buffer_material", "buffer_thickness", Numeral.BUFFER_PAD, "buffer pad"
            ),
            _glue("sink_adhesive"),
        ),
        "buffer pad",
        (1, "the buffer pad must lift the sink clear of the wire loops"),
    ),
}

_MATERIAL_FIELDS = (
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
)


@dataclass(frozen=True)
class _Parts:
    """A piece of the package; pieces add up field by field, in order."""

    bodies: tuple[Body, ...] = ()
    contacts: tuple[tuple[str, str], ...] = ()
    markers: tuple[Marker, ...] = ()

    def __add__(self, o: _Parts) -> _Parts:
        return _Parts(self.bodies + o.bodies, self.contacts + o.contacts, self.markers + o.markers)


@dataclass(frozen=True)
class _Chip:
    """The chip on its carrier: the parts, the carrier's and chip's top, and what the bumps leave behind."""

    parts: _Parts
    carrier: str
    z_carrier: float  # top of the carrier
    z_chip: float  # top of the chip
    pads: tuple[Pad, ...] = ()
    bump_nets: dict[str, list[tuple[str, str]]] | None = None  # flip chip: net -> pad/bump/land edges
    mold_cuts: tuple[Box, ...] = ()


def _check(p: ExposedSinkParams, lib: MaterialLibrary, kind: CarrierKind) -> None:
    """Materials (the interface layer's last: it may be null), chip in the body, sink not on wire loops."""
    for f in _MATERIAL_FIELDS:
        require_material(lib, getattr(p, f), f)
    if p.interface_material is not None:
        require_material(lib, p.interface_material, "interface_material")
    require(
        p.die_size < p.body_size - MIN_BODY_MARGIN_M,
        "die_size",
        mm(p.die_size),
        f"must be at least 1 mm below body_size {mm(p.body_size)}",
    )
    if not kind.lead_frame:
        msg = f"must be below ball_pitch {mm(p.ball_pitch)}"
        require(p.ball_diameter < p.ball_pitch, "ball_diameter", mm(p.ball_diameter), msg)
        require(p.land_diameter < p.ball_diameter, "land_diameter", mm(p.land_diameter), "must be below ball_diameter")
    if kind.flip_chip:
        msg = f"must be below bump_pitch {mm(p.bump_pitch)}"
        require(p.bump_diameter < p.bump_pitch, "bump_diameter", mm(p.bump_diameter), msg)
    require(
        kind.flip_chip or p.attachment is not Attachment.DIRECT,
        "attachment",
        p.attachment.value,
        "a wire-bonded chip needs connecting_portion or buffer_pad: a sink directly on the chip would crush the wire loops",
    )


def _carrier(p: ExposedSinkParams, kind: CarrierKind) -> tuple[Body, float]:
    """The die paddle of a lead frame (`qfn`'s part) or the BGA substrate, and its top."""
    if kind.lead_frame:
        edge = p.die_size + 2 * p.paddle_margin
        pad = paddle("die_paddle", p.lead_frame_material, (edge, edge), (0.0, p.lead_frame_thickness), PADDLE)
        return pad, p.lead_frame_thickness
    square = (p.body_size, p.body_size)
    return plate("substrate", Role.SUBSTRATE, p.substrate_material, square, 0.0, p.substrate_thickness, SUBSTRATE), (
        p.substrate_thickness
    )


def _wired_chip(p: ExposedSinkParams, carrier: Body, z_att: float) -> _Chip:
    """The chip on its die attach (it is wire-bonded later)."""
    check_die_on_attach(p.die_thickness, p.attach_thickness, "die_thickness", "attach_thickness")
    # Wires go down from the die top to the substrate or lead-frame top, so no rise to clear.
    check_loop(p.loop_height, p.wire_diameter)
    z_die1 = z_att + p.attach_thickness + p.die_thickness
    thick, materials = (p.attach_thickness, p.die_thickness), (p.attach_material, p.die_material)
    bodies = (carrier, *die_on_attach((p.die_size, p.die_size), z_att, thick, materials, die=CHIP, attach=DIE_ATTACH))
    contacts = (("die", "die_attach"), ("die_attach", carrier.name))
    return _Chip(_Parts(bodies, contacts), carrier.name, z_att, z_die1)


def _bump_net(k: int) -> str:
    """Bump ``k``'s net: every fourth is power (VDD), every fourth offset by two ground (VSS), the rest signals."""
    return "VDD" if k % 4 == 1 else "VSS" if k % 4 == 3 else f"S{k}"


def _flip_chip(p: ExposedSinkParams, carrier: Body, z_att: float) -> _Chip:
    """The chip face down on an area array of bumps, in underfill."""
    standoff = BUMP_COLLAPSE * p.bump_diameter
    z_land = z_att + p.land_thickness
    z_die0 = z_land + standoff
    z_die1 = z_die0 + p.die_thickness
    uf = centered_box(p.die_size, p.die_size, z_att, z_die0)
    bodies = [
        carrier,
        flip_chip_die((p.die_size, p.die_size), z_die0, p.die_thickness, p.die_material, CHIP),
        body("underfill", Role.ENCAPSULANT, p.underfill_material, uf, Numeral.UNDERFILL, "underfill"),
    ]
    nb = max(int((p.die_size - p.bump_pitch) / p.bump_pitch) + 1, 1)
    pads: list[Pad] = []
    edges: dict[str, list[tuple[str, str]]] = {}
    w = BUMP_PAD_RATIO * p.bump_diameter
    radius = max(p.bump_diameter / 2, standoff / 2 * BUMP_BULGE)
    for k, s in enumerate(ball_grid(nb, nb, p.bump_pitch), start=1):
        net = _bump_net(k)
        pname, bump, land_ = f"die.pad{k}", f"bump_{s.name}", f"bumpland_{s.name}"
        pads.append(Pad(pname, "die", (s.x, s.y), w, net))
        bodies.append(
            body(land_, Role.LAND, "cu_plated", centered_box(w, w, z_att, z_land, s.x, s.y), None, "bump land", net=net)
        )
        centre = (s.x, s.y, z_att + p.land_thickness + standoff / 2)
        bodies.append(parts.bump(bump, centre, radius, (z_land, z_die0), p.bump_material, BUMP, net))
        edges.setdefault(net, []).extend([(pname, bump), (bump, land_)])
    contacts = (("underfill", "substrate"), ("die", "underfill"))
    return _Chip(_Parts(tuple(bodies), contacts), carrier.name, z_att, z_die1, tuple(pads), edges, (uf,))


def _mount(p: ExposedSinkParams, z_chip: float, wired: bool) -> tuple[_Parts, float]:
    """The layers between the chip's top and the sink's first surface (`MOUNTS`); the first surface."""
    mount = MOUNTS[p.attachment]
    size = p.die_size
    if mount.spacer is not None:
        size = p.die_size - 2 * p.portion_inset
        msg = f"must leave a {mount.spacer} at least 0.5 mm wide"
        require(size > MIN_SPACER_M, "portion_inset", mm(p.portion_inset), msg)
        # The spacer stands on the chip inside its bond-pad row: over a pad it would crush the wire's neck.
        least = PAD_INSET_M + max(PAD_SIZE_M, p.wire_diameter) / 2
        msg = f"the {mount.spacer} must clear the bond pads: at least {mm(least)} (pads {mm(PAD_INSET_M)} in from the edge)"
        require(not wired or p.portion_inset >= least, "portion_inset", mm(p.portion_inset), msg)
    clear = z_chip + (p.loop_height + p.wire_diameter + LOOP_CLEARANCE_M if wired else 0.0)
    tops = [z_chip]
    for layer in mount.layers:
        tops.append(tops[-1] + getattr(p, layer.thickness))
    if mount.lift is not None:
        i, why = mount.lift
        field = mount.layers[i].thickness
        require(tops[i + 1] >= clear, field, mm(getattr(p, field)), f"{why} (needs >= {mm(clear - tops[1])})")
    bodies = tuple(
        body(m.name, m.role, getattr(p, m.material), centered_box(size, size, z0, z1), m.numeral, m.label)
        for m, z0, z1 in zip(mount.layers, tops, tops[1:], strict=False)
    )
    below = ["die", *(m.name for m in mount.layers)]
    contacts = (*zip(below[1:], below, strict=False), (mount.layers[-1].name, "sink"))
    return _Parts(bodies, tuple(contacts)), tops[-1]


def _sink(p: ExposedSinkParams, z_first: float, z_mold0: float, cuts: tuple[Box, ...]) -> _Parts:
    """The sink (area = the carrier's), its interface layer, and the encapsulant filling under it."""
    half = p.body_size / 2
    z_second = z_first + p.sink_thickness
    tags = ("roughened",) if p.first_surface_roughened else ()
    square = (p.body_size, p.body_size)
    bodies = [plate("sink", Role.HEAT_SINK, p.sink_material, square, z_first, p.sink_thickness, SINK, tags=tags)]
    markers = (
        Marker(Numeral.FIRST_SURFACE, "first surface", (half * MARKER_AT, 0.0, z_first)),
        Marker(Numeral.SECOND_SURFACE, "second surface", (-half * MARKER_AT, 0.0, z_second)),
        Marker(Numeral.SIDE_SURFACE, "side surface", (half, 0.0, (z_first + z_second) / 2)),
    )
    contacts = []
    if p.interface_material is not None:
        material = p.interface_material
        bodies.append(
            plate("interface_layer", Role.INTERFACE_LAYER, material, square, z_second, p.interface_thickness, INTERFACE)
        )
        contacts.append(("interface_layer", "sink"))
    mould = mould_cap(
        "encapsulant",
        Role.ENCAPSULANT,
        p.encapsulant_material,
        (half, half),
        (z_mold0, z_first),
        ENCAPSULANT,
        cuts=cuts,
    )
    bodies.append(mould)
    contacts.append(("encapsulant", "sink"))
    return _Parts(tuple(bodies), tuple(contacts), markers)


def _balls(p: ExposedSinkParams, sites: list[GridSite], nets: dict[str, str]) -> list[Body]:
    return ball_field(
        sites,
        0.0,
        p.land_thickness,
        p.ball_diameter,
        p.land_diameter,
        p.ball_material,
        Numeral.BALL,
        Numeral.BALL_LAND,
        nets,
    )


def _wire_bonded(
    p: ExposedSinkParams, chip: _Chip, bodies: list[Body], lead_frame: bool
) -> tuple[list[Body], list[Net], tuple[Pad, ...]]:
    """Pads round the chip edge, wired to leads (QFN) or to fingers routed to a perimeter ball grid."""
    min_pitch = MIN_PAD_PITCH_WIRES * p.wire_diameter
    epads = bond_pads(p.die_size, p.pads_per_side, PAD_INSET_M, PAD_CORNER_KEEPOUT_M, min_pitch)
    pads = pads_of(epads, "die", PAD_SIZE_M)
    if lead_frame:
        extra, nets = _qfn_leads(p, epads, chip.z_chip)
        return extra, nets, pads
    extra, conns = wire_bonds(
        epads,
        p.die_size,
        chip.z_chip,
        chip.z_carrier,
        p.finger_offset,
        p.land_thickness,
        diameter=p.wire_diameter,
        loop_height=p.loop_height,
        material=p.wire_material,
        numeral=Numeral.WIRE,
        finger_numeral=Numeral.FINGER,
    )
    n = balls_per_side(p.body_size, p.ball_pitch)
    sites = ball_grid(n, n, p.ball_pitch, rows=p.ball_rows, center_block=p.thermal_balls)
    ball_nets = assign_balls(epads, sites, p.ball_rows, "ball_rows")
    extra += _balls(p, sites, ball_nets)
    return extra, substrate_nets(epads, conns, ball_nets, bodies + extra, "substrate", p.substrate_thickness), pads


def _bumped(p: ExposedSinkParams, chip: _Chip, bodies: list[Body]) -> tuple[list[Body], list[Net]]:
    """A full ball grid under the substrate, routed to the bump lands."""
    assert chip.bump_nets is not None
    n = balls_per_side(p.body_size, p.ball_pitch)
    sites = ball_grid(n, n, p.ball_pitch)
    ball_nets = area_array_balls(chip.bump_nets, sites)
    balls = _balls(p, sites, ball_nets)
    return balls, area_array_nets(chip.bump_nets, ball_nets, bodies + balls, "substrate", p.substrate_thickness)


def _section_y(p: ExposedSinkParams, bodies: list[Body], kind: CarrierKind) -> float:
    """Cut through a wire in profile and the terminals it serves (leads or balls), or the middle ball row."""
    if not kind.flip_chip:
        partner = Role.LEAD if kind.lead_frame else Role.BALL
        return wire_section_y(bodies, partner, 0.5 * (p.lead_width if kind.lead_frame else p.ball_diameter))
    ys = {round((b.solid.bbox.lo[1] + b.solid.bbox.hi[1]) / 2, 9) for b in bodies if b.role is Role.BALL}
    return sorted(ys, key=abs)[0]


def build(p: ExposedSinkParams, lib: MaterialLibrary, name: str) -> Package:
    """Build the exposed-heat-sink package: carrier, chip, mount (`MOUNTS`), sink, terminals."""
    kind = CARRIERS[p.carrier]
    _check(p, lib, kind)
    carrier, z_att = _carrier(p, kind)
    chip = _flip_chip(p, carrier, z_att) if kind.flip_chip else _wired_chip(p, carrier, z_att)
    mount, z_first = _mount(p, chip.z_chip, not kind.flip_chip)
    parts = chip.parts + mount + _sink(p, z_first, 0.0 if kind.lead_frame else z_att, chip.mold_cuts)
    bodies = list(parts.bodies)
    if kind.flip_chip:
        extra, nets = _bumped(p, chip, bodies)
        pads = chip.pads
    else:
        extra, nets, pads = _wire_bonded(p, chip, bodies, kind.lead_frame)
    bodies += extra
    return Package(
        name=name,
        family="exposed_sink",
        bodies=tuple(bodies),
        materials=lib,
        pads=pads,
        nets=tuple(nets),
        heat_sources=(HeatSource("die", p.die_power),),
        contacts=parts.contacts,
        features={
            "carrier": p.carrier.value,
            "attachment": p.attachment.value,
            "interface_material": p.interface_material,
            "first_surface_roughened": p.first_surface_roughened,
        },
        parameters=p,
        section_hint=("y", _section_y(p, bodies, kind)),
        markers=parts.markers,
    )


@dataclass(frozen=True)
class _Lead:
    cx: float
    cy: float
    sx: float
    sy: float
    nx: int  # outward normal
    ny: int

    @property
    def angle(self) -> float:
        return math.atan2(self.cy, self.cx)


def _lead_sites(p: ExposedSinkParams) -> list[_Lead]:
    """Perimeter leads flush with the body edge, counter-clockwise from the -y side."""
    half = p.body_size / 2
    per_side = math.floor((p.body_size - 2 * LEAD_CORNER_KEEPOUT_M) / p.lead_pitch)
    require(per_side >= 1, "lead_pitch", mm(p.lead_pitch), "no lead fits on a side")
    require(
        p.lead_width < p.lead_pitch,
        "lead_width",
        mm(p.lead_width),
        f"must be below lead_pitch {mm(p.lead_pitch)} (adjacent leads would touch)",
    )
    c = half - p.lead_length / 2
    leads = []
    for side in range(4):
        for i in range(per_side):
            s = (i - (per_side - 1) / 2) * p.lead_pitch
            cx, cy, nx, ny = [(s, -c, 0, -1), (c, s, 1, 0), (-s, c, 0, 1), (-c, -s, -1, 0)][side]
            sx, sy = (p.lead_width, p.lead_length) if nx == 0 else (p.lead_length, p.lead_width)
            leads.append(_Lead(cx, cy, sx, sy, nx, ny))
    require(
        half - p.lead_length > p.die_size / 2 + p.paddle_margin + LEAD_PADDLE_GAP_M,
        "lead_length",
        mm(p.lead_length),
        "leads would touch the die paddle",
    )
    return leads


def _pair_leads(leads: list[_Lead], pads: list[EdgePad]) -> list[tuple[EdgePad, int]]:
    """Pair pads and leads by angle around the centre so wires fan out without crossing."""
    lead_order = sorted(range(len(leads)), key=lambda i: leads[i].angle)
    pad_order = sorted(pads, key=lambda e: math.atan2(e.y, e.x))
    a0 = math.atan2(pad_order[0].y, pad_order[0].x)
    start = min(range(len(lead_order)), key=lambda j: abs(leads[lead_order[j]].angle - a0))
    used: set[int] = set()
    out = []
    for j, pd in enumerate(pad_order):
        idx = (start + round(j * len(lead_order) / len(pad_order))) % len(lead_order)
        while idx in used:
            idx = (idx + 1) % len(lead_order)
        used.add(idx)
        out.append((pd, lead_order[idx]))
    return out


def _lead(p: ExposedSinkParams, li: int, ld: _Lead, net: str | None) -> Body:
    size, at = (ld.sx, ld.sy), (ld.cx, ld.cy)
    return lead(f"lead{li + 1}", p.lead_frame_material, size, at, p.lead_frame_thickness, LEAD, net=net)


def _qfn_leads(p: ExposedSinkParams, epads: list[EdgePad], z_die1: float) -> tuple[list[Body], list[Net]]:
    """Perimeter leads flush with the body edge, exposed at the bottom, one wire per pad."""
    leads = _lead_sites(p)
    require(
        len(leads) >= len(epads), "pads_per_side", p.pads_per_side, f"only {len(leads)} leads fit; reduce pads_per_side"
    )
    bodies: list[Body] = []
    nets: dict[str, tuple[NetKind, list[tuple[str, str]]]] = {}
    pairs = _pair_leads(leads, epads)
    for j, (pd, li) in enumerate(pairs):
        ld = leads[li]
        # Stitch on the inner end of the lead.
        back = p.lead_length / 2 - STITCH_INSET_M
        tx, ty = ld.cx - ld.nx * back, ld.cy - ld.ny * back
        ends = ((pd.x, pd.y, z_die1), (tx, ty, p.lead_frame_thickness))
        wname = f"wire{j + 1}"
        bodies += [
            _lead(p, li, ld, pd.net),
            bond_wire(wname, ends, p.loop_height, p.wire_diameter, p.wire_material, WIRE, pd.net),
        ]
        nets.setdefault(pd.net, (pd.kind, []))[1].extend([(pd.name, wname), (wname, f"lead{li + 1}")])
    wired = {li for _, li in pairs}
    bodies += [_lead(p, li, ld, None) for li, ld in enumerate(leads) if li not in wired]
    return bodies, [Net(n, k, tuple(e)) for n, (k, e) in nets.items()]
