"""SPICE export: one RLC subcircuit per net, pad to terminal.

Each die pad's path becomes a series R and L from the pad node to its terminal node;
build-up traces over the metal substrate or die add their microstrip capacitance to
ground (node 0) at the terminal end. Values are SI; node names are sanitised.
"""

from __future__ import annotations

import re

from semipack.electrical import formulas as fm
from semipack.electrical.nets import Connectivity, PadPath
from semipack.electrical.passives import _height_over_ground
from semipack.geometry import Trace
from semipack.model import Package, Role


def _node(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def spice_netlist(pkg: Package, conn: Connectivity) -> str:
    bodies = {b.name: b for b in pkg.bodies}
    lines = [f"* semipack: package {pkg.name} ({pkg.family}), one subcircuit per net", "* R in ohm, L in H, C in F"]
    by_net: dict[str, list[PadPath]] = {}
    for p in conn.paths:
        by_net.setdefault(p.net, []).append(p)
    kinds = {n.name: n.kind.value for n in pkg.nets}
    for net, paths in by_net.items():
        ports = []
        for p in paths:
            ports.append(_node(p.pad))
            if p.terminal:
                ports.append(_node(p.terminal))
        ports = list(dict.fromkeys(ports))
        lines.append(f"* net {net} ({kinds.get(net, '')})")
        lines.append(f".subckt NET_{_node(net)} {' '.join(ports)}")
        for k, p in enumerate(paths, start=1):
            if not p.terminal:
                lines.append(f"* {p.pad}: open (no path to a terminal)")
                continue
            mid = f"m{k}"
            lines.append(f"R{k} {_node(p.pad)} {mid} {p.resistance_ohm:.6g}")
            lines.append(f"L{k} {mid} {_node(p.terminal)} {max(p.inductance_h, 1e-15):.6g}")
            cap = 0.0
            for part in p.parts:
                b = bodies.get(part)
                if b is not None and b.role is Role.TRACE and isinstance(b.solid, Trace):
                    h, eps = _height_over_ground(b, pkg)
                    length = sum(
                        ((a[0] - c[0]) ** 2 + (a[1] - c[1]) ** 2) ** 0.5
                        for a, c in zip(b.solid.points[:-1], b.solid.points[1:], strict=True)
                    )
                    cap += fm.microstrip_lc(b.solid.width, h, eps)[1] * length
            if cap > 0:
                lines.append(f"C{k} {_node(p.terminal)} 0 {cap:.6g}")
        lines.append(f".ends NET_{_node(net)}")
    lines.append(".end")
    return "\n".join(lines) + "\n"
