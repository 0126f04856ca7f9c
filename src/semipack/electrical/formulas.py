"""Closed-form resistance, inductance and capacitance of package conductors and thin-film passives.

Every function takes SI values and returns SI values (ohm, H, F).

References
----------
.. [Grover] F. W. Grover, Inductance Calculations, Van Nostrand 1946 (Dover 2004).
.. [Paul] C. R. Paul, Inductance: Loop and Partial, Wiley-IEEE 2010, ch. 5 (partial
   self and mutual inductances of straight conductors).
.. [Ruehli] A. E. Ruehli, "Inductance calculations in a complex integrated circuit
   environment", IBM J. Res. Dev. 16(5), 470-481 (1972).
.. [HJ] E. Hammerstad and O. Jensen, "Accurate models for microstrip computer-aided
   design", IEEE MTT-S Int. Microwave Symp. Digest, 1980, pp. 407-409.
.. [Pozar] D. M. Pozar, Microwave Engineering, 4th ed., Wiley 2012, section 3.8.
.. [Mohan] S. S. Mohan, M. del Mar Hershenson, S. P. Boyd, T. H. Lee, "Simple accurate
   expressions for planar spiral inductances", IEEE J. Solid-State Circuits 34(10),
   1419-1424 (1999), Tables I-III.
.. [Greenhouse] H. M. Greenhouse, "Design of planar rectangular microelectronic
   inductors", IEEE Trans. Parts, Hybrids, Packag. 10(2), 101-109 (1974).
.. [Bahl] I. Bahl, Lumped Elements for RF and Microwave Circuits, Artech House 2003,
   ch. 7 (interdigital capacitor, after G. D. Alley, IEEE Trans. MTT 18(12), 1970).
"""

from __future__ import annotations

import itertools
import math
from enum import Enum

MU0 = 4e-7 * math.pi
EPS0 = 8.8541878128e-12
C0 = 299_792_458.0
ETA0 = MU0 * C0


# --- resistance --------------------------------------------------------------------------


def r_round(rho: float, length: float, radius: float) -> float:
    """DC resistance of a round wire or cylinder: rho L / (pi r^2)."""
    return rho * length / (math.pi * radius**2)


def r_rect(rho: float, length: float, width: float, thickness: float) -> float:
    """DC resistance of a rectangular bar or trace: rho L / (w t)."""
    return rho * length / (width * thickness)


def r_sheet(rho: float, thickness: float) -> float:
    """Sheet resistance rho / t (ohm per square)."""
    return rho / thickness


def r_truncated_sphere(rho: float, radius: float, u0: float, u1: float) -> float:
    """DC resistance of a sphere of radius R cut by the planes u0 < u1 (measured from its centre).

    With parallel-plane current flow, R = rho/pi * int du / (R^2 - u^2)
    = rho / (2 pi R) [ln((R + u)/(R - u))] from u0 to u1 (finite while |u| < R).
    """
    if not -radius < u0 < u1 < radius:
        raise ValueError("a truncated sphere needs -R < u0 < u1 < R")

    def f(u: float) -> float:
        return math.log((radius + u) / (radius - u))

    return rho / (2 * math.pi * radius) * (f(u1) - f(u0))


def r_at(r20: float, tcr: float | None, temperature_k: float) -> float:
    """Resistance at temperature: R20 (1 + tcr (T - 293.15 K)); unchanged without a TCR."""
    return r20 if tcr is None else r20 * (1.0 + tcr * (temperature_k - 293.15))


# --- inductance --------------------------------------------------------------------------


def l_round(length: float, radius: float) -> float:
    """Partial self-inductance of a straight round conductor, uniform (DC) current [Paul] [Grover].

    L = mu0/(2 pi) [l ln((l + sqrt(l^2 + r^2))/r) - sqrt(l^2 + r^2) + r + l/4],
    which tends to mu0 l/(2 pi) [ln(2l/r) - 3/4] for l >> r (Grover eq. 7).
    """
    s = math.hypot(length, radius)
    return MU0 / (2 * math.pi) * (length * math.log((length + s) / radius) - s + radius + length / 4)


def l_bar(length: float, width: float, thickness: float) -> float:
    """Partial self-inductance of a rectangular bar [Ruehli] (Grover's formula for l >> w + t).

    L = mu0 l/(2 pi) [ln(2l/(w + t)) + 1/2 + 0.2235 (w + t)/l].
    """
    wt = width + thickness
    return MU0 * length / (2 * math.pi) * (math.log(2 * length / wt) + 0.5 + 0.2235 * wt / length)


def m_parallel(a0: float, a1: float, b0: float, b1: float, d: float) -> float:
    """Mutual inductance of two parallel filaments at distance d spanning [a0, a1] and [b0, b1] [Grover] [Paul].

    M = mu0/(4 pi) [g(a1 - b0) - g(a1 - b1) - g(a0 - b0) + g(a0 - b1)], g(x) = x asinh(x/d) - sqrt(x^2 + d^2).
    """

    def g(x: float) -> float:
        return x * math.asinh(x / d) - math.hypot(x, d)

    return MU0 / (4 * math.pi) * (g(a1 - b0) - g(a1 - b1) - g(a0 - b0) + g(a0 - b1))


# --- microstrip --------------------------------------------------------------------------


def microstrip(width: float, height: float, eps_r: float) -> tuple[float, float]:
    """Characteristic impedance (ohm) and effective permittivity of a microstrip [HJ] (zero thickness).

    u = w/h; eps_eff = (er + 1)/2 + (er - 1)/2 (1 + 10/u)^(-a b) with
    a = 1 + ln((u^4 + (u/52)^2)/(u^4 + 0.432))/49 + ln(1 + (u/18.1)^3)/18.7,
    b = 0.564 ((er - 0.9)/(er + 3))^0.053; Z0 = eta0/(2 pi sqrt(eps_eff)) ln(f/u + sqrt(1 + 4/u^2)),
    f = 6 + (2 pi - 6) exp(-(30.666/u)^0.7528).
    """
    u = width / height
    a = 1 + math.log((u**4 + (u / 52) ** 2) / (u**4 + 0.432)) / 49 + math.log(1 + (u / 18.1) ** 3) / 18.7
    b = 0.564 * ((eps_r - 0.9) / (eps_r + 3)) ** 0.053
    eps_eff = (eps_r + 1) / 2 + (eps_r - 1) / 2 * (1 + 10 / u) ** (-a * b)
    f = 6 + (2 * math.pi - 6) * math.exp(-((30.666 / u) ** 0.7528))
    z1 = ETA0 / (2 * math.pi) * math.log(f / u + math.sqrt(1 + 4 / u**2))
    return z1 / math.sqrt(eps_eff), eps_eff


def microstrip_lc(width: float, height: float, eps_r: float) -> tuple[float, float]:
    """Per-unit-length inductance (H/m) and capacitance (F/m) of a microstrip: L' = Z0 sqrt(eeff)/c, C' = sqrt(eeff)/(Z0 c)."""
    z0, ee = microstrip(width, height, eps_r)
    return z0 * math.sqrt(ee) / C0, math.sqrt(ee) / (z0 * C0)


# --- spiral inductors --------------------------------------------------------------------


class SpiralShape(Enum):
    SQUARE = "square"
    HEXAGONAL = "hexagonal"
    OCTAGONAL = "octagonal"


# Mohan Table I (modified Wheeler K1, K2), Table II (current sheet c1..c4), Table III (monomial).
_WHEELER = {SpiralShape.SQUARE: (2.34, 2.75), SpiralShape.HEXAGONAL: (2.33, 3.82), SpiralShape.OCTAGONAL: (2.25, 3.55)}
_SHEET = {
    SpiralShape.SQUARE: (1.27, 2.07, 0.18, 0.13),
    SpiralShape.HEXAGONAL: (1.09, 2.23, 0.00, 0.17),
    SpiralShape.OCTAGONAL: (1.07, 2.29, 0.00, 0.19),
}
_MONOMIAL = {
    SpiralShape.SQUARE: (1.62e-3, -1.21, -0.147, 2.40, 1.78, -0.030),
    SpiralShape.HEXAGONAL: (1.28e-3, -1.24, -0.174, 2.47, 1.77, -0.049),
    SpiralShape.OCTAGONAL: (1.33e-3, -1.21, -0.163, 2.43, 1.75, -0.049),
}


def _spiral_geometry(n: float, d_out: float, w: float, s: float) -> tuple[float, float, float]:
    d_in = d_out - 2 * n * w - 2 * (n - 1) * s
    if d_in <= 0:
        raise ValueError("the spiral's turns do not fit in its outer diameter")
    return d_in, 0.5 * (d_out + d_in), (d_out - d_in) / (d_out + d_in)


def l_wheeler(n: float, d_out: float, w: float, s: float, shape: SpiralShape = SpiralShape.SQUARE) -> float:
    """Modified Wheeler expression [Mohan] eq. (1): L = K1 mu0 n^2 d_avg / (1 + K2 rho)."""
    _, d_avg, fill = _spiral_geometry(n, d_out, w, s)
    k1, k2 = _WHEELER[shape]
    return k1 * MU0 * n**2 * d_avg / (1 + k2 * fill)


def l_current_sheet(n: float, d_out: float, w: float, s: float, shape: SpiralShape = SpiralShape.SQUARE) -> float:
    """Current-sheet expression [Mohan] eq. (3): L = mu0 n^2 d_avg c1/2 (ln(c2/rho) + c3 rho + c4 rho^2)."""
    _, d_avg, fill = _spiral_geometry(n, d_out, w, s)
    c1, c2, c3, c4 = _SHEET[shape]
    return MU0 * n**2 * d_avg * c1 / 2 * (math.log(c2 / fill) + c3 * fill + c4 * fill**2)


def l_monomial(n: float, d_out: float, w: float, s: float, shape: SpiralShape = SpiralShape.SQUARE) -> float:
    """Monomial fit [Mohan] eq. (4): L(nH) = beta d_out^a1 w^a2 d_avg^a3 n^a4 s^a5 with lengths in um."""
    _, d_avg, _ = _spiral_geometry(n, d_out, w, s)
    beta, a1, a2, a3, a4, a5 = _MONOMIAL[shape]
    um = 1e6
    value: float = beta * (d_out * um) ** a1 * (w * um) ** a2 * (d_avg * um) ** a3 * n**a4 * (s * um) ** a5
    return 1e-9 * value


def square_spiral_segments(
    n: int, d_out: float, w: float, s: float
) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Centre lines of a square spiral of n turns winding inwards (4 n segments).

    The first three sides span the full centre-line width 2h (h = d_out/2 - w/2); after
    that each pair of sides is one pitch (w + s) shorter: side k = 2h - p floor((k - 1)/2).
    """
    pitch = w + s
    half = d_out / 2 - w / 2
    x, y = -half, -half
    pts = [(x, y)]
    dirs = [(1, 0), (0, 1), (-1, 0), (0, -1)]
    for k in range(4 * n):
        seg = 2 * half - (pitch * ((k - 1) // 2) if k >= 1 else 0.0)
        dx, dy = dirs[k % 4]
        x, y = x + dx * seg, y + dy * seg
        pts.append((x, y))
    return list(itertools.pairwise(pts))


def l_greenhouse(segments: list[tuple[tuple[float, float], tuple[float, float]]], w: float, t: float) -> float:
    """Inductance of a planar winding of straight segments: self terms plus all parallel mutual terms [Greenhouse].

    Segments are centre lines in order along the current; parallel segments couple with
    the sign of their currents' directions; perpendicular ones do not couple.
    """
    total = 0.0
    segs = [(a, b) for a, b in segments if math.dist(a, b) > 0]
    for a, b in segs:
        total += l_bar(math.dist(a, b), w, t)
    for i, (a, b) in enumerate(segs):
        for c, d in segs[i + 1 :]:
            hor1, hor2 = abs(a[1] - b[1]) < 1e-15, abs(c[1] - d[1]) < 1e-15
            if hor1 != hor2:
                continue
            ax = 0 if hor1 else 1  # coordinate along the segments
            dist = abs(a[1 - ax] - c[1 - ax])
            if dist < 1e-15:
                continue
            s1 = 1.0 if b[ax] > a[ax] else -1.0
            s2 = 1.0 if d[ax] > c[ax] else -1.0
            m = m_parallel(min(a[ax], b[ax]), max(a[ax], b[ax]), min(c[ax], d[ax]), max(c[ax], d[ax]), dist)
            total += 2 * s1 * s2 * m
    return total


# --- capacitors and resistors ------------------------------------------------------------


def c_parallel_plate(area: float, gap: float, eps_r: float) -> float:
    """MIM capacitor, fringing neglected: eps0 er A / d."""
    return EPS0 * eps_r * area / gap


def c_interdigital(fingers: int, overlap: float, width: float, height: float, eps_r: float) -> float:
    """Interdigital capacitor [Bahl] (after Alley): C = (er + 1) l [(N - 3) A1 + A2].

    A1 = 4.409 tanh(0.55 (h/W)^0.45) and A2 = 9.92 tanh(0.52 (h/W)^0.5) in 1e-6 pF/um;
    l the finger overlap, W the finger width, h the substrate height, N >= 3 fingers.
    """
    if fingers < 3:
        raise ValueError("the interdigital expression needs at least 3 fingers")
    a1 = 4.409 * math.tanh(0.55 * (height / width) ** 0.45) * 1e-6
    a2 = 9.92 * math.tanh(0.52 * (height / width) ** 0.5) * 1e-6
    pf = (eps_r + 1) * overlap * 1e6 * ((fingers - 3) * a1 + a2)
    return pf * 1e-12


def r_thin_film(sheet: float, length: float, width: float) -> float:
    """Thin-film resistor: R_s times the number of squares L/W."""
    return sheet * length / width
