"""Power cycling: the component's and the board's temperature swings from the thermal engine.

Engelmaier wrote his model for power cycling, where the component heats itself and the
board only follows: the cyclic displacement a joint must absorb is set by

    Delta(alpha Delta T) = | alpha_s Delta T_s - alpha_c Delta T_c |

with alpha_s, Delta T_s the board's (substrate's) expansion and temperature swing and
alpha_c, Delta T_c the component's. Under chamber cycling both swings are equal; under
power cycling the hotter component's lower CTE is partly made up by its larger swing.

The swings come from one steady thermal solve with the power on (the on-dwell is taken
long enough to reach steady state) against the ambient with it off:

- Delta T_c: the volume mean over the package's conducting cells above its joints,
- Delta T_s: the volume mean over the board under the package's footprint,
- T_sj: the mean cyclic joint temperature, halfway between the ambient and the mean of
  the joints' cells with the power on.

References
----------
W. Engelmaier, "Fatigue life of leadless chip carrier solder joints during power
cycling", IEEE Trans. CHMT 6(3), 232-237 (1983): the displacement term above.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from semipack.errors import DesignError
from semipack.geometry import Ball
from semipack.mechanics.fatigue import solder_balls
from semipack.mechanics.profiles import Cycle
from semipack.model import Package
from semipack.thermal.environment import BoardKind, Environment
from semipack.thermal.steady import ThermalResult, solve_thermal


@dataclass(frozen=True)
class PowerSwing:
    """Temperatures (K) with the power on; with it off everything sits at the ambient."""

    power_w: float
    ambient_k: float
    component_on_k: float
    board_on_k: float
    joints_on_k: float
    tj_max_k: float

    @property
    def component_swing_k(self) -> float:
        return self.component_on_k - self.ambient_k

    @property
    def board_swing_k(self) -> float:
        return self.board_on_k - self.ambient_k

    def cycle(self, dwell_s: float, cycles_per_day: float = 24.0) -> Cycle:
        """The power cycle as Engelmaier's model reads it: the joints swing between the
        ambient and their on temperature, the component and board by their own swings."""
        return Cycle(
            self.ambient_k,
            self.joints_on_k,
            cycles_per_day,
            f"power cycling {self.power_w:g} W at {self.ambient_k - 273.15:g} C ambient",
            dwell_s,
            component_swing_k=self.component_swing_k,
            board_swing_k=self.board_swing_k,
        )


def _mean(t: np.ndarray, w: np.ndarray, mask: np.ndarray) -> float:
    return float(np.sum(t[mask] * w[mask]) / np.sum(w[mask]))


def swing_from(result: ThermalResult, pkg: Package) -> PowerSwing:
    """Read the swings off a steady solution of ``pkg`` mounted on its test board."""
    g = result.grid
    bb = pkg.bbox
    board_top = bb.lo[2]  # `with_board` seats the package on the board's top face
    xc, yc, zc = g.centers
    inside = ((xc >= bb.lo[0]) & (xc <= bb.hi[0]))[:, None, None] & ((yc >= bb.lo[1]) & (yc <= bb.hi[1]))[None, :, None]
    balls = [b.solid for b in solder_balls(pkg) if isinstance(b.solid, Ball)]
    joints_top = max(s.bbox.hi[2] for s in balls)
    vol = g.volumes()
    t = result.temperature_k
    component = inside & (zc > joints_top)[None, None, :] & result.conducting
    board = inside & (zc < board_top)[None, None, :] & result.conducting
    joint_t = [float(t[g.index(0, s.center[0]), g.index(1, s.center[1]), g.index(2, s.center[2])]) for s in balls]
    return PowerSwing(
        result.power_w,
        result.environment.ambient_k,
        _mean(t, vol, component),
        _mean(t, vol, board),
        float(np.mean(joint_t)),
        result.tj_max_k,
    )


def power_swing(pkg: Package, power_w: float, env: Environment | None = None, resolution: float = 1.0) -> PowerSwing:
    """The swings of ``pkg`` dissipating ``power_w`` on its JEDEC test board in ``env``
    (default: still air, 2s2p board, 25 C)."""
    env = env or Environment()
    if env.board is BoardKind.NONE:
        raise DesignError("board", env.board.value, "power cycling needs the board the package is mounted on")
    # Checked before the thermal solve: the joints must exist and sit on the board.
    lowest = min(b.solid.bbox.lo[2] for b in solder_balls(pkg))
    if lowest > pkg.bbox.lo[2] + 1e-9:
        raise DesignError(
            "design", pkg.name, "power cycling needs the balls on the seating plane; this design is drawn balls-up"
        )
    return swing_from(solve_thermal(pkg, env, power_w=power_w, resolution=resolution), pkg)
