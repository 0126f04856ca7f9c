"""Thermal engine verification: exact 1D layers, the Muzychka series solution, convergence, energy balance."""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pytest
from conftest import LID, build, example, slab

from semipack.design import build_design
from semipack.errors import DesignError
from semipack.thermal import BoardKind, ConvergenceError, Environment, EnvKind, metrics_of, solve_thermal
from semipack.thermal.analytic import rect_source_mean_rise
from semipack.thermal.assemble import Face, FaceCondition, assemble
from semipack.thermal.environment import H_COLD_PLATE as H_ISOTHERMAL
from semipack.thermal.grid import Grid, make_grid
from semipack.thermal.raster import rasterize
from semipack.thermal.setup import exposed_areas, weighted_mean
from semipack.thermal.solvers.zline_mg import pcg


def _slab() -> object:
    return slab(
        {"name": "attach", "material": "silver_epoxy", "thickness": "40 um"},
        LID,
        {"name": "tim", "material": "thermal_glue", "thickness": "0.1 mm"},
    )


def test_multilayer_slab_is_exact() -> None:
    """Constant flux through passive layers: cell-centre temperatures are exact (piecewise linear)."""
    pkg = _slab()
    grid = make_grid(pkg, 1.0)  # type: ignore[arg-type]
    f = rasterize(pkg, grid)  # type: ignore[arg-type]
    h = 500.0
    st = assemble(grid, f, [FaceCondition(Face.ZMAX, h)])
    t, info = pcg(st, f.power, rtol=1e-13, maxiter=2000)
    assert info.converged
    q = 2.0 / (4e-3 * 3e-3)
    z = grid.centers[2]
    col = t[0, 0]
    lib = pkg.materials  # type: ignore[attr-defined]
    faces = [0.0, 0.3e-3, 0.34e-3, 0.84e-3, 0.94e-3]
    ks = [lib[m].k_through_w_mk for m in ("si", "silver_epoxy", "cu_rolled", "thermal_glue")]

    def exact(zz: float) -> float:
        """Rise at height zz above the die (z >= 0.3 mm): film plus layers above zz."""
        r = 1.0 / h
        for (z0, z1), k in zip(itertools.pairwise(faces), ks, strict=True):
            r += max(0.0, z1 - max(z0, zz)) / k if z1 > zz else 0.0
        return q * r

    top = len(z) - 1
    for k in (top, top - 1, int(np.searchsorted(z, 0.6e-3)), int(np.searchsorted(z, 0.32e-3))):
        assert col[k] == pytest.approx(exact(z[k]), rel=1e-9)
    # The columns are all alike: the solution is one-dimensional.
    assert np.ptp(t[:, :, top]) < 1e-9 * t[0, 0, top]


def _plate(res: float) -> tuple[float, float]:
    a, b, t, k, h, c, d = 10e-3, 10e-3, 1e-3, 20.0, 1000.0, 2e-3, 3e-3
    pkg = build_design(
        {
            "family": "stack",
            "name": "plate",
            "materials": {"plate": {"base": "si", "k": ["20 W/m/K", "test value"]}},
            "parameters": {
                "footprint_x": "10 mm",
                "footprint_y": "10 mm",
                "layers": [
                    {"name": "plate", "material": "plate", "thickness": "1 mm"},
                    {"name": "die", "material": "plate", "thickness": "1 um"},
                ],
                "hotspots": [
                    {"layer": "die", "power": "1 W", "x0": "-1 mm", "y0": "-1.5 mm", "x1": "1 mm", "y1": "1.5 mm"}
                ],
            },
        }
    )
    grid = make_grid(pkg, res)
    f = rasterize(pkg, grid)
    st = assemble(grid, f, [FaceCondition(Face.ZMIN, h)])
    x, info = pcg(st, f.power, rtol=1e-11, maxiter=2000)
    assert info.converged
    m = f.power > 0
    mean = float((x[m] * f.power[m]).sum() / f.power[m].sum())
    return mean, rect_source_mean_rise(1.0, a, b, t, k, h, c, d)


def test_rect_source_on_plate_matches_muzychka_within_1_percent() -> None:
    mean, ref = _plate(2.0)
    assert mean == pytest.approx(ref, rel=0.01)


def test_mesh_convergence_order_and_richardson() -> None:
    (e1, ref), (e2, _), (e3, _) = _plate(0.5), _plate(1.0), _plate(2.0)
    order = math.log(abs(e1 - e2) / abs(e2 - e3)) / math.log(2.0)
    assert 1.5 < order < 2.6  # second-order finite volumes
    extrapolated = e3 + (e3 - e2) / (2**order - 1)
    assert extrapolated == pytest.approx(ref, rel=2e-3)
    assert abs(extrapolated - ref) < abs(e3 - ref)


def test_analytic_limits() -> None:
    # Full-area source: no spreading, just the plane wall and the film.
    full = rect_source_mean_rise(1.0, 1e-2, 1e-2, 1e-3, 20.0, 1000.0, 1e-2, 1e-2)
    assert full == pytest.approx(1.0 / 1e-4 * (1e-3 / 20 + 1 / 1000), rel=1e-9)


@pytest.mark.parametrize(
    "kind",
    [EnvKind.STILL_AIR, EnvKind.COLD_PLATE_TOP, EnvKind.COLD_PLATE_BOTTOM, EnvKind.RING_COLD_PLATE, EnvKind.FORCED_AIR],
)
def test_energy_balance_in_every_environment(kind: EnvKind) -> None:
    pkg = example("stack_user")
    board = BoardKind.ONE_S if kind is EnvKind.STILL_AIR else BoardKind.TWO_S2P
    r = solve_thermal(pkg, Environment(kind, board), resolution=0.7)
    assert r.energy_balance_rel < 1e-8
    assert r.power_w == pytest.approx(1.7)
    assert r.tj_max_k > r.environment.ambient_k
    m = metrics_of(r)
    assert m["cells"] == r.cells and m["tj_max_c"] > 25


def test_metric_ordering_on_a_package() -> None:
    """A die under a lid: theta_JC(top) < theta_JB < theta_JA, and Psi_JT is small."""
    pkg = example("exposed_sink_qfn")
    ja = metrics_of(solve_thermal(pkg, Environment(), resolution=0.5))
    jc = metrics_of(solve_thermal(pkg, Environment(EnvKind.COLD_PLATE_TOP), resolution=0.5))
    assert jc["theta_jc_top_c_per_w"] < ja["theta_ja_c_per_w"]
    assert 0 < ja["psi_jt_c_per_w"] < jc["theta_jc_top_c_per_w"] * 1.5
    assert 10 < ja["theta_ja_c_per_w"] < 80  # a 7 mm QFN on a 2s2p board in still air


def test_spreader_lowers_theta_ja() -> None:
    """Seed 000's promise: a copper spreader on the sealant beats the same package with a mould cap instead."""
    base = {
        "family": "spreader_bga",
        "name": "s",
        "parameters": {
            "body_size": "17 mm",
            "die_size": "7 mm",
            "pads_per_side": 24,
            "ball_rows": 3,
            "thermal_balls": 4,
        },
    }
    with_cu = build_design(base)
    without = build_design({**base, "overrides": {"spreader*": {"material": "mold_compound"}}})
    env = Environment(EnvKind.COLD_PLATE_TOP)
    a = solve_thermal(with_cu, env, resolution=0.5).tj_max_k
    b = solve_thermal(without, env, resolution=0.5).tj_max_k
    assert a < b


def test_power_override_scales_linearly() -> None:
    pkg = example("stack")
    r1 = solve_thermal(pkg, Environment(EnvKind.COLD_PLATE_BOTTOM), resolution=0.6, power_w=1.0)
    r2 = solve_thermal(pkg, Environment(EnvKind.COLD_PLATE_BOTTOM), resolution=0.6, power_w=3.0)
    assert (r2.tj_max_k - 298.15) == pytest.approx(3 * (r1.tj_max_k - 298.15), rel=1e-6)


def test_non_convergence_is_an_error() -> None:
    with pytest.raises(ConvergenceError, match="did not converge"):
        solve_thermal(example("stack"), Environment(EnvKind.COLD_PLATE_TOP), maxiter=1)


def test_bad_boundary_input() -> None:
    with pytest.raises(DesignError, match="film coefficient"):
        FaceCondition(Face.ZMAX, float("nan"))
    with pytest.raises(DesignError, match="emissivity"):
        Environment(emissivity=2.0)
    with pytest.raises(DesignError, match="air_speed_m_s"):
        Environment(EnvKind.FORCED_AIR, air_speed_m_s=0.0)


def test_lumped_transient_matches_the_exponential() -> None:
    """A small copper cube with a film all round (Biot << 1): dT = P/(hA) (1 - exp(-t / (rho c V / hA)))."""
    from semipack.thermal.transient import simulate

    pkg = build(
        "stack",
        footprint_x="2 mm",
        footprint_y="2 mm",
        hotspots=[],
        layers=[{"name": "cube", "material": "cu_rolled", "thickness": "2 mm", "power": "0.1 W"}],
    )
    m = pkg.materials["cu_rolled"]  # type: ignore[attr-defined]
    area, vol = 6 * 4e-6, 8e-9
    tau = m.density_kg_m3 * m.cp_j_kgk * vol / (50 * area)

    def worst_error(rtol: float) -> tuple[float, Any]:
        res = simulate(
            pkg,
            Environment(EnvKind.CUSTOM, BoardKind.NONE, h_custom_w_m2k=50.0),
            until_s=200.0,
            first_step_s=0.01,
            resolution=0.3,
            rtol=rtol,
        )
        exact = 0.1 / (50 * area) * (1 - np.exp(-res.times_s[1:] / tau))
        return float(np.max(np.abs((res.tj_k[1:] - res.ambient_k) / exact - 1))), res

    err, r = worst_error(3e-4)  # the default tolerance
    assert err < 0.005
    # The local-error control converges: a 10x tighter tolerance cuts the error at least 3x.
    assert worst_error(3e-5)[0] < err / 3
    # The time-constant spectrum is centred on the exponential's tau (R-weighted geometric mean).
    centre = np.exp(np.sum(r.foster_r * np.log(r.foster_tau)) / np.sum(r.foster_r))
    assert centre == pytest.approx(tau, rel=0.1)


def test_structure_function_total_resistance_equals_steady_theta() -> None:
    from semipack.thermal.transient import foster_to_cauer, simulate

    pkg = example("exposed_sink_qfn")
    env = Environment(EnvKind.COLD_PLATE_BOTTOM)
    r = simulate(pkg, env, until_s=100.0, resolution=0.5)
    steady = solve_thermal(pkg, env, resolution=0.5)
    theta = (steady.tj_max_k - env.ambient_k) / steady.power_w
    assert r.cumulative_r[-1] == pytest.approx(theta, rel=0.01)
    assert r.cumulative_r[-1] == pytest.approx(float(r.foster_r.sum()), rel=1e-9)  # Foster and Cauer agree exactly
    assert np.all(
        np.diff(r.zth_k_per_w) >= -1e-4 * r.zth_k_per_w[-1]
    )  # Zth rises monotonically (to the step tolerance)
    rc, cc = foster_to_cauer(np.array([2.0]), np.array([3.0]))
    assert rc[0] == pytest.approx(2.0) and cc[0] == pytest.approx(1.5)  # one RC: C = tau / R


def test_contact_resistance_adds_in_series() -> None:
    """An interface R'' between two full-area layers adds exactly q'' R'' to the rise below it."""
    pkg = _slab()
    env = Environment(EnvKind.COLD_PLATE_TOP)
    base = solve_thermal(pkg, env, rtol=1e-12, maxiter=3000)  # type: ignore[arg-type]
    r_c = 1e-5  # m^2 K/W, a thin dry contact
    with_c = solve_thermal(pkg, env, rtol=1e-12, maxiter=3000, contact_resistances={("lid", "tim"): r_c})  # type: ignore[arg-type]
    flux = 2.0 / (4e-3 * 3e-3)
    assert with_c.tj_max_k - base.tj_max_k == pytest.approx(flux * r_c, rel=1e-6)
    with pytest.raises(DesignError, match="names no body"):
        solve_thermal(pkg, env, contact_resistances={("lid", "nothing"): r_c})  # type: ignore[arg-type]


def test_smeared_balls_and_lands_read_their_constriction() -> None:
    """theta_JC(bottom) of the spreader BGA: balls and lands smeared (resolution 1, 0.83 mm
    cells) against resolved (resolution 2: lands and balls their own cells).

    Smeared, each land's copper is spread over its whole cell, so the heat no longer
    converges into a 0.45 mm land: by Thomson's principle the smeared network alone can
    only conduct better (5.67 against 6.34 C/W, 6.33 at resolution 2.5: 11 % low). The
    sub-grid constriction at the lands' ends puts that resistance back (6.42, +1.3 %).
    It guards the volume-fraction deposit too: a ball column with an empty cell conducts
    in series through air and reads several times the resolved theta.
    """
    pkg = example("spreader_bga")
    env = Environment(EnvKind.COLD_PLATE_BOTTOM)
    smeared = solve_thermal(pkg, env, resolution=1.0)
    resolved = solve_thermal(pkg, env, resolution=2.0)
    a = (smeared.tj_max_k - env.ambient_k) / smeared.power_w
    b = (resolved.tj_max_k - env.ambient_k) / resolved.power_w
    assert a == pytest.approx(b, rel=0.03)


def _hot_spot_die() -> Any:
    """A 3 x 3 x 0.2 mm silicon die with a 0.5 x 0.5 mm, 2 W hot spot, attached to a copper base."""
    return build(
        "stack",
        footprint_x="5 mm",
        footprint_y="5 mm",
        layers=[
            {"name": "base", "material": "cu_rolled", "thickness": "0.5 mm"},
            {"name": "attach", "material": "silver_epoxy", "thickness": "25 um", "size_x": "3 mm", "size_y": "3 mm"},
            {"name": "die", "material": "si", "thickness": "0.2 mm", "size_x": "3 mm", "size_y": "3 mm"},
        ],
        hotspots=[
            {"layer": "die", "power": "2 W", "x0": "-0.25 mm", "y0": "-0.25 mm", "x1": "0.25 mm", "y1": "0.25 mm"}
        ],
    )


def test_die_mean_is_the_volume_mean_on_a_graded_grid() -> None:
    """The reported die mean is sum(T V) / sum(V) over the die's cells, and grid-independent.

    The grid grades from the hot-spot edges and the thin attach, so the small cells are
    the hot ones: the plain mean over cells read 1.1 K high at resolution 0.5 and moved
    by 0.9 K between resolutions 0.5 and 1; the volume mean moves by under 0.01 K.
    """
    pkg = _hot_spot_die()
    die = next(b for b in pkg.bodies if b.name == "die").solid.bbox
    means = []
    for res in (0.5, 1.0):
        r = solve_thermal(pkg, Environment(EnvKind.COLD_PLATE_BOTTOM), resolution=res)
        cx, cy, cz = r.grid.centers
        inside = (
            ((cx > die.lo[0]) & (cx < die.hi[0]))[:, None, None]
            & ((cy > die.lo[1]) & (cy < die.hi[1]))[None, :, None]
            & ((cz > die.lo[2]) & (cz < die.hi[2]))[None, None, :]
        )
        v = (r.grid.dx[:, None, None] * r.grid.dy[None, :, None] * r.grid.dz[None, None, :])[inside]
        t = r.temperature_k[inside]
        volume_mean = float((t * v).sum() / v.sum())
        (d,) = r.dies
        assert d.mean_k - 298.15 == pytest.approx(volume_mean - 298.15, rel=1e-12)
        if res == 0.5:
            # The case tells the two means apart (0.2 K on the PHYSICS grid, which grades less
            # from the hot spot than the FACES grid's 1.1 K; either is far above the 1e-12 check).
            assert float(t.mean()) - volume_mean > 0.1
        means.append(d.mean_k)
    assert abs(means[0] - means[1]) < 0.05


def test_die_mean_of_a_heated_slab_is_the_plane_wall_mean() -> None:
    """A die with uniform power under an attach and a lid on a cold plate, adiabatic elsewhere (1D).

    The die's rise is the plane wall's: T(z) = T_top + q''' (L^2 - z^2) / (2 k) from its
    adiabatic bottom, so its volume mean is T_top + q'' L / (3 k) with T_top the rise
    across the layers above and the plate's film. The plain mean over the graded cells
    was 1 % low at resolution 1 (the volume mean is within 0.1 %).
    """
    pkg = build(
        "stack",
        footprint_x="4 mm",
        footprint_y="3 mm",
        hotspots=[],
        layers=[
            {"name": "die", "material": "si", "thickness": "0.3 mm", "power": "2 W"},
            {"name": "attach", "material": "silver_epoxy", "thickness": "25 um"},
            {"name": "lid", "material": "cu_rolled", "thickness": "0.5 mm"},
        ],
    )
    k = {m: pkg.materials[m].k_through_w_mk for m in ("si", "silver_epoxy", "cu_rolled")}
    flux, length = 2.0 / (4e-3 * 3e-3), 0.3e-3
    top = flux * (25e-6 / k["silver_epoxy"] + 0.5e-3 / k["cu_rolled"] + 1 / H_ISOTHERMAL)
    exact = top + flux * length / (3 * k["si"])
    r = solve_thermal(pkg, Environment(EnvKind.COLD_PLATE_TOP), resolution=1.0, rtol=1e-12)
    assert r.dies[0].mean_k - r.environment.ambient_k == pytest.approx(exact, rel=2e-3)


def test_cold_plate_runs_keep_the_trace_coverage() -> None:
    """Swapping the board for a cold-plate set-up keeps every other field of the environment.

    The ring cold plate clamps a 2s2p board: asked for on a 1s board with 60 % trace
    copper it ran with the default 20 % (Tj 89.9 C instead of 57.1 C).
    """
    pkg = _slab()
    top = solve_thermal(pkg, Environment(EnvKind.COLD_PLATE_TOP, trace_coverage=0.5), resolution=0.3)  # type: ignore[arg-type]
    assert top.environment.board is BoardKind.NONE
    assert top.environment.trace_coverage == 0.5
    ring = Environment(EnvKind.RING_COLD_PLATE, BoardKind.ONE_S, trace_coverage=0.6, ambient_k=300.0)
    asked = solve_thermal(pkg, ring, resolution=0.3)  # type: ignore[arg-type]
    assert asked.environment == Environment(EnvKind.RING_COLD_PLATE, trace_coverage=0.6, ambient_k=300.0)
    same = solve_thermal(pkg, asked.environment, resolution=0.3)  # type: ignore[arg-type]
    assert asked.tj_max_k == pytest.approx(same.tj_max_k, rel=1e-12)


def test_film_temperature_is_the_exposed_area_mean() -> None:
    """The film coefficients take a surface's mean temperature: its faces to the air, weighted by area.

    On a graded grid the plain mean over a body's cells is not that: on the 2s2p board
    under the heat-spreader BGA (resolution 0.5) it read 21.1 K against an exposed-area
    mean of 18.1 K (the small cells are near the package), overestimating the board's
    natural-convection coefficient.
    """
    faces = (0.0, 1e-3, 1.5e-3, 3.5e-3, 4e-3)
    grid = Grid(faces, faces[:4], faces)
    conducting = np.zeros(grid.shape, dtype=bool)
    conducting[1:3, 1:3, 1:3] = True  # a 2.5 mm cube of unequal cells, one side on the box's y edge...
    conducting[3, 0, 0] = True  # ...and a 0.5 x 1 x 1 mm cell in a corner of the box, apart from it
    areas = exposed_areas(grid, conducting)
    assert areas[1:3, 1:3, 1:3].sum() == pytest.approx(6 * 2.5e-3**2, rel=1e-12)
    a, b, c = 0.5e-3, 1e-3, 1e-3
    assert areas[3, 0, 0] == pytest.approx(2 * (a * b + b * c + a * c), rel=1e-12)
    assert not areas[~conducting].any()
    # One cube cell at 9 K, the rest at 1 K: the surface mean weights it by its share of the cube's surface.
    t = np.where(conducting, 1.0, 0.0)
    t[1, 1, 1] = 9.0
    cube = np.zeros(grid.shape, dtype=bool)
    cube[1:3, 1:3, 1:3] = True
    share = areas[1, 1, 1] / areas[cube].sum()
    assert weighted_mean(t, areas, cube) == pytest.approx(1 + 8 * share, rel=1e-12)
