"""The package on the thermal grid as a moisture domain: cells, their materials and data.

Reuses `semipack.thermal.grid.make_grid` and `semipack.thermal.raster.rasterize`: every
body face is a grid plane and each cell takes the material of the body that owns it;
cells no body owns (around the balls, beside leads) are the surrounding air.
Bodies too small to resolve (wires, small vias) are left out: they are metal and hold
no water.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from semipack.materials.library import Category
from semipack.model import Package
from semipack.moisture.properties import TABLE, MoistureProperties, Permeability, permeability
from semipack.moisture.solver import Array, Domain
from semipack.thermal.grid import GridStyle, make_grid
from semipack.thermal.raster import rasterize


@dataclass(frozen=True)
class PackageDomain:
    """A package's moisture domain.

    Attributes
    ----------
    domain
        The grid with capacities and ambient cells.
    owner
        Body index per cell (-1: air).
    material
        Index into ``perms`` per cell (-1: air).
    perms
        Moisture data of each material the package uses.
    """

    domain: Domain
    owner: NDArray[np.int32]
    material: NDArray[np.int32]
    perms: tuple[Permeability, ...]

    def permeance(self, temperature_k: float) -> Array:
        """``D K`` per cell at ``temperature_k`` (0 for air and impermeable cells)."""
        table = np.array([p.permeance(temperature_k) for p in self.perms] + [0.0])
        out: Array = table[self.material]
        return out

    def beta(self) -> Array:
        """Hygroscopic swelling coefficient per cell (m^3/kg)."""
        table = np.array([p.beta_m3_kg for p in self.perms] + [0.0])
        out: Array = table[self.material]
        return out


def package_domain(
    pkg: Package, resolution: float = 0.5, table: Mapping[str, MoistureProperties] | None = None
) -> PackageDomain:
    """Rasterise ``pkg`` on its thermal grid and attach moisture data to every cell."""
    grid = make_grid(pkg, resolution, style=GridStyle.FACES, layer_rules=False)
    fields = rasterize(pkg, grid, constriction=False, round_sub_points=1)
    keys = sorted({b.material for b in pkg.bodies})
    perms = tuple(permeability(k, pkg.materials[k], pkg.materials, table or TABLE) for k in keys)
    slot = {k: i for i, k in enumerate(keys)}
    body_slot = np.array([slot[b.material] for b in pkg.bodies] + [-1], dtype=np.int32)
    owner = fields.owner
    material = body_slot[np.where(owner < 0, len(pkg.bodies), owner)]
    gas = np.array([pkg.materials[k].category is Category.GAS for k in keys] + [True])
    ambient = gas[np.where(material < 0, len(keys), material)]
    cap_table = np.array([p.capacity_kg_m3 for p in perms] + [0.0])
    capacity = cap_table[material]
    return PackageDomain(Domain(grid, capacity, ambient), owner, material.astype(np.int32), perms)
