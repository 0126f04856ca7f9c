"""Minimum bend radius of a single-conductor-layer flex (IPC-2223) with a crease floor.

References
----------
IPC-2223, Sectional Design Standard for Flexible Printed Boards, section 5.2.3.4.1:
for a single-sided flex the minimum inside bend radius is

    R = (c / 2) * (100 - E_B) / E_B - D

with c the copper thickness, E_B the copper's allowable elongation in per cent and D
the dielectric (cover) thickness on the inside of the bend. It is the radius at which
the copper's outer fibre, at c/2 from the neutral axis, reaches E_B.

The formula reaches zero or below for thin, ductile copper (12 um rolled-annealed
copper under 25 um of cover film gives about 0). semipack then applies a floor of one
total flex thickness: a 180 degree fold tighter than the sheet's own thickness creases
the film whatever the copper allows (a rule of semipack's, stated, not IPC's).
"""

from __future__ import annotations


def ipc2223_single_sided(copper_m: float, cover_m: float, elongation: float) -> float:
    """IPC-2223 minimum inside radius (m); may be <= 0 for thin, ductile copper.

    ``elongation`` is a fraction (0.16 = 16 %).
    """
    if not 0.0 < elongation < 1.0:
        raise ValueError("elongation must be a fraction between 0 and 1")
    eb = 100.0 * elongation
    return (copper_m / 2.0) * (100.0 - eb) / eb - cover_m


def min_bend_radius(copper_m: float, cover_m: float, total_m: float, elongation: float) -> float:
    """Minimum inside bend radius (m): the IPC-2223 value, but at least the flex's total thickness."""
    return max(ipc2223_single_sided(copper_m, cover_m, elongation), total_m)
