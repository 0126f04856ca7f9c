"""Compact thermal models: per-surface conditions, 2R, DELPHI, influence matrices, power traces, exports.

Reference values: the exact 1D answer of a slab (a two-node network), superposition and
reciprocity of the linear conduction operator, Kirchhoff round trips of the exported
netlists, and the JESD15-4 accuracy targets on the fit.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from conftest import build, cli, example

from semipack.errors import DesignError
from semipack.model import Package
from semipack.thermal import BoardKind, Environment, EnvKind
from semipack.thermal.compact.bcs import BoundaryCondition, SurfaceClass, delphi_38, delphi_99, load_bcs
from semipack.thermal.compact.delphi import error_report, fit_delphi, solve_set
from semipack.thermal.compact.detailed import DetailedModel, Junction, build_detailed
from semipack.thermal.compact.export_csv import csv_text
from semipack.thermal.compact.export_ecxml import ecxml_text
from semipack.thermal.compact.export_spice import spice_text
from semipack.thermal.compact.influence import direct_rise, influence_matrix
from semipack.thermal.compact.network import CompactNetwork, Link, SurfaceNode
from semipack.thermal.compact.ptrace import PowerTrace, read_ptrace, simulate_trace
from semipack.thermal.compact.two_resistor import theta_setups, two_resistor
from semipack.thermal.steady import Problem, build_problem

A_SLAB = 4e-3 * 4e-3
D_DIE, L_MOLD = 50e-6, 1e-3


@cache
def _slab() -> Package:
    return build(
        "stack",
        footprint_x="4 mm",
        footprint_y="4 mm",
        hotspots=[],
        layers=[
            {"name": "die", "material": "si", "thickness": "50 um", "power": "1 W"},
            {"name": "mold", "material": "mold_compound", "thickness": "1 mm"},
        ],
    )


@cache
def _slab_model() -> DetailedModel:
    return build_detailed(_slab(), resolution=0.3, junction=Junction.MEAN)


@cache
def _pbga() -> tuple[DetailedModel, tuple[object, ...]]:
    m = build_detailed(example("pbga"), resolution=0.3)
    return m, solve_set(m, delphi_38())


@cache
def _two_dies() -> Problem:
    env = Environment(EnvKind.CUSTOM, BoardKind.NONE, h_custom_w_m2k=100.0)
    return build_problem(example("pbga_pinmap"), env, resolution=0.3)


def _slab_theta() -> float:
    """Junction (power-weighted mean of a uniformly heated die) to the slab top: d/(3 k_si A) + L/(k_mold A)."""
    lib = _slab().materials
    return D_DIE / (3 * lib["si"].k_through_w_mk * A_SLAB) + L_MOLD / (lib["mold_compound"].k_through_w_mk * A_SLAB)


def test_sets_have_38_and_99_distinct_conditions() -> None:
    for bcs, n in ((delphi_38(), 38), (delphi_99(), 99)):
        assert len(bcs) == n
        assert len({b.name for b in bcs}) == n
        assert len({b.h_w_m2k for b in bcs}) == n  # no duplicate rows


def test_single_layer_slab_is_a_two_node_network() -> None:
    """Die under one mould layer, only the top cooled: Tj - Ta = P (theta + 1/(hA)) exactly, and the fit finds theta."""
    m = _slab_model()
    theta = _slab_theta()
    bcs = tuple(BoundaryCondition.of(f"h{h:g}", top=h) for h in (5.0, 30.0, 300.0, 3e3, 1e5))
    sols = solve_set(m, bcs)
    for s in sols:
        h = s.condition.h(SurfaceClass.TOP_INNER)
        # The finite-volume answer is exact in the mould; the die's mean carries O(cell^2) of a 1e-4 share.
        assert s.tj_rise_k / s.power_w == pytest.approx(theta + 1.0 / (h * A_SLAB), rel=2e-5)
    net = fit_delphi(m, sols)
    assert [(ln.a, ln.b) for ln in net.links] == [("J", "top_inner")]
    assert net.links[0].r_k_w == pytest.approx(theta, rel=1e-4)
    rep = error_report(net, None, sols)
    assert rep.summary("training")["delphi_worst_pct"] < 1e-3


def test_two_resistor_reproduces_its_setups_and_the_slab() -> None:
    m = _slab_model()
    two = two_resistor(m)
    r = {ln.b: ln.r_k_w for ln in two.links}
    assert r["C"] == pytest.approx(_slab_theta(), rel=1e-4)  # theta-JC of the slab, analytic
    m2, _ = _pbga()
    two = two_resistor(m2)
    for bc in theta_setups():
        assert two.solve(bc, m2.power_w).tj_rise_k == pytest.approx(m2.solve(bc).tj_rise_k, rel=1e-9)


def test_delphi_fit_meets_its_targets_and_beats_2r() -> None:
    """The measured fit on the generic PBGA (resolution 0.3): worst 7.7 %, RMS 1.5 % on the 38 set."""
    m, sols = _pbga()
    net = fit_delphi(m, sols)  # type: ignore[arg-type]
    rep = error_report(net, two_resistor(m), sols)  # type: ignore[arg-type]
    s = rep.summary("training")
    assert s["delphi_rms_pct"] < 3.0 and s["delphi_worst_pct"] < 10.0  # JESD15-4's 10 % target
    assert s["two_r_rms_pct"] > 3 * s["delphi_rms_pct"]  # the point of DELPHI
    assert all(ln.r_k_w > 0 for ln in net.links)


def test_detailed_model_matches_the_steady_solver() -> None:
    """The per-class boundary assembly equals the steady solver's custom environment (same h everywhere)."""
    from semipack.thermal import solve_thermal

    pkg = example("pbga")
    m = build_detailed(pkg, resolution=0.3)
    s = m.solve(BoundaryCondition.of("u", all=20.0))
    r = solve_thermal(pkg, Environment(EnvKind.CUSTOM, BoardKind.NONE, h_custom_w_m2k=20.0), resolution=0.3)
    # The compact grid adds the die's footprint as planes: the two grids differ slightly.
    assert s.tj_rise_k == pytest.approx(r.tj_max_k - r.environment.ambient_k, rel=0.02)
    assert sum(s.q_w.values()) == pytest.approx(s.power_w, rel=1e-7)  # energy balance


def test_influence_matrix_superposes_and_is_symmetric() -> None:
    prob = _two_dies()
    im = influence_matrix(prob)
    assert im.dies == ("ctrl", "mem")
    assert im.psi_k_w[0, 1] == pytest.approx(im.psi_k_w[1, 0], rel=1e-8)  # reciprocity
    powers = {"ctrl": 1.3, "mem": 0.45}
    direct = direct_rise(prob, powers)
    sup = im.tj_k(powers)
    for d in im.dies:
        assert sup[d] - im.ambient_k == pytest.approx(direct[d], rel=1e-6)
    with pytest.raises(DesignError, match="names no die"):
        im.tj_k({"gpu": 1.0})


def test_power_trace_steps_on_its_edges_and_settles() -> None:
    """Slab, 1 W then off: steps land on the edge, the peak is there, and a long first row reaches the steady rise."""
    env = Environment(EnvKind.CUSTOM, BoardKind.NONE, h_custom_w_m2k=1e4)
    prob = build_problem(_slab(), env, resolution=0.3)
    steady = prob.result.tj_max_k - prob.result.environment.ambient_k
    tr = PowerTrace(("die",), np.array([0.0, 2.0, 2.5]), np.array([[1.0], [0.0]]))
    r = simulate_trace(prob, tr)
    assert 2.0 in r.times_s.tolist()
    k = r.times_s.tolist().index(2.0)
    rise = r.tj_k[:, 0] - r.ambient_k
    assert int(np.argmax(rise)) == k
    assert rise[k] == pytest.approx(steady, rel=2e-3)  # tau ~ 0.1 s: settled after 2 s
    assert rise[-1] < 0.05 * rise[k]


def test_power_trace_on_column_amg_gives_the_zline_history() -> None:
    """Both step solvers reach 1e-9 at every step, so the steps and the die history agree far
    below the step tolerance; a solver with no step path is refused in one line."""
    from semipack.thermal.steady import Solver

    env = Environment(EnvKind.CUSTOM, BoardKind.NONE, h_custom_w_m2k=1e4)
    prob = build_problem(_slab(), env, resolution=0.3)
    tr = PowerTrace(("die",), np.array([0.0, 0.5, 0.8]), np.array([[1.0], [0.2]]))
    col = simulate_trace(prob, tr, solver=Solver.COLUMN_AMG)
    zl = simulate_trace(prob, tr, solver=Solver.ZLINE_MG)
    assert col.steps == zl.steps > 10
    np.testing.assert_allclose(col.times_s, zl.times_s, rtol=1e-6)
    np.testing.assert_allclose(col.tj_k, zl.tj_k, rtol=1e-8)
    with pytest.raises(DesignError, match="solver"):
        simulate_trace(prob, tr, solver=Solver.AMG)


def test_power_trace_refuses_bad_input(tmp_path: Path) -> None:
    with pytest.raises(DesignError, match="powers must be >= 0"):
        PowerTrace(("a",), np.array([0.0, 1.0]), np.array([[-1.0]]))
    with pytest.raises(DesignError, match="increase strictly"):
        PowerTrace(("a",), np.array([0.0, 2.0, 1.0]), np.array([[1.0], [1.0]]))
    f = tmp_path / "t.ptrace"
    f.write_text("ctrl mem\n1 0.5\n0.2\n")
    with pytest.raises(DesignError, match="row 3"):
        read_ptrace(f, 1e-3)


def _round_trip_network(net: CompactNetwork, links: list[tuple[str, str, float]]) -> CompactNetwork:
    return CompactNetwork(net.name, net.model, net.surfaces, tuple(Link(a, b, r) for a, b, r in links))


def _toy() -> CompactNetwork:
    area = {c: 1e-4 for c in SurfaceClass}
    top = SurfaceNode("top_inner", (SurfaceClass.TOP_INNER,), {SurfaceClass.TOP_INNER: 1e-4})
    bot = SurfaceNode(
        "bottom_inner", (SurfaceClass.BOTTOM_INNER,), {SurfaceClass.BOTTOM_INNER: area[SurfaceClass.BOTTOM_INNER]}
    )
    links = (Link("J", "top_inner", 5.5), Link("J", "bottom_inner", 3.25), Link("top_inner", "bottom_inner", 120.0))
    return CompactNetwork("toy pkg", "DELPHI", (top, bot), links, notes=("test",))


def test_exports_round_trip() -> None:
    net = _toy()
    bc = BoundaryCondition.of("x", top=50.0, bottom=2000.0)
    want = net.solve(bc, 2.0).tj_rise_k
    # SPICE: one subcircuit whose ports are the nodes, resistors between them.
    sp = spice_text(net)
    head = re.search(r"^\.SUBCKT (\S+) (.+)$", sp, re.M)
    assert head is not None and head.group(2).split() == ["J", "TOP_INNER", "BOTTOM_INNER"]
    assert re.search(r"^\.ENDS", sp, re.M)
    names = {"J": "J", "TOP_INNER": "top_inner", "BOTTOM_INNER": "bottom_inner"}
    links = [(names[a], names[b], float(v)) for a, b, v in re.findall(r"^R\d+ (\S+) (\S+) (\S+)$", sp, re.M)]
    assert _round_trip_network(net, links).solve(bc, 2.0).tj_rise_k == pytest.approx(want, rel=1e-8)
    # CSV.
    rows = list(csv.DictReader(io.StringIO(csv_text(net))))
    links = [(r["node1"], r["node2"], float(r["value"])) for r in rows if r["element"] == "R"]
    assert _round_trip_network(net, links).solve(bc, 2.0).tj_rise_k == pytest.approx(want, rel=1e-8)
    assert {r["name"] for r in rows if r["element"] == "node"} == {"J", "top_inner", "bottom_inner"}


def test_ecxml_structure() -> None:
    """The structure test standing in for JEP181's schema (not available offline)."""
    net = _toy()
    root = ET.fromstring(ecxml_text(net))
    ns = {"e": "urn:semipack:ecxml-compact:1"}
    assert root.tag == "{urn:semipack:ecxml-compact:1}ECXML"
    (model,) = root.findall("e:compactModel", ns)
    assert model.get("type") == "DELPHI" and model.get("standard") == "JESD15-4"
    nodes = {n.get("name"): n for n in model.findall("e:nodes/e:node", ns)}
    assert nodes["J"].get("type") == "junction"
    assert float(nodes["top_inner"].get("area", "nan")) == pytest.approx(1e-4)
    res = model.findall("e:resistors/e:resistor", ns)
    assert len(res) == 3
    for r in res:
        assert r.get("unit") == "K/W" and float(r.get("value", "nan")) > 0
        assert r.get("node1") in nodes and r.get("node2") in nodes


def test_boundary_condition_file(tmp_path: Path) -> None:
    f = tmp_path / "bcs.yaml"
    f.write_text("conditions:\n  - {name: a, top: 10 W/m^2/K, bottom_inner: 1000 W/m^2/K, default: 5 W/m^2/K}\n")
    (bc,) = load_bcs(f)
    assert bc.h(SurfaceClass.TOP_OUTER) == 10.0 and bc.h(SurfaceClass.BOTTOM_INNER) == 1000.0
    assert bc.h(SurfaceClass.SIDES) == 5.0
    f.write_text("conditions:\n  - {name: a, top: -10 W/m^2/K}\n")
    with pytest.raises(DesignError, match=r"bcs\.a\.top_inner: got -10\.0"):
        load_bcs(f)


@pytest.mark.parametrize(
    ("files", "args", "message"),
    [
        (
            {"b.yaml": "conditions:\n  - {name: a, top: -10 W/m^2/K}\n"},
            ["--model", "delphi", "--bcs", "b.yaml"],
            "film coefficient",
        ),
        ({"t.ptrace": "ctrl mem\n1 -0.5\n"}, ["--model", "trace", "--trace", "t.ptrace"], "powers must be >= 0"),
        ({"t.ptrace": "gpu\n1\n"}, ["--model", "trace", "--trace", "t.ptrace"], "names no die"),
        ({}, ["--model", "thermal"], "--model"),
    ],
)
def test_cli_bad_input_is_one_line_exit_2(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    examples_dir: Path,
    files: dict[str, str],
    args: list[str],
    message: str,
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    args = [str(tmp_path / a) if a in files else a for a in args]
    code, _, err = cli(capsys, "compact", str(examples_dir / "pbga_pinmap.yaml"), "--resolution", "0.3", *args)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1


def test_cli_writes_a_2r_netlist(capsys: pytest.CaptureFixture[str], tmp_path: Path, examples_dir: Path) -> None:
    out = tmp_path / "m.cir"
    code, _, _ = cli(
        capsys,
        "compact",
        str(examples_dir / "pbga.yaml"),
        "--model",
        "2r",
        "--resolution",
        "0.3",
        "--no-held-out",
        "--bcs",
        str(_write_small_set(tmp_path)),
        "--format",
        "spice",
        "-o",
        str(out),
    )
    assert code == 0
    text = out.read_text()
    assert ".SUBCKT PBGA_17MM_256_2R J C B" in text and len(re.findall(r"^R\d ", text, re.M)) == 2


def _write_small_set(tmp_path: Path) -> Path:
    f = tmp_path / "small.yaml"
    f.write_text(
        "conditions:\n  - {name: still, all: 10 W/m^2/K}\n  - {name: sink, top: 1000 W/m^2/K, default: 10 W/m^2/K}\n"
    )
    return f


def test_plots_are_written(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from semipack.draw.compact_plots import plot_fit_errors, plot_influence, plot_zth

    m = _slab_model()
    sols = solve_set(m, (BoundaryCondition.of("a", top=10.0), BoundaryCondition.of("b", top=1e3)))
    plot_fit_errors(error_report(two_resistor(m), None, sols), tmp_path / "e.png")
    plot_influence(("a", "b"), np.array([[2.0, 1.0], [1.0, 3.0]]), tmp_path / "i.svg")
    t = np.linspace(0, 1, 20)
    plot_zth(t, 1 - np.exp(-t), np.cumsum(np.ones(5)), np.cumsum(np.ones(5)), tmp_path / "z.png")
    assert (tmp_path / "e.png").read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in (tmp_path / "i.svg").read_bytes()[:400]
    with pytest.raises(DesignError, match=r"^out: "):
        plot_influence(("a",), np.ones((1, 1)), tmp_path / "i.pdf")


def test_cauer_ladder_in_every_export() -> None:
    """The ladder replaces the first junction link: J - RC1 - NC1 - RC2 - top_inner, a capacitor at each ladder node."""
    from dataclasses import replace

    from semipack.thermal.compact.network import CauerStage

    net = replace(_toy(), cauer=(CauerStage(1.0, 0.01), CauerStage(4.5, 0.2)))
    sp = spice_text(net)
    assert re.findall(r"^RC\d (\S+) (\S+) ", sp, re.M) == [("J", "NC1"), ("NC1", "TOP_INNER")]
    assert re.findall(r"^CC\d (\S+) 0 ", sp, re.M) == ["NC1", "TOP_INNER"]
    assert not re.search(r"^R1 J TOP_INNER", sp, re.M)  # replaced by the ladder
    root = ET.fromstring(ecxml_text(net))
    ns = {"e": "urn:semipack:ecxml-compact:1"}
    nodes = {n.get("name") for n in root.findall(".//e:nodes/e:node", ns)}
    for r in root.findall(".//e:resistors/e:resistor", ns):
        assert r.get("node1") in nodes and r.get("node2") in nodes
    assert len(root.findall(".//e:capacitors/e:capacitor", ns)) == 2
    rows = list(csv.DictReader(io.StringIO(csv_text(net))))
    assert sum(float(r["value"]) for r in rows if r["element"] == "R" and r["name"].startswith("RC")) == pytest.approx(
        5.5
    )
