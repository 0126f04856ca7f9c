"""The thin-film build-up, level by level: dielectric, thru-holes, seed, vias, wiring, resist, passivation."""

from __future__ import annotations

from dataclasses import replace

from semipack.process.context import Context
from semipack.process.effects.common import (
    Change,
    StepProblem,
    make,
    need,
    pending,
)
from semipack.process.facts import PlatingResist, SeedLayer, Temporary, ThruHoles, any_resist
from semipack.process.parts import Part
from semipack.process.state import BuildState
from semipack.process.steps import Step, StepKind
from semipack.units import um


def _layer(ctx: Context, step: Step, part: Part) -> int:
    levels = ctx.levels(part) or ctx.levels(Part.DIELECTRIC)
    if step.layer is None:
        raise StepProblem(f"{step.kind.value} needs a layer number (1 to {max(levels, default=0)})")
    if step.layer not in ctx.levels(Part.DIELECTRIC):
        raise StepProblem(
            f"layer {step.layer} does not exist; the design has {len(ctx.levels(Part.DIELECTRIC))} build-up levels"
        )
    return step.layer


def deposit_dielectric(ctx: Context, state: BuildState, step: Step) -> Change:
    k = _layer(ctx, step, Part.DIELECTRIC)
    names = pending(ctx, state, Part.DIELECTRIC, step, k)
    if not names:
        raise StepProblem(f"dielectric layer {k} is already deposited")
    if state.face_down or state.holds(Temporary.SUBSTRATE):
        raise StepProblem("the active surfaces still face the temporary substrate: remove it first")
    need(ctx, state, Part.DIE, "the dielectric covers the active surfaces")
    need(ctx, state, Part.FILLING, "the filling layer goes in before the first dielectric (claim 70)")
    if k > 1:
        need(ctx, state, Part.WIRING, "each dielectric covers the wiring below it", k - 1)
        if PlatingResist(k - 1) in state.facts:
            raise StepProblem(f"the plating resist of level {k - 1} is still on: strip it first")
    b = ctx.bodies[names[0]]
    if step.thickness_m is not None:
        t = b.solid.bbox.hi[2] - b.solid.bbox.lo[2]
        if abs(step.thickness_m - t) > 0.01 * t:
            raise StepProblem(f"thickness {um(step.thickness_m)} differs from the design's dielectric {k} ({um(t)})")
    return make(ctx, names)


def thru_holes(ctx: Context, state: BuildState, step: Step) -> Change:
    k = _layer(ctx, step, Part.VIAS)
    need(ctx, state, Part.DIELECTRIC, "the thru-holes are opened in it", k)
    vias = ctx.names(Part.VIAS, k)
    if not vias:
        raise StepProblem(f"the design has no vias in dielectric {k}")
    if ThruHoles(k) in state.facts:
        raise StepProblem(f"the thru-holes of level {k} are already open")
    depth = max(ctx.bodies[n].solid.bbox.hi[2] - ctx.bodies[n].solid.bbox.lo[2] for n in vias)
    if step.depth_m is not None and step.depth_m > depth + 1e-7:
        raise StepProblem(f"a {um(step.depth_m)} deep via is deeper than dielectric {k} over the pads ({um(depth)})")
    return Change(facts_add=frozenset({ThruHoles(k)}), notes=(f"{len(vias)} thru-holes, {um(depth)} deep",))


def seed(ctx: Context, state: BuildState, step: Step) -> Change:
    k = _layer(ctx, step, Part.WIRING)
    need(ctx, state, Part.DIELECTRIC, "the seed layer covers it", k)
    if ctx.names(Part.VIAS, k) and ThruHoles(k) not in state.facts:
        raise StepProblem(f"the thru-holes of level {k} are not opened yet")
    return Change(facts_add=frozenset({SeedLayer(k)}))


def fill_vias(ctx: Context, state: BuildState, step: Step) -> Change:
    k = _layer(ctx, step, Part.VIAS)
    names = pending(ctx, state, Part.VIAS, step, k)
    if not names:
        raise StepProblem(f"no open vias to fill at level {k}")
    if ThruHoles(k) not in state.facts:
        raise StepProblem(f"the thru-holes of level {k} are not opened yet: pattern them first")
    return make(ctx, names)


def wiring(ctx: Context, state: BuildState, step: Step) -> Change:
    k = _layer(ctx, step, Part.WIRING)
    names = pending(ctx, state, Part.WIRING, step, k)
    if not names:
        raise StepProblem(f"wiring layer {k} is already made (or the design has none)")
    need(ctx, state, Part.DIELECTRIC, "the wiring lies on it", k)
    vias = [n for n in ctx.names(Part.VIAS, k) if n not in state.made]
    if ctx.names(Part.VIAS, k) and ThruHoles(k) not in state.facts:
        raise StepProblem(f"wiring before the thru-holes of dielectric {k} are opened: pattern them first")
    if vias and not step.fill_vias:
        raise StepProblem(f"the thru-holes of level {k} are empty: fill them first or plate with fill_vias (claim 73)")
    if step.kind is StepKind.ELECTROPLATE and SeedLayer(k) not in state.facts:
        raise StepProblem(f"no seed layer on level {k}: sputter a seed before electroplating")
    ch = make(ctx, (vias if step.fill_vias else []) + names)
    if step.kind is StepKind.ELECTROPLATE:
        # Electroplating patterns the wiring through a resist that a later step strips.
        return replace(ch, facts_add=frozenset({PlatingResist(k)}))
    return ch


def strip_resist(ctx: Context, state: BuildState, step: Step) -> Change:
    k = _layer(ctx, step, Part.WIRING)
    if PlatingResist(k) not in state.facts:
        raise StepProblem(f"there is no plating resist on level {k}")
    return Change(facts_remove=frozenset({PlatingResist(k), SeedLayer(k)}), notes=("resist stripped, seed etched",))


def passivate(ctx: Context, state: BuildState, step: Step) -> Change:
    names = pending(ctx, state, Part.PASSIVATION, step)
    if not names:
        raise StepProblem("the design has no passivation layer (or it is already on)")
    top = max(ctx.levels(Part.WIRING), default=0)
    need(ctx, state, Part.WIRING, "the passivation covers the outermost wiring", top)
    if any_resist(state.facts):
        raise StepProblem("a plating resist is still on: strip it first")
    return make(ctx, names)
