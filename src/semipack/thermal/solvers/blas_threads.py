"""One BLAS thread for the iterative solvers' vector operations.

A Krylov iteration's axpy, dot products and norms, and the batched tridiagonal solves of
a line smoother, are memory-bound level-1 and level-2 operations on vectors of 1e5 to 1e7
entries. OpenBLAS threads each such call over every core and joins them again before it
returns; on the 2-core CI machine the wake-ups and the join cost more than the second
core's share of the bandwidth brings (measured, bench/thermal.py at 0.75 M cells on the
2-core AMD EPYC machine, 2026-11-29: column AMG 2.43 s with one BLAS thread, 3.92 s
with two, the same 22 iterations; at 0.24 M cells 0.75 s against 1.57 s). The solvers
therefore run with ``SOLVER_BLAS_THREADS`` threads.

The BLAS thread count is process-wide, so the limit is too: `one_blas_thread` counts the
solves under way in any thread, sets the limit when the first one starts and restores the
process's setting when the last one ends (a per-call limit would let a solve that ends in
one thread restore two threads under a solve still running in another).

References
----------
OpenBLAS, "Setting the number of threads" (OPENBLAS_NUM_THREADS; level-1 routines such as
daxpy and ddot are threaded above a size threshold), https://github.com/OpenMathLib/OpenBLAS.
threadpoolctl, "Python helpers to limit the number of threads used in native libraries"
(ThreadpoolController.limit), https://github.com/joblib/threadpoolctl.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

SOLVER_BLAS_THREADS = 1

_lock = threading.Lock()
_active = 0
_limiter: Any = None


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """``SOLVER_BLAS_THREADS`` BLAS threads while any block of this kind runs, in any thread."""
    global _active, _limiter
    with _lock:
        if _active == 0:
            from threadpoolctl import ThreadpoolController

            # A controller made now sees every BLAS loaded so far (numpy's and scipy's).
            _limiter = ThreadpoolController().limit(limits=SOLVER_BLAS_THREADS, user_api="blas")
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0:
                _limiter.restore_original_limits()
                _limiter = None


def blas_threads(fn: Callable[P, R]) -> Callable[P, R]:
    """Run ``fn`` inside `one_blas_thread`."""

    @functools.wraps(fn)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with one_blas_thread():
            return fn(*args, **kwargs)

    return wrapped
