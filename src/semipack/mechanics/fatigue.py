"""Solder-joint fatigue by Engelmaier's model, ball by ball from the real ball map.

    Delta gamma = F (L_D / h) Delta alpha Delta T
    N_f = 1/2 (Delta gamma / (2 eps_f'))^(1/c),  c = -0.442 - 6e-4 T_sj + 1.74e-2 ln(1 + f)

L_D is each ball's distance to the package's neutral point (its centre), h the joint
height, Delta alpha the mismatch between the board's and the package's in-plane
expansion (the package's from laminated-plate theory: its free mid-plane strain per
kelvin), T_sj the mean cyclic joint temperature (C), f the cycles per day.

References
----------
W. Engelmaier, "Fatigue life of leadless chip carrier solder joints during power
cycling", IEEE Trans. CHMT 6(3), 232-237 (1983); IPC-D-279 (1996), Appendix A: the
model and the SnPb constants eps_f' = 0.325 and the c law above.
SAC305: eps_f' = 0.325 and the same c law as used for SAC305 BGA and FBGA joints by
Zhang et al., "Thermal cycling life prediction of Sn-3.0Ag-0.5Cu solder joint using
type-I censored data", Sci. World J. 2014, 807693, Table 1; treat SAC lives as a first
estimate (Engelmaier's constants were fitted to SnPb).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from semipack.geometry import Ball
from semipack.mechanics.profiles import Cycle
from semipack.mechanics.stackup import column_responses
from semipack.model import Package, Role

EPS_F = {"sn63pb37": 0.325, "sac305": 0.325}
BOARD_CTE_PER_K = 16e-6  # FR-4 in-plane, within IPC-4101/21's 14-17 ppm/K (materials.yaml fr4)


def fatigue_exponent(t_sj_c: float, cycles_per_day: float) -> float:
    return -0.442 - 6e-4 * t_sj_c + 1.74e-2 * math.log(1 + cycles_per_day)


def engelmaier_cycles(strain_range: float, eps_f: float, c: float) -> float:
    """N_f = 1/2 (Delta gamma / (2 eps_f'))^(1/c)."""
    n: float = 0.5 * (strain_range / (2 * eps_f)) ** (1 / c)
    return n


@dataclass(frozen=True)
class BallLife:
    name: str
    x_m: float
    y_m: float
    dnp_m: float
    strain_range: float
    cycles: float


@dataclass(frozen=True)
class FatigueResult:
    cycle: Cycle
    package_cte_per_k: float
    board_cte_per_k: float
    joint_height_m: float
    exponent: float
    balls: tuple[BallLife, ...]

    @property
    def worst(self) -> BallLife:
        return min(self.balls, key=lambda b: b.cycles)


def package_cte(pkg: Package, t_k: float = 298.15, samples: int | None = None) -> float:
    """The package's in-plane expansion (1/K): the free mid-plane strain per kelvin of its
    stacks, averaged over a samples x samples grid of columns (die and mould regions alike)."""
    cols = column_responses(pkg, t_k - 1.0, t_k, samples)
    return float(np.average([r.mid_strain for _, _, _, r in cols], weights=[a for _, _, a, _ in cols]))


def solder_fatigue(
    pkg: Package, cycle: Cycle, board_cte_per_k: float = BOARD_CTE_PER_K, factor: float = 1.0
) -> FatigueResult:
    """Cycles to failure of every ball under ``cycle``."""
    balls = [b for b in pkg.by_role(Role.BALL) if isinstance(b.solid, Ball)]
    if not balls:
        from semipack.errors import DesignError

        raise DesignError("design", pkg.name, "the package has no solder balls to assess")
    mat = balls[0].material
    eps_f = EPS_F.get(mat, 0.325)
    bb = pkg.bbox
    cx, cy = 0.5 * (bb.lo[0] + bb.hi[0]), 0.5 * (bb.lo[1] + bb.hi[1])
    a_pkg = package_cte(pkg)
    dalpha = abs(board_cte_per_k - a_pkg)
    c = fatigue_exponent(cycle.mean_c, cycle.cycles_per_day)
    out = []
    h = float(np.median([b.solid.bbox.hi[2] - b.solid.bbox.lo[2] for b in balls]))
    for b in balls:
        s = b.solid
        assert isinstance(s, Ball)
        dnp = math.hypot(s.center[0] - cx, s.center[1] - cy)
        gamma = factor * dnp / h * dalpha * cycle.swing_k
        n = engelmaier_cycles(gamma, eps_f, c) if gamma > 0 else math.inf
        out.append(BallLife(b.name, s.center[0], s.center[1], dnp, gamma, n))
    return FatigueResult(cycle, a_pkg, board_cte_per_k, h, c, tuple(out))
