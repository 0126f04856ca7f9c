"""Nets as graphs: connectivity (opens, shorts), each pad's path to its terminal, and its R and L.

Each net's graph joins the parts the model says touch (its edges) and the routes it
runs through a laminate. A pad's path to the board is the cheapest path (in
resistance) to a terminal of its net; its resistance is the sum of the end-to-end
resistances of the bodies and routes along it, a series model that is exact for chains
(wire, finger, route, land, ball) and conservative where the path crosses a plane.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable
from dataclasses import dataclass

from semipack.electrical import formulas as fm
from semipack.electrical.conductors import Settings, inductance, resistance_or_zero, route_resistance
from semipack.model import Body, Package, Role
from semipack.model.body import Net, Route
from semipack.model.roles import CONDUCTOR_ROLES, TERMINAL_ROLES


@dataclass(frozen=True)
class PadPath:
    """A die pad's cheapest path to a terminal of its net."""

    net: str
    pad: str
    terminal: str | None
    parts: tuple[str, ...]
    resistance_ohm: float
    inductance_h: float

    @property
    def open(self) -> bool:
        return self.terminal is None


@dataclass(frozen=True)
class NetSummary:
    name: str
    kind: str
    pads: int
    terminals: int
    bodies: int
    r_min_ohm: float
    r_max_ohm: float
    open_pads: tuple[str, ...]


@dataclass(frozen=True)
class Connectivity:
    """Every net's paths and the opens and shorts found."""

    paths: tuple[PadPath, ...]
    nets: tuple[NetSummary, ...]
    opens: tuple[str, ...]
    shorts: tuple[str, ...]


def analyse(pkg: Package, settings: Settings | None = None) -> Connectivity:
    """Paths, resistances and inductances of every die pad, with the opens and shorts."""
    s = settings or Settings()
    bodies = {b.name: b for b in pkg.bodies}
    r_body: dict[str, float] = {}
    l_body: dict[str, float] = {}
    paths: list[PadPath] = []
    summaries: list[NetSummary] = []
    opens: list[str] = []
    pads_by_net: dict[str, list[str]] = {}
    for p in pkg.pads:
        pads_by_net.setdefault(p.net, []).append(p.name)
    for net in pkg.nets:
        adj = net_graph(pkg, net, s, bodies, r_body, l_body)
        terminals = {n for n in adj if n in bodies and bodies[n].role in TERMINAL_ROLES}
        rs: list[float] = []
        net_open: list[str] = []
        for pad in pads_by_net.get(net.name, []):
            pp = _cheapest(pad, adj, terminals, r_body, l_body, net.name)
            paths.append(pp)
            if pp.open:
                net_open.append(pad)
            else:
                rs.append(pp.resistance_ohm)
        opens += net_open
        summaries.append(
            NetSummary(
                net.name,
                net.kind.value,
                len(pads_by_net.get(net.name, [])),
                len(terminals),
                sum(1 for n in adj if n in bodies),
                min(rs) if rs else math.nan,
                max(rs) if rs else math.nan,
                tuple(net_open),
            )
        )
    return Connectivity(tuple(paths), tuple(summaries), tuple(opens), tuple(_shorts(pkg)))


Graph = dict[str, list[tuple[str, float, float]]]


def net_graph(
    pkg: Package,
    net: Net,
    s: Settings,
    bodies: dict[str, Body],
    r_body: dict[str, float],
    l_body: dict[str, float],
) -> Graph:
    """One net's graph: node -> [(neighbour, edge R, edge L)]; fills ``r_body``/``l_body`` for its conductors.

    Route ``a -> b`` becomes the mid node ``route:a->b`` carrying the route's R and L.
    """
    adj: Graph = {}

    def link(a: str, b: str, r: float, ind: float) -> None:
        adj.setdefault(a, []).append((b, r, ind))
        adj.setdefault(b, []).append((a, r, ind))

    present = set(bodies) | {p.name for p in pkg.pads}
    for a, b in net.edges:
        if a in present and b in present:  # a part the model lacks breaks the net
            link(a, b, 0.0, 0.0)
    for rt in net.routes:
        if rt.a not in present or rt.b not in present:
            continue
        mid = route_node(rt)
        link(
            rt.a,
            mid,
            route_resistance(rt.length_m, s),
            fm.l_bar(max(rt.length_m, 1e-6), s.route_width_m, s.route_thickness_m),
        )
        link(mid, rt.b, 0.0, 0.0)
    for n in adj:
        if n in bodies and n not in r_body and bodies[n].role in CONDUCTOR_ROLES:
            r_body[n] = resistance_or_zero(bodies[n], pkg, s.temperature_of(n))
            l_body[n] = inductance(bodies[n])
    return adj


def route_node(rt: Route) -> str:
    """The graph node of a route through a laminate."""
    return f"route:{rt.a}->{rt.b}"


def cheapest_path(
    start: str, adj: Graph, targets: set[str], r_body: dict[str, float], l_body: dict[str, float], net: str
) -> PadPath:
    """The least-resistance path from ``start`` to any of ``targets`` (Dijkstra), as a `PadPath`."""
    return _cheapest(start, adj, targets, r_body, l_body, net)


def _cheapest(
    pad: str,
    adj: dict[str, list[tuple[str, float, float]]],
    terminals: set[str],
    r_body: dict[str, float],
    l_body: dict[str, float],
    net: str,
) -> PadPath:
    if pad not in adj:
        return PadPath(net, pad, None, (), math.nan, math.nan)
    best: dict[str, float] = {pad: 0.0}
    ind: dict[str, float] = {pad: 0.0}
    prev: dict[str, str] = {}
    heap = [(0.0, pad)]
    while heap:
        d, n = heapq.heappop(heap)
        if d > best.get(n, math.inf):
            continue
        if n in terminals:
            parts = [n]
            while parts[-1] in prev:
                parts.append(prev[parts[-1]])
            return PadPath(net, pad, n, tuple(reversed(parts)), d, ind[n])
        for m, r_edge, l_edge in adj.get(n, []):
            nd = d + r_edge + r_body.get(m, 0.0)
            if nd < best.get(m, math.inf):
                best[m] = nd
                ind[m] = ind[n] + l_edge + l_body.get(m, 0.0)
                prev[m] = n
                heapq.heappush(heap, (nd, m))
    return PadPath(net, pad, None, (), math.nan, math.nan)


def _shorts(pkg: Package) -> Iterable[str]:
    from semipack.model.validate import _check_overlaps

    return [m for m in _check_overlaps(pkg) if m.startswith("short:")]


def pin_map(pkg: Package, conn: Connectivity) -> list[dict[str, object]]:
    """One row per terminal: name, position (m), net, net kind and the die pads it serves."""
    kinds = {n.name: n.kind.value for n in pkg.nets}
    served: dict[str, list[str]] = {}
    for p in conn.paths:
        if p.terminal:
            served.setdefault(p.terminal, []).append(p.pad)
    rows = []
    for b in pkg.bodies:
        if b.role in TERMINAL_ROLES:
            bb = b.solid.bbox
            rows.append(
                {
                    "terminal": b.name,
                    "x_m": round((bb.lo[0] + bb.hi[0]) / 2, 9),
                    "y_m": round((bb.lo[1] + bb.hi[1]) / 2, 9),
                    "net": b.net or "",
                    "kind": kinds.get(b.net or "", "unconnected"),
                    "pads": " ".join(sorted(served.get(b.name, []))),
                }
            )
    return rows


__all__ = ["Connectivity", "NetSummary", "PadPath", "Role", "analyse", "cheapest_path", "net_graph", "pin_map", "route_node"]
