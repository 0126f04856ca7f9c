"""Saturated water vapour: the pressure over liquid water and the vapour's density.

References
----------
Wagner and Pruss, "International equations for the saturation properties of ordinary
water substance. Revised according to the international temperature scale of 1990",
J. Phys. Chem. Ref. Data 22, 783 (1993): eq. (2.5) (the IAPWS auxiliary equation for
the vapour pressure, 273.16 K to the critical point 647.096 K, 22.064 MPa).
"""

from __future__ import annotations

import math

T_CRIT_K = 647.096
P_CRIT_PA = 22.064e6
M_WATER_KG_MOL = 18.015268e-3  # IAPWS-95 molar mass
R_J_MOLK = 8.314462618  # CODATA 2018 molar gas constant

_A = (-7.85951783, 1.84408259, -11.7866497, 22.6807411, -15.9618719, 1.80122502)
_N = (1.0, 1.5, 3.0, 3.5, 4.0, 7.5)


def saturation_pressure_pa(temperature_k: float) -> float:
    """Vapour pressure of water at ``temperature_k`` (Pa), Wagner and Pruss (1993) eq. (2.5).

    ``ln(p / pc) = (Tc / T) * sum(a_i * tau**n_i)`` with ``tau = 1 - T / Tc``.
    Valid from the triple point (273.16 K) to the critical point; outside it raises.
    """
    if not 273.15 <= temperature_k <= T_CRIT_K:
        raise ValueError(f"saturation pressure is defined from 273.16 K to {T_CRIT_K} K, got {temperature_k}")
    tau = 1.0 - temperature_k / T_CRIT_K
    s = sum(a * tau**n for a, n in zip(_A, _N, strict=True))
    return P_CRIT_PA * math.exp(T_CRIT_K / temperature_k * s)


def vapour_density_kg_m3(pressure_pa: float, temperature_k: float) -> float:
    """Density of water vapour as an ideal gas (kg/m^3): p M / (R T)."""
    return pressure_pa * M_WATER_KG_MOL / (R_J_MOLK * temperature_k)
