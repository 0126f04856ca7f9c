"""One BLAS thread for the iterative solvers' vector operations.

A Krylov iteration's axpy, dot products and norms, and the batched tridiagonal solves of
a line smoother, are memory-bound level-1 and level-2 operations on vectors of 1e5 to 1e7
entries. OpenBLAS threads each such call over every core and joins them again before it
returns; on the 2-core CI machine the wake-ups and the join cost more than the second
core's share of the bandwidth brings (measured, bench/thermal.py at 0.75 M cells on the
2-core AMD EPYC machine, 2026-11-29: column AMG 2.43 s with one BLAS thread, 3.92 s
with two, the same 22 iterations; at 0.24 M cells 0.75 s against 1.57 s). The solvers
therefore run with ``SOLVER_BLAS_THREADS`` threads, restoring the caller's setting when
they return; the caller's own BLAS work (dense algebra elsewhere) keeps its threads.

References
----------
OpenBLAS, "Setting the number of threads" (OPENBLAS_NUM_THREADS; level-1 routines such as
daxpy and ddot are threaded above a size threshold), https://github.com/OpenMathLib/OpenBLAS.
threadpoolctl, "Python helpers to limit the number of threads used in native libraries"
(threadpool_limits), https://github.com/joblib/threadpoolctl.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

SOLVER_BLAS_THREADS = 1


def blas_threads(fn: Callable[P, R]) -> Callable[P, R]:
    """Run ``fn`` with ``SOLVER_BLAS_THREADS`` BLAS threads (the caller's setting restored after)."""

    @functools.wraps(fn)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=SOLVER_BLAS_THREADS, user_api="blas"):
            return fn(*args, **kwargs)

    return wrapped
