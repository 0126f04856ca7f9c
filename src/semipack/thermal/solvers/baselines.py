"""Baseline solvers for comparison: pyamg classical AMG + CG, and Jacobi-preconditioned CG.

References
----------
Ruge and Stueben, "Algebraic multigrid", in Multigrid Methods, SIAM 1987 (classical AMG).
Bell, Olson, Schroder, "PyAMG: Algebraic Multigrid Solvers in Python", JOSS 7(72) 4142 (2022).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse.linalg as spla
from numpy.typing import NDArray

from semipack.thermal.assemble import Stencil
from semipack.thermal.solvers.blas_threads import blas_threads
from semipack.thermal.solvers.zline_mg import SolveInfo, pcg

Array = NDArray[np.float64]


class _Jacobi:
    def __init__(self, st: Stencil) -> None:
        self.inv = 1.0 / st.diagonal()

    def apply(self, r: Array) -> Array:
        out: Array = r * self.inv
        return out


@blas_threads
def solve_jacobi_cg(st: Stencil, b: Array, *, rtol: float = 1e-8, maxiter: int = 20000) -> tuple[Array, SolveInfo]:
    return pcg(st, b, rtol=rtol, maxiter=max(maxiter, 20000), precond=_Jacobi(st))


@blas_threads
def solve_amg(st: Stencil, b: Array, *, rtol: float = 1e-8, maxiter: int = 500) -> tuple[Array, SolveInfo]:
    """pyamg's classical (Ruge-Stueben) hierarchy as a CG preconditioner."""
    import pyamg

    a = st.to_sparse()
    ml = pyamg.ruge_stuben_solver(a)
    m = ml.aspreconditioner(cycle="V")
    residuals: list[float] = []
    x, _ = spla.cg(a, b.ravel(), rtol=rtol, maxiter=maxiter, M=m, callback=lambda xk: residuals.append(0.0))
    x = np.asarray(x).reshape(b.shape)
    rel = float(np.linalg.norm(st.apply(x) - b) / np.linalg.norm(b))
    return x, SolveInfo(len(residuals), rel, rel <= rtol * 10)
