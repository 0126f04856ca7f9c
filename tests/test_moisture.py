"""Moisture: diffusion against Crank and a two-layer eigenfunction solution, conservation,
saturation, steam tables, J-STD-020/033 conditions, the CLI's bad input."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from conftest import cli
from scipy.optimize import brentq

from semipack.design import load_design
from semipack.errors import DesignError
from semipack.moisture import Exposure, Level, MslResult, estimate_msl, hygroscopic_load, moisture_analysis, soak
from semipack.moisture.conditions import peak_temperature_c, reflow_profile
from semipack.moisture.domain import package_domain
from semipack.moisture.interfaces import vapour_pressure_pa
from semipack.moisture.properties import TABLE, permeability
from semipack.moisture.solver import Domain, advance, geometric_steps
from semipack.moisture.steam import M_WATER_KG_MOL, R_J_MOLK, saturation_pressure_pa
from semipack.thermal.grid import Grid


def _slab(thicknesses: list[float], cells: int, capacities: list[float]) -> tuple[Grid, np.ndarray]:
    """A 1D column of layers (z), 1 mm x 1 mm in x-y; capacity per cell."""
    z = [0.0]
    cap: list[float] = []
    for t, k in zip(thicknesses, capacities, strict=True):
        z += list(z[-1] + np.linspace(0, t, cells + 1)[1:])
        cap += [k] * cells
    g = Grid((0.0, 1e-3), (0.0, 1e-3), tuple(z))
    return g, np.array(cap, dtype=float).reshape(g.shape)


def test_saturation_pressure_matches_iapws_if97_verification_values() -> None:
    # IAPWS-IF97 Table 35 (region 4) verification values.
    for t, p in ((300.0, 3.53658941e3), (500.0, 2.63889776e6), (600.0, 12.3443146e6)):
        assert saturation_pressure_pa(t) == pytest.approx(p, rel=2e-4)
    assert saturation_pressure_pa(373.15) == pytest.approx(101.418e3, rel=1e-4)


def test_plane_sheet_uptake_matches_crank() -> None:
    """Crank (1975) eq. 4.18 (sheet of thickness l, both faces at C0): M_t/M_inf = 1/2 at D t / l^2 = 0.04919."""
    l, d, k = 1e-3, 1e-12, 5.0
    g, cap = _slab([l], 100, [k])
    dom = Domain(g, cap, np.zeros(g.shape, bool), (False, False, True))
    full = dom.mass_kg(np.ones(g.shape))

    def crank(tau: float) -> float:
        n = np.arange(200)
        return float(1 - np.sum(8 / ((2 * n + 1) ** 2 * np.pi**2) * np.exp(-((2 * n + 1) ** 2) * np.pi**2 * tau)))

    assert crank(0.04919) == pytest.approx(0.5, abs=2e-4)
    t_end = 0.3 * l * l / d
    steps = geometric_steps(t_end, t_end * 1e-5, 1.05)
    ends = np.cumsum(steps)
    picks = {int(np.argmin(abs(ends - tau * l * l / d))) + 1: 0.0 for tau in (0.01, 0.04919, 0.2)}
    picks = {k: float(ends[k - 1]) for k in picks}
    _, snaps = advance(dom, np.zeros(g.shape), np.full(g.shape, d * k), 1.0, steps, picks)
    for t, a in snaps.items():
        assert dom.mass_kg(a) / full == pytest.approx(crank(d * t / l**2), rel=1e-3)


def _two_layer_modes(
    l1: float, l2: float, d1: float, d2: float, k1: float, k2: float, n: int
) -> list[tuple[float, ...]]:
    """Modes of the composite slab, a = 1 at x = 0 and sealed at x = l1 + l2 (Crank 1975, sec. 12.2).

    In layer i, K_i da/dt = D_i K_i a'': the modes are X = sin(q1 x) in layer 1 and
    b cos(q2 (L - x)) in layer 2, q_i = sqrt(lambda / D_i), with X and D K X' continuous at
    x = l1; they are orthogonal with weight K. Returns (lambda, coefficient of 1 = sum c X,
    q1, q2, b, K-weighted integral of X).
    """
    p1, p2 = d1 * k1, d2 * k2

    def f(lam: float) -> float:
        q1, q2 = math.sqrt(lam / d1), math.sqrt(lam / d2)
        return p1 * q1 * math.cos(q1 * l1) * math.cos(q2 * l2) - p2 * q2 * math.sin(q1 * l1) * math.sin(q2 * l2)

    lam_max = (n * math.pi) ** 2 * max(d1 / l1**2, d2 / l2**2) * 4
    grid = np.geomspace(1e-6 * min(d1 / l1**2, d2 / l2**2), lam_max, 200000)
    vals = [f(x) for x in grid]
    roots = [brentq(f, grid[i], grid[i + 1]) for i in range(len(grid) - 1) if vals[i] * vals[i + 1] < 0][:n]
    out = []
    for lam in roots:
        q1, q2 = math.sqrt(lam / d1), math.sqrt(lam / d2)
        b = math.sin(q1 * l1) / math.cos(q2 * l2)
        m1 = k1 * (1 - math.cos(q1 * l1)) / q1
        m2 = k2 * b * math.sin(q2 * l2) / q2
        n1 = k1 * (l1 / 2 - math.sin(2 * q1 * l1) / (4 * q1))
        n2 = k2 * b * b * (l2 / 2 + math.sin(2 * q2 * l2) / (4 * q2))
        out.append((lam, (m1 + m2) / (n1 + n2), q1, q2, b, m1 + m2))
    return out


def test_two_layer_wetness_continuity_matches_eigenfunction_solution() -> None:
    """A mould-like layer (exposed at x = 0) on an attach-like layer (sealed behind it).

    Different diffusivities and saturations: the activity (wetness) profile, continuous
    through the interface while the concentration jumps by K2/K1, and the uptake follow
    the composite-slab eigenfunction series.
    """
    l1, l2, d1, d2, k1, k2 = 0.4e-3, 0.1e-3, 3e-12, 2e-11, 6.0, 9.0
    n1 = n2 = 60
    modes = _two_layer_modes(l1, l2, d1, d2, k1, k2, 80)
    g0, cap0 = _slab([l1, l2], n1, [k1, k2])
    # One ambient cell below z = 0 exposes that face; every outer face is sealed.
    g = Grid(g0.x, g0.y, (-1e-6, *g0.z))
    cap = np.concatenate([np.zeros((1, 1, 1)), cap0], axis=2)
    amb = np.zeros(g.shape, bool)
    amb[0, 0, 0] = True
    perm = np.concatenate([[0.0], [d1 * k1] * n1, [d2 * k2] * n2]).reshape(g.shape)
    dom = Domain(g, cap, amb, (False, False, False))
    total = k1 * l1 + k2 * l2
    zc = g.centers[2][1:]
    t_end = 6e4
    steps = geometric_steps(t_end, 1.0, 1.08)
    ends = np.cumsum(steps)
    picks = {int(np.argmin(abs(ends - t))) + 1 for t in (2e3, 1e4, 4e4)}
    _, snaps = advance(dom, np.zeros(g.shape), perm, 1.0, steps, {k: float(ends[k - 1]) for k in picks})
    for t, a in snaps.items():
        uptake = 1 - sum(c * m * math.exp(-lam * t) for lam, c, _, _, _, m in modes) / total
        assert dom.mass_kg(a) / (total * 1e-6) == pytest.approx(uptake, rel=1e-3)

        def exact(x: float, t: float = t) -> float:
            return 1 - sum(
                c * (math.sin(q1 * x) if x < l1 else b * math.cos(q2 * (l1 + l2 - x))) * math.exp(-lam * t)
                for lam, c, q1, q2, b, _ in modes
            )

        col = a[0, 0, 1:]
        for idx in range(120):  # every cell of both layers, both sides of the interface
            assert col[idx] == pytest.approx(exact(zc[idx]), abs=2e-3)


def test_sealed_domain_conserves_mass_and_equilibrates() -> None:
    rng = np.random.default_rng(3)
    g = Grid(tuple(np.linspace(0, 2e-3, 7)), tuple(np.linspace(0, 2e-3, 6)), tuple(np.linspace(0, 1e-3, 9)))
    cap = rng.choice([0.0, 4.0, 12.0], size=g.shape, p=[0.2, 0.4, 0.4])
    perm = cap * rng.uniform(1e-12, 1e-11, size=g.shape)
    dom = Domain(g, cap, np.zeros(g.shape, bool), (False, False, False))
    a0 = rng.uniform(0, 1, size=g.shape)
    m0 = dom.mass_kg(a0)
    a, _ = advance(dom, a0, perm, 0.9, geometric_steps(1e9, 10.0, 1.3))
    assert dom.mass_kg(a) == pytest.approx(m0, rel=1e-8)
    # Connected permeable cells end at one activity (cells cut off keep theirs, so compare the spread of the bulk).
    act = dom.active
    assert np.percentile(a[act], 90) - np.percentile(a[act], 10) < 1e-6


def test_long_soak_saturates_every_polymer_at_its_own_concentration() -> None:
    pkg = load_design("examples/qfn32.yaml")
    pd = package_domain(pkg)
    r = moisture_analysis(pkg, Exposure(358.15, 0.85, 20000 * 3600.0, "long"), domain=pd)
    for itf in r.after_soak.interfaces:
        assert itf.activity == pytest.approx(0.85, abs=2e-3)
    # Saturated mould: C = C_sat(85/85) = wt * rho; swelling = CHS * wt.
    emc = TABLE["mold_compound"]
    rho = pkg.materials["mold_compound"].density_kg_m3
    conc = {i.name: i.concentration_kg_m3 for i in r.after_soak.interfaces}
    assert conc["die / mould"] == pytest.approx(emc.csat_mass_fraction * rho, rel=3e-3)
    sw = {s.material: s.strain for s in r.swelling}
    assert sw["mold_compound"] == pytest.approx(emc.chs * emc.csat_mass_fraction, rel=3e-3)


def test_bake_per_j_std_033_restores_a_saturated_part() -> None:
    """J-STD-033D Table 4-1: a <= 1.4 mm MSL-3 part saturated at 30 C/85 %RH is reset by 9 h at 125 C.

    After the bake the die-attach region holds no more than after a level-3 soak; 5 h
    (the table's 2a time) is not enough for level 3.
    """
    pkg = load_design("examples/qfn32.yaml")
    pd = package_domain(pkg)
    sat = Exposure(303.15, 0.85, 3000 * 3600.0, "saturated at 30 C/85 %RH")

    def die(r: object) -> float:
        return max(i.die_region_kg_m3 for i in r.at_peak.interfaces if i.die_region_kg_m3 is not None)  # type: ignore[attr-defined]

    level3 = die(moisture_analysis(pkg, Level.L3, domain=pd))
    assert die(moisture_analysis(pkg, sat, bake_hours=9.0, domain=pd)) < level3
    assert die(moisture_analysis(pkg, sat, bake_hours=5.0, domain=pd)) > level3


@pytest.fixture(scope="module")
def qfn_msl() -> MslResult:
    return estimate_msl(load_design("examples/qfn32.yaml"))


def test_msl_of_the_qfn_and_its_physics(qfn_msl: MslResult) -> None:
    r = qfn_msl
    assert r.msl in {lv.value for lv in Level} | {"6"}
    by = {c.level: c for c in r.checks}
    # Level 1 saturates the attach at 85 %RH: 0.2 wt% of 3800 kg/m^3 = 7.6 kg/m^3 > 4.8.
    assert not by[Level.L1].passed and "die-region moisture" in by[Level.L1].failures[0]

    def die(lv: Level) -> float:
        return max(i.die_region_kg_m3 for i in by[lv].result.at_peak.interfaces if i.die_region_kg_m3 is not None)

    # Same 30 C/60 %RH condition, longer soak: more moisture at the die.
    assert die(Level.L5A) < die(Level.L5) < die(Level.L4) < die(Level.L3) < die(Level.L2A)
    # The passing level is the first in order, and every stricter (later) level passes too here.
    order = list(Level)
    first = order.index(Level.parse(r.msl))
    assert all(by[lv].passed for lv in order[first:])
    # Peak pressures: at most saturated steam at 260 C.
    assert max(i.vapour_pressure_pa for i in by[Level.L3].result.at_peak.interfaces) <= saturation_pressure_pa(
        533.15
    ) * (1 + 1e-12)


def test_vapour_pressure_model() -> None:
    t, f = 533.15, 0.05
    low = 0.1  # kg/m^3: 2 kg/m^3 of vapour in the free volume, below saturation at 260 C
    assert vapour_pressure_pa(low, t, f) == pytest.approx(low / f * R_J_MOLK * t / M_WATER_KG_MOL)
    assert vapour_pressure_pa(5.0, t, f) == pytest.approx(saturation_pressure_pa(t))


def test_levels_and_conditions() -> None:
    # Levels 2a-5a soak at 30 C/60 %RH for the floor life plus 24 h (J-STD-020E Table 5-1).
    floor_h = {Level.L2A: 4 * 7 * 24, Level.L3: 168, Level.L4: 72, Level.L5: 48, Level.L5A: 24}
    for lv, h in floor_h.items():
        s = soak(lv)
        assert (s.temperature_k, s.rh, s.duration_s) == (pytest.approx(303.15), 0.60, pytest.approx((h + 24) * 3600))
    assert soak(Level.L1).rh == 0.85 and soak(Level.L2).rh == 0.60
    assert soak(Level.L3, accelerated=True).temperature_k == pytest.approx(333.15)
    with pytest.raises(DesignError, match="level"):
        Level.parse("7")
    with pytest.raises(DesignError, match="relative humidity"):
        Exposure(303.15, 1.1, 10.0)
    with pytest.raises(DesignError, match="0 h or more"):
        Exposure(303.15, 0.5, -10.0)
    assert peak_temperature_c(1.0e-3, 300e-9) == 260.0 and peak_temperature_c(3.0e-3, 3000e-9) == 245.0
    prof = reflow_profile(260.0)
    temps = [p[1] for p in prof]
    assert max(temps) == 260.0
    above = [p for p in prof if p[1] >= 217.0]
    assert 60.0 <= above[-1][0] - above[0][0] <= 150.0  # J-STD-020 time above liquidus


def test_composite_layers_scale_their_host_and_unknown_polymers_are_refused() -> None:
    pkg = load_design("examples/pbga.yaml")
    lib = pkg.materials
    host = permeability("bt_core", lib["bt_core"], lib)
    cu = permeability("sub_cu1_mix", lib["sub_cu1_mix"], lib)  # 40 % copper coverage
    assert cu.capacity_kg_m3 == pytest.approx(0.6 * host.capacity_kg_m3)
    assert not permeability("si", lib["si"], lib).permeable
    with pytest.raises(DesignError, match="no moisture data"):
        permeability("bt_core", lib["bt_core"], lib, table={})
    # A design-file material built on a library one ('base: thermal_glue') takes its data.
    user = load_design("examples/stack_user.yaml").materials
    tim = permeability("my_tim", user["my_tim"], user)
    assert tim.key == "my_tim" and tim.props is TABLE["thermal_glue"]


def test_hygroscopic_load_for_warpage() -> None:
    load = hygroscopic_load(load_design("examples/qfn32.yaml"), Level.L3)
    assert set(load) == {"mold_compound", "silver_epoxy"}
    emc = load["mold_compound"]
    assert 0 < emc.strain < TABLE["mold_compound"].chs * TABLE["mold_compound"].csat_mass_fraction
    assert emc.delta_t_equivalent_k == pytest.approx(
        emc.strain / load_design("examples/qfn32.yaml").materials["mold_compound"].cte_per_k
    )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--rh", "110%"), "--rh"),
        (("--time", "-5h"), "--time"),
        (("--level", "7"), "--level"),
        (("--bake", "-1h"), "--bake"),
        (("--peak", "700C"), "--peak"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], needle: str
) -> None:
    code, out, err = cli(capsys, "moisture", "examples/qfn32.yaml", *args)
    assert code == 2 and out == ""
    assert err.startswith("semipack: error: " + needle) and err.count("\n") == 1


def test_cli_moisture_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    plot = tmp_path / "m.svg"
    code, out, _ = cli(
        capsys, "moisture", "examples/qfn32.yaml", "--level", "2a", "--bake", "24h", "--json", "--plot", str(plot)
    )
    assert code == 0
    assert plot.read_text().lstrip().startswith("<?xml") and not list(tmp_path.glob(".*"))
    data = json.loads(out)
    assert data["bake"]["time_s"] == pytest.approx(24 * 3600)
    assert data["moisture_at_peak_kg"] < data["moisture_after_soak_kg"]
    assert {"interface", "wetness", "vapour_pressure_pa", "mismatch_strain"} <= set(data["at_peak"][0])


def test_study_output_msl(qfn_msl: MslResult, monkeypatch: pytest.MonkeyPatch) -> None:
    import semipack.moisture
    from semipack.study.analyses import ANALYSES, settings_for

    monkeypatch.setattr(semipack.moisture, "estimate_msl", lambda *a, **k: qfn_msl)
    a = ANALYSES["msl"]
    rec = a.run(load_design("examples/qfn32.yaml"), settings_for("msl", {"resolution": 0.5}, "analyses.msl"))
    assert set(rec) == set(a.keys)
    assert rec["msl_level"] == {"2a": 2.5, "5a": 5.5}.get(qfn_msl.msl, float(qfn_msl.msl))
    with pytest.raises(DesignError, match=r"analyses\.msl\.colour"):
        settings_for("msl", {"colour": "red"}, "analyses.msl")


def test_cli_msl_json(qfn_msl: MslResult, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import semipack.moisture

    monkeypatch.setattr(semipack.moisture, "estimate_msl", lambda *a, **k: qfn_msl)
    code, out, _ = cli(capsys, "msl", "examples/qfn32.yaml", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["msl"] == qfn_msl.msl and [lv["level"] for lv in data["levels"]] == [lv.value for lv in Level]
    assert {"msl_level", "die_region_level3_kg_m3", "weight_gain_level1"} <= set(data)
    code, _, err = cli(capsys, "msl", "examples/qfn32.yaml", "--adhesion", "-1MPa")
    assert code == 2 and err.startswith("semipack: error: --adhesion")
