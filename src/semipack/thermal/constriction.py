"""Constriction resistance of conductors narrower than the grid's cells (a sub-grid model).

A ball, bump, land or via narrower than a cell is deposited as a volume fraction
(`raster`): its column conducts as it should, but heat leaving it enters the whole cell
face at once. The real flux converges from the wider medium onto the conductor's end
disc, a constriction resistance the grid cannot see below its cell size (the spreader
BGA's theta-JC(bottom) read 11 % low). This module puts it back on the z faces where a
deposited conductor's end meets a medium that does not continue it (a land under its
ball does; the substrate over the land does not; a microvia under a bump pad covers too
little of it to, `CONTINUED`, and takes the part it covers, `_partly_continued`).
Reservoir engineers' well index is the same idea for a well narrower than its cell
(Peaceman 1978).

For a disc of radius ``a`` at the end of a flux tube of radius ``b``, in a first layer
``t`` thick of conductivities ``k_r`` (in-plane) and ``k_z`` (through) on a medium
``kappa`` times as conductive,

    R_c = psi(a / b, t' / b, kappa) / (4 a sqrt(k_r k_z)),    t' = t sqrt(k_r / k_z),

with psi the flux-tube factor of `spreading_factor` (1 for a disc on a half-space). The
layer is read from the cells beyond the end, their host with the flat conductors deposited
in them (box lands, traces along an axis; oblique traces conduct through `links` and are
not in the cells) but not the other vias and balls, which carry their own ends:
they form layer 1 while their conductivity stays within LAYER_RATIO of the first. The tube is the part of the cells the end covers
that is its own: each cell face is shared among the ends on it in proportion to their
areas, so an end alone in a cell gets the cell and ends that share cells at their pitch
get about the pitch. When the grid resolves the conductor the tube shrinks to the disc
and psi to 0: the model fades out as the grid takes over.

A sampled ball, land or via (wide enough to be drawn on the cells, `raster`) has the same
defect where its disc covers its end cells only in part and the medium beyond is a layer
thinner than those cells (its thickness stretched by sqrt(k_r / k_z)): heat crosses the
layer over the cells' whole faces, not the disc's. Under a 20 um solder mask or a thin-film
polyimide on copper the conduction goes with the area, and the staircase of a 0.45 mm land
in 0.1-0.17 mm cells crossed 27 % more of it; theta read 6-10 % low at every resolution a
machine can run (`test_a_sampled_column_through_a_thin_layer_reads_its_constriction`), and
the machined thin-film package's theta-JC(bottom) 19 % low where ball and land faces share
planes. Such ends are charged as the deposited ones are (their host column read without
the balls and cylinders). Into a thicker medium the grid resolves the spreading itself
(first order, from above), and charging it again read 2-8 % high: those are left alone.

The resistance meets the conductor's share of its end cell in series; the host beside it
in that cell (air, underfill, solder mask) keeps its own path, no better than its column
along the conductor, so that the cell's single node cannot carry heat around the
constriction. Checked against the analytic column and a grid that resolves it
(tests/test_thermal_constriction.py) and the examples' mesh studies (docs/thermal.md).

References
----------
Peaceman, "Interpretation of well-block pressures in numerical reservoir simulation",
SPE J. 18 (1978) 183-194 (a sub-grid correction for a conductor narrower than its cell).
Yovanovich and Marotta, "Thermal spreading and contact resistances", in Bejan and Kraus
(eds.), Heat Transfer Handbook, Wiley 2003, ch. 4 (flux tubes, the disc on a half-space).
Carslaw and Jaeger, Conduction of Heat in Solids, 2nd ed., Oxford 1959, section 1.17
(an anisotropic medium as a stretched isotropic one).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray
from scipy import special

from semipack.geometry import Ball, Cylinder, Trace
from semipack.model import Package
from semipack.thermal.grid import Grid
from semipack.thermal.pads import CONTINUED, end_discs, keyed_overlaps

Array = NDArray[np.float64]
IntArray = NDArray[np.intp]

DISC_SAMPLES = 16  # points across an end disc's bounding square, to split it over cells
SERIES_TERMS = 20_000  # most Fourier-Bessel terms of the spreading series (tail added in closed form)
MIN_TERMS = 500
RINGS = 16  # rings of uniform flux in the trial space, graded towards the disc's edge
LAYER_RATIO = 3.0  # cells within this factor of the first medium cell's conductivity form its layer
THIN_LAYER = 1.0  # a sampled end is charged where its medium's stretched layer is thinner than this many cells
CONTINUE_COVERED = True
"""Whether the part of an end that narrower conductors cover passes on into them
(`_partly_continued`; checked against resolved grids on a column over a copper via, within
1.4 %). It needs the pads so fed resolved (`grid.FED_RESOLVE_CELLS`): deposited in cells
several times their width they lose their spreading, and the thin-film packages read
18-37 % low at resolution 1 against 2 (docs/benchmarks.md). Off, as before 2026-11-29:
the whole end constricted into the medium, which throttles the via."""


@functools.cache
def _roots() -> tuple[Array, Array]:
    d = np.asarray(special.jn_zeros(1, SERIES_TERMS), dtype=float)
    return d, special.j0(d) ** 2


@functools.cache
def _psi(eps: float, tau: float, kappa: float) -> float:
    # Enough modes for the finest ring (a / RINGS^2 wide) and for phi to reach 1 (delta tau > 3).
    n = int(min(SERIES_TERMS, max(MIN_TERMS, (RINGS**2 * 1.5 / eps + 3.0 / tau) / math.pi)))
    d, j0sq = (v[:n] for v in _roots())
    t = np.tanh(d * tau)
    z = (1.0 + kappa * t) / (t + kappa) / d  # each mode's impedance, b = k = 1
    x = d * eps
    # Unit-total trial fluxes on the disc, as their Fourier-Bessel coefficients:
    # the equivalent isothermal flux, then uniform flux on each ring (graded to the edge).
    rho = 1.0 - (1.0 - np.arange(RINGS + 1) / RINGS) ** 2
    jr = rho[:, None] * special.j1(x[None, :] * rho[:, None])
    rings = (jr[1:] - jr[:-1]) / (math.pi * eps * d * np.diff(rho**2)[:, None])
    basis = np.vstack([np.sin(x) / (2.0 * math.pi * eps * d), rings])
    m = (basis * (4.0 * math.pi * z / j0sq)) @ basis.T
    # Beyond the last mode the singular flux's terms average to a tail of 1 / (4 pi^2 eps^2 N).
    m[0, 0] += 1.0 / (4.0 * math.pi**2 * eps**2 * n)
    # Rayleigh-Ritz: the least flux-weighted mean temperature over the mixes of unit total.
    w = np.linalg.lstsq(m, np.ones(len(m)), rcond=1e-12)[0]
    return 4.0 * eps / float(np.sum(w))


def spreading_factor(eps: float, tau: float = math.inf, kappa: float = 1.0) -> float:
    """Dimensionless constriction resistance psi = 4 k a R of an isothermal disc on a flux tube.

    ``eps`` = a / b (disc over tube radius), ``tau`` = t / b (thickness of the first layer),
    ``kappa`` = k2 / k1 (the medium beyond that layer over the first). psi(0, inf, 1) = 1,
    the disc on a half-space, R = 1 / (4 k a); psi falls to 0 as eps reaches 1, and to the
    one-dimensional excess t (1/a^2 - 1/b^2) / pi for a thin layer on a perfect conductor.

    The isothermal disc's resistance is the least flux-weighted mean temperature over all
    flux distributions of the same total (Thomson's principle), so a trial flux gives an
    upper bound. Two trial fluxes are mixed at their best: the uniform one (exact for a thin
    layer on a good conductor) and the equivalent isothermal q ~ 1 / sqrt(1 - (r/a)^2)
    (exact on a half-space). Each is a Fourier-Bessel series over the tube's modes,
    J0(delta_n r / b) with delta_n the roots of J1, whose impedance in a first layer on a
    semi-infinite second is

        phi_n = (1 + kappa tanh(delta_n tau)) / (tanh(delta_n tau) + kappa),

    and the coefficients are J1(delta_n eps) / delta_n (uniform) and sin(delta_n eps) / delta_n
    (equivalent isothermal). Checks: the uniform flux on a half-space tube gives psi = 0.4092 at
    eps = 0.5, the isothermal one 0.3396 (Rohsenow, Hartnett and Cho 1998, as their
    functions SR_13 and SR_14 quote: R = 0.1023 and 0.08491 K/W for a = 1 m, b = 2 m, k = 1).

    References
    ----------
    Yovanovich, Culham and Teertstra, "Analytical modeling of spreading resistance in flux
    tubes, half spaces, and compound disks", IEEE Trans. CPMT-A 21 (1998) 168-176.
    Negus, Yovanovich and Thompson, "Constriction resistance of circular contacts on coated
    surfaces", J. Thermophys. Heat Transfer 2 (1988) 158-164 (the equivalent isothermal flux).
    Rohsenow, Hartnett and Cho, Handbook of Heat Transfer, 3rd ed., McGraw-Hill 1998, ch. 3.
    """
    if not eps < 1.0:
        return 0.0
    e = max(float(eps), 1e-4)
    return max(_psi(float(f"{e:.4g}"), float(f"{min(tau, 1e3):.3g}"), float(f"{kappa:.3g}")), 0.0)


def disc_constriction(
    a_m: float, b_m: float, k_r: float, k_z: float, t_m: float = math.inf, k2_over_k1: float = 1.0
) -> float:
    """Constriction resistance (K/W) of an isothermal disc of radius ``a_m`` at the end of a
    flux tube of radius ``b_m``, in a first layer ``t_m`` thick of in-plane and through
    conductivities ``k_r``, ``k_z`` on a medium ``k2_over_k1`` times as conductive.

    A transversely isotropic layer is the isotropic one of k = sqrt(k_r k_z) stretched in z
    by sqrt(k_r / k_z) (Carslaw and Jaeger 1959, section 1.17)."""
    k = math.sqrt(k_r * k_z)
    tau = t_m * math.sqrt(k_r / k_z) / b_m
    return spreading_factor(a_m / b_m, tau, k2_over_k1) / (4.0 * a_m * k)


@dataclass(frozen=True)
class End:
    """One end disc of a vertical conductor: its plane index, sense and footprint on the cells."""

    body: int
    plane: int  # grid z-plane index the end lies on
    up: bool  # True for a top end (the medium is above the plane)
    center: tuple[float, float]
    radius_m: float
    length_m: float  # the conductor's height
    covered: float = 0.0  # fraction of the disc that opposite conductor ends continue (`_covered`)
    onward_w_k: float = 0.0  # the continuing conductors' conductance over that part (`_onward`)


def _ends(solid: Ball | Cylinder, body: int, z_faces: Array) -> list[End]:
    """A conductor's end discs (`pads.end_discs`) on the grid plane nearest each."""
    centre = (solid.center[0], solid.center[1])
    return [
        End(body, int(np.argmin(np.abs(z_faces - z))), up, centre, r, solid.z1 - solid.z0)
        for z, r, up in end_discs(solid)
    ]


def _footprints(ends: list[End], grid: Grid) -> tuple[IntArray, IntArray, IntArray, Array]:
    """Every end's disc over the cells, flat: (end index, cell i, cell j, disc area there in
    m^2), the areas of an end summing to pi a^2 (DISC_SAMPLES^2 points on its square)."""
    n = DISC_SAMPLES
    off = (np.arange(n) + 0.5) / n * 2 - 1
    ox, oy = (v.ravel() for v in np.meshgrid(off, off, indexing="ij"))
    inside = ox**2 + oy**2 <= 1.0
    ox, oy = ox[inside], oy[inside]
    nx, ny, _ = grid.shape
    r = np.array([e.radius_m for e in ends])
    cx = np.array([e.center[0] for e in ends])
    cy = np.array([e.center[1] for e in ends])
    i = grid.indices(0, cx[:, None] + r[:, None] * ox)
    j = grid.indices(1, cy[:, None] + r[:, None] * oy)
    keys, counts = np.unique((np.arange(len(ends))[:, None] * nx + i) * ny + j, return_counts=True)
    eid = keys // (nx * ny)
    area = counts * (math.pi * r[eid] ** 2 / len(ox))
    return eid, (keys // ny) % nx, keys % ny, area


def _covered(ends: list[End], others: list[End]) -> Array:
    """The fraction of each of ``ends`` that other conductors continue: opposite ends on the
    same plane over its disc (a land under its ball, a ball on the board's land, a microvia
    under a bump pad), as the overlap of the two discs over the end's area, summed and capped
    at 1. Ends at least CONTINUED covered are continued (heat stays in the conductor); the
    others are constricted into the medium (a 30 um via covers a hundredth of a 250 um pad),
    whole or, with `CONTINUE_COVERED`, but for the part a conductor covers (`_onward`)."""
    disc = math.pi * np.array([e.radius_m for e in ends]) ** 2
    out: Array = np.minimum(_overlaps(ends, others, np.ones(len(others))) / disc, 1.0)
    return out


def _onward(ends: list[End], others: list[End], k_others: Array, grid: Grid) -> Array:
    """The conductance (W/K) of the conductors that continue each of ``ends`` in part, over
    their overlap with it: each one's share of its own end cell's half, k A_overlap / (dz/2).

    With `CONTINUE_COVERED`, the covered part of an end passes into them in series with this,
    and the rest of the end is constricted into the medium. The half cell counts the via once
    more, in series with the cell beyond that holds it smeared: a deliberate bound, the one
    that keeps an insulating via from carrying anything (426 against 432 C/W resolved for the
    copper via of the tests). Both halves matter: a copper via
    under a column's end then carries its part (constricting the whole end into the mask
    read the column five times too resistive); and an insulating via leaves the constriction
    as it was, where passing the covered part on unbounded into the cell beyond, whose one
    node spreads it over the whole face, read the column 74 % low
    (tests/test_thermal_constriction.py)."""
    own = np.array([o.plane - 1 if o.up else o.plane for o in others])
    half = np.asarray(grid.dz)[np.clip(own, 0, len(grid.dz) - 1)] / 2
    return _overlaps(ends, others, k_others / half)


def _overlaps(ends: list[End], others: list[End], weights: Array) -> Array:
    """Per end of ``ends``, the overlap areas of the opposite ends of ``others`` on its plane
    with its disc (m^2), weighted by ``weights`` (one per other) and summed."""
    out = np.zeros(len(ends))
    if not ends or not others:
        return out
    xy = np.array([e.center for e in ends]).reshape(-1, 2)
    oxy = np.array([o.center for o in others]).reshape(-1, 2)
    r = np.array([e.radius_m for e in ends])
    orad = np.array([o.radius_m for o in others])
    key = np.array([(e.plane, e.up) for e in ends], np.int64).reshape(-1, 2)
    okey = np.array([(o.plane, not o.up) for o in others], np.int64).reshape(-1, 2)
    ia, ib, area = keyed_overlaps(key, xy, r, okey, oxy, orad)
    np.add.at(out, ia, area * weights[ib])
    return out


@dataclass(frozen=True)
class EndCorrection:
    """Change (W/K, <= 0) of the half-cell conductances on each interior z face, (nx, ny, nz-1):
    ``below`` for the cell under the face, ``above`` for the cell over it."""

    below: Array
    above: Array


class _Columns:
    """Walks along the grid's cell columns from an end's centre cell, cached per start."""

    def __init__(
        self, grid: Grid, k: tuple[Array, Array, Array], kz_host: Array, kz_medium: Array, kz_bare: Array | None = None
    ) -> None:
        self.dz = [float(v) for v in grid.dz]
        self.kr, self.kz, self.kh = np.sqrt(k[0] * k[1]), kz_medium, kz_host
        self.kb = kz_host if kz_bare is None else kz_bare
        self.cache: dict[tuple[int, int], tuple[list[float], list[float], list[float], list[float]]] = {}

    def _at(self, i: int, j: int) -> tuple[list[float], list[float], list[float], list[float]]:
        if (i, j) not in self.cache:
            self.cache[(i, j)] = (
                self.kr[i, j].tolist(),
                self.kz[i, j].tolist(),
                self.kh[i, j].tolist(),
                self.kb[i, j].tolist(),
            )
        return self.cache[(i, j)]

    def medium(self, i: int, j: int, layer: int, step: int) -> tuple[float, float, float, float]:
        """The medium beyond an end, as (k_r, k_z, t_m, k2 / k1): the cell layers whose
        conductivity stays within LAYER_RATIO of the first form layer 1; the next one's
        conductivity is layer 2's (none: layer 1 is a half-space)."""
        kr, kz, _, _ = self._at(i, j)
        k1 = math.sqrt(kr[layer] * kz[layer])
        t, n = 0.0, layer
        while 0 <= n < len(kz):
            k_n = math.sqrt(kr[n] * kz[n])
            if not k1 / LAYER_RATIO <= k_n <= k1 * LAYER_RATIO:
                return kr[layer], kz[layer], t, k_n / k1
            t += self.dz[n]
            n += step
        return kr[layer], kz[layer], math.inf, 1.0

    def host(self, i: int, j: int, layer: int, step: int, k_c: float, bare: bool = False) -> float:
        """Resistance times area (m^2 K/W) of the host's column beside a conductor, from its
        end cell away from the medium until the host becomes a plate (a third of the
        conductor's conductivity) or the domain ends: a ball's air to the board, a bump's
        underfill to the die; at least the end cell's half."""
        kh = self._at(i, j)[3 if bare else 2]
        r, n = 0.0, layer
        while 0 <= n < len(kh) and kh[n] < k_c / LAYER_RATIO:
            r += self.dz[n] / kh[n]
            n += step
        return max(r, self.dz[layer] / 2 / kh[layer])


def _live_ends(pkg: Package, grid: Grid, deposited: list[int]) -> list[End]:
    """The ends of the ``deposited`` balls and cylinders (and the sampled ones passed with them)
    on interior planes that no other conductor continues (`_covered`)."""
    z_faces = np.asarray(grid.z)
    every = [
        e
        for bi, b in enumerate(pkg.bodies)
        if isinstance(b.solid, Ball | Cylinder)
        for e in _ends(b.solid, bi, z_faces)
    ]
    nz = grid.shape[2]
    ends = [
        e
        for bi in deposited
        if isinstance(pkg.bodies[bi].solid, Ball | Cylinder)
        for e in _ends(pkg.bodies[bi].solid, bi, z_faces)  # type: ignore[arg-type]
        if 0 < e.plane < nz
    ]
    if not ends:
        return []
    covered = _covered(ends, every)
    onward = np.zeros(len(ends))
    if CONTINUE_COVERED:
        k_every = np.array([pkg.materials[pkg.bodies[o.body].material].k_through_w_mk for o in every])
        onward = _onward(ends, every, k_every, grid)
    chained = (covered >= CONTINUED) | _on_traces(
        ends, [b.solid for b in pkg.bodies if isinstance(b.solid, Trace)], z_faces
    )
    return [
        replace(e, covered=float(c), onward_w_k=float(g))
        for e, c, g, on in zip(ends, covered, onward, chained, strict=True)
        if not on
    ]


def _on_traces(ends: list[End], traces: list[Trace], z_faces: Array) -> NDArray[np.bool_]:
    """Which ``ends`` land on a trace: a via into its routing layer spreads in the trace's
    copper (deposited along the trace, in-plane only, or linked along it), not in the dielectric beside it."""
    out = np.zeros(len(ends), dtype=bool)
    plane = np.array([e.plane for e in ends])
    up = np.array([e.up for e in ends])
    centres = np.array([e.center for e in ends])
    radius = np.array([e.radius_m for e in ends])
    for t in traces:
        lo, hi = (int(np.argmin(np.abs(z_faces - z))) for z in (t.z0, t.z1))
        # A top end meets a trace that starts on its plane (or holds it); a bottom end one that ends there.
        near = np.where(up, (lo <= plane) & (plane < hi + (lo == hi)), (lo < plane + (lo == hi)) & (plane <= hi))
        if near.any():
            idx = np.flatnonzero(near)
            out[idx] |= t.distance_xy(centres[idx]) < t.width / 2 + radius[idx]
    return out


def end_corrections(
    pkg: Package,
    grid: Grid,
    deposited: list[int],
    k: tuple[Array, Array, Array],
    kz_host: Array,
    kz_medium: Array,
    k_conductor: list[float],
    sampled: frozenset[int] = frozenset(),
    kz_bare: Array | None = None,
) -> EndCorrection:
    """Put each deposited ball's and cylinder's end constriction in series with its share of the
    half cell it ends in (see module notes); and each end of the ``sampled`` ones that meets a
    thin layer (`_thin_medium`).

    ``deposited`` are the bodies rasterised as volume fractions and ``k_conductor`` their
    through-plane conductivities (same order); ``k`` the cells' (kx, ky, kz) with them,
    ``kz_host`` the through-plane conductivity before they were deposited and ``kz_medium``
    with the deposited flat ones only (not the deposited balls and cylinders), the medium an
    end spreads into. ``sampled`` are bodies of ``deposited`` drawn on the cells instead, and
    ``kz_bare`` the through-plane conductivity without the sampled balls and cylinders, the
    host beside their ends (default ``kz_host``).
    """
    nx, ny, nz = grid.shape
    shape = (2, nx, ny, nz - 1)  # [0]: ends whose conductor is under the face, [1]: over it
    g_c, g_cr, share, column = np.zeros(shape), np.zeros(shape), np.zeros(shape), np.zeros(shape)
    cols = _Columns(grid, k, kz_host, kz_medium, kz_bare)
    ends = [e for e in _live_ends(pkg, grid, deposited) if e.body not in sampled or _thin_medium(e, grid, cols)]
    if ends:
        _accumulate(
            ends,
            grid,
            dict(zip(deposited, k_conductor, strict=True)),
            cols,
            (g_c, g_cr, share, column),
            sampled,
        )
    face_area = np.asarray(grid.dx)[:, None] * np.asarray(grid.dy)[None, :]
    half = np.asarray(grid.dz) / 2
    below, above = (
        _half_cell_change(
            k[2][:, :, cells] * face_area[:, :, None] / half[cells], face_area, g_c[s], g_cr[s], share[s], column[s]
        )
        for s, cells in ((0, slice(None, -1)), (1, slice(1, None)))
    )
    return EndCorrection(below, above)


def _thin_medium(e: End, grid: Grid, cols: _Columns) -> bool:
    """Whether a sampled end's medium is a layer thinner than THIN_LAYER of its centre cell's
    width, once stretched to an isotropic one (t sqrt(k_r / k_z), Carslaw and Jaeger 1959):
    the grid cannot see where the disc's edge is in a layer that thin, and resolves the
    spreading into a thicker one itself (module notes)."""
    i, j = grid.index(0, e.center[0]), grid.index(1, e.center[1])
    k_r, k_z, t, _ = cols.medium(i, j, e.plane - (not e.up), 1 if e.up else -1)
    return t * math.sqrt(k_r / k_z) < THIN_LAYER * min(float(grid.dx[i]), float(grid.dy[j]))


def _accumulate(
    ends: list[End],
    grid: Grid,
    k_of: dict[int, float],
    cols: _Columns,
    out: tuple[Array, Array, Array, Array],
    sampled: frozenset[int] = frozenset(),
) -> None:
    """Add every end's share of its cells to (conductor, constricted conductor, disc area,
    host column) per face and side."""
    g_c, g_cr, share, column = out
    eid, ci, cj, a = _footprints(ends, grid)
    plane = np.array([e.plane for e in ends])
    up = np.array([e.up for e in ends])
    f = plane[eid] - 1
    # Share each face's area among the ends on it, in proportion to their areas there.
    covered = np.zeros(g_c.shape[1:])
    np.add.at(covered, (ci, cj, f), a)
    face_area = np.asarray(grid.dx)[ci] * np.asarray(grid.dy)[cj]
    tube = np.bincount(eid, weights=face_area * a / covered[ci, cj, f], minlength=len(ends))
    ic = grid.indices(0, [e.center[0] for e in ends])
    jc = grid.indices(1, [e.center[1] for e in ends])
    k_c = np.array([k_of[e.body] for e in ends])
    own = np.where(up, plane - 1, plane)
    r_end = _beyond(ends, np.asarray(tube, dtype=float), ic, jc, cols, k_of)
    host = np.array(
        [
            cols.host(int(i), int(j), int(o), -1 if e.up else 1, float(kc), e.body in sampled)
            for e, i, j, o, kc in zip(ends, ic, jc, own, k_c, strict=True)
        ]
    )
    disc = math.pi * np.array([e.radius_m for e in ends]) ** 2
    at = (np.where(up[eid], 0, 1), ci, cj, f)
    # The conductor's share of its end cell's half, a k_c / (dz/2), meets r_c disc / a in
    # series: a uniform contact resistance r_c disc over the end.
    g = a * k_c[eid] / (np.asarray(grid.dz)[own[eid]] / 2)
    np.add.at(g_c, at, g)
    np.add.at(g_cr, at, 1.0 / (1.0 / g + r_end[eid] * disc[eid] / a))
    np.add.at(share, at, a)
    np.maximum.at(column, at, host[eid])


def _beyond(ends: list[End], tube: Array, ic: IntArray, jc: IntArray, cols: _Columns, k_of: dict[int, float]) -> Array:
    """Each end's resistance (K/W) beyond its disc: the disc's constriction into the medium
    read from the cells beyond its centre cell (``ic``, ``jc``) on a flux tube of area
    ``tube``, and where other conductors continue part of it, that part passed on into them
    (`_partly_continued`)."""
    out = []
    for e, tb, i, j in zip(ends, tube, ic, jc, strict=True):
        medium = cols.medium(int(i), int(j), e.plane - (not e.up), 1 if e.up else -1)
        r_c = disc_constriction(e.radius_m, math.sqrt(tb / math.pi), *medium)
        out.append(_partly_continued(e, r_c, k_of[e.body]))
    return np.asarray(out)


def _partly_continued(e: End, r_c: float, k_c: float) -> float:
    """The resistance (K/W) beyond an end's disc when other conductors continue a fraction
    ``e.covered`` of it: the rest of the disc constricted into the medium (``r_c`` for the
    whole disc, over the fraction's area) beside the heat converging within the conductor
    onto a disc of the covered area (a flux tube of the end's radius) and passing into them.

    References
    ----------
    Yovanovich and Marotta 2003 (module notes): the flux tube's constriction.
    """
    if not CONTINUE_COVERED or e.covered <= 0.0 or e.onward_w_k <= 0.0 or r_c <= 0.0:
        return r_c
    a = e.radius_m
    converge = disc_constriction(a * math.sqrt(e.covered), a, k_c, k_c)
    return 1.0 / ((1.0 - e.covered) / r_c + 1.0 / (converge + 1.0 / e.onward_w_k))


def _half_cell_change(g_cell: Array, face_area: Array, g_c: Array, g_cr: Array, share: Array, column: Array) -> Array:
    """New half-cell conductance less the old one, on the faces where conductors end.

    The conductors keep their constricted conductance (capped at the cell's); the host
    beside them keeps a path only as good as its own column (``column``, m^2 K/W): the
    cell's one node would otherwise let it carry heat around the constriction."""
    ended = g_c > 0
    conductor = np.minimum(g_c, g_cell)
    host = np.minimum(g_cell - conductor, np.maximum(face_area[:, :, None] - share, 0.0) / np.where(ended, column, 1.0))
    constricted = g_cr * conductor / np.where(ended, g_c, 1.0)
    out: Array = np.where(ended, host + constricted - g_cell, 0.0)
    return out
