"""Solder-joint fatigue by Engelmaier's model, ball by ball from the real ball map.

    Delta gamma = F (L_D / h) | alpha_s Delta T_s - alpha_c Delta T_c |
    N_f(50 %) = 1/2 (Delta gamma / (2 eps_f'))^(1/c)
    c = -0.442 - 6e-4 T_sj + 1.74e-2 ln(1 + 360 / t_D)     (dwell form, the default)
    c = -0.442 - 6e-4 T_sj + 1.74e-2 ln(1 + f)             (1983 frequency form)

L_D is each ball's distance to the package's neutral point (its centre), h the joint
height, alpha_s and alpha_c the board's and the package's in-plane expansion (the
package's from laminated-plate theory: its free mid-plane strain per kelvin), Delta T_s
and Delta T_c their swings (equal under chamber cycling; from the thermal engine under
power cycling, `semipack.mechanics.power_cycling`), T_sj the mean cyclic joint
temperature (C), t_D the half-cycle dwell (minutes), f the cycles per day.

The spread about the median is a two-parameter Weibull distribution of slope beta:

    N_f(x) = N_f(50 %) (ln(1 - x) / ln(1/2))^(1/beta)

and a package fails at its first ball (weakest link), so its failure fraction is
1 - prod_i (1 - x_i(N)), i.e. the balls' Weibull scales combine as
eta_pkg^-beta = sum_i eta_i^-beta; for m equal joints this is IPC-SM-785's partition
correction N_f(one) = N_f(m) m^(1/beta).

References
----------
W. Engelmaier, "Fatigue life of leadless chip carrier solder joints during power
cycling", IEEE Trans. CHMT 6(3), 232-237 (1983): the model, eps_f' = 0.325 and the
frequency form of c. IPC-D-279 (1996), Appendix A, and W. Engelmaier, "Solder joints in
electronics: design for reliability" (1997): the dwell form of c with t_D in minutes.
IPC-SM-785 (1992), Guidelines for Accelerated Reliability Testing of Surface Mount
Solder Attachments: the Weibull percentiles and the partition correction.
SAC305: eps_f' = 0.325 and the same c law as used for SAC305 BGA and FBGA joints by
Zhang et al., "Thermal cycling life prediction of Sn-3.0Ag-0.5Cu solder joint using
type-I censored data", Sci. World J. 2014, 807693, Table 1 (with a 15 min half-cycle
dwell); treat SAC lives as a first estimate (Engelmaier's constants were fitted to SnPb).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

import numpy as np

from semipack.errors import DesignError
from semipack.geometry import Ball
from semipack.mechanics.profiles import Cycle
from semipack.mechanics.stackup import column_responses
from semipack.model import Body, Package, Role

EPS_F = {"sn63pb37": 0.325, "sac305": 0.325}
BOARD_CTE_PER_K = 16e-6  # FR-4 in-plane, within IPC-4101/21's 14-17 ppm/K (materials.yaml fr4)


class ExponentLaw(Enum):
    """Which of Engelmaier's two expressions of the fatigue ductility exponent c."""

    DWELL = "dwell"  # ln(1 + 360 / t_D), t_D the half-cycle dwell in minutes
    FREQUENCY = "frequency"  # ln(1 + f), f the cycles per day (1983)


def exponent_frequency(t_sj_c: float, cycles_per_day: float) -> float:
    """c = -0.442 - 6e-4 T_sj + 1.74e-2 ln(1 + f) (Engelmaier 1983)."""
    return -0.442 - 6e-4 * t_sj_c + 1.74e-2 * math.log(1 + cycles_per_day)


def exponent_dwell(t_sj_c: float, dwell_min: float) -> float:
    """c = -0.442 - 6e-4 T_sj + 1.74e-2 ln(1 + 360 / t_D) (IPC-D-279), t_D in minutes."""
    return -0.442 - 6e-4 * t_sj_c + 1.74e-2 * math.log(1 + 360.0 / dwell_min)


def fatigue_exponent(cycle: Cycle, law: ExponentLaw = ExponentLaw.DWELL) -> float:
    if law is ExponentLaw.DWELL:
        return exponent_dwell(cycle.mean_c, cycle.dwell_s / 60.0)
    return exponent_frequency(cycle.mean_c, cycle.cycles_per_day)


def engelmaier_cycles(strain_range: float, eps_f: float, c: float) -> float:
    """N_f = 1/2 (Delta gamma / (2 eps_f'))^(1/c)."""
    n: float = 0.5 * (strain_range / (2 * eps_f)) ** (1 / c)
    return n


def weibull_cycles(n50: float, beta: float, fraction: float) -> float:
    """Cycles by which ``fraction`` of a population with median life n50 has failed."""
    return n50 * math.pow(math.log1p(-fraction) / math.log(0.5), 1.0 / beta)


def weakest_link_cycles(n50s: Sequence[float], beta: float, fraction: float) -> float:
    """Cycles by which ``fraction`` of packages have lost their first joint, the joints
    failing independently with medians n50s and a common Weibull slope beta."""
    ln2 = math.log(2.0)
    # eta_i^-beta = ln 2 / n50_i^beta; sum them, scaled by the smallest life to stay finite.
    n_min = min(n50s)
    if not math.isfinite(n_min):
        return math.inf
    s = math.fsum(math.pow(n_min / n, beta) for n in n50s if math.isfinite(n))
    return n_min * math.pow(-math.log1p(-fraction) / (ln2 * s), 1.0 / beta)


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
    law: ExponentLaw = ExponentLaw.DWELL

    @property
    def worst(self) -> BallLife:
        return min(self.balls, key=lambda b: b.cycles)

    def package_cycles(self, beta: float, fraction: float) -> float:
        """Cycles by which ``fraction`` of packages have a failed ball (weakest link)."""
        return weakest_link_cycles([b.cycles for b in self.balls], beta, fraction)


def package_cte(pkg: Package, t_k: float = 298.15, samples: int | None = None) -> float:
    """The package's in-plane expansion (1/K): the free mid-plane strain per kelvin of its
    stacks, averaged over a samples x samples grid of columns (die and mould regions alike)."""
    cols = column_responses(pkg, t_k - 1.0, t_k, samples)
    return float(np.average([r.mid_strain for _, _, _, r in cols], weights=[a for _, _, a, _ in cols]))


def solder_balls(pkg: Package) -> list[Body]:
    """The package's solder balls; a one-line error when it has none."""
    balls = [b for b in pkg.by_role(Role.BALL) if isinstance(b.solid, Ball)]
    if not balls:
        raise DesignError("design", pkg.name, "the package has no solder balls to assess")
    return balls


def solder_fatigue(
    pkg: Package,
    cycle: Cycle,
    board_cte_per_k: float = BOARD_CTE_PER_K,
    factor: float = 1.0,
    law: ExponentLaw = ExponentLaw.DWELL,
) -> FatigueResult:
    """Cycles to failure of every ball under ``cycle``."""
    balls = solder_balls(pkg)
    mat = balls[0].material
    eps_f = EPS_F.get(mat, 0.325)
    bb = pkg.bbox
    cx, cy = 0.5 * (bb.lo[0] + bb.hi[0]), 0.5 * (bb.lo[1] + bb.hi[1])
    a_pkg = package_cte(pkg)
    # Engelmaier's displacement term; |alpha_s - alpha_c| Delta T when both swing alike.
    d_alpha_t = abs(board_cte_per_k * cycle.board_k - a_pkg * cycle.component_k)
    c = fatigue_exponent(cycle, law)
    out = []
    h = float(np.median([b.solid.bbox.hi[2] - b.solid.bbox.lo[2] for b in balls]))
    for b in balls:
        s = b.solid
        assert isinstance(s, Ball)
        dnp = math.hypot(s.center[0] - cx, s.center[1] - cy)
        gamma = factor * dnp / h * d_alpha_t
        n = engelmaier_cycles(gamma, eps_f, c) if gamma > 0 else math.inf
        out.append(BallLife(b.name, s.center[0], s.center[1], dnp, gamma, n))
    return FatigueResult(cycle, a_pkg, board_cte_per_k, h, c, tuple(out), law)
