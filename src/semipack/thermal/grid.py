"""Non-uniform rectilinear grids generated from a package.

Every face of every resolved body is a grid plane; thin layers get at least
``min_cells`` cells across; cell sizes grow geometrically away from small cells by at
most ``growth``; one ``resolution`` knob scales the target cell size (and, above 1, the
z cells inside thin layers and the z grading away from them: see `z_refinement`).
Bodies smaller than the cells (wires, traces, small vias) are not resolved: they enter
the cells as volume fractions (see `semipack.thermal.raster`).

Two styles (`GridStyle`). ``FACES`` (before): x-y planes closer than a fiftieth of a
cell merge and every interval between planes gets ``min_cells`` cells, so a 0.3 mm ball on
a 0.25 mm land puts four planes 25 um apart and grades 12 um cells away from them at
every ball of an array. ``PHYSICS`` (the default): a face of a small body closer than
`SNAP` target cells to another face shares its plane, faces of major bodies (at least
`MAJOR_CELLS` cells wide: die, attach, via field, lid) merge only below `MAJOR_SNAP` cells
(no face moves by more than its tolerance), and an interval gets as many cells as the
target size asks, one at least; the faces of heat-source bodies, hot-spot edges, the
package outline and the caller's extra planes never move. Balls and
cylinders are resolved from `RESOLVE_CELLS` target cells wide, pads fed at a point and
their balls from `FED_RESOLVE_CELLS` (narrower ones are volume fractions, as in
FACES). z is the same in both styles (thin films keep their planes).

References
----------
Patankar, Numerical Heat Transfer and Fluid Flow, Hemisphere 1980, section 4.6
(interface conductivities: a cell holding two materials conducts as their series /
parallel combination, which is what lets a face sit inside a cell).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import Enum
from functools import cached_property

import numpy as np
from numpy.typing import ArrayLike, NDArray

from semipack.errors import DesignError
from semipack.geometry import Ball, BentSheet, Box, Cylinder
from semipack.model import Package
from semipack.thermal.pads import fed_at_a_point
from semipack.thermal.zcells import Cutting, anisotropic_layers, board_z, insulating_layers, z_refinement

Array = NDArray[np.float64]

MIN_RESOLUTION = 0.1
"""Coarsest grid resolution: below it the grid stops resolving the package's layers."""
MAX_RESOLUTION = 8.0
"""Finest grid resolution a caller may ask for; the cell cap below usually binds first."""
DEFAULT_MAX_CELLS = 6_000_000
"""Default cap on grid cells per solve (about 3.7 GB at `BYTES_PER_CELL`); callers may raise it."""
BYTES_PER_CELL = 600
"""Peak memory per cell of a steady solve, measured: QFN32 at resolution 1 and 2 on the
default solver (0.45 M and 1.19 M cells, 393 MB and 841 MB peak: (841 - 393) MB / 0.74 M)."""
BASE_BYTES = 150e6
"""Memory of the interpreter, the libraries and the package before the grid (measured)."""


DEFAULT_MAX_MEMORY = 16 * 2**30
"""Default cap on the estimated peak memory of one solve, bytes: 16 GiB leaves a third of a
24 GiB CI machine to the operating system and the estimate's error; callers may raise it."""
MIN_MAX_MEMORY = 2**28
MAX_MAX_MEMORY = 2**50
_MEMORY_UNITS = {
    "b": 1.0, "kb": 1e3, "mb": 1e6, "gb": 1e9, "tb": 1e12,
    "kib": 2.0**10, "mib": 2.0**20, "gib": 2.0**30, "tib": 2.0**40,
}
_MEMORY = re.compile(r"^\s*((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d{1,3})?)\s*([A-Za-z]+)\s*$")


def parse_memory(text: str, field: str = "max_memory") -> float:
    """A memory size written with its unit (``'16 GiB'``, ``'500 MB'``), in bytes.

    Decimal (kB, MB, GB, TB: powers of 1000) and binary (KiB, MiB, GiB, TiB: powers of
    1024, IEC 80000-13) prefixes; from 256 MiB (below it no package solves) to 1 PiB.
    """
    allowed = "a memory size with its unit (B, kB, MB, GB, TB, KiB, MiB, GiB, TiB) from 256 MiB to 1 PiB"
    m = _MEMORY.match(text) if len(text) <= 100 and text.isprintable() else None
    unit = _MEMORY_UNITS.get(m.group(2).lower()) if m else None
    if m is None or unit is None:
        raise DesignError(field, text, allowed)
    value = float(m.group(1)) * unit
    if not MIN_MAX_MEMORY <= value <= MAX_MAX_MEMORY:
        raise DesignError(field, text, allowed)
    return value


def check_resolution(resolution: float, field: str = "resolution") -> None:
    """Refuse a resolution outside [`MIN_RESOLUTION`, `MAX_RESOLUTION`] (or NaN)."""
    if not MIN_RESOLUTION <= resolution <= MAX_RESOLUTION:
        raise DesignError(field, resolution, f"a grid resolution from {MIN_RESOLUTION:g} to {MAX_RESOLUTION:g}")


def estimated_bytes(cells: int) -> float:
    """Estimated peak memory of a steady solve on ``cells`` cells, bytes."""
    return BASE_BYTES + BYTES_PER_CELL * cells


def check_grid_size(
    cells: int, max_cells: int, field: str = "resolution", max_memory: float = DEFAULT_MAX_MEMORY
) -> None:
    """Refuse a grid of more than ``max_cells`` cells, or whose estimated peak memory
    (`estimated_bytes`) exceeds ``max_memory`` bytes, before anything is allocated for it."""
    if cells > max_cells:
        raise DesignError(
            field,
            f"{cells} cells",
            f"the grid would take about {estimated_bytes(cells) / 1e9:.1f} GB; the limit is {max_cells} cells "
            "(lower the resolution, or raise the limit with --max-cells)",
        )
    if estimated_bytes(cells) > max_memory:
        raise DesignError(
            field,
            f"{cells} cells",
            f"the grid would take about {estimated_bytes(cells) / 1e9:.1f} GB; the memory limit is "
            f"{max_memory / 1e9:.1f} GB (lower the resolution, or raise the limit with --max-memory)",
        )


class GridStyle(Enum):
    """Which faces become grid planes (see the module notes)."""

    PHYSICS = "physics"
    FACES = "faces"


CELLS_ACROSS = 30
"""Target cells across the package's (or the focus region's) larger x-y side at resolution 1."""
DEFAULT_STYLE = GridStyle.PHYSICS
"""The style `make_grid` uses when none is given (a benchmark sets ``FACES`` for its baseline)."""
RESOLVE_CELLS = 0.75
"""PHYSICS: target cells a ball or cylinder must span in x and y to be resolved (its faces
become planes and the raster samples it). Measured against finer grids: 2 smeared every
ball array narrower than two cells into a uniform layer and lost the constriction into
each ball (theta-JC(bottom) of the PBGA 25 % and of the LGA 30 % low,
`bench/results/jedec_grid_balls_as_layer_2026-11-28.json`); 1 smeared the PBGA's 0.45 mm
lands (0.79 of its 0.57 mm cells) under resolved balls, theta-JC(bottom) 4.49 C/W against
5.50 / 5.50 / 5.48 at resolutions 2, 2.5, 3; 0.75 resolves them: 5.51 C/W (docs/benchmarks.md)."""
FED_RESOLVE_CELLS = 0.05
"""PHYSICS: target cells a pad fed at a point (`pads.fed_at_a_point`: a thin-film pad on its
microvia) and the ball on it must span to be resolved; one narrower than two `SNAP`
distances keeps its faces apart (they snap as a major body's, `MAJOR_SNAP`), or they would
merge into one plane. Deposited, the pad's copper is smeared over its cell and the spreading
from the via to the ball is lost: the thin-film packages read 18-37 % low at resolution 1
against 2 once the via carries its part of the pad (`constriction.CONTINUE_COVERED`). From
0.2 cells, the grouped package with different dies kept its 60 um pads deposited in 0.8 mm
cells at resolutions 1 and 2 and read 25 % low against grids that resolve them; now -3 %
(docs/benchmarks.md). Resolving every round body from 0.2 cells instead doubled the cells
and put the exposed-sink packages' lands in one cell each (0.7 -> 4.1 %)."""
SNAP = 0.1
"""PHYSICS: x-y faces of small bodies closer than this many target cells to another face
share one plane. A quarter cell snapped the CSP's 0.3 mm balls onto their 0.25 mm lands (25 um
apart, an eighth of a cell) and read theta-JC(bottom) 16.4 C/W against 18.2 on a grid at
resolution 3 that keeps them apart; a tenth keeps them (18.0 C/W, 0.95 M cells against FACES' 3.5 M)."""
MAJOR_CELLS = 4.0
"""PHYSICS: a body at least this many target cells wide in x and y is a major one (die,
attach, via field, lid); its faces snap only at `MAJOR_SNAP`, so the main heat path keeps
its shape (snapping a FCBGA's 8.4 mm via field onto its 8.15 mm die put theta-JA on the
2s2p board 8.5 % below the resolution-2 value, NEC 21 mm FCBGA: 14.21 against 15.53 C/W;
with this, 15.07, and 15.00 on the FACES grid)."""
MAJOR_SNAP = 0.05
"""PHYSICS: faces of major bodies closer than this many target cells share one plane."""
@dataclass(frozen=True)
class Grid:
    """Cell faces along x, y, z (metres, strictly increasing). Cell (i, j, k) spans x[i]..x[i+1] etc.

    ``resolve_cells``: how many of its local cells a ball or cylinder must span in x and y
    to be sampled (resolved) by `semipack.thermal.raster.rasterize` rather than deposited
    as a volume fraction (1 for a hand-made grid and the FACES style, `RESOLVE_CELLS` for PHYSICS).
    """

    x: tuple[float, ...]
    y: tuple[float, ...]
    z: tuple[float, ...]
    resolve_cells: float = 1.0

    @cached_property
    def shape(self) -> tuple[int, int, int]:
        return (len(self.x) - 1, len(self.y) - 1, len(self.z) - 1)

    @property
    def cells(self) -> int:
        nx, ny, nz = self.shape
        return nx * ny * nz

    @cached_property
    def dx(self) -> Array:
        return np.diff(np.asarray(self.x))

    @cached_property
    def dy(self) -> Array:
        return np.diff(np.asarray(self.y))

    @cached_property
    def dz(self) -> Array:
        return np.diff(np.asarray(self.z))

    @cached_property
    def centers(self) -> tuple[Array, Array, Array]:
        x, y, z = (np.asarray(a) for a in (self.x, self.y, self.z))
        return (x[:-1] + x[1:]) / 2, (y[:-1] + y[1:]) / 2, (z[:-1] + z[1:]) / 2

    def volumes(self) -> Array:
        return self.dx[:, None, None] * self.dy[None, :, None] * self.dz[None, None, :]

    def index(self, axis: int, value: float) -> int:
        """Cell index along ``axis`` containing ``value`` (clamped)."""
        return int(self.indices(axis, value))

    def indices(self, axis: int, values: ArrayLike) -> NDArray[np.intp]:
        """Cell indices along ``axis`` containing each of ``values`` (clamped), of their shape."""
        faces = self.faces[axis]
        out: NDArray[np.intp] = np.clip(np.searchsorted(faces, values, side="right") - 1, 0, len(faces) - 2)
        return out

    @cached_property
    def faces(self) -> tuple[Array, Array, Array]:
        """The face coordinates along x, y, z as arrays (made once: `indices` runs per body)."""
        x, y, z = (np.asarray(a, dtype=float) for a in (self.x, self.y, self.z))
        return x, y, z


def _merge(points: list[float], tol: float) -> list[float]:
    pts = sorted(points)
    out = [pts[0]]
    for p in pts[1:]:
        if p - out[-1] > tol:
            out.append(p)
    return out


def _snap(points: list[float], fixed: list[float], tol: float, tol_fixed: float) -> list[float]:
    """Planes of ``points`` and ``fixed``, where free points closer than ``tol`` share one plane.

    A free point within ``tol`` of a fixed one joins it (a fixed plane never moves); free
    points form clusters no wider than ``tol`` (sorted, each cluster from its first
    point), each replaced by its mean, so no face moves by more than ``tol``. Fixed
    planes merge with each other only below ``tol_fixed`` (as before).
    """
    keep = _merge(fixed, tol_fixed) if fixed else []
    anchors = np.asarray(keep)
    free = sorted(points)
    if len(anchors):
        pos = np.searchsorted(anchors, free)
        near = np.minimum(
            np.abs(np.asarray(free) - anchors[np.clip(pos - 1, 0, len(anchors) - 1)]),
            np.abs(np.asarray(free) - anchors[np.clip(pos, 0, len(anchors) - 1)]),
        )
        free = [p for p, d in zip(free, near, strict=True) if d > tol]
    means: list[float] = []
    start, members = math.nan, [0.0]
    for p in free:
        if means and p - start <= tol:
            members.append(p)
            means[-1] = sum(members) / len(members)
        else:
            start, members = p, [p]
            means.append(p)
    return _merge(keep + means, tol_fixed)


def _graded(
    a: float, b: float, h_left: float, h_right: float, h_target: float, growth: float, min_cells: int
) -> list[float]:
    """Interior faces of [a, b]: cells grow by ``growth`` from both neighbours' sizes up to ``h_target``."""
    h = min(h_target, (b - a) / min_cells)
    left: list[float] = []
    right: list[float] = []
    pos, pos_r = a, b
    sl, sr = min(h_left * growth, h), min(h_right * growth, h)
    # Grow the side with the smaller cells first, so both ends grade symmetrically.
    while min(sl, sr) < h:
        if sl <= sr:
            if pos_r - pos < 2 * sl + sr:
                break
            pos += sl
            left.append(pos)
            sl = min(sl * growth, h)
        else:
            if pos_r - pos < 2 * sr + sl:
                break
            pos_r -= sr
            right.append(pos_r)
            sr = min(sr * growth, h)
    gap = pos_r - pos
    n = max(1, math.ceil(gap / h - 1e-9))
    if not left and not right:
        n = max(n, min_cells)
    middle = [pos + gap * i / n for i in range(1, n)]
    return left + middle + right[::-1]


def _axis_faces(
    breaks: list[float],
    inside: Cutting,
    tol: float,
    focus: tuple[float, float] | None = None,
    far: Cutting | None = None,
    min_within: tuple[tuple[float, float, int], ...] = (),
) -> tuple[float, ...]:
    """Faces along one axis: the ``breaks`` merged within ``tol``, each interval cut as
    ``inside`` says, or as ``far`` outside ``focus`` (a test board around the package, whose
    cells are coarser), with at least the cells ``min_within`` gives the intervals inside
    each of its (lo, hi) ranges."""
    b = _merge(breaks, tol)
    lengths = np.diff(b)
    mids = (np.asarray(b[:-1]) + np.asarray(b[1:])) / 2
    targets = np.full(len(lengths), inside.target_m)
    mins = np.full(len(lengths), inside.min_cells)
    for lo, hi, cells in min_within:  # more cells across the intervals within (lo, hi)
        within = (mids > lo) & (mids < hi)
        mins[within] = np.maximum(mins[within], cells)
    grow = np.full(len(lengths), inside.growth)
    if focus is not None and far is not None:
        outside = (mids < focus[0]) | (mids > focus[1])
        targets[outside] = far.target_m
        mins[outside] = far.min_cells
        grow[outside] = far.growth
    # Each interval's own small cell size seeds grading in its neighbours.
    own = np.minimum(lengths / np.maximum(np.ceil(lengths / targets), mins), targets)
    faces = [b[0]]
    for i in range(len(b) - 1):
        hl = own[i - 1] if i > 0 else own[i]
        hr = own[i + 1] if i + 1 < len(own) else own[i]
        faces += _graded(b[i], b[i + 1], hl, hr, float(targets[i]), float(grow[i]), int(mins[i]))
        faces.append(b[i + 1])
    return tuple(faces)


def make_grid(
    pkg: Package,
    resolution: float = 1.0,
    *,
    min_cells: int = 2,
    growth: float = 1.4,
    extra_breaks: tuple[list[float], list[float], list[float]] | None = None,
    focus: tuple[tuple[float, float, float], tuple[float, float, float]] | None = None,
    style: GridStyle | None = None,
    layer_rules: bool = True,
) -> Grid:
    """Generate the grid for ``pkg``.

    Parameters
    ----------
    resolution
        1 is the default; 2 halves the target cell size (about 8x the cells).
    min_cells
        Minimum cells across a resolved layer in z (and across resolved bodies in x, y);
        in z, above resolution 1, ``min_cells * resolution`` (see `z_refinement`).
    growth
        Largest ratio between neighbouring cell sizes; in z, above resolution 1,
        ``1 + (growth - 1) / resolution``.
    extra_breaks
        Additional planes per axis (board edges, measuring points).
    focus
        (lo, hi) corners of the region the cell sizes are set for (the package on a
        board); outside it in x-y the cells grow to a sixth of the remaining margin, and in
        z (the board's layers) to `zcells.BOARD_Z_CELLS` across, with `zcells.BOARD_Z_GROWTH`.
    style
        Which faces become planes (`GridStyle`); default `DEFAULT_STYLE`.
    layer_rules
        Give the intervals of insulating layers `zcells.INSULATING_MIN_CELLS` z cells (scaled as
        ``min_cells``) and those of anisotropic ones the cells their stretched thickness asks
        for (`zcells.anisotropic_layers`); False: ``min_cells`` there too (the mechanics and
        moisture meshes, whose fields do not converge into narrow conductors through them).
    """
    if resolution <= 0:
        raise ValueError("resolution must be positive")
    style = style or DEFAULT_STYLE
    bb = pkg.bbox
    fl, fh = focus if focus is not None else (bb.lo, bb.hi)
    span_xy = max(fh[0] - fl[0], fh[1] - fl[1])
    h_xy = span_xy / (CELLS_ACROSS * resolution)
    h_z = (fh[2] - fl[2]) / (12 * resolution)
    physics = style is GridStyle.PHYSICS
    breaks, major, fixed = _breaks(
        pkg, h_xy, RESOLVE_CELLS if physics else 1.0, fed_at_a_point(pkg) if physics else frozenset()
    )
    fixed[0] += [bb.lo[0], bb.hi[0]]
    fixed[1] += [bb.lo[1], bb.hi[1]]
    if extra_breaks is not None:
        for ax in range(3):
            fixed[ax] += list(extra_breaks[ax])
    # Planes closer than this merge: in x-y a fiftieth of a cell, in z 0.2 um (thin films stay).
    tol_xy, tol_z = h_xy / 50, 0.2e-6
    xy: list[list[float]] = []
    for ax in (0, 1):
        if physics:
            anchors = _snap(major[ax], fixed[ax], MAJOR_SNAP * h_xy, tol_xy)
            xy.append(_snap(breaks[ax], anchors, SNAP * h_xy, tol_xy))
        else:
            xy.append(breaks[ax] + major[ax] + fixed[ax])
    if focus is not None:
        # Sizes in the x-y margins are set by the margin, not by the package.
        h_far = max((bb.size[0] - (fh[0] - fl[0])) / 12, h_xy)
        fx, fy = (fl[0], fh[0]), (fl[1], fh[1])
    else:
        h_far, fx, fy = h_xy, None, None
    min_cells_z, growth_z = z_refinement(min_cells, growth, resolution)
    z_far = board_z(bb.size[2] - (fh[2] - fl[2]), resolution, h_z) if focus is not None else None
    # PHYSICS: no x-y minimum per interval beyond one cell (a body wider than a target cell
    # gets two by the target size alone; a gap between two faces needs no two cells of its own).
    min_xy = 1 if physics else min_cells
    xy_inside = Cutting(h_xy, growth, min_xy)
    xy_far = Cutting(h_far, growth, min_xy)
    layers = (
        insulating_layers(pkg, (fl, fh), growth, resolution) + anisotropic_layers(pkg, (fl, fh), h_xy)
        if layer_rules
        else ()
    )
    return Grid(
        _axis_faces(xy[0], xy_inside, tol_xy, fx, xy_far),
        _axis_faces(xy[1], xy_inside, tol_xy, fy, xy_far),
        _axis_faces(
            breaks[2] + major[2] + fixed[2],
            Cutting(h_z, growth_z, min_cells_z),
            tol_z,
            (fl[2], fh[2]) if z_far is not None else None,
            z_far,
            min_within=layers,
        ),
        RESOLVE_CELLS if physics else 1.0,
    )


def _breaks(
    pkg: Package, h_xy: float, resolve_cells: float, fed: frozenset[int] = frozenset()
) -> tuple[list[list[float]], list[list[float]], list[list[float]]]:
    """Face coordinates per axis: (minor, major, fixed).

    Fixed are the heat-source bodies' faces and hot-spot edges; major the faces of bodies
    at least `MAJOR_CELLS` target cells wide; minor the rest. A body whose x-y footprint
    is narrower than ``h_xy`` enters as volume fractions (no planes), and a ball or
    cylinder narrower than ``resolve_cells * h_xy`` too (`FED_RESOLVE_CELLS` for the
    bodies in ``fed``, by index, whose faces are major ones while they are narrower than
    two `SNAP` distances).
    """
    sources = {hs.body for hs in pkg.heat_sources}
    breaks: list[list[float]] = [[], [], []]
    major: list[list[float]] = [[], [], []]
    fixed: list[list[float]] = [[], [], [pkg.bbox.lo[2], pkg.bbox.hi[2]]]
    for n, body in enumerate(pkg.bodies):
        s = body.solid
        sb = s.bbox
        width = min(sb.size[0], sb.size[1])
        # A fed pad narrower than two snapping distances keeps its faces apart (major).
        narrow_fed = n in fed and width < 2 * SNAP * h_xy
        out = fixed if body.name in sources else major if width >= MAJOR_CELLS * h_xy or narrow_fed else breaks
        if isinstance(s, Box | BentSheet):
            resolved_xy = width >= h_xy
        elif isinstance(s, Ball | Cylinder):
            cells = min(resolve_cells, FED_RESOLVE_CELLS) if n in fed else resolve_cells
            resolved_xy = width >= cells * h_xy
        else:
            resolved_xy = False
        if resolved_xy:
            for ax in (0, 1):
                out[ax] += [sb.lo[ax], sb.hi[ax]]
            if isinstance(s, Box):
                for c in s.cutouts:
                    if min(c.bbox.size[0], c.bbox.size[1]) >= h_xy:
                        for ax in (0, 1):
                            out[ax] += [max(c.bbox.lo[ax], sb.lo[ax]), min(c.bbox.hi[ax], sb.hi[ax])]
        if isinstance(s, Box | BentSheet | Ball | Cylinder) and sb.size[2] > 0:
            out[2] += [sb.lo[2], sb.hi[2]]
            if isinstance(s, Box):
                for c in s.cutouts:
                    out[2] += [max(c.bbox.lo[2], sb.lo[2]), min(c.bbox.hi[2], sb.hi[2])]
    for hs in pkg.heat_sources:
        if hs.region is not None:  # hot-spot edges are grid planes
            fixed[0] += [hs.region[0], hs.region[2]]
            fixed[1] += [hs.region[1], hs.region[3]]
    return breaks, major, fixed


def refine(grid: Grid, factor: int) -> Grid:
    """Split every cell into ``factor`` equal parts along each axis (a systematic refinement).

    Every plane of ``grid`` stays a plane of the result and the refinement ratio is exactly
    ``factor`` everywhere, which is what Richardson extrapolation assumes (Roache 1998);
    refining through the ``resolution`` knob instead re-grades the grid and changes which
    small bodies are resolved, so the ratio varies from place to place.
    """
    if factor < 1:
        raise ValueError("the refinement factor must be a positive integer")
    if factor == 1:
        return grid
    frac = np.arange(factor) / factor

    def split(faces: tuple[float, ...]) -> tuple[float, ...]:
        f = np.asarray(faces)
        inner = (f[:-1, None] + np.diff(f)[:, None] * frac[None, :]).ravel()
        return tuple(float(v) for v in np.append(inner, f[-1]))

    return Grid(split(grid.x), split(grid.y), split(grid.z), grid.resolve_cells)
