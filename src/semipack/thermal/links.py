"""Traces narrower than a cell, conducting from cell to cell along their own path.

A trace is deposited in the cells it crosses (`raster`). Spread as a conductivity
``f k d_a^2`` along each axis ``a`` of its direction ``d``, an axis-aligned trace conducts
as it should, but one at an angle does not: the seven-point stencil joins cells only
through their faces, and the cells on a diagonal's staircase hold a sliver of it each, so
the harmonic mean across every face takes the sliver. A 2 mm trace at 45 degrees on an
insulating layer read 30 times its resistance at one and two cells across (the fan-out of
the thin-film and build-up packages runs diagonal).

Here every segment at an angle to the axes is walked through the grid instead (the cells
its centre line crosses, in order, as a ray through a voxel grid), and each pair of
consecutive cells, which share a face, gets the trace's own conductance ``k A / l`` on
that face, ``l`` the trace's length between the middles of its runs in the two cells, in
parallel with the host's: in series, the trace's ``k A / L`` from the middle of its first
cell's run to the middle of its last, whatever the cells (no link is shorter than
`MIN_GAP` cells). A segment
along an axis stays deposited: there the harmonic mean of ``f k`` over two cells is
already ``2 k A / (dx_1 + dx_2)``. Bond wires can be linked the same way
(`raster.LINK_WIRES`); a wire bonded on a face is also linked across it to what it is
bonded to.

References
----------
Amanatides and Woo, "A fast voxel traversal algorithm for ray tracing", Eurographics
1987, 3-10 (the cells a segment crosses, in order).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from semipack.geometry import Trace, Wire
from semipack.thermal.grid import Grid

Array = NDArray[np.float64]
IntArray = NDArray[np.intp]


@dataclass(frozen=True)
class FaceLinks:
    """Extra conductances (W/K) on cell faces: per axis, the flat index of each face in that
    axis's face array (shape ``grid.shape`` less one along the axis) and its conductance."""

    faces: tuple[IntArray, IntArray, IntArray]
    conductance: tuple[Array, Array, Array]

    def add_to(self, g: tuple[Array, Array, Array]) -> None:
        """Add the links to the face conductances ``(gx, gy, gz)`` in place."""
        for axis in range(3):
            at = np.unravel_index(self.faces[axis], g[axis].shape)  # in place whatever the memory order
            np.add.at(g[axis], at, self.conductance[axis])


def cell_runs(points: Array, grid: Grid) -> tuple[IntArray, Array]:
    """The cells a polyline's centre line crosses, in order, and its length in each, ((n, 3), (n,)).

    Each segment is cut at every grid plane it crosses (Amanatides and Woo 1987); a
    crossing through an edge or corner is taken one axis at a time, so consecutive cells
    always share a face (the cell between gets a run of length zero)."""
    cells: list[IntArray] = []
    lengths: list[Array] = []
    for p, q in itertools.pairwise(points):
        d = q - p
        span = float(np.linalg.norm(d))
        if span <= 0.0:
            continue
        ts: list[Array] = [np.array([0.0, 1.0])]
        for axis in range(3):
            if d[axis] != 0.0:
                f = grid.faces[axis]
                lo, hi = sorted((p[axis], q[axis]))
                inner = f[(f > lo) & (f < hi)]
                ts.append((inner - p[axis]) / d[axis])
        t = np.unique(np.concatenate(ts))
        mid = p + ((t[:-1] + t[1:]) / 2)[:, None] * d
        c = np.column_stack([grid.indices(a, mid[:, a]) for a in range(3)])
        cells.append(c)
        lengths.append(np.diff(t) * span)
    if not cells:
        return np.zeros((0, 3), dtype=np.intp), np.zeros(0)
    return _face_steps(np.vstack(cells), np.concatenate(lengths))


def _face_steps(cells: IntArray, lengths: Array) -> tuple[IntArray, Array]:
    """Merge repeated cells and split steps across an edge or corner into face steps."""
    out_c: list[IntArray] = [cells[0]]
    out_l: list[float] = [float(lengths[0])]
    for c, length in zip(cells[1:], lengths[1:], strict=True):
        prev = out_c[-1]
        if np.array_equal(c, prev):
            out_l[-1] += float(length)
            continue
        step = prev.copy()
        for axis in np.flatnonzero(c != prev)[:-1]:  # all but the last axis: zero-length cells between
            step = step.copy()
            step[axis] = c[axis]
            out_c.append(step)
            out_l.append(0.0)
        out_c.append(c)
        out_l.append(float(length))
    return np.array(out_c, dtype=np.intp), np.array(out_l)


def centre_line(solid: Trace | Wire) -> tuple[Array, float]:
    """A trace's or wire's centre line (3D points; a trace at mid-thickness) and its cross-section (m^2)."""
    area = solid.volume / max(solid.length, 1e-30)
    if isinstance(solid, Wire):
        return np.asarray(solid.points, dtype=float), area
    p2 = np.asarray(solid.points, dtype=float)
    return np.column_stack([p2, np.full(len(p2), (solid.z0 + solid.z1) / 2)]), area


MIN_GAP = 0.1
"""Least length of trace between two linked cells, in cells across their shared face."""
FACE_TOLERANCE_M = 1e-9
"""An end point this close to a grid plane lies on it (a wire's end on the die's face)."""


def _end_step(
    end: Array, inner: Array, cell: IntArray, run: float, grid: Grid
) -> tuple[IntArray, IntArray, float] | None:
    """Where a line ends on a z plane it arrives through (a bond wire on a die pad, which is
    the die's top face and so a grid plane), the cell beyond that plane, which holds what the
    wire is bonded to: (its end cell, that cell, the half run between them, m). None where
    the line ends inside its cell, which then holds what it meets, or arrives level (a
    trace: an end on an x or y plane only touches the next cell)."""
    d = inner[2] - end[2]
    if d == 0.0 or np.min(np.abs(grid.faces[2] - end[2])) > FACE_TOLERANCE_M:
        return None
    beyond = cell.copy()
    beyond[2] -= 1 if d > 0 else -1
    return (cell, beyond, run / 2) if 0 <= beyond[2] < grid.shape[2] else None


def _stretches(index: IntArray) -> list[tuple[int, int]]:
    """Runs of consecutive integers in the sorted ``index``, as (first, last)."""
    if len(index) == 0:
        return []
    breaks = np.flatnonzero(np.diff(index) > 1)
    starts = np.concatenate([[0], breaks + 1])
    stops = np.concatenate([breaks, [len(index) - 1]])
    return [(int(index[a]), int(index[b])) for a, b in zip(starts, stops, strict=True)]


def oblique(d: Array) -> NDArray[np.bool_]:
    """Which segments (rows of ``d``, their direction vectors) run at an angle to every axis."""
    out: NDArray[np.bool_] = (np.abs(d) > 1e-12 * np.abs(d).max(axis=1, keepdims=True)).sum(axis=1) > 1
    return out


def _line(pts: Array, area: float, k: float, grid: Grid, ends: tuple[bool, bool]) -> tuple[IntArray, IntArray, Array]:
    """The links of a stretch of line: the axis of each face, its lower cell (n, 3) and its
    conductance (W/K); ``ends``: whether its first and last points end the whole line."""
    cells, lengths = cell_runs(pts, grid)
    if len(cells) == 0:  # a line of no length
        return np.zeros(0, dtype=np.intp), np.zeros((0, 3), dtype=np.intp), np.zeros(0)
    bonds = [
        e
        for e in (
            _end_step(pts[0], pts[1], cells[0], lengths[0], grid) if ends[0] else None,
            _end_step(pts[-1], pts[-2], cells[-1], lengths[-1], grid) if ends[1] else None,
        )
        if e is not None
    ]
    a_cells = np.vstack([cells[:-1], *(c[None, :] for c, _, _ in bonds)])
    b_cells = np.vstack([cells[1:], *(b[None, :] for _, b, _ in bonds)])
    gap = np.concatenate([(lengths[:-1] + lengths[1:]) / 2, [half for _, _, half in bonds]])
    axis = np.argmax(np.abs(b_cells - a_cells), axis=1)
    # A run that clips a cell's corner (or a zero-length step through an edge) would join
    # two cells almost without resistance and spoil the solver's conditioning.
    size = [np.asarray(d, dtype=float) for d in (grid.dx, grid.dy, grid.dz)]
    across = np.minimum(*(np.stack([size[i][c[:, i]] for i in range(3)], axis=1) for c in (a_cells, b_cells)))
    least = MIN_GAP * across[np.arange(len(axis)), axis]
    return axis, np.minimum(a_cells, b_cells), k * area / np.maximum(gap, least)


def line_links(lines: list[tuple[Trace | Wire, float]], grid: Grid) -> FaceLinks:
    """The face links of traces and wires, each with its material's conductivity along it (W/m/K)."""
    faces: list[list[IntArray]] = [[], [], []]
    values: list[list[Array]] = [[], [], []]
    for solid, k in lines:
        pts, area = centre_line(solid)
        # Each stretch of consecutive oblique segments as one line (a vertex between two is
        # walked through, not linked twice); along an axis the deposit conducts as a link would.
        last = len(pts) - 2
        runs = [
            _line(pts[i : j + 2], area, k, grid, (i == 0, j == last))
            for i, j in _stretches(np.flatnonzero(oblique(np.diff(pts, axis=0))))
        ]
        if not runs:
            continue
        axis, lower, g = (np.concatenate([r[n] for r in runs]) for n in range(3))
        for a in range(3):
            m = axis == a
            if m.any():
                face_shape = tuple(n - (i == a) for i, n in enumerate(grid.shape))
                faces[a].append(np.ravel_multi_index(tuple(lower[m].T), face_shape))
                values[a].append(g[m])
    empty_i, empty_v = np.zeros(0, dtype=np.intp), np.zeros(0)
    return FaceLinks(
        tuple(np.concatenate(f) if f else empty_i for f in faces),  # type: ignore[arg-type]
        tuple(np.concatenate(v) if v else empty_v for v in values),  # type: ignore[arg-type]
    )
