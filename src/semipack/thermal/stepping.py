"""One implicit time step's linear solve: CG on (alpha C / dt + A), preconditioned per shift band.

`transient.simulate` and `compact.ptrace.simulate_trace` step the same semi-discrete system
C dT/dt + A T = P with variable-step BDF2; every step solves the shifted operator to
`STEP_RTOL`, far below the step's own truncation error. The preconditioner is a hierarchy
built for a shift within a factor 2 (`reuse.ShiftedPreconditioners`): column AMG by default
(flexible CG, Notay 2000), the z-line multigrid on request (plain PCG). A kept column-AMG
hierarchy multiplies by the step's own operator through `ColumnAMG.operator`, which adds the
change of shift to the diagonal of its matrix: the conductances are shared.

References
----------
Hairer, Wanner, Solving Ordinary Differential Equations II, Springer 1996, section III.5.
Notay, "Flexible conjugate gradients", SIAM J. Sci. Comput. 22 (2000) 1444-1460.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from semipack.errors import DesignError
from semipack.thermal.assemble import Stencil
from semipack.thermal.solvers import column_amg
from semipack.thermal.solvers.column_amg import ColumnAMG
from semipack.thermal.solvers.zline_mg import SolveInfo, ZLineMultigrid, pcg
from semipack.thermal.steady import Solver

Array = NDArray[np.float64]

STEP_SOLVERS = (Solver.COLUMN_AMG, Solver.ZLINE_MG)
"""The solvers a time step may use: column AMG (the default) or the z-line multigrid (before)."""
STEP_RTOL = 1e-10
"""Relative residual of every step's solve: far below the step's own truncation error."""
STEP_MAXITER = 1000


def check_step_solver(solver: Solver, field: str = "solver") -> None:
    """Refuse a solver no time step has (one line: the field, the value, the allowed ones)."""
    if solver not in STEP_SOLVERS:
        raise DesignError(field, solver.value, "one of " + ", ".join(s.value for s in STEP_SOLVERS))


def hierarchy_type(solver: Solver) -> Callable[[Stencil], ColumnAMG | ZLineMultigrid]:
    """The preconditioner a step of ``solver`` builds per shift band (its class)."""
    return ColumnAMG if solver is Solver.COLUMN_AMG else ZLineMultigrid


def step_solve(
    shifted: Stencil, rhs: Array, pre: ColumnAMG | ZLineMultigrid, guess: Array, rtol: float = STEP_RTOL
) -> tuple[Array, SolveInfo]:
    """One step's solve of ``shifted`` x = ``rhs`` from ``guess``, preconditioned by ``pre``."""
    if isinstance(pre, ColumnAMG):
        return column_amg.solve(shifted, rhs, rtol=rtol, maxiter=STEP_MAXITER, precond=pre, x0=guess)
    return pcg(shifted, rhs, rtol=rtol, maxiter=STEP_MAXITER, precond=pre, x0=guess)
