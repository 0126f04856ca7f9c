"""The generic wire-bond plastic BGA (``pbga``), and the laminate CSP and LGA built on it.

A die on a laminate substrate described by its stack-up (copper layers with their
thickness and coverage, core, prepregs, solder mask), thermal vias under the die,
bond wires from pads on the die edge to fingers on the substrate, a mould cap, and
solder balls (or, for an LGA, bare lands) on a ball map that is either generated (full
or perimeter array, thermal-ball centre block, named depopulated sites) or read from a
pin-map table. An optional flat heat spreader sits on the mould cap. Several dies may
share the substrate side by side.

The defaults imitate a 17 x 17 mm, 1.0 mm pitch, 256-ball (16 x 16 full array) PBGA
(JEDEC MO-151 outline family, variation AAF-1 class) with an 8 x 8 mm die, a 4-layer
BT substrate (2 signal layers outside, 2 planes inside), a 6 x 6 thermal-ball centre
and an 8 x 8 array of 0.2 mm thermal vias, 0.7 mm mould cap: the everyday
consumer/industrial wire-bond BGA of Amkor's and ASE's PBGA data sheets.

Numerals are semipack's own (400 series) and appear in the drawing legend.

References
----------
JEDEC MO-151 (plastic ball grid array family, 1.0-1.27 mm pitch); JEDEC JEP95 section
4.5 and JESD95-1 (ball naming); IPC-7095 (design and assembly of BGAs: ball and land
sizes at 1.0 mm pitch, 0.5-0.6 mm balls on 0.4-0.5 mm lands).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from semipack.families.bga import wire_section_y
from semipack.families.common import body, check_die_on_attach, check_loop, require, require_material
from semipack.families.laminate import Stackup, ViaArray, build_laminate, check_stackup, fit_vias, thickness
from semipack.families.params import Length, MaterialRef, Offset, Power, param
from semipack.families.parts import (
    Callout,
    ball_land,
    ball_on_land,
    bond_finger,
    bond_wire,
    die_on_attach,
    levels,
    mould_cap,
    plate,
)
from semipack.families.pinmap import PinEntry, PinRole, assign_grid_nets, check_pin_map, grid_sites, net_kind
from semipack.families.powermap import PowerBlock, die_heat_sources
from semipack.geometry import Ball
from semipack.materials import MaterialLibrary
from semipack.model import Body, HeatSource, Net, NetKind, Package, Pad, Role, Route
from semipack.units import mm, um

MAX_WIRES = 2000


class Numeral:
    """semipack's reference numerals of the generic laminate BGA (400 series), in the drawing legend."""

    SUBSTRATE = 402
    DIE = 404
    DIE_ATTACH = 406
    WIRE = 408
    MOLD = 410
    SPREADER = 412
    BALL = 416
    LGA_JOINT = 418
    FINGER = 422
    BALL_LAND = 424


# What each part is called in the drawing; the spreader's only when the design has one.
DIE = Callout(Numeral.DIE, "die")
DIE_ATTACH = Callout(Numeral.DIE_ATTACH, "die attach")
WIRE = Callout(Numeral.WIRE, "bond wire")
FINGER = Callout(Numeral.FINGER, "bond finger")
MOLD = Callout(Numeral.MOLD, "mould compound")
SPREADER = Callout(Numeral.SPREADER, "heat spreader")
BALL = Callout(Numeral.BALL, "solder ball")
BALL_LAND = Callout(Numeral.BALL_LAND, "ball land")


@dataclass(frozen=True)
class Die:
    """A wire-bonded die on the substrate, centred at (x, y)."""

    name: str = param("die", "unique die name")
    size_x: Length = param(8e-3, "die edge in x")
    size_y: Length = param(8e-3, "die edge in y")
    x: Offset = param(0.0, "centre x")
    y: Offset = param(0.0, "centre y")
    thickness: Length = param(0.30e-3, "die thickness")
    power: Power = param(1.5, "uniform power")
    power_blocks: tuple[PowerBlock, ...] = param((), "extra power in rectangles (die frame)")
    power_grid_w: tuple[tuple[float, ...], ...] = param((), "power per cell in W, rows from +y (or a CSV file)")


@dataclass(frozen=True)
class Spreader:
    """A flat heat spreader on the mould cap (full body size unless given)."""

    thickness: Length = param(0.3e-3, "spreader thickness")
    material: MaterialRef = param(MaterialRef("cu_rolled"), "spreader material")
    size_x: Length | None = param(None, "edge in x (null = the body)")
    size_y: Length | None = param(None, "edge in y (null = the body)")


@dataclass(frozen=True)
class PbgaParams:
    body_x: Length = param(17e-3, "package body edge in x")
    body_y: Length = param(17e-3, "package body edge in y")
    stackup: Stackup = param(Stackup(), "substrate stack-up")
    thermal_vias: ViaArray | None = param(ViaArray(), "thermal-via array under the first die (null = none)")
    dies: tuple[Die, ...] = param((Die(),), "dies, side by side on the substrate")
    die_material: MaterialRef = param(MaterialRef("si"), "die material")
    attach_thickness: Length = param(25e-6, "die-attach bond line")
    attach_material: MaterialRef = param(MaterialRef("silver_epoxy"), "die-attach material")
    wire_diameter: Length = param(25e-6, "bond-wire diameter")
    wire_material: MaterialRef = param(MaterialRef("au"), "bond-wire material")
    loop_height: Length = param(0.20e-3, "wire loop height above the die")
    finger_offset: Length = param(0.8e-3, "bond-finger ring distance outside the die edge")
    land_thickness: Length = param(20e-6, "copper of bond fingers and ball lands")
    mold_thickness: Length = param(0.70e-3, "mould cap above the substrate")
    mold_material: MaterialRef = param(MaterialRef("mold_compound"), "mould compound")
    spreader: Spreader | None = param(None, "flat heat spreader on the mould cap (null = none)")
    ball_pitch: Length = param(1.0e-3, "ball pitch in x")
    ball_pitch_y: Length | None = param(None, "ball pitch in y (null = ball_pitch)")
    ball_count_x: int | None = param(None, "columns of the generated array (null = as many as fit)")
    ball_count_y: int | None = param(None, "rows of the generated array (null = as many as fit)")
    ball_rows: int | None = param(None, "perimeter rows kept (null = full array)")
    thermal_balls: tuple[int, int] = param((6, 6), "centre block of thermal balls (columns, rows); 0 = none")
    depopulate: tuple[str, ...] = param((), "site names left out of the generated array (A1, K10, ...)")
    signals: int | None = param(None, "signal count of the generated pin-out (null = 3 of 4 non-thermal sites)")
    pin_map: tuple[PinEntry, ...] = param((), "terminal table (or a CSV/YAML file); replaces the generated array")
    ball_diameter: Length = param(0.60e-3, "solder ball diameter before reflow")
    land_diameter: Length = param(0.45e-3, "ball land diameter")
    ball_material: MaterialRef = param(MaterialRef("sac305"), "solder ball alloy")
    balls: bool = param(True, "solder balls (false: an LGA, bare lands)")


FAMILY = "pbga"


def build(p: PbgaParams, lib: MaterialLibrary, name: str) -> Package:
    """Build a laminate BGA (or LGA) from its parameters."""
    return build_laminate_bga(p, lib, name, FAMILY)


def build_laminate_bga(p: PbgaParams, lib: MaterialLibrary, name: str, family: str) -> Package:
    """The shared builder of ``pbga``, ``csp`` and ``lga``: checks, then parts, then nets."""
    _check_materials(p, lib)
    check_stackup(p.stackup, lib)
    t_sub = thickness(p.stackup)
    terms = terminals(p)
    _check_dies(p)
    _check_wire_stack(p, t_sub)
    vias = p.thermal_vias
    d0 = p.dies[0]
    if vias is not None:
        vias = fit_vias(vias, (d0.size_x, d0.size_y))
    lam = build_laminate(
        p.stackup, lib, (p.body_x, p.body_y), 0.0, vias=vias, via_centre=(d0.x, d0.y), numeral=Numeral.SUBSTRATE
    )
    bodies = list(lam.bodies)
    z_die0 = t_sub + p.attach_thickness
    heat: list[HeatSource] = []
    pads: list[Pad] = []
    for i, d in enumerate(p.dies):
        bodies += _die_bodies(p, d, t_sub)
        heat += die_heat_sources(
            d.name, (d.x, d.y), (d.size_x, d.size_y), d.power, d.power_blocks, d.power_grid_w, f"dies.{i}"
        )
    # A loop rises loop_height above the higher of its two ends (`wire_loop`).
    z_top = max(z_die0 + max(d.thickness for d in p.dies), t_sub + p.land_thickness)
    wire_top = z_top + p.loop_height + p.wire_diameter
    require(
        p.mold_thickness >= wire_top - t_sub + 50e-6,
        "mold_thickness",
        mm(p.mold_thickness),
        f"must cover the dies and wires with 50 um to spare (needs >= {mm(wire_top - t_sub + 50e-6)})",
    )
    z_mold = t_sub + p.mold_thickness
    bodies.append(mould_cap("mold", Role.SEALANT, p.mold_material, (p.body_x / 2, p.body_y / 2), (t_sub, z_mold), MOLD))
    contacts = [("mold", lam.media[0])]
    if p.spreader is not None:
        bodies.append(_spreader(p, p.spreader, z_mold))
        contacts.append(("spreader", "mold"))
    bodies += _terminal_bodies(p, terms)
    wires, pads, nets = _wiring(p, terms, t_sub, z_die0, lam.media)
    bodies += wires
    contacts += [(d.name, f"{d.name}_attach") for d in p.dies]
    contacts += [(f"{d.name}_attach", lam.media[0]) for d in p.dies]
    return Package(
        name=name,
        family=family,
        bodies=tuple(bodies),
        materials=lam.materials,
        pads=tuple(pads),
        nets=tuple(nets),
        heat_sources=tuple(heat),
        contacts=tuple(contacts),
        features={
            "copper_layers": len(p.stackup.copper),
            "thermal_vias": 0 if vias is None else (vias.count_x or 0) * (vias.count_y or 0),
            "spreader": p.spreader is not None,
            "terminals": len(terms),
            "balls": p.balls,
            "dies": len(p.dies),
            "pin_map": bool(p.pin_map),
        },
        parameters=p,
        section_hint=("y", wire_section_y(bodies, Role.BALL if p.balls else Role.TERMINAL_BUMP, 0.5 * p.land_diameter)),
    )


def _check_materials(p: PbgaParams, lib: MaterialLibrary) -> None:
    for f in ("die_material", "attach_material", "wire_material", "mold_material", "ball_material"):
        require_material(lib, getattr(p, f), f)
    if p.spreader is not None:
        require_material(lib, p.spreader.material, "spreader.material")


def _check_dies(p: PbgaParams) -> None:
    require(1 <= len(p.dies) <= 16, "dies", f"{len(p.dies)} dies", "1 to 16 dies")
    names: set[str] = set()
    hx, hy = p.body_x / 2, p.body_y / 2
    rings: list[tuple[float, float, float, float]] = []
    for i, d in enumerate(p.dies):
        f = f"dies.{i}"
        require(d.name.isidentifier() and d.name not in names, f"{f}.name", d.name, "a unique identifier")
        names.add(d.name)
        ring = (
            d.x - d.size_x / 2 - p.finger_offset - 0.2e-3,
            d.y - d.size_y / 2 - p.finger_offset - 0.2e-3,
            d.x + d.size_x / 2 + p.finger_offset + 0.2e-3,
            d.y + d.size_y / 2 + p.finger_offset + 0.2e-3,
        )
        require(
            -hx < ring[0] and ring[2] < hx and -hy < ring[1] and ring[3] < hy,
            f"{f}.size_x",
            f"{mm(d.size_x)} x {mm(d.size_y)} at ({mm(d.x)}, {mm(d.y)})",
            f"the die and its bond-finger ring must fit on the {mm(p.body_x)} x {mm(p.body_y)} body",
        )
        for j, r in enumerate(rings):
            apart = ring[2] <= r[0] or r[2] <= ring[0] or ring[3] <= r[1] or r[3] <= ring[1]
            require(apart, f"{f}.x", mm(d.x), f"die {d.name!r} and its finger ring overlap die {p.dies[j].name!r}'s")
        rings.append(ring)


def _check_wire_stack(p: PbgaParams, t_sub: float) -> None:
    """Each die thicker than its bond line; the loop at least a wire thick and above the fingers."""
    for i, d in enumerate(p.dies):
        check_die_on_attach(d.thickness, p.attach_thickness, f"dies.{i}.thickness", "attach_thickness")
    die_top = t_sub + p.attach_thickness + min(d.thickness for d in p.dies)
    check_loop(p.loop_height, p.wire_diameter, rise=t_sub + p.land_thickness - die_top)


def _die_bodies(p: PbgaParams, d: Die, t_sub: float) -> list[Body]:
    return die_on_attach(
        (d.size_x, d.size_y),
        levels(t_sub, p.attach_thickness, d.thickness),
        (p.attach_material, p.die_material),
        die=DIE,
        attach=DIE_ATTACH,
        name=d.name,
        centre=(d.x, d.y),
    )


def _spreader(p: PbgaParams, s: Spreader, z0: float) -> Body:
    sx = s.size_x if s.size_x is not None else p.body_x
    sy = s.size_y if s.size_y is not None else p.body_y
    require(sx <= p.body_x + 1e-12 and sy <= p.body_y + 1e-12, "spreader.size_x", mm(sx), "must not overhang the body")
    return plate("spreader", Role.HEAT_SPREADER, s.material, (sx, sy), z0, s.thickness, SPREADER)


def terminals(p: PbgaParams) -> tuple[PinEntry, ...]:
    """The ball map: the pin-map table, or the generated array with its default pin-out."""
    py = p.ball_pitch_y if p.ball_pitch_y is not None else p.ball_pitch
    pitch = min(p.ball_pitch, py)
    require(p.ball_diameter < pitch, "ball_diameter", mm(p.ball_diameter), f"must be below the ball pitch {mm(pitch)}")
    require(p.land_diameter < p.ball_diameter, "land_diameter", mm(p.land_diameter), "must be below ball_diameter")
    hx, hy = p.body_x / 2, p.body_y / 2
    if p.pin_map:
        check_pin_map(p.pin_map, hx - p.land_diameter / 2, hy - p.land_diameter / 2, p.ball_diameter)
        return p.pin_map
    # Outer ball centres keep at least 0.75 pitch from the body edge (16 x 16 at 1.0 mm on 17 mm).
    fit_x = math.floor((p.body_x - 1.5 * p.ball_pitch) / p.ball_pitch + 1e-9) + 1
    fit_y = math.floor((p.body_y - 1.5 * py) / py + 1e-9) + 1
    nx = p.ball_count_x if p.ball_count_x is not None else fit_x
    ny = p.ball_count_y if p.ball_count_y is not None else fit_y
    require(2 <= nx <= max(fit_x, 2) and fit_x >= 2, "ball_count_x", nx, f"2 to {fit_x} columns fit in {mm(p.body_x)}")
    require(2 <= ny <= max(fit_y, 2) and fit_y >= 2, "ball_count_y", ny, f"2 to {fit_y} rows fit in {mm(p.body_y)}")
    if p.ball_rows is not None:
        require(1 <= p.ball_rows <= (min(nx, ny) + 1) // 2, "ball_rows", p.ball_rows, f"1 to {(min(nx, ny) + 1) // 2}")
    bx, by = p.thermal_balls
    require(
        0 <= bx <= nx and 0 <= by <= ny and (bx == 0) == (by == 0),
        "thermal_balls",
        list(p.thermal_balls),
        f"(columns, rows) within the {nx} x {ny} grid, both 0 for none",
    )
    sites = grid_sites(nx, ny, p.ball_pitch, py, rows=p.ball_rows, center_block=(bx, by), depopulate=p.depopulate)
    known = {s[0] for s in grid_sites(nx, ny, p.ball_pitch, py)}
    bad = [n for n in p.depopulate if n not in known]
    require(not bad, "depopulate", bad[:3], f"site names of the {nx} x {ny} grid (A1 to its far corner)")
    field = sum(1 for s in sites if not s[4])
    most = field - math.ceil(field / 4)
    signals = p.signals if p.signals is not None else most
    require(0 <= signals <= most, "signals", signals, f"0 to {most} (one site in four is a supply)")
    require(len(sites) >= 1, "depopulate", len(p.depopulate), "leaves no terminal")
    return assign_grid_nets(sites, signals)


def _terminal_bodies(p: PbgaParams, terms: Sequence[PinEntry]) -> list[Body]:
    out = []
    mask = p.stackup.mask_thickness
    for t in terms:
        net = None if t.role is PinRole.NC else t.net_name
        tags = ("thermal",) if t.role is PinRole.THERMAL else ()
        out.append(ball_land(t.name, (t.x, t.y), 0.0, p.land_thickness, p.land_diameter, BALL_LAND, net, mask))
        if p.balls:
            d = (p.ball_diameter, p.land_diameter)
            out.append(
                ball_on_land(t.name, (t.x, t.y), -p.land_thickness, d, p.ball_material, BALL, net=net, tags=tags)
            )
        else:
            joint = lga_joint(t.x, t.y, -p.land_thickness, p.land_diameter)
            label = "solder joint (printed paste)"
            out.append(
                body(
                    f"ball_{t.name}",
                    Role.TERMINAL_BUMP,
                    p.ball_material,
                    joint,
                    Numeral.LGA_JOINT,
                    label,
                    net=net,
                    tags=tags,
                )
            )
    return out


LGA_STANDOFF = 80e-6  # printed-paste joint height of an LGA after reflow (IPC-7093 gives 50-100 um)


def lga_joint(x: float, y: float, z_top: float, land_diameter: float) -> Ball:
    """A printed-paste joint: the sphere through both lands' rims, `LGA_STANDOFF` high."""
    a, h = land_diameter / 2, LGA_STANDOFF
    return Ball((x, y, z_top - h / 2), math.sqrt(a * a + h * h / 4), z_top - h, z_top)


@dataclass(frozen=True)
class _Pad:
    die: str
    name: str
    x: float
    y: float
    nx: int  # outward normal
    ny: int
    net: str
    kind: NetKind


def _pad_nets(terms: Sequence[PinEntry], die_count: int) -> list[list[tuple[str, NetKind, float]]]:
    """The nets each die bonds out, as (net, kind, angle of its first terminal), one list per die.

    Signal nets go to the die nearest their terminal; every die gets one pad of each
    supply net per eight signals (at least one), spread among its signals.
    """
    first: dict[str, PinEntry] = {}
    for t in terms:
        if t.role is not PinRole.NC:
            first.setdefault(t.net_name, t)
    sig = sorted((t for t in first.values() if net_kind(t.role) is NetKind.SIGNAL), key=lambda t: math.atan2(t.y, t.x))
    sup = [t for t in first.values() if net_kind(t.role) is not NetKind.SIGNAL]
    per_die: list[list[tuple[str, NetKind, float]]] = [[] for _ in range(die_count)]
    for k, t in enumerate(sig):
        per_die[k % die_count if die_count > 1 else 0].append((t.net_name, NetKind.SIGNAL, math.atan2(t.y, t.x)))
    for lst in per_die:
        n = max(1, math.ceil(len(lst) / 8))
        for s in sup:
            kind = net_kind(s.role)
            lst += [
                (s.net_name, kind, -math.pi + (j + 0.5 + 0.5 * (kind is NetKind.GROUND)) * 2 * math.pi / n)
                for j in range(n)
            ]
        # Pads run counter-clockwise from the die's bottom-left corner (angle -3 pi/4).
        lst.sort(key=lambda e: (e[2] + 0.75 * math.pi) % (2 * math.pi))
    return per_die


def _edge_pads(d: Die, nets: list[tuple[str, NetKind, float]], inset: float, keepout: float) -> list[_Pad]:
    """Pads evenly along the die's edges, counter-clockwise from its bottom-left corner, in net order."""
    sx, sy = d.size_x - 2 * keepout, d.size_y - 2 * keepout
    perim = 2 * (sx + sy)
    out = []
    # Start at the angle of the first net so that pads face their terminals.
    for k, (net, kind, _) in enumerate(nets):
        s = (k + 0.5) / len(nets) * perim
        if s < sx:
            x, y, nx, ny = -sx / 2 + s, -d.size_y / 2 + inset, 0, -1
        elif s < sx + sy:
            x, y, nx, ny = d.size_x / 2 - inset, -sy / 2 + (s - sx), 1, 0
        elif s < 2 * sx + sy:
            x, y, nx, ny = sx / 2 - (s - sx - sy), d.size_y / 2 - inset, 0, 1
        else:
            x, y, nx, ny = -d.size_x / 2 + inset, sy / 2 - (s - 2 * sx - sy), -1, 0
        out.append(_Pad(d.name, f"{d.name}.pad{k + 1}", d.x + x, d.y + y, nx, ny, net, kind))
    return out


def _wiring(
    p: PbgaParams, terms: Sequence[PinEntry], t_sub: float, z_die0: float, media: tuple[str, ...]
) -> tuple[list[Body], list[Pad], list[Net]]:
    """Pads, bond fingers and wires for every die; nets through the substrate to the balls."""
    by_net: dict[str, list[PinEntry]] = {}
    for t in terms:
        if t.role is not PinRole.NC:
            by_net.setdefault(t.net_name, []).append(t)
    per_die = _pad_nets(terms, len(p.dies))
    total = sum(len(n) for n in per_die)
    require(total <= MAX_WIRES, "pin_map", f"{total} wires", f"at most {MAX_WIRES} bond wires")
    bodies: list[Body] = []
    pads: list[Pad] = []
    edges: dict[str, list[tuple[str, str]]] = {}
    routes: dict[str, list[Route]] = {}
    z_fing = t_sub + p.land_thickness
    for d, die_nets in zip(p.dies, per_die, strict=True):
        keepout = min(0.3e-3, 0.1 * min(d.size_x, d.size_y))
        dpads = _edge_pads(d, die_nets, 0.1e-3, keepout)
        pitch = 2 * (d.size_x + d.size_y - 4 * keepout) / max(len(dpads), 1)
        require(
            pitch > 2.5 * p.wire_diameter,
            "wire_diameter",
            um(p.wire_diameter),
            f"die {d.name!r} needs {len(dpads)} pads: a pitch of {um(pitch)} is too fine for the wire",
        )
        ring_x, ring_y = d.size_x / 2 + p.finger_offset, d.size_y / 2 + p.finger_offset
        for k, pd in enumerate(dpads, start=1):
            fx = d.x + ((pd.x - d.x) * ring_x / (d.size_x / 2) if pd.nx == 0 else pd.nx * ring_x)
            fy = d.y + ((pd.y - d.y) * ring_y / (d.size_y / 2) if pd.ny == 0 else pd.ny * ring_y)
            fw = min(pitch * 0.5 * ring_x / (d.size_x / 2), 0.12e-3)
            fsx, fsy = (fw, 0.25e-3) if pd.nx == 0 else (0.25e-3, fw)
            fname, wname = f"{d.name}_finger{k}", f"{d.name}_wire{k}"
            bodies.append(bond_finger(fname, (fsx, fsy), (fx, fy), t_sub, p.land_thickness, FINGER, pd.net))
            ends = ((pd.x, pd.y, z_die0 + d.thickness), (fx, fy, z_fing))
            bodies.append(bond_wire(wname, ends, p.loop_height, p.wire_diameter, p.wire_material, WIRE, pd.net))
            pads.append(Pad(pd.name, d.name, (pd.x, pd.y), 70e-6, pd.net))
            edges.setdefault(pd.net, []).extend([(pd.name, wname), (wname, fname)])
            near = min(by_net[pd.net], key=lambda t: math.hypot(t.x - fx, t.y - fy))
            length = abs(near.x - fx) + abs(near.y - fy) + t_sub
            routes.setdefault(pd.net, []).append(Route(fname, f"land_{near.name}", media, length))
    nets = []
    for net, e in edges.items():
        members = by_net[net]
        kind = net_kind(members[0].role)
        r = list(routes[net])
        head = members[0]
        for t in members[1:]:
            r.append(Route(f"land_{head.name}", f"land_{t.name}", (media[-1],), abs(t.x - head.x) + abs(t.y - head.y)))
        e = e + [(f"land_{t.name}", f"ball_{t.name}") for t in members]
        nets.append(Net(net, kind, tuple(e), tuple(r)))
    return bodies, pads, nets
