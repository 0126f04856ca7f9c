"""Warpage over a temperature profile as one result: the curve, its JEDEC / JEITA limit checks
and (FE) the solved states, everything the ``warpage`` command reports (`to_dict` for JSON).

References
----------
JESD22-B112B, Package warpage measurement of surface-mount integrated circuits at elevated
temperature (the sign and the coplanarity in :mod:`semipack.mechanics.warpage_sign`).
JEITA ED-7306, Measurement methods of package warpage at elevated temperature and the maximum
permissible warpage (the limits in :mod:`semipack.mechanics.warpage_limits`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from semipack.mechanics.warpage import WarpageMethod, WarpagePoint, limit_checks, warpage_curve
from semipack.mechanics.warpage_sign import SIGN_NOTE
from semipack.model import Package

if TYPE_CHECKING:
    from semipack.mechanics.fe import FeResult
    from semipack.mechanics.warpage_limits import LimitCheck
    from semipack.moisture import Level

UM = 1e6  # metres -> micrometres, the unit warpage is reported in


@dataclass(frozen=True)
class WarpageRun:
    """The curve at every profile temperature, its limit checks, and the FE states by temperature
    (rounded to 1e-6 K; empty for the plate method)."""

    method: WarpageMethod
    stress_free_k: float
    points: tuple[WarpagePoint, ...]
    checks: tuple[LimitCheck, ...]
    moisture_level: str | None = None
    fe: dict[float, FeResult] = field(default_factory=dict, repr=False, compare=False)

    @property
    def warpage_max_m(self) -> float:
        """The signed warpage of largest size over the profile."""
        return max((p.warpage_m for p in self.points), key=abs)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values: temperatures in K, warpage and coplanarity in um."""
        return {
            "method": self.method.value,
            "stress_free_k": self.stress_free_k,
            "moisture_level": self.moisture_level,
            "sign": SIGN_NOTE,
            "points": [
                {
                    "temperature_k": p.temperature_k,
                    "warpage_um": p.warpage_m * UM,
                    "coplanarity_um": p.coplanarity_m * UM,
                }
                for p in self.points
            ],
            "warpage_um": self.warpage_max_m * UM,
            "limits": [
                {
                    "standard": c.limit.standard,
                    "concave_um": -c.limit.concave_m * UM,
                    "convex_um": c.limit.convex_m * UM,
                    "pass": c.passes,
                    "worst_temperature_k": c.worst_temperature_k,
                    "worst_warpage_um": c.worst_warpage_m * UM,
                    "source": c.limit.source,
                    "ball_height_um": None if c.limit.ball_height_m is None else c.limit.ball_height_m * UM,
                }
                for c in self.checks
            ],
        }


def warpage_run(
    pkg: Package,
    temperatures_k: Sequence[float],
    stress_free_k: float,
    method: WarpageMethod = WarpageMethod.FE,
    resolution: float = 0.5,
    cure_shrinkage: float = 0.0,
    moisture_level: Level | None = None,
) -> WarpageRun:
    """Warpage of ``pkg`` at each of ``temperatures_k`` from ``stress_free_k``, checked against the
    tabulated limits; with ``moisture_level`` the hygroscopic swelling after that J-STD-020 soak is added.
    ``cure_shrinkage`` (FE only) is an extra mould shrinkage on top of the material's own."""
    if moisture_level is not None:
        from semipack.moisture import hygroscopic_load, with_swelling

        pkg = with_swelling(pkg, hygroscopic_load(pkg, moisture_level))
    points, fe = warpage_curve(pkg, temperatures_k, stress_free_k, method, resolution, cure_shrinkage)
    level = None if moisture_level is None else moisture_level.value
    return WarpageRun(method, stress_free_k, points, limit_checks(pkg, points), level, fe)
