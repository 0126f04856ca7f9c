"""SPICE export: one RLC subcircuit per net, pad to terminal; and the coupled model of an extraction.

Each die pad's path becomes a series R and L from the pad node to its terminal node;
build-up traces over the metal substrate or die add their microstrip capacitance to
ground (node 0) at the terminal end. Values are SI; node names are sanitised.
"""

from __future__ import annotations

import re

import numpy as np

from semipack.electrical import formulas as fm
from semipack.electrical.nets import Connectivity, PadPath
from semipack.electrical.passives import _height_over_ground
from semipack.electrical.rlgc import Extraction
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


def coupled_spice(ext: Extraction, k_min: float = 0.01) -> str:
    """A SPICE subcircuit of every extracted pin with its couplings (R, L, K, C; node 0 the board plane).

    Each pin is R and L in series from ``P_<pin>`` (die pad) to ``T_<pin>`` (terminal),
    with half its capacitance to ground and to each neighbour at either end (a pi
    section). Inductive couplings ``K`` are written for |k| >= ``k_min`` and capacitive
    ones where they exceed ``k_min`` of the smaller pin's total; dropping the weakest
    couplings keeps the netlist readable and leaves the strongest intact.
    """
    n = len(ext.pins)
    node = [_node(p) for p in ext.pins]
    ports = " ".join(f"P_{m} T_{m}" for m in node)
    lines = [
        f"* semipack: coupled package model of {ext.package} ({n} pins); R ohm, L H, C F",
        f"* couplings below {k_min:g} (k = M/sqrt(L1 L2), Cc/C) left out",
        f".subckt PKG_{_node(ext.package)} {ports}",
    ]
    c = ext.c_f
    for i, m in enumerate(node):
        lines.append(f"R{m} P_{m} M_{m} {max(ext.r_dc_ohm[i, i], 1e-9):.6g}")
        lines.append(f"L{m} M_{m} T_{m} {max(ext.l_h[i, i], 1e-15):.6g}")
        cg = float(c[i].sum())  # capacitance to ground: the Maxwell row sum
        if cg > 0:
            lines.append(f"CGP{m} P_{m} 0 {cg / 2:.6g}")
            lines.append(f"CGT{m} T_{m} 0 {cg / 2:.6g}")
    diag = np.sqrt(np.maximum(np.diag(ext.l_h), 1e-300))
    for i in range(n):
        for j in range(i + 1, n):
            k = ext.l_h[i, j] / (diag[i] * diag[j])
            if abs(k) >= k_min:
                lines.append(f"K{node[i]}_{node[j]} L{node[i]} L{node[j]} {min(max(k, -0.999999), 0.999999):.6g}")
            cc = -c[i, j]
            if cc > k_min * min(c[i, i], c[j, j]):
                lines.append(f"CCP{node[i]}_{node[j]} P_{node[i]} P_{node[j]} {cc / 2:.6g}")
                lines.append(f"CCT{node[i]}_{node[j]} T_{node[i]} T_{node[j]} {cc / 2:.6g}")
    lines += [f".ends PKG_{_node(ext.package)}", ".end"]
    return "\n".join(lines) + "\n"
