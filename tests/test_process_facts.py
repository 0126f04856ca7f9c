"""The engine's typed state: frozen facts, a frozen `Change`, and the method-run result of the claims."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace
from functools import cache
from typing import get_args

import pytest
from conftest import example

from semipack.claims import Tolerances
from semipack.claims.facts import Facts
from semipack.errors import DesignError, FlowError, SemipackError
from semipack.materials import Category
from semipack.model import Role
from semipack.process import FlowResult, StepKind, get_method, run_flow
from semipack.process.context import Context
from semipack.process.effects import HANDLERS, Change, StepProblem
from semipack.process.facts import Fact, Flag, PlatingResist, SeedLayer, ThruHoles, Uncured
from semipack.process.loader import flow_from_mapping
from semipack.process.state import BuildState

M61 = "002-claims-61-101"


@cache
def _run(name: str, method: str | None = None) -> FlowResult:
    pkg = example(name)
    return run_flow(pkg, get_method(pkg, method).build(pkg))


def _after(result: FlowResult, kind: StepKind, layer: int | None = None) -> BuildState:
    return next(r.state for r in result.records if r.step.kind is kind and (layer is None or r.step.layer == layer))


def test_every_fact_of_every_state_is_typed() -> None:
    kinds = get_args(Fact)
    for name in ("thinfilm_metal", "flex_csp_fig1", "spreader_bga"):
        for r in _run(name).records:
            assert all(isinstance(f, kinds) for f in r.state.facts), (name, r.step.title, r.state.facts)


def test_build_up_facts_follow_the_plating_sequence() -> None:
    """Holes open, seed sputtered, resist on while plating, both gone after the strip (claims 72-76)."""
    result = _run("thinfilm_metal", M61)
    holes = _after(result, StepKind.PATTERN_THRU_HOLES, 1)
    assert ThruHoles(1) in holes.facts and SeedLayer(1) not in holes.facts
    plated = _after(result, StepKind.ELECTROPLATE, 1)
    assert {ThruHoles(1), SeedLayer(1), PlatingResist(1)} <= plated.facts
    stripped = _after(result, StepKind.STRIP_RESIST, 1)
    assert PlatingResist(1) not in stripped.facts and SeedLayer(1) not in stripped.facts
    assert ThruHoles(1) in stripped.facts


def test_cure_clears_exactly_the_adhesives_that_went_on() -> None:
    result = _run("spreader_bga")
    attach = [b.name for b in example("spreader_bga").by_role(Role.DIE_ATTACH)]
    attached = _after(result, StepKind.DIE_ATTACH)
    assert {Uncured(n) for n in attach} <= attached.facts
    cured = next(r for r in result.records if r.step.kind is StepKind.CURE)
    assert not any(isinstance(f, Uncured) for f in cured.state.facts)
    assert cured.notes == ("cured: " + ", ".join(sorted(attach)),)


def test_level_facts_of_one_level_are_told_apart_by_kind() -> None:
    assert ThruHoles(1) != SeedLayer(1) and ThruHoles(1) == ThruHoles(1)
    assert len({ThruHoles(1), SeedLayer(1), PlatingResist(1), ThruHoles(2)}) == 4


def test_flags_mark_the_flex_and_the_bumped_dies() -> None:
    result = _run("flex_csp_fig1")
    assert Flag.BUMPED in _after(result, StepKind.PROVIDE_DIE).facts
    assert Flag.FLEX in _after(result, StepKind.PROVIDE_FLEX).facts


def test_a_handlers_change_is_frozen_and_built_once() -> None:
    pkg = example("thinfilm_metal")
    ctx = Context.of(pkg)
    state = _after(_run("thinfilm_metal", M61), StepKind.DEPOSIT_DIELECTRIC, 1)
    step = next(s for s in get_method(pkg, M61).build(pkg).steps if s.kind is StepKind.PATTERN_THRU_HOLES)
    change = HANDLERS[step.kind](ctx, state, step)
    assert isinstance(change, Change)
    assert change.facts_add == frozenset({ThruHoles(1)})
    with pytest.raises(FrozenInstanceError):
        change.notes = ()  # type: ignore[misc]
    assert isinstance(change.notes, tuple) and isinstance(change.remove, frozenset)


def test_step_problem_is_a_semipack_error() -> None:
    assert issubclass(StepProblem, SemipackError)


def test_steps_for_gives_the_steps_or_the_reason() -> None:
    pkg = example("thinfilm_metal")
    facts = Facts(pkg, Tolerances())
    run = facts.steps_for(M61)
    assert run.ok and run.reason is None
    assert run.steps == tuple(r.step for r in _run("thinfilm_metal", M61).records)
    unknown = facts.steps_for("no-such-method")
    assert not unknown.ok and unknown.steps == () and unknown.reason == "unknown method no-such-method"
    other = facts.steps_for("001-operations-1-7")
    assert other.reason is not None and "flex_csp" in other.reason and other.steps == ()


def test_a_claims_material_categories_are_typed_and_worded_as_before() -> None:
    """Claim 105 allows glass, silicon or organic: a copper temporary substrate is refused, the set
    named as a flow file writes it; a polymer (category) substrate is accepted."""
    pkg = example("thinfilm_metal")
    flow = get_method(pkg, "002-claims-102-138").build(pkg)
    first = flow.steps[0]
    assert Category.POLYMER in first.allowed and "category:polymer" not in first.allowed
    with pytest.raises(FlowError) as err:
        run_flow(pkg, replace(flow, steps=(replace(first, material="cu_rolled"), *flow.steps[1:])))
    assert err.value.reason.endswith(
        "outside the set claim 102, 105 allows: borosilicate, category:laminate, category:polymer, ircut_glass, si"
    )
    polymer = next(k for k in pkg.materials if pkg.materials[k].category is Category.POLYMER)
    ok = run_flow(pkg, replace(flow, steps=(replace(first, material=polymer), *flow.steps[1:])))
    assert ok.records[0].state.get("temporary_substrate").material == polymer


def test_flow_files_name_categories_and_unknown_ones_are_refused() -> None:
    step = {"kind": "fill", "allowed": ["epoxy", "category:polymer"]}
    flow = flow_from_mapping({"name": "f", "steps": [step]})
    assert flow.steps[0].allowed == ("epoxy", Category.POLYMER)
    with pytest.raises(DesignError) as err:
        flow_from_mapping({"name": "f", "steps": [{"kind": "fill", "allowed": ["category:plastic"]}]})
    assert err.value.field == "flow.steps.0.allowed" and "category:polymer" in str(err.value)
