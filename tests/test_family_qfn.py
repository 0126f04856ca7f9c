"""The generic QFN and DFN families: outline, pin numbering, pin maps, bad input, CLI, physics."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import EXAMPLES, build, cli, example

from semipack.design import load_design
from semipack.errors import DesignError
from semipack.export.kicad import footprint, lands
from semipack.families import get_family
from semipack.families.params import parse_params, template
from semipack.families.pinmap import PinEntry, PinRole, format_pin_csv
from semipack.families.qfn_params import EP, QfnParams
from semipack.families.qfn_pins import lead_sites, pin_entries
from semipack.model import Package, Role, summarize
from semipack.thermal.environment import BoardKind, Environment, EnvKind
from semipack.thermal.steady import solve_thermal

COARSE = 0.3  # thermal grid resolution for tests: physics signs and balances, not data-sheet numbers


def centre(pkg: Package, name: str) -> tuple[float, float]:
    bb = pkg.body(name).solid.bbox
    return (bb.lo[0] + bb.hi[0]) / 2, (bb.lo[1] + bb.hi[1]) / 2


# --- outline and numbering -------------------------------------------------------------------------


def test_default_qfn32_outline() -> None:
    pkg = example("qfn32")
    s = summarize(pkg)
    assert (s.body_x_m, s.body_y_m) == (pytest.approx(5e-3), pytest.approx(5e-3))
    assert s.total_height_m == pytest.approx(0.85e-3)
    assert s.terminal_count == 32 and s.terminal_pitch_m == pytest.approx(0.5e-3)
    assert dict(pkg.features) == {
        "exposed_pad": True,
        "sides": 4,
        "leads": 32,
        "connected_leads": 32,
        "pull_back": False,
        "down_bonds": False,
        "pin_map": "default",
    }
    pad = pkg.body("paddle")
    assert pad.role is Role.DIE_PADDLE and pad.solid.bbox.lo[2] == 0.0  # exposed at the seating plane
    assert pad.solid.bbox.size[0] == pytest.approx(3.5e-3)
    for lead in pkg.by_role(Role.LEAD):
        bb = lead.solid.bbox
        assert bb.lo[2] == 0.0  # flush with the bottom
        assert max(abs(bb.lo[0]), abs(bb.hi[0]), abs(bb.lo[1]), abs(bb.hi[1])) == pytest.approx(2.5e-3)  # sawn edge
    assert len(pkg.by_role(Role.WIRE)) == 32 and len(pkg.pads) == 32
    assert {b.label for b in pkg.bodies} == {
        "lead",
        "exposed die pad",
        "die attach",
        "die",
        "bonding wire",
        "mould compound",
    }
    assert math.fsum(h.power_w for h in pkg.heat_sources) == pytest.approx(0.5)


def test_pins_counter_clockwise_from_top_of_left_side() -> None:
    pkg = example("qfn32")
    x1, y1 = centre(pkg, "lead1")
    _, y8 = centre(pkg, "lead8")
    assert x1 < -2e-3 and y1 == pytest.approx(1.75e-3) and y8 == pytest.approx(-1.75e-3)  # down the left side
    x9, y9 = centre(pkg, "lead9")
    assert y9 < -2e-3 and x9 == pytest.approx(-1.75e-3)  # bottom side, from the left
    x17, y17 = centre(pkg, "lead17")
    assert x17 > 2e-3 and y17 == pytest.approx(-1.75e-3)  # right side, from the bottom
    x25, y25 = centre(pkg, "lead25")
    assert y25 > 2e-3 and x25 == pytest.approx(1.75e-3)  # top side, from the right
    angles = [math.atan2(*reversed(centre(pkg, f"lead{k}"))) for k in range(1, 33)]
    steps = [(b - a) % (2 * math.pi) for a, b in itertools.pairwise(angles)]
    assert all(0 < d < math.pi / 2 for d in steps)  # always counter-clockwise seen from the top


def test_default_dfn8_outline() -> None:
    pkg = example("dfn8")
    s = summarize(pkg)
    assert s.terminal_count == 8 and s.total_height_m == pytest.approx(0.75e-3)
    assert pkg.family == "dfn" and pkg.features["sides"] == 2
    xs = [centre(pkg, f"lead{k}") for k in range(1, 9)]
    assert all(x < 0 for x, _ in xs[:4]) and all(x > 0 for x, _ in xs[4:])
    assert xs[0][1] > xs[3][1] and xs[4][1] < xs[7][1]  # 1..4 down the left, 5..8 up the right
    pad = pkg.body("paddle").solid.bbox.size
    assert (pad[0], pad[1]) == (pytest.approx(1.65e-3), pytest.approx(2.38e-3))


def test_rectangular_body_fine_pitch_pull_back_plating_down_bonds() -> None:
    pkg = build(
        "qfn",
        body_x="7 mm",
        body_y="5 mm",
        lead_pitch="0.4 mm",
        lead_width="0.2 mm",
        leads_per_side_x=14,
        leads_per_side_y=9,
        pad_x="5 mm",
        pad_y="3.2 mm",
        die_x="4 mm",
        die_y="2.4 mm",
        pull_back="0.1 mm",
        plating_material="ag",
        down_bonds=True,
    )
    assert summarize(pkg).terminal_count == 46
    assert pkg.features["pull_back"] and pkg.features["down_bonds"]
    edge = max(max(abs(v) for v in (b.solid.bbox.lo[0], b.solid.bbox.hi[0])) for b in pkg.by_role(Role.LEAD))
    assert edge == pytest.approx(3.5e-3 - 0.1e-3)  # pulled back from the sawn edge
    vss = next(n for n in pkg.nets if n.name == "VSS")
    assert "paddle" in vss.nodes and any(a.startswith("downbond") for a, _ in vss.edges)
    assert pkg.body("paddle").net == "VSS"
    assert len(pkg.by_role(Role.LAND)) == 46  # spot plating under every stitch
    # The KiCad toe still reaches past the sawn edge.
    ld, _, _ = lands(pkg)
    assert max(abs(land.x_mm) + land.w_mm / 2 for land in ld if land.name != EP) > 3.5


def test_unexposed_paddle_is_half_etched_and_not_a_land() -> None:
    pkg = build("qfn", exposed_pad=False)
    pad = pkg.body("paddle")
    assert pad.label == "die paddle" and pad.solid.bbox.lo[2] == pytest.approx(0.203e-3 / 2)
    names = {land.name for land in lands(pkg)[0]}
    assert EP not in names and len(names) == 32


def test_power_map_adds_to_uniform_power() -> None:
    pkg = build(
        "qfn",
        die_power="0.2 W",
        power_blocks=[
            {"name": "core", "power": "0.3 W", "x0": "-0.5 mm", "y0": "-0.5 mm", "x1": "0.5 mm", "y1": "0.5 mm"}
        ],
        power_grid_w=[[0.01, 0.02], [0.03, 0.04]],
    )
    assert math.fsum(h.power_w for h in pkg.heat_sources) == pytest.approx(0.6)
    assert sum(1 for h in pkg.heat_sources if h.region is not None) == 5


# --- pin maps --------------------------------------------------------------------------------------


def test_pin_map_round_trip_through_csv_and_kicad(tmp_path: Path) -> None:
    base = parse_params(QfnParams, {})
    table = list(pin_entries(base))
    # A product's pin-out: swap supplies, leave pin 3 unconnected, name the EP's net.
    table[2] = PinEntry("3", table[2].x, table[2].y, "", PinRole.NC)
    table[3] = PinEntry("4", table[3].x, table[3].y, "GND", PinRole.GROUND)
    table[-1] = PinEntry(EP, 0.0, 0.0, "GND", PinRole.THERMAL)
    (tmp_path / "pins.csv").write_text(format_pin_csv(table))
    design = {"family": "qfn", "name": "mapped", "parameters": {"pin_map": "pins.csv", "down_bonds": True}}
    (tmp_path / "d.yaml").write_text(yaml.safe_dump(design))
    pkg = load_design(tmp_path / "d.yaml")
    assert pkg.features["pin_map"] == "table" and pkg.features["connected_leads"] == 31
    assert pkg.body("lead3").net is None and "wire3" not in {b.name for b in pkg.bodies}
    assert "paddle" in next(n for n in pkg.nets if n.name == "GND").nodes  # down-bond to the EP's net
    # Footprint: pads named 1..32 and EP, each on its table entry's site.
    ld, name, _ = lands(pkg)
    assert name == "QFN-32-1EP_5x5mm_P0.5mm_EP3.5x3.5mm"
    by_name = {land.name: land for land in ld}
    assert set(by_name) == {str(k) for k in range(1, 33)} | {EP}
    for e in table:
        land = by_name[e.name]  # KiCad's y points down
        assert abs(e.x * 1e3 - land.x_mm) <= land.w_mm / 2 and abs(-e.y * 1e3 - land.y_mm) <= land.h_mm / 2
    assert '(pad "EP" smd rect' in footprint(pkg)[1]
    # Nets back from the model equal the table's.
    got = {b.name.removeprefix("lead"): b.net or "" for b in pkg.by_role(Role.LEAD)}
    got[EP] = pkg.body("paddle").net or ""
    assert got == {e.name: e.net_name if e.role is not PinRole.NC else "" for e in table}
    # And the package's own table is the one given.
    assert pin_entries(pkg.parameters) == tuple(table)


def test_pin_map_by_name_without_positions() -> None:
    pkg = build("dfn", pin_map=[{"name": "1", "net": "VIN", "role": "power"}, {"name": "8", "net": "OUT"}])
    assert pkg.features["connected_leads"] == 2
    assert pkg.body("lead1").net == "VIN" and pkg.body("lead8").net == "OUT" and pkg.body("lead4").net is None
    assert pkg.body("paddle").net == "VSS"  # the EP defaults to VSS, thermal


# --- bad input -------------------------------------------------------------------------------------

BAD: list[tuple[str, dict[str, Any], str]] = [
    ("qfn", {"die_x": "3.4 mm"}, "die_x"),  # larger than the pad less its fillet
    ("qfn", {"die_y": "6 mm"}, "die_y"),
    ("qfn", {"leads_per_side_x": 10}, "leads_per_side_x"),  # 10 x 0.5 mm does not fit a 5 mm side
    ("qfn", {"leads_per_side_y": 10}, "leads_per_side_y"),
    ("qfn", {"leads_per_side_y": 9, "lead_length": "0.55 mm", "pad_x": "3 mm"}, "leads_per_side_y"),  # corner
    ("qfn", {"leads_per_side_x": 0}, "leads_per_side_x"),  # a QFN has four sides
    ("dfn", {"leads_per_side_x": 2}, "leads_per_side_x"),  # a DFN has two
    ("qfn", {"lead_length": "2.6 mm"}, "lead_length"),  # longer than half the body
    ("qfn", {"lead_length": "0.6 mm"}, "lead_length"),  # within 0.2 mm of the pad
    ("qfn", {"lead_width": "0.45 mm"}, "lead_width"),  # leads would touch each other
    ("qfn", {"pull_back": "-0.1 mm"}, "pull_back"),
    ("qfn", {"pull_back": "0.2 mm"}, "pull_back"),  # pushes the lead onto the pad
    ("qfn", {"pad_x": "5 mm"}, "pad_x"),
    ("qfn", {"body_height": "0.5 mm"}, "body_height"),  # wires would break through the mould
    ("qfn", {"down_bonds": True, "die_x": "3.2 mm"}, "down_bonds"),  # no paddle ring left to bond on
    ("qfn", {"die_power": "inf W"}, "die_power"),
    ("qfn", {"die_power": "-1 W"}, "die_power"),
    ("qfn", {"power_grid_w": [[0.1, float("inf")]]}, "power_grid_w.0.1"),
    ("qfn", {"power_blocks": [{"x1": "5 mm"}]}, "power_blocks.0"),
    ("qfn", {"wire_material": "cu_wire"}, "wire_material"),
    ("qfn", {"lead_pitch": "0 mm"}, "lead_pitch"),
    ("qfn", {"pin_map": [{"name": "1", "net": "A"}, {"name": "1", "net": "B"}]}, "pin_map.1.name"),
    ("qfn", {"pin_map": [{"name": "33", "net": "A"}]}, "pin_map.0.name"),
    ("qfn", {"pin_map": [{"name": "1", "x": "2 mm", "y": "2 mm", "net": "A"}]}, "pin_map.0"),
    ("qfn", {"exposed_pad": False, "pin_map": [{"name": "EP", "net": "VSS"}]}, "pin_map.0.name"),
    ("qfn", {"pin_map": [{"name": "1", "net": "V", "role": "power"}, {"name": "2", "net": "V"}]}, "pin_map.1.role"),
    ("qfn", {"pin_map": [{"name": "1", "role": "nc"}]}, "pin_map"),
    ("qfn", {"down_bonds": True, "pin_map": [{"name": "1", "net": "A"}]}, "down_bonds"),  # nothing on VSS
    ("qfn", {"die_x": "0.25 mm", "die_y": "0.25 mm"}, "die_y"),  # no room for bond pads
    ("qfn", {"die_y": "0.5 mm"}, "die_y"),  # 8 pads at a 33 um pitch
]


@pytest.mark.parametrize(("family", "params", "field"), BAD)
def test_bad_value_is_one_line_naming_the_field(family: str, params: dict[str, Any], field: str) -> None:
    with pytest.raises(DesignError) as info:
        build(family, **params)
    assert info.value.field == f"parameters.{field}", str(info.value)
    assert "\n" not in str(info.value)


# --- command line ----------------------------------------------------------------------------------


@pytest.mark.parametrize("family", ["qfn", "dfn"])
def test_new_template_lists_every_field_and_builds(family: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "new", family)
    assert code == 0 and out == template(get_family(family).params, family)
    data = yaml.safe_load(out)
    assert set(data["parameters"]) == set(vars(get_family(family).params()))
    assert "pull_back: 0 mm" in out and "[length, >= 0 mm]" in out
    params = parse_params(get_family(family).params, data["parameters"])
    for name, value in vars(get_family(family).params()).items():
        assert getattr(params, name) == (pytest.approx(value, rel=1e-9) if isinstance(value, float) else value), name


def test_cli_show_draw_export_nets_claims(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = str(EXAMPLES / "qfn32.yaml")
    code, out, _ = cli(capsys, "show", f, "--json")
    assert code == 0 and json.loads(out)["terminal_count"] == 32
    for args in (
        ["draw", f, "-o", str(tmp_path / "s.svg")],
        ["draw", f, "-o", str(tmp_path / "t.png"), "--top"],
        ["export", f, "--format", "kicad", "-o", str(tmp_path / "q.kicad_mod")],
        ["export", f, "--format", "step", "-o", str(tmp_path / "q.step")],
    ):
        code, _, err = cli(capsys, *args)
        assert code == 0, err
    assert (tmp_path / "t.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "bonding wire" in (tmp_path / "s.svg").read_text() and "mould compound" in (tmp_path / "s.svg").read_text()
    assert (tmp_path / "q.step").read_bytes().startswith(b"ISO-10303-21")
    assert '(pad "32" smd' in (tmp_path / "q.kicad_mod").read_text()
    code, out, err = cli(capsys, "nets", f, "--json")
    assert code == 0, err
    assert "VDD" in out and "S32" in out
    code, _, err = cli(capsys, "claims", f)
    assert code == 0, err
    code, _, err = cli(
        capsys, "export", str(EXAMPLES / "dfn8.yaml"), "--format", "kicad", "-o", str(tmp_path / "d.kicad_mod")
    )
    assert code == 0 and (tmp_path / "d.kicad_mod").read_text().startswith('(footprint "DFN-8-1EP_3x3mm_P0.5mm')


def test_cli_warpage(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "warpage", str(EXAMPLES / "dfn8.yaml"), "--json", "--resolution", "0.2")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["method"] == "fe" and len(doc["points"]) > 5


def test_cli_bad_pin_map_is_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "p.csv").write_text("name,x_mm,y_mm,net\n1,-2.3,1.75,A\n40,0,0,B\n")
    (tmp_path / "d.yaml").write_text("family: qfn\nname: d\nparameters:\n  pin_map: p.csv\n")
    code, out, err = cli(capsys, "show", str(tmp_path / "d.yaml"))
    assert code == 2 and err.count("\n") == 1 and "parameters.pin_map.1.name" in err and not out


# --- thermal physics -------------------------------------------------------------------------------


def test_thermal_jedec_exposed_pad_and_board(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(
        capsys, "thermal", str(EXAMPLES / "qfn32.yaml"), "--jedec", "--json", "--resolution", str(COARSE)
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["energy_balance_rel"] < 1e-8
    # The exposed pad is the short path: junction to bottom is a fraction of junction to top.
    assert 0 < doc["theta_jc_bottom_c_per_w"] < 0.2 * doc["theta_jc_top_c_per_w"]
    assert doc["theta_jb_c_per_w"] < doc["theta_ja_c_per_w"]
    theta_2s2p = doc["theta_ja_c_per_w"]

    still = Environment(EnvKind.STILL_AIR, BoardKind.TWO_S2P)
    moulded = solve_thermal(build("qfn", exposed_pad=False), still, resolution=COARSE)
    one_s = solve_thermal(example("qfn32"), Environment(EnvKind.STILL_AIR, BoardKind.ONE_S), resolution=COARSE)
    for r in (moulded, one_s):
        assert r.energy_balance_rel < 1e-8 and r.power_w == pytest.approx(0.5)

    def theta(r: Any) -> float:
        return float((r.tj_max_k - r.environment.ambient_k) / r.power_w)

    # Moulding 0.1 mm of compound under the paddle costs theta-JA (13 % on this via-less board).
    assert theta_2s2p < 0.95 * theta(moulded)
    # Without the 2s2p board's planes the pad's heat spreads only in the 1s board's top layer.
    assert theta_2s2p < 0.8 * theta(one_s)


def test_lead_sites_match_the_built_leads() -> None:
    p = parse_params(QfnParams, {"leads_per_side_x": 6, "leads_per_side_y": 7})
    pkg = build("qfn", leads_per_side_x=6, leads_per_side_y=7)
    for s in lead_sites(p):
        assert centre(pkg, f"lead{s.pin}") == (pytest.approx(s.x), pytest.approx(s.y))
