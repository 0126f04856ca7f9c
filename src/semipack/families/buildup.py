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
from semipack.families.common import body, box, centered_box, require
from semipack.geometry import Ball, Box, Cylinder, Trace
from semipack.model import Body, Net, NetKind, Role


class Terminal(Enum):
    """External bonding points: 002 claims 28-29, 004 claim 4."""

    BALLS = "balls"
    BUMPS = "bumps"
    PINS = "pins"


class Passive(Enum):
    """Passives formed by part of the patterned wiring (002 claims 10-12)."""

    RESISTOR = "resistor"
    INDUCTOR = "inductor"
    CAPACITOR = "capacitor"
    WAVEGUIDE = "waveguide"
    FILTER = "filter"
    MEMS = "mems"


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
    bodies: list[Body]
    nets: list[Net]
    top_z: float

    @property
    def openings(self) -> list[tuple[float, float]]:
        """Centres of the bonding pads, where the passivation (solder mask) opens."""
        out = []
        for b in self.bodies:
            if b.name.endswith("_bp"):
                bb = b.solid.bbox
                out.append(((bb.lo[0] + bb.hi[0]) / 2, (bb.lo[1] + bb.hi[1]) / 2))
        return out


def terminal_row(bodies: list[Body]) -> float:
    """y of the terminal nearest the centre line: a default cut through die, via stacks and a ball."""
    ys = [(b.solid.bbox.lo[1] + b.solid.bbox.hi[1]) / 2 for b in bodies if b.name.endswith("_term")]
    return min(ys, key=abs) if ys else 0.0


def _side_of(x: float, y: float) -> int | None:
    """0 bottom, 1 right, 2 top, 3 left; None for corner sites."""
    if abs(abs(x) - abs(y)) < 1e-12:
        return None
    if abs(y) > abs(x):
        return 0 if y < 0 else 2
    return 1 if x > 0 else 3


def ring_sites(cell: float, pitch: float) -> list[tuple[float, float]]:
    """Terminal sites on the outermost ring of a square grid that fits a cell, centred at 0."""
    n = math.floor((cell - 1.2 * pitch) / pitch + 1e-9) + 1
    h = (n - 1) / 2 * pitch
    sites = []
    for i in range(n):
        v = -h + i * pitch
        sites += [(v, -h), (v, h)]
        if 0 < i < n - 1:
            sites += [(-h, v), (h, v)]
    return sites


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
    n = spec.layers
    f = spec.fanout_level
    td, tm = spec.dielectric_thickness, spec.metal_thickness
    num = spec.numerals
    cx, cy = center

    def z_level(k: int) -> tuple[float, float]:
        """z range of wiring level k (1-based)."""
        z0 = z_base + (k - 1) * (td + tm) + td
        return z0, z0 + tm

    def z_via(k: int) -> tuple[float, float]:
        z0 = z_base + (k - 1) * (td + tm)
        if k == 1 and z_pad is not None:
            return z_pad, z0 + td
        return z0, z0 + td

    bodies: list[Body] = []
    nets: dict[str, tuple[NetKind, list[tuple[str, str]]]] = {}

    def edge(net: str, kind: NetKind, a: str, b: str) -> None:
        nets.setdefault(net, (kind, []))[1].append((a, b))

    sites = [(x + cx, y + cy) for x, y in ring_sites(cell, spec.terminal_pitch)]
    by_side: dict[int, list[tuple[float, float]]] = {0: [], 1: [], 2: [], 3: []}
    for sx, sy in sites:
        side = _side_of(sx - cx, sy - cy)
        if side is not None:
            by_side[side].append((sx, sy))
    along = [lambda p: p[0], lambda p: p[1], lambda p: -p[0], lambda p: -p[1]]
    pad_side = {0: (0, -1), 1: (1, 0), 2: (0, 1), 3: (-1, 0)}
    assignment: dict[str, tuple[float, float]] = {}
    for side in range(4):
        nx, ny = pad_side[side]
        side_pads = sorted((p for p in pads if (p.nx, p.ny) == (nx, ny)), key=lambda p: along[side]((p.x, p.y)))
        side_sites = sorted(by_side[side], key=along[side])
        require(
            len(side_sites) >= len(side_pads),
            "pads_per_side",
            len(side_pads),
            f"only {len(side_sites)} terminal sites per side fit the outer ring; lower pads_per_side or terminal_pitch",
        )
        m, k = len(side_sites), len(side_pads)
        for j, pd in enumerate(side_pads):
            idx = round(j * (m - 1) / max(k - 1, 1)) if k > 1 else m // 2
            idx = round((j + 0.5) * m / k - 0.5) if k > 1 else m // 2
            assignment[pd.name] = side_sites[idx]

    def stack(
        name: str,
        net: str,
        kind: NetKind,
        xy: tuple[float, float],
        k0: int,
        k1: int,
        inward: tuple[float, float],
        first: str,
    ) -> str:
        """Vias in dielectrics k0..k1 at ``xy``; returns the name of the last part (a capture pad on level k1)."""
        prev = first
        x, y = xy
        step = 0.0 if spec.stacked else 1.2 * spec.capture_diameter
        for k in range(k0, k1 + 1):
            za, zb = z_via(k)
            vx, vy = x + inward[0] * step * (k - k0), y + inward[1] * step * (k - k0)
            vname = f"{name}_v{k}"
            bodies.append(
                body(
                    vname,
                    spec.via_role,
                    spec.metal_material,
                    Cylinder((vx, vy), spec.via_diameter / 2, za, zb),
                    num["via"],
                    "conductive column" if spec.via_role is Role.COLUMN else "via",
                    net=net,
                )
            )
            edge(net, kind, prev, vname)
            zl0, zl1 = z_level(k)
            cname = f"{name}_c{k}"
            if spec.stacked or k == k1:
                solid: object = Cylinder((vx, vy), spec.capture_diameter / 2, zl0, zl1)
            else:
                nxt = (vx + inward[0] * step, vy + inward[1] * step)
                solid = Trace(((vx, vy), nxt), spec.capture_diameter, zl0, zl1)
            bodies.append(
                body(cname, Role.LAND, spec.metal_material, solid, num["wiring"], "patterned wiring layer", net=net)
            )
            edge(net, kind, vname, cname)
            prev = cname
        return prev

    for pd in pads:
        kind = pd.kind
        net = f"{prefix}{pd.net}" if pd.kind is NetKind.SIGNAL else pd.net
        inward = (-pd.nx, -pd.ny)
        top_of_pad = stack(f"{prefix}p{pd.name.split('pad')[-1]}", net, kind, (pd.x, pd.y), 1, f, inward, pd.name)
        step = 0.0 if spec.stacked else 1.2 * spec.capture_diameter * (f - 1)
        start = (pd.x + inward[0] * step, pd.y + inward[1] * step)
        site = assignment[pd.name]
        tname = f"{prefix}t{pd.name.split('pad')[-1]}"
        zl0, zl1 = z_level(f)
        bodies.append(
            body(
                tname,
                Role.TRACE,
                spec.metal_material,
                Trace((start, site), spec.trace_width, zl0, zl1),
                num["trace"],
                "external circuitry (trace)",
                net=net,
            )
        )
        edge(net, kind, top_of_pad, tname)
        sname = f"{prefix}s{pd.name.split('pad')[-1]}"
        outward = (pd.nx, pd.ny)
        if f < n:
            last = stack(sname, net, kind, site, f + 1, n, (-outward[0], -outward[1]), tname)
            ls = 1.2 * spec.capture_diameter * (n - f - 1) if not spec.stacked else 0.0
            top_xy = (site[0] - outward[0] * ls, site[1] - outward[1] * ls)
        else:
            last, top_xy = tname, site
        z0, z1 = z_level(n)
        pname = f"{sname}_bp"
        bodies.append(
            body(
                pname,
                Role.LAND,
                spec.metal_material,
                Cylinder(top_xy, spec.land_diameter / 2, z0, z1),
                num["bonding_pad"],
                "bonding pad",
                net=net,
            )
        )
        edge(net, kind, last, pname)
        tb = _terminal(spec, f"{sname}_term", top_xy, z1, net)
        bodies.append(tb)
        edge(net, kind, pname, tb.name)

    if spec.bus:
        half_in = die_size / 2 - 0.35e-3
        ring_w = 2 * spec.trace_width
        rings = [("VDD", NetKind.POWER, f, half_in)]
        if n >= 2:
            rings.append(("VSS", NetKind.GROUND, f + 1 if f < n else f - 1, half_in - 4 * ring_w))
        for net, kind, level, h in rings:
            zl0, zl1 = z_level(level)
            sq = ((cx - h, cy - h), (cx + h, cy - h), (cx + h, cy + h), (cx - h, cy + h), (cx - h, cy - h))
            rname = f"{prefix}bus_{net}"
            bodies.append(
                body(
                    rname,
                    Role.PLANE,
                    spec.metal_material,
                    Trace(sq, ring_w, zl0, zl1),
                    num["bus"],
                    "power/ground bus",
                    net=net,
                )
            )
            for pd in pads:
                if pd.net != net:
                    continue
                # Stub from the pad's stack inward to the ring, on the ring's level.
                pid = pd.name.split("pad")[-1]
                if level <= f:
                    anchor = f"{prefix}p{pid}_c{level}"
                    axy = (
                        pd.x - pd.nx * (0 if spec.stacked else 1.2 * spec.capture_diameter * (level - 1)),
                        pd.y - pd.ny * (0 if spec.stacked else 1.2 * spec.capture_diameter * (level - 1)),
                    )
                else:
                    # Extend the pad's stack one more level up for the ring above the fan-out level.
                    za, zb = z_via(level)
                    vname = f"{prefix}p{pid}_bus_v"
                    step = 0.0 if spec.stacked else 1.2 * spec.capture_diameter * (f - 1)
                    axy = (pd.x - pd.nx * step, pd.y - pd.ny * step)
                    bodies.append(
                        body(
                            vname,
                            spec.via_role,
                            spec.metal_material,
                            Cylinder(axy, spec.via_diameter / 2, za, zb),
                            num["via"],
                            "via",
                            net=net,
                        )
                    )
                    edge(net, kind, f"{prefix}p{pid}_c{f}", vname)
                    anchor = vname
                # Inward to the ring's line, then along it onto the ring when the pad lies past a corner.
                if pd.nx:
                    bend = (cx + pd.nx * h, axy[1])
                    end = (bend[0], min(max(axy[1], cy - h), cy + h))
                else:
                    bend = (axy[0], cy + pd.ny * h)
                    end = (min(max(axy[0], cx - h), cx + h), bend[1])
                path = (axy, bend) if bend == end else (axy, bend, end)
                sname = f"{prefix}p{pid}_stub"
                bodies.append(
                    body(
                        sname,
                        Role.TRACE,
                        spec.metal_material,
                        Trace(path, spec.trace_width, zl0, zl1),
                        num["bus"],
                        "power/ground bus",
                        net=net,
                    )
                )
                edge(net, kind, anchor, sname)
                edge(net, kind, sname, rname)

    if spec.passives:
        bodies += _passives(spec, prefix, center, die_size, z_level(f))

    out = [Net(name, kind, tuple(edges)) for name, (kind, edges) in nets.items()]
    return BuildupResult(bodies, out, z_level(n)[1])


def _terminal(spec: BuildupSpec, name: str, xy: tuple[float, float], z: float, net: str) -> Body:
    x, y = xy
    num = spec.numerals["terminal"]
    if spec.terminal is Terminal.PINS:
        return body(
            name,
            Role.PIN,
            spec.terminal_material,
            Cylinder(xy, spec.terminal_diameter / 2, z, z + spec.pin_length),
            num,
            "pin",
            net=net,
        )
    r = spec.terminal_diameter / 2
    a = min(spec.land_diameter / 2, 0.95 * r)
    c = math.sqrt(r * r - a * a)
    role, label = (Role.BALL, "solder ball") if spec.terminal is Terminal.BALLS else (Role.TERMINAL_BUMP, "bump")
    return body(name, role, spec.terminal_material, Ball((x, y, z + c), r, z, z + 2 * c), num, label, net=net)


def _passives(
    spec: BuildupSpec, prefix: str, center: tuple[float, float], die_size: float, zl: tuple[float, float]
) -> list[Body]:
    """Passives in the die's centre area on the fan-out level, side by side."""
    cx, cy = center
    room = die_size / 2 - 0.35e-3 - 6 * spec.trace_width - 0.1e-3  # inside the bus rings
    require(room > 0.3e-3, "die_size", die_size, "the die is too small to hold passives inside the pad ring")
    count = len(spec.passives)
    cols = math.ceil(math.sqrt(count))
    cellw = 2 * room / cols
    w = spec.trace_width
    num = spec.numerals["passive"]
    out: list[Body] = []
    for i, kind in enumerate(spec.passives):
        r_, c_ = divmod(i, cols)
        ox = cx - room + (c_ + 0.5) * cellw
        oy = cy + room - (r_ + 0.5) * cellw
        s = 0.8 * cellw / 2
        name = f"{prefix}{kind.value}"
        net = f"{prefix}{kind.value.upper()}"
        label = f"passive device ({kind.value})"
        z0, z1 = zl
        if kind is Passive.INDUCTOR:
            pts = _spiral(ox, oy, s, w, turns=3)
            out.append(body(name, Role.PASSIVE, spec.metal_material, Trace(tuple(pts), w, z0, z1), num, label, net=net))
        elif kind is Passive.RESISTOR:
            pts = _meander(ox, oy, s, w)
            out.append(body(name, Role.PASSIVE, spec.metal_material, Trace(tuple(pts), w, z0, z1), num, label, net=net))
        elif kind is Passive.CAPACITOR:
            # Interdigital capacitor: two combs whose fingers interleave with a gap of one width.
            fingers = max(int(s / (2 * w)) // 2, 2)
            pitch = 2 * s / (2 * fingers)
            for comb in (0, 1):
                xs = [ox - s + (2 * j + comb + 0.5) * pitch for j in range(fingers)]
                base_y = oy - s if comb == 0 else oy + s
                comb_pts: list[tuple[float, float]] = []
                for x in xs:
                    comb_pts += [(x, base_y), (x, oy + (s - 2 * w if comb == 0 else -s + 2 * w)), (x, base_y)]
                spine = ((ox - s, base_y), (ox + s, base_y))
                out.append(
                    body(
                        f"{name}_comb{comb}",
                        Role.PASSIVE,
                        spec.metal_material,
                        Trace(spine, w, z0, z1),
                        num,
                        label,
                        net=f"{net}{comb}",
                    )
                )
                for j, x in enumerate(xs):
                    tip = oy + (s - 2 * w if comb == 0 else -s + 2 * w)
                    out.append(
                        body(
                            f"{name}_comb{comb}_f{j}",
                            Role.PASSIVE,
                            spec.metal_material,
                            Trace(((x, base_y), (x, tip)), w, z0, z1),
                            num,
                            label,
                            net=f"{net}{comb}",
                        )
                    )
        elif kind is Passive.WAVEGUIDE:
            gap = 2 * w
            for j, off in enumerate((-gap - 2 * w, 0.0, gap + 2 * w)):
                out.append(
                    body(
                        f"{name}_{['g1', 's', 'g2'][j]}",
                        Role.PASSIVE,
                        spec.metal_material,
                        Trace(((ox - s, oy + off), (ox + s, oy + off)), 2 * w if j != 1 else w, z0, z1),
                        num,
                        "passive device (coplanar wave-guide)",
                        net=f"{net}_{'S' if j == 1 else 'G'}",
                    )
                )
        elif kind is Passive.FILTER:
            # An LC low-pass section: a small spiral in series with an interdigital pair.
            pts = _spiral(ox - s / 2, oy, s / 2, w, turns=2)
            out.append(
                body(
                    f"{name}_l",
                    Role.PASSIVE,
                    spec.metal_material,
                    Trace(tuple(pts), w, z0, z1),
                    num,
                    "passive device (filter)",
                    net=net,
                )
            )
            out.append(
                body(
                    f"{name}_c",
                    Role.PASSIVE,
                    spec.metal_material,
                    centered_box(s / 2, s / 2, z0, z1, ox + s / 2, oy),
                    num,
                    "passive device (filter)",
                    net=net,
                )
            )
        else:
            # MEMS sensor: a released cantilever plate over an anchor, formed in the wiring metal.
            out.append(
                body(
                    name,
                    Role.PASSIVE,
                    spec.metal_material,
                    box(ox - s, oy - s / 4, z0, ox + s, oy + s / 4, z1),
                    num,
                    "micro electro-mechanical sensor (MEMS)",
                    net=net,
                )
            )
    return out


def _spiral(cx: float, cy: float, s: float, w: float, turns: int) -> list[tuple[float, float]]:
    """A square spiral from the outside in, line pitch 3 w (Mohan's geometry: d_out = 2 s)."""
    pts = []
    p = 3 * w
    h = s
    for _ in range(turns):
        if h - p <= 2 * w:
            break
        pts += [(cx - h, cy - h), (cx + h, cy - h), (cx + h, cy + h), (cx - h + p, cy + h)]
        pts.append((cx - h + p, cy - h + p))
        h -= p
    return pts


def _meander(cx: float, cy: float, s: float, w: float) -> list[tuple[float, float]]:
    pts = []
    n = max(int(s / (1.5 * w)), 2)
    ys = [cy - s + i * (2 * s / (n - 1)) for i in range(n)]
    for i, y in enumerate(ys):
        xs = (cx - s, cx + s) if i % 2 == 0 else (cx + s, cx - s)
        pts += [(xs[0], y), (xs[1], y)]
    return pts


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
            Box((x - d / 2, y - d / 2, z - 1e-9), (x + d / 2, y + d / 2, z + spec.passivation_thickness + 1e-9))
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
