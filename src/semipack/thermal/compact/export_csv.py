"""A compact network as CSV, one element per row, for network blocks (Icepak and similar tools).

Columns: ``element`` (node, R, C), ``name``, ``node1``, ``node2``, ``value``, ``unit``,
``classes``. Nodes list their surface area (m^2) and the surface classes they stand
for; resistors join two nodes (K/W); Cauer capacitors join a node to ``0`` (the
ambient reference, J/K).
"""

from __future__ import annotations

import csv
import io

from semipack.thermal.compact.network import CompactNetwork, elements


def csv_text(net: CompactNetwork) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["element", "name", "node1", "node2", "value", "unit", "classes"])
    w.writerow(["node", "J", "", "", "", "", "junction"])
    for s in net.surfaces:
        w.writerow(
            ["node", s.name, "", "", f"{sum(s.area_m2.values()):.9g}", "m^2", "+".join(c.value for c in s.classes)]
        )
    res, caps = elements(net)
    for name, a, b, r in res:
        w.writerow(["R", name, a, b, f"{r:.9g}", "K/W", "cauer" if name.startswith("RC") else ""])
    for name, a, c in caps:
        w.writerow(["C", name, a, "0", f"{c:.9g}", "J/K", "cauer"])
    return out.getvalue()
