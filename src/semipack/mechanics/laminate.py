"""Classical laminated-plate theory for a free stack under a uniform temperature change.

Each layer is isotropic and linear elastic with its own expansion; the stack is free
(no force, no moment) and takes a uniform mid-plane strain eps0 and curvature kappa.
With Q the layer's in-plane modulus (E for a strip, E/(1 - nu) for a plate under equal
biaxial strain) and e_k its free thermal strain:

    N = sum_k Q_k [(eps0 - e_k) t_k + kappa (z_k+1^2 - z_k^2)/2] = 0
    M = sum_k Q_k [(eps0 - e_k)(z_k+1^2 - z_k^2)/2 + kappa (z_k+1^3 - z_k^3)/3] = 0

References
----------
R. M. Jones, Mechanics of Composite Materials, 2nd ed., Taylor & Francis 1999, ch. 4
(laminate stiffnesses A, B, D and thermal resultants).
S. Timoshenko, "Analysis of bi-metal thermostats", J. Opt. Soc. Am. 11(3), 233-255 (1925):
for two layers, kappa = 6 (a2 - a1) dT (1 + m)^2 / (h [3 (1 + m)^2 + (1 + m n)(m^2 + 1/(m n))]),
m = t1/t2, n = E1/E2, h = t1 + t2 (the strip case of the equations above).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from semipack.materials import Material


@dataclass(frozen=True)
class Layer:
    """One layer: thickness (m), modulus (Pa), Poisson ratio, and its free thermal strain."""

    thickness_m: float
    youngs_pa: float
    poisson: float
    thermal_strain: float
    name: str = ""


@dataclass(frozen=True)
class PlateResponse:
    mid_strain: float
    curvature_per_m: float
    neutral_z_m: float


def free_response(layers: Sequence[Layer], biaxial: bool = True) -> PlateResponse:
    """Mid-plane strain and curvature (1/m, positive = the top face concave) of a free stack.

    Layers are listed bottom to top; z = 0 at the bottom face.
    """
    z = np.concatenate([[0.0], np.cumsum([la.thickness_m for la in layers])])
    q = np.array([la.youngs_pa / (1 - la.poisson) if biaxial else la.youngs_pa for la in layers])
    e = np.array([la.thermal_strain for la in layers])
    z0, z1 = z[:-1], z[1:]
    a = float(np.sum(q * (z1 - z0)))
    b = float(np.sum(q * (z1**2 - z0**2) / 2))
    d = float(np.sum(q * (z1**3 - z0**3) / 3))
    nt = float(np.sum(q * e * (z1 - z0)))
    mt = float(np.sum(q * e * (z1**2 - z0**2) / 2))
    det = a * d - b * b
    eps0 = (d * nt - b * mt) / det
    kappa = (a * mt - b * nt) / det
    # Strain growing with z (kappa > 0) lengthens the top: the top face turns convex.
    # semipack reports "top face concave" as positive, hence the sign.
    return PlateResponse(eps0, -kappa, b / a)


def timoshenko_bimetal(t1: float, e1: float, a1: float, t2: float, e2: float, a2: float, dt: float) -> float:
    """Timoshenko's curvature (1/m) of a bimetal strip, layer 1 at the bottom, layer 2 on top.

    Positive when the top layer (2) expands more: the strip bows with its top convex, so
    in semipack's sign (top concave positive) the value is returned negated.
    """
    m = t1 / t2
    n = e1 / e2
    h = t1 + t2
    k = 6 * (a2 - a1) * dt * (1 + m) ** 2 / (h * (3 * (1 + m) ** 2 + (1 + m * n) * (m**2 + 1 / (m * n))))
    return -k


def sag(curvature_per_m: float, span_m: float) -> float:
    """Height of a circular arc of this curvature over a chord: kappa L^2 / 8 (small deflection)."""
    return curvature_per_m * span_m**2 / 8


def thermal_strain(mat: Material, t_ref_k: float, t_k: float) -> float:
    """Free thermal strain from the stress-free temperature: the integral of CTE(T) dT.

    The CTE is piecewise constant (its above-Tg value past Tg where one is given), so the
    integral is exact: F(t_k) - F(t_ref_k) with F(T) = a1 min(T, Tg) + a2 max(T - Tg, 0).
    """
    a1 = mat.cte_per_k
    if mat.tg_k is None or mat.cte_above_tg_per_k is None:
        return a1 * (t_k - t_ref_k)
    tg, a2 = mat.tg_k, mat.cte_above_tg_per_k

    def antiderivative(t: float) -> float:
        return a1 * min(t, tg) + a2 * max(t - tg, 0.0)

    return antiderivative(t_k) - antiderivative(t_ref_k)
