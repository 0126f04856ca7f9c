"""Finite-volume conduction operator on a rectilinear grid, as a 7-point stencil.

Face conductances use the harmonic mean of the two half-cells (series resistances),
optionally plus a contact resistance per unit area; boundary faces connect the cell
centre to the ambient through the half-cell and a film coefficient (Robin), or to a
fixed temperature (Dirichlet, an infinite coefficient). The unknown is the temperature
rise above ambient.

References
----------
Patankar, Numerical Heat Transfer and Fluid Flow, Hemisphere 1980, sections 4.2-4.3
(harmonic-mean interface conductivity, boundary conditions).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from semipack.errors import DesignError
from semipack.thermal.grid import Grid
from semipack.thermal.raster import CellFields

Array = NDArray[np.float64]


class Face(Enum):
    """The six outer faces of the computational box."""

    XMIN = "xmin"
    XMAX = "xmax"
    YMIN = "ymin"
    YMAX = "ymax"
    ZMIN = "zmin"
    ZMAX = "zmax"


@dataclass(frozen=True)
class FaceCondition:
    """Heat exchange on part of a face: film coefficient ``h`` (W/m^2/K, inf = isothermal at ambient).

    ``region`` limits it to a rectangle (u0, v0, u1, v1) in the face's two in-plane axes
    (x, y for z faces; y, z for x faces; x, z for y faces); None is the whole face.
    """

    face: Face
    h_w_m2k: float
    region: tuple[float, float, float, float] | None = None

    def __post_init__(self) -> None:
        if not (self.h_w_m2k >= 0):  # also refuses NaN
            raise DesignError(f"boundary.{self.face.value}.h", self.h_w_m2k, "a film coefficient must be >= 0 W/m^2/K")


@dataclass(frozen=True)
class Stencil:
    """The assembled operator: conductances across x, y, z faces and to the ambient (W/K)."""

    gx: Array  # (nx-1, ny, nz)
    gy: Array  # (nx, ny-1, nz)
    gz: Array  # (nx, ny, nz-1)
    gb: Array  # (nx, ny, nz): to ambient through outer faces

    @property
    def shape(self) -> tuple[int, int, int]:
        nx, ny, nz = self.gb.shape
        return (nx, ny, nz)

    def diagonal(self) -> Array:
        d = self.gb.copy()
        d[:-1] += self.gx
        d[1:] += self.gx
        d[:, :-1] += self.gy
        d[:, 1:] += self.gy
        d[:, :, :-1] += self.gz
        d[:, :, 1:] += self.gz
        return d

    def apply(self, t: Array) -> Array:
        """Matrix-vector product A t (t shaped like the grid)."""
        out = self.diagonal() * t
        out[:-1] -= self.gx * t[1:]
        out[1:] -= self.gx * t[:-1]
        out[:, :-1] -= self.gy * t[:, 1:]
        out[:, 1:] -= self.gy * t[:, :-1]
        out[:, :, :-1] -= self.gz * t[:, :, 1:]
        out[:, :, 1:] -= self.gz * t[:, :, :-1]
        return out

    def to_sparse(self) -> sp.csr_matrix:
        nx, ny, nz = self.shape
        idx = np.arange(nx * ny * nz).reshape(nx, ny, nz)
        flat = idx.ravel()
        rows, cols, vals = [flat], [flat], [self.diagonal().ravel()]
        for g, a, b in (
            (self.gx, idx[:-1], idx[1:]),
            (self.gy, idx[:, :-1], idx[:, 1:]),
            (self.gz, idx[:, :, :-1], idx[:, :, 1:]),
        ):
            rows += [a.ravel(), b.ravel()]
            cols += [b.ravel(), a.ravel()]
            vals += [-g.ravel(), -g.ravel()]
        return sp.csr_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(nx * ny * nz,) * 2
        )


def assemble(
    grid: Grid,
    f: CellFields,
    conditions: list[FaceCondition],
    *,
    h_inf: float = 1e9,
    contacts: dict[tuple[int, int], float] | None = None,
) -> Stencil:
    """Build the stencil for the fields ``f`` with the boundary ``conditions``.

    ``contacts`` maps a pair of body indices to an interface resistance R'' (m^2 K/W)
    added in series on every cell face where cells of the two bodies meet.
    """
    dx, dy, dz = grid.dx, grid.dy, grid.dz
    ax = dy[None, :, None] * dz[None, None, :]
    ay = dx[:, None, None] * dz[None, None, :]
    az = dx[:, None, None] * dy[None, :, None]
    rx = dx[:, None, None] / (2 * f.kx)
    ry = dy[None, :, None] / (2 * f.ky)
    rz = dz[None, None, :] / (2 * f.kz)
    gx = ax / (rx[:-1] + rx[1:])
    gy = ay / (ry[:, :-1] + ry[:, 1:])
    if f.ends is None:
        gz = az / (rz[:, :, :-1] + rz[:, :, 1:])
    else:
        # Half-cell conductances, less what the constriction at a conductor's end takes away.
        below = az / rz[:, :, :-1] + f.ends.below
        above = az / rz[:, :, 1:] + f.ends.above
        gz = below * above / (below + above)
    if f.links is not None:
        f.links.add_to((gx, gy, gz))  # traces along their own path, beside the host
    if contacts:
        own = f.owner
        for (a, b), r_contact in contacts.items():
            for axis, (g, area) in enumerate(((gx, ax), (gy, ay), (gz, az))):
                lo = [slice(None)] * 3
                hi = [slice(None)] * 3
                lo[axis], hi[axis] = slice(None, -1), slice(1, None)
                oa, ob = own[tuple(lo)], own[tuple(hi)]
                m = ((oa == a) & (ob == b)) | ((oa == b) & (ob == a))
                if m.any():
                    # Series: 1/g' = 1/g + R''/A.
                    ar = np.broadcast_to(area, g.shape)
                    g[m] = 1.0 / (1.0 / g[m] + r_contact / ar[m])
    gb = np.zeros(grid.shape)
    cx, cy, cz = grid.centers
    for c in conditions:
        h = min(c.h_w_m2k, h_inf)
        if h == 0:
            continue
        axis = {"x": 0, "y": 1, "z": 2}[c.face.value[0]]
        end = 0 if c.face.value.endswith("min") else -1
        area, r_half = ((ax[0], rx), (ay[:, 0], ry), (az[:, :, 0], rz))[axis]
        sl: list[slice | int] = [slice(None)] * 3
        sl[axis] = end
        r = np.broadcast_to(r_half, grid.shape)[tuple(sl)]
        g = np.broadcast_to(area / (r + 1.0 / h), r.shape).copy()
        if c.region is not None:
            u0, v0, u1, v1 = c.region
            uu, vv = [(cy, cz), (cx, cz), (cx, cy)][axis]
            m = ((uu >= u0) & (uu <= u1))[:, None] & ((vv >= v0) & (vv <= v1))[None, :]
            g = np.where(m, g, 0.0)
        view = gb[tuple(sl)]
        view += g
    return Stencil(gx, gy, gz, gb)


@dataclass(frozen=True)
class ExposedSurfaces:
    """Convection on faces between conducting cells and exterior air cells.

    ``exterior`` marks the air cells that belong to the surroundings (they drop out of
    the system); ``h_up``, ``h_down``, ``h_side`` give, per conducting cell, the film
    coefficient to use when its top, bottom or a side face touches exterior air.
    """

    exterior: NDArray[np.bool_]
    h_up: Array
    h_down: Array
    h_side: Array


def expose(st: Stencil, grid: Grid, f: CellFields, surf: ExposedSurfaces) -> Stencil:
    """Cut the stencil at exterior air and add convection on the exposed faces (a new stencil)."""
    ext = surf.exterior
    gx, gy, gz, gb = st.gx.copy(), st.gy.copy(), st.gz.copy(), st.gb.copy()
    dx, dy, dz = grid.dx, grid.dy, grid.dz
    ax = dy[None, :, None] * dz[None, None, :]
    ay = dx[:, None, None] * dz[None, None, :]
    az = dx[:, None, None] * dy[None, :, None]
    rx = np.broadcast_to(dx[:, None, None] / (2 * f.kx), grid.shape)
    ry = np.broadcast_to(dy[None, :, None] / (2 * f.ky), grid.shape)
    rz = np.broadcast_to(dz[None, None, :] / (2 * f.kz), grid.shape)
    conv = np.zeros(grid.shape)

    def film(area: Array, r: Array, h: Array) -> Array:
        return np.where(h > 0, area / (r + 1.0 / np.maximum(h, 1e-30)), 0.0)

    # x faces: cell a = [:-1], b = [1:].
    a_solid_b_air = ~ext[:-1] & ext[1:]
    b_solid_a_air = ext[:-1] & ~ext[1:]
    cut = a_solid_b_air | b_solid_a_air | (ext[:-1] & ext[1:])
    conv[:-1] += np.where(a_solid_b_air, film(np.broadcast_to(ax, a_solid_b_air.shape), rx[:-1], surf.h_side[:-1]), 0.0)
    conv[1:] += np.where(b_solid_a_air, film(np.broadcast_to(ax, b_solid_a_air.shape), rx[1:], surf.h_side[1:]), 0.0)
    gx[cut] = 0.0
    a_solid_b_air = ~ext[:, :-1] & ext[:, 1:]
    b_solid_a_air = ext[:, :-1] & ~ext[:, 1:]
    cut = a_solid_b_air | b_solid_a_air | (ext[:, :-1] & ext[:, 1:])
    conv[:, :-1] += np.where(
        a_solid_b_air, film(np.broadcast_to(ay, a_solid_b_air.shape), ry[:, :-1], surf.h_side[:, :-1]), 0.0
    )
    conv[:, 1:] += np.where(
        b_solid_a_air, film(np.broadcast_to(ay, b_solid_a_air.shape), ry[:, 1:], surf.h_side[:, 1:]), 0.0
    )
    gy[cut] = 0.0
    # z faces: a below, b above. A solid cell with air above has an upward-facing surface.
    a_solid_b_air = ~ext[:, :, :-1] & ext[:, :, 1:]
    b_solid_a_air = ext[:, :, :-1] & ~ext[:, :, 1:]
    cut = a_solid_b_air | b_solid_a_air | (ext[:, :, :-1] & ext[:, :, 1:])
    conv[:, :, :-1] += np.where(
        a_solid_b_air, film(np.broadcast_to(az, a_solid_b_air.shape), rz[:, :, :-1], surf.h_up[:, :, :-1]), 0.0
    )
    conv[:, :, 1:] += np.where(
        b_solid_a_air, film(np.broadcast_to(az, b_solid_a_air.shape), rz[:, :, 1:], surf.h_down[:, :, 1:]), 0.0
    )
    gz[cut] = 0.0
    gb = np.where(ext, 0.0, gb) + conv
    # Exterior cells are decoupled: a unit diagonal keeps the system regular and their rise 0.
    gb = np.where(ext, 1.0, gb)
    return Stencil(gx, gy, gz, gb)
