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
from types import MappingProxyType

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
