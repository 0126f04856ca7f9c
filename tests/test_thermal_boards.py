"""JEDEC test boards built around the package: outline by type, trace fan-out, JESD51-5 land."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from functools import cache

import numpy as np
import pytest
from conftest import example

from semipack.design import build_design
from semipack.errors import DesignError
from semipack.model import Package
from semipack.thermal import BoardKind, Environment, EnvKind, solve_thermal
from semipack.thermal.boards import (
    FANOUT_M,
    BoardStandard,
    ThermalLand,
    TraceModel,
    board_outline,
    fanout_coverage,
    fanout_traces,
    solder_resistance,
    via_field_fraction,
)
from semipack.thermal.environment import bench, land_contacts, with_board


@cache
def qfn() -> Package:
    return example("qfn32")


def theta(pkg: Package, env: Environment, resolution: float = 0.5) -> float:
    r = solve_thermal(pkg, env, resolution=resolution)
    assert r.energy_balance_rel < 1e-6
    return (r.tj_max_k - env.ambient_k) / r.power_w


def test_board_outline_follows_the_package_type() -> None:
    assert board_outline(qfn(), BoardStandard.AUTO) == (BoardStandard.LEADED, 76.2e-3, 114.3e-3)
    assert board_outline(example("pbga"), BoardStandard.AUTO) == (BoardStandard.AREA_ARRAY, 101.5e-3, 114.5e-3)
    big = build_design({"family": "pbga", "name": "b", "parameters": {"body_x": "45 mm", "body_y": "45 mm", "ball_rows": 3}})
    assert board_outline(big, BoardStandard.AUTO)[1:] == (127.0e-3, 139.5e-3)
    assert board_outline(qfn(), BoardStandard.AREA_ARRAY)[1:] == (101.5e-3, 114.5e-3)
    fixture, _ = with_board(qfn(), Environment())
    assert fixture.bbox.size[0] == pytest.approx(76.2e-3) and fixture.bbox.size[1] == pytest.approx(114.3e-3)


def test_fanout_coverage_is_the_traces_copper_over_the_square() -> None:
    pkg = example("pbga")  # 16 x 16 balls at 1.0 mm on a 17 mm body: 60 in the outer ring, 1 mm from the edge
    fan = fanout_coverage(pkg)
    assert fan.traces == 60
    assert fan.width_m == pytest.approx(0.4e-3)
    side = 17e-3 + 2 * FANOUT_M
    assert fan.coverage == pytest.approx(60 * 0.4e-3 * (FANOUT_M + 1e-3) / side**2, rel=1e-9)
    # The resolved traces hold the same copper area as the smeared square.
    traces = fanout_traces(pkg, -70e-6, 0.0)
    assert len(traces) == 60
    area = sum(b.solid.volume for b in traces) / 70e-6
    assert area == pytest.approx(fan.coverage * side**2, rel=1e-9)


@pytest.mark.parametrize(("board", "tol"), [(BoardKind.TWO_S2P, 0.03), (BoardKind.ONE_S, 0.08)])
def test_smeared_fanout_agrees_with_resolved_traces(board: BoardKind, tol: float) -> None:
    """The ring-by-ring smeared fan-out stands for the traces it is computed from.

    At this coarse grid the 0.2 mm traces are only sampled (measured: 1 % apart on 2s2p,
    6 % on 1s, where the traces carry all the heat); on grids that resolve them the
    6 x 6 mm CSP's 1s theta-JA agrees within 4 % (95.5 smeared / 92.1 resolved C/W at
    resolution 1, 3 M cells: too slow for a unit test).
    """
    env = Environment(EnvKind.STILL_AIR, board)
    smeared = theta(qfn(), env)
    resolved = theta(qfn(), replace(env, trace_model=TraceModel.RESOLVED))
    assert smeared == pytest.approx(resolved, rel=tol)


def test_jesd51_5_land_and_vias_carry_the_exposed_pad_heat() -> None:
    env = Environment(EnvKind.STILL_AIR, BoardKind.TWO_S2P)
    with_land = theta(qfn(), env)
    without = theta(qfn(), replace(env, thermal_land=None))
    # Pad -> land -> vias -> plane: the main path of an exposed-pad package on 2s2p.
    assert with_land < 0.7 * without
    voided = theta(qfn(), replace(env, thermal_land=ThermalLand(voiding=0.5)))
    assert with_land < voided < without
    fixture, _ = with_board(qfn(), env)
    pads = [b.name for b in qfn().bodies if b.role.value == "die_paddle"]
    names = {b.name for b in fixture.bodies}
    assert {f"board_land_{pads[0]}", f"board_vias_{pads[0]}"} <= names


def test_solder_layer_and_via_field_formulas() -> None:
    land = ThermalLand(solder_thickness_m=60e-6, voiding=0.25)
    assert solder_resistance(land, 60.0) == pytest.approx(60e-6 / (60.0 * 0.75))
    r = 0.33e-3 / 2
    assert via_field_fraction(ThermalLand()) == pytest.approx(3.141592653589793 * (r**2 - (r - 35e-6) ** 2) / 1.2e-3**2)
    fixture, _ = with_board(qfn(), Environment())
    contacts = land_contacts(qfn(), fixture, Environment())
    assert len(contacts) == 1 and next(iter(contacts.values())) == pytest.approx(
        50e-6 / fixture.materials["sac305"].k_through_w_mk
    )


def test_bga_gets_no_land_and_the_bench_says_what_was_built() -> None:
    fixture, _ = with_board(example("pbga"), Environment())
    assert not any(b.name.startswith("board_land_") for b in fixture.bodies)
    b = bench(example("pbga"), Environment())
    assert b["board_standard"] == "jesd51-9" and b["board_mm"] == [101.5, 114.5]
    assert b["thermal_land"] is None and b["trace_model"] == "smeared"
    assert sum(layer["thickness_um"] for layer in b["board_layers"]) == pytest.approx(1600.0)  # type: ignore[union-attr]
    q = bench(qfn(), Environment())
    assert q["board_standard"] == "jesd51-3/7" and q["thermal_land"]["via_pitch_mm"] == pytest.approx(1.2)  # type: ignore[index]


def test_cli_prints_the_bench_and_refuses_bad_bench_input(tmp_path: object) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "semipack.cli.main", *args], capture_output=True, text=True, timeout=300)

    ok = run("thermal", "examples/dfn8.yaml", "--resolution", "0.4", "--json", "--voiding", "0.3")
    assert ok.returncode == 0, ok.stderr
    doc = json.loads(ok.stdout)
    assert doc["bench"]["thermal_land"]["voiding"] == pytest.approx(0.3)
    assert doc["bench"]["resolution"] == 0.4 and doc["bench"]["cells"] == doc["cells"]
    assert set(doc["bench"]["film_w_m2k"]) >= {"pkg_up", "board_up"}
    for args, field in [
        (("--emissivity", "-0.1"), "emissivity"),
        (("--env", "forced-air", "--air-speed", "0 m/s"), "--air-speed"),
        (("--voiding", "1.5"), "--voiding"),
        (("--board-standard", "jesd51-99"), "--board-standard"),
        (("--board", "4s"), "--board"),
    ]:
        bad = run("thermal", "examples/dfn8.yaml", *args)
        assert bad.returncode == 2 and field in bad.stderr and bad.stderr.count("\n") == 1, (args, bad.stderr)


def test_thermal_land_refuses_a_via_array_that_cannot_exist() -> None:
    with pytest.raises(DesignError, match="via_drill"):
        ThermalLand(via_drill_m=1.2e-3)
    with pytest.raises(DesignError, match="voiding"):
        ThermalLand(voiding=0.95)


# ---------------------------------------------------------------- radiation (JESD51-2A includes it)


def test_an_isothermal_cube_obeys_the_stefan_boltzmann_law() -> None:
    """Linearised radiation iterated on the surface temperature gives P = A (h dT + eps sigma (T^4 - Ta^4))."""
    pkg = _cube()
    env = Environment(EnvKind.CUSTOM, BoardKind.NONE, h_custom_w_m2k=10.0, emissivity=0.8)
    r = solve_thermal(pkg, env, resolution=0.3, h_iterations=30)
    t, ta = r.tj_max_k, env.ambient_k
    sigma = 5.670374419e-8
    area = 6 * 4e-6
    assert pytest.approx(area * (10.0 * (t - ta) + 0.8 * sigma * (t**4 - ta**4)), rel=0.02) == 0.05
    # Without the emissivity the custom coefficient is the whole exchange.
    dry = solve_thermal(pkg, replace(env, emissivity=None), resolution=0.3)
    assert dry.tj_max_k - ta == pytest.approx(0.05 / (10.0 * area), rel=0.01)


def test_still_air_radiates_with_each_surface_materials_emissivity() -> None:
    env = Environment(EnvKind.STILL_AIR, BoardKind.TWO_S2P)
    on = theta(qfn(), env)
    off = theta(qfn(), replace(env, emissivity=0.0))
    assert on < 0.95 * off
    # Mould, board and solder mask are all 0.9 in the library: a uniform 0.9 is nearly the same,
    # a uniform 0.1 (bright metal everywhere) radiates far less.
    uniform = theta(qfn(), replace(env, emissivity=0.9))
    bright = theta(qfn(), replace(env, emissivity=0.1))
    assert uniform == pytest.approx(on, rel=0.01)
    assert on < bright < off


def test_material_emissivity_is_sourced_and_bounded() -> None:
    from semipack.materials import default_library

    lib = default_library()
    for key in ("mold_compound", "fr4", "cu_rolled", "si"):
        m = lib[key]
        assert m.emissivity is not None and 0 < m.emissivity <= 1 and "emissivity" in m.sources
    with pytest.raises(DesignError, match="emissivity"):
        lib.extended({"shiny": {"base": "cu_rolled", "emissivity": [1.5, "made up"]}})


# ---------------------------------------------------------------- film coefficients by face, cold-plate contact


def _cube(power: str = "0.05 W") -> Package:
    return build_design(
        {
            "family": "stack",
            "name": "cube",
            "parameters": {
                "footprint_x": "2 mm",
                "footprint_y": "2 mm",
                "hotspots": [],
                "layers": [{"name": "cube", "material": "cu_rolled", "thickness": "2 mm", "power": power}],
            },
        }
    )


def test_film_coefficients_by_face_class_add_as_parallel_conductances() -> None:
    """An isothermal cube: P = dT (h_top A_top + h_bottom A_bottom + h_sides A_sides)."""
    from semipack.thermal.environment import FilmCoefficients

    a = 4e-6
    env = Environment(EnvKind.CUSTOM, BoardKind.NONE, h_custom_w_m2k=10.0, film=FilmCoefficients(top=200.0, sides=40.0))
    r = solve_thermal(_cube(), env, resolution=0.3)
    expected = 0.05 / (200.0 * a + 10.0 * a + 40.0 * 4 * a)
    assert r.tj_max_k - env.ambient_k == pytest.approx(expected, rel=0.01)
    with pytest.raises(DesignError, match=r"film\.bottom"):
        FilmCoefficients(bottom=-1.0)


def test_cold_plate_contact_conductance_adds_its_resistance_in_series() -> None:
    """A body heated uniformly over its footprint: theta rises by exactly 1 / (h_c A_top).

    (Under a package the flux above the die is concentrated and the rise is larger than
    this mean value: for the 17 mm PBGA 2.9 instead of 1.7 C/W at 2000 W/m^2/K.)
    """
    iso = Environment(EnvKind.COLD_PLATE_TOP, BoardKind.NONE)
    contact = replace(iso, cold_plate_w_m2k=2000.0)
    t_iso, t_c = theta(_cube(), iso, 0.3), theta(_cube(), contact, 0.3)
    assert t_c - t_iso == pytest.approx(1 / (2000.0 * 4e-6), rel=1e-3)
    with pytest.raises(DesignError, match="cold_plate"):
        Environment(EnvKind.COLD_PLATE_TOP, cold_plate_w_m2k=0.0)


# ---------------------------------------------------------------- plate-fin heat sink (forced air)


def test_channel_nusselt_meets_its_two_asymptotes() -> None:
    from semipack.thermal.heatsink import channel_nusselt

    pr = 0.71
    low = 1e-3  # fully developed: Nu -> Re* Pr / 2
    assert channel_nusselt(low, pr) == pytest.approx(low * pr / 2, rel=1e-3)
    high = 1e6  # developing flow: 0.664 Re*^1/2 Pr^1/3 (1 + 3.65 / Re*^1/2)^1/2
    dev = 0.664 * high**0.5 * pr ** (1 / 3) * (1 + 3.65 / high**0.5) ** 0.5
    assert channel_nusselt(high, pr) == pytest.approx(dev, rel=1e-3)


def test_fin_efficiency_limits() -> None:
    from semipack.thermal.heatsink import fin_efficiency

    assert fin_efficiency(1e-9, 200.0, 1e-3, 10e-3) == pytest.approx(1.0, rel=1e-6)
    mh = (2 * 50.0 / (200.0 * 1e-3)) ** 0.5 * 20e-3
    import math

    assert fin_efficiency(50.0, 200.0, 1e-3, 20e-3) == pytest.approx(math.tanh(mh) / mh)


def test_a_heat_sink_carries_the_heat_and_faster_air_helps() -> None:
    from semipack.thermal.heatsink import PlateFinSink

    pkg = example("pbga")
    air = Environment(EnvKind.FORCED_AIR, BoardKind.TWO_S2P, air_speed_m_s=2.0)
    sink = replace(air, heat_sink=PlateFinSink())
    bare, cooled = theta(pkg, air), theta(pkg, sink)
    faster = theta(pkg, replace(sink, air_speed_m_s=4.0))
    assert cooled < 0.5 * bare
    assert faster < cooled
    with pytest.raises(DesignError, match="forced air"):
        Environment(EnvKind.STILL_AIR, heat_sink=PlateFinSink())
    with pytest.raises(DesignError, match=r"heat_sink\.fins"):
        PlateFinSink(fins=40, fin_thickness_m=1e-3)
    small = PlateFinSink(base_x_m=10e-3, base_y_m=16e-3)  # the PBGA top is 17 x 17 mm
    with pytest.raises(DesignError, match=r"heat_sink\.base.*cover the package top"):
        solve_thermal(pkg, replace(air, heat_sink=small), resolution=0.3)


def test_more_connected_rows_give_more_traces_and_a_cooler_package() -> None:
    pkg = example("pbga")  # 16 x 16: 60 balls in the outer ring, 52 in the next
    one, two = fanout_coverage(pkg, 1), fanout_coverage(pkg, 2)
    assert (one.traces, two.traces) == (60, 112)
    assert two.coverage > one.coverage
    env = Environment(EnvKind.STILL_AIR, BoardKind.TWO_S2P)
    assert theta(pkg, replace(env, fanout_rows=2)) < theta(pkg, env)
    with pytest.raises(DesignError, match="fanout_rows"):
        Environment(fanout_rows=0)


def test_a_land_larger_than_the_bare_centre_keeps_its_copper() -> None:
    """The fan-out squares yield to the land: a DFN pad growing past the bare FR-4 centre must not lose it."""

    def dfn(pad_y: str) -> Package:
        return build_design({"family": "dfn", "name": "d", "parameters": {"pad_x": "1.65 mm", "pad_y": pad_y}})

    env = Environment(EnvKind.STILL_AIR, BoardKind.TWO_S2P)
    small, large = theta(dfn("2.6 mm"), env), theta(dfn("2.8 mm"), env)
    assert large < small * 1.02  # a larger soldered pad is never much worse (it was +17 %)


def test_jedec_set_applies_the_bench_options() -> None:
    from semipack.thermal.metrics import jedec_metrics

    pkg = qfn()
    on = jedec_metrics(pkg, resolution=0.4)
    off = jedec_metrics(pkg, resolution=0.4, template=Environment(emissivity=0.0))
    assert off["theta_ja_c_per_w"] > on["theta_ja_c_per_w"]
    assert all(b["emissivity"] == 0.0 for b in off["bench"])


def test_plane_vias_tie_each_terminal_to_plane_one_through_one_barrel() -> None:
    import math

    from semipack.model import TERMINAL_ROLES

    pkg = example("csp")
    env = Environment(EnvKind.STILL_AIR, BoardKind.TWO_S2P, plane_vias=True)
    fixture, _ = with_board(pkg, env)
    terms = [b for b in pkg.bodies if b.role in TERMINAL_ROLES]
    vias = {b.name: b for b in fixture.bodies if b.name.startswith("board_mount_via_")}
    lands = [b for b in fixture.bodies if b.name.startswith("board_mount_land_")]
    assert len(vias) == len(lands) == len(terms)
    # Along the barrel the column is copper and FR-4 in parallel: k = f k_cu + (1 - f) k_fr4,
    # f = the barrel's annulus over the terminal's footprint.
    t = terms[0]
    lo, hi = t.solid.bbox.lo, t.solid.bbox.hi
    land = ThermalLand()
    r = land.via_drill_m / 2
    f = math.pi * (r * r - (r - land.via_plating_m) ** 2) / ((hi[0] - lo[0]) * (hi[1] - lo[1]))
    lib = fixture.materials
    k = lib[vias[f"board_mount_via_{t.name}"].material].k_through_w_mk
    assert k == pytest.approx(f * lib["cu_rolled"].k_through_w_mk + (1 - f) * lib["fr4"].k_through_w_mk, rel=1e-6)
    assert bench(pkg, env)["plane_vias"] is True
    # The vias give the heat a second path to the plane: the package runs cooler.
    assert theta(pkg, env) < theta(pkg, replace(env, plane_vias=False))
    # A 1s board has no plane to tie to.
    one_s, _ = with_board(pkg, replace(env, board=BoardKind.ONE_S))
    assert not any(b.name.startswith("board_mount_") for b in one_s.bodies)


def test_film_overrides_replace_only_their_classes_and_report_by_name() -> None:
    """`FilmCoefficients` replaces the classes it names (board: all three board classes) and
    keeps the others; the result's names are the ones `--json` has always reported."""
    from semipack.thermal.environment import FilmCoefficients
    from semipack.thermal.films import Films, convective_films

    h = Films(1.0, 2.0, 3.0, 4.0, 5.0, 6.0)
    out = FilmCoefficients(top=10.0, board=20.0).applied(h)
    assert out == Films(10.0, 2.0, 3.0, 20.0, 20.0, 20.0)
    assert set(out.to_dict()) == {
        "pkg_up", "pkg_down", "pkg_side", "board_up", "board_down", "board_side",
        "radiation_pkg_per_emissivity", "radiation_board_per_emissivity",
    }  # fmt: skip
    # Still air: a heated upward face convects more than a downward one (Incropera eqs. 9.30-9.32).
    still = convective_films(Environment(), 0.01, 0.1, 0.002, 350.0, 320.0)
    assert still.pkg_up > still.pkg_down > 0 and still.sink_top is None
    assert convective_films(Environment(EnvKind.COLD_PLATE_TOP, BoardKind.NONE), 0.01, 0.1, 0.002, 350.0, 320.0) == (
        Films.uniform(0.0)
    )


def _board_z_cells(pkg: Package, resolution: float) -> tuple[int, float, float]:
    """Cells across the mounted 2s2p board in z, its largest z cell and its thickness (m)."""
    from semipack.thermal.setup import mount, prescribed_board

    m = mount(pkg, prescribed_board(Environment()), resolution)
    z = np.asarray(m.grid.z)
    board = z[(z >= m.fixture.bbox.lo[2] - 1e-12) & (z <= m.board_top + 1e-12)]
    return len(board) - 1, float(np.diff(board).max()), m.board_top - m.fixture.bbox.lo[2]


def test_board_layers_take_coarser_z_cells_that_the_mesh_study_still_refines(monkeypatch: pytest.MonkeyPatch) -> None:
    from semipack.thermal import zcells

    pkg = example("dfn8")
    n1, h1, t = _board_z_cells(pkg, 1.0)
    n2, h2, _ = _board_z_cells(pkg, 2.0)
    assert h1 <= t / zcells.BOARD_Z_CELLS * (1 + 1e-9)
    assert h2 <= t / (2 * zcells.BOARD_Z_CELLS) * (1 + 1e-9)  # halved at resolution 2
    assert n2 > 1.5 * n1
    kinds = (EnvKind.STILL_AIR, EnvKind.RING_COLD_PLATE)
    coarse = [theta_of(pkg, k) for k in kinds]
    monkeypatch.setattr(zcells, "BOARD_Z_CELLS", 0)  # the package's z cell in the board too
    n_fine, _, _ = _board_z_cells(pkg, 1.0)
    assert n_fine > 1.3 * n1
    # The board's dielectric conducts nearly one-dimensionally in z: a few cells suffice.
    assert coarse == pytest.approx([theta_of(pkg, k) for k in kinds], rel=1e-3)


def theta_of(pkg: Package, kind: EnvKind) -> float:
    """theta-JA (still air) or theta-JB (ring cold plate) on the 2s2p board at resolution 1, C/W."""
    from semipack.thermal.metrics import metrics_of

    key = "theta_ja_c_per_w" if kind is EnvKind.STILL_AIR else "theta_jb_c_per_w"
    return float(metrics_of(solve_thermal(pkg, Environment(kind=kind, board=BoardKind.TWO_S2P)))[key])
