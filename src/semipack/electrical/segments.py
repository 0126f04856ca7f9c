"""Conductors as straight segments, and each package pin's current path through them.

The partial-inductance (PEEC) and capacitance solvers work on straight pieces: a bond
wire or trace is split at its polyline's corners, a via, column, pin or ball is one
vertical piece, a land or lead one bar along its longest side, and a route through a
smeared laminate (drawn as a length only) is laid out as the builders count its
length: a horizontal L-shaped run (x then y) at its start's height and a via at its
end (`route_segments`). A pin is a terminal (ball, pin, lead); its path is the least-resistance chain from
the nearest die pad of its net (`semipack.electrical.nets.cheapest_path`), oriented from
the pad to the terminal.

Approximations, stated: planes, bent flex conductors and thin-film passives carry no
segment (a plane is taken as an equipotential sheet, a flex bend and a passive are left
out); a ball is a cylinder of the ball's volume over its height; a square-ish thin
land carries no partial inductance (its current crosses its thickness) but keeps its
face for the capacitance, and so does a round pad thinner than its radius.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from semipack.electrical.conductors import ROUTE_RESISTIVITY_OHM_M, Settings
from semipack.electrical.nets import cheapest_path, net_graph, route_node
from semipack.errors import DesignError
from semipack.geometry import Ball, Box, Cylinder, Trace, Wire
from semipack.model import Body, Package
from semipack.model.body import Pad, Route
from semipack.model.roles import CONDUCTOR_ROLES, TERMINAL_ROLES, Role

Vec3 = tuple[float, float, float]

# Roles whose bodies the extraction lays out as segments (planes, flex bends and
# passives are left out, see the module docstring).
SEGMENT_ROLES = CONDUCTOR_ROLES - {Role.PLANE, Role.FLEX_CONDUCTOR, Role.PASSIVE}


@dataclass(frozen=True)
class Seg:
    """A straight conductor piece from ``a`` to ``b`` (m).

    ``width_m`` is the diameter of a round piece (``thickness_m`` 0) or the width of a
    bar (``thickness_m`` > 0; for a horizontal bar the width lies in the horizontal
    plane). ``face`` marks a flat horizontal conductor whose top face the capacitance
    solver meshes; ``inductive`` False leaves it out of the partial inductances.
    """

    owner: str
    net: str
    a: Vec3
    b: Vec3
    width_m: float
    thickness_m: float
    resistivity_ohm_m: float
    face: bool = False
    inductive: bool = True
    charge: bool = True

    @property
    def length_m(self) -> float:
        return math.dist(self.a, self.b)

    @property
    def round(self) -> bool:
        return self.thickness_m <= 0

    @property
    def area_m2(self) -> float:
        return math.pi * self.width_m**2 / 4 if self.round else self.width_m * self.thickness_m


def _rho(b: Body, pkg: Package) -> float:
    r = pkg.materials[b.material].resistivity_ohm_m
    return float(r) if r is not None else 0.0


def body_segments(b: Body, pkg: Package) -> list[Seg]:
    """The straight pieces of one conductor body (empty for a role the extraction leaves out)."""
    if b.role not in SEGMENT_ROLES:
        return []
    s, net, rho = b.solid, b.net or "", _rho(b, pkg)
    out: list[Seg] = []
    if isinstance(s, Wire):
        for p, q in itertools.pairwise(s.points):
            if math.dist(p, q) > 0:
                out.append(Seg(b.name, net, _v(p), _v(q), s.diameter, s.thickness, rho))
    elif isinstance(s, Trace):
        zc = (s.z0 + s.z1) / 2
        for p2, q2 in itertools.pairwise(s.points):
            if math.dist(p2, q2) > 0:
                a, e = (p2[0], p2[1], zc), (q2[0], q2[1], zc)
                out.append(Seg(b.name, net, a, e, s.width, s.z1 - s.z0, rho, face=True))
    elif isinstance(s, Cylinder):
        cx, cy = s.center
        if s.z1 - s.z0 < s.radius:
            # A round pad: its face (the square of its area) for the capacitance, and its
            # current through the thickness for R and L.
            side = math.sqrt(math.pi) * s.radius
            out += _pad_segments(b.name, net, (cx, cy), side, side, s.z0, s.z1, rho)
        else:
            out.append(Seg(b.name, net, (cx, cy, s.z0), (cx, cy, s.z1), 2 * s.radius, 0.0, rho))
    elif isinstance(s, Ball):
        # A cylinder of the truncated sphere's volume over its height.
        h = s.z1 - s.z0
        r_eq = math.sqrt(s.volume / (math.pi * h))
        bx, by, _ = s.center
        if h < r_eq:  # a flat land-grid bump: a pad
            side = math.sqrt(math.pi) * r_eq
            out += _pad_segments(b.name, net, (bx, by), side, side, s.z0, s.z1, rho)
        else:
            out.append(Seg(b.name, net, (bx, by, s.z0), (bx, by, s.z1), 2 * r_eq, 0.0, rho))
    elif isinstance(s, Box):
        out += _box_segment(b.name, net, s, rho)
    return out


def _v(p: tuple[float, ...]) -> Vec3:
    return (float(p[0]), float(p[1]), float(p[2]))


def _box_segment(name: str, net: str, s: Box, rho: float) -> list[Seg]:
    lo, hi = s.lo, s.hi
    d = [hi[i] - lo[i] for i in range(3)]
    c = [(lo[i] + hi[i]) / 2 for i in range(3)]
    if d[2] >= max(d[0], d[1]):  # a post: current runs vertically
        return [Seg(name, net, (c[0], c[1], lo[2]), (c[0], c[1], hi[2]), min(d[0], d[1]), max(d[0], d[1]), rho)]
    ax = 0 if d[0] >= d[1] else 1
    if d[ax] < 2 * d[1 - ax]:
        # A square-ish pad passes its current through its thickness.
        return _pad_segments(name, net, (c[0], c[1]), d[0], d[1], lo[2], hi[2], rho)
    a = list(c)
    b = list(c)
    a[ax], b[ax] = lo[ax], hi[ax]
    return [Seg(name, net, _v(tuple(a)), _v(tuple(b)), d[1 - ax], d[2], rho, face=True)]


def _pad_segments(
    name: str, net: str, xy: tuple[float, float], sx: float, sy: float, z0: float, z1: float, rho: float
) -> list[Seg]:
    """A flat pad: its face for the capacitance (no R, no L) and a vertical bar through its thickness for R and L."""
    zc = (z0 + z1) / 2
    face = Seg(name, net, (xy[0] - sx / 2, xy[1], zc), (xy[0] + sx / 2, xy[1], zc), sy, z1 - z0, 0.0, True, False)
    post = Seg(name, net, (xy[0], xy[1], z0), (xy[0], xy[1], z1), min(sx, sy), max(sx, sy), rho, charge=False)
    return [face, post]


def _centre(b: Body) -> Vec3:
    bb = b.solid.bbox
    return ((bb.lo[0] + bb.hi[0]) / 2, (bb.lo[1] + bb.hi[1]) / 2, (bb.lo[2] + bb.hi[2]) / 2)


def route_segments(rt: Route, net: str, bodies: dict[str, Body], s: Settings) -> list[Seg]:
    """A route through a laminate laid out as the builders count its length: x, then y, then a via.

    The laminate's routing is not drawn, so this layout is a guess that keeps the
    route's stated length (and so its resistance); the capacitance leaves these runs
    out of its 3D solve (see `semipack.electrical.rlgc`).
    """
    pa, pb = _centre(bodies[rt.a]), _centre(bodies[rt.b])
    name = route_node(rt)
    w, t = s.route_width_m, s.route_thickness_m
    pts = [pa, (pb[0], pa[1], pa[2]), (pb[0], pb[1], pa[2])]
    out = [
        Seg(name, net, p, q, w, t, ROUTE_RESISTIVITY_OHM_M, face=True)
        for p, q in itertools.pairwise(pts)
        if math.dist(p, q) > 1e-9
    ]
    if abs(pb[2] - pa[2]) > 1e-9:
        # a via of the run's section and resistance per length
        rho_via = ROUTE_RESISTIVITY_OHM_M * (w * t) / (math.pi * w * w / 4)
        out.append(Seg(name, net, pts[-1], pb, w, 0.0, rho_via))
    return out


@dataclass(frozen=True)
class PinPath:
    """A terminal (package pin) and its chain of parts from a die pad (or from itself alone)."""

    pin: str
    net: str
    terminal: str
    parts: tuple[str, ...]
    xy: tuple[float, float]


def pin_name(terminal: str) -> str:
    """The pin number a terminal body carries: ``ball_A1`` -> ``A1``, ``lead17`` -> ``17``."""
    m = re.fullmatch(r"(?:ball|pin|lead|bump|terminal)_?(\w+)", terminal)
    return m.group(1) if m else terminal


def select_nets(pkg: Package, nets: list[str] | None) -> list[str]:
    """The names asked for, checked against the package (all nets when None)."""
    known = [n.name for n in pkg.nets]
    if not nets:
        return known
    for n in nets:
        if n not in known:
            shown = ", ".join(known[:8]) + (" ..." if len(known) > 8 else "")
            raise DesignError("nets", n, f"a net of {pkg.name}: {shown}")
    return list(dict.fromkeys(nets))


def pin_paths(pkg: Package, nets: list[str], s: Settings) -> list[PinPath]:
    """Each terminal of ``nets`` with its least-resistance chain from a die pad (pad first)."""
    bodies = {b.name: b for b in pkg.bodies}
    r_body: dict[str, float] = {}
    l_body: dict[str, float] = {}
    pads_by_net: dict[str, set[str]] = {}
    for p in pkg.pads:
        pads_by_net.setdefault(p.net, set()).add(p.name)
    out: list[PinPath] = []
    for net in pkg.nets:
        if net.name not in nets:
            continue
        adj = net_graph(pkg, net, s, bodies, r_body, l_body)
        terms = sorted(n for n in adj if n in bodies and bodies[n].role in TERMINAL_ROLES)
        for t in terms:
            pp = cheapest_path(t, adj, pads_by_net.get(net.name, set()), r_body, l_body, net.name)
            parts = tuple(reversed(pp.parts)) if not pp.open else (t,)
            c = _centre(bodies[t])
            out.append(PinPath(pin_name(t), net.name, t, parts, (c[0], c[1])))
    return out


@dataclass(frozen=True)
class Layout:
    """The segments of a set of pins and the signed incidence of segments on pins.

    ``incidence[k, i]`` is +1 (or -1) when pin ``i``'s current, pad to terminal, runs
    along (against) segment ``k``; 0 when segment ``k`` is not on pin ``i``'s path.
    ``owner_pin[k]`` is the pin that owns segment ``k`` for the capacitance (the first
    pin whose path uses it).
    """

    pins: tuple[PinPath, ...]
    segs: tuple[Seg, ...]
    incidence: NDArray[np.float64]
    owner_pin: NDArray[np.int64]


def layout(pkg: Package, paths: list[PinPath], s: Settings) -> Layout:
    """Lay out every part on the pins' paths once and orient each along each path that uses it."""
    bodies = {b.name: b for b in pkg.bodies}
    routes = {route_node(rt): (rt, n.name) for n in pkg.nets for rt in n.routes}
    pads = {p.name: p for p in pkg.pads}
    segs: list[Seg] = []
    index: dict[str, list[int]] = {}
    for path in paths:
        for part in path.parts:
            if part in index:
                continue
            if part in routes:
                rt, net = routes[part]
                new = route_segments(rt, net, bodies, s)
            elif part in bodies:
                new = body_segments(bodies[part], pkg)
            else:
                new = []
            index[part] = list(range(len(segs), len(segs) + len(new)))
            segs.extend(new)
    inc = np.zeros((len(segs), len(paths)))
    owner = np.full(len(segs), -1, dtype=np.int64)
    for i, path in enumerate(paths):
        cursor = _start_point(path, pads, bodies)
        for part in path.parts:
            ks = index.get(part, [])
            if not ks:
                continue
            chain = [segs[k] for k in ks]
            start, end = chain[0].a, chain[-1].b
            sign = 1.0 if cursor is None or _dist(cursor, start) <= _dist(cursor, end) else -1.0
            for k in ks:
                inc[k, i] = sign
                if owner[k] < 0:
                    owner[k] = i
            cursor = end if sign > 0 else start
    return Layout(tuple(paths), tuple(segs), inc, owner)


def _dist(p: Vec3, q: Vec3) -> float:
    return math.dist(p, q)


def _start_point(path: PinPath, pads: dict[str, Pad], bodies: dict[str, Body]) -> Vec3 | None:
    """Where the path's current enters: the die pad (on its die's face nearest the first part)."""
    pad = pads.get(path.parts[0]) if path.parts else None
    if pad is None:
        return None
    xy = pad.xy
    die = bodies.get(pad.die)
    if die is None:
        return None
    bb = die.solid.bbox
    first = next((bodies[p] for p in path.parts[1:] if p in bodies), None)
    z = bb.hi[2]
    if first is not None and first.solid.bbox.hi[2] <= bb.lo[2] + 1e-9:
        z = bb.lo[2]  # a face-down die: its pads look down
    return (xy[0], xy[1], z)
