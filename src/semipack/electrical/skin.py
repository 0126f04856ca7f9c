"""Resistance over frequency: DC plus skin effect, as each segment's internal impedance.

A segment's series impedance is R(f) + j w (L_ext + L_int(f)): the partial inductance
(`semipack.electrical.peec`) holds the DC internal inductance mu0 l / (8 pi) of a
uniform current; as the current crowds to the surface the resistance rises and the
internal inductance falls. `internal_impedance` returns Z_int(f) = R(f) + j w L_int(f)
and the extraction swaps it for the DC internal term.

- round piece: the exact solution for a round wire [Ramo],
  Z_int = R_dc (k a / 2) J0(k a) / J1(k a), k = (1 - j) / delta;
- bar (w x t): the current in a skin of depth delta around the perimeter [Paul],
  R = rho l / (w t - (w - 2 delta)+ (t - 2 delta)+), and L_int = L_int,dc R_dc / R (the
  round wire's high-frequency limit, where w L_int = R).

Proximity effect (current pushed to the sides facing a neighbour) is not modelled. The
lumped model holds while the pieces are short against the wavelength (a 5 mm path in a
mould compound of er 3.8: about 3 GHz for lambda/10); the Touchstone sweep states it.

References
----------
.. [Ramo] S. Ramo, J. R. Whinnery, T. Van Duzer, Fields and Waves in Communication
   Electronics, 3rd ed., Wiley 1994, section 5.6 (internal impedance of a round wire).
.. [Paul] C. R. Paul, Analysis of Multiconductor Transmission Lines, 2nd ed., Wiley 2008,
   section 4.2 (high-frequency resistance of rectangular conductors).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import scipy.special as sp
from numpy.typing import NDArray

from semipack.electrical.formulas import MU0
from semipack.electrical.segments import Seg

Array = NDArray[np.float64]


def skin_depth(resistivity_ohm_m: float, frequency_hz: Array | float) -> Array:
    """Skin depth sqrt(rho / (pi f mu0)) (m); infinite at DC."""
    f = np.asarray(frequency_hz, dtype=float)
    with np.errstate(divide="ignore"):
        return np.asarray(np.sqrt(resistivity_ohm_m / (math.pi * f * MU0)), dtype=np.float64)


def dc_resistance(s: Seg) -> float:
    """rho l / A of a segment (ohm)."""
    return s.resistivity_ohm_m * s.length_m / s.area_m2


def internal_inductance_dc(s: Seg) -> float:
    """Internal partial inductance of a uniform current, mu0 l / (8 pi) (H)."""
    return MU0 * s.length_m / (8 * math.pi)


def internal_impedance(s: Seg, frequency_hz: Array) -> NDArray[np.complex128]:
    """Z_int(f) = R(f) + j w L_int(f) of one segment at each frequency (ohm)."""
    f = np.asarray(frequency_hz, dtype=float)
    rdc = dc_resistance(s)
    w = 2 * math.pi * f
    lint = internal_inductance_dc(s)
    if rdc <= 0:
        return np.asarray(1j * w * lint, dtype=np.complex128)
    delta = skin_depth(s.resistivity_ohm_m, np.maximum(f, 1e-30))
    if s.round:
        a = s.width_m / 2
        ka = (1 - 1j) * a / delta
        with np.errstate(all="ignore"):
            # jve scales both by exp(-|Im|): the ratio is unchanged and does not overflow.
            ratio = sp.jve(0, ka) / sp.jve(1, ka)
        z = rdc * ka / 2 * ratio
        low = a / delta < 1e-3  # the series start: R_dc + j w L_int
        z = np.where(low, rdc + 1j * w * lint, z)
        return np.asarray(z, dtype=np.complex128)
    wd, th = s.width_m, s.thickness_m
    core = np.maximum(wd - 2 * delta, 0.0) * np.maximum(th - 2 * delta, 0.0)
    r = s.resistivity_ohm_m * s.length_m / (wd * th - core)
    return np.asarray(r + 1j * w * lint * rdc / r, dtype=np.complex128)


def segment_impedances(segs: Sequence[Seg], frequency_hz: Array) -> tuple[NDArray[np.complex128], Array]:
    """Z_int(f) of every segment, shape (n_freq, n_seg), and the DC internal inductances (n_seg,)."""
    f = np.asarray(frequency_hz, dtype=float)
    z = np.empty((len(f), len(segs)), dtype=np.complex128)
    for k, s in enumerate(segs):
        z[:, k] = internal_impedance(s, f)
    lint = np.array([internal_inductance_dc(s) if s.inductive else 0.0 for s in segs])
    return z, lint
