"""Wire-bond and flip-chip connections on a laminate substrate, and the BGA ball field.

Shared by the spreader BGA (000) and the exposed-sink package on a substrate (003):
die pads around the die edge (or an area array of bumps), bond fingers or bump lands
on the substrate top, ball lands and balls below, and nets that run pad -> wire/tape/
bump -> land -> (substrate routing) -> ball land -> ball.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from semipack.families.common import GridSite, body, require
from semipack.families.parts import Callout, ball_land, ball_on_land, bond_finger, bond_wire
from semipack.geometry import Wire
from semipack.model import Body, Net, NetKind, Pad, Role, Route
from semipack.units import mm


@dataclass(frozen=True)
class EdgePad:
    """A pad on the die edge with its outward normal."""

    name: str
    x: float
    y: float
    nx: int
    ny: int
    net: str
    kind: NetKind


def pad_kind(k: int) -> NetKind:
    """Every eighth pad is power, every eighth (offset by four) ground, the rest signals."""
    return NetKind.POWER if k % 8 == 1 else NetKind.GROUND if k % 8 == 5 else NetKind.SIGNAL


def net_for(k: int, kind: NetKind) -> str:
    return "VDD" if kind is NetKind.POWER else "VSS" if kind is NetKind.GROUND else f"S{k}"


def edge_pads(die: str, die_size: float, per_side: int, inset: float, corner_keepout: float) -> list[EdgePad]:
    """``per_side`` pads on each die edge, counter-clockwise from the bottom (-y) edge."""
    hd = die_size / 2
    span = die_size - 2 * corner_keepout
    pitch = span / per_side
    out = []
    k = 0
    for side in range(4):
        for i in range(per_side):
            s = -span / 2 + (i + 0.5) * pitch
            px, py, nx, ny = [
                (s, -hd + inset, 0, -1),
                (hd - inset, s, 1, 0),
                (-s, hd - inset, 0, 1),
                (-hd + inset, -s, -1, 0),
            ][side]
            k += 1
            kind = pad_kind(k)
            out.append(EdgePad(f"{die}.pad{k}", px, py, nx, ny, net_for(k, kind), kind))
    return out


def bond_pads(
    die_size: float, per_side: int, inset: float, corner_keepout: float, min_pitch: float, why: str = ""
) -> list[EdgePad]:
    """`edge_pads` of die ``die``, refusing (as ``pads_per_side``) a pad pitch not above ``min_pitch``."""
    pads = edge_pads("die", die_size, per_side, inset, corner_keepout)
    pitch = (die_size - 2 * corner_keepout) / per_side
    require(pitch > min_pitch, "pads_per_side", per_side, f"pad pitch {mm(pitch)} is too fine{why}")
    return pads


@dataclass(frozen=True)
class Connection:
    """What joins a pad to the substrate: the connector body and the land it ends on."""

    pad: str
    connector: str
    land: str


def wire_bonds(
    pads: list[EdgePad],
    die_size: float,
    z_die_top: float,
    z_sub_top: float,
    finger_offset: float,
    land_thickness: float,
    *,
    diameter: float,
    loop_height: float,
    material: str,
    numeral: int,
    finger_numeral: int,
    tape: tuple[float, float] | None = None,
) -> tuple[list[Body], list[Connection]]:
    """Bond fingers on a ring ``finger_offset`` outside the die, and a wire (or tape) per pad.

    With ``tape=(width, thickness)`` the connectors are conductive adhesive tapes draped
    over the die edge instead of wires.
    """
    hd = die_size / 2
    ring = hd + finger_offset
    fan = ring / hd
    pitch = min(
        (math.hypot(a.x - b.x, a.y - b.y) for a, b in itertools.pairwise(pads) if a.nx == b.nx and a.ny == b.ny),
        default=1e-3,
    )
    finger_w = min(pitch * fan * 0.5, 0.15e-3)
    finger = Callout(finger_numeral, "bond finger")
    bodies: list[Body] = []
    conns: list[Connection] = []
    for k, pd in enumerate(pads, start=1):
        fx = pd.x * fan if pd.nx == 0 else pd.nx * ring
        fy = pd.y * fan if pd.ny == 0 else pd.ny * ring
        fsx, fsy = (finger_w, 0.3e-3) if pd.nx == 0 else (0.3e-3, finger_w)
        fname = f"finger{k}"
        bodies.append(bond_finger(fname, (fsx, fsy), (fx, fy), z_sub_top, land_thickness, finger, pd.net))
        if tape is None:
            cname = f"wire{k}"
            ends = ((pd.x, pd.y, z_die_top), (fx, fy, z_sub_top + land_thickness))
            bodies.append(
                bond_wire(cname, ends, loop_height, diameter, material, Callout(numeral, "bonding wire"), pd.net)
            )
        else:
            w, t = tape
            inset = max(hd - abs(pd.x if pd.nx else pd.y), 0.0)
            edge = (pd.x + pd.nx * (inset + t), pd.y + pd.ny * (inset + t))
            solid = Wire(
                (
                    (pd.x, pd.y, z_die_top + t / 2),
                    (edge[0], edge[1], z_die_top + t / 2),
                    (fx, fy, z_sub_top + land_thickness + t / 2),
                ),
                w,
                t,
            )
            cname = f"tape{k}"
            bodies.append(body(cname, Role.TAPE, material, solid, numeral, "conductive adhesive tape", net=pd.net))
        conns.append(Connection(pd.name, cname, fname))
    return bodies, conns


def ball_field(
    sites: list[GridSite],
    z_land_top: float,
    land_thickness: float,
    ball_diameter: float,
    land_diameter: float,
    material: str,
    ball_numeral: int,
    land_numeral: int,
    nets: dict[str, str],
    label: str = "solder ball",
    mask: float = 0.0,
) -> list[Body]:
    """Ball lands under the substrate and a reflowed ball on each; ``mask``: the bottom solder
    mask's thickness, whose openings the lands fill (`ball_land`)."""
    out = []
    land_callout, ball_callout = Callout(land_numeral, "ball land"), Callout(ball_numeral, label)
    for s in sites:
        net = nets.get(s.name)
        out.append(ball_land(s.name, (s.x, s.y), z_land_top, land_thickness, land_diameter, land_callout, net, mask))
        d = (ball_diameter, land_diameter)
        out.append(ball_on_land(s.name, (s.x, s.y), z_land_top - land_thickness, d, material, ball_callout, net=net))
    return out


def assign_balls(pads: list[EdgePad], sites: list[GridSite], perimeter_rows: int, field: str) -> dict[str, str]:
    """Give each signal a perimeter ball (evenly in angle); the rest alternate VDD/VSS; inner balls VSS."""
    perim = sorted((s for s in sites if s.ring < perimeter_rows), key=lambda s: math.atan2(s.y, s.x))
    signals = sorted((p for p in pads if p.kind is NetKind.SIGNAL), key=lambda p: math.atan2(p.y, p.x))
    require(
        len(perim) >= len(signals) + 2,
        field,
        perimeter_rows,
        f"{len(perim)} perimeter balls cannot serve {len(signals)} signals plus power and ground",
    )
    out: dict[str, str] = {}
    used: set[int] = set()
    if signals:
        a0 = math.atan2(signals[0].y, signals[0].x)
        start = min(range(len(perim)), key=lambda i: abs(math.atan2(perim[i].y, perim[i].x) - a0))
        for j, pd in enumerate(signals):
            idx = (start + round(j * len(perim) / len(signals))) % len(perim)
            while idx in used:
                idx = (idx + 1) % len(perim)
            used.add(idx)
            out[perim[idx].name] = pd.net
    toggle = 0
    for i, s in enumerate(perim):
        if i not in used:
            out[s.name] = "VDD" if toggle % 2 == 0 else "VSS"
            toggle += 1
    for s in sites:
        if s.ring >= perimeter_rows:
            out[s.name] = "VSS"
    return out


def substrate_nets(
    pads: list[EdgePad],
    conns: list[Connection],
    ball_nets: dict[str, str],
    bodies: list[Body],
    substrate: str,
    substrate_thickness: float,
) -> list[Net]:
    """Nets pad -> connector -> land, routed through the substrate to the ball lands and balls."""
    index = {b.name: b for b in bodies}

    def centre(name: str) -> tuple[float, float]:
        bb = index[name].solid.bbox
        return ((bb.lo[0] + bb.hi[0]) / 2, (bb.lo[1] + bb.hi[1]) / 2)

    def route(a: str, b: str) -> Route:
        (xa, ya), (xb, yb) = centre(a), centre(b)
        return Route(a, b, (substrate,), abs(xa - xb) + abs(ya - yb) + substrate_thickness)

    by_pad = {c.pad: c for c in conns}
    balls_by_net: dict[str, list[str]] = {}
    for site, net in ball_nets.items():
        balls_by_net.setdefault(net, []).append(site)
    pads_by_net: dict[str, list[EdgePad]] = {}
    for pd in pads:
        pads_by_net.setdefault(pd.net, []).append(pd)
    nets = []
    for net_name, members in pads_by_net.items():
        balls = balls_by_net.get(net_name, [])
        edges: list[tuple[str, str]] = []
        routes: list[Route] = []
        for pd in members:
            c = by_pad[pd.name]
            edges += [(pd.name, c.connector), (c.connector, c.land)]
            if balls:
                routes.append(route(c.land, f"land_{balls[0]}"))
        for b in balls:
            edges.append((f"land_{b}", f"ball_{b}"))
            if b != balls[0]:
                routes.append(route(f"land_{balls[0]}", f"land_{b}"))
        nets.append(Net(net_name, members[0].kind, tuple(edges), tuple(routes)))
    return nets


def pads_of(pads: list[EdgePad], die: str, size: float) -> tuple[Pad, ...]:
    return tuple(Pad(p.name, die, (p.x, p.y), size, p.net) for p in pads)


def area_array_balls(edges_by_net: dict[str, list[tuple[str, str]]], sites: list[GridSite]) -> dict[str, str]:
    """Balls for a flip-chip area array: one per signal from the outside in, the rest VDD/VSS."""
    order = sorted(sites, key=lambda s: (s.ring, math.atan2(s.y, s.x)))
    signals = [n for n in edges_by_net if n not in ("VDD", "VSS")]
    require(
        len(order) >= len(signals) + 2,
        "ball_pitch",
        len(order),
        f"{len(order)} balls cannot serve {len(signals)} signals",
    )
    out: dict[str, str] = {}
    for s, net in zip(order, signals, strict=False):
        out[s.name] = net
    rest = order[len(signals) :]
    for i, s in enumerate(rest):
        out[s.name] = "VDD" if i % 2 == 0 else "VSS"
    return out


def area_array_nets(
    edges_by_net: dict[str, list[tuple[str, str]]],
    ball_nets: dict[str, str],
    bodies: list[Body],
    substrate: str,
    substrate_thickness: float,
) -> list[Net]:
    """Nets pad -> bump -> bump land, routed through the substrate to ball land and ball."""
    index = {b.name: b for b in bodies}

    def centre(name: str) -> tuple[float, float]:
        bb = index[name].solid.bbox
        return ((bb.lo[0] + bb.hi[0]) / 2, (bb.lo[1] + bb.hi[1]) / 2)

    balls_by_net: dict[str, list[str]] = {}
    for site, net in ball_nets.items():
        balls_by_net.setdefault(net, []).append(site)
    nets = []
    for net, edges in edges_by_net.items():
        kind = NetKind.POWER if net == "VDD" else NetKind.GROUND if net == "VSS" else NetKind.SIGNAL
        balls = balls_by_net.get(net, [])
        routes = []
        lands = [b for _, b in edges if index[b].role is Role.LAND]
        all_edges = list(edges)
        for ln in lands:
            if balls:
                (xa, ya), (xb, yb) = centre(ln), centre(f"land_{balls[0]}")
                routes.append(
                    Route(ln, f"land_{balls[0]}", (substrate,), abs(xa - xb) + abs(ya - yb) + substrate_thickness)
                )
        for b in balls:
            all_edges.append((f"land_{b}", f"ball_{b}"))
            if b != balls[0]:
                (xa, ya), (xb, yb) = centre(f"land_{balls[0]}"), centre(f"land_{b}")
                routes.append(Route(f"land_{balls[0]}", f"land_{b}", (substrate,), abs(xa - xb) + abs(ya - yb)))
        nets.append(Net(net, kind, tuple(all_edges), tuple(routes)))
    return nets


def wire_section_y(bodies: list[Body], partner: Role, tolerance: float) -> float:
    """A cut through a bond wire in profile that also cuts the terminal row it is routed near.

    Among wires starting on the die's -x edge, pick the one whose start y lies closest to
    the centre y of a ``partner`` body (balls, leads); the cut at that wire's y shows
    die, wire, finger or lead, and balls. Falls back to the nearest terminal row.
    """
    ys = sorted({round((b.solid.bbox.lo[1] + b.solid.bbox.hi[1]) / 2, 9) for b in bodies if b.role is partner}, key=abs)
    starts = [b.solid.points[0][1] for b in bodies if b.role in (Role.WIRE, Role.TAPE) and b.solid.points[0][0] < 0]  # type: ignore[union-attr]
    # Nearest the centre line first, so features on the axis (a concave, a die centre) are cut too.
    best = min(((abs(y), abs(y - t), y) for y in starts for t in ys if abs(y - t) < tolerance), default=None)
    if best is not None:
        return best[2]
    return ys[0] if ys else 0.0
