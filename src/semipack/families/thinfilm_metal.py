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
from semipack.families.buildup import BuildupSpec, Passive, Terminal, build_wiring, dielectric_bodies, terminal_row
from semipack.families.common import body, box, centered_box, require, require_material
from semipack.families.params import Count, Length, MaterialRef, Power, param
from semipack.geometry import Box
from semipack.materials import MaterialLibrary
from semipack.model import Body, HeatSource, Marker, Net, Package, Pad, Role
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


def _shift(pads: list[EdgePad], dx: float) -> list[EdgePad]:
    return [replace(p, x=p.x + dx) for p in pads]


def build(p: ThinfilmMetalParams, lib: MaterialLibrary, name: str) -> Package:
    """Build the thin-film package on a metal substrate."""
    for f in (
        "die_material",
        "substrate_material",
        "first_layer_material",
        "attach_material",
        "filling_material",
        "dielectric_material",
        "metal_material",
        "passivation_material",
        "terminal_material",
    ):
        require_material(lib, getattr(p, f), f)
    require(p.fanout_level <= p.layers, "fanout_level", p.fanout_level, f"must be between 1 and layers ({p.layers})")
    sizes = [
        p.alt_die_size if (p.die_function is DieFunction.DIFFERENT and i % 2) else p.die_size
        for i in range(p.die_count)
    ]
    powers = [
        p.alt_die_power if (p.die_function is DieFunction.DIFFERENT and i % 2) else p.die_power
        for i in range(p.die_count)
    ]
    for s in sizes:
        require(
            s + 2 * p.terminal_pitch < p.cell_size,
            "die_size",
            mm(s),
            f"the die must leave at least one terminal pitch each side inside cell_size {mm(p.cell_size)}",
        )
    require(p.land_diameter < p.terminal_pitch, "land_diameter", mm(p.land_diameter), "must be below terminal_pitch")
    require(p.via_diameter < p.capture_diameter, "via_diameter", mm(p.via_diameter), "must be below capture_diameter")

    width = p.cell_size * p.die_count
    x0, x1 = -width / 2, width / 2
    y0, y1 = -p.cell_size / 2, p.cell_size / 2
    centers = [x0 + (i + 0.5) * p.cell_size for i in range(p.die_count)]
    t_stack = p.attach_thickness + p.die_thickness
    bodies: list[Body] = []
    add = bodies.append
    markers: list[Marker] = []
    contacts: list[tuple[str, str]] = []
    recesses = [
        centered_box(s + 2 * p.cavity_clearance, s + 2 * p.cavity_clearance, 0, 1, cx, 0.0)
        for s, cx in zip(sizes, centers, strict=True)
    ]

    if p.substrate_style is SubstrateStyle.PLAIN:
        t_sub = p.substrate_thickness
        add(
            body(
                "metal_substrate",
                Role.METAL_SUBSTRATE,
                p.substrate_material,
                box(x0, y0, 0, x1, y1, t_sub),
                10,
                "metal substrate",
            )
        )
        z_floor = t_sub
        z_active = t_sub + t_stack
        fill_boxes = [box(x0, y0, t_sub, x1, y1, z_active)]
        surface = "metal_substrate"
    elif p.substrate_style is SubstrateStyle.MACHINED:
        t_sub = p.substrate_thickness
        require(
            t_sub > t_stack + 0.1e-3,
            "substrate_thickness",
            mm(t_sub),
            f"must exceed the die and attach ({mm(t_stack)}) by 0.1 mm",
        )
        z_floor = t_sub - t_stack
        cuts = [Box((r.lo[0], r.lo[1], z_floor), (r.hi[0], r.hi[1], t_sub + 1e-3)) for r in recesses]
        add(
            body(
                "metal_substrate",
                Role.METAL_SUBSTRATE,
                p.substrate_material,
                box(x0, y0, 0, x1, y1, t_sub, cuts),
                10,
                "metal substrate",
            )
        )
        z_active = t_sub
        fill_boxes = [Box((r.lo[0], r.lo[1], z_floor), (r.hi[0], r.hi[1], z_active)) for r in recesses]
        surface = "metal_substrate"
        for cx in centers:
            markers.append(
                Marker(
                    12,
                    "inwardly protruded area",
                    (cx + sizes[0] / 2 + p.cavity_clearance / 2, 0.0, z_floor + t_stack / 2),
                )
            )
    else:
        t2 = p.substrate_thickness
        t1 = t_stack  # claim 24: first metal layer about as thick as the dies
        add(
            body(
                "second_metal_layer",
                Role.METAL_SUBSTRATE,
                p.substrate_material,
                box(x0, y0, 0, x1, y1, t2),
                16,
                "second metal layer",
            )
        )
        cuts = [Box((r.lo[0], r.lo[1], t2 - 1e-3), (r.hi[0], r.hi[1], t2 + t1 + 1e-3)) for r in recesses]
        add(
            body(
                "first_metal_layer",
                Role.METAL_SUBSTRATE,
                p.first_layer_material,
                box(x0, y0, t2, x1, y1, t2 + t1, cuts),
                14,
                "first metal layer",
            )
        )
        contacts.append(("first_metal_layer", "second_metal_layer"))
        z_floor = t2
        z_active = t2 + t1
        fill_boxes = [Box((r.lo[0], r.lo[1], z_floor), (r.hi[0], r.hi[1], z_active)) for r in recesses]
        surface = "second_metal_layer"
        for cx in centers:
            markers.append(
                Marker(
                    12,
                    "inwardly protruded area (punched opening)",
                    (cx + sizes[0] / 2 + p.cavity_clearance / 2, 0.0, z_floor + t_stack / 2),
                )
            )

    spec = BuildupSpec(
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
    pads: list[Pad] = []
    nets: list[Net] = []
    heat = []
    openings = []
    for i, (s, cx) in enumerate(zip(sizes, centers, strict=True)):
        d = f"die{i + 1}"
        add(
            body(
                f"{d}_attach",
                Role.DIE_ATTACH,
                p.attach_material,
                centered_box(s, s, z_floor, z_floor + p.attach_thickness, cx),
                26,
                "adhesive",
            )
        )
        add(
            body(d, Role.DIE, p.die_material, centered_box(s, s, z_floor + p.attach_thickness, z_active, cx), 20, "die")
        )
        contacts += [(d, f"{d}_attach"), (f"{d}_attach", surface)]
        heat.append(HeatSource(d, powers[i]))
        epads = _shift(edge_pads(d, s, p.pads_per_side, 0.1e-3, 0.3e-3), cx)
        pads += [Pad(e.name, d, (e.x, e.y), 60e-6, e.net if e.net in ("VDD", "VSS") else f"{d}.{e.net}") for e in epads]
        res = build_wiring(spec, epads, (cx, 0.0), p.cell_size, z_active, s, f"{d}.")
        bodies += res.bodies
        nets += res.nets
        openings += res.openings
    nets = _merge(nets)
    if p.filling:
        for j, fb in enumerate(fill_boxes):
            add(
                body(
                    f"filling{j + 1}" if len(fill_boxes) > 1 else "filling",
                    Role.FILLING,
                    p.filling_material,
                    fb,
                    60,
                    "filling layer",
                )
            )
        first_bottom = None
    else:
        first_bottom = z_floor
    diel, _ = dielectric_bodies(spec, (x0, y0, x1, y1), z_active, openings, first_bottom)
    bodies += diel
    contacts.append(("dielectric1", "die1"))
    markers.append(
        Marker(
            30,
            "thin-film circuit layer",
            (x1 - 0.2e-3, 0.0, z_active + p.layers * (p.dielectric_thickness + p.metal_thickness) / 2),
        )
    )
    # Cut through the centre: it shows each die, its pads' via stacks and a row of terminals.
    row_y = terminal_row(bodies)
    return Package(
        name=name,
        family="thinfilm_metal",
        bodies=tuple(bodies),
        materials=lib,
        pads=tuple(pads),
        nets=tuple(nets),
        heat_sources=tuple(heat),
        contacts=tuple(contacts),
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
        section_hint=("y", row_y),
        markers=tuple(markers),
    )


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
