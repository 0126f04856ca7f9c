"""Partial inductance (PEEC): self and mutual partial inductances of straight conductor segments.

Every segment carries a uniform current along its axis (DC, or the inductance at the
frequencies where the current still fills the section). The matrix ``Lp`` of partial
self and mutual inductances [Ruehli] is assembled pair by pair:

- self terms: a round piece by the exact formula for a straight round conductor
  (`semipack.electrical.formulas.l_round`), a bar by Hoer and Love's exact formula for
  a rectangular bar [HoerLove] eq. (20) (Grover/Ruehli's closed form once it is longer
  than 200 times its section, where Hoer and Love lose digits to cancellation);
- parallel pairs: Grover's closed form for parallel filaments [Grover] at the centre
  distance, with that distance floored at the geometric mean distance of the sections
  (coincident pieces); near parallel bars in the same plane by Hoer and Love's exact
  mutual inductance of parallel rectangular bars [HoerLove] eq. (14);
- any other pair: the Neumann integral, done analytically along one segment and by
  Gauss-Legendre quadrature along the other [Paul];
- far pairs (centre distance over ``far`` times the longer length): the two-midpoint
  term mu0/(4 pi) (u_i . u_j) l_i l_j / R, whose error falls as (l/R)^2.

References
----------
.. [Ruehli] A. E. Ruehli, "Inductance calculations in a complex integrated circuit
   environment", IBM J. Res. Dev. 16(5), 470-481 (1972).
.. [Grover] F. W. Grover, Inductance Calculations, Van Nostrand 1946 (Dover 2004), ch. 2.
.. [HoerLove] C. Hoer and C. Love, "Exact inductance equations for rectangular
   conductors with applications to more complicated geometries", J. Res. NBS 69C(2),
   127-137 (1965), eqs. (14) and (20).
.. [Paul] C. R. Paul, Inductance: Loop and Partial, Wiley-IEEE 2010, ch. 5.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from semipack.electrical import formulas as fm
from semipack.electrical.segments import Seg

MU0_4PI = 1e-7  # mu0 / (4 pi), H/m
Array = NDArray[np.float64]

# A bar longer than this many times (w + t) is left to the long-bar closed forms:
# Hoer and Love's sums cancel to ~1e-16 (l/(w+t))^5 of their terms.
_HL_MAX_ASPECT = 200.0


def _hl_f(x: Array, y: Array, z: Array) -> Array:
    """Hoer and Love's function of eq. (14) (zero-safe: a term whose factor vanishes is 0)."""
    x2, y2, z2 = x * x, y * y, z * z
    r = np.sqrt(x2 + y2 + z2)
    out = (x2 * x2 + y2 * y2 + z2 * z2 - 3 * x2 * y2 - 3 * y2 * z2 - 3 * x2 * z2) * r / 60.0
    with np.errstate(divide="ignore", invalid="ignore"):
        for p, q2, s2, qq, ss in ((x, y2, z2, y, z), (y, x2, z2, x, z), (z, x2, y2, x, y)):
            rho = np.sqrt(q2 + s2)
            # ln((p + r) / rho) as asinh(p / rho): no cancellation where p < 0
            term = (q2 * s2 / 4 - q2 * q2 / 24 - s2 * s2 / 24) * p * np.arcsinh(p / rho)
            out = out + np.where((rho > 0) & (qq * qq + ss * ss > 0), term, 0.0)
        nz = (x != 0) & (y != 0) & (z != 0)
        at = (
            x * y * z2 * z / 6 * np.arctan(x * y / (z * r))
            + x * y2 * y * z / 6 * np.arctan(x * z / (y * r))
            + x2 * x * y * z / 6 * np.arctan(y * z / (x * r))
        )
        out = out - np.where(nz, at, 0.0)
    return np.asarray(out, dtype=np.float64)


def hoer_love_mutual(
    a: float, b: float, l1: float, d: float, c: float, l2: float, e: float, p: float, l3: float
) -> float:
    """Mutual inductance of two parallel rectangular bars [HoerLove] eq. (14) (H).

    Bar 1 spans x in [0, a], y in [0, b], z in [0, l1]; bar 2 spans x in [e, e + d],
    y in [p, p + c], z in [l3, l3 + l2]; both carry uniform current along z.
    """
    args = (np.array([v], dtype=np.float64) for v in (a, b, l1, d, c, l2, e, p, l3))
    return float(hoer_love_mutuals(*args)[0])


def hoer_love_mutuals(
    a: Array, b: Array, l1: Array, d: Array, c: Array, l2: Array, e: Array, p: Array, l3: Array
) -> Array:
    """`hoer_love_mutual` for arrays of bar pairs."""
    q = np.stack([e - a, e + d - a, e + d, e], axis=1)
    r = np.stack([p - b, p + c - b, p + c, p], axis=1)
    s = np.stack([l3 - l1, l3 + l2 - l1, l3 + l2, l3], axis=1)
    sign = np.array([1.0, -1.0, 1.0, -1.0])  # (-1)^(i+1) for i = 1..4
    w = sign[:, None, None] * sign[None, :, None] * sign[None, None, :]  # (-1)^(i+j+k+1)
    f = _hl_f(q[:, :, None, None], r[:, None, :, None], s[:, None, None, :])
    total = np.sum(w[None] * f, axis=(1, 2, 3))
    return np.asarray(MU0_4PI * total / (a * b * c * d), dtype=np.float64)


def hoer_love_self(width: float, thickness: float, length: float) -> float:
    """Partial self-inductance of a rectangular bar with uniform current [HoerLove] eq. (20) (H)."""
    q = np.array([width, 0.0])
    r = np.array([thickness, 0.0])
    s = np.array([length, 0.0])
    sign = np.array([1.0, -1.0])
    qq, rr, ss = np.meshgrid(q, r, s, indexing="ij")
    w = sign[:, None, None] * sign[None, :, None] * sign[None, None, :]
    total = float(np.sum(w * _hl_f(qq, rr, ss)))
    return 8 * MU0_4PI * total / (width**2 * thickness**2)


def self_inductance(s: Seg) -> float:
    """Partial self-inductance of one segment (H)."""
    ln = s.length_m
    if s.round:
        return fm.l_round(ln, s.width_m / 2)
    if ln / (s.width_m + s.thickness_m) > _HL_MAX_ASPECT:
        return fm.l_bar(ln, s.width_m, s.thickness_m)
    return hoer_love_self(s.width_m, s.thickness_m, ln)


def gmd(s: Seg) -> float:
    """Geometric mean distance of a section from itself: 0.7788 r (round), 0.2235 (w + t) (bar) [Grover]."""
    return math.exp(-0.25) * s.width_m / 2 if s.round else 0.2235 * (s.width_m + s.thickness_m)


def _grover_parallel(li: Array, t0: Array, t1: Array, d: Array) -> Array:
    """Vectorised `formulas.m_parallel` for filament i on [0, li] and j on [t0, t1] (t0 < t1)."""

    def g(x: Array) -> Array:
        return np.asarray(x * np.arcsinh(x / d) - np.hypot(x, d), dtype=np.float64)

    return MU0_4PI * (g(li - t0) - g(li - t1) - g(-t0) + g(-t1))


def _neumann_gl(a0: Array, u: Array, li: Array, b0: Array, b1: Array, lj: Array, eps: Array, order: int) -> Array:
    """Neumann double integral of filament pairs: analytic along j, Gauss-Legendre along i.

    int_j dl' / |p - r'| = ln((R0 + R1 + lj) / (R0 + R1 - lj)), with R regularised by
    ``eps`` (the sections' mean GMD) so that touching pieces stay finite.
    """
    xi, wt = np.polynomial.legendre.leggauss(order)
    t = 0.5 * (xi + 1.0)
    acc = np.zeros(len(li))
    e2 = eps * eps
    for tk, wk in zip(t, wt, strict=True):
        p = a0 + u * (li * tk)[:, None]
        r0 = np.sqrt(np.sum((p - b0) ** 2, axis=1) + e2)
        r1 = np.sqrt(np.sum((p - b1) ** 2, axis=1) + e2)
        s = r0 + r1
        acc += 0.5 * wk * np.log((s + lj) / np.maximum(s - lj, 1e-300))
    return MU0_4PI * acc * li


def partial_inductance(segs: Sequence[Seg], far: float = 5.0, order: int = 12, chunk: int = 256) -> Array:
    """The partial-inductance matrix of ``segs`` (H), symmetric.

    Pieces with ``inductive`` False get a zero row and column.
    """
    n = len(segs)
    a = np.array([s.a for s in segs], dtype=np.float64).reshape(n, 3)
    b = np.array([s.b for s in segs], dtype=np.float64).reshape(n, 3)
    ln = np.linalg.norm(b - a, axis=1)
    u = (b - a) / np.maximum(ln, 1e-300)[:, None]
    mid = 0.5 * (a + b)
    g = np.array([gmd(s) for s in segs])
    active = np.array([s.inductive for s in segs], dtype=bool)
    out = np.zeros((n, n))
    for r0 in range(0, n, chunk):
        rows = np.arange(r0, min(n, r0 + chunk))
        out[rows] = _rows(rows, a, b, ln, u, mid, g, far, order)
    out = 0.5 * (out + out.T)
    for i, s in enumerate(segs):
        out[i, i] = self_inductance(s)
    _hoer_love_near_bars(segs, out, a, u, ln)
    mask = active[:, None] & active[None, :]
    return np.where(mask, out, 0.0)


def _rows(
    rows: NDArray[np.int64], a: Array, b: Array, ln: Array, u: Array, mid: Array, g: Array, far: float, order: int
) -> Array:
    n = len(ln)
    ii = np.repeat(rows, n)
    jj = np.tile(np.arange(n), len(rows))
    keep = ii != jj
    ii, jj = ii[keep], jj[keep]
    dot = np.einsum("ij,ij->i", u[ii], u[jj])
    rc = np.linalg.norm(mid[ii] - mid[jj], axis=1)
    val = np.zeros(len(ii))
    is_far = rc > far * np.maximum(ln[ii], ln[jj])
    val[is_far] = MU0_4PI * dot[is_far] * ln[ii[is_far]] * ln[jj[is_far]] / rc[is_far]
    near = ~is_far & (np.abs(dot) > 1e-12)
    par = near & (np.abs(dot) > 1 - 1e-9)
    if par.any():
        pi, pj = ii[par], jj[par]
        da = a[pj] - a[pi]
        db = b[pj] - a[pi]
        t0 = np.einsum("ij,ij->i", da, u[pi])
        t1 = np.einsum("ij,ij->i", db, u[pi])
        perp = np.linalg.norm(da - t0[:, None] * u[pi], axis=1)
        # Thick pieces closer than their sections' GMD (coincident, end to end) couple as at the GMD:
        # the uniform-current average of 1/R over two sections [Grover].
        d = np.maximum(perp, np.sqrt(g[pi] * g[pj]))
        val[par] = np.sign(dot[par]) * _grover_parallel(ln[pi], np.minimum(t0, t1), np.maximum(t0, t1), d)
    gen = near & ~par
    if gen.any():
        gi, gj = ii[gen], jj[gen]
        neu = _neumann_gl(a[gi], u[gi], ln[gi], a[gj], b[gj], ln[gj], np.sqrt(g[gi] * g[gj]), order)
        val[gen] = dot[gen] * neu
    block = np.zeros((len(rows), n))
    block[ii - rows[0], jj] = val
    return block


def _hoer_love_near_bars(segs: Sequence[Seg], out: Array, a: Array, u: Array, ln: Array) -> None:
    """Replace the filament value of near, parallel, horizontal bars by Hoer and Love's exact one."""
    bars = np.array(
        [
            k
            for k, s in enumerate(segs)
            if not s.round and s.face and abs(u[k, 2]) < 1e-12 and ln[k] / (s.width_m + s.thickness_m) <= _HL_MAX_ASPECT
        ],
        dtype=np.int64,
    )
    if len(bars) < 2:
        return
    w = np.array([segs[k].width_m for k in bars])
    th = np.array([segs[k].thickness_m for k in bars])
    end = a[bars] + u[bars] * ln[bars, None]
    lo, hi = np.minimum(a[bars], end), np.maximum(a[bars], end)
    pi_list, pj_list = [], []
    for k in range(len(bars) - 1):
        reach = 2 * (w[k] + th[k])
        rest = slice(k + 1, None)
        close = np.all((lo[rest] <= hi[k] + reach) & (hi[rest] >= lo[k] - reach), axis=1)
        par = np.abs(np.abs(u[bars[rest]] @ u[bars[k]]) - 1) < 1e-9
        m = np.flatnonzero(close & par) + k + 1
        pi_list.append(np.full(len(m), k))
        pj_list.append(m)
    ki, kj = np.concatenate(pi_list), np.concatenate(pj_list)
    if len(ki) == 0:
        return
    bi, bj = bars[ki], bars[kj]
    ui = u[bi]
    v = np.stack([-ui[:, 1], ui[:, 0], np.zeros(len(bi))], axis=1)  # width direction: z x u
    rel = a[bj] - a[bi]
    cos = np.einsum("ij,ij->i", u[bj], ui)
    t0 = np.einsum("ij,ij->i", rel, ui)
    t1 = t0 + ln[bj] * cos
    ex = np.einsum("ij,ij->i", rel, v) + (w[ki] - w[kj]) / 2
    py = rel[:, 2] + (th[ki] - th[kj]) / 2
    mut = hoer_love_mutuals(w[ki], th[ki], ln[bi], w[kj], th[kj], ln[bj], ex, py, np.minimum(t0, t1))
    out[bi, bj] = out[bj, bi] = np.sign(cos) * mut
