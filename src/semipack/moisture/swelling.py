"""Hygroscopic swelling as a load for a warpage model: a free strain per material.

Moisture swells a polymer by ``beta * C`` (``beta = CHS / rho``), a free (stress-free)
strain like thermal expansion, so a thermo-mechanical model takes it as an extra
eigenstrain per material, or, where its CTE is constant over the step, as an extra
temperature rise ``strain / CTE`` of that material alone. `hygroscopic_load` gives
both, volume-averaged over each material after a soak (the moisture is far from
uniform inside a material; the mean is what a plate or a coarse FE model can use).

References
----------
Wong, Rajoo, Koh, Lim, "The mechanics and impact of hygroscopic swelling of polymeric
materials in electronic packaging", J. Electron. Packag. 124(2), 122 (2002).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from semipack.materials import MaterialLibrary
from semipack.model import Package
from semipack.moisture.analysis import MaterialSwelling, moisture_analysis
from semipack.moisture.conditions import Exposure, Level


def hygroscopic_load(
    pkg: Package, level: Level | Exposure = Level.L3, *, resolution: float = 0.5
) -> Mapping[str, MaterialSwelling]:
    """Material key -> mean hygroscopic strain (and its equivalent temperature rise) after ``level``'s soak.

    Impermeable materials are absent (no swelling). The equivalent temperature rise uses
    the CTE at the soak temperature.
    """
    res = moisture_analysis(pkg, level, resolution=resolution)
    return MappingProxyType({s.material: s for s in res.swelling})


def with_swelling(pkg: Package, load: Mapping[str, MaterialSwelling]) -> Package:
    """``pkg`` with each swelling material carrying its hygroscopic strain (`Material.swelling_strain`).

    A warpage model then adds the strain to the material's free strain at every
    temperature (`semipack.mechanics.laminate.initial_strain`): the package as it enters
    reflow straight from the soak, the moisture lost during the profile's minutes
    neglected (it leaves the outer tenths of a millimetre first; the mean strain is an
    upper bound).
    """
    table = dict(pkg.materials.materials)
    for key, s in load.items():
        if key in table and s.strain != 0.0:
            table[key] = replace(table[key], swelling_strain=s.strain)
    lib = MaterialLibrary(MappingProxyType(table), pkg.materials.sources)
    return replace(pkg, materials=lib, validate=False)
