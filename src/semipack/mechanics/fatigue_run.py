"""One solder-fatigue assessment as a result: a chamber or power cycle, an optional field cycle
and Weibull lives, everything the ``fatigue`` command reports (`to_dict` for JSON).

References
----------
Engelmaier, W., "Fatigue life of leadless chip carrier solder joints during power cycling",
IEEE Trans. CHMT 6(3), 1983 (the model in :mod:`semipack.mechanics.fatigue`).
JESD22-A104, Temperature cycling (the chamber conditions in :mod:`semipack.mechanics.profiles`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from semipack.errors import DesignError
from semipack.mechanics.fatigue import ExponentLaw, FatigueResult, solder_fatigue
from semipack.mechanics.power_cycling import PowerSwing
from semipack.mechanics.profiles import Cycle
from semipack.model import Package

LIFE_FRACTIONS = (0.01, 0.10, 0.50)  # the package lives reported with a Weibull slope
DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class FatigueRun:
    """The test (or power) cycle's lives per ball; with a power cycle its temperature swing;
    with a Weibull slope the package's lives at :data:`LIFE_FRACTIONS`; with a field cycle its life."""

    result: FatigueResult
    swing: PowerSwing | None = None
    weibull_slope: float | None = None
    package_lives: tuple[tuple[float, float], ...] = ()  # (fraction failed, cycles)
    field: FatigueResult | None = None

    @property
    def cycle(self) -> Cycle:
        return self.result.cycle

    @property
    def field_years_min(self) -> float | None:
        """Years in the field to the first ball's median life (None without a field cycle)."""
        if self.field is None:
            return None
        return self.field.worst.cycles / self.field.cycle.cycles_per_day / DAYS_PER_YEAR

    @property
    def acceleration_factor(self) -> float | None:
        """Field life over test life of the worst ball (None without a field cycle)."""
        return None if self.field is None else self.field.worst.cycles / self.result.worst.cycles

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values in SI units (K, s, m; lives in cycles)."""
        r, cyc = self.result, self.cycle
        out: dict[str, Any] = {
            "cycle": cyc.title,
            "t_min_k": cyc.t_min_k,
            "t_max_k": cyc.t_max_k,
            "dwell_s": cyc.dwell_s,
        }
        if self.swing is not None:
            s = self.swing
            out |= {
                "power_w": s.power_w,
                "component_swing_k": s.component_swing_k,
                "board_swing_k": s.board_swing_k,
                "joints_on_k": s.joints_on_k,
                "tj_max_k": s.tj_max_k,
            }
        out |= {
            "exponent_law": r.law.value,
            "package_cte_per_k": r.package_cte_per_k,
            "joint_height_m": r.joint_height_m,
            "exponent_c": r.exponent,
            "cycles_to_failure_min": r.worst.cycles,
            "worst_ball": r.worst.name,
        }
        if self.weibull_slope is not None:
            out["weibull_slope"] = self.weibull_slope
        out |= {f"package_cycles_to_failure_{round(f * 100)}pct": n for f, n in self.package_lives}
        if self.field is not None:
            out |= {
                "field_cycle": self.field.cycle.title,
                "field_cycles_to_failure_min": self.field.worst.cycles,
                "field_years_min": self.field_years_min,
                "acceleration_factor": self.acceleration_factor,
            }
        out["balls"] = [
            {
                "ball": b.name,
                "x_m": b.x_m,
                "y_m": b.y_m,
                "dnp_m": b.dnp_m,
                "strain_range": b.strain_range,
                "cycles_to_failure": b.cycles,
            }
            for b in r.balls
        ]
        return out


def check_power_cycle(power_w: float, ambient_k: float) -> None:
    """The power-cycling model's range: (0, 1000] W at an ambient from 200 K to 400 K."""
    if not 0 < power_w <= 1000:
        raise DesignError("power_w", power_w, "must lie in (0 W, 1000 W]")
    if not 200 <= ambient_k <= 400:
        raise DesignError("ambient_k", ambient_k, "must lie between -73 C and 127 C")


def fatigue_run(
    pkg: Package,
    cycle: Cycle | None = None,
    *,
    power_w: float | None = None,
    ambient_k: float = 298.15,
    dwell_s: float = 900.0,
    cycles_per_day: float = 24.0,
    law: ExponentLaw = ExponentLaw.DWELL,
    weibull_slope: float | None = None,
    field: Cycle | None = None,
) -> FatigueRun:
    """Solder-joint lives of ``pkg`` under a temperature ``cycle`` or, with ``power_w``, under power
    cycling on the JEDEC 2s2p board in still air (``dwell_s`` and ``cycles_per_day`` then set the cycle).

    ``cycle`` and ``power_w`` exclude each other; without either the caller gives a cycle.
    ``weibull_slope`` (0.5 to 20) adds the package's weakest-link lives; ``field`` adds the life
    under a field cycle and its acceleration factor.
    """
    if weibull_slope is not None and not 0.5 <= weibull_slope <= 20:
        raise DesignError("weibull_slope", str(weibull_slope), "must lie in [0.5, 20]")
    swing = None
    if power_w is not None:
        if cycle is not None:
            raise DesignError("power_w", power_w, "power cycling replaces the temperature cycle: give one of them")
        check_power_cycle(power_w, ambient_k)
        from semipack.mechanics.power_cycling import power_swing
        from semipack.thermal.environment import Environment

        swing = power_swing(pkg, power_w, Environment(ambient_k=ambient_k))
        cycle = swing.cycle(dwell_s, cycles_per_day)
    elif cycle is None:
        raise DesignError("cycle", None, "a temperature cycle or a power (power_w)")
    r = solder_fatigue(pkg, cycle, law=law)
    lives = tuple((f, r.package_cycles(weibull_slope, f)) for f in LIFE_FRACTIONS) if weibull_slope is not None else ()
    f_r = solder_fatigue(pkg, field, law=law) if field is not None else None
    return FatigueRun(r, swing, weibull_slope, lives, f_r)
