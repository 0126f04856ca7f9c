"""Manufacturing flows: every claimed method builds what the family builder builds, and bad flows are refused."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import build, example, example_names

from semipack.draw.storyboard import write_frames
from semipack.errors import FlowError
from semipack.families import get_family
from semipack.mechanics.flex_bend import ipc2223_single_sided, min_bend_radius
from semipack.model import Package
from semipack.process import Flow, Singulation, Step, StepKind, get_method, methods_for, run_flow
from semipack.process.costing import rollup
from semipack.process.history import thermal_history
from semipack.process.unfold import flat_flex

# Examples of the seeded (patent) families: their claimed methods are flows. The generic
# families (pbga, qfn, ...) have no claimed method.
RUNNABLE = [
    n
    for n in example_names()
    if get_family(example(n).family).seed != "-" and n != "spreader_bga_strip"
]


def _cases() -> list[tuple[str, str]]:
    """Every method of every example's family: the seeds' claimed ones and the generic assemblies."""
    out = []
    for n in example_names():
        if n.startswith("stack") or n == "spreader_bga_strip":
            continue
        for m, why in methods_for(example(n)):
            if why is None:
                out.append((n, m.name))
    return out


@pytest.mark.parametrize(("name", "method"), _cases())
def test_every_claimed_method_ends_in_the_builders_package(name: str, method: str) -> None:
    pkg = example(name)
    result = run_flow(pkg, get_method(pkg, method).build(pkg))
    assert result.final.bodies == pkg.bodies  # same names, roles, materials, shapes
    assert result.final.nets == pkg.nets
    # Each design body is made exactly once over the flow.
    made = [n for r in result.records for n in r.made]
    assert sorted(made) == sorted(b.name for b in pkg.bodies)


def test_every_example_family_with_a_seed_has_a_method() -> None:
    for n in RUNNABLE:
        assert any(why is None for _, why in methods_for(example(n))), n


def test_strip_before_singulation_is_the_builders_strip() -> None:
    """The panel view just before the saw equals the family's own strip of 3 units (claim 14)."""
    unit = build("spreader_bga", strip_units=1, body_size="15 mm", die_size="6 mm", pads_per_side=12, thermal_balls=2)
    strip = build("spreader_bga", strip_units=3, body_size="15 mm", die_size="6 mm", pads_per_side=12, thermal_balls=2)
    flow = get_method(unit, None).build(unit)
    result = run_flow(unit, replace(flow, units=3, street_m=0.3e-3))
    before_saw = result.panel(len(result.records) - 1)
    assert {b.name: b for b in before_saw.bodies} == {b.name: b for b in strip.bodies}
    assert result.records[-1].step.kind is StepKind.SINGULATE
    assert {b.name: b for b in result.unit(len(result.records)).bodies} == {b.name: b for b in unit.bodies}


def test_001_storyboard_shows_fig_8a_to_8g_in_order(tmp_path: Path) -> None:
    pkg = example("flex_csp_fig1")
    result = run_flow(pkg, get_method(pkg, "001-operations-1-7").build(pkg))
    figs = [r.step.figure for r in result.records if r.step.figure]
    assert figs == [f"FIG. 8{c}" for c in "ABCDEFG"]
    files = write_frames(result, tmp_path)
    assert len(files) == len(result.records) + 1
    page = (tmp_path / "storyboard.html").read_text()
    positions = [page.index(f"FIG. 8{c}: step") for c in "ABCDEFG"]
    assert positions == sorted(positions)
    assert "http" not in page.replace("http://www.w3.org", "")  # offline: no external resources


def test_002_repeats_steps_a_and_b_per_level() -> None:
    for n in ("thinfilm_metal", "thinfilm_metal_passives", "thinfilm_metal_no_filling"):
        pkg = example(n)
        steps = get_method(pkg, "002-claims-61-101").build(pkg).steps
        levels = len([b for b in pkg.bodies if b.role.value == "dielectric"])
        assert [s.layer for s in steps if s.kind is StepKind.DEPOSIT_DIELECTRIC] == list(range(1, levels + 1))
        assert len([s for s in steps if s.kind is StepKind.ELECTROPLATE]) == levels


def test_002_singulates_per_group_of_dies() -> None:
    pkg = example("thinfilm_metal_group_same")
    last = get_method(pkg, "002-claims-61-101").build(pkg).steps[-1]
    # Two build-up levels: claim 92 singulates, claim 94 says per plurality of dies.
    assert last.singulation is Singulation.PER_GROUP and last.claims == (92, 94)


def test_003_flash_comes_off_the_interface_and_the_saw_leaves_the_sink_flush() -> None:
    pkg = example("exposed_sink")
    result = run_flow(pkg, get_method(pkg, None).build(pkg))
    moulded = next(r for r in result.records if r.step.kind is StepKind.MOLD)
    assert moulded.state.has("mold_flash")
    deflashed = next(r for r in result.records if r.step.kind is StepKind.DEFLASH)
    assert "mold_flash" in deflashed.removed
    note = result.records[-1].notes[0]
    assert "sink" in note and "encapsulant" in note


def test_102_dies_are_thinned_to_the_design_thickness() -> None:
    pkg = example("thinfilm_metal")
    result = run_flow(pkg, get_method(pkg, "002-claims-102-138").build(pkg))
    placed = next(r for r in result.records if r.step.kind is StepKind.DIE_ATTACH)
    ground = next(r for r in result.records if r.step.kind is StepKind.GRIND)
    die = pkg.by_role(pkg.bodies[0].role.__class__("die"))[0]
    t = die.solid.bbox.hi[2] - die.solid.bbox.lo[2]
    tb = placed.state.get(die.name).solid.bbox
    ta = ground.state.get(die.name).solid.bbox
    assert tb.hi[2] - tb.lo[2] == pytest.approx(t + 100e-6)
    assert ta.hi[2] - ta.lo[2] == pytest.approx(t)
    assert placed.state.face_down and not result.records[-1].state.face_down


def test_unfolded_flex_keeps_its_developed_length() -> None:
    """The flat copper is as long as the folded one: segments plus pi * r_mid per bend."""
    pkg = example("flex_csp_fig2")
    flat = flat_flex(pkg)
    cu = [b.solid.bbox for b in flat.bodies if b.name.endswith("_cu")]
    extent = max(b.hi[0] for b in cu) - min(b.lo[0] for b in cu)
    segs = sum(
        b.solid.bbox.hi[0] - b.solid.bbox.lo[0]
        for b in pkg.bodies
        if b.name.startswith("flex_L") and b.name.endswith("_cu")
    )
    arcs = sum(
        math.pi * (b.solid.inner_radius + b.solid.thickness / 2)  # type: ignore[union-attr]
        for b in pkg.bodies
        if b.name.startswith("flex_bend") and b.name.endswith("_cu")
    )
    assert extent == pytest.approx(segs + arcs, rel=1e-12)


def test_unfolding_reads_the_flex_marks_not_names() -> None:
    """The flex's segments and bends are found by their `FlexPart` marks: renamed sheets unfold the same."""
    pkg = example("flex_csp_fig6")
    renamed = tuple(replace(b, name=f"sheet_{i}") if b.flex is not None else b for i, b in enumerate(pkg.bodies))
    other = replace(pkg, bodies=renamed, validate=False)
    a, b = flat_flex(pkg), flat_flex(other)
    assert len(a.maps) == 3 and a.maps == b.maps and a.segment_z == b.segment_z
    assert [x.solid for x in a.bodies] == [x.solid for x in b.bodies]


def test_ipc2223_bend_radius() -> None:
    # R = c/2 (100 - Eb)/Eb - D: 18 um copper, 16 % elongation, 25 um cover -> 22.25 um.
    assert ipc2223_single_sided(18e-6, 25e-6, 0.16) == pytest.approx(22.25e-6)
    # Thin ductile copper: the formula falls below the crease floor of one flex thickness.
    assert min_bend_radius(12e-6, 25e-6, 62e-6, 0.20) == pytest.approx(62e-6)


def test_thermal_history_flags_reflow_and_tg() -> None:
    pkg = example("spreader_bga")
    hist = {h.material: h for h in thermal_history(run_flow(pkg, get_method(pkg, None).build(pkg)))}
    assert "molten" in hist["sac305"].flags
    assert "above Tg" in hist["mold_compound"].flags  # Tg 150 C, reflow 250 C
    assert hist["si"].flags == ()


def test_cost_rollup_counts_scrap_at_each_step() -> None:
    pkg = example("exposed_sink_qfn")
    result = run_flow(pkg, get_method(pkg, None).build(pkg))
    n = len(result.records)
    over = {i: {"yield": 1.0, "cost_usd": 0.0, "cycle_s": 0.0} for i in range(1, n + 1)}
    over[1] = {"yield": 0.5, "cost_usd": 1.0, "cycle_s": 2.0}
    over[2] = {"yield": 0.8, "cost_usd": 1.0, "cycle_s": 3.0}
    r = rollup(result, over)
    # 1 + 0.5*1 spent per started unit; 0.4 of them are good.
    assert r.cumulative_yield == pytest.approx(0.4)
    assert r.cost_per_good_unit_usd == pytest.approx(1.5 / 0.4)
    assert r.cycle_time_s == pytest.approx(5.0)


# --- invalid flows ---------------------------------------------------------------------------


def _steps(pkg: Package, method: str | None = None) -> list[Step]:
    return list(get_method(pkg, method).build(pkg).steps)


def _idx(steps: list[Step], kind: StepKind, layer: int | None = None, nth: int = 0) -> int:
    hits = [i for i, s in enumerate(steps) if s.kind is kind and (layer is None or s.layer == layer)]
    return hits[nth]


def _move(steps: list[Step], i: int, j: int) -> list[Step]:
    s = list(steps)
    s.insert(j, s.pop(i))
    return s


def _drop(steps: list[Step], i: int) -> list[Step]:
    return steps[:i] + steps[i + 1 :]


def _set(steps: list[Step], i: int, **kw: object) -> list[Step]:
    s = list(steps)
    s[i] = replace(s[i], **kw)  # type: ignore[arg-type]
    return s


def _invalid() -> list[tuple[str, str, list[Step], str]]:
    K = StepKind
    c: list[tuple[str, str, list[Step], str]] = []
    sb = example("spreader_bga")
    s = _steps(sb)
    c.append(
        (
            "spreader_bga",
            "spreader before sealant",
            _move(s, _idx(s, K.ATTACH_SPREADER), _idx(s, K.MOLD)),
            "sealant is not made yet",
        )
    )
    c.append(
        ("spreader_bga", "glue not primed", _drop(s, _idx(s, K.PRIME_GLUE)), "no thermally conductive glue primed")
    )
    c.append(("spreader_bga", "bond before cure", _drop(s, _idx(s, K.CURE)), "not cured yet"))
    c.append(
        ("spreader_bga", "balls before spreader", _move(s, _idx(s, K.BALL_ATTACH), _idx(s, K.PRIME_GLUE)), "go on last")
    )
    c.append(
        ("spreader_bga", "cure too hot", _set(s, _idx(s, K.CURE), temperature_k=593.15), "exceeds the 300 C limit")
    )
    c.append(("spreader_bga", "no singulation", s[:-1], "singulate the units"))
    c.append(
        (
            "spreader_bga",
            "saw before balls",
            _move(s, len(s) - 1, _idx(s, K.BALL_ATTACH)),
            "singulate after the last step",
        )
    )
    c.append(
        (
            "spreader_bga",
            "tape bond on a wire design",
            _set(s, _idx(s, K.WIRE_BOND), kind=K.TAPE_BOND),
            "nothing to bond",
        )
    )
    c.append(("spreader_bga", "lead frame for a substrate", _set(s, 0, kind=K.PROVIDE_LEAD_FRAME), "no lead frame"))
    c.append(("spreader_bga", "die attached twice", _move([*s, s[1]], len(s), 2), "no die left"))
    c.append(("spreader_bga", "attach material differs", _set(s, 1, material="epoxy"), "differs from the design"))
    c.append(("spreader_bga", "unknown material", _set(s, 1, material="unobtainium"), "not in the library"))
    ng = _steps(example("spreader_bga_no_glue"))
    c.append(
        (
            "spreader_bga_no_glue",
            "glue the design lacks",
            [*ng[:6], Step(K.PRIME_GLUE), *ng[6:]],
            "no thermally conductive glue",
        )
    )
    f1 = _steps(example("flex_csp_fig1"))
    c.append(
        (
            "flex_csp_fig1",
            "balls before bending",
            _move(f1, _idx(f1, K.BALL_ATTACH), _idx(f1, K.BEND_FLEX)),
            "bent flex",
        )
    )
    c.append(
        ("flex_csp_fig1", "bend too tight", _set(f1, _idx(f1, K.BEND_FLEX), radius_m=30e-6), "below the flex's minimum")
    )
    c.append(
        (
            "flex_csp_fig1",
            "bend radius not the design's",
            _set(f1, _idx(f1, K.BEND_FLEX), radius_m=0.5e-3),
            "differs from the design",
        )
    )
    c.append(("flex_csp_fig1", "unbumped die", _drop(f1, 0), "no bumps yet"))
    c.append(
        ("flex_csp_fig1", "glass before the flex", _move(f1, _idx(f1, K.ATTACH_GLASS), 1), "provide the flex first")
    )
    c.append(
        ("flex_csp_fig1", "die attach on a flip-chip design", _set(f1, 2, kind=K.DIE_ATTACH), "use flip_chip_bond")
    )
    f2 = _steps(example("flex_csp_fig2"))
    c.append(("flex_csp_fig2", "memory die after bending", _move(f2, 3, _idx(f2, K.BEND_FLEX)), "every die is bonded"))
    tf = _steps(example("thinfilm_metal"))
    c.append(
        (
            "thinfilm_metal",
            "wiring before thru-holes",
            _drop(tf, _idx(tf, K.PATTERN_THRU_HOLES, 1)),
            "thru-holes of level 1 are not opened",
        )
    )
    c.append(("thinfilm_metal", "plating without seed", _drop(tf, _idx(tf, K.SPUTTER_SEED, 1)), "no seed layer"))
    c.append(
        ("thinfilm_metal", "resist left on", _drop(tf, _idx(tf, K.STRIP_RESIST, 1)), "resist of level 1 is still on")
    )
    c.append(
        (
            "thinfilm_metal",
            "via deeper than dielectric",
            _set(tf, _idx(tf, K.PATTERN_THRU_HOLES, 1), depth_m=50e-6),
            "deeper than dielectric 1",
        )
    )
    c.append(
        (
            "thinfilm_metal",
            "no filling layer",
            _drop(_drop(tf, _idx(tf, K.FILL) + 1), _idx(tf, K.FILL)),
            "filling layer goes in before",
        )
    )
    c.append(
        ("thinfilm_metal", "empty thru-holes", _set(tf, _idx(tf, K.ELECTROPLATE, 1), fill_vias=False), "are empty")
    )
    c.append(
        ("thinfilm_metal", "machining a flat substrate", [*tf[:1], Step(K.MACHINE), *tf[1:]], "nothing to machine")
    )
    c.append(
        ("thinfilm_metal", "nonexistent layer", _set(tf, _idx(tf, K.DEPOSIT_DIELECTRIC, 1), layer=7), "does not exist")
    )
    c.append(
        (
            "thinfilm_metal",
            "dielectric thickness",
            _set(tf, _idx(tf, K.DEPOSIT_DIELECTRIC, 1), thickness_m=30e-6),
            "differs from the design's dielectric 1",
        )
    )
    c.append(
        (
            "thinfilm_metal",
            "passivation before the top wiring",
            _move(tf, _idx(tf, K.PASSIVATE), _idx(tf, K.DEPOSIT_DIELECTRIC, 2)),
            "outermost wiring",
        )
    )
    pu = _steps(example("thinfilm_metal_punched"))
    c.append(("thinfilm_metal_punched", "laminate before punch", _move(pu, _idx(pu, K.LAMINATE), 1), "not punched yet"))
    ma = _steps(example("thinfilm_metal_machined"))
    c.append(("thinfilm_metal_machined", "die before machining", _drop(ma, _idx(ma, K.MACHINE)), "not formed yet"))
    gs = _steps(example("thinfilm_metal_group_same"))
    c.append(
        (
            "thinfilm_metal_group_same",
            "per-die saw of a group",
            _set(gs, len(gs) - 1, singulation=Singulation.PER_DIE),
            "singulate per group",
        )
    )
    r2 = _steps(example("thinfilm_metal"), "002-claims-102-138")
    c.append(
        (
            "thinfilm_metal",
            "build-up on the temporary substrate",
            _move(r2, _idx(r2, K.REMOVE_CARRIER), len(r2) - 1),
            "temporary substrate",
        )
    )
    c.append(
        ("thinfilm_metal", "ground too thin", _set(r2, _idx(r2, K.GRIND), thickness_m=0.2e-3), "unlike the design")
    )
    c.append(
        (
            "thinfilm_metal",
            "carrier off before the metal substrate",
            _move(r2, _idx(r2, K.REMOVE_CARRIER), _idx(r2, K.GRIND) + 1),
            "must hold the dies",
        )
    )
    c.append(
        (
            "thinfilm_metal",
            "temporary substrate of copper",
            _set(r2, 0, material="cu_rolled"),
            "outside the set claim 102, 105",
        )
    )
    es = _steps(example("exposed_sink"))
    c.append(
        (
            "exposed_sink",
            "interface after moulding",
            _move(es, _idx(es, K.PLATE_INTERFACE), _idx(es, K.MOLD) + 1),
            "interface layer is not made yet",
        )
    )
    c.append(
        (
            "exposed_sink",
            "sink after moulding",
            _move(es, _idx(es, K.MOLD), _idx(es, K.ATTACH_SINK)),
            "heat sink is not made yet",
        )
    )
    c.append(
        (
            "exposed_sink",
            "grinding off the interface",
            _set(es, _idx(es, K.DEFLASH), kind=K.GRIND),
            "take the interface layer",
        )
    )
    c.append(("exposed_sink", "flash left on", _drop(es, _idx(es, K.DEFLASH)), "mold_flash"))
    ni = _steps(example("exposed_sink_no_interface"))
    c.append(
        ("exposed_sink_no_interface", "deflash a bare sink", _set(ni, _idx(ni, K.GRIND), kind=K.DEFLASH), "bare sink")
    )
    cb = _steps(example("cavity_buildup"))
    c.append(("cavity_buildup", "die before the cavity", _drop(cb, _idx(cb, K.MACHINE)), "cavity"))
    c.append(
        (
            "cavity_buildup",
            "columns before their dielectric",
            _move(cb, _idx(cb, K.FILL_VIAS, 1), _idx(cb, K.DEPOSIT_DIELECTRIC, 1)),
            "thru-holes of level 1 are not opened",
        )
    )
    return c


INVALID = _invalid()


def test_at_least_thirty_invalid_flows() -> None:
    assert len(INVALID) >= 30


@pytest.mark.parametrize(("design", "what", "steps", "reason"), INVALID, ids=[c[1] for c in INVALID])
def test_invalid_flow_is_rejected_with_one_line(design: str, what: str, steps: list[Step], reason: str) -> None:
    with pytest.raises(FlowError) as info:
        run_flow(example(design), Flow("bad", tuple(steps)))
    msg = str(info.value)
    assert "\n" not in msg and msg.startswith("step ")
    assert reason in msg, msg


def test_unclaimed_dielectric_is_refused_by_the_claimed_method() -> None:
    pkg = build("thinfilm_metal", dielectric_material="epoxy")
    with pytest.raises(FlowError, match="outside the set claim"):
        run_flow(pkg, get_method(pkg, "002-claims-61-101").build(pkg))


@pytest.mark.parametrize(
    ("name", "method", "kinds"),
    [
        ("thinfilm_metal", "002-claims-102-138", ("SUBSTRATE", "FIRST_FILLING")),
        ("exposed_sink", None, ("MOLD_FLASH",)),
    ],
)
def test_engine_temporaries_are_made_and_gone_by_the_end(name: str, method: str | None, kinds: tuple[str, ...]) -> None:
    from semipack.process.facts import Temporary

    pkg = example(name)
    result = run_flow(pkg, get_method(pkg, method).build(pkg))
    for kind in (Temporary[k] for k in kinds):
        assert any(r.state.holds(kind) for r in result.records), kind
        assert not result.records[-1].state.holds(kind) and not result.records[-1].state.has(kind.value)
