"""What each step kind needs and does: preconditions on the build state, and its effect.

Each handler takes the context, the state before the step and the step, and returns a
`Change`, or raises `StepProblem` with the reason in one line. The engine adds the
checks that every kind shares (materials, temperatures, support, what is made).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from fnmatch import fnmatchcase

from semipack.geometry import BentSheet, Box
from semipack.model import Body, Role
from semipack.process.context import Context
from semipack.process.defaults import FLASH_THICKNESS_M, GRIND_ALLOWANCE_M, LOW_ADHESION
from semipack.process.parts import Part
from semipack.process.state import BuildState, Level
from semipack.process.steps import Singulation, Step, StepKind
from semipack.process.unfold import segment_of, transform
from semipack.units import mm, um

_TOL = 1e-9


class StepProblem(Exception):
    """A precondition or parameter a step does not meet (the engine adds the step's name)."""


@dataclass
class Change:
    """What a step does to the state."""

    add: list[Body] = field(default_factory=list)
    make: list[str] = field(default_factory=list)
    provisional: set[str] = field(default_factory=set)
    finalise: set[str] = field(default_factory=set)
    temporary: set[str] = field(default_factory=set)
    remove: set[str] = field(default_factory=set)
    facts_add: set[str] = field(default_factory=set)
    facts_remove: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    face_down: bool | None = None
    level: Level | None = None


def _pending(ctx: Context, state: BuildState, part: Part, step: Step, layer: int | None = None) -> list[str]:
    names = [n for n in ctx.names(part, layer) if n not in state.made]
    if step.target:
        names = [n for n in names if any(fnmatchcase(n, g) for g in step.target)]
    return names


def _need(ctx: Context, state: BuildState, part: Part, why: str, layer: int | None = None) -> None:
    """Raise unless every body of ``part`` the design has is made (and in its final shape)."""
    names = ctx.names(part, layer)
    missing = [n for n in names if n not in state.made]
    if missing:
        what = part.value if layer is None else f"{part.value} {layer}"
        raise StepProblem(f"{what} is not made yet ({why})")


def _forbid(ctx: Context, state: BuildState, part: Part, why: str) -> None:
    if any(n in state.made for n in ctx.names(part)):
        raise StepProblem(f"{part.value} is already on ({why})")


def _make(ctx: Context, names: list[str]) -> Change:
    return Change(add=[ctx.bodies[n] for n in names], make=list(names))


def uncured_facts(ctx: Context, names: list[str]) -> set[str]:
    """The bodies among ``names`` that need a cure after they go on (adhesives and resins).

    The engine adds these facts for every body a step makes; ``cure`` clears them.
    """
    out = set()
    for n in names:
        mat = ctx.design.materials[ctx.bodies[n].material]
        if mat.category.value in ("adhesive", "polymer") and ctx.bodies[n].role in (
            Role.DIE_ATTACH,
            Role.THERMAL_GLUE,
            Role.ADHESIVE,
            Role.ENCAPSULANT,
            Role.SEALANT,
            Role.FILLING,
        ):
            out.add(f"uncured:{n}")
    return out


def _has_cavity(b: Body) -> bool:
    return isinstance(b.solid, Box) and bool(b.solid.cutouts)


def _plain(b: Body) -> Body:
    """A metal substrate or carrier before its cavities or openings are made."""
    assert isinstance(b.solid, Box)
    return replace(b, solid=Box(b.solid.lo, b.solid.hi))


# --- incoming material -------------------------------------------------------------------


def provide_substrate(ctx: Context, state: BuildState, step: Step) -> Change:
    lead_frame = bool(ctx.design.by_role(Role.LEAD))
    if step.kind is StepKind.PROVIDE_SUBSTRATE and lead_frame:
        raise StepProblem("the design's carrier is a lead frame: use provide_lead_frame")
    if step.kind is StepKind.PROVIDE_LEAD_FRAME and not lead_frame:
        raise StepProblem("the design has no lead frame (its carrier is a substrate)")
    names = _pending(ctx, state, Part.BASE, step)
    if not names:
        raise StepProblem("the design has no laminate substrate or lead frame to provide")
    return _make(ctx, names)


def provide_flex(ctx: Context, state: BuildState, step: Step) -> Change:
    if ctx.flat is None:
        raise StepProblem("the design has no flexible substrate")
    if any(b.name.startswith("flat_") for b in state.bodies) or state.made & set(ctx.names(Part.FOLD)):
        raise StepProblem("the flex is already provided")
    return Change(
        add=list(ctx.flat.bodies),
        temporary={b.name for b in ctx.flat.bodies},
        facts_add={"flex"},
        notes=[f"flat flex: window, conductive patterns and ball holes, {len(ctx.flat.maps)} segments"],
    )


def provide_metal(ctx: Context, state: BuildState, step: Step) -> Change:
    part = Part.CARRIER if step.kind is StepKind.PROVIDE_CARRIER else Part.METAL_BASE
    names = _pending(ctx, state, part, step)
    if not names:
        raise StepProblem(f"the design has no {part.value} to provide (or it is already there)")
    if part is Part.METAL_BASE and len(ctx.names(part)) > 1 and not step.target:
        # Claims 67/69: the first layer comes alone, is punched, then laminated on the second.
        names = [n for n in names if _has_cavity(ctx.bodies[n])]
    ch = Change()
    for n in names:
        b = ctx.bodies[n]
        if _has_cavity(b):
            ch.add.append(_plain(b))
            ch.provisional.add(n)
        else:
            ch.add.append(b)
        ch.make.append(n)
    face_down = [d.name for d in ctx.dies if d.name in state.made and state.face_down]
    if face_down:
        # Claim 102: the metal substrate is adhered to the dies' backsides.
        for d in face_down:
            if d in state.provisional:
                raise StepProblem(f"die {d!r} is not thinned yet: grind the dies before adhering the metal substrate")
        attach = _pending(ctx, state, Part.DIE_ATTACH, replace(step, target=()))
        ch.add += [ctx.bodies[n] for n in attach]
        ch.make += attach
    return ch


def provide_temporary(ctx: Context, state: BuildState, step: Step) -> Change:
    if state.bodies:
        raise StepProblem("the temporary substrate comes first (claim 102)")
    x0, y0, x1, y1 = _outline(ctx)
    z = ctx.active_z
    t = step.thickness_m or 0.7e-3
    mat = step.material or "borosilicate"
    body = Body(
        "temporary_substrate", Role.SUBSTRATE, mat, Box((x0, y0, z), (x1, y1, z + t)), "T", "temporary substrate"
    )
    return Change(add=[body], temporary={body.name}, face_down=True, facts_add={"face_down"})


INCOMING = "incoming."


def provide_die(ctx: Context, state: BuildState, step: Step) -> Change:
    """Operation 1 of seed 001: the dies arrive with bumps on their bond pads (shown, not yet placed)."""
    if not ctx.has(Part.BUMPS):
        raise StepProblem("the design's dies carry no bumps; they are attached with die_attach")
    if "bumped" in state.facts:
        raise StepProblem("the dies are already provided")
    names = [n for n in ctx.names(Part.DIE) + ctx.names(Part.BUMPS)]
    add = [replace(ctx.bodies[n], name=INCOMING + n) for n in names]
    return Change(
        add=add, temporary={b.name for b in add}, facts_add={"bumped"}, notes=["dies with bumps on their bond pads"]
    )


def _outline(ctx: Context) -> tuple[float, float, float, float]:
    bb = ctx.design.bbox
    return (bb.lo[0], bb.lo[1], bb.hi[0], bb.hi[1])


# --- metal work ----------------------------------------------------------------------------


def machine(ctx: Context, state: BuildState, step: Step) -> Change:
    cands = [n for n in state.provisional if ctx.parts[n].part in (Part.METAL_BASE, Part.CARRIER)]
    if step.kind is StepKind.MACHINE:
        if len(ctx.names(Part.METAL_BASE)) > 1:
            raise StepProblem("the openings of a two-layer metal substrate are punched in the first layer (claim 69)")
        if not cands:
            if any(_has_cavity(ctx.bodies[n]) for n in state.made):
                raise StepProblem("the cavities are already formed")
            raise StepProblem("nothing to machine: the design's metal substrate or carrier has no cavity")
        return Change(
            add=[ctx.bodies[n] for n in cands],
            finalise=set(cands),
            notes=["cavities / inwardly protruded areas machined"],
        )
    # punch
    if len(ctx.names(Part.METAL_BASE)) < 2:
        raise StepProblem("punching makes the openings of a two-layer metal substrate; this design has one layer")
    if not cands:
        raise StepProblem("no unpunched first metal layer here (provide it first; punch before laminating)")
    return Change(
        add=[ctx.bodies[n] for n in cands],
        finalise=set(cands),
        notes=["openings punched through the first metal layer"],
    )


def laminate(ctx: Context, state: BuildState, step: Step) -> Change:
    firsts = [n for n in ctx.names(Part.METAL_BASE) if _has_cavity(ctx.bodies[n])]
    if len(ctx.names(Part.METAL_BASE)) < 2:
        raise StepProblem("the design's metal substrate is one layer; there is nothing to laminate")
    if not all(n in state.made for n in firsts):
        raise StepProblem("the first metal layer is not provided yet")
    if any(n in state.provisional for n in firsts):
        raise StepProblem("the first metal layer is not punched yet: punch, then laminate (claim 69)")
    names = _pending(ctx, state, Part.METAL_BASE, step)
    if not names:
        raise StepProblem("the metal layers are already laminated")
    return _make(ctx, names)


# --- dies and connections -----------------------------------------------------------------


def die_attach(ctx: Context, state: BuildState, step: Step) -> Change:
    if ctx.has(Part.BUMPS) and not step.face_down:
        raise StepProblem("the design's dies are flip-chip bonded: use flip_chip_bond")
    dies = _pending(ctx, state, Part.DIE, step)
    if not dies:
        raise StepProblem("no die left to attach")
    if step.face_down:
        if "face_down" not in state.facts or not state.has("temporary_substrate"):
            raise StepProblem("face-down placement needs the temporary substrate (claim 102)")
        ch = Change(facts_add={"face_down_dies"})
        for n in dies:
            b = ctx.bodies[n]
            assert isinstance(b.solid, Box)
            t_design = b.solid.hi[2] - b.solid.lo[2]
            t_in = step.thickness_m if step.thickness_m is not None else t_design + GRIND_ALLOWANCE_M
            if t_in < t_design - _TOL:
                raise StepProblem(f"incoming die thickness {mm(t_in)} is below the design's {mm(t_design)}")
            thick = Box((b.solid.lo[0], b.solid.lo[1], b.solid.hi[2] - t_in), b.solid.hi)
            ch.add.append(replace(b, solid=thick))
            ch.make.append(n)
            if t_in > t_design + _TOL:
                ch.provisional.add(n)
        return ch
    attach = [n for n in _pending(ctx, state, Part.DIE_ATTACH, replace(step, target=()))]
    if step.target:
        attach = [a for a in attach if any(_touch(ctx.bodies[a], ctx.bodies[d]) for d in dies)]
    for base in state.provisional:
        if ctx.parts[base].part in (Part.METAL_BASE, Part.CARRIER):
            raise StepProblem(f"the cavity in {base!r} is not formed yet: machine (or punch) before placing the die")
    return _make(ctx, attach + dies)


def _touch(a: Body, b: Body) -> bool:
    p, q = a.solid.bbox, b.solid.bbox
    return all(p.lo[i] <= q.hi[i] + _TOL and q.lo[i] <= p.hi[i] + _TOL for i in range(3))


def _need_cured_attach(ctx: Context, state: BuildState, what: str) -> None:
    for n in ctx.names(Part.DIE_ATTACH):
        if f"uncured:{n}" in state.facts:
            raise StepProblem(f"the die attach ({n}) is not cured yet: cure it before {what}")


def wire_bond(ctx: Context, state: BuildState, step: Step) -> Change:
    part = Part.WIRES if step.kind is StepKind.WIRE_BOND else Part.TAPES
    names = _pending(ctx, state, part, step)
    if not names:
        other = "conductive adhesive tapes (tape_bond)" if ctx.has(Part.TAPES) else "no wire or tape connections"
        raise StepProblem(f"nothing to bond with {step.kind.value}: the design uses {other}")
    _need(ctx, state, Part.DIE, "attach the die before bonding")
    _need_cured_attach(ctx, state, "bonding")
    return _make(ctx, names)


def flip_chip(ctx: Context, state: BuildState, step: Step) -> Change:
    if not ctx.has(Part.BUMPS):
        raise StepProblem("the design's dies are not flip-chip: use die_attach")
    if "bumped" not in state.facts:
        raise StepProblem("the dies have no bumps yet: provide bumped dies first (001 operation 1)")
    dies = _pending(ctx, state, Part.DIE, step)
    if not dies:
        raise StepProblem("no die left to bond")
    bumps_all = [n for n in ctx.names(Part.BUMPS) if n not in state.made]
    ch = Change()
    for d in dies:
        own = [n for n in bumps_all if n.startswith(d + "_bump")] or (bumps_all if len(ctx.dies) == 1 else [])
        seg = segment_of(ctx.design, d, ctx.flat) if ctx.flat is not None else 0
        if ctx.flat is not None and "flex" not in state.facts:
            raise StepProblem("the flex is not provided yet (001 operation 2)")
        if ctx.flat is not None and seg > 0 and any(n in state.made for n in ctx.names(Part.FOLD)):
            raise StepProblem(f"die {d!r} bonds to flex segment {seg}, which is already folded: bond before bending")
        for n in [d, *own]:
            ch.remove.add(INCOMING + n)
            b = ctx.bodies[n]
            if seg > 0 and ctx.flat is not None:
                ch.add.append(replace(b, solid=transform(b.solid, ctx.flat.maps[seg])))
                ch.provisional.add(n)
            else:
                ch.add.append(b)
            ch.make.append(n)
    if ctx.has(Part.BASE) and not any(n in state.made for n in ctx.names(Part.BASE)):
        raise StepProblem("the substrate is not provided yet")
    return ch


def underfill(ctx: Context, state: BuildState, step: Step) -> Change:
    names = _pending(ctx, state, Part.UNDERFILL, step)
    if not names:
        raise StepProblem("the design has no underfill or encapsulant around bumps (or it is already in)")
    around = [n for n in ctx.names(Part.BUMPS) if any(_touch(ctx.bodies[n], ctx.bodies[u]) for u in names)]
    if not all(n in state.made for n in around):
        raise StepProblem("the bumps it goes around are not bonded yet")
    return _make(ctx, names)


def mold(ctx: Context, state: BuildState, step: Step) -> Change:
    names = _pending(ctx, state, Part.MOLD, step)
    if not names:
        raise StepProblem("the design has no mould body or sealant (or it is already moulded)")
    _need(ctx, state, Part.DIE, "the sealant covers the die")
    for part in (Part.WIRES, Part.TAPES, Part.BUMPS, Part.UNDERFILL):
        _need(ctx, state, part, "the sealant seals the die and its connections")
    _need(ctx, state, Part.SINK, "the encapsulant fills the gap under the heat sink")
    _need(ctx, state, Part.INTERFACE, "plate the interface layer before moulding so the flash comes off it")
    ch = _make(ctx, names)
    sinks = ctx.design.by_role(Role.HEAT_SINK) + ctx.design.by_role(Role.INTERFACE_LAYER)
    if sinks:
        top = max(b.solid.bbox.hi[2] for b in ctx.design.bodies)
        # Panel moulding fills the streets between the sinks to their top; resin bleeds over it.
        if max(s.solid.bbox.hi[2] for s in sinks) >= top - 1e-6:
            x0, y0, x1, y1 = _outline(ctx)
            flash = Body(
                "mold_flash",
                Role.ENCAPSULANT,
                ctx.bodies[names[0]].material,
                Box((x0, y0, top), (x1, y1, top + FLASH_THICKNESS_M)),
                "F",
                "mould flash",
            )
            ch.add.append(flash)
            ch.temporary.add(flash.name)
            ch.notes.append(f"mould flash ({um(FLASH_THICKNESS_M)}) over the exposed top")
    return ch


def prime_glue(ctx: Context, state: BuildState, step: Step) -> Change:
    names = _pending(ctx, state, Part.GLUE, step)
    if not names:
        raise StepProblem("the design has no thermally conductive glue to prime (or it is already primed)")
    _need(ctx, state, Part.MOLD, "the glue is primed on the sealant")
    return _make(ctx, names)


def attach_spreader(ctx: Context, state: BuildState, step: Step) -> Change:
    names = _pending(ctx, state, Part.SPREADER, step)
    if not names:
        raise StepProblem("the design has no heat spreader (or it is already attached)")
    _need(ctx, state, Part.MOLD, "the spreader sits on the sealant: seal first")
    if ctx.has(Part.GLUE) and not all(n in state.made for n in ctx.names(Part.GLUE)):
        raise StepProblem("no thermally conductive glue primed: the design asks for glue under the spreader (claim 13)")
    return _make(ctx, names)


def attach_sink(ctx: Context, state: BuildState, step: Step) -> Change:
    names = _pending(ctx, state, Part.SINK, step)
    if not names:
        raise StepProblem("the design has no heat sink (or it is already attached)")
    _need(ctx, state, Part.DIE, "the sink is attached to the chip")
    for part in (Part.WIRES, Part.BUMPS, Part.UNDERFILL):
        _need(ctx, state, part, "connect the chip before the sink covers it")
    _forbid(ctx, state, Part.MOLD, "the sink goes on before moulding: the encapsulant fills the gap under it")
    return _make(ctx, names)


def plate_interface(ctx: Context, state: BuildState, step: Step) -> Change:
    names = _pending(ctx, state, Part.INTERFACE, step)
    if not names:
        raise StepProblem("the design has no interface layer (or it is already plated)")
    _need(ctx, state, Part.SINK, "the interface layer covers the sink's top")
    _forbid(ctx, state, Part.MOLD, "plate the interface layer before moulding")
    return _make(ctx, names)


def attach_glass(ctx: Context, state: BuildState, step: Step) -> Change:
    names = _pending(ctx, state, Part.GLASS, step)
    if not names:
        raise StepProblem("the design has no glass (or it is already attached)")
    if "flex" not in state.facts:
        raise StepProblem("the glass is attached to the flexible substrate over its window: provide the flex first")
    return _make(ctx, names)


def bend_flex(ctx: Context, state: BuildState, step: Step) -> Change:
    if ctx.flat is None:
        raise StepProblem("the design has no flexible substrate to bend")
    names = _pending(ctx, state, Part.FOLD, step)
    if not names:
        raise StepProblem("the flex is already bent")
    if "flex" not in state.facts:
        raise StepProblem("the flex is not provided yet")
    _need(ctx, state, Part.DIE, "every die is bonded to the flat flex before it is bent")
    bends = [b for b in ctx.design.bodies if isinstance(b.solid, BentSheet) and b.role is Role.FLEX]
    from semipack.mechanics.flex_bend import min_bend_radius

    cu = ctx.design.body("flex_L0_cu").solid.bbox
    up = ctx.design.body("flex_L0_upper").solid.bbox
    lo = ctx.design.body("flex_L0_lower").solid.bbox
    mat = ctx.design.materials[ctx.design.body("flex_L0_cu").material]
    elong = mat.elongation if mat.elongation is not None else 0.10
    r_min = min_bend_radius(cu.hi[2] - cu.lo[2], lo.hi[2] - lo.lo[2], up.hi[2] - lo.lo[2], elong)
    design_r = min(b.solid.inner_radius for b in bends if isinstance(b.solid, BentSheet))
    radius = step.radius_m if step.radius_m is not None else design_r
    if radius < r_min - _TOL:
        raise StepProblem(
            f"bend radius {mm(radius)} is below the flex's minimum {mm(r_min)} (IPC-2223, at least one flex thickness)"
        )
    if design_r < r_min - _TOL:
        raise StepProblem(f"the design's bend radius {mm(design_r)} is below the flex's minimum {mm(r_min)}")
    if abs(radius - design_r) > 0.01 * design_r:
        raise StepProblem(f"bend radius {mm(radius)} differs from the design's {mm(design_r)}")
    flat = {b.name for b in ctx.flat.bodies}
    moved = {n for n in state.provisional if ctx.parts[n].part in (Part.DIE, Part.BUMPS)}
    ch = _make(ctx, names)
    ch.add += [ctx.bodies[n] for n in moved]
    ch.finalise |= moved
    ch.remove |= flat
    ch.notes.append(f"{len(bends)} bend(s), inner radius >= {mm(design_r)} (minimum {mm(r_min)})")
    return ch


# --- thinning, filling, temporary carrier -------------------------------------------------


def grind(ctx: Context, state: BuildState, step: Step) -> Change:
    if state.has("mold_flash"):
        if any(n in state.made for n in ctx.names(Part.INTERFACE)):
            raise StepProblem("grinding the flash off would take the interface layer with it: deflash instead")
        return Change(remove={"mold_flash"}, notes=["flash ground off the sink's top"])
    dies = [n for n in state.provisional if ctx.parts[n].part is Part.DIE and "face_down_dies" in state.facts]
    if not dies:
        raise StepProblem("nothing to grind: no flash and no die thicker than the design")
    ch = Change()
    for n in dies:
        b = ctx.bodies[n]
        t_design = b.solid.bbox.hi[2] - b.solid.bbox.lo[2]
        t = step.thickness_m if step.thickness_m is not None else t_design
        if abs(t - t_design) > 1e-7:
            raise StepProblem(f"grinding to {mm(t)} leaves die {n!r} unlike the design's {mm(t_design)}")
        ch.add.append(b)
        ch.finalise.add(n)
    z_back = min(ctx.bodies[n].solid.bbox.lo[2] for n in dies)
    if state.has("first_filling"):
        f = state.get("first_filling")
        assert isinstance(f.solid, Box)
        ch.add.append(replace(f, solid=Box((f.solid.lo[0], f.solid.lo[1], z_back), f.solid.hi, f.solid.cutouts)))
    ch.notes.append(f"filling layer and dies planarised and thinned to {mm(ctx.active_z - z_back)}")
    return ch


def fill(ctx: Context, state: BuildState, step: Step) -> Change:
    if step.temporary:
        if "face_down_dies" not in state.facts:
            raise StepProblem("the first filling layer surrounds dies placed face down on the temporary substrate")
        dies = [state.get(d.name) for d in ctx.dies if state.has(d.name)]
        z_top = ctx.active_z
        z_low = min(d.solid.bbox.lo[2] for d in dies) - 20e-6
        x0, y0, x1, y1 = _outline(ctx)
        cut = tuple(Box(d.solid.bbox.lo, d.solid.bbox.hi) for d in dies)
        body = Body(
            "first_filling",
            Role.FILLING,
            step.material or "epoxy",
            Box((x0, y0, z_low), (x1, y1, z_top), cut),
            "F1",
            "first filling layer",
        )
        return Change(add=[body], temporary={body.name}, notes=["first filling layer around the dies (temporary)"])
    names = _pending(ctx, state, Part.FILLING, step)
    if not names:
        raise StepProblem("the design has no filling layer (or it is already in)")
    _need(ctx, state, Part.DIE, "the filling layer surrounds the dies")
    for n in ctx.names(Part.DIE):
        if n in state.provisional:
            raise StepProblem(f"die {n!r} is not at its final place and thickness yet")
    return _make(ctx, names)


def remove_carrier(ctx: Context, state: BuildState, step: Step) -> Change:
    temps = {n for n in state.temporary if n in ("temporary_substrate", "first_filling")}
    if not temps:
        raise StepProblem("there is no temporary substrate to remove")
    _need(
        ctx, state, Part.METAL_BASE, "the metal substrate must hold the dies before the temporary substrate comes off"
    )
    return Change(
        remove=temps,
        face_down=False,
        facts_remove={"face_down"},
        notes=["temporary substrate and first filling layer removed"],
    )


def deflash(ctx: Context, state: BuildState, step: Step) -> Change:
    if not state.has("mold_flash"):
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
    return Change(remove={"mold_flash"}, notes=["flash released from the low-adhesion interface layer"])


# --- thin-film build-up --------------------------------------------------------------------


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
    names = _pending(ctx, state, Part.DIELECTRIC, step, k)
    if not names:
        raise StepProblem(f"dielectric layer {k} is already deposited")
    if state.face_down or state.has("temporary_substrate"):
        raise StepProblem("the active surfaces still face the temporary substrate: remove it first")
    _need(ctx, state, Part.DIE, "the dielectric covers the active surfaces")
    _need(ctx, state, Part.FILLING, "the filling layer goes in before the first dielectric (claim 70)")
    if k > 1:
        _need(ctx, state, Part.WIRING, "each dielectric covers the wiring below it", k - 1)
        if f"resist:{k - 1}" in state.facts:
            raise StepProblem(f"the plating resist of level {k - 1} is still on: strip it first")
    b = ctx.bodies[names[0]]
    if step.thickness_m is not None:
        t = b.solid.bbox.hi[2] - b.solid.bbox.lo[2]
        if abs(step.thickness_m - t) > 0.01 * t:
            raise StepProblem(f"thickness {um(step.thickness_m)} differs from the design's dielectric {k} ({um(t)})")
    return _make(ctx, names)


def thru_holes(ctx: Context, state: BuildState, step: Step) -> Change:
    k = _layer(ctx, step, Part.VIAS)
    _need(ctx, state, Part.DIELECTRIC, "the thru-holes are opened in it", k)
    vias = ctx.names(Part.VIAS, k)
    if not vias:
        raise StepProblem(f"the design has no vias in dielectric {k}")
    if f"holes:{k}" in state.facts:
        raise StepProblem(f"the thru-holes of level {k} are already open")
    depth = max(ctx.bodies[n].solid.bbox.hi[2] - ctx.bodies[n].solid.bbox.lo[2] for n in vias)
    if step.depth_m is not None and step.depth_m > depth + 1e-7:
        raise StepProblem(f"a {um(step.depth_m)} deep via is deeper than dielectric {k} over the pads ({um(depth)})")
    return Change(facts_add={f"holes:{k}"}, notes=[f"{len(vias)} thru-holes, {um(depth)} deep"])


def seed(ctx: Context, state: BuildState, step: Step) -> Change:
    k = _layer(ctx, step, Part.WIRING)
    _need(ctx, state, Part.DIELECTRIC, "the seed layer covers it", k)
    if ctx.names(Part.VIAS, k) and f"holes:{k}" not in state.facts:
        raise StepProblem(f"the thru-holes of level {k} are not opened yet")
    return Change(facts_add={f"seed:{k}"})


def fill_vias(ctx: Context, state: BuildState, step: Step) -> Change:
    k = _layer(ctx, step, Part.VIAS)
    names = _pending(ctx, state, Part.VIAS, step, k)
    if not names:
        raise StepProblem(f"no open vias to fill at level {k}")
    if f"holes:{k}" not in state.facts:
        raise StepProblem(f"the thru-holes of level {k} are not opened yet: pattern them first")
    return _make(ctx, names)


def wiring(ctx: Context, state: BuildState, step: Step) -> Change:
    k = _layer(ctx, step, Part.WIRING)
    names = _pending(ctx, state, Part.WIRING, step, k)
    if not names:
        raise StepProblem(f"wiring layer {k} is already made (or the design has none)")
    _need(ctx, state, Part.DIELECTRIC, "the wiring lies on it", k)
    vias = [n for n in ctx.names(Part.VIAS, k) if n not in state.made]
    if ctx.names(Part.VIAS, k) and f"holes:{k}" not in state.facts:
        raise StepProblem(f"wiring before the thru-holes of dielectric {k} are opened: pattern them first")
    if vias and not step.fill_vias:
        raise StepProblem(f"the thru-holes of level {k} are empty: fill them first or plate with fill_vias (claim 73)")
    if step.kind is StepKind.ELECTROPLATE and f"seed:{k}" not in state.facts:
        raise StepProblem(f"no seed layer on level {k}: sputter a seed before electroplating")
    ch = _make(ctx, (vias if step.fill_vias else []) + names)
    if step.kind is StepKind.ELECTROPLATE:
        ch.facts_add.add(f"resist:{k}")
    return ch


def strip_resist(ctx: Context, state: BuildState, step: Step) -> Change:
    k = _layer(ctx, step, Part.WIRING)
    if f"resist:{k}" not in state.facts:
        raise StepProblem(f"there is no plating resist on level {k}")
    return Change(facts_remove={f"resist:{k}", f"seed:{k}"}, notes=["resist stripped, seed etched"])


def passivate(ctx: Context, state: BuildState, step: Step) -> Change:
    names = _pending(ctx, state, Part.PASSIVATION, step)
    if not names:
        raise StepProblem("the design has no passivation layer (or it is already on)")
    top = max(ctx.levels(Part.WIRING), default=0)
    _need(ctx, state, Part.WIRING, "the passivation covers the outermost wiring", top)
    if any(f.startswith("resist:") for f in state.facts):
        raise StepProblem("a plating resist is still on: strip it first")
    return _make(ctx, names)


# --- terminals, singulation ----------------------------------------------------------------

_TERMINAL = {StepKind.BALL_ATTACH: Part.BALLS, StepKind.BUMP_FORM: Part.TERMINAL_BUMPS, StepKind.PIN_ATTACH: Part.PINS}


def terminals(ctx: Context, state: BuildState, step: Step) -> Change:
    part = _TERMINAL[step.kind]
    names = _pending(ctx, state, part, step)
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
    if any(f.startswith("resist:") for f in state.facts):
        raise StepProblem("a plating resist is still on: strip it first")
    return _make(ctx, names)


def cure(ctx: Context, state: BuildState, step: Step) -> Change:
    pending = {f for f in state.facts if f.startswith("uncured:")}
    if not pending:
        raise StepProblem("nothing to cure")
    return Change(facts_remove=pending, notes=["cured: " + ", ".join(sorted(f.split(":", 1)[1] for f in pending))])


def singulate(ctx: Context, state: BuildState, step: Step) -> Change:
    if state.level is Level.UNIT:
        raise StepProblem("the units are already singulated")
    missing = sorted({str(ctx.parts[n]) for n in ctx.parts if n not in state.made or n in state.provisional})
    if missing:
        raise StepProblem(f"singulate after the last step that builds the package; not made yet: {', '.join(missing)}")
    if state.temporary:
        raise StepProblem(f"temporary bodies still on: {', '.join(sorted(state.temporary))}")
    uncured = sorted(f.split(":", 1)[1] for f in state.facts if f.startswith("uncured:"))
    if uncured:
        raise StepProblem(f"not cured yet: {', '.join(uncured)}")
    n_dies = len(ctx.dies)
    if step.singulation is Singulation.PER_DIE and n_dies > 1:
        raise StepProblem(f"the design puts {n_dies} dies in one package: singulate per group (claim 82)")
    if step.singulation is Singulation.PER_GROUP and n_dies < 2:
        raise StepProblem("the design has one die per package: singulate per die (claim 81)")
    x0, y0, x1, y1 = _outline(ctx)
    sawn = [
        b.name
        for b in ctx.design.bodies
        if isinstance(b.solid, Box)
        and abs(b.solid.bbox.lo[0] - x0) < _TOL
        and abs(b.solid.bbox.hi[0] - x1) < _TOL
        and abs(b.solid.bbox.lo[1] - y0) < _TOL
        and abs(b.solid.bbox.hi[1] - y1) < _TOL
    ]
    note = "sawn faces flush with the outline: " + (", ".join(sawn) if sawn else "none")
    return Change(level=Level.UNIT, notes=[note])


HANDLERS: dict[StepKind, Callable[[Context, BuildState, Step], Change]] = {
    StepKind.PROVIDE_SUBSTRATE: provide_substrate,
    StepKind.PROVIDE_LEAD_FRAME: provide_substrate,
    StepKind.PROVIDE_FLEX: provide_flex,
    StepKind.PROVIDE_METAL_SUBSTRATE: provide_metal,
    StepKind.PROVIDE_CARRIER: provide_metal,
    StepKind.PROVIDE_TEMPORARY_SUBSTRATE: provide_temporary,
    StepKind.PROVIDE_DIE: provide_die,
    StepKind.DIE_ATTACH: die_attach,
    StepKind.CURE: cure,
    StepKind.WIRE_BOND: wire_bond,
    StepKind.TAPE_BOND: wire_bond,
    StepKind.FLIP_CHIP_BOND: flip_chip,
    StepKind.UNDERFILL: underfill,
    StepKind.MOLD: mold,
    StepKind.PRIME_GLUE: prime_glue,
    StepKind.ATTACH_SPREADER: attach_spreader,
    StepKind.ATTACH_SINK: attach_sink,
    StepKind.ATTACH_GLASS: attach_glass,
    StepKind.GRIND: grind,
    StepKind.LAMINATE: laminate,
    StepKind.MACHINE: machine,
    StepKind.PUNCH: machine,
    StepKind.FILL: fill,
    StepKind.DEPOSIT_DIELECTRIC: deposit_dielectric,
    StepKind.PATTERN_THRU_HOLES: thru_holes,
    StepKind.SPUTTER_SEED: seed,
    StepKind.SPUTTER: wiring,
    StepKind.ELECTROPLATE: wiring,
    StepKind.ELECTROLESS_PLATE: wiring,
    StepKind.FILL_VIAS: fill_vias,
    StepKind.STRIP_RESIST: strip_resist,
    StepKind.PASSIVATE: passivate,
    StepKind.PLATE_INTERFACE: plate_interface,
    StepKind.BEND_FLEX: bend_flex,
    StepKind.BALL_ATTACH: terminals,
    StepKind.BUMP_FORM: terminals,
    StepKind.PIN_ATTACH: terminals,
    StepKind.REMOVE_CARRIER: remove_carrier,
    StepKind.DEFLASH: deflash,
    StepKind.SINGULATE: singulate,
}
