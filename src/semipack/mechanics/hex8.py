"""The trilinear hexahedron with incompatible modes (Wilson-Taylor), on box-shaped cells.

Eight nodes, three displacements each, plus nine internal bubble modes (1 - xi^2,
1 - eta^2, 1 - zeta^2 per displacement component) condensed out element by element.
On rectangular boxes the element passes the patch test and represents pure bending
exactly, so thin, flat cells of a package stack do not lock in shear the way the plain
trilinear brick does.

References
----------
E. L. Wilson, R. L. Taylor, W. P. Doherty, J. Ghaboussi, "Incompatible displacement
models", in Numerical and Computer Methods in Structural Mechanics, Academic Press 1973.
R. L. Taylor, P. J. Beresford, E. L. Wilson, "A non-conforming element for stress
analysis", Int. J. Numer. Meth. Eng. 10, 1211-1219 (1976).
T. J. R. Hughes, The Finite Element Method, Dover 2000, section 4.7 (incompatible modes).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

# Node a = i + 2 j + 4 k at natural coordinates (2i - 1, 2j - 1, 2k - 1).
_NAT = np.array([[2 * (a & 1) - 1, 2 * ((a >> 1) & 1) - 1, 2 * ((a >> 2) & 1) - 1] for a in range(8)], dtype=float)
_G = 1 / np.sqrt(3.0)
_GAUSS = np.array([[i, j, k] for k in (-_G, _G) for j in (-_G, _G) for i in (-_G, _G)])


def _b_matrices(h: Array, xi: Array) -> tuple[Array, Array]:
    """Compatible (6 x 24) and incompatible (6 x 9) strain matrices at natural point ``xi`` for cells of sizes ``h`` (n, 3)."""
    n = h.shape[0]
    # dN_a/dxi_d for the 8 nodes.
    dn = np.empty((8, 3))
    for a in range(8):
        s = _NAT[a]
        f = 1 + s * xi
        dn[a, 0] = s[0] * f[1] * f[2] / 8
        dn[a, 1] = s[1] * f[0] * f[2] / 8
        dn[a, 2] = s[2] * f[0] * f[1] / 8
    scale = 2.0 / h  # (n, 3): d(xi)/dx
    dx = dn[None, :, :] * scale[:, None, :]  # (n, 8, 3)
    bc = np.zeros((n, 6, 24))
    for a in range(8):
        c = 3 * a
        bc[:, 0, c] = dx[:, a, 0]
        bc[:, 1, c + 1] = dx[:, a, 1]
        bc[:, 2, c + 2] = dx[:, a, 2]
        bc[:, 3, c + 1] = dx[:, a, 2]
        bc[:, 3, c + 2] = dx[:, a, 1]
        bc[:, 4, c] = dx[:, a, 2]
        bc[:, 4, c + 2] = dx[:, a, 0]
        bc[:, 5, c] = dx[:, a, 1]
        bc[:, 5, c + 1] = dx[:, a, 0]
    # Bubble modes P_d = 1 - xi_d^2: dP_d/dx_d = -2 xi_d * 2/h_d; dof (m, comp) = 3 m + comp.
    dp = -2 * xi[None, :] * scale  # (n, 3)
    bi = np.zeros((n, 6, 9))
    for m in range(3):
        g = np.zeros((n, 3))
        g[:, m] = dp[:, m]
        c = 3 * m
        bi[:, 0, c] = g[:, 0]
        bi[:, 1, c + 1] = g[:, 1]
        bi[:, 2, c + 2] = g[:, 2]
        bi[:, 3, c + 1] = g[:, 2]
        bi[:, 3, c + 2] = g[:, 1]
        bi[:, 4, c] = g[:, 2]
        bi[:, 4, c + 2] = g[:, 0]
        bi[:, 5, c] = g[:, 1]
        bi[:, 5, c + 1] = g[:, 0]
    return bc, bi


def d_matrices(youngs: Array, poisson: Array) -> Array:
    """Isotropic elasticity matrices (n, 6, 6), engineering shear strains."""
    lam = youngs * poisson / ((1 + poisson) * (1 - 2 * poisson))
    mu = youngs / (2 * (1 + poisson))
    d = np.zeros((youngs.size, 6, 6))
    for i in range(3):
        for j in range(3):
            d[:, i, j] = lam
        d[:, i, i] += 2 * mu
        d[:, 3 + i, 3 + i] = mu
    return d


def element_matrices(h: Array, d: Array, eps_th: Array) -> tuple[Array, Array]:
    """Condensed stiffness (n, 24, 24) and thermal load (n, 24) of box cells of sizes ``h``.

    ``eps_th`` is each cell's free (isotropic) thermal strain.
    """
    n = h.shape[0]
    vol = np.prod(h, axis=1)
    w = vol / 8.0  # Gauss weights times det J
    kcc = np.zeros((n, 24, 24))
    kci = np.zeros((n, 24, 9))
    kii = np.zeros((n, 9, 9))
    fc = np.zeros((n, 24))
    sig_th = np.einsum("nij,j->ni", d, np.array([1.0, 1, 1, 0, 0, 0])) * eps_th[:, None]  # D eps_th
    for xi in _GAUSS:
        bc, bi = _b_matrices(h, xi)
        db_c = np.einsum("nij,njk->nik", d, bc)
        db_i = np.einsum("nij,njk->nik", d, bi)
        kcc += np.einsum("nji,njk->nik", bc, db_c) * w[:, None, None]
        kci += np.einsum("nji,njk->nik", bc, db_i) * w[:, None, None]
        kii += np.einsum("nji,njk->nik", bi, db_i) * w[:, None, None]
        fc += np.einsum("nji,nj->ni", bc, sig_th) * w[:, None]
    # Static condensation of the bubbles; their thermal load integrates to zero on a box.
    x = np.linalg.solve(kii, np.transpose(kci, (0, 2, 1)))
    k = kcc - np.einsum("nij,njk->nik", kci, x)
    return 0.5 * (k + np.transpose(k, (0, 2, 1))), fc


def centre_strain(h: Array, u_e: Array) -> Array:
    """Strains at the cell centres (the bubbles' strains vanish there), (n, 6)."""
    bc, _ = _b_matrices(h, np.zeros(3))
    out: Array = np.einsum("nij,nj->ni", bc, u_e)
    return out
