"""Film coefficients for natural and forced convection of air, and linearised radiation.

Air properties are interpolated in Incropera Table A.4 (1 atm) at the film temperature.

References
----------
Incropera, DeWitt, Bergman, Lavine, Fundamentals of Heat and Mass Transfer, 6th ed.,
Wiley 2007: Table A.4 (air); eq. 9.26 (Churchill-Chu, vertical plate); eqs. 9.30-9.32
(horizontal plates, upper and lower surfaces; characteristic length L = A/P); eq. 7.30
(laminar flat plate, average Nusselt number); eq. 1.9 (linearised radiation).
"""

from __future__ import annotations

import math
from enum import Enum

import numpy as np

SIGMA = 5.670374419e-8  # Stefan-Boltzmann, W/m^2/K^4 (CODATA 2018)
G = 9.80665

# Incropera Table A.4: T (K), k (W/m/K), nu (m^2/s), alpha (m^2/s).
_T = np.array([250.0, 300.0, 350.0, 400.0])
_K = np.array([22.3e-3, 26.3e-3, 30.0e-3, 33.8e-3])
_NU = np.array([11.44e-6, 15.89e-6, 20.92e-6, 26.41e-6])
_ALPHA = np.array([15.9e-6, 22.5e-6, 29.9e-6, 38.3e-6])


class Orientation(Enum):
    UP = "up"  # upper surface of a hot horizontal plate
    DOWN = "down"  # lower surface of a hot horizontal plate
    VERTICAL = "vertical"


def air(t_film_k: float) -> tuple[float, float, float]:
    """(k, nu, alpha) of air at the film temperature (Incropera Table A.4)."""
    return (
        float(np.interp(t_film_k, _T, _K)),
        float(np.interp(t_film_k, _T, _NU)),
        float(np.interp(t_film_k, _T, _ALPHA)),
    )


def natural_h(orientation: Orientation, length_m: float, t_surface_k: float, t_ambient_k: float) -> float:
    """Average natural-convection coefficient (W/m^2/K) of a plate in still air."""
    dt = max(t_surface_k - t_ambient_k, 1e-3)
    k, nu, alpha = air((t_surface_k + t_ambient_k) / 2)
    beta = 2.0 / (t_surface_k + t_ambient_k)  # ideal gas, 1/T_film
    ra = G * beta * dt * length_m**3 / (nu * alpha)
    pr = nu / alpha
    if orientation is Orientation.UP:
        nu_l = 0.54 * ra**0.25 if ra < 1e7 else 0.15 * ra ** (1 / 3)
    elif orientation is Orientation.DOWN:
        nu_l = 0.52 * ra**0.2
    else:
        nu_l = (0.825 + 0.387 * ra ** (1 / 6) / (1 + (0.492 / pr) ** (9 / 16)) ** (8 / 27)) ** 2
    return float(nu_l * k / length_m)


def forced_h(speed_m_s: float, length_m: float, t_film_k: float = 300.0) -> float:
    """Average laminar flat-plate coefficient (W/m^2/K), Nu = 0.664 Re^1/2 Pr^1/3."""
    k, nu, alpha = air(t_film_k)
    re = speed_m_s * length_m / nu
    return float(0.664 * math.sqrt(re) * (nu / alpha) ** (1 / 3) * k / length_m)


def radiation_h(emissivity: float, t_surface_k: float, t_ambient_k: float) -> float:
    """Linearised radiation coefficient to large surroundings: eps sigma (Ts + Ta)(Ts^2 + Ta^2)."""
    return emissivity * SIGMA * (t_surface_k + t_ambient_k) * (t_surface_k**2 + t_ambient_k**2)
