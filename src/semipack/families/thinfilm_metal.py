"""Seed 002: chip-first thin-film package on a metal substrate.

One or more dies with their backsides adhered to a metal substrate - on its plain
surface, in machined inwardly protruded areas (claim 22), or in openings punched in a
first metal layer laminated on a second (claims 23-24); an optional filling layer
(epoxy or polymer) planar with the active surface (claim 25); a thin-film circuit of
alternating dielectric layers (polyimide, BCB, porous, stress buffer) and patterned
wiring layers joined by vias in thru-holes, fanning out beyond the die (claims 1, 6-9,
14-17); passives formed in the wiring (claims 10-12); a power/ground bus (claim 5);
passivation exposing the bonding pads (claim 27); solder balls, bumps or pins
(claims 28-29). Several dies in one package are a group singulated together
(claims 30-60).

Defaults imitate an 8 x 8 mm, 0.5 mm pitch, chip-first fan-out package with a 4 x 4 mm
die and two polyimide / electroplated-copper redistribution layers (eWLB-class
geometry, here on a 0.5 mm copper carrier). The seed's text has no reference numerals;
those used here are semipack's own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from semipack.families.bga import EdgePad, edge_pads
from semipack.families.buildup import BuildupSpec, Terminal, build_wiring, dielectric_bodies, terminal_row
from semipack.families.common import body, box, centered_box, check_die_on_attach, require, require_materials
from semipack.families.params import Count, Length, MaterialRef, Power, param
from semipack.families.parts import Callout, die_on_attach
from semipack.geometry import Box
from semipack.materials import MaterialLibrary
from semipack.model import Body, HeatSource, Marker, Net, Package, Pad, Passive, Role
from semipack.units import mm


class SubstrateStyle(Enum):
    """Plain surface, machined protruded areas (claim 22), punched two-layer substrate (claim 23)."""

    PLAIN = "plain"
    MACHINED = "machined"
    PUNCHED = "punched"


class DieFunction(Enum):
    """Several dies perform the same (claim 31) or different (claim 32) functions."""

    SAME = "same"
    DIFFERENT = "different"


NUMERALS = {
    "via": 36,
    "wiring": 34,
    "trace": 35,
    "bonding_pad": 38,
    "terminal": 50,
    "bus": 80,
    "passive": 70,
    "dielectric": 32,
    "passivation": 40,
}


@dataclass(frozen=True)
class ThinfilmMetalParams:
    die_count: Count = param(1, "dies in the package (more than one: a group singulated together)")
    die_function: DieFunction = param(
        DieFunction.SAME, "same | different (alternate dies use alt_die_size/alt_die_power)"
    )
    die_size: Length = param(4e-3, "die edge (square)")
    die_thickness: Length = param(0.30e-3, "die thickness")
    die_power: Power = param(1.0, "power per die")
    alt_die_size: Length = param(3e-3, "edge of the second kind of die (die_function: different)")
    alt_die_power: Power = param(0.5, "power of the second kind of die")
    die_material: MaterialRef = param(MaterialRef("si"), "die material")
    pads_per_side: Count = param(11, "metal pads per die side (odd: the centre pad lines up with the centre ball)")
    cell_size: Length = param(8e-3, "package area per die (the body is cell_size x die_count by cell_size)")
    substrate_style: SubstrateStyle = param(SubstrateStyle.PLAIN, "plain | machined | punched")
    substrate_thickness: Length = param(0.5e-3, "metal substrate thickness (second metal layer when punched)")
    substrate_material: MaterialRef = param(MaterialRef("cu_rolled"), "metal substrate")
    first_layer_material: MaterialRef = param(MaterialRef("cu_rolled"), "punched first metal layer")
    cavity_clearance: Length = param(50e-6, "gap between die and the wall of its protruded area")
    attach_thickness: Length = param(20e-6, "die attach bond line")
    attach_material: MaterialRef = param(MaterialRef("silver_epoxy"), "die attach adhesive")
    filling: bool = param(True, "filling layer around the dies, planar with the active surface (claim 25)")
    filling_material: MaterialRef = param(MaterialRef("epoxy"), "filling layer (epoxy or polymer)")
    layers: Count = param(2, "dielectric / patterned-wiring layer pairs")
    dielectric_material: MaterialRef = param(MaterialRef("polyimide_thinfilm"), "thin-film dielectric")
    dielectric_thickness: Length = param(8e-6, "dielectric thickness over the wiring below")
    metal_thickness: Length = param(4e-6, "patterned wiring thickness")
    metal_material: MaterialRef = param(MaterialRef("cu_plated"), "wiring metal")
    via_diameter: Length = param(30e-6, "via (thru-hole) diameter")
    capture_diameter: Length = param(60e-6, "via capture pad diameter")
    trace_width: Length = param(25e-6, "external-circuitry trace width")
    fanout_level: Count = param(1, "wiring layer that carries the fan-out traces")
    stacked_vias: bool = param(True, "vias stacked directly over each other (else staggered)")
    bus: bool = param(True, "power/ground bus rings inside the pad ring (claim 5)")
    passives: tuple[Passive, ...] = param(
        (), "passives formed in the wiring: resistor, inductor, capacitor, waveguide, filter, mems"
    )
    passivation: bool = param(True, "passivation layer exposing the bonding pads (claim 27)")
    passivation_thickness: Length = param(5e-6, "passivation thickness")
    passivation_material: MaterialRef = param(MaterialRef("polyimide_thinfilm"), "passivation material")
    terminal: Terminal = param(Terminal.BALLS, "balls | bumps | pins (claim 29)")
    terminal_pitch: Length = param(0.5e-3, "terminal pitch")
    terminal_diameter: Length = param(0.30e-3, "ball, bump or pin diameter")
    land_diameter: Length = param(0.25e-3, "bonding pad diameter")
    terminal_material: MaterialRef = param(MaterialRef("sac305"), "ball/bump alloy or pin metal")
    pin_length: Length = param(1.0e-3, "pin length")


# --- Dimensions the parameters do not set (defaults of this model) ---------------------------------
FLOOR_M = 0.1e-3  # metal left under a machined protruded area (claim 22)
CUT_BEYOND_M = 1e-3  # recess cut-outs run this far past the faces they open (a clean boolean)
PAD_INSET_M = 0.1e-3  # die pad row inset from the die edge
PAD_CORNER_KEEPOUT_M = 0.3e-3  # no pad within 0.3 mm of a die corner
PAD_SIZE_M = 60e-6  # die pad edge
LAYER_MARKER_INSET_M = 0.2e-3  # the thin-film layer's marker this far inside the body edge
_SUPPLY_NETS = ("VDD", "VSS")  # nets shared by every die of a group; the others are per die


class Numeral:
    """semipack's reference numerals for the parts outside the thin film (the seed's text has none)."""

    METAL_SUBSTRATE = 10
    PROTRUDED_AREA = 12
    FIRST_METAL_LAYER = 14
    SECOND_METAL_LAYER = 16
    DIE = 20
    ADHESIVE = 26
    THIN_FILM = 30
    FILLING = 60


# The die on its adhesive: the generic families' part (families/parts.py) under this seed's numerals.
DIE = Callout(Numeral.DIE, "die")
ADHESIVE = Callout(Numeral.ADHESIVE, "adhesive")

# Claims 22 and 23: what the recess of a die is called in the drawings.
_RECESS_LABEL = {
    SubstrateStyle.MACHINED: "inwardly protruded area",
    SubstrateStyle.PUNCHED: "inwardly protruded area (punched opening)",
}


@dataclass(frozen=True)
class _Die:
    name: str
    size: float
    power: float
    cx: float  # centre of its cell; every die is centred at y = 0


@dataclass(frozen=True)
class _Base:
    """The metal substrate and where the dies sit on it."""

    bodies: tuple[Body, ...]
    z_floor: float  # the dies' attach surface
    z_active: float  # the dies' active surface
    fill: tuple[Box, ...]  # what a filling layer fills
    surface: str  # the body the dies are attached to
    contacts: tuple[tuple[str, str], ...] = ()
    markers: tuple[Marker, ...] = ()


def _dies(p: ThinfilmMetalParams) -> list[_Die]:
    """One die per cell along x; with ``different`` functions every second die is the other kind."""
    x0 = -p.cell_size * p.die_count / 2
    out = []
    for i in range(p.die_count):
        alt = p.die_function is DieFunction.DIFFERENT and i % 2
        size, power = (p.alt_die_size, p.alt_die_power) if alt else (p.die_size, p.die_power)
        out.append(_Die(f"die{i + 1}", size, power, x0 + (i + 0.5) * p.cell_size))
    return out


def _check(p: ThinfilmMetalParams, lib: MaterialLibrary, dies: list[_Die]) -> None:
    require_materials(lib, p)
    check_die_on_attach(p.die_thickness, p.attach_thickness, "die_thickness", "attach_thickness")
    require(p.fanout_level <= p.layers, "fanout_level", p.fanout_level, f"must be between 1 and layers ({p.layers})")
    for d in dies:
        require(
            d.size + 2 * p.terminal_pitch < p.cell_size,
            "die_size",
            mm(d.size),
            f"the die must leave at least one terminal pitch each side inside cell_size {mm(p.cell_size)}",
        )
    require(p.land_diameter < p.terminal_pitch, "land_diameter", mm(p.land_diameter), "must be below terminal_pitch")
    msg = f"must be below terminal_pitch {mm(p.terminal_pitch)} (adjacent terminals would touch)"
    require(p.terminal_diameter < p.terminal_pitch, "terminal_diameter", mm(p.terminal_diameter), msg)
    require(p.via_diameter < p.capture_diameter, "via_diameter", mm(p.via_diameter), "must be below capture_diameter")


def _outline(p: ThinfilmMetalParams) -> tuple[float, float, float, float]:
    width = p.cell_size * p.die_count
    return -width / 2, -p.cell_size / 2, width / 2, p.cell_size / 2


def _recesses(p: ThinfilmMetalParams, dies: list[_Die]) -> list[Box]:
    """The footprint of each die's protruded area (its z is set where it is used)."""
    return [
        centered_box(d.size + 2 * p.cavity_clearance, d.size + 2 * p.cavity_clearance, 0, 1, d.cx, 0.0) for d in dies
    ]


def _recess_markers(p: ThinfilmMetalParams, dies: list[_Die], z_floor: float) -> tuple[Marker, ...]:
    # Placed by the first die's size for every die (as drawn since the first version).
    t_stack = p.attach_thickness + p.die_thickness
    at = [(d.cx + dies[0].size / 2 + p.cavity_clearance / 2, 0.0, z_floor + t_stack / 2) for d in dies]
    return tuple(Marker(Numeral.PROTRUDED_AREA, _RECESS_LABEL[p.substrate_style], xyz) for xyz in at)


def _plain(p: ThinfilmMetalParams, dies: list[_Die]) -> _Base:
    """Dies on the plain surface; the filling layer covers it up to their active surface."""
    x0, y0, x1, y1 = _outline(p)
    t_sub = p.substrate_thickness
    z_active = t_sub + (p.attach_thickness + p.die_thickness)
    solid = box(x0, y0, 0, x1, y1, t_sub)
    sub = body(
        "metal_substrate", Role.METAL_SUBSTRATE, p.substrate_material, solid, Numeral.METAL_SUBSTRATE, "metal substrate"
    )
    return _Base((sub,), t_sub, z_active, (box(x0, y0, t_sub, x1, y1, z_active),), "metal_substrate")


def _machined(p: ThinfilmMetalParams, dies: list[_Die]) -> _Base:
    """Claim 22: each die in a protruded area machined into the substrate, its face level with the top."""
    x0, y0, x1, y1 = _outline(p)
    t_sub = p.substrate_thickness
    t_stack = p.attach_thickness + p.die_thickness
    msg = f"must exceed the die and attach ({mm(t_stack)}) by 0.1 mm"
    require(t_sub > t_stack + FLOOR_M, "substrate_thickness", mm(t_sub), msg)
    z_floor = t_sub - t_stack
    recesses = _recesses(p, dies)
    cuts = [Box((r.lo[0], r.lo[1], z_floor), (r.hi[0], r.hi[1], t_sub + CUT_BEYOND_M)) for r in recesses]
    solid = box(x0, y0, 0, x1, y1, t_sub, cuts)
    sub = body(
        "metal_substrate", Role.METAL_SUBSTRATE, p.substrate_material, solid, Numeral.METAL_SUBSTRATE, "metal substrate"
    )
    fill = tuple(Box((r.lo[0], r.lo[1], z_floor), (r.hi[0], r.hi[1], t_sub)) for r in recesses)
    return _Base((sub,), z_floor, t_sub, fill, "metal_substrate", markers=_recess_markers(p, dies, z_floor))


def _punched(p: ThinfilmMetalParams, dies: list[_Die]) -> _Base:
    """Claims 23-24: openings punched in a first metal layer (about as thick as the dies) laminated on a second."""
    x0, y0, x1, y1 = _outline(p)
    t2 = p.substrate_thickness
    t1 = p.attach_thickness + p.die_thickness
    recesses = _recesses(p, dies)
    cuts = [Box((r.lo[0], r.lo[1], t2 - CUT_BEYOND_M), (r.hi[0], r.hi[1], t2 + t1 + CUT_BEYOND_M)) for r in recesses]
    second = box(x0, y0, 0, x1, y1, t2)
    first = box(x0, y0, t2, x1, y1, t2 + t1, cuts)
    bodies = (
        body(
            "second_metal_layer",
            Role.METAL_SUBSTRATE,
            p.substrate_material,
            second,
            Numeral.SECOND_METAL_LAYER,
            "second metal layer",
        ),
        body(
            "first_metal_layer",
            Role.METAL_SUBSTRATE,
            p.first_layer_material,
            first,
            Numeral.FIRST_METAL_LAYER,
            "first metal layer",
        ),
    )
    fill = tuple(Box((r.lo[0], r.lo[1], t2), (r.hi[0], r.hi[1], t2 + t1)) for r in recesses)
    contacts = (("first_metal_layer", "second_metal_layer"),)
    return _Base(bodies, t2, t2 + t1, fill, "second_metal_layer", contacts, _recess_markers(p, dies, t2))


_BASES = {SubstrateStyle.PLAIN: _plain, SubstrateStyle.MACHINED: _machined, SubstrateStyle.PUNCHED: _punched}


def _spec(p: ThinfilmMetalParams) -> BuildupSpec:
    """The thin-film circuit in the build-up's terms."""
    return BuildupSpec(
        layers=p.layers,
        dielectric_thickness=p.dielectric_thickness,
        metal_thickness=p.metal_thickness,
        dielectric_material=p.dielectric_material,
        metal_material=p.metal_material,
        via_diameter=p.via_diameter,
        capture_diameter=p.capture_diameter,
        trace_width=p.trace_width,
        fanout_level=p.fanout_level,
        stacked=p.stacked_vias,
        bus=p.bus,
        passives=p.passives,
        passivation_thickness=p.passivation_thickness,
        passivation_material=p.passivation_material if p.passivation else None,
        terminal=p.terminal,
        terminal_pitch=p.terminal_pitch,
        terminal_diameter=p.terminal_diameter,
        land_diameter=p.land_diameter,
        terminal_material=p.terminal_material,
        pin_length=p.pin_length,
        via_role=Role.VIA,
        numerals=NUMERALS,
    )


@dataclass(frozen=True)
class _Cell:
    """A die on its attach with its fan-out wiring."""

    bodies: list[Body]
    pads: list[Pad]
    nets: list[Net]
    openings: list[tuple[float, float]]
    contacts: tuple[tuple[str, str], ...]


def _cell(p: ThinfilmMetalParams, spec: BuildupSpec, d: _Die, base: _Base) -> _Cell:
    """Die ``d`` adhered to the base, its pads, and the wiring that fans them out over its cell."""
    bodies = die_on_attach(
        (d.size, d.size),
        (base.z_floor, base.z_floor + p.attach_thickness, base.z_active),
        (p.attach_material, p.die_material),
        die=DIE,
        attach=ADHESIVE,
        name=d.name,
        centre=(d.cx, 0.0),
    )
    epads = _shift(edge_pads(d.name, d.size, p.pads_per_side, PAD_INSET_M, PAD_CORNER_KEEPOUT_M), d.cx)
    pads = [
        Pad(e.name, d.name, (e.x, e.y), PAD_SIZE_M, e.net if e.net in _SUPPLY_NETS else f"{d.name}.{e.net}")
        for e in epads
    ]
    res = build_wiring(spec, epads, (d.cx, 0.0), p.cell_size, base.z_active, d.size, f"{d.name}.")
    contacts = ((d.name, f"{d.name}_attach"), (f"{d.name}_attach", base.surface))
    return _Cell(bodies + res.bodies, pads, res.nets, res.openings, contacts)


def _fillings(p: ThinfilmMetalParams, base: _Base) -> list[Body]:
    """Claim 25: the filling layer around the dies, planar with their active surface."""
    if not p.filling:
        return []
    many = len(base.fill) > 1
    return [
        body(
            f"filling{j + 1}" if many else "filling",
            Role.FILLING,
            p.filling_material,
            fb,
            Numeral.FILLING,
            "filling layer",
        )
        for j, fb in enumerate(base.fill)
    ]


def build(p: ThinfilmMetalParams, lib: MaterialLibrary, name: str) -> Package:
    """Build the thin-film package on a metal substrate: base (`_BASES`), dies and their wiring, filling, film."""
    dies = _dies(p)
    _check(p, lib, dies)
    base = _BASES[p.substrate_style](p, dies)
    spec = _spec(p)
    cells = [_cell(p, spec, d, base) for d in dies]
    bodies = [*base.bodies, *(b for c in cells for b in c.bodies), *_fillings(p, base)]
    openings = [o for c in cells for o in c.openings]
    x0, y0, x1, y1 = _outline(p)
    diel, _ = dielectric_bodies(spec, (x0, y0, x1, y1), base.z_active, openings, None if p.filling else base.z_floor)
    bodies += diel
    z_film = base.z_active + p.layers * (p.dielectric_thickness + p.metal_thickness) / 2
    marker = Marker(Numeral.THIN_FILM, "thin-film circuit layer", (x1 - LAYER_MARKER_INSET_M, 0.0, z_film))
    return Package(
        name=name,
        family="thinfilm_metal",
        bodies=tuple(bodies),
        materials=lib,
        pads=tuple(pd for c in cells for pd in c.pads),
        nets=tuple(_merge([n for c in cells for n in c.nets])),
        heat_sources=tuple(HeatSource(d.name, d.power) for d in dies),
        contacts=(*base.contacts, *(x for c in cells for x in c.contacts), ("dielectric1", "die1")),
        features={
            "die_count": p.die_count,
            "die_function": p.die_function.value,
            "substrate_style": p.substrate_style.value,
            "filling": p.filling,
            "layers": p.layers,
            "bus": p.bus,
            "passives": [x.value for x in p.passives],
            "passivation": p.passivation,
            "terminal": p.terminal.value,
            "stacked_vias": p.stacked_vias,
            "dielectric_material": p.dielectric_material,
        },
        parameters=p,
        # Cut through the centre: it shows each die, its pads' via stacks and a row of terminals.
        section_hint=("y", terminal_row(bodies)),
        markers=(*base.markers, marker),
    )


def _shift(pads: list[EdgePad], dx: float) -> list[EdgePad]:
    return [replace(p, x=p.x + dx) for p in pads]


def _merge(nets: list[Net]) -> list[Net]:
    """Join nets of the same name (VDD, VSS across dies)."""
    out: dict[str, Net] = {}
    for n in nets:
        if n.name in out:
            o = out[n.name]
            out[n.name] = Net(n.name, n.kind, o.edges + n.edges, o.routes + n.routes)
        else:
            out[n.name] = n
    return list(out.values())
