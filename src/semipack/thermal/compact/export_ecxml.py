"""A compact network as ECXML-style XML (JEDEC JEP181's exchange format for thermal models).

JEP181's XML schema was not available offline when this was written, so the file is
checked by a structure test (`tests/test_compact.py`), not by the schema: one
``compactModel`` holding its ``nodes`` (the junction and the surface nodes, with their
areas and surface classes) and its ``resistors`` (and ``capacitors`` for a Cauer
ladder), every value with its unit attribute. Validate against the official schema
before exchanging files with a tool that requires it.

References
----------
JEDEC JEP181A (2023), ECXML guidelines for electronic thermal system level models -
XML requirements (scope: a neutral XML exchange of thermal models).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import semipack
from semipack.thermal.compact.network import CompactNetwork, elements

NAMESPACE = "urn:semipack:ecxml-compact:1"


def ecxml_tree(net: CompactNetwork) -> ET.Element:
    root = ET.Element(
        "ECXML", {"xmlns": NAMESPACE, "generator": f"semipack {getattr(semipack, '__version__', '')}".strip()}
    )
    model = ET.SubElement(
        root,
        "compactModel",
        {"name": net.name, "type": net.model, "standard": "JESD15-3" if net.model == "2R" else "JESD15-4"},
    )
    notes = ET.SubElement(model, "notes")
    for n in net.notes:
        ET.SubElement(notes, "note").text = n
    nodes = ET.SubElement(model, "nodes")
    ET.SubElement(nodes, "node", {"name": "J", "type": "junction"})
    for s in net.surfaces:
        ET.SubElement(
            nodes,
            "node",
            {
                "name": s.name,
                "type": "surface",
                "area": f"{sum(s.area_m2.values()):.9g}",
                "areaUnit": "m^2",
                "classes": " ".join(c.value for c in s.classes),
            },
        )
    rs, cs = elements(net)
    for k in range(1, len(cs)):
        ET.SubElement(nodes, "node", {"name": f"NC{k}", "type": "internal"})
    res = ET.SubElement(model, "resistors")
    for name, a, b, r in rs:
        ET.SubElement(res, "resistor", {"name": name, "node1": a, "node2": b, "value": f"{r:.9g}", "unit": "K/W"})
    if cs:
        caps = ET.SubElement(model, "capacitors")
        for name, a, c in cs:
            ET.SubElement(
                caps, "capacitor", {"name": name, "node1": a, "node2": "ambient", "value": f"{c:.9g}", "unit": "J/K"}
            )
    return root


def ecxml_text(net: CompactNetwork) -> str:
    root = ecxml_tree(net)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
