"""The five seeded architectures and the stack: every claimed variant builds with the claimed elements."""

from __future__ import annotations

import math

import pytest
from conftest import build, example, example_names

from semipack.errors import DesignError
from semipack.model import TERMINAL_ROLES, Package, Role, summarize


def _z(pkg: Package, name: str) -> tuple[float, float]:
    b = pkg.body(name).solid.bbox
    return b.lo[2], b.hi[2]


def _footprint(pkg: Package, name: str) -> tuple[float, float, float, float]:
    b = pkg.body(name).solid.bbox
    return b.lo[0], b.lo[1], b.hi[0], b.hi[1]


@pytest.mark.parametrize("name", example_names())
def test_every_example_builds_valid(name: str) -> None:
    pkg = example(name)
    s = summarize(pkg)
    assert s.body_count > 0 and s.total_height_m > 0
    if pkg.family != "stack":
        assert s.terminal_count > 0
        # Every pad's net ends at an external terminal (checked on construction); here: terminals exist per net.
        assert pkg.nets and pkg.pads


def test_required_variant_examples_exist() -> None:
    names = set(example_names())
    for f in range(1, 8):
        assert f"flex_csp_fig{f}" in names
    for n in (
        "spreader_bga",
        "spreader_bga_concave",
        "spreader_bga_tape",
        "spreader_bga_strip",
        "thinfilm_metal_machined",
        "thinfilm_metal_punched",
        "thinfilm_metal_passives",
        "thinfilm_metal_group_different",
        "exposed_sink_qfn",
        "exposed_sink_buffer_pad",
        "exposed_sink_flip_chip",
        "cavity_buildup",
        "cavity_buildup_open_back",
        "stack",
    ):
        assert n in names


# --- 000 ------------------------------------------------------------------------------------------


def test_spreader_bga_claim_1_structure() -> None:
    pkg = example("spreader_bga")
    assert pkg.body("die_attach").material == "silver_epoxy"  # claim 15: silver paste
    sub0, sub1 = _z(pkg, "substrate")
    assert _z(pkg, "die_attach")[0] == pytest.approx(sub1)
    assert _z(pkg, "die")[0] == pytest.approx(_z(pkg, "die_attach")[1])
    seal = pkg.body("sealant").solid.bbox
    for b in pkg.by_role(Role.WIRE) + pkg.by_role(Role.DIE):
        bb = b.solid.bbox
        assert all(seal.lo[i] <= bb.lo[i] and bb.hi[i] <= seal.hi[i] for i in range(3)), b.name  # sealed
    assert _z(pkg, "glue")[0] == pytest.approx(seal.hi[2])
    assert _z(pkg, "spreader")[0] == pytest.approx(_z(pkg, "glue")[1])  # spreader atop the sealant, glue between
    assert all(b.solid.bbox.hi[2] <= sub0 + 1e-12 for b in pkg.by_role(Role.BALL))  # balls below the substrate
    s = summarize(pkg)
    assert s.terminal_count == 456 and s.terminal_pitch_m == pytest.approx(1.0e-3)
    assert s.body_x_m == pytest.approx(27e-3)


def test_spreader_bga_concave_and_bump_aligned() -> None:
    pkg = example("spreader_bga_concave")
    seal = pkg.body("sealant")
    (cut,) = seal.solid.cutouts  # type: ignore[union-attr]
    bump = pkg.body("spreader_bump").solid.bbox
    cx = (cut.lo[0] + cut.hi[0]) / 2
    assert cx == pytest.approx(0.0, abs=1e-12)  # concave at the top of the centre part
    assert (bump.lo[0] + bump.hi[0]) / 2 == pytest.approx(cx, abs=1e-12)  # bump aligned to it
    assert bump.lo[2] < seal.solid.bbox.hi[2]  # the bump reaches down into the concave
    assert cut.lo[0] <= bump.lo[0] and bump.hi[0] <= cut.hi[0]
    flat = example("spreader_bga")
    assert not flat.body("sealant").solid.cutouts  # type: ignore[union-attr]


def test_spreader_bga_tapes_and_strip() -> None:
    assert example("spreader_bga_tape").by_role(Role.TAPE) and not example("spreader_bga_tape").by_role(Role.WIRE)
    strip = example("spreader_bga_strip")
    assert len(strip.by_role(Role.DIE)) == 3
    assert len(strip.by_role(Role.SUBSTRATE)) == 1  # one continuous strip substrate
    assert {b.material for b in strip.by_role(Role.BALL)} == {"sn63pb37"}
    assert strip.features["strip_units"] == 3


def test_spreader_bga_cross_field_errors() -> None:
    with pytest.raises(DesignError, match=r"parameters\.die_size"):
        build("spreader_bga", die_size="30 mm")
    with pytest.raises(DesignError, match=r"parameters\.sealant_thickness"):
        build("spreader_bga", sealant_thickness="0.3 mm")
    with pytest.raises(DesignError, match=r"parameters\.concave_depth"):
        build("spreader_bga", concave=True, concave_depth="0.6 mm")


# --- 001 ------------------------------------------------------------------------------------------

MEMORY = {
    1: set(),
    2: {"first_memory"},
    3: {"first_memory"},
    4: {"first_memory", "second_memory"},
    5: {"first_memory", "second_memory"},
    6: {"first_memory", "second_memory", "third_memory"},
    7: {"first_memory"},
}


@pytest.mark.parametrize("fig", range(1, 8))
def test_flex_csp_embodiments(fig: int) -> None:
    pkg = example(f"flex_csp_fig{fig}")
    dies = {b.name for b in pkg.by_role(Role.DIE)}
    assert dies == {"sensor"} | MEMORY[fig]
    sensor = pkg.body("sensor").solid.bbox
    glass = pkg.body("glass").solid.bbox
    assert glass.lo[2] > sensor.hi[2]  # glass above the photo-sensing surface
    window = [c for c in pkg.body("flex_L0_cu").solid.cutouts]  # type: ignore[union-attr]
    assert window and window[0].lo[0] > sensor.lo[0] and window[0].hi[0] < sensor.hi[0]  # window over the sensor
    bend = pkg.body("flex_bend1_cu").solid
    assert bend.bbox.hi[0] == pytest.approx(sensor.lo[0])  # curved portion around side 115
    assert bend.inner_radius > 0  # type: ignore[union-attr]
    # Balls sit under the lowest flex level, in its holes.
    lowest = min(b.solid.bbox.lo[2] for b in pkg.bodies if b.role is Role.FLEX)
    assert all(b.solid.bbox.hi[2] == pytest.approx(lowest + 25e-6) for b in pkg.by_role(Role.BALL))
    assert ("flex_bend2_cu" in {b.name for b in pkg.bodies}) == (fig in (2, 3, 4, 5, 6))
    # The side opposite the bend protrudes less than 10 % of the die.
    flex_right = max(b.solid.bbox.hi[0] for b in pkg.bodies if b.name.startswith("flex_L0"))
    assert flex_right - sensor.hi[0] < 0.1 * (sensor.hi[0] - sensor.lo[0])


def test_flex_csp_memory_positions() -> None:
    f2, f3 = example("flex_csp_fig2"), example("flex_csp_fig3")
    # FIG. 2: memory bumped up into the flex above; FIG. 3: memory glued to the flex above, bumped down.
    up = [b for b in f2.by_role(Role.BUMP) if b.name.startswith("first_memory")]
    down = [b for b in f3.by_role(Role.BUMP) if b.name.startswith("first_memory")]
    assert up[0].solid.bbox.lo[2] == pytest.approx(f2.body("first_memory").solid.bbox.hi[2])
    assert down[0].solid.bbox.hi[2] == pytest.approx(f3.body("first_memory").solid.bbox.lo[2])
    f7 = example("flex_csp_fig7")
    assert (
        f7.body("sensor").solid.bbox.size[2] < example("flex_csp_fig1").body("sensor").solid.bbox.size[2]
    )  # back-ground
    assert f7.body("first_memory").solid.bbox.hi[2] < f7.body("sensor").solid.bbox.lo[2]


def test_flex_csp_ir_cut_and_size() -> None:
    pkg = example("flex_csp_ircut")
    assert "ir_cut" in pkg.body("glass").tags and pkg.features["ir_cut"]
    s = summarize(example("flex_csp_fig1"))
    assert s.package_to_die_ratio < 1.10  # nearly die size


# --- 002 ------------------------------------------------------------------------------------------


def test_thinfilm_metal_structure() -> None:
    pkg = example("thinfilm_metal")
    die = pkg.body("die1").solid.bbox
    assert _z(pkg, "die1_attach")[0] == pytest.approx(_z(pkg, "metal_substrate")[1])  # backside adhered
    assert _z(pkg, "filling")[1] == pytest.approx(die.hi[2])  # filling planar with the active surface
    traces = pkg.by_role(Role.TRACE)
    assert any(t.solid.bbox.hi[0] > die.hi[0] + 1e-3 for t in traces)  # fans out beyond the die
    terms = [b for b in pkg.bodies if b.role in TERMINAL_ROLES]
    assert len(terms) == len(pkg.pads)  # each bonding pad serves its own metal pad
    assert pkg.body("passivation").solid.cutouts  # type: ignore[union-attr]
    assert {b.name for b in pkg.by_role(Role.PLANE)} == {"die1.bus_VDD", "die1.bus_VSS"}


def test_thinfilm_metal_substrates() -> None:
    m = example("thinfilm_metal_machined")
    assert _z(m, "die1")[1] == pytest.approx(_z(m, "metal_substrate")[1])  # die in the protruded area, coplanar
    p = example("thinfilm_metal_punched")
    t1 = p.body("first_metal_layer").solid.bbox.size[2]
    die_t = p.body("die1").solid.bbox.size[2]
    assert t1 == pytest.approx(die_t, rel=0.1)  # claim 24: about the die thickness
    assert p.body("first_metal_layer").solid.cutouts  # type: ignore[union-attr]


def test_thinfilm_metal_groups_and_passives() -> None:
    g = example("thinfilm_metal_group_different")
    sizes = {round(b.solid.bbox.size[0], 6) for b in g.by_role(Role.DIE)}
    assert len(g.by_role(Role.DIE)) == 3 and len(sizes) == 2
    pas = example("thinfilm_metal_passives")
    labels = {b.label for b in pas.by_role(Role.PASSIVE)}
    for kind in ("resistor", "inductor", "capacitor", "wave-guide", "filter", "MEMS"):
        assert any(kind in lb for lb in labels), kind
    level1 = {round(b.solid.bbox.lo[2], 9) for b in pas.by_role(Role.PASSIVE)}
    traces = {round(b.solid.bbox.lo[2], 9) for b in pas.by_role(Role.TRACE)}
    assert level1 <= traces  # formed by part of the patterned wiring layer
    assert example("thinfilm_metal_pins").by_role(Role.PIN)
    assert example("thinfilm_metal_bumps").by_role(Role.TERMINAL_BUMP)


# --- 003 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "exposed_sink",
        "exposed_sink_flip_chip",
        "exposed_sink_buffer_pad",
        "exposed_sink_qfn",
        "exposed_sink_qfn_buffer",
    ],
)
def test_exposed_sink_claim_1(name: str) -> None:
    pkg = example(name)
    sink = pkg.body("sink").solid.bbox
    enc = pkg.body("encapsulant").solid.bbox
    assert enc.hi[2] == pytest.approx(sink.lo[2])  # the encapsulant fills up to the first surface
    assert (sink.lo[0], sink.lo[1], sink.hi[0], sink.hi[1]) == pytest.approx(
        (enc.lo[0], enc.lo[1], enc.hi[0], enc.hi[1])
    )
    carrier = "die_paddle" if "qfn" in name else "substrate"
    if carrier == "substrate":  # claim 2: sink area equal to the carrier's
        assert _footprint(pkg, "sink") == pytest.approx(_footprint(pkg, "substrate"))
    layer = pkg.body("interface_layer").solid.bbox
    assert layer.lo[2] == pytest.approx(sink.hi[2])
    assert layer.hi[2] == pytest.approx(pkg.bbox.hi[2])  # exposed: nothing above it
    assert pkg.body("interface_layer").material in {"au", "cr", "ni", "ptfe"}


def test_exposed_sink_attachments() -> None:
    cp = example("exposed_sink")
    die_top = cp.body("die").solid.bbox.hi[2]
    assert cp.body("sink").solid.bbox.lo[2] > die_top + 0.1e-3  # first surface spaced from the chip
    assert cp.body("connecting_portion").solid.bbox.lo[2] > die_top  # through the adhesive
    bp = example("exposed_sink_buffer_pad")
    si = bp.materials["si"].cte_per_k
    assert abs(bp.materials[bp.body("buffer_pad").material].cte_per_k - si) < 2e-6  # similar CTE
    q = example("exposed_sink_qfn_buffer")
    assert "roughened" in q.body("sink").tags
    leads = q.by_role(Role.LEAD)
    assert leads and all(b.solid.bbox.lo[2] == 0.0 for b in leads)  # exposed at the bottom
    half = 3.5e-3
    assert all(
        max(abs(b.solid.bbox.lo[0]), abs(b.solid.bbox.hi[0]), abs(b.solid.bbox.lo[1]), abs(b.solid.bbox.hi[1]))
        == pytest.approx(half)
        for b in leads
    )  # flush with the body edge
    assert "interface_layer" not in {b.name for b in example("exposed_sink_no_interface").bodies}
    with pytest.raises(DesignError, match=r"parameters\.attachment"):
        build("exposed_sink", attachment="direct")  # wires would be crushed


# --- 004 ------------------------------------------------------------------------------------------


def test_cavity_buildup_claims() -> None:
    pkg = example("cavity_buildup")
    assert _z(pkg, "die")[1] == pytest.approx(_z(pkg, "carrier")[1])  # claim 2: coplanar
    cut = pkg.body("carrier").solid.cutouts[0]  # type: ignore[union-attr]
    assert cut.lo[2] > 0  # claim 9: a blind cavity covers the passive surface
    cols = pkg.by_role(Role.COLUMN)
    by_xy: dict[tuple[float, float], list[float]] = {}
    for c in cols:
        cx, cy = c.solid.center  # type: ignore[union-attr]
        by_xy.setdefault((round(cx, 9), round(cy, 9)), []).append(c.solid.bbox.lo[2])
    assert any(len(v) >= 2 for v in by_xy.values())  # claim 3: columns stacked vertically
    balls = pkg.by_role(Role.BALL)
    top = max(b.solid.bbox.hi[2] for b in pkg.by_role(Role.DIELECTRIC))
    assert balls and all(b.solid.bbox.lo[2] >= top - 1e-12 for b in balls)  # on the outermost layer
    open_back = example("cavity_buildup_open_back")
    assert open_back.body("die").solid.bbox.lo[2] == pytest.approx(0.0)  # through-opening: back exposed
    st = example("cavity_buildup_staggered")
    xy = {(round(c.solid.center[0], 9), round(c.solid.center[1], 9)) for c in st.by_role(Role.COLUMN)}  # type: ignore[union-attr]
    assert len(xy) == len(st.by_role(Role.COLUMN))  # none stacked


# --- stack and derived quantities ----------------------------------------------------------------


def test_stack_mass_is_sum_of_rho_v() -> None:
    pkg = example("stack_user")
    lib = pkg.materials
    expected = sum(b.solid.volume * lib[b.material].density_kg_m3 for b in pkg.bodies)
    assert summarize(pkg).mass_kg == pytest.approx(expected, rel=1e-12)
    assert lib["my_tim"].k_inplane_w_mk == 5.0
    assert sum(h.power_w for h in pkg.heat_sources) == pytest.approx(1.7)


def test_mass_of_filler_excludes_embedded_bodies() -> None:
    pkg = example("spreader_bga")
    s = summarize(pkg)
    naive = sum(b.solid.volume * pkg.materials[b.material].density_kg_m3 for b in pkg.bodies)
    sealant = pkg.body("sealant")
    die_and_attach = sum(
        pkg.body(n).solid.volume * pkg.materials["mold_compound"].density_kg_m3 for n in ("die", "die_attach")
    )
    assert s.mass_kg < naive - 0.9 * die_and_attach
    assert sealant.is_filler


def test_stack_errors() -> None:
    with pytest.raises(DesignError, match=r"layers\.1\.size_x"):
        build(
            "stack", layers=[{"name": "a", "thickness": "1 mm"}, {"name": "b", "thickness": "1 mm", "size_x": "20 mm"}]
        )
    with pytest.raises(DesignError, match="interpenetrate"):
        build(
            "stack",
            hotspots=[],
            layers=[{"name": "a", "thickness": "1 mm"}, {"name": "b", "thickness": "1 mm", "z": "0.5 mm"}],
        )
    assert math.isclose(build("stack").bbox.size[2], 1.6e-3 + 0.5e-3 + 25e-6 + 0.3e-3)


def test_no_family_function_is_over_80_lines() -> None:
    """Builders are data plus small functions: every function in families/ fits a screen (80 lines)."""
    import ast
    from pathlib import Path

    import semipack.families

    long = []
    for path in sorted(Path(semipack.families.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                n = (node.end_lineno or node.lineno) - node.lineno + 1
                if n > 80:
                    long.append(f"{path.name}:{node.name} ({n} lines)")
    assert long == []
