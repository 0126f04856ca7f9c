"""A compact network as a SPICE thermal subcircuit (temperature as voltage, power as current).

The thermal-electrical analogy: node voltages are temperatures (K above the reference
node 0, the ambient), currents are heat flows (W), resistors are K/W and capacitors
J/K. The subcircuit's ports are the junction and the surface nodes; the user connects
the surface nodes to the environment (film resistors 1/(hA), a board model) and drives
the junction with a current source of the die's power. Where the network carries the
Cauer ladder of its junction impedance, the ladder replaces the junction's link to the
case node (capacitors to node 0, as a Cauer network has them).

References
----------
Nagel, "SPICE2: a computer program to simulate semiconductor circuits", UCB/ERL M520
(1975) (netlist syntax: R, C elements, .SUBCKT/.ENDS).
JEDEC JESD51-14 (2010), annex on Cauer networks and structure functions.
"""

from __future__ import annotations

import re

from semipack.thermal.compact.network import CompactNetwork, elements


def _node(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", name).upper()


def spice_text(net: CompactNetwork) -> str:
    """The subcircuit as text (one .SUBCKT, ports J and the surface nodes)."""
    ports = [_node(n) for n in net.nodes]
    sub = _node(f"{net.name}_{net.model}")
    lines = [f"* semipack compact thermal model: {net.model} of {net.name}"]
    lines += [f"* {n}" for n in net.notes]
    lines += [
        "* Thermal analogy: V = temperature rise (K), I = heat flow (W), R in K/W, C in J/K; node 0 = ambient.",
        "* Ports: J = junction; "
        + ", ".join(
            f"{_node(s.name)} = {'+'.join(c.value for c in s.classes)} ({sum(s.area_m2.values()):.4g} m^2)"
            for s in net.surfaces
        ),
        f".SUBCKT {sub} {' '.join(ports)}",
    ]
    res, caps = elements(net)
    lines += [f"{name} {_node(a)} {_node(b)} {r:.9g}" for name, a, b, r in res]
    lines += [f"{name} {_node(a)} 0 {c:.9g}" for name, a, c in caps]
    lines += [f".ENDS {sub}", ""]
    return "\n".join(lines)
