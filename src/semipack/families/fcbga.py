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
still air that conducts (``thermal.setup.exterior_air``), so the sealed cavity conducts
as air and has no film coefficient. The lid foot's height is not a parameter: it is
what the bumps, the die and the TIM1 bond line leave between the lid adhesive and the
top plate. The vias under the die (core through-holes and stacked micro-vias) are one
smeared field of plated barrels through every dielectric (`laminate.ViaArray`). A
capacitor is a ceramic body (role ``passive``, on no net: it does not conduct at DC)
between two terminations (role ``passive``, on its two nets) standing on copper lands;
the nets reach it through the substrate. Every bump stands on a copper pad (role
``land``, ``pad_<site>``, callout 316) that fills its opening of the top solder mask down
to the top copper, as wide as the bump's foot; the ball and capacitor lands fill their
openings likewise: no mask lies between a joint and the copper it meets.

Numerals are semipack's own (300 series) and appear in the drawing legend.

The parameters and their defaults are in `fcbga_params`, the capacitors' placement,
checks and bodies in `fcbga_caps`; this module builds the package from them.

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
from dataclasses import replace

import numpy as np

from semipack.families.bga import ball_field
from semipack.families.common import GridSite, body, box, centered_box, require, require_material
from semipack.families.fcbga_caps import capacitor_bodies, capacitors_of
from semipack.families.fcbga_params import (
    BALL_EDGE,
    CLEARANCE,
    DEFAULT_SIGNALS,
    MAX_BUMPS,
    BumpSite,
    FcbgaParams,
    Levels,
    keepout,
    lid_outline,
)
from semipack.families.laminate import Laminate, build_laminate, check_stackup, fit_vias, thickness
from semipack.families.parts import Callout, bare_die, bump, bump_pad
from semipack.families.pinmap import (
    MAX_TERMINALS,
    PinEntry,
    PinRole,
    assign_grid_nets,
    check_pin_map,
    grid_sites,
    net_kind,
)
from semipack.families.powermap import die_heat_sources
from semipack.materials import MaterialLibrary
from semipack.model import Body, Marker, Net, NetKind, Package, Pad, Role, Route
from semipack.units import mm, um

FAMILY = "fcbga"

# The die and its bumps are the parts `exposed_sink`'s flip-chip carrier is built from too (families/parts.py).
DIE = Callout(310, "die (flip chip)")
BUMP = Callout(312, "solder bump")
BUMP_PAD = Callout(316, "bump pad")


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
    floor = _mask_floor(lam)
    bodies += die_stack(p, z, sites, bump_nets, floor)
    bodies += lid_bodies(p, z)
    bodies += ball_bodies(p, terms)
    caps = capacitor_bodies(p, z, terms, bump_nets)
    bodies += caps
    pads = [Pad(f"die.{s.name}", "die", (s.x, s.y), 0.8 * p.bumps.diameter, bump_nets[s.name]) for s in sites]
    nets = build_nets(lam, sites, bump_nets, terms, caps, padded=floor is not None)
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


def _check_layout(p: FcbgaParams, z: Levels) -> None:
    """Die and fillet on the body; the lid on the body, around the die, its foot tall enough."""
    kx, ky = keepout(p)
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
    mask = p.stackup.mask_thickness
    d = (p.ball_diameter, p.land_diameter)
    return ball_field(sites, 0.0, p.land_thickness, *d, p.ball_material, 340, 342, nets, mask=mask)


# --- die, bumps, underfill -----------------------------------------------------------------------


def bump_sites(p: FcbgaParams) -> list[BumpSite]:
    """A full bump array centred on the die, half a pitch (at least) in from its edges."""
    b = p.bumps
    require(b.diameter < b.pitch, "bumps.diameter", mm(b.diameter), f"must be below the bump pitch {mm(b.pitch)}")
    # A bump as tall as its diameter would stand on a point: its foot, the pad under it
    # (`die_stack`), would be nil. At 0.9 the foot is 0.44 diameters across.
    require(
        0.3 * b.diameter <= b.height <= 0.9 * b.diameter,
        "bumps.height",
        um(b.height),
        f"a reflowed bump is 0.3 to 0.9 times its diameter high ({um(0.3 * b.diameter)} to {um(0.9 * b.diameter)})",
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


def _mask_floor(lam: Laminate) -> float | None:
    """The top copper's face under the top solder mask (the mask's bottom), None without a mask."""
    masks = [b.solid.bbox for b in lam.bodies if b.role is Role.PASSIVATION]
    return max(masks, key=lambda bb: bb.hi[2]).lo[2] if masks else None


def die_stack(
    p: FcbgaParams, z: Levels, sites: Sequence[BumpSite], nets: dict[str, str], floor: float | None
) -> list[Body]:
    """The die face down, its bumps on their pads (from the mask's ``floor``, where there is
    a mask), and the underfill with its fillet."""
    b = p.bumps
    out = [bare_die((p.die_x, p.die_y), (z.die_bottom, z.die_top), p.die_material, DIE)]
    die_box = centered_box(p.die_x, p.die_y, z.die_bottom, z.die_top)  # the underfill's hole
    zc = (z.sub_top + z.die_bottom) / 2
    foot = 2 * math.sqrt((b.diameter / 2) ** 2 - (zc - z.sub_top) ** 2)  # `bump_sites` keeps height <= 0.9 diameter
    for s in sites:
        at = (s.x, s.y, zc)
        out.append(
            bump(f"bump_{s.name}", at, b.diameter / 2, (z.sub_top, z.die_bottom), b.material, BUMP, nets[s.name])
        )
        if floor is not None:
            out.append(bump_pad(s.name, (s.x, s.y), (floor, z.sub_top), foot, BUMP_PAD, nets[s.name]))
    if p.underfill_material is not None:
        kx, ky = keepout(p)
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
    x = (keepout(p)[0] + lx / 2 - p.lid.foot_width) / 2
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


# --- nets ----------------------------------------------------------------------------------------


def _nearest(x: float, y: float, xs: np.ndarray, ys: np.ndarray) -> int:
    return int(np.argmin(np.abs(xs - x) + np.abs(ys - y)))


def build_nets(
    lam: Laminate,
    sites: Sequence[BumpSite],
    bump_nets: dict[str, str],
    terms: Sequence[PinEntry],
    caps: Sequence[Body],
    padded: bool,
) -> list[Net]:
    """Die pad -> bump -> bump pad (``padded``: the top mask's openings) -> (substrate) ->
    ball land -> ball for every net; capacitors join their nets."""
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
    return [
        _net(net, members, bumps.get(net, []), cap_lands.get(net, []), lam, padded) for net, members in balls.items()
    ]


def _net(
    name: str,
    balls: Sequence[PinEntry],
    bumps: Sequence[BumpSite],
    cap_lands: Sequence[Body],
    lam: Laminate,
    padded: bool,
) -> Net:
    """One net: each bump routed (from its pad, where it has one) through the whole stack-up
    to the nearest ball of its net, and each ball no bump reached from the nearest bump, so
    that every ball serves the die (as a real substrate's supply planes join them);
    capacitor lands to a ball or a bump."""
    bx, by = np.array([s.x for s in bumps]), np.array([s.y for s in bumps])
    tx, ty = np.array([t.x for t in balls]), np.array([t.y for t in balls])
    edges = [(f"die.{s.name}", f"bump_{s.name}") for s in bumps]
    if padded:
        edges += [(f"bump_{s.name}", f"pad_{s.name}") for s in bumps]

    def foot(s: BumpSite) -> str:
        return f"pad_{s.name}" if padded else f"bump_{s.name}"

    edges += [(f"land_{t.name}", f"ball_{t.name}") for t in balls]
    routes: dict[tuple[str, str], Route] = {}

    def route(a: str, b: str, dx: float, dy: float) -> None:
        routes[(a, b)] = Route(a, b, lam.media, abs(dx) + abs(dy) + lam.top_z)

    for s in bumps:
        t = balls[_nearest(s.x, s.y, tx, ty)]
        route(foot(s), f"land_{t.name}", s.x - t.x, s.y - t.y)
    reached = {b for _, b in routes}
    for t in balls:
        if bumps and f"land_{t.name}" not in reached:
            s = bumps[_nearest(t.x, t.y, bx, by)]
            route(foot(s), f"land_{t.name}", s.x - t.x, s.y - t.y)
    for land in cap_lands:
        edges.append((land.name, land.name.replace("_land_", "_term_")))
        bb = land.solid.bbox
        x, y = (bb.lo[0] + bb.hi[0]) / 2, (bb.lo[1] + bb.hi[1]) / 2
        if bb.lo[2] >= 0.0:  # die side: down to the nearest ball
            t = balls[_nearest(x, y, tx, ty)]
            route(land.name, f"land_{t.name}", x - t.x, y - t.y)
        else:  # land side: up from the nearest bump
            s = bumps[_nearest(x, y, bx, by)]
            route(foot(s), land.name, x - s.x, y - s.y)
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
