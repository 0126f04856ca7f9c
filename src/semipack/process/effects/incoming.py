"""Incoming material: substrates, lead frames, flexes, metal substrates and carriers, the
temporary substrate, bumped dies; and the metal work on them (machining, punching, lamination)."""

from __future__ import annotations

from dataclasses import replace

from semipack.geometry import Box
from semipack.model import Body, Role
from semipack.process.context import Context
from semipack.process.effects.common import (
    INCOMING,
    Change,
    StepProblem,
    has_cavity,
    make,
    pending,
    plain,
)
from semipack.process.facts import Flag, Temporary
from semipack.process.parts import Part
from semipack.process.state import BuildState, outline_of
from semipack.process.steps import Step, StepKind


def provide_substrate(ctx: Context, state: BuildState, step: Step) -> Change:
    lead_frame = bool(ctx.design.by_role(Role.LEAD))
    if step.kind is StepKind.PROVIDE_SUBSTRATE and lead_frame:
        raise StepProblem("the design's carrier is a lead frame: use provide_lead_frame")
    if step.kind is StepKind.PROVIDE_LEAD_FRAME and not lead_frame:
        raise StepProblem("the design has no lead frame (its carrier is a substrate)")
    names = pending(ctx, state, Part.BASE, step)
    if not names:
        raise StepProblem("the design has no laminate substrate or lead frame to provide")
    return make(ctx, names)


def provide_flex(ctx: Context, state: BuildState, step: Step) -> Change:
    if ctx.flat is None:
        raise StepProblem("the design has no flexible substrate")
    flat = {b.name for b in ctx.flat.bodies}
    if any(b.name in flat for b in state.bodies) or state.made & set(ctx.names(Part.FOLD)):
        raise StepProblem("the flex is already provided")
    return Change(
        add=tuple(ctx.flat.bodies),
        temporary=frozenset(b.name for b in ctx.flat.bodies),
        facts_add=frozenset({Flag.FLEX}),
        notes=(f"flat flex: window, conductive patterns and ball holes, {len(ctx.flat.maps)} segments",),
    )


def provide_metal(ctx: Context, state: BuildState, step: Step) -> Change:
    part = Part.CARRIER if step.kind is StepKind.PROVIDE_CARRIER else Part.METAL_BASE
    names = pending(ctx, state, part, step)
    if not names:
        raise StepProblem(f"the design has no {part.value} to provide (or it is already there)")
    if part is Part.METAL_BASE and len(ctx.names(part)) > 1 and not step.target:
        # Claims 67/69: the first layer comes alone, is punched, then laminated on the second.
        names = [n for n in names if has_cavity(ctx.bodies[n])]
    # A body with a cavity arrives plain; machining or punching finishes it.
    add = [plain(ctx.bodies[n]) if has_cavity(ctx.bodies[n]) else ctx.bodies[n] for n in names]
    provisional = frozenset(n for n in names if has_cavity(ctx.bodies[n]))
    made = list(names)
    face_down = [d.name for d in ctx.dies if d.name in state.made and state.face_down]
    if face_down:
        # Claim 102: the metal substrate is adhered to the dies' backsides.
        for d in face_down:
            if d in state.provisional:
                raise StepProblem(f"die {d!r} is not thinned yet: grind the dies before adhering the metal substrate")
        attach = pending(ctx, state, Part.DIE_ATTACH, replace(step, target=()))
        add += [ctx.bodies[n] for n in attach]
        made += attach
    return Change(add=tuple(add), make=tuple(made), provisional=provisional)


def provide_temporary(ctx: Context, state: BuildState, step: Step) -> Change:
    if state.bodies:
        raise StepProblem("the temporary substrate comes first (claim 102)")
    x0, y0, x1, y1 = outline_of(ctx.design)
    z = ctx.active_z
    t = step.thickness_m or 0.7e-3
    mat = step.material or "borosilicate"
    body = Body(
        Temporary.SUBSTRATE.value, Role.SUBSTRATE, mat, Box((x0, y0, z), (x1, y1, z + t)), "T", "temporary substrate"
    )
    return Change(add=(body,), temporary=frozenset({body.name}), face_down=True, facts_add=frozenset({Flag.FACE_DOWN}))


def provide_die(ctx: Context, state: BuildState, step: Step) -> Change:
    """Operation 1 of seed 001: the dies arrive with bumps on their bond pads (shown, not yet placed)."""
    if not ctx.has(Part.BUMPS):
        raise StepProblem("the design's dies carry no bumps; they are attached with die_attach")
    if Flag.BUMPED in state.facts:
        raise StepProblem("the dies are already provided")
    names = [n for n in ctx.names(Part.DIE) + ctx.names(Part.BUMPS)]
    add = [replace(ctx.bodies[n], name=INCOMING + n) for n in names]
    return Change(
        add=tuple(add),
        temporary=frozenset(b.name for b in add),
        facts_add=frozenset({Flag.BUMPED}),
        notes=("dies with bumps on their bond pads",),
    )


def machine(ctx: Context, state: BuildState, step: Step) -> Change:
    cands = [n for n in state.provisional if ctx.parts[n].part in (Part.METAL_BASE, Part.CARRIER)]
    if step.kind is StepKind.MACHINE:
        if len(ctx.names(Part.METAL_BASE)) > 1:
            raise StepProblem("the openings of a two-layer metal substrate are punched in the first layer (claim 69)")
        if not cands:
            if any(has_cavity(ctx.bodies[n]) for n in state.made):
                raise StepProblem("the cavities are already formed")
            raise StepProblem("nothing to machine: the design's metal substrate or carrier has no cavity")
        return Change(
            add=tuple(ctx.bodies[n] for n in cands),
            finalise=frozenset(cands),
            notes=("cavities / inwardly protruded areas machined",),
        )
    # punch
    if len(ctx.names(Part.METAL_BASE)) < 2:
        raise StepProblem("punching makes the openings of a two-layer metal substrate; this design has one layer")
    if not cands:
        raise StepProblem("no unpunched first metal layer here (provide it first; punch before laminating)")
    return Change(
        add=tuple(ctx.bodies[n] for n in cands),
        finalise=frozenset(cands),
        notes=("openings punched through the first metal layer",),
    )


def laminate(ctx: Context, state: BuildState, step: Step) -> Change:
    firsts = [n for n in ctx.names(Part.METAL_BASE) if has_cavity(ctx.bodies[n])]
    if len(ctx.names(Part.METAL_BASE)) < 2:
        raise StepProblem("the design's metal substrate is one layer; there is nothing to laminate")
    if not all(n in state.made for n in firsts):
        raise StepProblem("the first metal layer is not provided yet")
    if any(n in state.provisional for n in firsts):
        raise StepProblem("the first metal layer is not punched yet: punch, then laminate (claim 69)")
    names = pending(ctx, state, Part.METAL_BASE, step)
    if not names:
        raise StepProblem("the metal layers are already laminated")
    return make(ctx, names)
