"""Thermo-mechanics: Timoshenko's bimetal, laminated-plate theory against the 3D finite elements,
mesh convergence, a free heated body, flex bend strain, Engelmaier, CLI."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import example

from semipack.geometry import Box
from semipack.materials import default_library
from semipack.mechanics.fatigue import (
    ExponentLaw,
    engelmaier_cycles,
    exponent_dwell,
    exponent_frequency,
    solder_fatigue,
    weakest_link_cycles,
    weibull_cycles,
)
from semipack.mechanics.fe import MechMesh, solve_thermoelastic
from semipack.mechanics.flex_bend import bend_checks
from semipack.mechanics.laminate import Layer, free_response, sag, thermal_strain, timoshenko_bimetal
from semipack.mechanics.profiles import CycleCondition, SoakMode, condition
from semipack.model import Body, Package, Role
from semipack.thermal.grid import Grid

LIB = default_library()
L = 10e-3


def test_bimetal_strip_matches_timoshenko() -> None:
    for t1, t2 in ((0.5e-3, 0.3e-3), (0.1e-3, 1.0e-3), (1.0e-3, 1.0e-3)):
        r = free_response([Layer(t1, 130e9, 0.3, 16.5e-6 * -100), Layer(t2, 169e9, 0.3, 2.6e-6 * -100)], biaxial=False)
        assert r.curvature_per_m == pytest.approx(
            timoshenko_bimetal(t1, 130e9, 16.5e-6, t2, 169e9, 2.6e-6, -100), rel=0.01
        )


def _plate(layers: list[tuple[str, float]], n: int, per_layer: int) -> MechMesh:
    bodies = []
    z = 0.0
    zs = [0.0]
    for k, (mat, t) in enumerate(layers):
        bodies.append(Body(f"l{k}", Role.SUBSTRATE, mat, Box((-L / 2, -L / 2, z), (L / 2, L / 2, z + t))))
        zs += list(np.linspace(z, z + t, per_layer + 1)[1:])
        z += t
    pkg = Package("plate", "test", tuple(bodies), LIB, validate=False)
    xs = tuple(np.linspace(-L / 2, L / 2, n + 1))
    g = Grid(xs, xs, tuple(zs))
    owner = np.repeat(np.arange(len(layers), dtype=np.int32), per_layer)[None, None, :] * np.ones(
        (n, n, 1), dtype=np.int32
    )
    return MechMesh(g, owner, pkg)


# Stiff layers: CLT (plane sections, no transverse shear) is exact in the thin limit; a soft
# interlayer would shear and decouple the others, which CLT cannot see.
THREE = [("si", 0.3e-3), ("ni", 0.1e-3), ("cu_rolled", 0.4e-3)]


def _clt(layers: list[tuple[str, float]], t_ref: float, t: float) -> float:
    """Plate-theory warpage in the JESD22-B112 sign (+ convex): minus the corners' rise."""
    lay = [Layer(th, LIB[m].youngs_at(t), LIB[m].poisson, thermal_strain(LIB[m], t_ref, t)) for m, th in layers]
    return -sag(free_response(lay).curvature_per_m, L * math.sqrt(2))


def test_three_layer_plate_fe_against_laminated_plate_theory() -> None:
    fe = solve_thermoelastic(_plate(THREE, 20, 2), 398.15, 298.15).warpage()[0]
    clt = _clt(THREE, 398.15, 298.15)
    assert fe == pytest.approx(clt, rel=0.02)  # CLT is the thin-plate limit; free edges cost a little


def test_fe_mesh_convergence() -> None:
    w = [solve_thermoelastic(_plate(THREE, n, 1), 398.15, 298.15).warpage()[0] for n in (6, 12, 24)]
    # Measured as JESD22-B112 does (highest minus lowest point), the corner nodes of the
    # incompatible-mode bricks carry the bending exactly: 6 cells are already converged.
    assert max(w) - min(w) < 0.005 * abs(w[2])
    assert w[2] == pytest.approx(_clt(THREE, 398.15, 298.15), rel=0.03)


def test_free_uniformly_heated_body_is_stress_free() -> None:
    mesh = _plate([("cu_rolled", 0.5e-3), ("cu_rolled", 0.3e-3)], 8, 1)
    r = solve_thermoelastic(mesh, 298.15, 398.15)
    sigma_scale = LIB["cu_rolled"].youngs_pa * LIB["cu_rolled"].cte_per_k * 100
    assert np.nanmax(np.abs(r.stress)) < 1e-9 * sigma_scale
    # Every point moves by alpha dT times its distance from the fixed corner.
    reach = math.hypot(L, L, 0.8e-3)
    assert np.nanmax(np.linalg.norm(r.displacement, axis=-1)) == pytest.approx(
        LIB["cu_rolled"].cte_per_k * 100 * reach, rel=1e-6
    )


def test_flex_bend_strain_from_the_neutral_axis() -> None:
    checks = bend_checks(example("flex_csp_fig2"))
    assert len(checks) == 2 and all(c.passes for c in checks)
    # A symmetric film/copper/film stack bends about the copper's mid-plane: the copper's
    # outer fibre strains by (t_cu / 2) / r_n.
    pkg = example("flex_csp_fig1")
    cu = pkg.body("flex_bend1_cu").solid
    r_n = cu.inner_radius + cu.thickness / 2  # type: ignore[union-attr]
    expect = (cu.thickness / 2) / r_n  # type: ignore[union-attr]
    assert bend_checks(pkg)[0].copper_strain_max == pytest.approx(expect, rel=1e-9)


def test_engelmaier_trends() -> None:
    r = solder_fatigue(example("spreader_bga"), condition(CycleCondition.G))
    worst = r.worst
    assert worst.dnp_m == pytest.approx(max(b.dnp_m for b in r.balls))  # a corner ball fails first
    hot = solder_fatigue(example("spreader_bga"), condition(CycleCondition.C))  # -65 C to 150 C
    assert hot.worst.cycles < worst.cycles
    # Longer dwells let the solder creep further each cycle: fewer cycles (both laws agree).
    short = solder_fatigue(example("spreader_bga"), condition(CycleCondition.G, SoakMode.MODE_1))
    assert short.worst.cycles > worst.cycles
    slow = solder_fatigue(example("spreader_bga"), replace(condition(CycleCondition.G), cycles_per_day=2))
    fast = solder_fatigue(example("spreader_bga"), condition(CycleCondition.G), law=ExponentLaw.FREQUENCY)
    assert slow.law is ExponentLaw.DWELL and slow.worst.cycles == pytest.approx(worst.cycles)
    assert (
        solder_fatigue(example("spreader_bga"), slow.cycle, law=ExponentLaw.FREQUENCY).worst.cycles < fast.worst.cycles
    )
    # Life scales with the strain range to the power 1/c.
    c = exponent_frequency(42.5, 24)
    assert engelmaier_cycles(0.02, 0.325, c) / engelmaier_cycles(0.01, 0.325, c) == pytest.approx(
        2 ** (1 / c), rel=1e-12
    )
    # Engelmaier's two forms of c are one law: 360 / t_D plays the part of f.
    assert exponent_dwell(42.5, 15.0) == pytest.approx(exponent_frequency(42.5, 24.0), rel=1e-12)


def test_weibull_percentiles_and_weakest_link_by_monte_carlo() -> None:
    beta, n50 = 4.0, 1000.0
    assert weibull_cycles(n50, beta, 0.5) == pytest.approx(n50, rel=1e-12)
    # IPC-SM-785's partition correction: m equal joints in series fail m^(1/beta) sooner.
    assert weakest_link_cycles([n50] * 10, beta, 0.5) == pytest.approx(n50 / 10**0.25, rel=1e-12)
    # Against sampling: joints with different medians, the package fails at its first joint.
    rng = np.random.default_rng(7)
    n50s = np.array([500.0, 800.0, 800.0, 2000.0, 5000.0])
    eta = n50s / math.log(2) ** (1 / beta)
    first = (eta * rng.weibull(beta, size=(200_000, n50s.size))).min(axis=1)
    for frac in (0.01, 0.1, 0.5):
        assert weakest_link_cycles(list(n50s), beta, frac) == pytest.approx(np.quantile(first, frac), rel=0.02)
    assert weibull_cycles(n50, beta, 0.01) < weakest_link_cycles([n50], beta, 0.5) == pytest.approx(n50)


def test_power_cycling_swings_from_the_thermal_engine() -> None:
    from semipack.mechanics.power_cycling import power_swing
    from semipack.thermal.environment import Environment, EnvKind

    pkg = example("spreader_bga")
    still = power_swing(pkg, 3.0, resolution=0.5)
    # Heat flows from the die through the joints into the board: each sits cooler in turn.
    assert still.tj_max_k > still.component_on_k > still.joints_on_k > still.board_on_k > still.ambient_k
    # With fixed film coefficients the problem is linear: swings scale with the power and
    # do not depend on the ambient.
    env = Environment(EnvKind.CUSTOM, h_custom_w_m2k=10.0)
    one, two = power_swing(pkg, 1.0, env, 0.5), power_swing(pkg, 2.0, env, 0.5)
    hot = power_swing(pkg, 1.0, Environment(EnvKind.CUSTOM, ambient_k=358.15, h_custom_w_m2k=10.0), 0.5)
    for a, b, c in (
        (one.component_swing_k, two.component_swing_k, hot.component_swing_k),
        (one.board_swing_k, two.board_swing_k, hot.board_swing_k),
        (one.joints_on_k - one.ambient_k, two.joints_on_k - two.ambient_k, hot.joints_on_k - hot.ambient_k),
    ):
        assert b == pytest.approx(2 * a, rel=1e-5) and c == pytest.approx(a, rel=1e-5)
    # Engelmaier's displacement term: equal swings give the chamber cycle's life.
    cyc = still.cycle(900.0)
    same = replace(cyc, component_swing_k=cyc.swing_k, board_swing_k=cyc.swing_k)
    chamber = replace(cyc, component_swing_k=None, board_swing_k=None)
    assert solder_fatigue(pkg, same).worst.cycles == pytest.approx(solder_fatigue(pkg, chamber).worst.cycles, rel=1e-12)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "semipack.cli.main", *args], capture_output=True, text=True, timeout=600
    )


def test_cli_mechanics(tmp_path: Path, examples_dir: Path) -> None:
    p = run("warpage", str(examples_dir / "spreader_bga.yaml"), "--method", "clt", "--json")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    temps = [pt["temperature_k"] for pt in d["points"]]
    assert len(temps) == 25 and "warpage_um" in d and "smile" in d["sign"]
    assert temps[0] == temps[-1] == pytest.approx(298.15) and max(temps) == pytest.approx(533.15)  # J-STD-020 peak
    b = json.loads(run("bend", str(examples_dir / "flex_csp_fig1.yaml"), "--json").stdout)
    assert 0 < b["bend_strain_max"] < 0.2
    f = json.loads(run("fatigue", str(examples_dir / "spreader_bga.yaml"), "--cycle", "-40C:125C", "--json").stdout)
    assert f["cycles_to_failure_min"] > 0 and len(f["balls"]) == 456
    assert f["dwell_s"] == 900 and f["exponent_law"] == "dwell"
    g = json.loads(
        run(
            "fatigue", str(examples_dir / "spreader_bga.yaml"), "--dwell", "1 min", "--weibull-slope", "4", "--json"
        ).stdout
    )
    assert g["cycles_to_failure_min"] > f["cycles_to_failure_min"]  # condition G is -40/125 C; shorter dwell
    lives = [g[f"package_cycles_to_failure_{p}pct"] for p in (1, 10, 50)]
    assert lives == sorted(lives) and lives[2] < g["cycles_to_failure_min"]  # 456 balls: first fails sooner
    # Same mean temperature and dwell keep c, so the acceleration factor is (dT_f / dT_t)^(1/c),
    # whatever the package.
    args = ("--field", "22.5C:62.5C", "--field-dwell", "15 min", "--field-per-day", "24", "--json")
    af = json.loads(run("fatigue", str(examples_dir / "spreader_bga.yaml"), "--cycle", "G", *args).stdout)
    assert af["acceleration_factor"] == pytest.approx((40 / 165) ** (1 / af["exponent_c"]), rel=1e-9)
    assert af["field_years_min"] == pytest.approx(af["field_cycles_to_failure_min"] / 24 / 365.25)
    pw = json.loads(run("fatigue", str(examples_dir / "spreader_bga.yaml"), "--power", "2 W", "--json").stdout)
    assert pw["component_swing_k"] > pw["board_swing_k"] > 0 and pw["power_w"] == pytest.approx(2.0)
    s = run("stress", str(examples_dir / "thinfilm_metal.yaml"), "--resolution", "0.25", "--json")
    assert s.returncode == 0, s.stderr
    assert json.loads(s.stdout)["die_von_mises_max_pa"] > 0


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("warpage", "spreader_bga.yaml", "--method", "abaqus"), "allowed: fe, clt"),
        (("fatigue", "spreader_bga.yaml", "--cycle", "Z"), "allowed: A"),
        (("fatigue", "spreader_bga.yaml", "--cycle", "125C:-40C"), "above the minimum"),
        (("fatigue", "spreader_bga.yaml", "--law", "norris"), "allowed: dwell, frequency"),
        (("fatigue", "spreader_bga.yaml", "--dwell", "0 min"), "--dwell"),
        (("fatigue", "spreader_bga.yaml", "--dwell", "15 K"), "--dwell"),
        (("fatigue", "spreader_bga.yaml", "--weibull-slope", "0"), "--weibull-slope"),
        (("fatigue", "spreader_bga.yaml", "--power", "2 W", "--cycle", "G"), "give one of them"),
        (("fatigue", "spreader_bga.yaml", "--power", "2 K"), "--power"),
        (("fatigue", "spreader_bga.yaml", "--field", "60C:20C"), "--field"),
        (("fatigue", "thinfilm_metal.yaml", "--power", "2 W"), "balls-up"),
        (("bend", "spreader_bga.yaml"), "no bent flex"),
        (("warpage", "spreader_bga.yaml", "--profile", "nope.yaml"), "--profile"),
    ],
)
def test_cli_mechanics_bad_input(examples_dir: Path, args: tuple[str, ...], needle: str) -> None:
    a = list(args)
    a[1] = str(examples_dir / a[1])
    p = run(*a)
    assert p.returncode == 2 and needle in p.stderr and len(p.stderr.strip().splitlines()) == 1, p.stderr


def test_cure_shrinkage_of_the_mould_acts_like_cooling_it() -> None:
    """A mould shrinkage s equals an extra free strain of -s: on a mould/copper plate it
    bends the stack as cooling the mould alone by s / alpha would."""
    layers = [("cu_rolled", 0.3e-3), ("mold_compound", 0.5e-3)]
    mesh = _plate(layers, 8, 1)
    pkg = mesh.package
    from dataclasses import replace

    pkg = replace(
        pkg,
        bodies=tuple(replace(b, role=Role.SEALANT) if b.material == "mold_compound" else b for b in pkg.bodies),
        validate=False,
    )
    mesh = MechMesh(mesh.grid, mesh.owner, pkg)
    w0 = solve_thermoelastic(mesh, 298.15, 298.15).warpage()[0]
    w1 = solve_thermoelastic(mesh, 298.15, 298.15, cure_shrinkage=0.002).warpage()[0]
    lay = [
        Layer(0.3e-3, LIB["cu_rolled"].youngs_pa, LIB["cu_rolled"].poisson, 0.0),
        Layer(0.5e-3, LIB["mold_compound"].youngs_pa, LIB["mold_compound"].poisson, -0.002),
    ]
    assert w0 == pytest.approx(0.0, abs=1e-12)
    assert w1 == pytest.approx(-sag(free_response(lay).curvature_per_m, L * math.sqrt(2)), rel=0.03)


def test_plate_estimate_is_an_area_average_that_moves_smoothly_with_the_die() -> None:
    """The laminated-plate warpage averages columns by area, so growing the die changes it
    smoothly; a 5 x 5 grid of points once made it jump 40 -> 105 um between 8.9 and 9.1 mm."""
    from conftest import build

    from semipack.mechanics.stackup import clt_warpage, column_cells

    sizes = ["6 mm", "7.5 mm", "8.9 mm", "9.1 mm", "10.5 mm", "12 mm"]
    w = []
    for d in sizes:
        pkg = build("spreader_bga", die_size=d)
        cells = column_cells(pkg)
        bb = pkg.bbox
        assert sum(a for _, _, a in cells) == pytest.approx((bb.hi[0] - bb.lo[0]) * (bb.hi[1] - bb.lo[1]), rel=1e-9)
        w.append(clt_warpage(pkg, 448.15, 298.15).warpage_m)
    # A larger silicon die stiffens the centre against the mould's shrinkage monotonically...
    steps = np.diff(w)
    assert np.all(steps > 0) or np.all(steps < 0)
    # ...and a 0.2 mm step moves it by about its share of the area, not by a third.
    assert abs(w[3] - w[2]) < 0.05 * abs(w[2])


def test_nested_dissection_is_a_permutation_that_cuts_fill() -> None:
    """George (1973): eliminating both halves before their separator confines fill to the
    separators, so the factor of a grid Laplacian is far sparser than in the natural (banded) order."""
    import scipy.sparse as sp
    import scipy.sparse.linalg as spla

    from semipack.mechanics.ordering import nested_dissection

    n = (40, 40, 6)
    ijk = np.argwhere(np.ones(n, dtype=bool))
    order = nested_dissection(ijk)
    assert np.array_equal(np.sort(order), np.arange(ijk.shape[0]))
    lap = [sp.diags([-1.0, 2.0, -1.0], [-1, 0, 1], shape=(k, k)) for k in n]
    eye = [sp.identity(k) for k in n]
    # Index of (i, j, k) in C order, matching np.argwhere's row order.
    a = (
        sp.kron(sp.kron(lap[0], eye[1]), eye[2])
        + sp.kron(sp.kron(eye[0], lap[1]), eye[2])
        + sp.kron(sp.kron(eye[0], eye[1]), lap[2])
        + 1e-3 * sp.identity(ijk.shape[0])
    ).tocsr()

    def fill(m: sp.csr_matrix) -> int:
        lu = spla.splu(m.tocsc(), permc_spec="NATURAL", diag_pivot_thresh=0.0, options={"SymmetricMode": True})
        return int(lu.L.nnz + lu.U.nnz)

    assert fill(a[order][:, order]) < 0.5 * fill(a)
    with pytest.raises(ValueError, match="ijk"):
        nested_dissection(np.zeros((4, 2), dtype=np.int64))


def test_thermal_strain_across_tg_is_the_exact_integral() -> None:
    """Cooling a mould compound from 175 C through its Tg to 25 C: a2 (Tg - 175) + a1 (25 - Tg)."""
    m = LIB["mold_compound"]
    assert m.tg_k is not None and m.cte_above_tg_per_k is not None
    t0, t1 = 448.15, 298.15
    exact = m.cte_above_tg_per_k * (m.tg_k - t0) + m.cte_per_k * (t1 - m.tg_k)
    assert thermal_strain(m, t0, t1) == pytest.approx(exact, rel=1e-12)
    assert thermal_strain(m, t1, t0) == pytest.approx(-exact, rel=1e-12)  # heating retraces it
    assert thermal_strain(m, 300.0, 350.0) == pytest.approx(m.cte_per_k * 50.0, rel=1e-12)  # below Tg


def test_warpage_through_the_mould_tg_is_built_up_interval_by_interval() -> None:
    """Cooling copper + mould from 175 C to 25 C crosses the mould's Tg (150 C). Above it the
    mould is soft: its large expansion there loads the strip at the rubbery modulus, and only
    the cooling below Tg at the glassy one. The curvature is the sum over the two intervals."""
    from semipack.mechanics.history import clt_history, fe_history

    cu, mould = LIB["cu_rolled"], LIB["mold_compound"]
    assert mould.tg_k is not None and mould.cte_above_tg_per_k is not None and mould.youngs_above_tg_pa is not None
    t_ref, t, tg = 448.15, 298.15, mould.tg_k
    th_cu, th_mould = 0.4e-3, 0.6e-3

    def kappa(e_mould: float, a_mould: float, dt: float) -> float:
        lay = [
            Layer(th_cu, cu.youngs_pa, cu.poisson, cu.cte_per_k * dt),
            Layer(th_mould, e_mould, mould.poisson, a_mould * dt),
        ]
        return free_response(lay).curvature_per_m

    expected = kappa(mould.youngs_above_tg_pa, mould.cte_above_tg_per_k, tg - t_ref) + kappa(
        mould.youngs_pa, mould.cte_per_k, t - tg
    )
    # ...plus the mould's cure shrinkage, frozen in at the stress-free state (soft moduli there).
    assert mould.cure_shrinkage and mould.stress_free_k == t_ref
    shrink = [
        Layer(th_cu, cu.youngs_pa, cu.poisson, 0.0),
        Layer(th_mould, mould.youngs_above_tg_pa, mould.poisson, -mould.cure_shrinkage),
    ]
    thermal = expected
    expected += free_response(shrink).curvature_per_m
    secant = kappa(mould.youngs_pa, thermal_strain(mould, t_ref, t) / (t - t_ref), t - t_ref)
    assert abs(secant / thermal - 1) > 0.5  # the end-temperature modulus on the whole strain is far off
    mesh = _plate([("cu_rolled", th_cu), ("mold_compound", th_mould)], 12, 2)
    assert clt_history(mesh.package, t_ref, t).curvature_per_m == pytest.approx(expected, rel=1e-9)
    # FE, interval by interval: continuous through Tg, and on these two stiff layers within 5 % of the plate theory.
    below, above = (fe_history(mesh, t_ref, tg + d).warpage()[0] for d in (-1.0, 1.0))
    assert abs(below - above) < 0.02 * abs(above)
    room = fe_history(mesh, t_ref, t).warpage()[0]
    assert room == pytest.approx(-sag(expected, L * math.sqrt(2)), rel=0.05)


def test_bends_are_grouped_by_their_flex_part_not_their_names() -> None:
    """Renaming every body leaves each bend's sheets, neutral axis and strain as they were."""
    pkg = example("flex_csp_fig2")
    renamed = replace(pkg, bodies=tuple(replace(b, name=f"b{i}") for i, b in enumerate(pkg.bodies)), validate=False)
    before, after = bend_checks(pkg), bend_checks(renamed)
    assert len(before) == len(after) == 2
    for a, b in zip(before, after, strict=True):
        assert (a.inner_radius_m, a.neutral_offset_m, a.copper_strain_max) == (
            b.inner_radius_m,
            b.neutral_offset_m,
            b.copper_strain_max,
        )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # two dies named for their function, each on its own attach, and the mould under the
        # spreader (a list of body names saw none of them)
        ("pbga_pinmap", {("ctrl_attach", "ctrl"), ("mem_attach", "mem"), ("mold", "spreader")}),
        # the adhesive under a flip-chip's sink (a name list saw only the die's side of it)
        ("exposed_sink_flip_chip", {("encapsulant", "sink"), ("sink_adhesive", "sink"), ("die", "sink_adhesive")}),
    ],
)
def test_stress_interfaces_are_found_by_role(name: str, expected: set[tuple[str, str]]) -> None:
    from semipack.mechanics.fe import mesh_package
    from semipack.mechanics.warpage import stress_summary

    res = solve_thermoelastic(mesh_package(example(name), 0.3), 423.15, 233.15)
    found = {(i.lower, i.upper) for i in stress_summary(res).interfaces}
    assert found == expected
    assert all(i.shear_max_pa > 0 and np.isfinite(i.peel_max_pa) for i in stress_summary(res).interfaces)
