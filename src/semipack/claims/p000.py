"""Seed 000 (heat-spreader BGA): claims 1-18 as predicates over the model and its flow."""

from __future__ import annotations

from semipack.claims.common import (
    conductive_below_substrate,
    die_on_substrate_with_adhesive,
    metal,
    mold_bodies,
    sealant_seals,
    signal_means,
    solder_balls,
    spreader_atop_sealant,
    step,
    substrate,
    tapes,
    wires,
)
from semipack.claims.facts import Facts
from semipack.claims.model import Finding, Predicate, Verdict, check, met, not_met
from semipack.geometry import Box
from semipack.model import Role
from semipack.process.steps import StepKind
from semipack.units import mm


def _concave(f: Facts) -> tuple[str, Box] | None:
    for m in mold_bodies(f):
        s = m.solid
        if isinstance(s, Box):
            for c in s.cutouts:
                if c.hi[2] >= s.hi[2] and c.lo[2] > s.lo[2]:
                    return m.name, c
    return None


def concave(f: Facts) -> Finding:
    c = _concave(f)
    if c is None:
        return not_met("the sealant's top is flat")
    name, cut = c
    cx, cy = (cut.lo[0] + cut.hi[0]) / 2, (cut.lo[1] + cut.hi[1]) / 2
    die = f.dies[0].solid.bbox if f.dies else None
    centred = (
        die is not None
        and abs(cx - (die.lo[0] + die.hi[0]) / 2) < 1e-4
        and abs(cy - (die.lo[1] + die.hi[1]) / 2) < 1e-4
    )
    seal_top = cut.hi[2]
    depth = min(seal_top, max(b.solid.bbox.hi[2] for b in mold_bodies(f))) - cut.lo[2]
    return check(
        centred,
        f"concave in {name}: {mm(cut.hi[0] - cut.lo[0])} wide, {mm(depth)} deep, over the die centre",
        "the concave is off the centre",
    )


def sealant_with_concave(f: Facts) -> Finding:
    a = sealant_seals(f)
    return a if a.verdict is not Verdict.MET else concave(f)


def bump_aligned(f: Facts) -> Finding:
    c = _concave(f)
    if c is None:
        return not_met("no concave for a bump to align with")
    name, cut = c
    # The cut-out runs above the sealant (a clean boolean); the concave's rim is the sealant's top.
    rim = min(cut.hi[2], f.pkg.body(name).solid.bbox.hi[2])
    for h in f.role(Role.HEAT_SPREADER):
        bb = h.solid.bbox
        if (
            bb.lo[0] >= cut.lo[0] - 1e-9
            and bb.hi[0] <= cut.hi[0] + 1e-9
            and bb.lo[1] >= cut.lo[1] - 1e-9
            and bb.hi[1] <= cut.hi[1] + 1e-9
            and bb.lo[2] < cut.hi[2]
        ):
            return met(f"{h.name} reaches {mm(rim - bb.lo[2])} down into the concave")
    return not_met("the spreader has no downward bump in the concave")


def spreader_with_bump(f: Facts) -> Finding:
    a = spreader_atop_sealant(f)
    return a if a.verdict is not Verdict.MET else bump_aligned(f)


def glue_primed(f: Facts) -> Finding:
    for g in f.role(Role.THERMAL_GLUE):
        if any(f.rests_on(g, m) for m in mold_bodies(f)) and any(f.rests_on(h, g) for h in f.role(Role.HEAT_SPREADER)):
            return met(f"{g.name} ({f.material_name(g)}) between the sealant and the spreader")
    return not_met("no thermally conductive glue between the sealant and the spreader")


def silver_paste(f: Facts) -> Finding:
    att = f.role(Role.DIE_ATTACH)
    ok = [a for a in att if "silver" in a.material or "silver" in f.material_name(a).lower()]
    return check(
        bool(ok), f"{ok[0].name}: {f.material_name(ok[0])}" if ok else "", "the adhesive layer is not silver paste"
    )


STRUCTURE = (
    substrate,
    die_on_substrate_with_adhesive,
    signal_means,
    sealant_seals,
    spreader_atop_sealant,
    conductive_below_substrate,
)

ELEMENTS: dict[int, tuple[Predicate, ...]] = {
    1: STRUCTURE,
    2: (solder_balls,),
    3: (wires,),
    4: (tapes,),
    5: (metal(Role.HEAT_SPREADER, Role.HEAT_SINK),),
    6: (glue_primed,),
    7: (
        substrate,
        die_on_substrate_with_adhesive,
        signal_means,
        sealant_with_concave,
        spreader_with_bump,
        conductive_below_substrate,
    ),
    8: (solder_balls,),
    9: (wires,),
    10: (tapes,),
    11: (metal(Role.HEAT_SPREADER, Role.HEAT_SINK),),
    12: (glue_primed,),
    13: (
        step(StepKind.DIE_ATTACH, "attach die"),
        lambda f: step(StepKind.TAPE_BOND if f.role(Role.TAPE) else StepKind.WIRE_BOND, "connect")(f),
        step(StepKind.MOLD, "seal"),
        step(StepKind.PRIME_GLUE, "prime glue", before=StepKind.ATTACH_SPREADER),
        step(StepKind.ATTACH_SPREADER, "attach spreader"),
        step(StepKind.BALL_ATTACH, "place balls"),
    ),
    14: (step(StepKind.SINGULATE, "singulate"),),
    15: (silver_paste,),
    16: (concave,),
    17: (bump_aligned,),
    18: (solder_balls,),
}
