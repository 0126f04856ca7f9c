"""Power traces: per-die power over time (HotSpot ``.ptrace`` style) and the transient they drive.

A trace is piecewise constant: row k of ``power_w`` holds every die's power (W) from
``times_s[k]`` to ``times_s[k + 1]``. The HotSpot file format has one header line of
unit (die) names, then one row of powers per sampling interval (HotSpot's
``sampling_intvl``, 3.33 us by default; here it is given explicitly).

The transient is C dT/dt + A T = P(t) (C: cell heat capacities; A: the steady stencil
of the environment, `steady.build_problem`). Steps are adaptive variable-step BDF2 as in
`semipack.thermal.transient` and never cross an edge of the trace: a step that would
is cut to end on the edge, and the stepping restarts there with backward Euler and the
first step size, because the power jumps and the error estimate from the history no
longer holds.

References
----------
Huang, Ghosh, Velusamy, Sankaranarayanan, Skadron, Stan, "HotSpot: a compact thermal
modeling methodology for early-stage VLSI design", IEEE TVLSI 14 (2006) 501-513 (the
trace format of the HotSpot tool).
Hairer, Wanner, Solving Ordinary Differential Equations II, Springer 1996, sec. III.5.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from semipack.errors import DesignError, SemipackError
from semipack.thermal.reuse import ShiftedPreconditioners
from semipack.thermal.steady import Problem, Solver
from semipack.thermal.stepping import check_step_solver, hierarchy_type, step_solve

Array = NDArray[np.float64]
MAX_TRACE_BYTES = 16 << 20


@dataclass(frozen=True)
class PowerTrace:
    """Per-die power (W) over time: ``power_w[k, j]`` for die ``dies[j]`` on [times_s[k], times_s[k+1])."""

    dies: tuple[str, ...]
    times_s: Array
    power_w: Array

    def __post_init__(self) -> None:
        t, p = np.asarray(self.times_s, float), np.asarray(self.power_w, float)
        if not self.dies or len(set(self.dies)) != len(self.dies):
            raise DesignError("trace.dies", self.dies, "one or more distinct die names")
        if p.ndim != 2 or p.shape[1] != len(self.dies) or t.shape != (p.shape[0] + 1,) or p.shape[0] == 0:
            raise DesignError(
                "trace", p.shape, f"one row of {len(self.dies)} powers per interval, and one more time than rows"
            )
        if not np.isfinite(p).all() or (p < 0).any():
            k, j = np.argwhere(~(p >= 0))[0]
            raise DesignError(f"trace.power[{k}].{self.dies[j]}", float(p[k, j]), "powers must be >= 0 W")
        if not np.isfinite(t).all() or t[0] < 0 or (np.diff(t) <= 0).any():
            bad = int(np.argmax(~(np.diff(t) > 0))) + 1 if (np.diff(t) <= 0).any() else 0
            raise DesignError(f"trace.times[{bad}]", float(t[bad]), "times must start at >= 0 s and increase strictly")

    @classmethod
    def steps(cls, dies: tuple[str, ...], interval_s: float, power_w: Array) -> PowerTrace:
        """Rows of equal duration ``interval_s`` starting at t = 0 (HotSpot's sampling interval)."""
        if not interval_s > 0:
            raise DesignError("interval", interval_s, "a positive sampling interval in s")
        p = np.asarray(power_w, float)
        return cls(dies, interval_s * np.arange(p.shape[0] + 1 if p.ndim == 2 else 1), p)


def read_ptrace(path: Path, interval_s: float) -> PowerTrace:
    """Read a HotSpot-style trace: a header of die names, then whitespace-separated powers in W."""
    try:
        if not path.is_file():
            raise DesignError("trace_file", str(path), "a power-trace file")
        if path.stat().st_size > MAX_TRACE_BYTES:
            raise DesignError("trace_file", str(path), f"power traces are limited to {MAX_TRACE_BYTES} bytes")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DesignError("trace_file", str(path), f"cannot be read as text ({exc})") from None
    lines = [ln.split() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if len(lines) < 2:
        raise DesignError("trace_file", str(path), "a header line of die names and at least one row of powers")
    dies = tuple(lines[0])
    rows = []
    for i, ln in enumerate(lines[1:], start=2):
        if len(ln) != len(dies):
            raise DesignError(f"{path}: row {i}", " ".join(ln), f"{len(dies)} powers (W), one per die of the header")
        try:
            rows.append([float(v) for v in ln])
        except ValueError:
            raise DesignError(f"{path}: row {i}", " ".join(ln), "numbers (W)") from None
    return PowerTrace.steps(dies, interval_s, np.asarray(rows))


@dataclass(frozen=True)
class TraceResult:
    """Die temperatures (K) at every step: ``tj_k[n, j]`` for die ``dies[j]`` at ``times_s[n]``."""

    dies: tuple[str, ...]
    times_s: Array
    tj_k: Array
    ambient_k: float
    steps: int
    solve_s: float
    edges_s: Array = field(repr=False)


def _sources(problem: Problem, dies: tuple[str, ...]) -> list[Array]:
    known = problem.die_power
    out = []
    for d in dies:
        if d not in known:
            raise DesignError("trace.dies", d, "names no die of the package: " + ", ".join(known))
        s = known[d]
        out.append(s / s.sum())  # 1 W with the die's own source shape
    return out


def _read(x: Array, weights: list[Array], masks: list[NDArray[np.bool_]], peak: bool) -> Array:
    if peak:
        return np.asarray([float(x[m].max()) for m in masks])
    return np.asarray([float((x * w).sum()) for w in weights])


def simulate_trace(
    problem: Problem,
    trace: PowerTrace,
    *,
    rtol: float = 3e-4,
    first_step_s: float = 1e-6,
    max_steps: int = 20000,
    peak: bool = True,
    solver: Solver = Solver.COLUMN_AMG,
) -> TraceResult:
    """Step the package through ``trace`` from ambient; each die read at its hottest cell (``peak``) or power-weighted mean.

    ``solver`` preconditions every step's CG (`stepping.STEP_SOLVERS`), as in `transient.simulate`.
    """
    check_step_solver(solver)
    src = _sources(problem, trace.dies)
    masks = [s > 0 for s in src]
    st, cap = problem.stencil, problem.capacity
    edges = np.asarray(trace.times_s, float)
    t, x = float(edges[0]), np.zeros(problem.grid.shape)
    times, temps = [t], [_read(x, src, masks, peak)]
    steps = 0
    t0 = time.perf_counter()
    hierarchies = ShiftedPreconditioners(hierarchy_type(solver))
    for k in range(len(edges) - 1):
        b = sum(p * s for p, s in zip(trace.power_w[k], src, strict=True))
        t_end = float(edges[k + 1])
        x_prev2: Array | None = None  # restart: the power jumps at the edge
        dt, dt_prev = min(first_step_s, t_end - t), 0.0
        hist: list[tuple[float, float]] = [(t, float(np.abs(x).max()))]
        while t < t_end * (1 - 1e-12) and steps < max_steps:
            dt = min(dt, t_end - t)
            if x_prev2 is None:
                alpha, rhs = 1.0, cap / dt * x
            else:
                w = dt / dt_prev
                alpha = (1 + 2 * w) / (1 + w)
                rhs = cap / dt * ((1 + w) * x - (w * w / (1 + w)) * x_prev2)
            shifted = replace(st, gb=st.gb + cap * (alpha / dt))
            # One preconditioner per factor-2 band of the shift: PCG applies the exact shifted
            # operator, and a multigrid cycle built for a shift within 2x preconditions it as well.
            pre = hierarchies.get(shifted, alpha / dt)
            xn, info = step_solve(shifted, b + rhs, pre, x, rtol=1e-9)
            if not info.converged:
                raise SemipackError(f"power-trace step at t = {t:.3g} s did not converge")
            probe = float(np.abs(xn).max())
            factor = 2.0  # backward Euler and the first BDF2 step have no history to judge by
            if x_prev2 is not None and len(hist) >= 3:
                # Milne's device, as in `transient.simulate`: the quadratic through the last three
                # points predicts with error h^3 x''' against BDF2's -(2/9) h^3 x''', so the
                # step's local error is 2/11 of their difference.
                (t1, y1), (t2, y2), (t3, y3) = hist[-1], hist[-2], hist[-3]
                tn = t + dt
                pred = (
                    y1 * (tn - t2) * (tn - t3) / ((t1 - t2) * (t1 - t3))
                    + y2 * (tn - t1) * (tn - t3) / ((t2 - t1) * (t2 - t3))
                    + y3 * (tn - t1) * (tn - t2) / ((t3 - t1) * (t3 - t2))
                )
                err = 2 / 11 * abs(probe - pred) / max(abs(probe), 1e-12)
                if err > 10 * rtol and dt > first_step_s:
                    dt *= 0.5
                    continue
                factor = min(1.5, max(0.5, 0.9 * (rtol / max(err, 1e-16)) ** (1 / 3)))
            t += dt
            steps += 1
            hist.append((t, probe))
            x_prev2, x, dt_prev = x, xn, dt
            times.append(t)
            temps.append(_read(x, src, masks, peak))
            dt *= factor
        if steps >= max_steps:
            raise SemipackError(f"the power trace needs more than {max_steps} steps (at t = {t:.3g} s)")
        t = t_end  # exactly on the edge
    amb = problem.result.environment.ambient_k
    return TraceResult(
        trace.dies, np.asarray(times), amb + np.asarray(temps), amb, steps, time.perf_counter() - t0, edges
    )
