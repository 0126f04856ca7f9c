"""A steady run's set-up: the package mounted as its environment prescribes, gridded and rasterised.

Everything a steady solve needs that does not depend on the boundary terms: the fixture
(package on its board, with its heat sink), the grid, the cell fields, the exterior air and
the exposed areas, the contact resistances and the characteristic lengths of the film
correlations. `FixtureKey` says what decides a set-up, and `ThermalCache` keeps set-ups
(and the column-AMG hierarchy built on them) across the runs of one analysis.
"""
from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.ndimage as ndi
from numpy.typing import NDArray

from semipack.errors import ConvergenceError as ConvergenceError  # its home is semipack.errors
from semipack.errors import DesignError
from semipack.geometry.solids import BBox
from semipack.model import Package, Role
from semipack.progress import Progress
from semipack.thermal.boards import BoardStandard, ThermalLand, TraceModel
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
    Grid,
    check_grid_size,
    make_grid,
    refine,
)
from semipack.thermal.heatsink import PlateFinSink
from semipack.thermal.raster import CellFields, rasterize
from semipack.thermal.reuse import HierarchyReuse

Array = NDArray[np.float64]




def exterior_air(f: CellFields, grid: Grid, pkg: Package, board: bool) -> NDArray[np.bool_]:
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
class FixtureKey:
    """What decides a steady run's fixture, grid and cell fields: every input but the boundary terms.

    Two runs of one package with equal keys build the same grid and fields; the
    environment's kind, ambient, air speed, emissivity, film and cold-plate values only
    change the boundary conductances (the board is the one `prescribed_board` gives).
    """

    board: BoardKind
    board_standard: BoardStandard
    trace_coverage: float | None
    trace_model: TraceModel
    thermal_land: ThermalLand | None
    heat_sink: PlateFinSink | None
    fanout_rows: int
    plane_vias: bool
    resolution: float
    refine_by: int
    power_w: float | None
    contact_resistances: tuple[tuple[tuple[str, str], float], ...]

    @classmethod
    def of(
        cls,
        env: Environment,
        resolution: float,
        refine_by: int,
        power_w: float | None,
        contact_resistances: Mapping[tuple[str, str], float] | None,
    ) -> FixtureKey:
        contacts = tuple(sorted((contact_resistances or {}).items()))
        return cls(
            env.board,
            env.board_standard,
            env.trace_coverage,
            env.trace_model,
            env.thermal_land,
            env.heat_sink,
            env.fanout_rows,
            env.plane_vias,
            resolution,
            refine_by,
            power_w,
            contacts,
        )


@dataclass(frozen=True)
class ThermalSetup:
    """Everything a steady run builds before its first solve that boundary terms do not change.

    The mounted fixture (package, board, heat sink), its grid and cell fields, the
    interface resistances, the exterior air, the exposed face areas and the
    characteristic lengths of the convection correlations (L = A / P, Incropera eq. 9.29).
    """

    key: FixtureKey
    fixture: Package = field(repr=False)
    base_bb: BBox
    board_top: float
    grid: Grid = field(repr=False)
    fields: CellFields = field(repr=False)
    contacts: Mapping[tuple[int, int], float]
    is_board: NDArray[np.bool_] = field(repr=False)
    exterior: NDArray[np.bool_] = field(repr=False)
    exposed: Array = field(repr=False)
    volumes: Array = field(repr=False)
    surface_pkg: NDArray[np.bool_] = field(repr=False)
    l_pkg: float
    l_board: float
    l_side: float

    @property
    def on_board(self) -> bool:
        return self.key.board is not BoardKind.NONE

    @property
    def conducting(self) -> NDArray[np.bool_]:
        out: NDArray[np.bool_] = ~self.exterior
        return out


@dataclass(frozen=True)
class Mounted:
    """The package as ``env`` mounts it (terminals down, on its board, under its sink) and its grid."""

    pkg: Package = field(repr=False)  # face down
    fixture: Package = field(repr=False)
    board_top: float
    grid: Grid = field(repr=False)  # before ``refine_by``

    @property
    def cells(self) -> int:
        return self.grid.cells


def mount(pkg: Package, env: Environment, resolution: float) -> Mounted:
    """``pkg`` mounted as ``env`` prescribes and gridded at ``resolution`` (cheap: no array of the grid's size)."""
    pkg = face_down(pkg)  # thermal set-ups see the package as mounted, terminals down
    base_bb = pkg.bbox
    fixture, board_top = with_board(pkg, env)
    if env.heat_sink is not None:
        fixture = with_heat_sink(fixture, pkg, env.heat_sink)
    on_board = env.board is not BoardKind.NONE
    mid: tuple[list[float], list[float], list[float]] = (
        [(base_bb.lo[0] + base_bb.hi[0]) / 2],
        [(base_bb.lo[1] + base_bb.hi[1]) / 2],
        [],
    )
    grid = make_grid(fixture, resolution, focus=(base_bb.lo, base_bb.hi) if on_board else None, extra_breaks=mid)
    return Mounted(pkg, fixture, board_top, grid)


def build_setup(
    pkg: Package, env: Environment, key: FixtureKey, max_cells: int, max_memory: float, progress: Progress
) -> ThermalSetup:
    """Mount ``pkg`` as ``env`` prescribes, grid and rasterise the fixture (the stages grid and raster)."""
    progress.stage("grid")
    m = mount(pkg, env, key.resolution)
    pkg, fixture, board_top, grid = m.pkg, m.fixture, m.board_top, m.grid
    base_bb = pkg.bbox
    on_board = env.board is not BoardKind.NONE
    # Bounded work: the cell count is known from the faces alone, before any array is made.
    check_grid_size(grid.cells * key.refine_by**3, max_cells, max_memory=max_memory)
    base_grid, grid = grid, refine(grid, key.refine_by)
    progress.stage("raster")
    f = scaled_power(rasterize(fixture, grid, resolve_grid=base_grid), key.power_w)
    # The solder under an exposed pad (JESD51-5 land) is an interface resistance too.
    contacts = _contact_indices(fixture, {**land_contacts(pkg, fixture, env), **dict(key.contact_resistances)})
    board_idx = np.array([("board" in b.tags) for b in fixture.bodies] + [False])
    is_board = board_idx[np.where(f.owner < 0, len(fixture.bodies), f.owner)]
    ext = exterior_air(f, grid, fixture, on_board)
    conducting = ~ext
    exposed = exposed_areas(grid, conducting)
    # The package's surface: its unheated exposed cells (a die's own face only when nothing else is exposed).
    surface_pkg = conducting & ~is_board & (f.power == 0)
    if not (exposed[surface_pkg] > 0).any():
        surface_pkg = conducting & ~is_board
    # Characteristic lengths: L = A / P of the plates (Incropera eq. 9.29).
    fb = fixture.bbox
    px, py = base_bb.size[0], base_bb.size[1]
    l_pkg = px * py / (2 * (px + py))
    l_board = fb.size[0] * fb.size[1] / (2 * (fb.size[0] + fb.size[1])) if on_board else l_pkg
    return ThermalSetup(
        key,
        fixture,
        base_bb,
        board_top,
        grid,
        f,
        contacts,
        is_board=is_board,
        exterior=ext,
        exposed=exposed,
        volumes=grid.volumes(),
        surface_pkg=surface_pkg,
        l_pkg=l_pkg,
        l_board=l_board,
        l_side=max(base_bb.size[2], 1e-3),
    )


@dataclass
class _Kept:
    package: Package
    setup: ThermalSetup
    reuse: HierarchyReuse


@dataclass
class ThermalCache:
    """Set-ups and solver state kept across the steady runs of one analysis (explicit, never global).

    Entries are keyed by the package's identity (the same object) and its `FixtureKey`;
    each holds the `ThermalSetup` and a `HierarchyReuse` (the column-AMG hierarchy and
    the last field, the next run's warm start). At most ``max_setups`` are kept, the
    oldest dropped first and before a new one is built, so peak memory stays that of
    ``max_setups`` set-ups (0 keeps nothing: every run builds its own, as without a cache).
    ``setups_built`` and ``setups_reused`` count what happened.
    """

    max_setups: int = 1
    setups_built: int = 0
    setups_reused: int = 0
    _kept: list[_Kept] = field(default_factory=list, repr=False)
    # One set-up built at a time, whichever thread asks: rasterising is interpreter-bound (two
    # at once took 8.3 s where one after the other took 4.6, the lidded FCBGA), and a thread
    # that waits finds the set-up the other one built.
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def holding(self, max_setups: int) -> ThermalCache:
        """A new cache that keeps up to ``max_setups`` set-ups and starts with this one's (shared, read-only)."""
        with self._lock:
            return ThermalCache(max_setups=max_setups, _kept=list(self._kept[-max_setups:] if max_setups else []))

    def setup(
        self, pkg: Package, env: Environment, key: FixtureKey, max_cells: int, max_memory: float, progress: Progress
    ) -> tuple[ThermalSetup, HierarchyReuse]:
        """The kept set-up of ``pkg`` and ``key`` with its solver state, or a new one (kept if there is room)."""
        with self._lock:
            return self._setup(pkg, env, key, max_cells, max_memory, progress)

    def _setup(
        self, pkg: Package, env: Environment, key: FixtureKey, max_cells: int, max_memory: float, progress: Progress
    ) -> tuple[ThermalSetup, HierarchyReuse]:
        for e in self._kept:
            if e.package is pkg and e.setup.key == key:
                # The limits still apply to a kept set-up (a caller may pass tighter ones).
                check_grid_size(e.setup.grid.cells, max_cells, max_memory=max_memory)
                self.setups_reused += 1
                return e.setup, e.reuse
        while self._kept and len(self._kept) >= self.max_setups:
            self._kept.pop(0)  # before building: two set-ups never live at once beyond the limit
        s = build_setup(pkg, env, key, max_cells, max_memory, progress)
        self.setups_built += 1
        reuse = HierarchyReuse()
        if self.max_setups > 0:
            self._kept.append(_Kept(pkg, s, reuse))
        return s, reuse


@dataclass
class LaneCache(ThermalCache):
    """One lane's view of a cache that lanes running at once share: its set-ups, solver state of its own.

    The set-ups (grid, raster, exterior: read-only once built) come from ``shared``, built
    there one at a time; the column-AMG hierarchy and the last field (`HierarchyReuse`), which
    a solve changes, are this lane's, one per fixture, so two lanes on one fixture (still air
    and the ring cold plate on the 2s2p board) never touch each other's.
    """

    shared: ThermalCache = field(default_factory=ThermalCache)
    # The current fixture's solver state only: a lane moving on drops the last one's hierarchy.
    _current: tuple[Package, FixtureKey, HierarchyReuse] | None = field(default=None, repr=False)

    def _setup(
        self, pkg: Package, env: Environment, key: FixtureKey, max_cells: int, max_memory: float, progress: Progress
    ) -> tuple[ThermalSetup, HierarchyReuse]:
        s, _ = self.shared.setup(pkg, env, key, max_cells, max_memory, progress)
        if self._current is None or self._current[0] is not pkg or self._current[1] != key:
            self._current = (pkg, key, HierarchyReuse())
        return s, self._current[2]


def scaled_power(f: CellFields, power_w: float | None) -> CellFields:
    """The fields with their heat sources rescaled to ``power_w`` (when given); a package must dissipate."""
    if power_w is not None:
        total = f.power.sum()
        if total <= 0:
            raise DesignError("power_w", power_w, "the package has no heat source to scale")
        f = replace(f, power=f.power * (power_w / total))
    if not float(f.power.sum()) > 0:
        raise DesignError(
            "power_w", power_w, "the package dissipates no power: give the design's die_power or a total power"
        )
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
