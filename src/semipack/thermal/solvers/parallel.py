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
level-1 operations was measured to slow the solver down, see `blas_threads`). Solves
under way at once (the lanes of ``--jedec``, `solving`) share the cores: on two cores
each of two lanes runs alone. The core count honours ``OMP_NUM_THREADS``, and a study's
worker processes use one each.

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
from concurrent.futures import ThreadPoolExecutor, wait
from contextlib import contextmanager
from functools import cache

import numpy as np
import scipy.linalg.lapack as lapack
from numpy.typing import NDArray

Array = NDArray[np.float64]


def _cores() -> int:
    """The cores this process may use, at most ``OMP_NUM_THREADS`` where that is set (Dask's workers set it to 1)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        cap = int(os.environ.get("OMP_NUM_THREADS", "0"))
    except ValueError:
        cap = 0
    return max(1, min(cores, cap) if cap > 0 else cores)


# Threads, the calling one included. A study's process pool sets 1 in each worker (one core each).
WORKERS = _cores()
MIN_ROWS = 50_000  # below this a block runs in the calling thread

_lock = threading.Lock()
_solving = 0
_inside = threading.local()  # set in the pool's threads: a piece never waits for the pool


@contextmanager
def solving() -> Iterator[None]:
    """Count a solve under way in any thread: each gets an equal share of the cores."""
    global _solving
    with _lock:
        _solving += 1
    try:
        yield
    finally:
        with _lock:
            _solving -= 1


def _mark_inside() -> None:
    _inside.flag = True


@cache
def _executor() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=WORKERS - 1, thread_name_prefix="semipack-rows", initializer=_mark_inside)


def _after_fork_in_child() -> None:
    """A forked child (a study's process pool) inherits the pool object but none of its threads."""
    global _solving
    _executor.cache_clear()
    _solving = 0


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def split_rows(fn: Callable[[int, int], None], lo: int, hi: int, unit: int = 1) -> None:
    """``fn(a, b)`` on ``[lo, hi)`` cut into pieces at multiples of ``unit`` from ``lo``, concurrently.

    The pieces are this solve's share of `WORKERS` (all of them while it is the only solve,
    half each for two lanes on four cores, none beyond the calling thread on two). ``fn``
    must write only its own rows; called from a piece, `split_rows` runs serially.
    """
    units = (hi - lo) // unit
    share = WORKERS // max(1, _solving)
    parts = min(share, units) if hi - lo >= MIN_ROWS and not getattr(_inside, "flag", False) else 1
    if parts <= 1:
        fn(lo, hi)
        return
    cuts = [lo + (units * i // parts) * unit for i in range(parts)] + [hi]
    pending = [_executor().submit(fn, a, b) for a, b in itertools.pairwise(cuts[1:])]
    try:
        fn(cuts[0], cuts[1])
    finally:
        wait(pending)  # no piece may still write once this returns or raises
    for f in pending:
        f.result()  # a piece's exception, raised here


@cache
def _gil_free_dpttrs() -> Callable[..., None] | None:
    """LAPACK ``dpttrs`` behind a ctypes pointer (None where scipy does not export it as expected)."""
    try:
        from scipy.linalg import cython_lapack

        capsule = cython_lapack.__pyx_capi__["dpttrs"]
        # private prototypes: setting argtypes on ctypes.pythonapi's own would change them process-wide
        get_name = ctypes.PYFUNCTYPE(ctypes.c_char_p, ctypes.py_object)(("PyCapsule_GetName", ctypes.pythonapi))
        get_pointer = ctypes.PYFUNCTYPE(ctypes.c_void_p, ctypes.py_object, ctypes.c_char_p)(
            ("PyCapsule_GetPointer", ctypes.pythonapi)
        )
        signature = get_name(capsule)
        # n, nrhs, d, e, b, ldb, info: 32-bit ints as scipy's LP64 LAPACK takes them
        if not signature or not signature.startswith(b"void (int *, int *, "):
            return None
        pointer = get_pointer(capsule, signature)
    except (ImportError, KeyError, AttributeError, ValueError):
        return None
    fn: Callable[..., None] = ctypes.CFUNCTYPE(None, *(ctypes.c_void_p,) * 7)(pointer)
    return fn


def _fits(d: Array, e: Array, b: Array) -> bool:
    """What the raw pointer needs: contiguous float64 arrays of matching lengths, a 32-bit size."""
    arrays = (d, e, b)
    return (
        all(a.dtype == np.float64 and a.flags.c_contiguous for a in arrays)
        and len(d) == len(b)
        and len(e) >= len(b) - 1
        and 0 < len(b) < 2**31
    )


def line_solve(d: Array, e: Array, b: Array) -> None:
    """Solve the tridiagonal system with ``pttrf`` factors ``d, e`` in place in ``b``."""
    if len(b) == 0:
        return
    fn = _gil_free_dpttrs()
    if fn is None or not _fits(d, e, b):
        sol, _ = lapack.dpttrs(d, e, b, overwrite_b=1)
        if sol is not b:  # LAPACK worked on a copy (b not contiguous float64)
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
