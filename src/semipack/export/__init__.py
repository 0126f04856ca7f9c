"""Exports to other tools: CAD (STEP), meshes (GLB, STL), KiCad (footprint + VRML model), the pin table (CSV).

Each format is a plugin module; `render` picks one and returns the file's bytes, so the
caller (the CLI) writes them atomically. STEP needs build123d and GLB/STL need trimesh
(the ``cad`` extra); they are imported only when asked for.
"""

from __future__ import annotations

from enum import Enum

from semipack.export.kicad import Density
from semipack.model import Package


class Format(Enum):
    STEP = "step"
    GLB = "glb"
    STL = "stl"
    WRL = "wrl"
    KICAD = "kicad"
    PINS = "pins"


#: file name endings each format accepts (the first is the default)
SUFFIXES: dict[Format, tuple[str, ...]] = {
    Format.STEP: (".step", ".stp"),
    Format.GLB: (".glb",),
    Format.STL: (".stl",),
    Format.WRL: (".wrl",),
    Format.KICAD: (".kicad_mod",),
    Format.PINS: (".csv",),
}


def render(pkg: Package, fmt: Format, density: Density = Density.NOMINAL, segments: int = 32) -> bytes:
    """The bytes of ``pkg`` in ``fmt``: mm and the KiCad origin (centred, seating plane at z = 0)."""
    from semipack.export.parts import parts, seating_origin

    origin = seating_origin(pkg)
    if fmt is Format.KICAD:
        from semipack.export.kicad import footprint

        return footprint(pkg, density)[1].encode("utf-8")
    if fmt is Format.PINS:
        from semipack.export.pins import pin_csv

        return pin_csv(pkg)
    if fmt is Format.STEP:
        from semipack.export.step import step_bytes

        return step_bytes(pkg, origin)[0]
    meshes = parts(pkg, segments)
    if fmt is Format.WRL:
        from semipack.export.vrml import vrml

        return vrml(meshes, origin).encode("utf-8")
    from semipack.export.meshes import glb, stl

    return glb(meshes, origin) if fmt is Format.GLB else stl(meshes, origin)


__all__ = ["SUFFIXES", "Density", "Format", "render"]
