"""Steady conduction in a JEDEC environment: the package (on its board) to a `ThermalResult`.

Exterior air is not meshed as a conductor: the cells of the computational box that no
body claims and that connect to its boundary drop out, and every face between a body
and such air gets the film coefficient of its orientation (upward, downward, vertical;
board or package). Air trapped under the package body (between balls) conducts as
still air. Natural convection depends on the surface temperatures, so the film
coefficients are updated from the solution a few times (fixed-point iteration).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

import numpy as np
import scipy.ndimage as ndi
import scipy.sparse.linalg as spla
from numpy.typing import NDArray

from semipack.errors import ConvergenceError as ConvergenceError  # its home is semipack.errors
from semipack.errors import DesignError
from semipack.model import Package, Role
from semipack.progress import NO_PROGRESS, Progress
from semipack.thermal.assemble import ExposedSurfaces, Face, FaceCondition, Stencil, assemble, expose
from semipack.thermal.convection import Orientation, forced_h, natural_h, radiation_h
from semipack.thermal.environment import (
    BoardKind,
    Environment,
    EnvKind,
    face_down,
    land_contacts,
    with_board,
    with_heat_sink,
)
from semipack.thermal.grid import (
    DEFAULT_MAX_CELLS,
    DEFAULT_MAX_MEMORY,
    Grid,
    check_grid_size,
    check_resolution,
    make_grid,
    refine,
)
from semipack.thermal.heatsink import effective_h
from semipack.thermal.radiation import cell_emissivity
from semipack.thermal.raster import CellFields, rasterize
from semipack.thermal.solvers.zline_mg import pcg

Array = NDArray[np.float64]


class Solver(Enum):
    COLUMN_AMG = "column-amg"
    COLUMN_AMG_GPU = "column-amg-gpu"
    ZLINE_MG = "zline-mg"
    ZLINE_MG_GPU = "zline-mg-gpu"
    AMG = "amg"
    JACOBI = "jacobi"
    DIRECT = "direct"


@dataclass(frozen=True)
class DieTemperature:
    """One die's temperatures (K) and power (W).

    Attributes
    ----------
    max_k
        The hottest cell of the die.
    mean_k
        The volume-weighted mean over the die's cells (its mean temperature, not a
        mean over cells: the graded grid makes cells near faces and hot spots small).
    """

    name: str
    max_k: float
    mean_k: float
    power_w: float


@dataclass(frozen=True)
class ThermalResult:
    """A steady solution and what users ask of it (temperatures in kelvin, powers in watts)."""

    environment: Environment
    grid: Grid = field(repr=False)
    temperature_k: Array = field(repr=False)
    conducting: NDArray[np.bool_] = field(repr=False)
    dies: tuple[DieTemperature, ...]
    power_w: float
    heat_paths_w: dict[str, float]
    energy_balance_rel: float
    iterations: int
    relative_residual: float
    solve_s: float
    package_top_k: float
    board_point_k: float | None
    solver: Solver
    film_w_m2k: Mapping[str, float] = field(default_factory=dict)
    resolution: float = 1.0

    @property
    def tj_max_k(self) -> float:
        return max(d.max_k for d in self.dies)

    @property
    def cells(self) -> int:
        return self.grid.cells


def _exterior(f: CellFields, grid: Grid, pkg: Package, board: bool) -> NDArray[np.bool_]:
    """Void cells connected to the box boundary, less the still air inside the package outline."""
    labels, _ = ndi.label(f.void)
    edge = set(
        np.unique(
            np.concatenate(
                [
                    labels[0].ravel(),
                    labels[-1].ravel(),
                    labels[:, 0].ravel(),
                    labels[:, -1].ravel(),
                    labels[:, :, 0].ravel(),
                    labels[:, :, -1].ravel(),
                ]
            )
        )
    ) - {0}
    ext = np.isin(labels, list(edge))
    core = [
        b
        for b in pkg.bodies
        if b.role not in (Role.BALL, Role.PIN, Role.LEAD, Role.TERMINAL_BUMP) and "board" not in b.tags
    ]
    if core:
        lo = np.min([b.solid.bbox.lo for b in core], axis=0)
        hi = np.max([b.solid.bbox.hi for b in core], axis=0)
        cx, cy, cz = grid.centers
        # Air inside the package outline (between balls, inside a flex bend) is still air that conducts.
        inside = (
            ((cx > lo[0]) & (cx < hi[0]))[:, None, None]
            & ((cy > lo[1]) & (cy < hi[1]))[None, :, None]
            & (cz < hi[2])[None, None, :]
        )
        ext &= ~inside
    return ext


def weighted_mean(values: Array, weights: Array, mask: NDArray[np.bool_]) -> float:
    """Mean of ``values`` over the cells in ``mask``, each weighted by ``weights`` (0 if they sum to 0).

    Parameters
    ----------
    values, weights
        Per-cell values and weights (cell volumes for a body's mean temperature, exposed
        face areas for a surface's), arrays of the grid's shape.
    mask
        The cells to average over.

    Returns
    -------
    float
        sum(values * weights) / sum(weights) over ``mask``. A plain mean over cells
        weights the small cells of a graded grid (at faces, thin layers and hot spots,
        usually the hottest) like the large ones: a hot-spot die read 1.1 K high at
        resolution 0.5, and the mean moved with the grid.
    """
    w = weights[mask]
    total = float(w.sum())
    return float(np.dot(values[mask], w)) / total if total > 0 else 0.0


def exposed_areas(grid: Grid, conducting: NDArray[np.bool_]) -> Array:
    """Per cell, the area (m^2) of its faces that see the surroundings; 0 for cells that do not conduct.

    A face counts where the neighbour across it is exterior air or the edge of the
    computational box (where the outer film conditions act): these are the faces the
    film coefficients apply to, so their mean temperature is what the correlations take.
    """
    outside = ~conducting
    face = (
        grid.dy[None, :, None] * grid.dz[None, None, :],
        grid.dx[:, None, None] * grid.dz[None, None, :],
        grid.dx[:, None, None] * grid.dy[None, :, None],
    )
    areas = np.zeros(grid.shape)
    for axis in range(3):
        pad = [(0, 0)] * 3
        pad[axis] = (1, 1)
        # Past the box is outside too: pad with True, then look one cell down and one up.
        padded = np.pad(outside, pad, constant_values=True)
        n = grid.shape[axis]
        below = np.take(padded, np.arange(n), axis=axis)
        above = np.take(padded, np.arange(2, n + 2), axis=axis)
        areas += face[axis] * (below.astype(float) + above.astype(float))
    out: Array = np.where(conducting, areas, 0.0)
    return out


@dataclass(frozen=True)
class Problem:
    """The discrete problem a steady run ends with (its final film coefficients), for transients."""

    grid: Grid
    stencil: Stencil
    power: Array
    capacity: Array  # J/K per cell, zero in exterior air
    die_mask: NDArray[np.bool_]
    result: ThermalResult
    # Per-die heat sources (W per cell) by die name, for multi-die influence matrices and power
    # traces; a die the design leaves unpowered gets 1 W spread over its volume (its shape only matters).
    die_power: Mapping[str, Array] = field(default_factory=dict, repr=False)


def build_problem(pkg: Package, env: Environment | None = None, **kw: Any) -> Problem:
    """Solve the steady state and return its discrete problem (the transient starts from it)."""
    return _run(pkg, env, **kw)


def solve_thermal(pkg: Package, env: Environment | None = None, **kw: Any) -> ThermalResult:
    """Solve steady conduction for ``pkg`` in ``env`` (default: still air on a 2s2p board).

    Keywords: ``resolution`` (1), ``refine_by`` (1: split every cell of that grid into
    n x n x n, for systematic refinement studies), ``solver`` (`Solver.COLUMN_AMG`), ``rtol`` (1e-8),
    ``maxiter`` (1000), ``power_w`` (rescale the heat sources to this total),
    ``h_iterations`` (6, natural-convection updates), ``max_cells`` (`DEFAULT_MAX_CELLS`: a larger
    grid is refused before it is allocated, with its estimated memory), ``max_memory``
    (`DEFAULT_MAX_MEMORY` bytes: a grid whose estimated peak memory is larger is refused
    the same way), ``contact_resistances``
    ({(body_a, body_b): R'' in m^2 K/W} on the faces where the two bodies meet), ``progress``
    (a `semipack.progress.Progress`: stages grid, raster, film coefficients k of n, solve, with
    the solver's iterations and residuals; nothing by default).
    """
    return _run(pkg, env, **kw).result


def _run(
    pkg: Package,
    env: Environment | None = None,
    *,
    resolution: float = 1.0,
    refine_by: int = 1,
    solver: Solver = Solver.COLUMN_AMG,
    rtol: float = 1e-8,
    maxiter: int = 1000,
    power_w: float | None = None,
    h_iterations: int = 6,
    contact_resistances: dict[tuple[str, str], float] | None = None,
    max_cells: int = DEFAULT_MAX_CELLS,
    max_memory: float = DEFAULT_MAX_MEMORY,
    progress: Progress = NO_PROGRESS,
) -> Problem:
    check_resolution(resolution)
    if not 1 <= refine_by <= 8:
        raise DesignError("refine_by", refine_by, "an integer from 1 to 8")
    env = prescribed_board(env or Environment())
    pkg = face_down(pkg)  # thermal set-ups see the package as mounted, terminals down
    base_bb = pkg.bbox
    fixture, board_top = with_board(pkg, env)
    if env.heat_sink is not None:
        fixture = with_heat_sink(fixture, pkg, env.heat_sink)
    on_board = env.board is not BoardKind.NONE
    fb = fixture.bbox
    focus = (base_bb.lo, base_bb.hi) if on_board else None
    progress.stage("grid")
    grid = make_grid(
        fixture,
        resolution,
        focus=focus,
        extra_breaks=([(base_bb.lo[0] + base_bb.hi[0]) / 2], [(base_bb.lo[1] + base_bb.hi[1]) / 2], []),
    )
    # Bounded work: the cell count is known from the faces alone, before any array is made.
    check_grid_size(grid.cells * refine_by**3, max_cells, max_memory=max_memory)
    base_grid, grid = grid, refine(grid, refine_by)
    progress.stage("raster")
    f = _scaled(rasterize(fixture, grid, resolve_grid=base_grid), power_w)
    p_total = float(f.power.sum())
    # The solder under an exposed pad (JESD51-5 land) is an interface resistance too.
    contacts = _contact_indices(fixture, {**land_contacts(pkg, fixture, env), **(contact_resistances or {})})
    board_idx = np.array([("board" in b.tags) for b in fixture.bodies] + [False])
    is_board = board_idx[np.where(f.owner < 0, len(fixture.bodies), f.owner)]
    ext = _exterior(f, grid, fixture, on_board)
    conducting = ~ext

    # Characteristic lengths: L = A / P of the plates (Incropera eq. 9.29).
    px, py = base_bb.size[0], base_bb.size[1]
    l_pkg = px * py / (2 * (px + py))
    l_board = fb.size[0] * fb.size[1] / (2 * (fb.size[0] + fb.size[1])) if on_board else l_pkg
    h_side_len_pkg = max(base_bb.size[2], 1e-3)
    ta = env.ambient_k
    t_rise = np.zeros(grid.shape)
    volumes = grid.volumes()
    exposed = exposed_areas(grid, conducting)
    rise_pkg, rise_board = 20.0, 5.0
    info: Any = None
    st: Stencil | None = None
    t0 = time.perf_counter()
    radiates = _radiates(env)
    k_fin = fixture.materials[env.heat_sink.material].k_inplane_w_mk if env.heat_sink is not None else 0.0
    # The package's surface: its unheated exposed cells (a die's own face only when nothing else is exposed).
    surface_pkg = conducting & ~is_board & (f.power == 0)
    if not (exposed[surface_pkg] > 0).any():
        surface_pkg = conducting & ~is_board
    eps = cell_emissivity(fixture, f.owner, env.emissivity) if radiates else np.zeros(grid.shape)
    n_film = h_iterations if env.kind is EnvKind.STILL_AIR or radiates else 1
    # The film iterations change only boundary terms: one multigrid hierarchy serves them all.
    reuse = _Reuse()
    for film_it in range(n_film):
        progress.stage("film coefficients", film_it + 1, n_film)
        h = _film_coefficients(env, l_pkg, l_board, h_side_len_pkg, ta + rise_pkg, ta + rise_board, k_fin)
        # Linearised radiation per unit emissivity at the package's and the board's mean surface rise.
        h["radiation_pkg_per_emissivity"] = radiation_h(1.0, ta + rise_pkg, ta) if radiates else 0.0
        h["radiation_board_per_emissivity"] = radiation_h(1.0, ta + rise_board, ta) if radiates else 0.0
        rad = eps * _pick(is_board, h["radiation_pkg_per_emissivity"], h["radiation_board_per_emissivity"])
        surf = ExposedSurfaces(
            ext,
            _pick(is_board, h["pkg_up"], h["board_up"]) + rad,
            _pick(is_board, h["pkg_down"], h["board_down"]) + rad,
            _pick(is_board, h["pkg_side"], h["board_side"]) + rad,
        )
        conditions = _outer_conditions(env, h, grid, base_bb, on_board, _boundary_means(rad, grid, conducting))
        if env.kind is EnvKind.RING_COLD_PLATE:
            surf = _ring_clamp(surf, grid, base_bb, is_board, env.cold_plate_w_m2k)
        st = expose(assemble(grid, f, conditions, contacts=contacts), grid, f, surf)
        progress.stage("solve")
        x0 = t_rise if info is not None else None
        t_rise, info = _solve(st, f.power, solver, rtol, maxiter, x0, reuse, progress.iteration)
        if env.kind is not EnvKind.STILL_AIR and not radiates:
            break
        # The correlations take a surface's mean temperature: weight by the exposed area.
        new_pkg = max(weighted_mean(t_rise, exposed, surface_pkg), 0.5)
        new_board = max(weighted_mean(t_rise, exposed, conducting & is_board), 0.2) if on_board else new_pkg
        # Film coefficients go as the 1/4 or 1/5 power of the rise: stop once the rises settle to 1 %.
        settled = abs(new_pkg - rise_pkg) < 0.01 * rise_pkg and abs(new_board - rise_board) < 0.01 * rise_board
        rise_pkg, rise_board = new_pkg, new_board
        if settled:
            break
    solve_s = time.perf_counter() - t0
    assert st is not None and info is not None
    t = ta + np.where(conducting, t_rise, 0.0)
    q_out = st.gb * t_rise * conducting
    balance = abs(float(q_out.sum()) - p_total) / p_total
    paths = {
        "package_w": float(q_out[~is_board].sum()),
        "board_w": float(q_out[is_board].sum()),
    }
    dies = _die_temperatures(fixture, f, t, volumes)
    result = ThermalResult(
        environment=env,
        grid=grid,
        temperature_k=t,
        conducting=conducting,
        dies=dies,
        power_w=p_total,
        heat_paths_w=paths,
        energy_balance_rel=balance,
        iterations=info.iterations,
        relative_residual=info.relative_residual,
        solve_s=solve_s,
        package_top_k=_package_top(t, grid, conducting, is_board, base_bb),
        board_point_k=_board_point(t, grid, base_bb, board_top) if on_board else None,
        solver=solver,
        film_w_m2k=dict(h),
        resolution=resolution,
    )
    die_idx = [i for i, b in enumerate(fixture.bodies) if b.role is Role.DIE]
    die_mask = np.isin(f.owner, die_idx)
    capacity = np.where(conducting, f.rho_cp * volumes, 0.0)
    die_power = {}
    for i in die_idx:
        own = np.where(f.owner == i, f.power, 0.0)
        if not own.sum() > 0:
            vol = np.where(f.owner == i, volumes, 0.0)
            own = vol / vol.sum() if vol.sum() > 0 else own
        if own.sum() > 0:
            die_power[fixture.bodies[i].name] = own
    return Problem(grid, st, f.power, capacity, die_mask, result, die_power)


def _scaled(f: CellFields, power_w: float | None) -> CellFields:
    """The fields with their heat sources rescaled to ``power_w`` (when given); a package must dissipate."""
    if power_w is not None:
        total = f.power.sum()
        if total <= 0:
            raise DesignError("power_w", power_w, "the package has no heat source to scale")
        f = replace(f, power=f.power * (power_w / total))
    if not float(f.power.sum()) > 0:
        raise DesignError("power_w", power_w, "the package dissipates no power: give the design's die_power or a total power")
    return f


def _contact_indices(fixture: Package, by_name: dict[tuple[str, str], float]) -> dict[tuple[int, int], float]:
    """Interface resistances keyed by body index, checked: known bodies, R'' >= 0 m^2 K/W."""
    names = {b.name: i for i, b in enumerate(fixture.bodies)}
    out: dict[tuple[int, int], float] = {}
    for (na, nb), r_c in by_name.items():
        for n in (na, nb):
            if n not in names:
                raise DesignError("contact_resistances", n, "names no body of the package")
        if not r_c >= 0:
            raise DesignError("contact_resistances", r_c, "an interface resistance must be >= 0 m^2 K/W")
        out[(names[na], names[nb])] = r_c
    return out


def _die_temperatures(fixture: Package, f: CellFields, t: Array, volumes: Array) -> tuple[DieTemperature, ...]:
    """Each die's peak, volume-weighted mean temperature and power (dies the grid missed are left out)."""
    out = []
    for i, b in enumerate(fixture.bodies):
        m = f.owner == i
        if b.role is Role.DIE and m.any():
            out.append(DieTemperature(b.name, float(t[m].max()), weighted_mean(t, volumes, m), float(f.power[m].sum())))
    return tuple(out)


def prescribed_board(env: Environment) -> Environment:
    """``env`` with the board its set-up prescribes, every other field kept.

    Cold plates on the package (JESD51-8's theta-JC set-ups) have no board and the ring
    cold plate clamps a 2s2p board, whatever ``env.board`` says. The copy is
    `dataclasses.replace`: rebuilding it field by field dropped ``trace_coverage``
    (a ring cold plate asked for on a 1s board ran with the default coverage).
    """
    if env.kind in (EnvKind.COLD_PLATE_TOP, EnvKind.COLD_PLATE_BOTTOM) and env.board is not BoardKind.NONE:
        return replace(env, board=BoardKind.NONE)
    if env.kind is EnvKind.RING_COLD_PLATE and env.board is not BoardKind.TWO_S2P:
        return replace(env, board=BoardKind.TWO_S2P)
    return env


def _pick(is_board: NDArray[np.bool_], package_value: float, board_value: float) -> Array:
    out: Array = np.where(is_board, board_value, package_value)
    return out


def _film_coefficients(
    env: Environment, l_pkg: float, l_board: float, l_side: float, t_pkg: float, t_board: float, k_fin: float = 0.0
) -> dict[str, float]:
    ta = env.ambient_k
    if env.kind is EnvKind.STILL_AIR:
        h = {
            "pkg_up": natural_h(Orientation.UP, l_pkg, t_pkg, ta),
            "pkg_down": natural_h(Orientation.DOWN, l_pkg, t_pkg, ta),
            "pkg_side": natural_h(Orientation.VERTICAL, l_side, t_pkg, ta),
            "board_up": natural_h(Orientation.UP, l_board, t_board, ta),
            "board_down": natural_h(Orientation.DOWN, l_board, t_board, ta),
            "board_side": natural_h(Orientation.VERTICAL, 1.6e-3, t_board, ta),
        }
    elif env.kind is EnvKind.FORCED_AIR:
        hp, hb = forced_h(env.air_speed_m_s, 2 * l_pkg), forced_h(env.air_speed_m_s, 2 * l_board)
        h = {"pkg_up": hp, "pkg_down": hp, "pkg_side": hp, "board_up": hb, "board_down": hb, "board_side": hb}
        if env.heat_sink is not None:
            h["sink_top"] = effective_h(env.heat_sink, env.air_speed_m_s, k_fin, (t_pkg + ta) / 2)
    elif env.kind is EnvKind.CUSTOM:
        h = dict.fromkeys(
            ("pkg_up", "pkg_down", "pkg_side", "board_up", "board_down", "board_side"), env.h_custom_w_m2k
        )
    else:
        h = dict.fromkeys(("pkg_up", "pkg_down", "pkg_side", "board_up", "board_down", "board_side"), 0.0)
        return h
    return env.film.applied(h)


def _radiates(env: Environment) -> bool:
    """Still and forced air radiate unless switched off; a custom film coefficient is the whole
    exchange unless an emissivity is given for it."""
    if env.kind in (EnvKind.STILL_AIR, EnvKind.FORCED_AIR):
        return env.emissivity != 0
    return env.kind is EnvKind.CUSTOM and env.emissivity is not None and env.emissivity > 0


def _boundary_means(rad: Array, grid: Grid, conducting: NDArray[np.bool_]) -> dict[Face, float]:
    """Area-weighted mean of a per-cell coefficient over each face of the box (its conducting cells)."""
    dx, dy, dz = grid.dx, grid.dy, grid.dz
    out = {}
    for face, sl, area in (
        (Face.ZMAX, np.s_[:, :, -1], dx[:, None] * dy[None, :]),
        (Face.ZMIN, np.s_[:, :, 0], dx[:, None] * dy[None, :]),
        (Face.XMIN, np.s_[0, :, :], dy[:, None] * dz[None, :]),
        (Face.XMAX, np.s_[-1, :, :], dy[:, None] * dz[None, :]),
        (Face.YMIN, np.s_[:, 0, :], dx[:, None] * dz[None, :]),
        (Face.YMAX, np.s_[:, -1, :], dx[:, None] * dz[None, :]),
    ):
        w = area * conducting[sl]
        total = float(w.sum())
        out[face] = float((rad[sl] * w).sum()) / total if total > 0 else 0.0
    return out


def _outer_conditions(
    env: Environment, h: dict[str, float], grid: Grid, bb: object, on_board: bool, rad: dict[Face, float]
) -> list[FaceCondition]:
    if env.kind is EnvKind.COLD_PLATE_TOP:
        return [FaceCondition(Face.ZMAX, env.cold_plate_w_m2k)]
    if env.kind is EnvKind.COLD_PLATE_BOTTOM:
        return [FaceCondition(Face.ZMIN, env.cold_plate_w_m2k)]
    if env.kind is EnvKind.RING_COLD_PLATE:
        lo, hi = bb.lo, bb.hi  # type: ignore[attr-defined]
        g = 5e-3
        x0, x1, y0, y1 = lo[0] - g, hi[0] + g, lo[1] - g, hi[1] + g
        far = 1.0
        # The bottom ring: everything outside the package's outline grown by 5 mm.
        return [
            FaceCondition(Face.ZMIN, env.cold_plate_w_m2k, r)
            for r in ((-far, -far, x0, far), (x1, -far, far, far), (x0, -far, x1, y0), (x0, y1, x1, far))
        ]
    bottom = "board_down" if on_board else "pkg_down"
    side = "board_side" if on_board else "pkg_side"
    return [
        FaceCondition(Face.ZMAX, h["sink_top"] if "sink_top" in h else h["pkg_up"] + rad[Face.ZMAX]),
        FaceCondition(Face.ZMIN, h[bottom] + rad[Face.ZMIN]),
        *(FaceCondition(fc, h[side] + rad[fc]) for fc in (Face.XMIN, Face.XMAX, Face.YMIN, Face.YMAX)),
    ]


def _ring_clamp(
    surf: ExposedSurfaces, grid: Grid, bb: object, is_board: NDArray[np.bool_], h_clamp: float
) -> ExposedSurfaces:
    """JESD51-8: a cold clamp (``h_clamp``) on the board top outside the package outline grown by 5 mm; else insulated."""
    lo, hi = bb.lo, bb.hi  # type: ignore[attr-defined]
    cx, cy, _ = grid.centers
    g = 5e-3
    inside = ((cx > lo[0] - g) & (cx < hi[0] + g))[:, None, None] & ((cy > lo[1] - g) & (cy < hi[1] + g))[None, :, None]
    up = np.where(is_board & ~inside, h_clamp, 0.0)
    zero = np.zeros(grid.shape)
    return ExposedSurfaces(surf.exterior, up, zero, zero)


@dataclass
class _Reuse:
    """A column-AMG hierarchy kept across solves whose operators differ only in boundary terms.

    ``first_iterations`` is what the solve with the freshly built hierarchy needed; a later
    solve that needs more than ``REBUILD_FACTOR`` times as many (and more than
    ``REBUILD_MIN_ITERATIONS``) rebuilds it: its operator has drifted too far from the one
    the hierarchy approximates.
    """

    hierarchy: Any = None
    first_iterations: int = 0
    builds: int = 0


REBUILD_FACTOR = 2.0
# A small grid's hierarchy is exact (one iteration): allow a few before calling it a slow-down.
REBUILD_MIN_ITERATIONS = 4


def _column_amg(
    st: Stencil, b: Array, rtol: float, maxiter: int, x0: Array | None, reuse: _Reuse, on_it: Any
) -> tuple[Array, Any]:
    """Column AMG with the hierarchy in ``reuse`` (built when missing, rebuilt when CG slows)."""
    from semipack.thermal.solvers.column_amg import ColumnAMG
    from semipack.thermal.solvers.column_amg import solve as column_amg_solve

    if reuse.hierarchy is not None:
        # Stop a reused hierarchy early: past the rebuild limit a fresh one is cheaper.
        limit = min(maxiter, max(int(REBUILD_FACTOR * reuse.first_iterations), REBUILD_MIN_ITERATIONS, 1))
        x, info = column_amg_solve(st, b, rtol=rtol, maxiter=limit, x0=x0, precond=reuse.hierarchy, on_iteration=on_it)
        # "converged" allows 10 x rtol on the true residual; a stop at the limit is a slow-down.
        if info.converged and (info.iterations < limit or info.relative_residual <= rtol):
            return x, info
        x0 = x  # keep what it reached as the warm start of the fresh hierarchy
    reuse.hierarchy = ColumnAMG(st)
    reuse.builds += 1
    x, info = column_amg_solve(st, b, rtol=rtol, maxiter=maxiter, x0=x0, precond=reuse.hierarchy, on_iteration=on_it)
    reuse.first_iterations = max(info.iterations, 1)
    return x, info


def _solve(
    st: Stencil,
    b: Array,
    solver: Solver,
    rtol: float,
    maxiter: int,
    x0: Array | None = None,
    reuse: _Reuse | None = None,
    on_iteration: Any = None,
) -> tuple[Array, Any]:
    from semipack.thermal.solvers.zline_mg import SolveInfo

    if solver is Solver.COLUMN_AMG:
        x, info = _column_amg(st, b, rtol, maxiter, x0, reuse or _Reuse(), on_iteration)
    elif solver is Solver.COLUMN_AMG_GPU:
        from semipack.thermal.solvers.column_amg_device import solve as column_amg_device_solve

        x, info = column_amg_device_solve(st, b, rtol=rtol, maxiter=maxiter, x0=x0, on_iteration=on_iteration)
    elif solver is Solver.ZLINE_MG:
        x, info = pcg(st, b, rtol=rtol, maxiter=maxiter, x0=x0)
    elif solver is Solver.ZLINE_MG_GPU:
        from semipack.thermal.solvers.zline_mg import pcg_gpu

        x, info = pcg_gpu(st, b, rtol=rtol, maxiter=maxiter, x0=x0)
    elif solver is Solver.DIRECT:
        a = st.to_sparse().tocsc()
        x = np.asarray(spla.spsolve(a, b.ravel())).reshape(b.shape)
        res = float(np.linalg.norm(st.apply(x) - b) / np.linalg.norm(b))
        info = SolveInfo(1, res, res <= max(rtol, 1e-10))
    else:
        from semipack.thermal.solvers.baselines import solve_amg, solve_jacobi_cg

        fn = solve_amg if solver is Solver.AMG else solve_jacobi_cg
        x, info = fn(st, b, rtol=rtol, maxiter=maxiter)
    if not info.converged:
        raise ConvergenceError(
            f"the {solver.value} solver did not converge: relative residual {info.relative_residual:.2e} "
            f"after {info.iterations} iterations (tolerance {rtol:.0e})"
        )
    return x, info


def _package_top(t: Array, grid: Grid, conducting: NDArray[np.bool_], is_board: NDArray[np.bool_], bb: object) -> float:
    """Temperature of the package top at its centre (the topmost conducting cell there)."""
    lo, hi = bb.lo, bb.hi  # type: ignore[attr-defined]
    i = grid.index(0, (lo[0] + hi[0]) / 2)
    j = grid.index(1, (lo[1] + hi[1]) / 2)
    col = conducting[i, j] & ~is_board[i, j]
    k = int(np.flatnonzero(col)[-1]) if col.any() else grid.shape[2] - 1
    return float(t[i, j, k])


def _board_point(t: Array, grid: Grid, bb: object, board_top: float) -> float:
    """Board top temperature at the midpoint of the package's longest side, 1 mm out (JESD51-8; exact point unverified)."""
    lo, hi = bb.lo, bb.hi  # type: ignore[attr-defined]
    if hi[0] - lo[0] >= hi[1] - lo[1]:
        x, y = (lo[0] + hi[0]) / 2, lo[1] - 1e-3
    else:
        x, y = lo[0] - 1e-3, (lo[1] + hi[1]) / 2
    k = grid.index(2, board_top - 1e-9)
    return float(t[grid.index(0, x), grid.index(1, y), k])
