"""Multi-die influence matrices: steady Psi_ij from one solve per die, transient as per-pair Foster networks.

Conduction with fixed film coefficients is linear, so die temperatures superpose:
Tj_i = Ta + sum_j Psi_ij P_j, where Psi_ij is the rise of die i per watt in die j. Each
column is one solve of A x = s_j with s_j die j's heat source scaled to 1 W. A die's
temperature here is its mean weighted by its own source, w_i . x; with a symmetric
operator A this makes Psi symmetric (Psi_ij = s_i^T A^-1 s_j, Maxwell-Betti
reciprocity), which the hottest-cell reading would not (nor would it superpose).

The operator is the one the steady run ends with (`steady.build_problem`): in still
air its film coefficients were iterated at the design's power, and superposition holds
for that linearisation.

The transient matrix: a unit step in die j gives every die's Z_ij(t); each is fitted
with a non-negative Foster series (`transient.foster_fit`), Z_ij(t) = sum_k R_k (1 -
exp(-t/tau_k)).

References
----------
JEDEC JESD51-2A / Krishnamoorthi et al., "Thermal evaluation of two die stacked FBGA
packages", EPTC 2007 (the thermal resistance matrix for linear superposition).
Maxwell-Betti reciprocity for symmetric linear operators: e.g. Carslaw and Jaeger,
Conduction of Heat in Solids, 2nd ed., Oxford 1959, sec. 1.14 (reciprocity).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from semipack.errors import DesignError
from semipack.thermal.compact.ptrace import PowerTrace, simulate_trace
from semipack.thermal.steady import ConvergenceError, Problem
from semipack.thermal.transient import foster_fit

Array = NDArray[np.float64]


@dataclass(frozen=True)
class InfluenceMatrix:
    """psi_k_w[i, j]: rise (K) of die ``dies[i]`` per W in die ``dies[j]``."""

    dies: tuple[str, ...]
    psi_k_w: Array
    ambient_k: float

    def tj_k(self, power_w: dict[str, float]) -> dict[str, float]:
        """Die temperatures (K) for the given per-die powers (W) by superposition."""
        p = np.zeros(len(self.dies))
        for name, v in power_w.items():
            if name not in self.dies:
                raise DesignError("power", name, "names no die: " + ", ".join(self.dies))
            p[self.dies.index(name)] = v
        t = self.ambient_k + self.psi_k_w @ p
        return {d: float(v) for d, v in zip(self.dies, t, strict=True)}


def _unit_sources(problem: Problem) -> tuple[tuple[str, ...], list[Array]]:
    if not problem.die_power:
        raise DesignError("package", "no dies", "an influence matrix needs at least one die")
    names = tuple(problem.die_power)
    return names, [problem.die_power[n] / problem.die_power[n].sum() for n in names]


def solve_sources(problem: Problem, sources: list[Array], rtol: float = 1e-11) -> list[Array]:
    """Solve the problem's operator for each right-hand side, with one preconditioner for all."""
    from semipack.thermal.solvers.column_amg import ColumnAMG
    from semipack.thermal.solvers.column_amg import solve as column_amg_solve

    pre = ColumnAMG(problem.stencil)
    out = []
    for b in sources:
        x, info = column_amg_solve(problem.stencil, b, rtol=rtol, maxiter=2000, precond=pre)
        if not info.converged:
            raise ConvergenceError(f"influence solve: relative residual {info.relative_residual:.2e}")
        out.append(x)
    return out


def influence_matrix(problem: Problem, rtol: float = 1e-11) -> InfluenceMatrix:
    """Psi from one solve per die (each die at 1 W with its own source shape)."""
    names, src = _unit_sources(problem)
    xs = solve_sources(problem, src, rtol)
    psi = np.asarray([[float((src[i] * xs[j]).sum()) for j in range(len(names))] for i in range(len(names))])
    return InfluenceMatrix(names, psi, problem.result.environment.ambient_k)


def direct_rise(problem: Problem, power_w: dict[str, float], rtol: float = 1e-11) -> dict[str, float]:
    """Every die's rise (K) from one solve with all the given powers on (the superposition check)."""
    names, src = _unit_sources(problem)
    b = sum(power_w.get(n, 0.0) * s for n, s in zip(names, src, strict=True))
    (x,) = solve_sources(problem, [np.asarray(b)], rtol)
    return {n: float((s * x).sum()) for n, s in zip(names, src, strict=True)}


@dataclass(frozen=True)
class TransientInfluence:
    """Per pair (i, j): the Foster network (R in K/W, tau in s) of die i's response to a 1 W step in die j."""

    dies: tuple[str, ...]
    times_s: tuple[Array, ...] = field(repr=False)
    zth_k_w: tuple[Array, ...] = field(repr=False)  # per source j: (n_times, n_dies)
    foster: dict[tuple[str, str], tuple[Array, Array]] = field(repr=False)


def transient_influence(problem: Problem, until_s: float, *, rtol: float = 3e-4) -> TransientInfluence:
    """One unit step per die, every die's Zth read as its power-weighted mean, Foster-fitted per pair."""
    if not until_s > 0:
        raise DesignError("until_s", until_s, "must be a positive time")
    names, _ = _unit_sources(problem)
    amb = problem.result.environment.ambient_k
    times, zs, foster = [], [], {}
    for j, src in enumerate(names):
        power = np.zeros((1, len(names)))
        power[0, j] = 1.0
        r = simulate_trace(problem, PowerTrace(names, np.array([0.0, until_s]), power), rtol=rtol, peak=False)
        z = r.tj_k - amb
        times.append(r.times_s)
        zs.append(z)
        for i, tgt in enumerate(names):
            foster[(tgt, src)] = foster_fit(r.times_s[1:], z[1:, i])
    return TransientInfluence(names, tuple(times), tuple(zs), foster)
