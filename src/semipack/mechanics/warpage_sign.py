"""How warpage is measured and signed: JESD22-B112 / JEITA ED-7306.

Both standards measure the package's surface over the whole body at each temperature,
remove a reference plane and report the spread of what is left, with a sign for the
shape: **positive = convex** (the centre above the corners with the package in its
mounting orientation, balls down: a "cry"/"frown"), **negative = concave** (corners
above the centre: a "smile"). Concave warpage at reflow lifts the corner balls off
their paste, which is where head-in-pillow defects appear.

semipack measures the ball-side (bottom) face, removes the least-squares plane and
reports

- coplanarity: the highest minus the lowest point of the residual (>= 0);
- warpage: the coplanarity with the shape's sign (+ when the residual at the centre is
  above that at the corners).

For a package of uniform curvature kappa (a paraboloid) both equal |kappa| d^2 / 8
over the body diagonal d, so the plate estimate and the 3D finite elements are
measured by the same rule.

References
----------
JEDEC JESD22-B112B, "Package Warpage Measurement of Surface-Mount Integrated Circuits
at Elevated Temperature" (2018); JEITA ED-7306, "Measurement methods of package
warpage at elevated temperature and the maximum permissible warpage" (2007). The
standards' texts were not at hand; the sign (convex +, concave -, in both) is as
summarised in: "Warpage acceptance proposal", SMT Magazine, Aug. 2015, pp. 40-52
(I-Connect007), whose cases tie negative (concave) warpage at reflow to head-in-pillow
at the corners.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

SIGN_NOTE = "JESD22-B112 / JEITA ED-7306: + = convex (centre up, cry), - = concave (corners up, smile)"


def surface_warpage(x: Array, y: Array, w: Array) -> tuple[float, float, Array]:
    """(signed warpage, coplanarity, residual) of a measured surface, heights ``w`` up.

    The residual is ``w`` minus its least-squares plane. The sign compares the mean
    residual of the points nearest the centre with that of the points nearest the
    corners (the outer 2 % of the radius).
    """
    a = np.column_stack([np.ones_like(x), x, y])
    coef, *_ = np.linalg.lstsq(a, w, rcond=None)
    rel: Array = w - a @ coef
    cx, cy = 0.5 * (x.min() + x.max()), 0.5 * (y.min() + y.max())
    r = np.hypot(x - cx, y - cy)
    corners = r > 0.98 * r.max()
    k = min(3, r.size - 1)
    centre = r <= np.partition(r, k)[k]
    cop = float(rel.max() - rel.min())
    convex = rel[centre].mean() >= rel[corners].mean()
    return (cop if convex else -cop), cop, rel


def plate_warpage(sag_m: float) -> tuple[float, float]:
    """(signed warpage, coplanarity) of a uniform-curvature plate whose corners rise by
    ``sag_m`` over its centre (semipack's plate sag: > 0 = smile = concave)."""
    return -sag_m, abs(sag_m)
