"""Transient conduction: adaptive BDF2 time stepping, Zth(t), Foster and Cauer networks, structure functions.

The semi-discrete system is C dT/dt + A T = P (C: cell heat capacities; A: the steady
stencil of the environment). Steps use the variable-step BDF2 formula (backward Euler
for the first), with the step adapted from a predictor-corrector estimate of the local
error in the junction temperature; the solve at each step is the steady solver on
(alpha C / dt + A).

The thermal impedance Zth(t) = (Tj(t) - Ta) / P is decomposed into a Foster network by
non-negative least squares on a logarithmic grid of time constants (a discrete time-
constant spectrum), converted exactly (rational arithmetic) into the equivalent Cauer
ladder, whose cumulative capacitance against cumulative resistance is the cumulative
structure function of JESD51-14.

References
----------
Hairer, Wanner, Solving Ordinary Differential Equations II, Springer 1996, section III.5
(variable-step BDF2).
Szekely, Van Bien, "Fine structure of heat flow path in semiconductor devices: a
measurement and identification method", Solid-State Electronics 31 (1988) 1363-1368.
JEDEC JESD51-14 (2010), transient dual interface method, annex on structure functions.
Lawson and Hanson, Solving Least Squares Problems, SIAM 1995, ch. 23 (NNLS).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import nnls

from semipack.errors import DesignError, check_converged
from semipack.model import Package
from semipack.progress import NO_PROGRESS, Progress
from semipack.thermal.assemble import Stencil
from semipack.thermal.environment import Environment
from semipack.thermal.reuse import ShiftedPreconditioners
from semipack.thermal.setup import ThermalCache
from semipack.thermal.steady import Solver, build_problem
from semipack.thermal.stepping import STEP_RTOL, check_step_solver, hierarchy_type, step_solve

Array = NDArray[np.float64]


@dataclass(frozen=True)
class TransientResult:
    """Junction temperature history and the networks derived from it (SI; temperatures in K)."""

    times_s: Array
    tj_k: Array
    zth_k_per_w: Array
    power_w: float
    ambient_k: float
    steps: int
    solve_s: float
    foster_r: Array = field(repr=False)
    foster_tau: Array = field(repr=False)
    cauer_r: Array = field(repr=False)
    cauer_c: Array = field(repr=False)

    @property
    def cumulative_r(self) -> Array:
        return np.cumsum(self.cauer_r)

    @property
    def cumulative_c(self) -> Array:
        return np.cumsum(self.cauer_c)


def _shifted(st: Stencil, extra: Array) -> Stencil:
    return replace(st, gb=st.gb + extra)


def simulate(
    pkg: Package,
    env: Environment | None = None,
    *,
    until_s: float = 100.0,
    first_step_s: float = 1e-6,
    resolution: float = 1.0,
    power_w: float | None = None,
    rtol: float = 3e-4,
    max_steps: int = 2000,
    solver: Solver = Solver.COLUMN_AMG,
    progress: Progress = NO_PROGRESS,
    cache: ThermalCache | None = None,
) -> TransientResult:
    """Step the package from ambient with its power switched on at t = 0, up to ``until_s``.

    ``progress`` hears the steady run's stages, then ``stage("time steps")`` and, after
    every accepted step, ``iteration(step, relative residual of its solve)``. ``cache``
    is passed to the steady run (`steady.build_problem`): a caller that also solves the
    steady state in ``env`` shares its set-up, hierarchy and field through it.
    ``solver`` preconditions every step's CG (`stepping.STEP_SOLVERS`): column AMG, or the z-line
    multigrid, which its shift makes cheap while the step is short and weak near steady
    state (measured in docs/thermal.md).
    """
    if not until_s > 0:
        raise DesignError("until_s", until_s, "must be a positive time")
    check_step_solver(solver)
    env = env or Environment()
    prob = build_problem(pkg, env, resolution=resolution, power_w=power_w, progress=progress, cache=cache)
    progress.stage("time steps")
    st, b, cap = prob.stencil, prob.power, prob.capacity
    die = prob.die_mask
    p = float(b.sum())
    t0 = time.perf_counter()
    times = [0.0]
    tj = [0.0]
    x_prev = np.zeros_like(b)
    x_prev2: Array | None = None
    dt_prev = 0.0
    t = 0.0
    dt = first_step_s
    steps = 0
    # One multigrid per factor-2 band of the shift alpha/dt (`reuse.ShiftedPreconditioners`):
    # the adaptive step changes dt at almost every step, and a cycle built for a shift within
    # 2x preconditions the exact shifted operator that PCG multiplies by.
    hierarchies = ShiftedPreconditioners(hierarchy_type(solver))
    while t < until_s * (1 - 1e-12) and steps < max_steps:
        dt = min(dt, until_s - t)
        if x_prev2 is None:
            alpha, rhs_hist = 1.0, cap / dt * x_prev  # backward Euler start
        else:
            w = dt / dt_prev
            alpha = (1 + 2 * w) / (1 + w)
            # Variable-step BDF2: alpha/dt x_n+1 - (1+w)/dt x_n + w^2/((1+w) dt) x_n-1 = f
            rhs_hist = cap / dt * ((1 + w) * x_prev - (w * w / (1 + w)) * x_prev2)
        shifted = _shifted(st, cap * (alpha / dt))
        pre = hierarchies.get(shifted, alpha / dt)
        # Start from the linear extrapolation of the last two steps (the step's own predictor):
        # closer than the last field, and PCG converges to the step's solution from anywhere.
        guess = x_prev if x_prev2 is None else x_prev + (dt / dt_prev) * (x_prev - x_prev2)
        x, info = step_solve(shifted, b + rhs_hist, pre, guess)
        if not info.converged:
            check_converged(
                f"transient {solver.value} CG", info.relative_residual, STEP_RTOL, info.iterations, f" at t = {t:.3g} s"
            )
        tj_new = float(x[die].max())
        if x_prev2 is None:
            factor = 2.0  # the backward-Euler start has no history to estimate its error from
        else:
            err = _local_error(times, tj, tj_new, dt, dt_prev)
            if err > 10 * rtol and dt > first_step_s:
                dt *= 0.5
                continue
            # Step ratios above about 1.5 let variable-step BDF2 overshoot near the steady state.
            factor = min(1.5, max(0.5, 0.9 * (rtol / max(err, 1e-16)) ** (1 / 3)))
        t += dt
        steps += 1
        progress.iteration(steps, info.relative_residual)
        times.append(t)
        tj.append(tj_new)
        x_prev2, x_prev = x_prev, x
        dt_prev = dt
        dt *= factor
    solve_s = time.perf_counter() - t0
    ts = np.asarray(times)
    rise = np.asarray(tj)
    zth = rise / p
    r_f, tau_f = foster_fit(ts[1:], zth[1:])
    r_c, c_c = foster_to_cauer(r_f, tau_f)
    return TransientResult(ts, env.ambient_k + rise, zth, p, env.ambient_k, steps, solve_s, r_f, tau_f, r_c, c_c)


def _local_error(times: list[float], tj: list[float], tj_new: float, dt: float, dt_prev: float) -> float:
    """The relative local error of a BDF2 step of ``dt`` that gave ``tj_new``, from the history's predictor."""
    if len(tj) >= 3:
        # Milne's device: the quadratic through the last three points predicts Tj with
        # error h^3 x''' against BDF2's -(2/9) h^3 x''', so the local error of the step
        # is (2/9)/(1 + 2/9) = 2/11 of their difference (constant-step constants).
        t1, t2, t3 = times[-1], times[-2], times[-3]
        tn = t1 + dt
        pred = (
            tj[-1] * (tn - t2) * (tn - t3) / ((t1 - t2) * (t1 - t3))
            + tj[-2] * (tn - t1) * (tn - t3) / ((t2 - t1) * (t2 - t3))
            + tj[-3] * (tn - t1) * (tn - t2) / ((t3 - t1) * (t3 - t2))
        )
        return 2 / 11 * abs(tj_new - pred) / max(abs(tj_new), 1e-12)
    # Second step: only a linear predictor exists (its error is O(h^2), an overestimate).
    pred = tj[-1] + (tj[-1] - tj[-2]) * dt / max(dt_prev, 1e-300)
    return abs(tj_new - pred) / max(abs(tj_new), 1e-12)


def foster_fit(t: Array, zth: Array, per_decade: int = 8) -> tuple[Array, Array]:
    """Non-negative Foster spectrum: Zth(t) = sum R_i (1 - exp(-t / tau_i)) on log-spaced tau_i."""
    lo = np.log10(max(t[0], 1e-9)) - 1
    hi = np.log10(t[-1])  # only time constants the simulated window can observe
    tau = np.logspace(lo, hi, int((hi - lo) * per_decade) + 1)
    m = 1.0 - np.exp(-t[:, None] / tau[None, :])
    r, _ = nnls(m, zth, maxiter=50 * len(tau))
    keep = r > 1e-9 * max(r.max(), 1e-300)
    return r[keep], tau[keep]


def _poly_mul(a: list[Fraction], b: list[Fraction]) -> list[Fraction]:
    out = [Fraction(0)] * (len(a) + len(b) - 1)
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            out[i + j] += x * y
    return out


def _poly_sub(a: list[Fraction], b: list[Fraction]) -> list[Fraction]:
    n = max(len(a), len(b))
    a = a + [Fraction(0)] * (n - len(a))
    b = b + [Fraction(0)] * (n - len(b))
    out = [x - y for x, y in zip(a, b, strict=True)]
    while len(out) > 1 and out[-1] == 0:
        out.pop()
    return out


def foster_to_cauer(r: Array, tau: Array) -> tuple[Array, Array]:
    """Exact Foster-to-Cauer transformation (continued fraction of the admittance at s = infinity).

    Coefficients are kept as rationals, because the float expansion loses all accuracy
    once time constants span several decades.
    """
    rs = [Fraction(float(v)) for v in r]
    ts = [Fraction(float(v)) for v in tau]
    # Z(s) = N(s) / D(s); polynomials as coefficient lists, lowest power first.
    d = [Fraction(1)]
    for t in ts:
        d = _poly_mul(d, [Fraction(1), t])
    n = [Fraction(0)]
    for i, ri in enumerate(rs):
        term = [ri]
        for j, t in enumerate(ts):
            if j != i:
                term = _poly_mul(term, [Fraction(1), t])
        n = [
            x + y
            for x, y in zip(
                n + [Fraction(0)] * (len(term) - len(n)), term + [Fraction(0)] * (len(n) - len(term)), strict=True
            )
        ]
    cr: list[float] = []
    cc: list[float] = []
    num, den = d, n  # the admittance Y = D / N
    for _ in range(len(rs)):
        if len(num) < 2 or all(v == 0 for v in den):
            break
        c = num[-1] / den[-1]  # Y ~ s C as s -> infinity
        cc.append(float(c))
        rem = _poly_sub(num, _poly_mul([Fraction(0), c], den))  # Y - sC = rem / den
        # Z1 = den / rem: a constant R as s -> infinity.
        if all(v == 0 for v in rem):
            break
        rr = den[len(rem) - 1] / rem[-1] if len(den) == len(rem) else Fraction(0)
        cr.append(float(rr))
        rest = _poly_sub(den, [v * rr for v in rem])  # Z1 - R = rest / rem
        num, den = rem, rest
    return np.asarray(cr), np.asarray(cc[: len(cr)])
