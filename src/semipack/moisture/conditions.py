"""Moisture conditions: J-STD-020 soak levels, J-STD-033 bake-out and the reflow time profile.

References
----------
IPC/JEDEC J-STD-020E (2014), Table 5-1, moisture sensitivity levels: level 1 soaks
168 h at 85 C/85 %RH, level 2 168 h at 85 C/60 %RH, levels 2a-5a at 30 C/60 %RH for
the floor life plus a manufacturer's exposure time of 24 h: 2a 696 h (4 weeks + 24 h),
3 192 h, 4 96 h, 5 72 h, 5a 48 h. The accelerated equivalents at 60 C/60 %RH (2a 120 h,
3 40 h, 4 20 h, 5 15 h, 5a 10 h) are as recalled from the same table (for mould
compounds with a diffusion activation energy of 0.40-0.48 eV): not re-checked against
the text. Section 5.3: parts are baked dry (125 C, 24 h minimum) before the soak.
J-STD-020E Table 5-2 and Figure 5-1: Pb-free profile, preheat 150-200 C in 60-120 s,
ramp up to 3 C/s, 60-150 s above the 217 C liquidus, 30 s within 5 C of the peak, ramp
down at most 6 C/s, at most 8 min from 25 C to the peak. Table 4-2: package
classification (peak) temperature by body thickness and volume (260 C below 1.6 mm;
245-260 C for thicker, larger bodies; the break points as recalled from the table, not
re-checked against its text). `semipack.mechanics.profiles` lists the profile's
temperatures only; the times here are this module's.
IPC/JEDEC J-STD-033D (2018), Table 4-1: bake-out of mounted-level parts at 125 C (e.g.
9 h for a <= 1.4 mm thick MSL 3 part saturated at 30 C/85 %RH; as reproduced at
eesemi.com/baketables.htm).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from semipack.errors import DesignError

HOUR = 3600.0


def _k(c: float) -> float:
    return c + 273.15


@dataclass(frozen=True)
class Exposure:
    """A constant ambient for a time: temperature (K), relative humidity (0-1), duration (s)."""

    temperature_k: float
    rh: float
    duration_s: float
    label: str = ""

    def __post_init__(self) -> None:
        if not 0.0 <= self.rh <= 1.0:
            raise DesignError("rh", f"{self.rh * 100:g} %", "relative humidity from 0 % to 100 %")
        if self.duration_s < 0:
            raise DesignError("duration", f"{self.duration_s / HOUR:g} h", "a soak or bake time of 0 h or more")
        if not 273.15 <= self.temperature_k <= 600.0:
            raise DesignError("temperature", f"{self.temperature_k - 273.15:g} C", "0 C to 326 C")


class Level(Enum):
    """J-STD-020 moisture sensitivity levels (level 6, 'time on label', has no fixed soak)."""

    L1 = "1"
    L2 = "2"
    L2A = "2a"
    L3 = "3"
    L4 = "4"
    L5 = "5"
    L5A = "5a"

    @classmethod
    def parse(cls, text: str, field: str = "level") -> Level:
        for lv in cls:
            if lv.value == str(text).strip().lower():
                return lv
        raise DesignError(field, text, f"a J-STD-020 level: {', '.join(lv.value for lv in cls)}")


# level -> (temperature C, RH, hours)
_SOAK: dict[Level, tuple[float, float, float]] = {
    Level.L1: (85.0, 0.85, 168.0),
    Level.L2: (85.0, 0.60, 168.0),
    Level.L2A: (30.0, 0.60, 696.0),
    Level.L3: (30.0, 0.60, 192.0),
    Level.L4: (30.0, 0.60, 96.0),
    Level.L5: (30.0, 0.60, 72.0),
    Level.L5A: (30.0, 0.60, 48.0),
}
_ACCELERATED: dict[Level, float] = {Level.L2A: 120.0, Level.L3: 40.0, Level.L4: 20.0, Level.L5: 15.0, Level.L5A: 10.0}


def soak(level: Level, accelerated: bool = False) -> Exposure:
    """The J-STD-020 soak of ``level`` (its 60 C/60 %RH equivalent with ``accelerated``)."""
    if accelerated and level in _ACCELERATED:
        return Exposure(_k(60.0), 0.60, _ACCELERATED[level] * HOUR, f"level {level.value} (accelerated 60 C/60 %RH)")
    t, rh, h = _SOAK[level]
    return Exposure(_k(t), rh, h * HOUR, f"level {level.value} ({t:g} C/{rh * 100:g} %RH, {h:g} h)")


def bake(hours: float, temperature_c: float = 125.0) -> Exposure:
    """A J-STD-033 bake (dry oven, RH taken as 0)."""
    return Exposure(_k(temperature_c), 0.0, hours * HOUR, f"bake {temperature_c:g} C, {hours:g} h")


# The ambient water vapour during reflow: the factory's 30 C/60 %RH (an oven at 260 C
# is dry relative to steam saturation, so this is about zero activity).
FACTORY_C = 30.0
FACTORY_RH = 0.60


def peak_temperature_c(thickness_m: float, volume_m3: float) -> float:
    """J-STD-020E Table 4-2 Pb-free package classification temperature (C)."""
    vol_mm3 = volume_m3 * 1e9
    t_mm = thickness_m * 1e3
    col = 0 if vol_mm3 < 350 else (1 if vol_mm3 <= 2000 else 2)
    if t_mm < 1.6:
        return 260.0
    if t_mm < 2.5:
        return (260.0, 250.0, 245.0)[col]
    return (250.0, 245.0, 245.0)[col]


def reflow_profile(peak_c: float = 260.0) -> tuple[tuple[float, float], ...]:
    """(time s, temperature C) corners of a J-STD-020 Pb-free profile to ``peak_c``.

    25 -> 150 C at 2 C/s, preheat 150 -> 200 C in 100 s, 200 -> 217 C at 2 C/s, up to
    the peak at 2 C/s with 30 s within 5 C of it, back to 217 C (about 100 s above it in
    all) and down to 25 C at 4 C/s: within the J-STD-020 limits listed in the module notes.
    """
    pts = [(0.0, 25.0), (62.5, 150.0), (162.5, 200.0), (171.0, 217.0)]
    t = 171.0 + (peak_c - 5.0 - 217.0) / 2.0
    pts.append((t, peak_c - 5.0))
    pts.append((t + 15.0, peak_c))
    pts.append((t + 30.0, peak_c - 5.0))
    t2 = t + 30.0 + (peak_c - 5.0 - 217.0) / 2.0
    pts.append((t2, 217.0))
    pts.append((t2 + (217.0 - 25.0) / 4.0, 25.0))
    return tuple(pts)
