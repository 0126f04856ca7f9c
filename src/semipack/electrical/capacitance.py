"""Capacitance: a 3D method-of-moments solver for the Maxwell matrix, and a 2D cross-section solver for microstrips.

3D (`maxwell_matrix`). Every conductor is covered with charge elements of uniform
charge: a flat horizontal conductor (trace, land, route run) with rectangular panels
on its face, a wire, via, ball or post with line elements (the thin-wire reduced
kernel: the source's radius added in quadrature to every distance). Collocation at the
element centres gives the potential coefficients P (closed forms for the potential of a
uniformly charged rectangle and segment near the source, 1/R far from it); the ground
plane is an image plane (charge mirrored, sign flipped). The Maxwell matrix of the
conductors is C = S^T P^-1 S with S the element-to-conductor incidence; it is symmetric
positive definite with negative off-diagonal terms (the tests check it).

Dielectrics, stated: each element sits in the permittivity of its host, sampled on
both sides of it (a face on a laminate sees the mean of the laminate's and the air's,
the exact value for a charge on a planar interface); a pair couples through the
geometric mean of its hosts' permittivities (P_ij / sqrt(er_i er_j), which keeps C
symmetric positive definite). This is exact in a homogeneous medium and neglects the
polarisation charge on dielectric interfaces elsewhere; the 2D solver below, which
does model the interface, measures what that costs for a microstrip.

2D (`microstrip_2d`). A zero-thickness strip on a grounded dielectric slab, split
into panels graded towards its edges, with the exact Green's function on the
air-dielectric interface as a series of images [Silvester]: for a line charge q at the
interface at height h over ground, the interface potential is
q / (2 pi e0 (1 + er)) sum_n K^(n-1) ln((x^2 + (2 n h)^2) / (x^2 + (2 (n - 1) h)^2)),
K = (1 - er) / (1 + er).

References
----------
.. [Harrington] R. F. Harrington, Field Computation by Moment Methods, Macmillan 1968, ch. 2.
.. [Silvester] P. Silvester, "TEM wave properties of microstrip transmission lines",
   Proc. IEE 115(1), 43-48 (1968).
.. [Durand] E. Durand, Electrostatique, Masson 1964, vol. 1 (potential of a uniformly
   charged rectangle).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla
from numpy.typing import NDArray

from semipack.electrical.formulas import EPS0
from semipack.electrical.segments import Seg
from semipack.model import Package

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Elements:
    """Charge elements: ``kind`` 0 a line (half-length ``hl``, radius ``hw``), 1 a horizontal panel
    (half-sizes ``hl`` along ``u`` and ``hw`` across); ``cond`` the conductor each belongs to."""

    kind: NDArray[np.int64]
    centre: Array
    u: Array
    hl: Array
    hw: Array
    cond: NDArray[np.int64]
    eps_r: Array

    def __len__(self) -> int:
        return len(self.kind)


def elements_from_segments(segs: Sequence[Seg], cond: Sequence[int], size_m: float) -> Elements:
    """Mesh each segment into elements no longer (or wider) than ``size_m``; ``cond[k]`` owns segment k."""
    kind: list[int] = []
    cen: list[Array] = []
    uu: list[Array] = []
    hl: list[float] = []
    hw: list[float] = []
    cc: list[int] = []
    for s, c in zip(segs, cond, strict=True):
        if not s.charge:
            continue
        a, b = np.asarray(s.a, dtype=float), np.asarray(s.b, dtype=float)
        ln = float(np.linalg.norm(b - a))
        if ln <= 0:
            continue
        u = (b - a) / ln
        n = max(1, math.ceil(ln / size_m))
        if s.face:
            v = np.array([-u[1], u[0], 0.0])
            m = max(1, math.ceil(s.width_m / size_m))
            for k in range(n):
                for q in range(m):
                    off = ((q + 0.5) / m - 0.5) * s.width_m
                    cen.append(a + u * ln * (k + 0.5) / n + v * off)
                    kind.append(1)
                    uu.append(u)
                    hl.append(ln / n / 2)
                    hw.append(s.width_m / m / 2)
                    cc.append(c)
        else:
            # a bar post: the radius of the circle of the same perimeter
            r = s.width_m / 2 if s.round else (s.width_m + s.thickness_m) / math.pi
            for k in range(n):
                cen.append(a + u * ln * (k + 0.5) / n)
                kind.append(0)
                uu.append(u)
                hl.append(ln / n / 2)
                hw.append(r)
                cc.append(c)
    return Elements(
        np.array(kind, dtype=np.int64),
        np.array(cen, dtype=float).reshape(-1, 3),
        np.array(uu, dtype=float).reshape(-1, 3),
        np.array(hl),
        np.array(hw),
        np.array(cc, dtype=np.int64),
        np.ones(len(kind)),
    )


def merge_overlaps(el: Elements, reach_m: float) -> Elements:
    """Drop elements that lie on or inside an earlier or larger one: two charges in one place make P singular.

    This happens where the layout lays two pieces of one net over each other (routes of a
    net run along one line; a route starts inside its finger's face). A panel goes when
    its centre lies on the face of a larger panel at its height; a line element when it
    lies on the axis of a parallel one within half their lengths. ``reach_m`` bounds the
    distance between the centres of overlapping elements (the mesh size does).
    """
    from scipy.spatial import cKDTree

    n = len(el)
    if n < 2:
        return el
    pairs = cKDTree(el.centre).query_pairs(reach_m, output_type="ndarray")
    if len(pairs) == 0:
        return el
    i, j = pairs[:, 0], pairs[:, 1]
    same = el.kind[i] == el.kind[j]
    i, j = i[same], j[same]
    # order each pair: i the larger element, j the one that may go
    size = el.hl * np.where(el.kind == 1, el.hw, 1.0)
    swap = (size[j] > size[i]) | ((size[j] == size[i]) & (j < i))
    i, j = np.where(swap, j, i), np.where(swap, i, j)
    d = el.centre[j] - el.centre[i]
    along = np.abs(np.einsum("ij,ij->i", d, el.u[i]))
    across_v = d - np.einsum("ij,ij->i", d, el.u[i])[:, None] * el.u[i]
    panel = el.kind[i] == 1
    flat = np.abs(d[:, 2]) < 1e-7
    v = np.stack([-el.u[i, 1], el.u[i, 0], np.zeros(len(i))], axis=1)
    across = np.abs(np.einsum("ij,ij->i", across_v, v))
    on_panel = panel & flat & (along <= el.hl[i] * (1 + 1e-9)) & (across <= el.hw[i] * (1 + 1e-9))
    par = np.abs(np.abs(np.einsum("ij,ij->i", el.u[i], el.u[j])) - 1) < 1e-9
    on_line = (
        ~panel
        & par
        & (np.linalg.norm(across_v, axis=1) < np.maximum(el.hw[i], el.hw[j]))
        & (along < 0.5 * (el.hl[i] + el.hl[j]))
    )
    drop = np.zeros(n, dtype=bool)
    hit = on_panel | on_line
    for a, b in zip(i[hit], j[hit], strict=True):
        if not drop[a]:
            drop[b] = True
    keep = ~drop
    return Elements(el.kind[keep], el.centre[keep], el.u[keep], el.hl[keep], el.hw[keep], el.cond[keep], el.eps_r[keep])


def host_permittivity(pkg: Package, el: Elements, default: float = 1.0) -> Array:
    """Each element's host permittivity: the mean over points on both sides of it (see the module docstring)."""
    insulators = [
        b
        for b in sorted(pkg.bodies, key=lambda b: b.is_filler)  # solids win over fillers around them
        if pkg.materials[b.material].permittivity is not None and pkg.materials[b.material].resistivity_ohm_m is None
    ]
    n = len(el)
    off = np.where(el.kind == 1, 1e-6, 1.01 * el.hw)
    probes = []
    for d in ((0, 0, 1), (0, 0, -1), (1, 0, 0), (-1, 0, 0)):
        probes.append(el.centre + off[:, None] * np.asarray(d, dtype=float))
    eps = np.zeros(n)
    count = np.where(el.kind == 1, 2, 4)
    for k, p in enumerate(probes):
        val = np.full(n, default)
        todo = np.ones(n, dtype=bool)
        for b in insulators:
            if not todo.any():
                break
            inside = np.zeros(n, dtype=bool)
            inside[todo] = b.solid.contains(p[todo])
            val[inside] = float(pkg.materials[b.material].permittivity or default)
            todo &= ~inside
        eps += np.where(k < count, val, 0.0)
    return np.asarray(eps / count, dtype=np.float64)


def _rect_f(x: Array, y: Array, z: Array) -> Array:
    """Double antiderivative of 1/R over a rectangle in the plane z = 0 seen from height z [Durand]."""
    r = np.sqrt(x * x + y * y + z * z)
    with np.errstate(divide="ignore", invalid="ignore"):
        rx = np.sqrt(x * x + z * z)
        ry = np.sqrt(y * y + z * z)
        t1 = np.where(rx > 0, x * np.arcsinh(y / rx), 0.0)
        t2 = np.where(ry > 0, y * np.arcsinh(x / ry), 0.0)
        t3 = np.where((z != 0) & (r > 0), z * np.arctan(x * y / (z * r)), 0.0)
    return np.asarray(t1 + t2 - t3, dtype=np.float64)


def _pot_panel(p: Array, c: Array, u: Array, hl: Array, hw: Array) -> Array:
    """Potential x 4 pi e0 at ``p`` of unit charge spread on horizontal panels."""
    d = p - c
    v = np.stack([-u[:, 1], u[:, 0], np.zeros(len(u))], axis=1)
    x = np.einsum("ij,ij->i", d, u)
    y = np.einsum("ij,ij->i", d, v)
    z = d[:, 2]
    s = (
        _rect_f(x + hl, y + hw, z)
        - _rect_f(x - hl, y + hw, z)
        - _rect_f(x + hl, y - hw, z)
        + _rect_f(x - hl, y - hw, z)
    )
    return np.asarray(s / (4 * hl * hw), dtype=np.float64)


def _pot_line(p: Array, c: Array, u: Array, hl: Array, r: Array) -> Array:
    """Potential x 4 pi e0 at ``p`` of unit charge on line elements (reduced kernel)."""
    e0 = c - u * hl[:, None]
    e1 = c + u * hl[:, None]
    r0 = np.sqrt(np.sum((p - e0) ** 2, axis=1) + r * r)
    r1 = np.sqrt(np.sum((p - e1) ** 2, axis=1) + r * r)
    ln = 2 * hl
    return np.asarray(np.log((r0 + r1 + ln) / (r0 + r1 - ln)) / ln, dtype=np.float64)


def _near_pot(p: Array, kind: NDArray[np.int64], c: Array, u: Array, hl: Array, hw: Array) -> Array:
    out = np.empty(len(p))
    pan = kind == 1
    if pan.any():
        out[pan] = _pot_panel(p[pan], c[pan], u[pan], hl[pan], hw[pan])
    if (~pan).any():
        q = ~pan
        out[q] = _pot_line(p[q], c[q], u[q], hl[q], hw[q])
    return out


def potential_matrix(el: Elements, ground_z: float | None, near: float = 4.0, chunk: int = 512) -> Array:
    """Potential coefficients P (1/F): potential at element i per unit charge on element j.

    ``ground_z`` places a perfect ground plane (image charges) at that height; None for none.
    """
    n = len(el)
    size = np.maximum(el.hl, el.hw)
    out = np.empty((n, n))
    src_c = [el.centre]
    if ground_z is not None:
        img = el.centre.copy()
        img[:, 2] = 2 * ground_z - img[:, 2]
        src_c.append(img)
    for r0 in range(0, n, chunk):
        rows = np.arange(r0, min(n, r0 + chunk))
        block = np.zeros((len(rows), n))
        for sign, cs in zip((1.0, -1.0), src_c, strict=False):
            u = el.u.copy()
            if sign < 0:
                u[:, 2] = -u[:, 2]
            dist = np.linalg.norm(el.centre[rows, None, :] - cs[None, :, :], axis=2)
            reach = near * np.maximum(size[rows, None], size[None, :])
            val = 1.0 / np.maximum(dist, 1e-300)
            ii, jj = np.nonzero(dist < reach)
            if len(ii):
                val[ii, jj] = _near_pot(el.centre[rows][ii], el.kind[jj], cs[jj], u[jj], el.hl[jj], el.hw[jj])
            block += sign * val
        out[rows] = block
    scale = np.sqrt(np.outer(el.eps_r, el.eps_r))
    p = out / (4 * math.pi * EPS0 * scale)
    return np.asarray(0.5 * (p + p.T), dtype=np.float64)


def maxwell_matrix(el: Elements, n_cond: int, ground_z: float | None) -> Array:
    """The Maxwell capacitance matrix (F) of ``n_cond`` conductors made of the elements ``el``."""
    p = potential_matrix(el, ground_z)
    s = np.zeros((len(el), n_cond))
    s[np.arange(len(el)), el.cond] = 1.0
    lu = sla.lu_factor(p, overwrite_a=True, check_finite=False)
    c = s.T @ sla.lu_solve(lu, s, check_finite=False)
    return np.asarray(0.5 * (c + c.T), dtype=np.float64)


# --- 2D cross-section ----------------------------------------------------------------


def _int_log(x: Array, s1: Array, s2: Array, a: Array) -> Array:
    """int_{s1}^{s2} ln((x - s)^2 + a^2) ds, elementwise (a >= 0)."""

    def g(w: Array) -> Array:
        with np.errstate(divide="ignore", invalid="ignore"):
            lg = np.where(w * w + a * a > 0, w * np.log(w * w + a * a), 0.0)
            at = np.where(a > 0, 2 * a * np.arctan(w / np.where(a > 0, a, 1.0)), 0.0)
        return np.asarray(lg - 2 * w + at, dtype=np.float64)

    return g(x - s1) - g(x - s2)


def microstrip_2d(width_m: float, height_m: float, eps_r: float, panels: int = 60) -> tuple[float, float]:
    """Capacitance per unit length (F/m) of a thin strip on a grounded slab, and of the same strip in air.

    Returns ``(C', C0')``; Z0 = 1 / (c sqrt(C' C0')) and eps_eff = C' / C0'.
    """
    edges = -width_m / 2 * np.cos(np.pi * np.arange(panels + 1) / panels)
    s1, s2 = edges[:-1], edges[1:]
    xm = 0.5 * (s1 + s2)
    out = []
    for er in (eps_r, 1.0):
        k = (1 - er) / (1 + er)
        terms = 1 if k == 0 else min(4000, int(math.log(1e-13) / math.log(abs(k))) + 2)
        x = xm[:, None, None]
        a1, a2 = s1[None, :, None], s2[None, :, None]
        nn = np.arange(1, terms + 1)[None, None, :]
        num = _int_log(x, a1, a2, 2 * nn * height_m + 0 * x)
        den = _int_log(x, a1, a2, 2 * (nn - 1) * height_m + 0 * x)
        kern = np.sum(k ** (nn - 1) * (num - den), axis=2) / (2 * math.pi * EPS0 * (1 + er))
        sigma = np.linalg.solve(kern, np.ones(panels))
        out.append(float(np.sum(sigma * (s2 - s1))))
    return out[0], out[1]
