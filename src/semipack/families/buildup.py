"""Thin-film / build-up wiring over dies: dielectric layers, wiring levels, vias or columns,
bonding pads, passivation and external terminals. Shared by seeds 002 and 004.

Routing plan (per die):

- every die pad rises through dielectric layers 1..f in a via (or conductive-column)
  stack, stacked directly or staggered by a capture-pad jog;
- on wiring level f (the fan-out level) a straight trace runs from the pad to a
  terminal site on the outer ring of the die's terminal grid, in the same side wedge
  and in the same order along the side, so traces of one level never cross;
- from the site a second stack rises to the top level, ending in a bonding pad under
  an opening of the passivation, with a ball, bump or pin on it;
- optionally a VDD bus ring on level f and a VSS bus ring on the next level, inside
  the pad ring, tied to the power and ground pads by short stubs (the power/ground bus
  of seed 002 claims 5 and 36);
- passives formed in wiring level f over the die's centre.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

from semipack.families.bga import EdgePad
from semipack.families.buildup_passives import PassiveSpec, passive_bodies
from semipack.families.common import body, box, require
from semipack.geometry import Ball, Box, Cylinder, Trace
from semipack.model import Body, Net, NetKind, Passive, Role

# Layout rules of semipack's own (the seeds draw the build-up schematically and give no
# dimensions); every one is the value the original builder used.
# Staggered vias: each level's via moves inward by 1.2 capture diameters, so it lands beside
# the capture pad below (0.2 d clear between them), not on it.
STAGGER_CAPTURES = 1.2
# The outer terminal ring keeps 0.6 pitch from the cell edge each side (1.2 pitches in all).
RING_EDGE_PITCHES = 1.2
# The VDD bus ring runs 0.35 mm inside the die edge, inside the die pad row.
BUS_INSET_M = 0.35e-3
BUS_WIDTH_TRACES = 2  # bus ring width, in trace widths
BUS_GAP_RINGS = 4  # the VSS ring lies this many ring widths inside the VDD ring
CUT_OVERSHOOT_M = 1e-9  # passivation openings run this far past its faces (a clean boolean)


class Terminal(Enum):
    """External bonding points: 002 claims 28-29, 004 claim 4."""

    BALLS = "balls"
    BUMPS = "bumps"
    PINS = "pins"


@dataclass(frozen=True)
class BuildupSpec:
    """Dimensions and materials of the build-up (all SI)."""

    layers: int
    dielectric_thickness: float
    metal_thickness: float
    dielectric_material: str
    metal_material: str
    via_diameter: float
    capture_diameter: float
    trace_width: float
    fanout_level: int
    stacked: bool
    bus: bool
    passives: tuple[Passive, ...]
    passivation_thickness: float
    passivation_material: str | None
    terminal: Terminal
    terminal_pitch: float
    terminal_diameter: float
    land_diameter: float
    terminal_material: str
    pin_length: float
    via_role: Role
    numerals: dict[str, int]


@dataclass(frozen=True)
class BuildupResult:
    """The wiring of one die cell: its bodies and nets, the top of the last wiring level and
    ``openings``, the centres of the bonding pads, where the passivation (solder mask) opens."""

    bodies: list[Body]
    nets: list[Net]
    top_z: float
    openings: list[tuple[float, float]]


_TERMINAL_ROLES = frozenset({Role.BALL, Role.TERMINAL_BUMP, Role.PIN})


def terminal_row(bodies: list[Body]) -> float:
    """y of the terminal nearest the centre line: a default cut through die, via stacks and a ball."""
    ys = [_centre(b)[1] for b in bodies if b.role in _TERMINAL_ROLES]
    return min(ys, key=abs) if ys else 0.0


def _centre(b: Body) -> tuple[float, float]:
    bb = b.solid.bbox
    return (bb.lo[0] + bb.hi[0]) / 2, (bb.lo[1] + bb.hi[1]) / 2


def _side_of(x: float, y: float) -> int | None:
    """0 bottom, 1 right, 2 top, 3 left; None for corner sites."""
    if abs(abs(x) - abs(y)) < 1e-12:
        return None
    if abs(y) > abs(x):
        return 0 if y < 0 else 2
    return 1 if x > 0 else 3


def ring_sites(cell: float, pitch: float) -> list[tuple[float, float]]:
    """Terminal sites on the outermost ring of a square grid that fits a cell, centred at 0."""
    n = math.floor((cell - RING_EDGE_PITCHES * pitch) / pitch + 1e-9) + 1
    h = (n - 1) / 2 * pitch
    sites = []
    for i in range(n):
        v = -h + i * pitch
        sites += [(v, -h), (v, h)]
        if 0 < i < n - 1:
            sites += [(-h, v), (h, v)]
    return sites


# Per side (as `_side_of` numbers them): the pads' outward normal, and the coordinate (axis,
# sign) that runs counter-clockwise along it, the order of pads and sites on that side.
_SIDE_NORMALS = ((0, -1), (1, 0), (0, 1), (-1, 0))
_ALONG = ((0, 1.0), (1, 1.0), (0, -1.0), (1, -1.0))

XY = tuple[float, float]
Edge = tuple[str, NetKind, str, str]  # net, its kind, the two parts it joins


@dataclass(frozen=True)
class _Parts:
    """Bodies and net edges in build order, and the bonding-pad centres among them."""

    bodies: tuple[Body, ...] = ()
    edges: tuple[Edge, ...] = ()
    openings: tuple[XY, ...] = ()

    def __add__(self, other: _Parts) -> _Parts:
        return _Parts(self.bodies + other.bodies, self.edges + other.edges, self.openings + other.openings)


@dataclass(frozen=True)
class _Levels:
    """z of the via spans and wiring levels (1-based) above ``z_base``; vias of level 1 start at
    ``z_pad`` when given (a die sitting deeper than the first dielectric's bottom)."""

    z_base: float
    z_pad: float | None
    td: float
    tm: float

    def wiring(self, k: int) -> tuple[float, float]:
        z0 = self.z_base + (k - 1) * (self.td + self.tm) + self.td
        return z0, z0 + self.tm

    def via(self, k: int) -> tuple[float, float]:
        z0 = self.z_base + (k - 1) * (self.td + self.tm)
        if k == 1 and self.z_pad is not None:
            return self.z_pad, z0 + self.td
        return z0, z0 + self.td


@dataclass(frozen=True)
class _Cell:
    """What every part of one die cell's wiring needs."""

    spec: BuildupSpec
    z: _Levels
    prefix: str
    center: XY
    die_size: float


def _jog(spec: BuildupSpec, levels: int) -> float:
    """How far a staggered stack has moved inward after ``levels`` levels (0 when stacked)."""
    return 0.0 if spec.stacked else STAGGER_CAPTURES * spec.capture_diameter * levels


def _pad_id(pd: EdgePad) -> str:
    return pd.name.split("pad")[-1]


def build_wiring(
    spec: BuildupSpec,
    pads: list[EdgePad],
    center: tuple[float, float],
    cell: float,
    z_base: float,
    die_size: float,
    prefix: str,
    z_pad: float | None = None,
) -> BuildupResult:
    """Wiring for one die cell centred at ``center``.

    ``z_base`` is the bottom of dielectric 1's via span; ``z_pad`` (default ``z_base``)
    the die's active surface, where the first vias start (lower when the die sits deeper).
    """
    c = _Cell(spec, _Levels(z_base, z_pad, spec.dielectric_thickness, spec.metal_thickness), prefix, center, die_size)
    sites = _assign_sites(pads, center, cell, spec.terminal_pitch)
    parts = _Parts()
    for pd in pads:
        parts += _pad_route(c, pd, sites[pd.name])
    ring_h = _vdd_ring_half_width(spec, pads, center, die_size)
    if spec.bus:
        parts += _bus(c, pads, ring_h)
    if spec.passives:
        layout = PassiveSpec(
            spec.passives,
            spec.metal_material,
            spec.numerals["passive"],
            spec.trace_width,
            c.z.wiring(spec.fanout_level),
        )
        parts += _Parts(tuple(passive_bodies(layout, prefix, center, die_size, ring_h)))
    return BuildupResult(list(parts.bodies), _nets(parts.edges), c.z.wiring(spec.layers)[1], list(parts.openings))


def _nets(edges: tuple[Edge, ...]) -> list[Net]:
    """Nets in the order their first edge was made, each with its edges in order."""
    nets: dict[str, tuple[NetKind, list[tuple[str, str]]]] = {}
    for net, kind, a, b in edges:
        nets.setdefault(net, (kind, []))[1].append((a, b))
    return [Net(name, kind, tuple(e)) for name, (kind, e) in nets.items()]


def _assign_sites(pads: list[EdgePad], center: XY, cell: float, pitch: float) -> dict[str, XY]:
    """Each pad's terminal site: on the outer ring, on the pad's side, in the pad's order along it."""
    cx, cy = center
    by_side: dict[int, list[XY]] = {0: [], 1: [], 2: [], 3: []}
    for sx, sy in [(x + cx, y + cy) for x, y in ring_sites(cell, pitch)]:
        side = _side_of(sx - cx, sy - cy)
        if side is not None:
            by_side[side].append((sx, sy))
    out: dict[str, XY] = {}
    for side, normal in enumerate(_SIDE_NORMALS):
        out |= _assign_side(side, [p for p in pads if (p.nx, p.ny) == normal], by_side[side])
    return out


def _assign_side(side: int, pads: list[EdgePad], sites: list[XY]) -> dict[str, XY]:
    """Spread the pads of one side evenly over its sites, both taken in order along the side."""
    axis, sign = _ALONG[side]
    side_pads = sorted(pads, key=lambda p: sign * (p.x, p.y)[axis])
    side_sites = sorted(sites, key=lambda q: sign * q[axis])
    m, k = len(side_sites), len(side_pads)
    require(
        m >= k,
        "pads_per_side",
        k,
        f"only {m} terminal sites per side fit the outer ring; lower pads_per_side or terminal_pitch",
    )
    return {pd.name: side_sites[round((j + 0.5) * m / k - 0.5) if k > 1 else m // 2] for j, pd in enumerate(side_pads)}


def _stack(c: _Cell, name: str, net: str, kind: NetKind, xy: XY, k0: int, k1: int, inward: XY, first: str) -> _Parts:
    """Vias in dielectrics k0..k1 at ``xy``, each with its capture pad (or, staggered, a jog to
    the next via) on the level above; the first via joins part ``first``, the last part is the
    capture pad ``{name}_c{k1}``."""
    spec = c.spec
    parts = _Parts()
    prev = first
    for k in range(k0, k1 + 1):
        jog = _jog(spec, k - k0)
        vxy = (xy[0] + inward[0] * jog, xy[1] + inward[1] * jog)
        label = "conductive column" if spec.via_role is Role.COLUMN else "via"
        via = _via(spec, f"{name}_v{k}", vxy, c.z.via(k), net, label)
        zl0, zl1 = c.z.wiring(k)
        solid: object
        if spec.stacked or k == k1:
            solid = Cylinder(vxy, spec.capture_diameter / 2, zl0, zl1)
        else:
            step = _jog(spec, 1)
            solid = Trace(
                (vxy, (vxy[0] + inward[0] * step, vxy[1] + inward[1] * step)), spec.capture_diameter, zl0, zl1
            )
        cap = body(
            f"{name}_c{k}",
            Role.LAND,
            spec.metal_material,
            solid,
            spec.numerals["wiring"],
            "patterned wiring layer",
            net=net,
        )
        parts += _Parts((via, cap), ((net, kind, prev, via.name), (net, kind, via.name, cap.name)))
        prev = cap.name
    return parts


def _via(spec: BuildupSpec, name: str, xy: XY, z: tuple[float, float], net: str, label: str) -> Body:
    solid = Cylinder(xy, spec.via_diameter / 2, *z)
    return body(name, spec.via_role, spec.metal_material, solid, spec.numerals["via"], label, net=net)


def _pad_route(c: _Cell, pd: EdgePad, site: XY) -> _Parts:
    """One die pad to its terminal: a stack up to the fan-out level, a trace out to the site, a
    second stack up to the top level, the bonding pad and the terminal on it."""
    spec, n, f = c.spec, c.spec.layers, c.spec.fanout_level
    net = f"{c.prefix}{pd.net}" if pd.kind is NetKind.SIGNAL else pd.net
    pid, inward = _pad_id(pd), (-pd.nx, -pd.ny)
    down = _stack(c, f"{c.prefix}p{pid}", net, pd.kind, (pd.x, pd.y), 1, f, inward, pd.name)
    jog = _jog(spec, f - 1)
    start = (pd.x + inward[0] * jog, pd.y + inward[1] * jog)
    trace = body(
        f"{c.prefix}t{pid}",
        Role.TRACE,
        spec.metal_material,
        Trace((start, site), spec.trace_width, *c.z.wiring(f)),
        spec.numerals["trace"],
        "external circuitry (trace)",
        net=net,
    )
    parts = down + _Parts((trace,), ((net, pd.kind, down.bodies[-1].name, trace.name),))
    sname = f"{c.prefix}s{pid}"
    top_xy = site
    if f < n:
        parts += _stack(c, sname, net, pd.kind, site, f + 1, n, inward, trace.name)
        ls = _jog(spec, n - f - 1)
        top_xy = (site[0] - pd.nx * ls, site[1] - pd.ny * ls)
    z0, z1 = c.z.wiring(n)
    land = Cylinder(top_xy, spec.land_diameter / 2, z0, z1)
    bp = body(f"{sname}_bp", Role.LAND, spec.metal_material, land, spec.numerals["bonding_pad"], "bonding pad", net=net)
    term = _terminal(spec, f"{sname}_term", top_xy, z1, net)
    edges = ((net, pd.kind, parts.bodies[-1].name, bp.name), (net, pd.kind, bp.name, term.name))
    return parts + _Parts((bp, term), edges, (_centre(bp),))


def _vdd_ring_half_width(spec: BuildupSpec, pads: list[EdgePad], center: XY, die_size: float) -> float:
    """Half-width of the VDD ring's centre line: ``BUS_INSET_M`` inside the die edge, or further
    in when staggered stacks reach deeper than that (each level jogs a stack inward), so the
    ring keeps one trace width clear of the innermost capture pad of every other net."""
    cx, cy = center
    pad_line = min(((pd.x - cx) * pd.nx + (pd.y - cy) * pd.ny for pd in pads), default=die_size / 2)
    innermost = pad_line - _jog(spec, spec.fanout_level - 1) - spec.capture_diameter / 2
    clear = innermost - spec.trace_width - BUS_WIDTH_TRACES * spec.trace_width / 2
    return min(die_size / 2 - BUS_INSET_M, clear)


def _bus(c: _Cell, pads: list[EdgePad], half_in: float) -> _Parts:
    """A VDD ring of half-width ``half_in`` on the fan-out level and a VSS ring on the next (the
    one below at the top), inside the pad row, each tied to its pads by stubs (seed 002 claims 5
    and 36)."""
    spec, n, f = c.spec, c.spec.layers, c.spec.fanout_level
    ring_w = BUS_WIDTH_TRACES * spec.trace_width
    parts = _ring(c, pads, "VDD", NetKind.POWER, f, half_in)
    if n >= 2:
        parts += _ring(c, pads, "VSS", NetKind.GROUND, f + 1 if f < n else f - 1, half_in - BUS_GAP_RINGS * ring_w)
    return parts


def _ring(c: _Cell, pads: list[EdgePad], net: str, kind: NetKind, level: int, h: float) -> _Parts:
    """A square bus ring of half-width ``h`` on ``level`` and a stub to it from every pad of ``net``."""
    spec = c.spec
    cx, cy = c.center
    sq = ((cx - h, cy - h), (cx + h, cy - h), (cx + h, cy + h), (cx - h, cy + h), (cx - h, cy - h))
    solid = Trace(sq, BUS_WIDTH_TRACES * spec.trace_width, *c.z.wiring(level))
    ring = body(
        f"{c.prefix}bus_{net}",
        Role.PLANE,
        spec.metal_material,
        solid,
        spec.numerals["bus"],
        "power/ground bus",
        net=net,
    )
    parts = _Parts((ring,))
    for pd in pads:
        if pd.net == net:
            parts += _stub(c, pd, kind, level, h, ring.name)
    return parts


def _stub(c: _Cell, pd: EdgePad, kind: NetKind, level: int, h: float, ring: str) -> _Parts:
    """A stub from the pad's stack inward to the ring on the ring's level; for a ring above the
    fan-out level the pad's stack first rises one more via."""
    spec, f, net = c.spec, c.spec.fanout_level, pd.net
    pid = _pad_id(pd)
    jog = _jog(spec, min(level, f) - 1)
    axy = (pd.x - pd.nx * jog, pd.y - pd.ny * jog)
    anchor = f"{c.prefix}p{pid}_c{level}"
    lead = _Parts()
    if level > f:
        via = _via(spec, f"{c.prefix}p{pid}_bus_v", axy, c.z.via(level), net, "via")
        lead = _Parts((via,), ((net, kind, f"{c.prefix}p{pid}_c{f}", via.name),))
        anchor = via.name
    path = _stub_path(axy, pd, c.center, h)
    solid = Trace(path, spec.trace_width, *c.z.wiring(level))
    stub = body(
        f"{c.prefix}p{pid}_stub",
        Role.TRACE,
        spec.metal_material,
        solid,
        spec.numerals["bus"],
        "power/ground bus",
        net=net,
    )
    return lead + _Parts((stub,), ((net, kind, anchor, stub.name), (net, kind, stub.name, ring)))


def _stub_path(axy: XY, pd: EdgePad, center: XY, h: float) -> tuple[XY, ...]:
    """Inward to the ring's line, then along it onto the ring when the pad lies past a corner."""
    cx, cy = center
    if pd.nx:
        bend = (cx + pd.nx * h, axy[1])
        end = (bend[0], min(max(axy[1], cy - h), cy + h))
    else:
        bend = (axy[0], cy + pd.ny * h)
        end = (min(max(axy[0], cx - h), cx + h), bend[1])
    return (axy, bend) if bend == end else (axy, bend, end)


def _terminal(spec: BuildupSpec, name: str, xy: XY, z: float, net: str) -> Body:
    """A pin standing on the bonding pad, or a ball or bump wetting a land of ``land_diameter``."""
    num = spec.numerals["terminal"]
    if spec.terminal is Terminal.PINS:
        pin = Cylinder(xy, spec.terminal_diameter / 2, z, z + spec.pin_length)
        return body(name, Role.PIN, spec.terminal_material, pin, num, "pin", net=net)
    r = spec.terminal_diameter / 2
    a = min(spec.land_diameter / 2, 0.95 * r)  # the land never takes more than 95 % of the ball's radius
    c = math.sqrt(r * r - a * a)  # sphere centre above the land's plane
    role, label = (Role.BALL, "solder ball") if spec.terminal is Terminal.BALLS else (Role.TERMINAL_BUMP, "bump")
    return body(name, role, spec.terminal_material, Ball((xy[0], xy[1], z + c), r, z, z + 2 * c), num, label, net=net)


def dielectric_bodies(
    spec: BuildupSpec,
    footprint: tuple[float, float, float, float],
    z_base: float,
    openings: list[tuple[float, float]],
    first_bottom: float | None = None,
) -> tuple[list[Body], float]:
    """The dielectric layers and the passivation over a footprint; returns them and the top z.

    ``first_bottom`` lowers the first layer's bottom (it fills the step around a die that
    stands above the surface when there is no filling layer).
    """
    x0, y0, x1, y1 = footprint
    out = []
    td, tm = spec.dielectric_thickness, spec.metal_thickness
    z = z_base
    for k in range(1, spec.layers + 1):
        zb = first_bottom if (k == 1 and first_bottom is not None) else z
        out.append(
            body(
                f"dielectric{k}",
                Role.DIELECTRIC,
                spec.dielectric_material,
                box(x0, y0, zb, x1, y1, z + td + tm),
                spec.numerals["dielectric"],
                "dielectric layer",
            )
        )
        z += td + tm
    if spec.passivation_material is not None:
        d = spec.land_diameter
        cuts = [
            Box(
                (x - d / 2, y - d / 2, z - CUT_OVERSHOOT_M),
                (x + d / 2, y + d / 2, z + spec.passivation_thickness + CUT_OVERSHOOT_M),
            )
            for x, y in openings
        ]
        out.append(
            body(
                "passivation",
                Role.PASSIVATION,
                spec.passivation_material,
                box(x0, y0, z, x1, y1, z + spec.passivation_thickness, cuts),
                spec.numerals["passivation"],
                "passivation layer",
            )
        )
        z += spec.passivation_thickness
    return out, z
