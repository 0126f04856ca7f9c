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

It is a generic package plus its claimed features: the QFN carrier's paddle, leads,
die on attach and wires are `qfn`'s parts, the wire-bond BGA's die, fingers, wires,
lands and balls `pbga`'s, the flip-chip die and bumps `fcbga`'s (families/parts.py);
this family adds the sink with its surfaces, the interface layer, the connecting
portion or buffer pad (`MOUNTS`) and its numerals. The parameters and tables are in
`exposed_sink_params`, the QFN carrier's leads in `exposed_sink_qfn`.
"""

from __future__ import annotations

from dataclasses import dataclass

from semipack.families import parts
from semipack.families.bga import (
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
from semipack.families.exposed_sink_params import (
    BUMP,
    BUMP_BULGE,
    BUMP_COLLAPSE,
    BUMP_PAD_RATIO,
    CARRIERS,
    CHIP,
    DIE_ATTACH,
    ENCAPSULANT,
    INTERFACE,
    LOOP_CLEARANCE_M,
    MARKER_AT,
    MATERIAL_FIELDS,
    MIN_BODY_MARGIN_M,
    MIN_PAD_PITCH_WIRES,
    MIN_SPACER_M,
    MOUNTS,
    PAD_CORNER_KEEPOUT_M,
    PAD_INSET_M,
    PAD_SIZE_M,
    PADDLE,
    SINK,
    SUBSTRATE,
    Attachment,
    CarrierKind,
    ExposedSinkParams,
    Numeral,
)
from semipack.families.exposed_sink_qfn import qfn_leads
from semipack.families.parts import bare_die, die_on_attach, levels, mould_cap, paddle, plate
from semipack.geometry import Box
from semipack.materials import MaterialLibrary
from semipack.model import Body, HeatSource, Marker, Net, Package, Pad, Role
from semipack.units import mm


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
    for f in MATERIAL_FIELDS:
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
    z = levels(z_att, p.attach_thickness, p.die_thickness)
    materials = (p.attach_material, p.die_material)
    bodies = (carrier, *die_on_attach((p.die_size, p.die_size), z, materials, die=CHIP, attach=DIE_ATTACH))
    contacts = (("die", "die_attach"), ("die_attach", carrier.name))
    return _Chip(_Parts(bodies, contacts), carrier.name, z_att, z[2])


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
        bare_die((p.die_size, p.die_size), (z_die0, z_die1), p.die_material, CHIP),
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
        extra, nets = qfn_leads(p, epads, chip.z_chip)
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
