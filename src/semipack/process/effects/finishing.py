"""Terminals, cure and singulation."""

from __future__ import annotations

from semipack.geometry import Box
from semipack.process.context import Context
from semipack.process.effects.common import (
    TOL,
    Change,
    StepProblem,
    make,
    pending,
)
from semipack.process.facts import Uncured, any_resist, uncured_bodies
from semipack.process.parts import Part
from semipack.process.state import BuildState, Level, outline_of
from semipack.process.steps import Singulation, Step, StepKind

_TERMINAL = {StepKind.BALL_ATTACH: Part.BALLS, StepKind.BUMP_FORM: Part.TERMINAL_BUMPS, StepKind.PIN_ATTACH: Part.PINS}


def terminals(ctx: Context, state: BuildState, step: Step) -> Change:
    part = _TERMINAL[step.kind]
    names = pending(ctx, state, part, step)
    if not names:
        have = [p.value for p in _TERMINAL.values() if ctx.has(p)]
        raise StepProblem(f"the design's terminals are {', '.join(have) or 'none'}, not {part.value}")
    waiting = sorted(
        {
            str(ctx.parts[n])
            for n in ctx.parts
            if ctx.parts[n].part not in _TERMINAL.values() and (n not in state.made or n in state.provisional)
        }
    )
    if waiting:
        raise StepProblem(f"{part.value} go on last; not made yet: {', '.join(waiting)}")
    if any_resist(state.facts):
        raise StepProblem("a plating resist is still on: strip it first")
    return make(ctx, names)


def cure(ctx: Context, state: BuildState, step: Step) -> Change:
    waiting = uncured_bodies(state.facts)
    if not waiting:
        raise StepProblem("nothing to cure")
    return Change(facts_remove=frozenset(Uncured(n) for n in waiting), notes=("cured: " + ", ".join(waiting),))


def singulate(ctx: Context, state: BuildState, step: Step) -> Change:
    if state.level is Level.UNIT:
        raise StepProblem("the units are already singulated")
    missing = sorted({str(ctx.parts[n]) for n in ctx.parts if n not in state.made or n in state.provisional})
    if missing:
        raise StepProblem(f"singulate after the last step that builds the package; not made yet: {', '.join(missing)}")
    if state.temporary:
        raise StepProblem(f"temporary bodies still on: {', '.join(sorted(state.temporary))}")
    uncured = uncured_bodies(state.facts)
    if uncured:
        raise StepProblem(f"not cured yet: {', '.join(uncured)}")
    n_dies = len(ctx.dies)
    if step.singulation is Singulation.PER_DIE and n_dies > 1:
        raise StepProblem(f"the design puts {n_dies} dies in one package: singulate per group (claim 82)")
    if step.singulation is Singulation.PER_GROUP and n_dies < 2:
        raise StepProblem("the design has one die per package: singulate per die (claim 81)")
    x0, y0, x1, y1 = outline_of(ctx.design)
    sawn = [
        b.name
        for b in ctx.design.bodies
        if isinstance(b.solid, Box)
        and abs(b.solid.bbox.lo[0] - x0) < TOL
        and abs(b.solid.bbox.hi[0] - x1) < TOL
        and abs(b.solid.bbox.lo[1] - y0) < TOL
        and abs(b.solid.bbox.hi[1] - y1) < TOL
    ]
    note = "sawn faces flush with the outline: " + (", ".join(sawn) if sawn else "none")
    return Change(level=Level.UNIT, notes=(note,))
