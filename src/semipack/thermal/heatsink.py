"""A parametric plate-fin heat sink on the package top, in forced air.

The sink's base and the TIM2 under it are bodies of the model (they spread heat as the
grid resolves them); the fins enter as one effective film coefficient on the base's top
face, from the channel-flow correlation of Teertstra, Yovanovich and Culham for plate
fins in ducted flow (no bypass) and the straight-fin efficiency:

- fin spacing b = (W - N t) / (N - 1), channel velocity V_ch = V (b + t) / b;
- channel Reynolds number Re_b* = (V_ch b / nu) (b / L);
- Nu_b = [ (Re_b* Pr / 2)^-3 + (0.664 Re_b*^1/2 Pr^1/3 (1 + 3.65 / Re_b*^1/2)^1/2)^-3 ]^-1/3,
  h = Nu_b k / b (fully developed flow at low Re_b*, developing flow at high);
- fin efficiency eta = tanh(m H) / (m H), m = (2 h / (k_fin t))^1/2 (adiabatic tip);
- per unit base area, h_eff = h (2 N eta H + (N - 1) b) / W.

References
----------
Teertstra, Yovanovich, Culham, "Analytical forced convection modeling of plate fin heat
sinks", J. Electronics Manufacturing 10(4), 253-261 (2000) (composite Nusselt number,
eq. 11). Incropera et al., Fundamentals of Heat and Mass Transfer, 6th ed., section 3.6.4
(straight fin of uniform cross-section, adiabatic tip).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from semipack.errors import DesignError
from semipack.thermal.convection import air


@dataclass(frozen=True)
class PlateFinSink:
    """A plate-fin heat sink: base, fins along the air flow (x), TIM2 between it and the package.

    Lengths in m; ``material`` and ``tim_material`` are library keys.
    """

    base_x_m: float = 30e-3
    base_y_m: float = 30e-3
    base_thickness_m: float = 3e-3
    fins: int = 12
    fin_height_m: float = 15e-3
    fin_thickness_m: float = 1.0e-3
    material: str = "al"
    tim_thickness_m: float = 50e-6
    tim_material: str = "thermal_glue"

    def __post_init__(self) -> None:
        for name in ("base_x_m", "base_y_m", "base_thickness_m", "fin_height_m", "fin_thickness_m", "tim_thickness_m"):
            v = getattr(self, name)
            if not 0 < v < 1.0:
                raise DesignError(f"heat_sink.{name}", v, "a length between 0 and 1 m")
        if not 2 <= self.fins <= 500:
            raise DesignError("heat_sink.fins", self.fins, "2 to 500 fins")
        if not self.fins * self.fin_thickness_m < self.base_y_m:
            raise DesignError(
                "heat_sink.fins", self.fins, f"{self.fins} fins of {self.fin_thickness_m * 1e3:g} mm do not fit across the base"
            )

    @property
    def spacing_m(self) -> float:
        return (self.base_y_m - self.fins * self.fin_thickness_m) / (self.fins - 1)


def channel_nusselt(re_star: float, pr: float) -> float:
    """Teertstra et al. (2000) composite Nusselt number of a plate-fin channel (eq. 11)."""
    developed = re_star * pr / 2
    developing = 0.664 * math.sqrt(re_star) * pr ** (1 / 3) * math.sqrt(1 + 3.65 / math.sqrt(re_star))
    return float((developed**-3 + developing**-3) ** (-1 / 3))


def fin_efficiency(h: float, k_fin: float, thickness: float, height: float) -> float:
    """Straight rectangular fin with an adiabatic tip: tanh(mH) / (mH)."""
    mh = math.sqrt(2 * h / (k_fin * thickness)) * height
    return math.tanh(mh) / mh if mh > 0 else 1.0


def channel_h(sink: PlateFinSink, speed_m_s: float, t_film_k: float = 300.0) -> float:
    """The channels' film coefficient (W/m^2/K) at approach speed ``speed_m_s``."""
    if not speed_m_s > 0:
        raise DesignError("air_speed", speed_m_s, "a heat sink needs a positive air speed")
    k, nu, alpha = air(t_film_k)
    b, t, length = sink.spacing_m, sink.fin_thickness_m, sink.base_x_m
    v_ch = speed_m_s * (b + t) / b
    re_star = v_ch * b / nu * (b / length)
    return channel_nusselt(re_star, nu / alpha) * k / b


def effective_h(sink: PlateFinSink, speed_m_s: float, k_fin: float, t_film_k: float = 300.0) -> float:
    """Film coefficient on the base's top that stands for the fins and the channels' floor."""
    h = channel_h(sink, speed_m_s, t_film_k)
    eta = fin_efficiency(h, k_fin, sink.fin_thickness_m, sink.fin_height_m)
    n, b = sink.fins, sink.spacing_m
    return h * (2 * n * eta * sink.fin_height_m + (n - 1) * b) / sink.base_y_m
