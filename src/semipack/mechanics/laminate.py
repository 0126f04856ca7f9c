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


def initial_strain(mat: Material, t_ref_k: float) -> float:
    """Free strain a material carries at the common stress-free temperature ``t_ref_k``.

    A material that bonds at its own temperature (``stress_free_k``, a mould's or an
    adhesive's cure) has moved by the integral of its CTE from there to ``t_ref_k``;
    its cure shrinkage (``cure_shrinkage``) is frozen in after bonding, and a moist
    polymer swells by ``swelling_strain`` (beta C, Wong et al. 2002). All are strains
    the rest of the stack did not share, so they load the stack like a thermal strain.

    References
    ----------
    J.-E. Luan, S. Chew, G. Hu, "Characterization of chemical cure shrinkage of epoxy
    molding compound with application to warpage analysis", J. Electron. Packag. 131(1),
    011010 (2009): the cure shrinkage added to the thermal strain of the mould.
    E. H. Wong, R. Rajoo, S. W. Koh, T. B. Lim, "The mechanics and impact of hygroscopic
    swelling of polymeric materials in electronic packaging", J. Electron. Packag. 124(2),
    122 (2002): the hygroscopic strain beta C superposed on the thermal strain.
    """
    t0 = t_ref_k if mat.stress_free_k is None else mat.stress_free_k
    return thermal_strain(mat, t0, t_ref_k) - (mat.cure_shrinkage or 0.0) + (mat.swelling_strain or 0.0)


def _sub(layers: Sequence[Layer]) -> tuple[float, float, float]:
    """Membrane stiffness A, bending stiffness about its own neutral plane D, and that
    plane's height from the sub-stack's bottom (biaxial moduli)."""
    z = np.concatenate([[0.0], np.cumsum([la.thickness_m for la in layers])])
    q = np.array([la.youngs_pa / (1 - la.poisson) for la in layers])
    z0, z1 = z[:-1], z[1:]
    a = float(np.sum(q * (z1 - z0)))
    zn = float(np.sum(q * (z1**2 - z0**2) / 2)) / a
    d = float(np.sum(q * ((z1 - zn) ** 3 - (z0 - zn) ** 3) / 3))
    return a, d, zn


def bond_efficiency(layers: Sequence[Layer], i: int, half_span_m: float) -> float:
    """Share of the fully bonded interface force that a compliant layer ``i`` passes on.

    The layers below and above layer ``i`` are two plates joined through its shear
    compliance t_i / G_i; the interface shear builds up from the free edges over the
    shear-lag length 1/lambda with

        lambda^2 = (G_i / t_i) (1/A_1 + 1/A_2 + e^2 / (D_1 + D_2)),

    A, D the sub-stacks' membrane and bending stiffnesses, e the distance between their
    neutral planes. The interface force grows from the free edge as
    N(s) = N_bonded (1 - cosh(lambda s) / cosh(lambda a)) (s from the centre, a the
    half-span), and so does the lower plates' curvature; the corner's rise over the
    centre weights curvature by (a - s), so the share that counts for warpage is

        phi = 1 - 2 (1 - sech(lambda a)) / (lambda a)^2,

    1 for a stiff bond line, 0 for a gel.

    References
    ----------
    O. Volkersen, "Die Nietkraftverteilung in zugbeanspruchten Nietverbindungen mit
    konstanten Laschenquerschnitten", Luftfahrtforschung 15, 41-47 (1938) (shear lag).
    E. Suhir, "Stresses in bi-metal thermostats", J. Appl. Mech. 53(3), 657-660 (1986)
    (interfacial compliance with bending of both layers).
    """
    lo, mid, hi = layers[:i], layers[i], layers[i + 1 :]
    if not lo or not hi:
        return 1.0
    a1, d1, z1 = _sub(lo)
    a2, d2, z2 = _sub(hi)
    t_lo = sum(la.thickness_m for la in lo)
    e = (t_lo + mid.thickness_m + z2) - z1
    g = mid.youngs_pa / (2 * (1 + mid.poisson))
    lam = np.sqrt(g / mid.thickness_m * (1 / a1 + 1 / a2 + e * e / (d1 + d2)))
    x = float(lam * half_span_m)
    if x < 1e-6:
        return 0.0
    return 1.0 - 2.0 * (1.0 - 1.0 / float(np.cosh(min(x, 700.0)))) / (x * x)


# A layer at least this much softer than the stiffest in its stack is a compliant
# interlayer (a gel or glue bond line) whose shear decouples the layers either side.
COMPLIANT_RATIO = 0.01


def decoupled_response(layers: Sequence[Layer], half_span_m: float) -> PlateResponse:
    """`free_response` of the stack, with the softest internal layer's shear lag.

    Plane sections (CLT) tie every layer to the next; a compliant bond line (modulus
    under ``COMPLIANT_RATIO`` of the stiffest layer) cannot: the layers above it pass
    only ``bond_efficiency`` of the bonded force to those below. The bottom (ball-side)
    sub-stack's curvature is its own free curvature plus that share of the difference
    to the bonded stack's (the response is linear in the interface force).
    """
    bonded = free_response(layers)
    if len(layers) < 3:
        return bonded
    e_max = max(la.youngs_pa for la in layers)
    inner = range(1, len(layers) - 1)
    i = min(inner, key=lambda k: layers[k].youngs_pa)
    if layers[i].youngs_pa >= COMPLIANT_RATIO * e_max:
        return bonded
    phi = bond_efficiency(layers, i, half_span_m)
    lower = free_response(layers[:i])
    kappa = lower.curvature_per_m + phi * (bonded.curvature_per_m - lower.curvature_per_m)
    return PlateResponse(bonded.mid_strain, kappa, bonded.neutral_z_m)
