"""Material properties on the grid: conductivity per axis, heat capacity, power per cell.

Each cell is sampled at ``s``^3 sub-points (more in x and y in the cells of a ball or
cylinder a few cells wide: `ROUND_SUB_POINTS`); every resolved body claims the sub-points it
contains, in priority order (fillers first, then solids, the smaller over the larger).
Per axis, a cell's conductivity is the series-parallel estimate over its sub-points:
the harmonic mean along the axis of each sub-column, averaged over the sub-columns
(between the Wiener bounds; exact for layers aligned with the grid).

Bodies smaller than a cell in x-y (wires, traces, vias, columns, small balls and bumps)
are deposited as volume fractions by an effective-medium rule: a conductor with volume
fraction f along direction d adds f (k_c - k) d_a^2 to the axis-a conductivity (the
parallel, Voigt, rule of mixtures along the conductor; in-plane conduction across
isolated vertical conductors is left to the host). The oblique segments of traces add
only their heat capacity so: they conduct from cell to cell along their own path
(`links`), which the rule of mixtures cannot do at an angle to the grid. Bond wires can be
linked too (`LINK_WIRES`, off).

References
----------
Wiener, "Die Theorie des Mischkoerpers fuer das Feld der stationaeren Stroemung",
Abh. Saechs. Ges. Wiss. 32 (1912) (parallel and series bounds).
Lienhard and Lienhard, A Heat Transfer Textbook, 5th ed. (2019), section 2.4.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from semipack.geometry import Ball, BentSheet, Box, Cylinder, Solid, Trace, Wire
from semipack.model import Body, Package
from semipack.thermal.constriction import EndCorrection, end_corrections
from semipack.thermal.grid import Grid
from semipack.thermal.links import FaceLinks, centre_line, line_links, oblique

Array = NDArray[np.float64]

# The thermal set-ups' default: put back the constriction at the ends of deposited balls,
# lands, bumps and vias (a benchmark switches it off to measure what it does).
CONSTRICTION = True
SUB_POINTS = 2
"""Sub-points per cell along each axis (`rasterize`)."""
ROUND_SUB_POINTS = 8
"""Sub-points per cell in x and y in the cells of a sampled ball or cylinder (`_resample_round`).
The cavity build-up's theta-JC(bottom) read 39.10 / 38.23 / 37.94 / 37.93 / 37.91 C/W with
2, 3, 4, 6, 8 sub-points in every cell, its balls six cells wide; at resolution 2 the bare
FCBGA's, whose 0.11 mm bumps are sampled one to three cells wide, 6.37 / 6.04 / 5.82 C/W with
2, 4, 8 in these cells (and 5.675 with 16: not converged, docs/benchmarks.md), and the
spreader-BGA strip's 4.288 / 4.140 / 4.126 / 4.124 with 2, 4, 8, 16."""
ROUND_MAX_CELLS = 16
"""A ball or cylinder more cells wide than this is not sampled again: two sub-points a cell
draw it closely enough, and its block would cost memory in proportion to its cells."""
LINKS = True
"""The oblique segments of deposited traces conduct from cell to cell along their own path
(`links`) instead of as a conductivity along their direction in each cell, which stalls one
at an angle to the grid; the benchmarks switch it off to measure what it does."""
LINK_WIRES = False
"""Bond wires too. Off: linked along the wire (every segment, no link into the bonded body),
the wires raised theta-JC(top) of the PBGA by 5 % and the DFN8's by 3 %, and Psi-JT of the
DFN8 by 18 %, with no reference that resolves a wire to say which is right
(docs/thermal.md, "Traces along their own path")."""
SAMPLED_ENDS = True
"""Also put back the constriction at the ends of sampled (resampled) balls and cylinders whose
medium is a layer thinner than their cells (`constriction.end_corrections`); the tests switch
it off to measure what it does. Only bodies sampled again (at most `ROUND_MAX_CELLS` wide,
and ``round_sub_points`` above ``s``) are charged."""


@dataclass(frozen=True)
class CellFields:
    """Per-cell properties, arrays of shape grid.shape (SI)."""

    kx: Array
    ky: Array
    kz: Array
    rho_cp: Array
    power: Array
    owner: NDArray[np.int32]  # body index of one representative sub-point, -1 = void
    void: NDArray[np.bool_]  # True where no body claims any sub-point (before deposits)
    # Where a deposited ball, bump, land or via ends in a wider medium (or a sampled one in a
    # thin layer), its constriction (`semipack.thermal.constriction`); None without.
    ends: EndCorrection | None = None
    # The deposited traces' conductance from cell to cell along their path (`links`); None without.
    links: FaceLinks | None = None


def _sub_coords(faces: ArrayLike, s: int) -> Array:
    f = np.asarray(faces)
    d = np.diff(f)
    off = (np.arange(s) + 0.5) / s
    return (f[:-1, None] + d[:, None] * off[None, :]).ravel()


def _block(sub: Array, lo: float, hi: float) -> slice:
    i0 = int(np.searchsorted(sub, lo, side="left"))
    i1 = int(np.searchsorted(sub, hi, side="right"))
    return slice(i0, i1)


def _is_resolved(solid: object, grid: Grid) -> bool:
    """Boxes and bends are sampled; balls and cylinders when at least ``grid.resolve_cells``
    of their local cells wide along x and along y (narrower ones are deposited: a sampled
    ball two sub-points across is a staircase whose area is off by tens of percent); wires
    and traces never. Both axes: a 60 um stud bump in cells 24.5 um wide in x but 82 um in y
    (the folded-flex CSP at resolution 2) was sampled, filled a fraction of its cells in y,
    handed its heat to their whole faces without the end model, and read theta-JC(bottom)
    2.7 % low against the same grid with the rule on both axes."""
    if isinstance(solid, Box | BentSheet):
        return True
    if isinstance(solid, Ball | Cylinder):
        bb = solid.bbox
        i = grid.index(0, (bb.lo[0] + bb.hi[0]) / 2)
        j = grid.index(1, (bb.lo[1] + bb.hi[1]) / 2)
        # A relative 1e-9 keeps a land exactly resolve_cells wide (0.3 mm in 0.4 mm cells) sampled
        # whichever of its two cell sizes rounds up.
        least = grid.resolve_cells * (1.0 - 1e-9)
        return bool(bb.size[0] >= least * grid.dx[i] and bb.size[1] >= least * grid.dy[j])
    return False


def rasterize(
    pkg: Package,
    grid: Grid,
    s: int = SUB_POINTS,
    void_material: str = "air",
    resolve_grid: Grid | None = None,
    constriction: bool | None = None,
    round_sub_points: int = ROUND_SUB_POINTS,
) -> CellFields:
    """Sample the package's bodies onto ``grid`` (see module notes).

    ``resolve_grid`` decides which balls and cylinders are resolved rather than smeared
    (default ``grid``): a refinement study passes its coarsest grid, so that every grid of
    the study models the same balls the same way and only the discretisation changes.
    ``s`` sub-points per cell and axis; ``round_sub_points`` in x and y in the cells of
    sampled balls and cylinders (`_resample_round`).
    """
    nx, ny, nz = grid.shape
    sx, sy, sz = (_sub_coords(f, s) for f in (grid.x, grid.y, grid.z))
    sub = (nx, s, ny, s, nz, s)
    bodies = list(pkg.bodies)
    mats = [pkg.materials[b.material] for b in bodies]
    order = sorted(range(len(bodies)), key=lambda i: (not bodies[i].is_filler, -bodies[i].solid.volume))
    sampled = [bi for bi in order if _is_resolved(bodies[bi].solid, resolve_grid or grid)]
    owner, missed = _claim([bodies[bi].solid for bi in sampled], sampled, (sx, sy, sz))
    claimed = set(sampled) - set(missed)
    deposits = [bi for bi in order if bi not in claimed]

    void = pkg.materials[void_material]
    tables = (
        np.array([m.k_inplane_w_mk for m in mats] + [void.k_inplane_w_mk]),
        np.array([m.k_through_w_mk for m in mats] + [void.k_through_w_mk]),
        np.array([m.density_kg_m3 * m.cp_j_kgk for m in mats] + [void.density_kg_m3 * void.cp_j_kgk]),
    )
    kx, ky, kz, rho_cp = _mix(owner, sub, tables)
    with_ends = CONSTRICTION if constriction is None else constriction
    # Through-plane conductivity without the sampled balls and cylinders: the host beside a
    # sampled end (`constriction.end_corrections`).
    kz_bare = kz.copy() if with_ends and SAMPLED_ENDS else None
    resampled: list[int] = []
    if round_sub_points > s:
        kept = [bi for bi in sampled if bi in claimed]
        resampled = _resample_round(grid, bodies, kept, tables, (round_sub_points, s), (kx, ky, kz, rho_cp), kz_bare)
    vol = grid.volumes()
    sub_vol = np.repeat(np.repeat(np.repeat(vol / s**3, s, 0), s, 1), s, 2)

    # Power: each source spread over the sub-points its body owns (inside its region), scaled to the exact total.
    power = np.zeros((nx, ny, nz))
    index = {b.name: i for i, b in enumerate(bodies)}
    for hs in pkg.heat_sources:
        bi = index[hs.body]
        m = owner == bi
        if hs.region is not None:
            x0, y0, x1, y1 = hs.region
            m &= ((sx >= x0) & (sx <= x1))[:, None, None] & ((sy >= y0) & (sy <= y1))[None, :, None]
        w = np.where(m, sub_vol, 0.0)
        total = w.sum()
        if total <= 0:
            # The source body is not resolved: put its power in the cell holding its centre.
            bb = bodies[bi].solid.bbox
            mid = [(bb.lo[a] + bb.hi[a]) / 2 for a in range(3)]
            cell = (grid.index(0, mid[0]), grid.index(1, mid[1]), grid.index(2, mid[2]))
            power[cell] += hs.power_w
            continue
        power += (w * (hs.power_w / total)).reshape(sub).sum(axis=(1, 3, 5))

    fields = [kx, ky, kz]
    kz_host = kz.copy()
    # Flat conductors (box lands, traces, wires) first: the medium a round conductor's end
    # spreads into holds them, not the other vias and balls (`constriction._covered`).
    flat = [bi for bi in deposits if not isinstance(bodies[bi].solid, Ball | Cylinder)]
    round_ = [bi for bi in deposits if isinstance(bodies[bi].solid, Ball | Cylinder)]
    deposits = flat + round_
    kinds = (Trace | Wire) if LINK_WIRES else Trace
    lines = [(bi, sol) for bi in flat if LINKS and isinstance(sol := bodies[bi].solid, kinds)]
    _deposit(pkg, grid, flat, fields, rho_cp, frozenset(bi for bi, _ in lines))
    links = line_links([(t, mats[bi].k_inplane_w_mk) for bi, t in lines], grid) if lines else None
    kz_medium = fields[2].copy()
    _deposit(pkg, grid, round_, fields, rho_cp)
    ended = deposits + (resampled if kz_bare is not None else [])
    k_c = [pkg.materials[bodies[bi].material].k_through_w_mk for bi in ended]
    k_all = (fields[0], fields[1], fields[2])
    ends = None
    if with_ends:
        ends = end_corrections(pkg, grid, ended, k_all, kz_host, kz_medium, k_c, frozenset(resampled), kz_bare)
    is_void: NDArray[np.bool_] = np.asarray((owner < 0).reshape(sub).all(axis=(1, 3, 5)))
    rep = owner.reshape(sub).max(axis=(1, 3, 5)).astype(np.int32)
    return CellFields(fields[0], fields[1], fields[2], rho_cp, power, rep, is_void, ends, links)


def _claim(
    solids: list[Solid], ids: list[int], coords: tuple[Array, Array, Array]
) -> tuple[NDArray[np.int32], list[int]]:
    """Owner body index of every sub-point (-1: none), the later of ``solids`` over the earlier,
    and the ``ids`` that claimed no sub-point (thinner than the sub-points: deposit them)."""
    sx, sy, sz = coords
    owner = np.full((len(sx), len(sy), len(sz)), -1, dtype=np.int32)
    missed: list[int] = []
    for solid, bi in zip(solids, ids, strict=True):
        bb = solid.bbox
        bx, by, bz = _block(sx, bb.lo[0], bb.hi[0]), _block(sy, bb.lo[1], bb.hi[1]), _block(sz, bb.lo[2], bb.hi[2])
        if bx.start >= bx.stop or by.start >= by.stop or bz.start >= bz.stop:
            missed.append(bi)
            continue
        if isinstance(solid, Box):
            mask = np.ones((bx.stop - bx.start, by.stop - by.start, bz.stop - bz.start), dtype=bool)
            for c in solid.cutouts:
                cb = c.bbox
                cx_, cy_, cz_ = (
                    _block(a[sl], lo, hi)
                    for a, sl, lo, hi in (
                        (sx, bx, cb.lo[0], cb.hi[0]),
                        (sy, by, cb.lo[1], cb.hi[1]),
                        (sz, bz, cb.lo[2], cb.hi[2]),
                    )
                )
                mask[cx_, cy_, cz_] = False
        else:
            gx, gy, gz = np.meshgrid(sx[bx], sy[by], sz[bz], indexing="ij")
            pts = np.column_stack([gx.ravel(), gy.ravel(), gz.ravel()])
            mask = solid.contains(pts).reshape(gx.shape)
        view = owner[bx, by, bz]
        view[mask] = bi
        owner[bx, by, bz] = view
    return owner, missed


def _mix(owner: NDArray[np.int32], sub: tuple[int, ...], tables: tuple[Array, Array, Array]) -> tuple[Array, ...]:
    """(kx, ky, kz, rho_cp) of cells split into ``sub`` = (nx, px, ny, py, nz, pz) sub-points.

    Sub-points split every cell into equal parts, so plain means over them are the exact
    volume means (and, across sub-columns, the exact face-area means)."""
    kx_t, kz_t, rc_t = tables
    idx = _table_index(owner, tables)
    kxs = kx_t[idx]
    return (
        _series_parallel(kxs, sub, 0),
        _series_parallel(kxs, sub, 1),
        _series_parallel(kz_t[idx], sub, 2),
        rc_t[idx].reshape(sub).mean(axis=(1, 3, 5)),
    )


def _mix_kz(owner: NDArray[np.int32], sub: tuple[int, ...], tables: tuple[Array, Array, Array]) -> Array:
    """The through-plane conductivity alone of `_mix`."""
    return _series_parallel(tables[1][_table_index(owner, tables)], sub, 2)


def _table_index(owner: NDArray[np.int32], tables: tuple[Array, Array, Array]) -> NDArray[np.int32]:
    """Each sub-point's row of ``tables``: its body's, or the void's (the last) where none claims it."""
    out: NDArray[np.int32] = np.where(owner < 0, len(tables[0]) - 1, owner)
    return out


def _series_parallel(k: Array, sub: tuple[int, ...], axis: int) -> Array:
    """The harmonic mean of ``k`` along ``axis`` in each sub-column, averaged over the sub-columns."""
    kk = k.reshape(sub)
    along = (1, 3, 5)[axis]
    harm = 1.0 / np.mean(1.0 / kk, axis=along, keepdims=True)
    others = tuple(a for a in (1, 3, 5) if a != along)
    out: Array = harm.mean(axis=others).reshape(sub[0], sub[2], sub[4])
    return out


def _resample_round(
    grid: Grid,
    bodies: list[Body],
    sampled: list[int],
    tables: tuple[Array, Array, Array],
    points: tuple[int, int],
    out: tuple[Array, ...],
    kz_bare: Array | None = None,
) -> list[int]:
    """Sample again, ``points`` = (in x and y, in z) sub-points a cell, the cells of every sampled
    ball and cylinder (in place on ``out`` = kx, ky, kz, rho_cp).

    Two sub-points a cell draw a ball one cell wide as a two-by-two staircase, all of its
    corners or none: the thin-film package's 0.2 mm terminal bumps read theta-JC(bottom)
    21 % high so. Six cells wide, the cavity build-up's balls still read it 3 % high, and
    5 % on its PTFE variant: the heat converges into the ball's neck on its land, and the
    staircase of that neck sets the resistance (docs/benchmarks.md). These cells are a few
    percent of the grid on most examples (9 % on the PBGA and the CSP), so eight sub-points
    cost little: 0.1-0.4 s on the largest examples at resolution 1, 4 s on the bare FCBGA at
    resolution 2. Bodies wider than `ROUND_MAX_CELLS` cells are left as they are.

    Returns the balls and cylinders sampled again. With ``kz_bare``, also writes into it the
    through-plane conductivity of these cells without any ball or cylinder (the host beside
    a sampled end)."""
    faces = grid.faces
    lo = np.array([bodies[bi].solid.bbox.lo for bi in sampled]).reshape(-1, 3)
    hi = np.array([bodies[bi].solid.bbox.hi for bi in sampled]).reshape(-1, 3)
    blocks: set[tuple[int, int, int, int, int, int]] = set()
    resampled: list[int] = []
    for n, bi in enumerate(sampled):
        if not isinstance(bodies[bi].solid, Ball | Cylinder):
            continue
        # The cells the body's box overlaps (a face on a plane opens no cell beyond it).
        first = [int(grid.indices(a, lo[n, a])) for a in range(3)]
        stop = [min(max(int(np.searchsorted(faces[a], hi[n, a])), first[a] + 1), len(faces[a]) - 1) for a in range(3)]
        if min(stop[0] - first[0], stop[1] - first[1]) <= ROUND_MAX_CELLS:  # wider: its staircase is fine already
            blocks.add((first[0], stop[0], first[1], stop[1], first[2], stop[2]))
            resampled.append(bi)
    f, pz = points
    for i0, i1, j0, j1, k0, k1 in sorted(blocks):
        box_lo = np.array([faces[0][i0], faces[1][j0], faces[2][k0]])
        box_hi = np.array([faces[0][i1], faces[1][j1], faces[2][k1]])
        near = np.flatnonzero(np.all(lo < box_hi, axis=1) & np.all(hi > box_lo, axis=1))
        coords = (
            _sub_coords(faces[0][i0 : i1 + 1], f),
            _sub_coords(faces[1][j0 : j1 + 1], f),
            _sub_coords(faces[2][k0 : k1 + 1], pz),
        )
        owner, _ = _claim([bodies[sampled[n]].solid for n in near], [sampled[n] for n in near], coords)
        fields = _mix(owner, (i1 - i0, f, j1 - j0, f, k1 - k0, pz), tables)
        for o, v in zip(out, fields, strict=True):
            o[i0:i1, j0:j1, k0:k1] = v
        if kz_bare is not None:
            flat = [sampled[n] for n in near if not isinstance(bodies[sampled[n]].solid, Ball | Cylinder)]
            owner, _ = _claim([bodies[bi].solid for bi in flat], flat, coords)
            kz_bare[i0:i1, j0:j1, k0:k1] = _mix_kz(owner, (i1 - i0, f, j1 - j0, f, k1 - k0, pz), tables)
    return resampled


def _deposit(
    pkg: Package, grid: Grid, which: list[int], k: list[Array], rho_cp: Array, linked: frozenset[int] = frozenset()
) -> None:
    """Add unresolved conductors as volume fractions along their direction (effective medium);
    of the ``linked`` ones, the oblique segments only their heat capacity (they conduct
    through `links`)."""
    vol = grid.volumes()
    nx, ny, nz = grid.shape
    for bi in which:
        body = pkg.bodies[bi]
        solid = body.solid
        mat = pkg.materials[body.material]
        pts, dvs, dirs = _fiber_samples(solid, grid=grid)
        if len(pts) == 0:
            continue
        flat = np.ravel_multi_index(tuple(grid.indices(a, pts[:, a]) for a in range(3)), (nx, ny, nz))
        f = dvs / vol.ravel()[flat]
        # A linked line's oblique segments conduct through its links (`links.oblique`).
        along = ~oblique(dirs) if bi in linked else np.ones(len(f), dtype=bool)
        for a, ka in enumerate(k):
            kc = mat.k_through_w_mk if a == 2 else mat.k_inplane_w_mk
            add = f * (kc - ka.ravel()[flat]) * dirs[:, a] ** 2
            np.add.at(ka.reshape(-1), flat[along], np.maximum(add[along], 0.0))
        np.add.at(rho_cp.reshape(-1), flat, f * (mat.density_kg_m3 * mat.cp_j_kgk - rho_cp.ravel()[flat]))


def _fiber_samples(solid: object, per: int = 12, grid: Grid | None = None) -> tuple[Array, Array, Array]:
    """Points along the solid with their volume and unit direction.

    Volume samples cover every grid cell the body spans on each axis (one to three per
    cell, weighted by the sub-interval they stand for, scaled to the exact volume), so no
    cell inside a conductor is left empty (an empty layer would break the column in series).
    """
    if isinstance(solid, Wire | Trace):
        p3, area = centre_line(solid)
        pts_l: list[Array] = []
        dvs_l: list[Array] = []
        dirs_l: list[Array] = []
        for a, b in itertools.pairwise(p3):
            seg = b - a
            length = float(np.linalg.norm(seg))
            if length <= 0:
                continue
            n = max(per, int(length / 20e-6))
            t = (np.arange(n) + 0.5) / n
            pts_l.append(a + t[:, None] * seg)
            dvs_l.append(np.full(n, area * length / n))
            dirs_l.append(np.tile(seg / length, (n, 1)))
        if not pts_l:
            return np.zeros((0, 3)), np.zeros(0), np.zeros((0, 3))
        return np.vstack(pts_l), np.concatenate(dvs_l), np.vstack(dirs_l)
    # Vertical conductors (vias, columns, small balls and bumps): sample the volume, direction z.
    bb = solid.bbox  # type: ignore[attr-defined]
    axes: list[Array] = []
    widths: list[Array] = []
    for i in range(3):
        lo, hi = bb.lo[i], bb.hi[i]
        if grid is None:
            edges = np.linspace(lo, hi, 7)
        else:
            # Sample every grid cell the body spans (up to three points each), however thin:
            # a uniform spacing skipped cells thinner than itself, and one empty layer in a
            # column cuts the conductor in series (it drifted on-board theta-JA by 10 %).
            f = np.asarray((grid.x, grid.y, grid.z)[i])
            inner = f[(f > lo) & (f < hi)]
            cells = np.concatenate([[lo], inner, [hi]])
            per_cell = max(1, min(3, 60 // max(len(cells) - 1, 1)))
            t = np.arange(1, per_cell) / per_cell  # the points strictly inside each cell
            inside_cells = (cells[:-1, None] + np.diff(cells)[:, None] * t[None, :]).ravel()
            edges = np.sort(np.concatenate([cells, inside_cells]))
        axes.append((edges[:-1] + edges[1:]) / 2)
        widths.append(np.diff(edges))
    g = np.meshgrid(*axes, indexing="ij")
    pts = np.column_stack([a.ravel() for a in g])
    w = (widths[0][:, None, None] * widths[1][None, :, None] * widths[2][None, None, :]).ravel()
    inside = solid.contains(pts)  # type: ignore[attr-defined]
    pts, w = pts[inside], w[inside]
    if len(pts) == 0:
        return np.zeros((0, 3)), np.zeros(0), np.zeros((0, 3))
    dv = w * (solid.volume / w.sum())  # type: ignore[attr-defined]
    dirs = np.tile(np.array([0.0, 0.0, 1.0]), (len(pts), 1))
    return pts, dv, dirs
