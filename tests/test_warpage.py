"""Warpage: FE against plate theory on body-spanning stacks, the shear lag of a bond line,
the JESD22-B112 sign and measure, cure shrinkage, the JEDEC/JEITA limits, and the
package-to-board gap."""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import cli, example

from semipack.errors import DesignError
from semipack.geometry import Box
from semipack.materials import MaterialLibrary, default_library
from semipack.mechanics.laminate import Layer, bond_efficiency, decoupled_response, free_response, sag
from semipack.mechanics.warpage import WarpageMethod, warpage_curve
from semipack.mechanics.warpage_limits import check_curve, limits_for
from semipack.mechanics.warpage_sign import surface_warpage
from semipack.model import Body, Package, Role

LIB = default_library()
W = 8e-3  # body side: small, so the FE stays fast
T = (298.15, 448.15, 533.15)  # room, the mould's stress-free state, reflow peak


def _stack(layers: list[tuple[str, str, Role, float]], lib: MaterialLibrary = LIB) -> Package:
    """A package whose every layer spans the body (bottom to top)."""
    bodies, z = [], 0.0
    for name, mat, role, t in layers:
        bodies.append(Body(name, role, mat, Box((-W / 2, -W / 2, z), (W / 2, W / 2, z + t))))
        z += t
    return Package("stack", "test", tuple(bodies), lib, validate=False)


TWO = [("substrate", "bt_laminate", Role.SUBSTRATE, 0.4e-3), ("mold", "mold_compound", Role.SEALANT, 0.7e-3)]
THREE = [*TWO, ("spreader", "cu_rolled", Role.HEAT_SPREADER, 0.3e-3)]


def _both(pkg: Package) -> tuple[list[float], list[float]]:
    fe, _ = warpage_curve(pkg, T, method=WarpageMethod.FE, resolution=0.25)
    pl, _ = warpage_curve(pkg, T, method="clt")
    return [p.warpage_m for p in fe], [p.warpage_m for p in pl]


@pytest.mark.parametrize("layers", [TWO, THREE], ids=["two-layer", "three-layer"])
def test_fe_and_plate_agree_where_every_layer_spans_the_body(layers: list[tuple[str, str, Role, float]]) -> None:
    """Both through the mould's Tg and the substrate's, with the cure shrinkage at 175 C.
    (Under a copper lid the mould's shrinkage at 175 C is nearly balanced: well under
    1 um in both, where a 10 % test would only compare noise; there they agree to 0.5 um.)"""
    fe, pl = _both(_stack(layers))
    for a, b in zip(fe, pl, strict=True):
        if abs(b) < 2e-6:
            assert a == pytest.approx(b, abs=0.5e-6)
            continue
        assert a == pytest.approx(b, rel=0.10) and math.copysign(1, a) == math.copysign(1, b)
    assert abs(pl[1]) > 0.2e-6  # not zero at the stress-free temperature: the cure shrinkage


def test_bond_line_shear_lag_from_welded_to_gel() -> None:
    """A stiff bond line passes the whole interface force (CLT), a gel none; in between the
    plate follows the FE within 10 % for a 500 MPa adhesive under a copper lid."""
    cu, mould = LIB["cu_rolled"], LIB["mold_compound"]

    def lay(e_glue: float) -> list[Layer]:
        return [
            Layer(0.5e-3, mould.youngs_pa, 0.3, -1.5e-3),
            Layer(50e-6, e_glue, 0.4, -1.5e-3),
            Layer(0.3e-3, cu.youngs_pa, 0.34, -2.5e-3),
        ]

    assert bond_efficiency(lay(100e9), 1, 5e-3) > 0.99
    assert bond_efficiency(lay(1e3), 1, 5e-3) < 1e-3
    assert decoupled_response(lay(1e3), 5e-3).curvature_per_m == pytest.approx(0.0, abs=1e-3)  # the mould alone is flat
    lib = MaterialLibrary(
        {**dict(LIB.materials), "glue500": replace(LIB["thermal_glue"], key="glue500", youngs_pa=0.5e9)}, LIB.sources
    )
    glued = [*TWO, ("glue", "glue500", Role.THERMAL_GLUE, 50e-6), ("spreader", "cu_rolled", Role.HEAT_SPREADER, 0.3e-3)]
    fe, pl = _both(_stack(glued, lib))
    assert fe[0] == pytest.approx(pl[0], rel=0.10) and fe[2] == pytest.approx(pl[2], rel=0.10)


def test_sign_and_measure_follow_jesd22_b112() -> None:
    """Corners up (a smile) is concave: negative; the size is the highest minus the lowest
    point once the best-fit plane (here a tilt) is removed."""
    g = np.linspace(-1.0, 1.0, 21)
    x, y = (a.ravel() for a in np.meshgrid(g, g))
    w = 3.0 * (x**2 + y**2) + 0.7 * x - 0.2 * y
    signed, cop, _ = surface_warpage(x, y, w)
    assert cop == pytest.approx(6.0, rel=1e-9) and signed == pytest.approx(-6.0, rel=1e-9)
    assert surface_warpage(x, y, -w)[0] == pytest.approx(6.0, rel=1e-9)
    # A mould that shrinks onto its substrate pulls the corners up: concave, negative.
    pts, _ = warpage_curve(_stack(TWO), (448.15,), method="clt")
    assert pts[0].warpage_m < 0


def test_cure_shrinkage_at_the_stress_free_temperature_is_plate_theory() -> None:
    """At 175 C only the mould's cure shrinkage (at its soft, above-Tg modulus) bends the stack."""
    bt, mould = LIB["bt_laminate"], LIB["mold_compound"]
    assert mould.cure_shrinkage and mould.youngs_above_tg_pa
    assert "Luan" in mould.sources["cure_shrinkage"] and "175 C" in mould.sources["stress_free"]
    lay = [
        Layer(0.4e-3, bt.youngs_at(448.15), bt.poisson, 0.0),
        Layer(0.7e-3, mould.youngs_above_tg_pa, mould.poisson, -mould.cure_shrinkage),
    ]
    expect = -sag(free_response(lay).curvature_per_m, W * math.sqrt(2))
    fe, _ = warpage_curve(_stack(TWO), (448.15,), resolution=0.25)
    assert fe[0].warpage_m == pytest.approx(expect, rel=0.05)


def test_limits_by_pitch_and_body() -> None:
    jedec = [lim for lim in limits_for(0.8e-3, 17e-3) if lim.standard.startswith("JEDEC")]
    assert len(jedec) == 1 and (jedec[0].concave_m, jedec[0].convex_m) == pytest.approx((0.14e-3, 0.23e-3))
    assert {lim.standard for lim in limits_for(1.0e-3, 35e-3)} == {"JEITA ED-7306", "OEM/EMS proposal (HiP), >= 150 C"}
    assert limits_for(0.75e-3, 10e-3) == () and limits_for(None, 10e-3) == ()  # no standard tabulates 0.75 mm
    lim = jedec[0]
    ok = check_curve([(298.15, 0.2e-3), (533.15, -0.1e-3)], lim)
    bad = check_curve([(298.15, 0.2e-3), (533.15, -0.15e-3)], lim)
    assert ok is not None and ok.passes and bad is not None and not bad.passes
    assert bad.worst_warpage_m == pytest.approx(-0.15e-3)  # 107 % of the concave band beats 87 % of the convex


# JEITA ED-7306 (2007) Table 1: pitch (mm) -> maximum permissible warpage (mm), ball height (mm).
JEITA_TABLE_1 = [
    (0.4, 0.10, 0.20),
    (0.5, 0.11, 0.25),
    (0.65, 0.14, 0.33),
    (0.8, 0.17, None),
    (1.0, 0.22, 0.50),
    (1.27, 0.25, 0.60),
]


@pytest.mark.parametrize(("pitch_mm", "limit_mm", "ball_mm"), JEITA_TABLE_1)
@pytest.mark.parametrize("body_mm", [5.0, 17.0, 45.0])
def test_jeita_row_for_every_pitch_whatever_the_body(
    pitch_mm: float, limit_mm: float, ball_mm: float | None, body_mm: float
) -> None:
    """ED-7306 gives one symmetric limit per pitch, whatever the body size."""
    rows = [lim for lim in limits_for(pitch_mm * 1e-3, body_mm * 1e-3) if lim.standard == "JEITA ED-7306"]
    assert len(rows) == 1
    lim = rows[0]
    assert (lim.concave_m, lim.convex_m) == pytest.approx((limit_mm * 1e-3, limit_mm * 1e-3))
    assert lim.ball_height_m == (None if ball_mm is None else pytest.approx(ball_mm * 1e-3))
    assert "ED-7306" in lim.source and "Table 1" in lim.source
    assert lim.passes(-limit_mm * 0.99e-3, 533.15) and not lim.passes(limit_mm * 1.01e-3, 533.15)


def test_every_limit_row_names_its_source() -> None:
    from semipack.mechanics.warpage_limits import LIMITS

    for lim in LIMITS:
        assert lim.source.strip() and lim.concave_m > 0 and lim.convex_m > 0 and lim.body_min_m < lim.body_max_m
        if lim.standard.startswith("JEITA"):
            assert "JEITA ED-7306" in lim.source
        else:  # the JEDEC row and the OEM/EMS proposal come from the SMT Magazine study
            assert "SMT Magazine" in lim.source
    jeita = sorted((lim.pitch_m, lim.concave_m) for lim in LIMITS if lim.standard.startswith("JEITA"))
    assert [p for p, _ in jeita] == pytest.approx([r[0] * 1e-3 for r in JEITA_TABLE_1])
    assert all(a[1] <= b[1] for a, b in itertools.pairwise(jeita))  # finer pitch, tighter limit


def test_method_names_are_an_enum() -> None:
    assert WarpageMethod.parse("plate") is WarpageMethod.PLATE is WarpageMethod.parse("CLT")
    with pytest.raises(DesignError, match="allowed: fe, clt"):
        WarpageMethod.parse("abaqus", "--method")


def test_gap_round_trip_with_the_plate_shapes() -> None:
    """With paraboloid shapes the gaps are the collapsed height plus the difference of the
    two curvatures times r^2 / 2, minus its mean: so they average to the collapsed height."""
    from semipack.mechanics.gap import board_curvature, package_gaps
    from semipack.mechanics.history import clt_history

    pkg = example("pbga")
    r = package_gaps(pkg, (298.15, 533.15), method="clt")
    for t, g, cg in zip(r.temperatures_k, r.gaps_m, r.corner_gaps_m, strict=True):
        assert np.mean(g) == pytest.approx(r.collapsed_m, rel=1e-12)
        dk = clt_history(pkg, 448.15, t).curvature_per_m - board_curvature(pkg, 448.15, t)
        r2 = np.array(r.x_m) ** 2 + np.array(r.y_m) ** 2
        expect = r.collapsed_m + 0.5 * dk * (r2 - r2.mean())
        assert np.allclose(g, expect, rtol=0, atol=1e-12)
        # Corners rising against the board (dk > 0) are the most open balls, else the least.
        assert cg == pytest.approx(max(g) if dk > 0 else min(g), abs=1e-12)
    # A ball that must bridge more than its free height plus the paste is at risk.
    assert r.free_m > r.collapsed_m and r.reach_m == pytest.approx(r.free_m + 125e-6)
    assert not r.at_risk


def test_symmetric_board_stays_flat_and_copper_on_top_bends_it() -> None:
    from semipack.mechanics.gap import board_curvature

    pkg = example("pbga")
    assert board_curvature(pkg, 448.15, 298.15, top_copper=0.0) == pytest.approx(0.0, abs=1e-9)
    assert abs(board_curvature(pkg, 448.15, 298.15, top_copper=0.4)) > 1e-3


def test_gap_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path, examples_dir: Path) -> None:
    out = tmp_path / "gap.png"
    f = str(examples_dir / "pbga.yaml")
    code, stdout, _ = cli(capsys, "gap", f, "--method", "clt", "--json", "--plot", str(out))
    assert code == 0 and out.stat().st_size > 0
    d = json.loads(stdout)
    assert len(d["balls"]) == 256 and d["hip_risk"] is False and d["reach_um"] > d["collapsed_height_um"]
    code, _, err = cli(capsys, "gap", f, "--paste", "-1 mm")
    assert code == 2 and "--paste" in err and len(err.strip().splitlines()) == 1


def test_warpage_cli_reports_the_limits(capsys: pytest.CaptureFixture[str], examples_dir: Path) -> None:
    """The 17 mm, 1.0 mm-pitch PBGA: JEITA ED-7306's +/-220 um and the 90 um proposal apply."""
    code, out, err = cli(capsys, "warpage", str(examples_dir / "pbga.yaml"), "--method", "clt", "--json")
    assert code == 0, err
    d = json.loads(out)
    lims = {lim["standard"]: lim for lim in d["limits"]}
    assert (
        lims["JEITA ED-7306"]["concave_um"] == pytest.approx(-220) and "SMT Magazine" in lims["JEITA ED-7306"]["source"]
    )
    assert lims["JEITA ED-7306"]["ball_height_um"] == pytest.approx(500)  # Table 1's ball height at 1.0 mm
    worst = max(abs(p["warpage_um"]) for p in d["points"])
    assert lims["JEITA ED-7306"]["pass"] is (worst <= 220) and "convex" in d["sign"]


def test_study_gap_and_warpage_outputs() -> None:
    from semipack.study.analyses import ANALYSES, settings_for

    pkg = example("pbga")
    gap = ANALYSES["gap"].run(pkg, settings_for("gap", {"method": "clt"}, "analyses.gap"))
    assert gap["hip_risk"] is False and gap["gap_min_um"] < gap["gap_max_um"] < gap["gap_reach_um"]  # type: ignore[operator]
    w = ANALYSES["warpage"].run(pkg, settings_for("warpage", {"method": "plate"}, "analyses.warpage"))
    assert w["warpage_limit_pass"] is True
    with pytest.raises(DesignError, match=r"warpage\.method"):
        ANALYSES["warpage"].run(pkg, settings_for("warpage", {"method": "ansys"}, "analyses.warpage"))


def test_hygroscopic_swelling_loads_the_stack_like_a_free_strain() -> None:
    """A bilayer whose top layer alone swells by eps bends as laminated-plate theory says
    for free strains (0, eps): the swelling enters FE and plate as an eigenstrain."""
    from semipack.mechanics.fe import MechMesh, solve_thermoelastic
    from semipack.thermal.grid import Grid

    eps, side, t_ref = 2e-3, 10e-3, 298.15
    lib0 = default_library()
    table = dict(lib0.materials)
    table["wet"] = replace(lib0["cu_rolled"], key="wet", swelling_strain=eps)
    lib = MaterialLibrary(table, lib0.sources)
    layers = [("si", 0.3e-3), ("wet", 0.4e-3)]
    bodies, zs, z = [], [0.0], 0.0
    for k, (mat, t) in enumerate(layers):
        bodies.append(Body(f"l{k}", Role.SUBSTRATE, mat, Box((-side / 2, -side / 2, z), (side / 2, side / 2, z + t))))
        zs += list(np.linspace(z, z + t, 3)[1:])
        z += t
    pkg = Package("plate", "test", tuple(bodies), lib, validate=False)
    xs = tuple(np.linspace(-side / 2, side / 2, 21))
    owner = np.repeat(np.arange(2, dtype=np.int32), 2)[None, None, :] * np.ones((20, 20, 1), dtype=np.int32)
    fe = solve_thermoelastic(MechMesh(Grid(xs, xs, tuple(zs)), owner, pkg), t_ref, t_ref, props_k=t_ref, initial=True)
    lay = [Layer(t, lib[m].youngs_at(t_ref), lib[m].poisson, eps if m == "wet" else 0.0) for m, t in layers]
    clt = -sag(free_response(lay).curvature_per_m, side * math.sqrt(2))
    assert fe.warpage()[0] == pytest.approx(clt, rel=0.03)
    assert fe.warpage()[0] > 0  # the swelling top bulges: convex, + in JESD22-B112


def test_warpage_takes_the_soak_s_swelling_and_refuses_an_unknown_level(capsys: pytest.CaptureFixture[str]) -> None:
    from semipack.moisture import Level, hygroscopic_load, with_swelling

    pkg = example("qfn32")
    load = hygroscopic_load(pkg, Level.L1, resolution=0.3)
    wet = with_swelling(pkg, load)
    swelling = {k: m.swelling_strain for k, m in wet.materials.items() if m.swelling_strain}
    assert swelling and all(0 < s < 0.01 for s in swelling.values())  # polymers swell by tenths of a percent
    assert set(swelling) <= {k for k in load}
    dry, _ = warpage_curve(pkg, [298.15], method="clt")
    moist, _ = warpage_curve(wet, [298.15], method="clt")
    assert moist[0].warpage_m != pytest.approx(dry[0].warpage_m, rel=1e-3)
    code, _, err = cli(
        capsys,
        "warpage",
        str(Path(__file__).parent.parent / "examples" / "qfn32.yaml"),
        "--method",
        "clt",
        "--moisture-level",
        "7",
    )
    assert code == 2 and "--moisture-level" in err and len(err.strip().splitlines()) == 1
