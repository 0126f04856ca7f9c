"""The fcbga family: a flip-chip die on a build-up substrate, bare or lidded.

Structure and validation on the two examples and a small variant; physics (energy
balance, the lid, TIM1, the board) on the small variant at a coarse grid; every command
the issue names through the CLI, in-process.
"""

from __future__ import annotations

import dataclasses
import json
import math
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from conftest import cli, example

from semipack.design import build_design, load_design
from semipack.errors import DesignError
from semipack.export.kicad import footprint
from semipack.families.fcbga import build
from semipack.families.fcbga_params import DEFAULT_CAPACITORS, FcbgaParams
from semipack.families.laminate import thickness
from semipack.families.params import parse_params
from semipack.geometry import Ball, Cylinder
from semipack.materials import default_library
from semipack.model import Package, Role, summarize
from semipack.thermal import BoardKind, Environment, EnvKind, ThermalResult, solve_thermal

# A 15 mm lidded part with 0.4 mm bumps: every feature, a few hundred bodies.
SMALL: dict[str, Any] = {
    "body_x": "15 mm",
    "body_y": "15 mm",
    "die_x": "6 mm",
    "die_y": "6 mm",
    "die_power": "5 W",
    "bumps": {"pitch": "0.4 mm", "diameter": "0.2 mm", "height": "0.12 mm"},
    "signals": 40,
    "lid": {"foot_width": "1.5 mm"},
    "capacitors": [{"x": "-4.5 mm", "y": "-0.5 mm", "rotated": True}],  # on the default cut
}
RES = 0.3  # coarse grid for the physics checks (comparisons on the same grid)


def fcbga(params: dict[str, Any] | None = None, **design: Any) -> Package:
    return build_design({"family": "fcbga", "name": "t", "parameters": {**SMALL, **(params or {})}, **design})


@cache
def small() -> Package:
    return fcbga()


def cold_plate_top(pkg: Package) -> ThermalResult:
    r = solve_thermal(pkg, Environment(EnvKind.COLD_PLATE_TOP, BoardKind.NONE), resolution=RES)
    assert r.energy_balance_rel < 1e-8
    return r


def theta_jc_top(pkg: Package) -> float:
    r = cold_plate_top(pkg)
    return (r.tj_max_k - r.environment.ambient_k) / r.power_w


@cache
def small_on_cold_plate() -> ThermalResult:
    return cold_plate_top(small())


def theta_jc_top_small() -> float:
    r = small_on_cold_plate()
    return (r.tj_max_k - r.environment.ambient_k) / r.power_w


def z(pkg: Package, name: str) -> tuple[float, float]:
    bb = pkg.body(name).solid.bbox
    return bb.lo[2], bb.hi[2]


# ---------------------------------------------------------------- structure


def test_default_is_a_lidded_35mm_1156_ball_fcbga() -> None:
    pkg = example("fcbga_lid")
    s = summarize(pkg)
    assert s.terminal_count == 1156 and s.terminal_pitch_m == pytest.approx(1.0e-3)
    assert (s.body_x_m, s.body_y_m) == pytest.approx((35e-3, 35e-3))
    assert (s.die_x_m, s.die_y_m) == pytest.approx((12e-3, 12e-3))
    assert len(pkg.by_role(Role.BUMP)) == 60 * 60
    assert sum(h.power_w for h in pkg.heat_sources) == pytest.approx(25.0)
    p = FcbgaParams()
    t_sub = thickness(p.stackup)
    assert len(p.stackup.copper) == 8 and t_sub == pytest.approx(8 * 15e-6 + 0.8e-3 + 6 * 30e-6 + 2 * 20e-6)
    # Die on its bumps, TIM1 on the die, the lid's top plate on TIM1, its foot on the adhesive.
    assert z(pkg, "die")[0] == pytest.approx(t_sub + 80e-6)
    assert z(pkg, "tim1") == pytest.approx((z(pkg, "die")[1], z(pkg, "die")[1] + 50e-6))
    assert z(pkg, "lid")[0] == pytest.approx(z(pkg, "tim1")[1])
    assert z(pkg, "lid_adhesive_s") == pytest.approx((t_sub, t_sub + 50e-6))
    assert z(pkg, "lid_foot_s") == pytest.approx((z(pkg, "lid_adhesive_s")[1], z(pkg, "lid")[0]))
    roles = {b.name: (b.role, b.label) for b in pkg.bodies}
    assert roles["lid"] == (Role.HEAT_SPREADER, "lid") and roles["tim1"] == (Role.THERMAL_GLUE, "TIM1")
    assert roles["lid_adhesive_n"][0] is Role.ADHESIVE and roles["die"][0] is Role.DIE
    uf = pkg.body("underfill")
    assert uf.is_filler and all(b.solid.bbox.lo[2] >= uf.solid.bbox.lo[2] for b in pkg.by_role(Role.BUMP))
    assert dict(pkg.features) == {
        "lid": True, "underfill": True, "capacitors": 8, "bumps": 3600, "balls": 1156,
        "copper_layers": 8, "thermal_vias": 900, "pin_map": False,
    }  # fmt: skip


def test_the_lid_cavity_is_left_empty_and_caps_stand_in_it() -> None:
    pkg = example("fcbga_lid")
    zc = (z(pkg, "lid_adhesive_s")[0] + z(pkg, "lid")[0]) / 2
    # Between the fillet (6.5 mm) and the foot (15 mm): air, except where a capacitor stands.
    pts = np.array([[x, -5e-3, zc] for x in np.linspace(7e-3, 14.5e-3, 16)])
    assert not any(b.solid.contains(pts).any() for b in pkg.bodies)
    caps = [b for b in pkg.by_role(Role.PASSIVE) if b.material == "mlcc_x7r"]
    assert len(caps) == 8 and all(b.net is None for b in caps)
    assert all(b.solid.bbox.hi[2] < z(pkg, "lid")[0] for b in caps)
    # The default cut goes through a bump row and a ball row (and the side capacitors).
    axis, y = pkg.section_hint
    assert axis == "y"
    assert any(abs(b.solid.bbox.lo[1] + 0.055e-3 - y) < 1e-9 for b in pkg.by_role(Role.BUMP))
    assert any(abs(b.solid.center[1] - y) < 0.15e-3 for b in pkg.by_role(Role.BALL) if isinstance(b.solid, Ball))
    assert any(b.solid.bbox.lo[1] <= y <= b.solid.bbox.hi[1] for b in caps)


def test_bare_die_with_land_side_capacitors_in_a_depopulated_centre() -> None:
    pkg = example("fcbga_bare")
    names = {b.name for b in pkg.bodies}
    assert not {"lid", "tim1", "lid_foot_n"} & names and not pkg.features["lid"]
    assert {"ball_K10", "ball_L11"}.isdisjoint(names) and "ball_K8" in names
    seat = min(b.solid.bbox.lo[2] for b in pkg.by_role(Role.BALL))
    low = [b for b in pkg.bodies if b.name.startswith(("cap5", "cap6"))]
    # Under the substrate, above the seating plane; the lands reach up through the mask's openings.
    mask = pkg.body("sub_mask_bottom").solid.bbox.hi[2]
    top = {b.name: mask if b.role is Role.LAND else 0.0 for b in low}
    assert low and all(seat + 50e-6 <= b.solid.bbox.lo[2] and b.solid.bbox.hi[2] <= top[b.name] for b in low)
    assert summarize(pkg).terminal_count == 400 - 8
    # Each termination is on its supply net and reaches it through the substrate.
    nets = {n.name: n for n in pkg.nets}
    assert ("cap5_land_a", "cap5_term_a") in nets["VDD"].edges and ("cap5_land_b", "cap5_term_b") in nets["VSS"].edges
    assert any(r.b == "cap5_land_a" for r in nets["VDD"].routes)


@pytest.mark.parametrize("name", ["fcbga_lid", "fcbga_bare"])
def test_each_bump_stands_on_its_pad_in_the_top_mask(name: str) -> None:
    """A bump wets a pad in its opening of the top solder mask, as wide as the bump's foot,
    from the top copper layer up to the mask's face; the net runs die pad -> bump -> pad
    and the substrate's routes start at the pad. The capacitors' lands fill their
    openings too, down (up) to the outer copper."""
    pkg = example(name)
    mask, cu1 = pkg.body("sub_mask_top").solid.bbox, pkg.body("sub_cu1").solid.bbox
    cu_bottom = min((b for b in pkg.bodies if b.name.startswith("sub_cu")), key=lambda b: b.solid.bbox.lo[2])
    pads = {b.name: b for b in pkg.bodies if b.name.startswith("pad_")}
    bumps = pkg.by_role(Role.BUMP)
    assert len(pads) == len(bumps) > 0
    for b in bumps:
        pad, ball = pads[b.name.replace("bump_", "pad_")], b.solid
        assert isinstance(ball, Ball) and isinstance(pad.solid, Cylinder)
        foot = math.sqrt(ball.radius**2 - (ball.center[2] - ball.z0) ** 2)
        assert pad.role is Role.LAND and pad.net == b.net and pad.solid.center == ball.center[:2]
        assert pad.solid.radius == pytest.approx(foot, rel=1e-12)
        assert (pad.solid.z0, pad.solid.z1) == pytest.approx((cu1.hi[2], ball.z0), abs=1e-12)
        assert (mask.lo[2], mask.hi[2]) == pytest.approx((pad.solid.z0, pad.solid.z1), abs=1e-12)
    edges = {e for n in pkg.nets for e in n.edges}
    assert all((b.name, b.name.replace("bump_", "pad_")) in edges for b in bumps)
    assert not any(r.a.startswith("bump_") for n in pkg.nets for r in n.routes)
    cap_lands = [b.solid.bbox for b in pkg.by_role(Role.LAND) if "_land_" in b.name]
    assert cap_lands
    for bb in cap_lands:
        top = bb.lo[2] > mask.lo[2] - 1e-9
        assert bb.lo[2] == pytest.approx(cu1.hi[2]) if top else bb.hi[2] == pytest.approx(cu_bottom.solid.bbox.lo[2])


def test_without_a_solder_mask_the_bumps_stand_on_the_copper() -> None:
    """No mask, no openings: the bumps meet the top copper layer and the routes start at them."""
    pkg = fcbga({"stackup": {"solder_mask_thickness": None}})
    assert not [b for b in pkg.bodies if b.name.startswith("pad_")]
    cu1 = pkg.body("sub_cu1").solid.bbox
    assert all(b.solid.bbox.lo[2] == pytest.approx(cu1.hi[2], abs=1e-12) for b in pkg.by_role(Role.BUMP))
    assert all(r.a.startswith("bump_") for n in pkg.nets for r in n.routes if not r.a.startswith("cap"))


def test_the_heat_into_the_substrate_does_not_cross_the_top_mask() -> None:
    """With the bumps on their pads, the bare variant's top mask made of air instead of
    epoxy moves its theta-JC(bottom) by 0.1 % (3.457 against 3.461 C/W at resolution 0.3),
    and made of copper, the most a mask could pass, by -6 % (3.235: a solid sheet spreads).
    With the bumps standing on the mask, as the family built them before, the variant read
    16.0 C/W, 74.0 with the mask of air and 3.27 with it of copper."""
    env = Environment(EnvKind.COLD_PLATE_BOTTOM, board=BoardKind.NONE)
    pkg = fcbga({"lid": None})
    theta = []
    for mask in ("solder_mask", "air", "cu_plated"):
        bodies = tuple(dataclasses.replace(b, material=mask) if b.name == "sub_mask_top" else b for b in pkg.bodies)
        out = solve_thermal(dataclasses.replace(pkg, bodies=bodies), env, resolution=RES)
        theta.append((out.tj_max_k - env.ambient_k) / out.power_w)
    assert theta[1] == pytest.approx(theta[0], rel=5e-3)
    assert theta[2] < theta[0] < 1.1 * theta[2]


def test_signals_take_the_outer_bumps_and_supplies_the_rest() -> None:
    pkg = small()
    pads = {p.name: p for p in pkg.pads}
    signal = [p for p in pads.values() if p.net.startswith("S")]
    supply = [p for p in pads.values() if p.net in ("VDD", "VSS")]
    assert len(signal) == 40 and len(signal) + len(supply) == len(pkg.by_role(Role.BUMP)) == 15 * 15
    edge = 5.6e-3 / 2  # the outer ring of a 15 x 15 array at 0.4 mm
    assert all(max(abs(p.xy[0]), abs(p.xy[1])) == pytest.approx(edge) for p in signal)


def test_power_blocks_and_grid_add_to_the_die_power() -> None:
    pkg = fcbga(
        {
            "die_power": "2 W",
            "power_blocks": [
                {"name": "serdes", "power": "1.5 W", "x0": "-3 mm", "y0": "-3 mm", "x1": "-1 mm", "y1": "3 mm"}
            ],
            "power_grid_w": [[0.5, 0.0], [0.25, 0.25]],
        }
    )
    heat = pkg.heat_sources
    assert sum(h.power_w for h in heat) == pytest.approx(4.5)
    regions = [h.region for h in heat if h.region is not None]
    assert len(regions) == 4 and all(-3e-3 - 1e-12 <= r[0] < r[2] <= 3e-3 + 1e-12 for r in regions)


def test_pin_map_from_a_csv_file(tmp_path: Path) -> None:
    rows = ["name,x_mm,y_mm,net,role"]
    for i, x in enumerate((-6.0, -5.0, 5.0, 6.0)):
        for j, y in enumerate((-6.0, 6.0)):
            role = "power" if (i + j) % 2 == 0 else "ground"
            rows.append(f"P{i}{j},{x},{y},{'VCC' if role == 'power' else 'GND'},{role}")
    rows += ["IO1,0,-6,IO1,signal", "NC1,0,6,,nc"]
    (tmp_path / "pins.csv").write_text("\n".join(rows) + "\n")
    design = {"family": "fcbga", "name": "pm", "parameters": {**SMALL, "pin_map": "pins.csv", "capacitors": []}}
    (tmp_path / "d.yaml").write_text(yaml.safe_dump(design))
    pkg = load_design(tmp_path / "d.yaml")
    nets = {n.name for n in pkg.nets}
    assert nets == {"VCC", "GND", "IO1"} and pkg.body("ball_NC1").net is None
    assert {p.net for p in pkg.pads} == {"VCC", "GND", "IO1"}
    (tmp_path / "pins.csv").write_text("\n".join([*rows, "IO1,1,1,IO2,signal"]) + "\n")
    with pytest.raises(DesignError, match=r"parameters\.pin_map\.10\.name.*duplicate"):
        load_design(tmp_path / "d.yaml")


# ---------------------------------------------------------------- physics


def test_the_lid_lowers_theta_jc_top_against_a_low_k_lid() -> None:
    low_k = fcbga(
        materials={"lid_low_k": {"base": "cu_rolled", "k": ["1 W/m/K", "test: a lid of low-k material"]}},
        overrides={"lid": {"material": "lid_low_k"}, "lid_foot_*": {"material": "lid_low_k"}},
    )
    cu = theta_jc_top_small()
    assert 0 < cu < theta_jc_top(low_k)


def test_the_sealed_cavity_conducts_as_still_air() -> None:
    pkg, r = small(), small_on_cold_plate()
    cx, cy, cz = r.grid.centers
    z_mid = (z(pkg, "lid_adhesive_s")[0] + z(pkg, "lid")[0]) / 2
    i, j, k = (int(np.argmin(abs(c - v))) for c, v in ((cx, 5e-3), (cy, 3e-3), (cz, z_mid)))
    point = np.array([[cx[i], cy[j], cz[k]]])
    assert not any(b.solid.contains(point).any() for b in pkg.bodies)  # no body: the cavity's air
    assert r.conducting[i, j, k]  # kept in the stencil as still air, not cut out as ambient


def test_thicker_tim1_raises_theta_jc_top() -> None:
    thick = fcbga({"lid": {"foot_width": "1.5 mm", "tim1_bond_line": "150 um"}})
    t50, t150 = theta_jc_top_small(), theta_jc_top(thick)
    # The extra 100 um of a 3 W/m/K TIM over the 6 x 6 mm die adds at most its plane-wall resistance.
    wall = 100e-6 / (3.0 * 36e-6)
    assert t50 < t150 <= t50 + wall * 1.01


# ---------------------------------------------------------------- commands


@pytest.fixture(scope="module")
def small_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fcbga") / "small.yaml"
    params = {**SMALL, "depopulate": ["A1", "G7"]}
    path.write_text(yaml.safe_dump({"family": "fcbga", "name": "small", "parameters": params}))
    return path


def test_new_template_round_trips(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "new", "fcbga")
    assert code == 0 and "lid:" in out and "tim1_bond_line: 50 um" in out and "size: 0402" in out
    params = parse_params(FcbgaParams, yaml.safe_load(out)["parameters"])
    assert params.capacitors is None  # the default capacitors, placed for the die
    # Uncommenting the example entry in place of the null gives a capacitor list that loads.
    lines = out.splitlines()
    i = lines.index(next(line for line in lines if line.startswith("  capacitors: null")))
    j = i + 1
    while lines[j].startswith("#   "):
        j += 1
    edited = [*lines[:i], *(line[2:] for line in lines[i + 1 : j]), *lines[j:]]
    params = parse_params(FcbgaParams, yaml.safe_load("\n".join(edited))["parameters"])
    assert params.capacitors is not None and len(params.capacitors) == 1
    assert params.capacitors[0].size == DEFAULT_CAPACITORS[0].size  # YAML's octal 0402 read back
    assert params.lid is not None and params.lid.tim1_bond_line == pytest.approx(50e-6)


def test_show_draw_and_claims(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, examples_dir: Path, small_file: Path
) -> None:
    code, out, err = cli(capsys, "show", str(examples_dir / "fcbga_bare.yaml"), "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["valid"] and doc["terminal_count"] == 392 and doc["body_x_m"] == pytest.approx(21e-3)
    assert cli(capsys, "draw", str(small_file), "-o", str(tmp_path / "s.svg"))[0] == 0
    text = (tmp_path / "s.svg").read_text()
    ET.fromstring(text)
    for label in ("lid", "TIM1", "lid adhesive", "underfill", "solder bump", "air cavity", "capacitor (MLCC)"):
        assert label in text, label
    assert cli(capsys, "draw", str(small_file), "--top", "-o", str(tmp_path / "t.png"))[0] == 0
    assert (tmp_path / "t.png").read_bytes()[:4] == b"\x89PNG"
    code, out, err = cli(capsys, "claims", str(small_file), "--format", "json")
    assert code == 0, err
    assert json.loads(out)


def test_export_kicad_leaves_depopulated_sites_out_and_step(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, small_file: Path
) -> None:
    pkg = load_design(small_file)
    name, text = footprint(pkg)
    assert name == "BGA-194_15.0x15.0mm_Layout14x14_P1.0mm"
    pads = {p.split('"')[1] for p in text.split("(pad ")[1:]}
    assert len(pads) == 194 and "A1" not in pads and "G7" not in pads and {"A2", "G6", "P14"} <= pads
    step = tmp_path / "small.step"
    code, _, err = cli(capsys, "export", str(small_file), "--format", "step", "-o", str(step))
    assert code == 0, err
    assert step.read_bytes().startswith(b"ISO-10303-21") and b"lid_foot_n" in step.read_bytes()


def test_nets_and_warpage(capsys: pytest.CaptureFixture[str], small_file: Path) -> None:
    code, out, err = cli(capsys, "nets", str(small_file), "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["opens"] == [] and doc["shorts"] == []
    by = {n["net"]: n for n in doc["nets"]}
    assert by["VDD"]["pads"] > 50 and by["S1"]["pads"] == 1 and by["S1"]["terminals"] == 1
    code, out, err = cli(capsys, "warpage", str(small_file), "--method", "clt", "--json")
    assert code == 0, err
    points = json.loads(out)["points"]
    assert len(points) > 5 and all(math.isfinite(p["warpage_um"]) for p in points)


def test_thermal_jedec_json_and_the_1s_board(capsys: pytest.CaptureFixture[str], small_file: Path) -> None:
    code, out, err = cli(capsys, "thermal", str(small_file), "--jedec", "--json", "--resolution", str(RES))
    assert code == 0, err
    doc = json.loads(out)
    assert doc["energy_balance_rel"] < 1e-8
    assert 0 < doc["theta_jc_top_c_per_w"] < doc["theta_jc_bottom_c_per_w"]
    assert 0 < doc["theta_jb_c_per_w"] < doc["theta_ja_c_per_w"]
    code, out, err = cli(capsys, "thermal", str(small_file), "--board", "1s", "--json", "--resolution", str(RES))
    assert code == 0, err
    one_s = json.loads(out)
    assert one_s["energy_balance_rel"] < 1e-8
    assert one_s["theta_ja_c_per_w"] > doc["theta_ja_c_per_w"]  # one signal layer spreads less than 2s2p's planes


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"die_x": "14.5 mm"}, "die_x"),  # die + fillet off the body
        ({"die_y": "11 mm"}, "die_y"),  # die + fillet inside the lid walls?
        ({"body_y": "-15 mm"}, "body_y"),
        ({"die_thickness": "0 mm"}, "die_thickness"),
        ({"die_material": "unobtainium"}, "die_material"),
        ({"die_power": "-1 W"}, "die_power"),
        ({"underfill_material": "unobtainium"}, "underfill_material"),
        ({"land_thickness": "0 um"}, "land_thickness"),
        ({"land_diameter": "0.7 mm"}, "land_diameter"),
        ({"ball_material": "unobtainium"}, "ball_material"),
        ({"ball_count_y": 1}, "ball_count_y"),
        ({"ball_rows": 8}, "ball_rows"),
        ({"bumps": {"material": "unobtainium"}}, "bumps.material"),
        ({"lid": {"size_y": "20 mm"}}, "lid.size_y"),
        ({"lid": {"top_thickness": "0 mm"}}, "lid.top_thickness"),
        ({"lid": {"adhesive_material": "unobtainium"}}, "lid.adhesive_material"),
        ({"lid": {"tim1_material": "unobtainium"}}, "lid.tim1_material"),
        ({"capacitors": [{"face": "left"}]}, "capacitors.0.face"),
        ({"capacitors": [{"rotated": "yes"}]}, "capacitors.0.rotated"),
        ({"die_x": "11 mm"}, "die_x"),  # die + fillet inside the lid walls?
        ({"lid": {"size_x": "16 mm"}}, "lid.size_x"),
        ({"lid": {"foot_width": "8 mm"}}, "lid.foot_width"),
        ({"lid": {"adhesive_bond_line": "0.9 mm"}}, "lid.adhesive_bond_line"),
        ({"lid": {"tim1_bond_line": "0 um"}}, "lid.tim1_bond_line"),
        ({"lid": {"material": "unobtainium"}}, "lid.material"),
        ({"bumps": {"pitch": "7 mm"}}, "bumps.pitch"),
        ({"bumps": {"diameter": "0.5 mm"}}, "bumps.diameter"),
        ({"bumps": {"height": "0.3 mm"}}, "bumps.height"),
        ({"bumps": {"diameter": "0.11 mm", "height": "0.11 mm"}}, "bumps.height"),  # on a point: no foot
        ({"bumps": {"pitch": "2 mm", "diameter": "0.2 mm"}, "signals": 40}, "bumps.pitch"),
        ({"capacitors": [{"x": "2 mm", "y": "0 mm"}]}, "capacitors.0.x"),  # on the die
        ({"capacitors": [{"x": "6.3 mm", "y": "0 mm"}]}, "capacitors.0.x"),  # on the lid foot
        ({"capacitors": [{"x": "-4.5 mm", "y": "0 mm", "height": "0.9 mm"}]}, "capacitors.0.height"),
        (
            {"capacitors": [{"x": "0 mm", "y": "0 mm", "face": "bottom", "height": "0.2 mm"}]},
            "capacitors.0.x",
        ),  # on a ball
        ({"capacitors": [{"x": "-4.5 mm", "y": "0 mm", "net_a": "VCCO"}]}, "capacitors.0.net_a"),
        ({"capacitors": [{"x": "-4.5 mm", "y": "0 mm"}, {"x": "-4.5 mm", "y": "0.5 mm"}]}, "capacitors.1.x"),
        ({"capacitors": [{"x": "-4.5 mm", "y": "0 mm", "size": "1206"}]}, "capacitors.0.size"),
        ({"thermal_vias": {"drill": "0.4 mm"}}, "thermal_vias.drill"),
        ({"thermal_vias": {"count_x": 40}}, "thermal_vias.count_x"),
        ({"stackup": {"copper": [{"coverage": 0.5}] * 3}}, "stackup.copper"),
        ({"ball_count_x": 16}, "ball_count_x"),
        ({"ball_diameter": "1.1 mm"}, "ball_diameter"),
        ({"depopulate": ["ZZ99"]}, "depopulate"),
        ({"signals": 190}, "signals"),
        ({"underfill_fillet": "-1 mm"}, "underfill_fillet"),
        ({"power_blocks": [{"name": "hot", "power": "1 W", "x0": "2 mm", "x1": "4 mm"}]}, "power_blocks.0"),
        ({"power_grid_w": [[1.0, 2.0], [1.0]]}, "power_grid_w.1"),
        (
            {"pin_map": [{"name": "A1", "x": "0 mm", "y": "0 mm"}, {"name": "A2", "x": "0.3 mm", "y": "0 mm"}]},
            "pin_map.1",
        ),
        ({"pin_map": [{"name": "A1", "x": "0 mm", "y": "0 mm"}], "capacitors": []}, "pin_map"),  # no supply
        ({"ball_pitch": "0.12 mm", "ball_diameter": "0.06 mm", "land_diameter": "0.05 mm"}, "ball_pitch"),
    ],
)
def test_bad_values_are_one_line_errors_naming_the_field(params: dict[str, Any], field: str) -> None:
    with pytest.raises(DesignError) as info:
        fcbga(params)
    msg = str(info.value)
    assert msg.startswith(f"parameters.{field}:") and "\n" not in msg, msg


# ---------------------------------------------------------------- defaults on other bodies


def plain(**params: Any) -> Package:
    """An fcbga from its own defaults plus ``params`` only (not the SMALL variant)."""
    return build_design({"family": "fcbga", "name": "t", "parameters": params})


def test_defaults_on_the_35mm_body_are_the_600_signals_and_eight_capacitors() -> None:
    """The scaled defaults leave the 35 mm default exactly as the explicit 600 signals and eight capacitors."""
    base = FcbgaParams(lid=None)
    a = build(base, default_library(), "t")
    b = build(dataclasses.replace(base, signals=600, capacitors=DEFAULT_CAPACITORS), default_library(), "t")
    assert [(x.name, x.solid, x.net) for x in a.bodies] == [(x.name, x.solid, x.net) for x in b.bodies]
    assert sum(1 for n in a.nets if n.name.startswith("S")) == 600


@pytest.mark.parametrize(("body", "die"), [("10 mm", "4 mm"), ("15 mm", "5 mm"), ("17 mm", "6 mm"), ("20 mm", "8 mm")])
def test_a_smaller_body_builds_from_the_defaults(body: str, die: str) -> None:
    pkg = plain(body_x=body, body_y=body, die_x=die, die_y=die, **({"lid": None} if body == "10 mm" else {}))
    balls = [b for b in pkg.bodies if b.role is Role.BALL]
    signals = [n for n in pkg.nets if n.name.startswith("S")]
    bumps = sum(1 for b in pkg.bodies if b.role is Role.BUMP)
    # Three in four of the balls at most, and a bump for each signal besides VDD and VSS.
    assert 0 < len(signals) <= len(balls) - math.ceil(len(balls) / 4) and len(signals) <= bumps - 2
    assert pkg.features["capacitors"] == 8


def test_too_many_signals_names_the_field_and_its_range() -> None:
    with pytest.raises(DesignError) as e:
        plain(body_x="15 mm", body_y="15 mm", die_x="5 mm", die_y="5 mm", signals=600)
    assert e.value.field == "parameters.signals" and "0 to 147" in str(e.value) and "\n" not in str(e.value)


def test_default_capacitors_that_do_not_fit_name_capacitors_and_the_fix() -> None:
    small_lid = {"body_x": "12 mm", "body_y": "12 mm", "die_x": "3 mm", "die_y": "3 mm"}
    with pytest.raises(DesignError) as e:
        plain(**small_lid)
    assert e.value.field == "parameters.capacitors" and "capacitors: []" in str(e.value)
    assert "\n" not in str(e.value)
    assert plain(**small_lid, capacitors=[]).features["capacitors"] == 0
