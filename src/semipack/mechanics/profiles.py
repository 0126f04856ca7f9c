"""Temperature profiles: the J-STD-020 reflow profile and the JESD22-A104 cycling conditions.

References
----------
IPC/JEDEC J-STD-020E, Moisture/Reflow Sensitivity Classification for Nonhermetic
Surface Mount Devices (2014), Table 5-2: Pb-free profile, preheat 150-200 C,
liquidus 217 C, peak (package body) 260 C for thin, small packages.
JEDEC JESD22-A104 (temperature cycling), Table 1: test conditions by their minimum and
maximum temperatures; soak modes 1-4: at least 1, 5, 10 or 15 minutes at each extreme
(the soak times as I recall the standard's table: not re-checked against its text).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


def _k(c: float) -> float:
    return c + 273.15


# Temperatures (C) a warpage study visits along the Pb-free reflow profile: every 25 C
# as a shadow-moire run steps through it, plus the profile's landmarks (SnPb eutectic 183,
# SAC liquidus 217, 230, peak 260), heating then cooling back.
REFLOW_HEATING_C: tuple[float, ...] = (25, 50, 75, 100, 125, 150, 175, 183, 200, 217, 230, 245, 260)
REFLOW_C: tuple[float, ...] = REFLOW_HEATING_C + REFLOW_HEATING_C[-2::-1]


def reflow_profile_k() -> tuple[float, ...]:
    return tuple(_k(c) for c in REFLOW_C)


class CycleCondition(Enum):
    """JESD22-A104 temperature cycling conditions (minimum, maximum in C)."""

    A = "A"
    B = "B"
    C = "C"
    G = "G"
    J = "J"
    K = "K"
    N = "N"


_CONDITIONS: dict[CycleCondition, tuple[float, float]] = {
    CycleCondition.A: (-55.0, 85.0),
    CycleCondition.B: (-55.0, 125.0),
    CycleCondition.C: (-65.0, 150.0),
    CycleCondition.G: (-40.0, 125.0),
    CycleCondition.J: (0.0, 100.0),
    CycleCondition.K: (0.0, 125.0),
    CycleCondition.N: (-40.0, 85.0),
}


class SoakMode(Enum):
    """JESD22-A104 soak modes: the minimum time the load spends at each extreme."""

    MODE_1 = "1"
    MODE_2 = "2"
    MODE_3 = "3"
    MODE_4 = "4"

    @property
    def minutes(self) -> float:
        return {"1": 1.0, "2": 5.0, "3": 10.0, "4": 15.0}[self.value]


@dataclass(frozen=True)
class Cycle:
    """One temperature cycle: its extremes, its dwell at each extreme (the half-cycle dwell
    of Engelmaier's exponent, s) and its rate (cycles per day, for the 1983 exponent)."""

    t_min_k: float
    t_max_k: float
    cycles_per_day: float = 24.0  # one cycle an hour, typical of JESD22-A104 chambers
    label: str = ""
    dwell_s: float = SoakMode.MODE_4.minutes * 60.0
    # Under power cycling the component and the board swing by different amounts (K);
    # None: both follow the chamber through swing_k.
    component_swing_k: float | None = None
    board_swing_k: float | None = None

    @property
    def title(self) -> str:
        """The label with the dwell, as reports print it."""
        return f"{self.label}, dwell {self.dwell_s / 60:g} min"

    @property
    def swing_k(self) -> float:
        return self.t_max_k - self.t_min_k

    @property
    def component_k(self) -> float:
        return self.swing_k if self.component_swing_k is None else self.component_swing_k

    @property
    def board_k(self) -> float:
        return self.swing_k if self.board_swing_k is None else self.board_swing_k

    @property
    def mean_c(self) -> float:
        return 0.5 * (self.t_min_k + self.t_max_k) - 273.15


def condition(c: CycleCondition, soak: SoakMode = SoakMode.MODE_4) -> Cycle:
    """A JESD22-A104 condition with the dwell of its soak mode (mode 4, 15 min, by default:
    the dwell Zhang et al. 2014 used with Engelmaier's model for SAC305 BGAs)."""
    lo, hi = _CONDITIONS[c]
    return Cycle(_k(lo), _k(hi), 24.0, f"JESD22-A104 condition {c.value} ({lo:g} C to {hi:g} C)", soak.minutes * 60.0)
