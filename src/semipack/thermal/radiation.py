"""Surface emissivity per cell, for linearised radiation from exposed faces.

JESD51-2A still air includes radiation to the enclosure walls. Each exposed face
radiates with the emissivity of the material that owns its cell: the material's own
``emissivity`` where the library gives one (with its source), else a category default
(`CATEGORY_EMISSIVITY`: 0.1 for metals and solders, plated or lightly oxidised; 0.65
for semiconductors; 0.9 for polymers, adhesives, laminates and glass). An environment may instead
set one emissivity for every surface, or 0 to switch radiation off.

References
----------
Incropera, DeWitt, Bergman, Lavine, Fundamentals of Heat and Mass Transfer, 6th ed.,
2007, section 12.3 and eq. 1.9 (h_r = eps sigma (Ts + Tsur)(Ts^2 + Tsur^2)); Table A.11
(total emissivities: polished metals 0.02-0.1, oxidised 0.3-0.8, non-metals 0.8-0.95).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from semipack.materials import Category, Material
from semipack.model import Package

CATEGORY_EMISSIVITY: dict[Category, float] = {
    Category.METAL: 0.1,
    Category.SOLDER: 0.1,
    Category.SEMICONDUCTOR: 0.65,
    Category.POLYMER: 0.9,
    Category.ADHESIVE: 0.9,
    Category.LAMINATE: 0.9,
    Category.GLASS: 0.9,
    Category.GAS: 0.0,
}


def emissivity_of(m: Material) -> float:
    """The material's emissivity, or its category's default."""
    return m.emissivity if m.emissivity is not None else CATEGORY_EMISSIVITY[m.category]


def cell_emissivity(pkg: Package, owner: NDArray[np.int32], override: float | None) -> NDArray[np.float64]:
    """Per cell, the emissivity of its owner's material (``override`` everywhere when given); 0 in voids."""
    if override is not None:
        return np.where(owner >= 0, override, 0.0)
    table = np.array([emissivity_of(pkg.materials[b.material]) for b in pkg.bodies] + [0.0])
    out: NDArray[np.float64] = table[np.where(owner < 0, len(pkg.bodies), owner)]
    return out
