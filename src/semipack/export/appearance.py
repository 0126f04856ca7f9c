"""Display colours for 3D exports and the report's viewer: per material, else per material class.

Colours are conventions for telling bodies apart (copper-coloured copper, gold gold,
near-black mould, green laminate), not optical data, so they carry no source.
"""

from __future__ import annotations

from semipack.materials import Category, Material

RGBA = tuple[float, float, float, float]

_BY_KEY: dict[str, RGBA] = {
    "si": (0.30, 0.32, 0.40, 1.0),
    "cu_rolled": (0.85, 0.50, 0.28, 1.0),
    "cu_plated": (0.88, 0.55, 0.33, 1.0),
    "au": (0.95, 0.78, 0.25, 1.0),
    "au_stud": (0.95, 0.78, 0.25, 1.0),
    "al": (0.80, 0.82, 0.85, 1.0),
    "ni": (0.70, 0.70, 0.66, 1.0),
    "cr": (0.75, 0.77, 0.80, 1.0),
    "ag": (0.86, 0.86, 0.88, 1.0),
    "mold_compound": (0.13, 0.13, 0.15, 0.55),
    "mold_compound_high_k": (0.18, 0.16, 0.14, 0.55),
    "glob_top": (0.13, 0.13, 0.15, 0.55),
    "bt_laminate": (0.20, 0.45, 0.25, 1.0),
    "bt_core": (0.22, 0.42, 0.22, 1.0),
    "fr4": (0.25, 0.50, 0.25, 1.0),
    "fr5": (0.25, 0.50, 0.25, 1.0),
    "polyimide_film": (0.85, 0.55, 0.15, 0.85),
    "polyimide_thinfilm": (0.85, 0.60, 0.20, 0.85),
    "borosilicate": (0.75, 0.85, 0.90, 0.35),
    "ircut_glass": (0.55, 0.70, 0.90, 0.40),
}

_BY_CATEGORY: dict[Category, RGBA] = {
    Category.SEMICONDUCTOR: (0.30, 0.32, 0.40, 1.0),
    Category.METAL: (0.78, 0.70, 0.60, 1.0),
    Category.SOLDER: (0.72, 0.74, 0.76, 1.0),
    Category.POLYMER: (0.55, 0.45, 0.30, 0.8),
    Category.ADHESIVE: (0.80, 0.80, 0.70, 1.0),
    Category.LAMINATE: (0.20, 0.45, 0.25, 1.0),
    Category.GLASS: (0.75, 0.85, 0.90, 0.35),
    Category.GAS: (1.0, 1.0, 1.0, 0.1),
}


def color_of(material: Material) -> RGBA:
    """RGBA in 0..1 for a material (alpha < 1 for encapsulants and glass, so the inside shows)."""
    return _BY_KEY.get(material.key, _BY_CATEGORY[material.category])
