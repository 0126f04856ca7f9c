"""The detailed model under per-surface boundary conditions, built once and solved per condition.

A compact model is fitted to many detailed solves of one package that differ only in
their film coefficients. Everything else is built once here: the grid (with the die
footprint's edges as planes, so the inner and outer regions are whole cells), the
rasterised fields, the exterior air and the interior conductances. Per boundary
condition only the boundary conductances change: each exposed face of class c adds
A / (R_half + 1/h_c) to its cell's diagonal (Patankar 1980, sec. 4.3, the Robin
condition through the half-cell), so a new condition costs one vector sum and one solve.

The package stands alone (no test board): the board is part of the environment a
compact model replaces, and JESD15-4 trains on the package's own surfaces.

References
----------
Patankar, Numerical Heat Transfer and Fluid Flow, Hemisphere 1980, sections 4.2-4.3.
JEDEC JESD15-4 (2008), DELPHI compact thermal model guideline, sec. 4.2 (the validated
detailed model) and 4.5 (surface nodes).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from enum import Enum

import numpy as np
from numpy.typing import NDArray

from semipack.errors import ConvergenceError, DesignError
from semipack.model import TERMINAL_ROLES, Package, Role
from semipack.thermal.assemble import ExposedSurfaces, Stencil, assemble, expose
from semipack.thermal.compact.bcs import BoundaryCondition, SurfaceClass
from semipack.thermal.environment import face_down
from semipack.thermal.grid import Grid, make_grid
from semipack.thermal.raster import CellFields, rasterize
from semipack.thermal.reuse import HierarchyReuse, SnapshotBasis, solve_reusing
from semipack.thermal.setup import exterior_air, scaled_power

Array = NDArray[np.float64]
IntArray = NDArray[np.intp]


class Junction(Enum):
    """How a die's temperature is read: its hottest cell, or its power-weighted mean (linear, reciprocal)."""

    MAX = "max"
    MEAN = "mean"


@dataclass(frozen=True)
class Faces:
    """The exposed faces of one surface class: their cell (flat index), area (m^2) and half-cell resistance (m^2 K/W)."""

    cells: IntArray
    area_m2: Array
    r_half: Array

    @property
    def total_area_m2(self) -> float:
        return float(self.area_m2.sum())


@dataclass(frozen=True)
class DetailedSolution:
    """One detailed solve: junction rise (K), heat out and mean temperature rise of each class (W, K)."""

    condition: BoundaryCondition
    tj_rise_k: float
    die_rise_k: dict[str, float]
    q_w: dict[SurfaceClass, float]
    surface_rise_k: dict[SurfaceClass, float]
    power_w: float
    iterations: int
    solve_s: float
    rise_k: Array = field(repr=False)


@dataclass(frozen=True)
class DetailedModel:
    """A package's grid, fields and interior operator, ready for any per-class boundary condition."""

    package: Package = field(repr=False)
    grid: Grid = field(repr=False)
    fields: CellFields = field(repr=False)
    interior: Stencil = field(repr=False)
    faces: dict[SurfaceClass, Faces] = field(repr=False)
    die_cells: dict[str, NDArray[np.bool_]] = field(repr=False)
    junction: Junction = Junction.MAX
    rtol: float = 1e-9

    @property
    def classes(self) -> tuple[SurfaceClass, ...]:
        """The classes the package has faces in (DELPHI's surface nodes)."""
        return tuple(c for c in SurfaceClass if self.faces[c].total_area_m2 > 0)

    @property
    def power_w(self) -> float:
        return float(self.fields.power.sum())

    def stencil(self, bc: BoundaryCondition) -> Stencil:
        gb = self.interior.gb.ravel().copy()
        for c, fc in self.faces.items():
            h = bc.h(c)
            if h > 0 and len(fc.cells):
                np.add.at(gb, fc.cells, fc.area_m2 / (fc.r_half + 1.0 / h))
        return replace(self.interior, gb=gb.reshape(self.grid.shape))

    def solve(
        self,
        bc: BoundaryCondition,
        power: Array | None = None,
        x0: Array | None = None,
        reuse: HierarchyReuse | None = None,
        basis: SnapshotBasis | None = None,
    ) -> DetailedSolution:
        """Solve the package under ``bc`` (heat sources ``power``, W per cell, default the package's).

        ``reuse`` carries a multigrid hierarchy from solve to solve (`semipack.thermal.reuse`:
        kept while the operators stay spectrally close, rebuilt otherwise); ``basis`` (of
        ``self.interior``) gives the Galerkin starting guess from earlier solutions and
        keeps this one; ``x0`` is a starting guess otherwise (default: the last field
        ``reuse`` solved for). Every guess is used only where it beats zero.
        """
        if all(bc.h(c) == 0 for c in self.classes):
            raise DesignError(
                f"bcs.{bc.name}", bc.as_dict(), "at least one of the package's surfaces must exchange heat (h > 0)"
            )
        b = self.fields.power if power is None else power
        st = self.stencil(bc)
        t0 = time.perf_counter()
        if basis is not None and x0 is None:
            x0 = basis.guess(st, b)
        x, info = solve_reusing(st, b, reuse if reuse is not None else HierarchyReuse(), rtol=self.rtol, maxiter=2000, x0=x0)
        if basis is not None:
            basis.add(x)
        if not info.converged:
            raise ConvergenceError(f"boundary condition {bc.name}: relative residual {info.relative_residual:.2e}")
        solve_s = time.perf_counter() - t0
        flat = x.ravel()
        q, ts = {}, {}
        for c in self.classes:
            fc = self.faces[c]
            h = bc.h(c)
            tc = flat[fc.cells]
            # Face temperature: the cell's, less the drop over the half cell (0 when adiabatic).
            t_face = tc / (1.0 + h * fc.r_half)
            q[c] = float((fc.area_m2 * h * t_face).sum())
            ts[c] = float((fc.area_m2 * t_face).sum()) / fc.total_area_m2
        dies = {n: self.read_die(x, n, b) for n in self.die_cells}
        tj = max(dies.values()) if self.junction is Junction.MAX else self.read_junction(x, b)
        return DetailedSolution(bc, tj, dies, q, ts, float(b.sum()), info.iterations, solve_s, x)

    def read_die(self, x: Array, name: str, power: Array | None = None) -> float:
        """One die's temperature rise: its max, or its mean weighted by its own heat sources."""
        m = self.die_cells[name]
        if self.junction is Junction.MAX:
            return float(x[m].max())
        w = (self.fields.power if power is None else power)[m]
        if not w.sum() > 0:
            w = self.grid.volumes()[m]
        return float(np.dot(x[m], w) / w.sum())

    def read_junction(self, x: Array, power: Array) -> float:
        """The power-weighted mean rise over every heated cell."""
        return float(np.dot(x.ravel(), power.ravel()) / power.sum())

    def die_power(self, name: str) -> Array:
        """The heat sources of one die alone (W per cell)."""
        if name not in self.die_cells:
            raise DesignError("die", name, "names no die of the package: " + ", ".join(self.die_cells))
        return np.where(self.die_cells[name], self.fields.power, 0.0)


def build_detailed(
    pkg: Package,
    *,
    resolution: float = 1.0,
    power_w: float | None = None,
    junction: Junction = Junction.MAX,
    rtol: float = 1e-9,
) -> DetailedModel:
    """Grid, fields, exterior and interior operator of ``pkg`` alone (mounted face down, no board)."""
    if not 0 < resolution <= 16:
        raise DesignError("resolution", resolution, "must be in (0, 16]")
    pkg = face_down(pkg)
    dies = [b for b in pkg.bodies if b.role is Role.DIE]
    if not dies:
        raise DesignError("package", pkg.name, "a compact model needs at least one die")
    lo = np.min([d.solid.bbox.lo for d in dies], axis=0)
    hi = np.max([d.solid.bbox.hi for d in dies], axis=0)
    grid = make_grid(pkg, resolution, extra_breaks=([lo[0], hi[0]], [lo[1], hi[1]], []))
    f = scaled_power(rasterize(pkg, grid), power_w)
    ext = exterior_air(f, grid, pkg, False)
    zero = np.zeros(grid.shape)
    interior = expose(assemble(grid, f, []), grid, f, ExposedSurfaces(ext, zero, zero, zero))
    faces = _classify(pkg, grid, f, ext, (lo[0], lo[1], hi[0], hi[1]))
    die_cells = {}
    for d in dies:
        i = next(k for k, b in enumerate(pkg.bodies) if b.name == d.name)
        m = f.owner == i
        if m.any():
            die_cells[d.name] = m
    return DetailedModel(pkg, grid, f, interior, faces, die_cells, junction, rtol)


def _classify(
    pkg: Package, grid: Grid, f: CellFields, ext: NDArray[np.bool_], die_xy: tuple[float, float, float, float]
) -> dict[SurfaceClass, Faces]:
    """Every face between a conducting cell and the surroundings (exterior air or the box edge), by class."""
    conducting = ~ext
    terminal = np.array([b.role in TERMINAL_ROLES for b in pkg.bodies] + [False])
    is_terminal = terminal[np.where(f.owner < 0, len(pkg.bodies), f.owner)]
    cx, cy, _ = grid.centers
    inner = ((cx >= die_xy[0]) & (cx <= die_xy[2]))[:, None, None] & ((cy >= die_xy[1]) & (cy <= die_xy[3]))[
        None, :, None
    ]
    inner = np.broadcast_to(inner, grid.shape)
    d = (grid.dx, grid.dy, grid.dz)
    k = (f.kx, f.ky, f.kz)
    area = (
        grid.dy[None, :, None] * grid.dz[None, None, :],
        grid.dx[:, None, None] * grid.dz[None, None, :],
        grid.dx[:, None, None] * grid.dy[None, :, None],
    )
    idx = np.arange(grid.cells).reshape(grid.shape)
    parts: dict[SurfaceClass, list[tuple[IntArray, Array, Array]]] = {c: [] for c in SurfaceClass}
    for axis in range(3):
        shape_d = [1, 1, 1]
        shape_d[axis] = -1
        r_half = np.broadcast_to(d[axis].reshape(shape_d) / (2 * k[axis]), grid.shape)
        a = np.broadcast_to(area[axis], grid.shape)
        pad = [(0, 0)] * 3
        pad[axis] = (1, 1)
        outside = np.pad(~conducting, pad, constant_values=True)
        n = grid.shape[axis]
        for side, nb in (
            ("lo", np.take(outside, np.arange(n), axis=axis)),
            ("hi", np.take(outside, np.arange(2, n + 2), axis=axis)),
        ):
            m = conducting & nb
            if not m.any():
                continue
            if axis < 2:
                classes = np.where(is_terminal[m], 5, 4)  # leads, sides
            elif side == "hi":
                classes = np.where(is_terminal[m], 5, np.where(inner[m], 0, 1))  # up: top inner / outer
            else:
                classes = np.where(inner[m], 2, 3)  # down: bottom inner / outer (balls' seats too)
            for ci, c in enumerate(SurfaceClass):
                sel = classes == ci
                if sel.any():
                    parts[c].append((idx[m][sel], a[m][sel], r_half[m][sel]))
    out = {}
    for c, ps in parts.items():
        if ps:
            out[c] = Faces(*(np.concatenate([p[i] for p in ps]) for i in range(3)))
        else:
            out[c] = Faces(np.zeros(0, np.intp), np.zeros(0), np.zeros(0))
    return out
