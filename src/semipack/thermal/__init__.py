"""Thermal engine: grid, rasterisation, finite-volume stencil, solvers, JEDEC environments and metrics.

The numerical kernel imports only numpy, scipy (and pyamg for the baseline solver).
"""

from semipack.thermal.environment import BoardKind, Environment, EnvKind
from semipack.thermal.metrics import KEYS, jedec_metrics, metrics_of
from semipack.thermal.steady import ConvergenceError, Solver, ThermalResult, solve_thermal

__all__ = [
    "KEYS",
    "BoardKind",
    "ConvergenceError",
    "EnvKind",
    "Environment",
    "Solver",
    "ThermalResult",
    "jedec_metrics",
    "metrics_of",
    "solve_thermal",
]
