"""Closed-form references used to verify the solver (and available to users).

References
----------
Muzychka, Culham, Yovanovich, "Thermal spreading resistance of eccentric heat sources on
rectangular flux channels", J. Electronic Packaging 125(2) (2003) 178-185: the mean
source temperature of a rectangular flux source c x d at (xc, yc) on the top of an
a x b x t plate of conductivity k, adiabatic except for a film coefficient h on the
bottom, as a double Fourier series with phi(zeta) below.
Incropera et al., 6th ed., section 3.1 (plane wall, thermal circuits).
"""

from __future__ import annotations

import math

import numpy as np


def _phi(zeta: np.ndarray, t: float, h: float, k: float) -> np.ndarray:
    """Top-surface response of one Fourier mode, theta = q phi / (k zeta), for a film h below:

    phi = (zeta cosh(zeta t) + (h/k) sinh(zeta t)) / (zeta sinh(zeta t) + (h/k) cosh(zeta t)),
    tanh(zeta t) for an isothermal bottom and coth(zeta t) for an adiabatic one.
    """
    th = np.tanh(zeta * t)
    hk = h / k
    out: np.ndarray = (zeta + hk * th) / (zeta * th + hk)
    return out


def rect_source_mean_rise(
    q_w: float,
    a: float,
    b: float,
    t: float,
    k: float,
    h: float,
    c: float,
    d: float,
    xc: float | None = None,
    yc: float | None = None,
    terms: int = 400,
) -> float:
    """Mean temperature rise over a rectangular source on a convectively cooled plate (Muzychka et al. 2003).

    Parameters are SI: power, plate a x b x t, conductivity, bottom film coefficient,
    source c x d centred at (xc, yc) (default: the plate centre), series length.
    """
    xc = a / 2 if xc is None else xc
    yc = b / 2 if yc is None else yc
    m = np.arange(1, terms + 1)
    lam = m * math.pi / a
    dl = m * math.pi / b
    sx = np.sin(lam * (xc + c / 2)) - np.sin(lam * (xc - c / 2))
    sy = np.sin(dl * (yc + d / 2)) - np.sin(dl * (yc - d / 2))
    mean = q_w / (a * b) * (t / k + 1 / h)
    x_modes = np.sum(2 * q_w / (a * b * c**2) * sx**2 * _phi(lam, t, h, k) / (k * lam**3))
    y_modes = np.sum(2 * q_w / (a * b * d**2) * sy**2 * _phi(dl, t, h, k) / (k * dl**3))
    beta = np.sqrt(lam[:, None] ** 2 + dl[None, :] ** 2)
    xy = (
        (4 * q_w / (a * b * c**2 * d**2))
        * (sx[:, None] ** 2 * sy[None, :] ** 2)
        * _phi(beta, t, h, k)
        / (k * beta * lam[:, None] ** 2 * dl[None, :] ** 2)
    )
    return float(mean + x_modes + y_modes + xy.sum())


def slab_rise(flux_w_m2: float, layers: list[tuple[float, float]], h: float) -> float:
    """Temperature rise across plane layers [(thickness, k), ...] and a film: q'' (sum t/k + 1/h)."""
    return flux_w_m2 * (sum(t / k for t, k in layers) + 1.0 / h)
