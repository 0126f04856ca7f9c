"""Dies and what goes around them: attach, bonds, underfill, mould, glue, spreader, sink and
interface layer, glass, the flex bend; thinning, filling, the temporary carrier, deflash."""

from __future__ import annotations

from dataclasses import replace

from semipack.geometry import BentSheet, Box
from semipack.model import Body, FlexLayer, FlexPiece, Role
from semipack.process.context import Context
from semipack.process.defaults import FLASH_THICKNESS_M, GRIND_ALLOWANCE_M, LOW_ADHESION
from semipack.process.effects.common import (
    INCOMING,
    TOL,
    Change,
    StepProblem,
    forbid,
    make,
    need,
    pending,
    touch,
)
from semipack.process.facts import Flag, Temporary, Uncured
from semipack.process.parts import Part
from semipack.process.state import BuildState, outline_of
from semipack.process.steps import Step, StepKind
from semipack.process.unfold import bumps_of, flex_sheets, segment_of, transform
from semipack.units import mm, um


def die_attach(ctx: Context, state: BuildState, step: Step) -> Change:
    if ctx.has(Part.BUMPS) and not step.face_down:
        raise StepProblem("the design's dies are flip-chip bonded: use flip_chip_bond")
    dies = pending(ctx, state, Part.DIE, step)
    if not dies:
        raise StepProblem("no die left to attach")
    if step.face_down:
        if Flag.FACE_DOWN not in state.facts or not state.holds(Temporary.SUBSTRATE):
            raise StepProblem("face-down placement needs the temporary substrate (claim 102)")
        return _face_down_dies(ctx, step, dies)
    attach = [n for n in pending(ctx, state, Part.DIE_ATTACH, replace(step, target=()))]
    if step.target:
        attach = [a for a in attach if any(touch(ctx.bodies[a], ctx.bodies[d]) for d in dies)]
    for base in state.provisional:
        if ctx.parts[base].part in (Part.METAL_BASE, Part.CARRIER):
            raise StepProblem(f"the cavity in {base!r} is not formed yet: machine (or punch) before placing the die")
    return make(ctx, attach + dies)


def _face_down_dies(ctx: Context, step: Step, dies: list[str]) -> Change:
    """Claim 102: the dies go face down on the temporary substrate, thicker than designed until ground."""
    add = []
    thick_dies = set()
    for n in dies:
        b = ctx.bodies[n]
        assert isinstance(b.solid, Box)
        t_design = b.solid.hi[2] - b.solid.lo[2]
        t_in = step.thickness_m if step.thickness_m is not None else t_design + GRIND_ALLOWANCE_M
        if t_in < t_design - TOL:
            raise StepProblem(f"incoming die thickness {mm(t_in)} is below the design's {mm(t_design)}")
        add.append(replace(b, solid=Box((b.solid.lo[0], b.solid.lo[1], b.solid.hi[2] - t_in), b.solid.hi)))
        if t_in > t_design + TOL:
            thick_dies.add(n)
    return Change(
        add=tuple(add),
        make=tuple(dies),
        provisional=frozenset(thick_dies),
        facts_add=frozenset({Flag.FACE_DOWN_DIES}),
    )


def _need_cured_attach(ctx: Context, state: BuildState, what: str) -> None:
    for n in ctx.names(Part.DIE_ATTACH):
        if Uncured(n) in state.facts:
            raise StepProblem(f"the die attach ({n}) is not cured yet: cure it before {what}")


def wire_bond(ctx: Context, state: BuildState, step: Step) -> Change:
    part = Part.WIRES if step.kind is StepKind.WIRE_BOND else Part.TAPES
    names = pending(ctx, state, part, step)
    if not names:
        other = "conductive adhesive tapes (tape_bond)" if ctx.has(Part.TAPES) else "no wire or tape connections"
        raise StepProblem(f"nothing to bond with {step.kind.value}: the design uses {other}")
    need(ctx, state, Part.DIE, "attach the die before bonding")
    _need_cured_attach(ctx, state, "bonding")
    return make(ctx, names)


def flip_chip(ctx: Context, state: BuildState, step: Step) -> Change:
    if not ctx.has(Part.BUMPS):
        raise StepProblem("the design's dies are not flip-chip: use die_attach")
    if Flag.BUMPED not in state.facts:
        raise StepProblem("the dies have no bumps yet: provide bumped dies first (001 operation 1)")
    dies = pending(ctx, state, Part.DIE, step)
    if not dies:
        raise StepProblem("no die left to bond")
    bumps_all = [n for n in ctx.names(Part.BUMPS) if n not in state.made]
    add: list[Body] = []
    made: list[str] = []
    moved: set[str] = set()
    for d in dies:
        # One die takes every bump; of several, each takes the bumps on its pads' nets.
        mine = {b.name for b in bumps_of(ctx.design, d)} if len(ctx.dies) > 1 else set(bumps_all)
        own = [n for n in bumps_all if n in mine]
        seg = segment_of(ctx.design, d, ctx.flat) if ctx.flat is not None else 0
        if ctx.flat is not None and Flag.FLEX not in state.facts:
            raise StepProblem("the flex is not provided yet (001 operation 2)")
        if ctx.flat is not None and seg > 0 and any(n in state.made for n in ctx.names(Part.FOLD)):
            raise StepProblem(f"die {d!r} bonds to flex segment {seg}, which is already folded: bond before bending")
        for n in [d, *own]:
            b = ctx.bodies[n]
            if seg > 0 and ctx.flat is not None:
                # On a segment the bend will fold: placed on the flat flex, moved into place by the bend.
                add.append(replace(b, solid=transform(b.solid, ctx.flat.maps[seg])))
                moved.add(n)
            else:
                add.append(b)
            made.append(n)
    if ctx.has(Part.BASE) and not any(n in state.made for n in ctx.names(Part.BASE)):
        raise StepProblem("the substrate is not provided yet")
    return Change(
        add=tuple(add),
        make=tuple(made),
        provisional=frozenset(moved),
        remove=frozenset(INCOMING + n for n in made),
    )


def underfill(ctx: Context, state: BuildState, step: Step) -> Change:
    names = pending(ctx, state, Part.UNDERFILL, step)
    if not names:
        raise StepProblem("the design has no underfill or encapsulant around bumps (or it is already in)")
    around = [n for n in ctx.names(Part.BUMPS) if any(touch(ctx.bodies[n], ctx.bodies[u]) for u in names)]
    if not all(n in state.made for n in around):
        raise StepProblem("the bumps it goes around are not bonded yet")
    return make(ctx, names)


def mold(ctx: Context, state: BuildState, step: Step) -> Change:
    names = pending(ctx, state, Part.MOLD, step)
    if not names:
        raise StepProblem("the design has no mould body or sealant (or it is already moulded)")
    need(ctx, state, Part.DIE, "the sealant covers the die")
    for part in (Part.WIRES, Part.TAPES, Part.BUMPS, Part.UNDERFILL):
        need(ctx, state, part, "the sealant seals the die and its connections")
    need(ctx, state, Part.SINK, "the encapsulant fills the gap under the heat sink")
    need(ctx, state, Part.INTERFACE, "plate the interface layer before moulding so the flash comes off it")
    ch = make(ctx, names)
    sinks = ctx.design.by_role(Role.HEAT_SINK) + ctx.design.by_role(Role.INTERFACE_LAYER)
    if sinks:
        top = max(b.solid.bbox.hi[2] for b in ctx.design.bodies)
        # Panel moulding fills the streets between the sinks to their top; resin bleeds over it.
        if max(s.solid.bbox.hi[2] for s in sinks) >= top - 1e-6:
            x0, y0, x1, y1 = outline_of(ctx.design)
            flash = Body(
                Temporary.MOLD_FLASH.value,
                Role.ENCAPSULANT,
                ctx.bodies[names[0]].material,
                Box((x0, y0, top), (x1, y1, top + FLASH_THICKNESS_M)),
                "F",
                "mould flash",
            )
            return replace(
                ch,
                add=(*ch.add, flash),
                temporary=frozenset({flash.name}),
                notes=(f"mould flash ({um(FLASH_THICKNESS_M)}) over the exposed top",),
            )
    return ch


def prime_glue(ctx: Context, state: BuildState, step: Step) -> Change:
    names = pending(ctx, state, Part.GLUE, step)
    if not names:
        raise StepProblem("the design has no thermally conductive glue to prime (or it is already primed)")
    need(ctx, state, Part.MOLD, "the glue is primed on the sealant")
    return make(ctx, names)


def attach_spreader(ctx: Context, state: BuildState, step: Step) -> Change:
    names = pending(ctx, state, Part.SPREADER, step)
    if not names:
        raise StepProblem("the design has no heat spreader (or it is already attached)")
    need(ctx, state, Part.MOLD, "the spreader sits on the sealant: seal first")
    if ctx.has(Part.GLUE) and not all(n in state.made for n in ctx.names(Part.GLUE)):
        raise StepProblem("no thermally conductive glue primed: the design asks for glue under the spreader (claim 13)")
    return make(ctx, names)


def attach_sink(ctx: Context, state: BuildState, step: Step) -> Change:
    names = pending(ctx, state, Part.SINK, step)
    if not names:
        raise StepProblem("the design has no heat sink (or it is already attached)")
    need(ctx, state, Part.DIE, "the sink is attached to the chip")
    for part in (Part.WIRES, Part.BUMPS, Part.UNDERFILL):
        need(ctx, state, part, "connect the chip before the sink covers it")
    forbid(ctx, state, Part.MOLD, "the sink goes on before moulding: the encapsulant fills the gap under it")
    return make(ctx, names)


def plate_interface(ctx: Context, state: BuildState, step: Step) -> Change:
    names = pending(ctx, state, Part.INTERFACE, step)
    if not names:
        raise StepProblem("the design has no interface layer (or it is already plated)")
    need(ctx, state, Part.SINK, "the interface layer covers the sink's top")
    forbid(ctx, state, Part.MOLD, "plate the interface layer before moulding")
    return make(ctx, names)


def attach_glass(ctx: Context, state: BuildState, step: Step) -> Change:
    names = pending(ctx, state, Part.GLASS, step)
    if not names:
        raise StepProblem("the design has no glass (or it is already attached)")
    if Flag.FLEX not in state.facts:
        raise StepProblem("the glass is attached to the flexible substrate over its window: provide the flex first")
    return make(ctx, names)


def bend_flex(ctx: Context, state: BuildState, step: Step) -> Change:
    if ctx.flat is None:
        raise StepProblem("the design has no flexible substrate to bend")
    names = pending(ctx, state, Part.FOLD, step)
    if not names:
        raise StepProblem("the flex is already bent")
    if Flag.FLEX not in state.facts:
        raise StepProblem("the flex is not provided yet")
    need(ctx, state, Part.DIE, "every die is bonded to the flat flex before it is bent")
    bends = [b for b in ctx.design.bodies if isinstance(b.solid, BentSheet) and b.role is Role.FLEX]
    from semipack.mechanics.flex_bend import min_bend_radius

    seg = flex_sheets(ctx.design, FlexPiece.SEGMENT)
    cu = seg[0, FlexLayer.CONDUCTOR].solid.bbox
    up = seg[0, FlexLayer.UPPER].solid.bbox
    lo = seg[0, FlexLayer.LOWER].solid.bbox
    mat = ctx.design.materials[seg[0, FlexLayer.CONDUCTOR].material]
    elong = mat.elongation if mat.elongation is not None else 0.10
    r_min = min_bend_radius(cu.hi[2] - cu.lo[2], lo.hi[2] - lo.lo[2], up.hi[2] - lo.lo[2], elong)
    design_r = min(b.solid.inner_radius for b in bends if isinstance(b.solid, BentSheet))
    radius = step.radius_m if step.radius_m is not None else design_r
    if radius < r_min - TOL:
        raise StepProblem(
            f"bend radius {mm(radius)} is below the flex's minimum {mm(r_min)} (IPC-2223, at least one flex thickness)"
        )
    if design_r < r_min - TOL:
        raise StepProblem(f"the design's bend radius {mm(design_r)} is below the flex's minimum {mm(r_min)}")
    if abs(radius - design_r) > 0.01 * design_r:
        raise StepProblem(f"bend radius {mm(radius)} differs from the design's {mm(design_r)}")
    flat = {b.name for b in ctx.flat.bodies}
    moved = {n for n in state.provisional if ctx.parts[n].part in (Part.DIE, Part.BUMPS)}
    ch = make(ctx, names)
    return replace(
        ch,
        add=(*ch.add, *(b for n, b in ctx.bodies.items() if n in moved)),  # in design order
        finalise=frozenset(moved),
        remove=frozenset(flat),
        notes=(f"{len(bends)} bend(s), inner radius >= {mm(design_r)} (minimum {mm(r_min)})",),
    )


def grind(ctx: Context, state: BuildState, step: Step) -> Change:
    if state.holds(Temporary.MOLD_FLASH):
        if any(n in state.made for n in ctx.names(Part.INTERFACE)):
            raise StepProblem("grinding the flash off would take the interface layer with it: deflash instead")
        return Change(remove=frozenset({Temporary.MOLD_FLASH.value}), notes=("flash ground off the sink's top",))
    dies = [n for n in state.provisional if ctx.parts[n].part is Part.DIE and Flag.FACE_DOWN_DIES in state.facts]
    if not dies:
        raise StepProblem("nothing to grind: no flash and no die thicker than the design")
    for n in dies:
        b = ctx.bodies[n]
        t_design = b.solid.bbox.hi[2] - b.solid.bbox.lo[2]
        t = step.thickness_m if step.thickness_m is not None else t_design
        if abs(t - t_design) > 1e-7:
            raise StepProblem(f"grinding to {mm(t)} leaves die {n!r} unlike the design's {mm(t_design)}")
    add = [ctx.bodies[n] for n in dies]
    z_back = min(ctx.bodies[n].solid.bbox.lo[2] for n in dies)
    if state.holds(Temporary.FIRST_FILLING):
        f = state.get(Temporary.FIRST_FILLING.value)
        assert isinstance(f.solid, Box)
        add.append(replace(f, solid=replace(f.solid, lo=(f.solid.lo[0], f.solid.lo[1], z_back))))
    return Change(
        add=tuple(add),
        finalise=frozenset(dies),
        notes=(f"filling layer and dies planarised and thinned to {mm(ctx.active_z - z_back)}",),
    )


def fill(ctx: Context, state: BuildState, step: Step) -> Change:
    if step.temporary:
        if Flag.FACE_DOWN_DIES not in state.facts:
            raise StepProblem("the first filling layer surrounds dies placed face down on the temporary substrate")
        dies = [state.get(d.name) for d in ctx.dies if state.has(d.name)]
        z_top = ctx.active_z
        z_low = min(d.solid.bbox.lo[2] for d in dies) - 20e-6
        x0, y0, x1, y1 = outline_of(ctx.design)
        cut = tuple(Box(d.solid.bbox.lo, d.solid.bbox.hi) for d in dies)
        body = Body(
            Temporary.FIRST_FILLING.value,
            Role.FILLING,
            step.material or "epoxy",
            Box((x0, y0, z_low), (x1, y1, z_top), cut),
            "F1",
            "first filling layer",
        )
        return Change(
            add=(body,), temporary=frozenset({body.name}), notes=("first filling layer around the dies (temporary)",)
        )
    names = pending(ctx, state, Part.FILLING, step)
    if not names:
        raise StepProblem("the design has no filling layer (or it is already in)")
    need(ctx, state, Part.DIE, "the filling layer surrounds the dies")
    for n in ctx.names(Part.DIE):
        if n in state.provisional:
            raise StepProblem(f"die {n!r} is not at its final place and thickness yet")
    return make(ctx, names)


def remove_carrier(ctx: Context, state: BuildState, step: Step) -> Change:
    temps = frozenset(t.value for t in (Temporary.SUBSTRATE, Temporary.FIRST_FILLING) if state.holds(t))
    if not temps:
        raise StepProblem("there is no temporary substrate to remove")
    need(ctx, state, Part.METAL_BASE, "the metal substrate must hold the dies before the temporary substrate comes off")
    return Change(
        remove=temps,
        face_down=False,
        facts_remove=frozenset({Flag.FACE_DOWN}),
        notes=("temporary substrate and first filling layer removed",),
    )


def deflash(ctx: Context, state: BuildState, step: Step) -> Change:
    if not state.holds(Temporary.MOLD_FLASH):
        raise StepProblem("there is no mould flash to remove")
    iface = [n for n in ctx.names(Part.INTERFACE) if n in state.made]
    if not iface:
        raise StepProblem(
            "the flash is bonded to the bare sink: without a low-adhesion interface layer it does not come off (grind it)"
        )
    mats = {ctx.bodies[n].material for n in iface}
    if not mats <= LOW_ADHESION:
        raise StepProblem(
            f"interface material {sorted(mats)} does not release mould compound; allowed: Au, Cr, Ni, Teflon (claim 1)"
        )
    return Change(remove=frozenset({Temporary.MOLD_FLASH.value}), notes=("flash released from the low-adhesion interface layer",))
