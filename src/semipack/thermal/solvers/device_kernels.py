"""CUDA kernels of column AMG's device cycle, and their numpy counterparts (the reference).

Three kernels carry the whole cycle; everything else is vector arithmetic of the array module:

- ``csr_spmv``: ``y = A x`` or ``y += A x`` for a CSR matrix, one thread per row (the
  operators have 3-20 entries a row, so a row's loop is short and a warp's rows are
  neighbours in memory). Own kernel rather than cuSPARSE: a library call sets up
  descriptors and a work buffer on the host each time, which costs more than the product
  itself on the small coarse levels that a cycle visits most often.
- ``colour_rhs`` and ``thomas_lines``: one colour of z-line Gauss-Seidel. First the
  right-hand side ``r + (-B) x`` of every cell of the colour, one thread per cell (the
  colour's rows of the off-line operator: earlier colours always, later ones on the
  backward sweep); then Thomas' elimination and back substitution, one thread per vertical
  line. A colour never couples to itself, so no thread reads what another writes. The
  colour's unknowns are numbered layer by layer (``k * L + i`` for line ``i`` of ``L`` at
  height ``k``), so neighbouring threads touch neighbouring words. The line recurrence is
  sequential (``nz`` dependent steps); its loads are not, so they come from buffers that
  alias nothing (``__restrict__``) and the loop is unrolled: a first version that fused
  both steps and read and wrote ``x`` in the recurrence waited for memory at every step
  (0.3 ms a sweep whatever the level's size; 0.6 s a cycle at 10.8 M cells on an H200).

The source is plain CUDA C with no shared memory and no synchronisation: every thread is
independent, which is also what lets the tests compile the very same text as C++ and run
it thread by thread on the CPU (``tests/cuda_emulation.py``).

References
----------
Bell, Garland, "Implementing sparse matrix-vector multiplication on throughput-oriented
processors", SC'09 (2009) (the scalar CSR kernel, one thread per row).
Golub, Van Loan, Matrix Computations, 4th ed., Johns Hopkins 2013, section 4.3.6
(Thomas' algorithm as the ``L D L^T`` factorisation of a symmetric tridiagonal).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import scipy.sparse as sp

CUDA_SOURCE = r"""
extern "C" __global__ void csr_spmv(const int n, const int* ptr, const int* idx, const double* val,
                                    const double* x, double* y, const int accumulate) {
    const int i = blockDim.x * blockIdx.x + threadIdx.x;
    if (i >= n) return;
    double s = accumulate ? y[i] : 0.0;
    for (int j = ptr[i]; j < ptr[i + 1]; ++j) s += val[j] * x[idx[j]];
    y[i] = s;
}

extern "C" __global__ void colour_rhs(const int n, const int start,
                                      const int* lo_ptr, const int* lo_idx, const double* lo_val,
                                      const int* up_ptr, const int* up_idx, const double* up_val,
                                      const int use_upper, const double* r, const double* x, double* rhs) {
    // One thread per cell of the colour: r + (-B) x over earlier (and, backward, later) colours.
    const int loc = blockDim.x * blockIdx.x + threadIdx.x;
    if (loc >= n) return;
    double s = r[start + loc];
    for (int j = lo_ptr[loc]; j < lo_ptr[loc + 1]; ++j) s += lo_val[j] * x[lo_idx[j]];
    if (use_upper) {
        for (int j = up_ptr[loc]; j < up_ptr[loc + 1]; ++j) s += up_val[j] * x[up_idx[j]];
    }
    rhs[loc] = s;
}

extern "C" __global__ void thomas_lines(const int L, const int nz, const int start,
                                        const double* __restrict__ a, const double* __restrict__ cp,
                                        const double* __restrict__ inv_den, const double* __restrict__ rhs,
                                        double* __restrict__ work, double* __restrict__ x) {
    // One thread per line i; cell k of the line is k * L + i in the colour. The loads of a step
    // do not depend on the recurrence and no pointer aliases another, so the unrolled loop has
    // the next steps' loads in flight while the current step computes.
    const int i = blockDim.x * blockIdx.x + threadIdx.x;
    if (i >= L) return;
    double prev = 0.0;
#pragma unroll 16
    for (int k = 0; k < nz; ++k) {
        const int loc = k * L + i;
        prev = (rhs[loc] - a[loc] * prev) * inv_den[loc];  // a is zero at k = 0
        work[loc] = prev;
    }
    x[start + (nz - 1) * L + i] = prev;
#pragma unroll 16
    for (int k = nz - 2; k >= 0; --k) {
        const int loc = k * L + i;
        prev = work[loc] - cp[loc] * prev;
        x[start + loc] = prev;
    }
}

#define CHUNK 16
extern "C" __global__ void thomas_lines_chunked(const int L, const int nz, const int start,
                                                const double* __restrict__ a, const double* __restrict__ cp,
                                                const double* __restrict__ inv_den, const double* __restrict__ rhs,
                                                double* __restrict__ work, double* __restrict__ x) {
    // As thomas_lines, with the loads of CHUNK steps gathered into registers before the
    // recurrence runs through them: one memory latency per CHUNK steps by construction,
    // whatever the compiler makes of the aliasing (an experimental variant: not yet measured).
    const int i = blockDim.x * blockIdx.x + threadIdx.x;
    if (i >= L) return;
    double prev = 0.0;
    for (int k0 = 0; k0 < nz; k0 += CHUNK) {
        double r_[CHUNK], a_[CHUNK], d_[CHUNK];
#pragma unroll
        for (int j = 0; j < CHUNK; ++j) {
            const int loc = (k0 + j) * L + i;
            const bool in = k0 + j < nz;
            r_[j] = in ? rhs[loc] : 0.0;
            a_[j] = in ? a[loc] : 0.0;
            d_[j] = in ? inv_den[loc] : 0.0;
        }
#pragma unroll
        for (int j = 0; j < CHUNK; ++j) {
            if (k0 + j < nz) {
                prev = (r_[j] - a_[j] * prev) * d_[j];
                work[(k0 + j) * L + i] = prev;
            }
        }
    }
    x[start + (nz - 1) * L + i] = prev;
    for (int k1 = nz - 2; k1 >= 0; k1 -= CHUNK) {  // k1 down to k1 - CHUNK + 1
        double w_[CHUNK], c_[CHUNK];
#pragma unroll
        for (int j = 0; j < CHUNK; ++j) {
            const int loc = (k1 - j) * L + i;
            const bool in = k1 - j >= 0;
            w_[j] = in ? work[loc] : 0.0;
            c_[j] = in ? cp[loc] : 0.0;
        }
#pragma unroll
        for (int j = 0; j < CHUNK; ++j) {
            if (k1 - j >= 0) {
                prev = w_[j] - c_[j] * prev;
                x[start + (k1 - j) * L + i] = prev;
            }
        }
    }
}
"""
LINE_KERNELS = ("thomas_lines", "thomas_lines_chunked")  # the second: an experimental variant for the bench

THREADS = 128  # per block for the per-cell and per-row kernels
LINE_THREADS = 64  # per block for the per-line kernel: a colour of the finest level has only 10-50 k lines
Kernel = Callable[[tuple[int], tuple[int], tuple[Any, ...]], None]  # (grid, block, args), as CuPy's RawKernel


@cache
def cupy_kernels() -> dict[str, Kernel]:
    """The kernels compiled by CuPy (NVRTC) for the current device, by name (once a process)."""
    import cupy

    module = cupy.RawModule(code=CUDA_SOURCE)
    return {name: module.get_function(name) for name in ("csr_spmv", "colour_rhs", *LINE_KERNELS)}


def blocks(n: int, threads: int = THREADS) -> tuple[int]:
    """The launch grid for ``n`` threads in blocks of ``threads``."""
    return (max((n + threads - 1) // threads, 1),)


INDEX_LIMIT = 2**31 - 1024  # a thread index (block * size + thread) must not wrap in a 32-bit int


@dataclass(frozen=True)
class DeviceCSR:
    """A CSR matrix as three arrays of the array module (int32 indices), for ``csr_spmv``; ``host`` is the scipy one."""

    host: sp.csr_matrix
    ptr: Any
    idx: Any
    val: Any

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return (int(self.host.shape[0]), int(self.host.shape[1]))

    @classmethod
    def from_host(cls, m: sp.csr_matrix, xp: Any) -> DeviceCSR:
        """``m`` on the array module ``xp``; a ValueError naming ``rows`` or ``nnz`` past the kernels' 32-bit indices."""
        for name, value in (("rows", m.shape[0]), ("nnz", m.nnz)):
            if value > INDEX_LIMIT:
                raise ValueError(f"{name}: got {value}; the GPU kernels index with 32 bits, at most {INDEX_LIMIT}")
        data = np.asarray(m.data, dtype=np.float64)
        return cls(m, xp.asarray(m.indptr.astype(np.int32)), xp.asarray(m.indices.astype(np.int32)), xp.asarray(data))


def spmv_reference(m: DeviceCSR, x: np.ndarray, y: np.ndarray, accumulate: bool) -> None:
    """``csr_spmv`` in numpy/scipy (the reference the kernel is tested against)."""
    if accumulate:
        y += m.host @ x
    else:
        y[:] = m.host @ x


def sweep_reference(
    lines: int,
    nz: int,
    start: int,
    lower: DeviceCSR,
    upper: DeviceCSR,
    use_upper: bool,
    factors: tuple[np.ndarray, ...],
    r: np.ndarray,
    x: np.ndarray,
) -> None:
    """``colour_rhs`` then ``thomas_lines`` in numpy, all lines at once (the kernels' reference)."""
    a, cp, inv_den = (f.reshape(nz, lines) for f in factors)
    stop = start + lines * nz
    rhs = r[start:stop] + lower.host @ x
    if use_upper:
        rhs += upper.host @ x
    rhs = rhs.reshape(nz, lines)
    out = x[start:stop].reshape(nz, lines)
    prev = np.zeros(lines)
    for k in range(nz):
        prev = (rhs[k] - a[k] * prev) * inv_den[k]
        out[k] = prev
    for k in range(nz - 2, -1, -1):
        out[k] -= cp[k] * out[k + 1]
