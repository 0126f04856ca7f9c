"""VRML 2.0 (``.wrl``) at KiCad's scale, one coloured Shape per body.

KiCad reads VRML models in units of 0.1 inch (2.54 mm) per VRML unit; its own
library models are written that way, so a model exported here drops onto the
footprint from `semipack.export.kicad` with scale 1.

References
----------
ISO/IEC 14772-1:1997, The Virtual Reality Modeling Language (VRML97).
KiCad documentation, "3D models": VRML units of 0.1 inch.
"""

from __future__ import annotations

import re

from semipack.export.parts import Part

#: metres per VRML unit for KiCad (0.1 inch)
KICAD_VRML_UNIT_M = 2.54e-3


def _def_name(name: str) -> str:
    # VRML identifiers may not start with a digit or hold spaces, quotes or dots.
    ident = re.sub(r"[^A-Za-z0-9_]", "_", name)
    return ident if ident and not ident[0].isdigit() else "b_" + ident


def vrml(parts: tuple[Part, ...], offset: tuple[float, float, float], unit_m: float = KICAD_VRML_UNIT_M) -> str:
    """The VRML text of ``parts``, shifted by ``offset`` (metres), in units of ``unit_m``."""
    out = ["#VRML V2.0 utf8", "# semipack: one Shape per package body; units of 0.1 inch (KiCad)", ""]
    for p in parts:
        r, g, b, a = p.color
        m = p.mesh.transformed(1.0 / unit_m, (offset[0], offset[1], offset[2]))
        pts = ",".join(f"{x:.6g} {y:.6g} {z:.6g}" for x, y, z in m.vertices)
        idx = ",".join(f"{i},{j},{k},-1" for i, j, k in m.faces)
        out.append(
            f"DEF {_def_name(p.name)} Shape {{\n"
            f"  appearance Appearance {{ material Material {{ diffuseColor {r:.3f} {g:.3f} {b:.3f} "
            f"transparency {1 - a:.3f} }} }}\n"
            f"  geometry IndexedFaceSet {{ solid TRUE\n"
            f"    coord Coordinate {{ point [{pts}] }}\n"
            f"    coordIndex [{idx}] }}\n}}"
        )
    return "\n".join(out) + "\n"
