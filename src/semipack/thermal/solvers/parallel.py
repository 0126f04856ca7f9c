"""Row blocks of the column-AMG kernels on every core: threads, and kernels that release the GIL.

The cycle's work is CSR products and z-line solves on blocks of 1e5 to 1e7 rows. scipy's
CSR product releases the GIL, so halves of one product run on two cores at once. LAPACK's
tridiagonal solve ``dpttrs`` does too when it is called through the function pointer scipy
exports for Cython (`scipy.linalg.cython_lapack`) with ctypes, which drops the GIL for a
foreign call; the f2py wrapper ``scipy.linalg.lapack.dpttrs`` holds it. Lines are
independent, so a colour's block of lines splits at line boundaries with the same answer to
the last bit.

A block is split only above ``MIN_ROWS`` rows: handing a piece to a waiting thread costs
tens of microseconds, which small levels do not repay (OpenBLAS's own threading of
level-1 operations was measured to slow the solver down, see `blas_threads`). And it is
split only while one solve is under way (`solving`): the lanes of ``--jedec`` already
run one solve per core.

References
----------
Python documentation, ``ctypes``: "function pointers created with CFUNCTYPE release the
GIL during the call". scipy.linalg.cython_lapack: "Raw function pointers (Fortran-style
pointer arguments) to LAPACK", exported as PyCapsules in ``__pyx_capi__``.
Anderson et al., LAPACK Users' Guide, 3rd ed., SIAM 1999 (xPTTRS: solves with the L D L^T
factors of a symmetric positive definite tridiagonal matrix from xPTTRF).
"""

from __future__ import annotations

import ctypes
import itertools
import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import cache

import numpy as np
import scipy.linalg.lapack as lapack
from numpy.typing import NDArray

Array = NDArray[np.float64]

# Threads, the calling one included: the cores this process may run on.
WORKERS = max(1, len(os.sched_getaffinity(0))) if hasattr(os, "sched_getaffinity") else max(1, os.cpu_count() or 1)
MIN_ROWS = 50_000  # below this a block runs in the calling thread


_lock = threading.Lock()
_solving = 0


@contextmanager
def solving() -> Iterator[None]:
    """Count a solve under way in any thread: blocks are split over the cores only while it is the only one."""
    global _solving
    with _lock:
        _solving += 1
    try:
        yield
    finally:
        with _lock:
            _solving -= 1


@cache
def _executor() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=WORKERS - 1, thread_name_prefix="semipack-rows")


def split_rows(fn: Callable[[int, int], None], lo: int, hi: int, unit: int = 1) -> None:
    """``fn(a, b)`` on ``[lo, hi)`` cut into up to `WORKERS` pieces at multiples of ``unit`` from ``lo``, concurrently.

    ``fn`` must write only its own rows and must not call `split_rows` itself (a piece
    waiting for the pool from inside the pool could wait for itself).
    """
    units = (hi - lo) // unit
    parts = min(WORKERS, units) if hi - lo >= MIN_ROWS and _solving <= 1 else 1
    if parts <= 1:
        fn(lo, hi)
        return
    cuts = [lo + (units * i // parts) * unit for i in range(parts)] + [hi]
    pending = [_executor().submit(fn, a, b) for a, b in itertools.pairwise(cuts[1:])]
    fn(cuts[0], cuts[1])
    for f in pending:
        f.result()


@cache
def _gil_free_dpttrs() -> Callable[..., None] | None:
    """LAPACK ``dpttrs`` behind a ctypes pointer (None where scipy does not export it as expected)."""
    try:
        from scipy.linalg import cython_lapack

        capsule = cython_lapack.__pyx_capi__["dpttrs"]
        api = ctypes.pythonapi
        api.PyCapsule_GetName.restype = ctypes.c_char_p
        api.PyCapsule_GetName.argtypes = [ctypes.py_object]
        api.PyCapsule_GetPointer.restype = ctypes.c_void_p
        api.PyCapsule_GetPointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
        signature = api.PyCapsule_GetName(capsule)
        # n, nrhs, d, e, b, ldb, info: 32-bit ints as scipy's LP64 LAPACK takes them
        if not signature or not signature.startswith(b"void (int *, int *, "):
            return None
        pointer = api.PyCapsule_GetPointer(capsule, signature)
    except (ImportError, KeyError, AttributeError, ValueError):
        return None
    fn: Callable[..., None] = ctypes.CFUNCTYPE(None, *(ctypes.c_void_p,) * 7)(pointer)
    return fn


def line_solve(d: Array, e: Array, b: Array) -> None:
    """Solve the tridiagonal system with ``pttrf`` factors ``d, e`` in place in ``b`` (contiguous float64)."""
    fn = _gil_free_dpttrs()
    if fn is None or len(b) >= 2**31:
        sol, _ = lapack.dpttrs(d, e, b, overwrite_b=1)
        if sol is not b:  # LAPACK worked on a copy (not the case for contiguous float64)
            b[:] = sol
        return
    n, one, info_c = ctypes.c_int(len(b)), ctypes.c_int(1), ctypes.c_int(0)
    fn(
        ctypes.addressof(n),
        ctypes.addressof(one),
        d.ctypes.data,
        e.ctypes.data,
        b.ctypes.data,
        ctypes.addressof(n),
        ctypes.addressof(info_c),
    )
    if info_c.value != 0:  # only argument errors are possible: a programming error
        raise ArithmeticError(f"dpttrs refused argument {-info_c.value}")
