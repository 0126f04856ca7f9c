"""Predicates several patents share (one small pure function per element wording)."""

from __future__ import annotations

from semipack.claims.facts import Facts, names
from semipack.claims.model import Finding, Predicate, Verdict, check, met, not_met, undetermined
from semipack.materials import Category
from semipack.model import Body, Role
from semipack.process.steps import StepKind
from semipack.units import mm

MOLD_ROLES = (Role.SEALANT, Role.ENCAPSULANT)
CONNECTIONS = (Role.WIRE, Role.TAPE, Role.BUMP)


def mold_bodies(f: Facts) -> tuple[Body, ...]:
    return tuple(b for b in f.role(*MOLD_ROLES) if b.material not in ("underfill",))


def substrate(f: Facts) -> Finding:
    subs = f.role(Role.SUBSTRATE)
    if subs:
        b = subs[0]
        return met(f"{b.name}: {f.material_name(b)}, {mm(b.solid.bbox.hi[2] - b.solid.bbox.lo[2])} thick")
    return not_met(
        "no laminate substrate (the carrier is "
        + (names(f.role(Role.LEAD, Role.METAL_SUBSTRATE, Role.CARRIER, Role.FLEX)) or "absent")
        + ")"
    )


def die_on_substrate_with_adhesive(f: Facts) -> Finding:
    for d in f.dies:
        for a in f.role(Role.DIE_ATTACH):
            if f.rests_on(d, a):
                for s in f.role(Role.SUBSTRATE):
                    if f.rests_on(a, s):
                        return met(f"{d.name} on {a.name} ({f.material_name(a)}) on {s.name}")
    return not_met("no die sits on the substrate through an adhesive layer")


def signal_means(f: Facts) -> Finding:
    conn = f.role(*CONNECTIONS)
    if not conn or not f.role(Role.SUBSTRATE):
        return not_met("no wires, tapes or bumps between a die and a substrate")
    return met(f"{names(conn)} connect die pads to {f.role(Role.SUBSTRATE)[0].name}")


def sealant_seals(f: Facts) -> Finding:
    conn = [b for b in f.pkg.bodies if b.role in (Role.WIRE, Role.TAPE)]
    for m in mold_bodies(f):
        top = m.solid.bbox.hi[2]
        # A connection lands on the substrate's fingers: it need only lie under the sealant's top.
        covered = all(c.solid.bbox.hi[2] <= top + 1e-6 and f.xy_overlap(c, m) for c in conn)
        if all(f.inside(d, m) for d in f.dies) and covered:
            return met(f"{m.name} ({f.material_name(m)}) encloses {names(f.dies)} and {len(conn)} connections")
    return not_met("no sealant encloses the die and its connections")


def spreader_atop_sealant(f: Facts) -> Finding:
    for h in f.role(Role.HEAT_SPREADER, Role.HEAT_SINK):
        for m in mold_bodies(f) + f.role(Role.THERMAL_GLUE):
            if f.rests_on(h, m) or (
                m.role is Role.THERMAL_GLUE and any(f.rests_on(m, s) for s in mold_bodies(f)) and f.rests_on(h, m)
            ):
                return met(f"{h.name} ({f.material_name(h)}) on {m.name}")
    return not_met("no heat spreader sits atop the sealant")


def conductive_below_substrate(f: Facts) -> Finding:
    subs = f.role(Role.SUBSTRATE)
    terms = f.role(Role.BALL, Role.PIN, Role.TERMINAL_BUMP)
    if subs and terms and all(t.solid.bbox.hi[2] <= subs[0].solid.bbox.lo[2] + 1e-6 for t in terms):
        return met(f"{len(terms)} terminals under {subs[0].name}")
    return not_met("no conductive means under a substrate")


def solder_balls(f: Facts) -> Finding:
    balls = [b for b in f.role(Role.BALL) if f.pkg.materials[b.material].category is Category.SOLDER]
    return check(
        bool(balls), f"{names(balls)} ({f.pkg.materials[balls[0].material].name})" if balls else "", "no solder balls"
    )


def wires(f: Facts) -> Finding:
    w = f.role(Role.WIRE)
    return check(bool(w), f"{names(w)} ({f.material_name(w[0])})" if w else "", "no bonding wires")


def tapes(f: Facts) -> Finding:
    t = f.role(Role.TAPE)
    return check(bool(t), f"{names(t)} ({f.material_name(t[0])})" if t else "", "no conductive adhesive tapes")


def metal(*roles: Role) -> Predicate:
    def p(f: Facts) -> Finding:
        bodies = f.role(*roles)
        if not bodies:
            return not_met(f"no {roles[0].value}")
        cats = {f.pkg.materials[b.material].category for b in bodies}
        return check(
            cats == {Category.METAL},
            f"{bodies[0].name}: {f.material_name(bodies[0])}",
            f"{bodies[0].name} is not metal",
        )

    return p


def materials_in(roles: tuple[Role, ...], allowed: tuple[str, ...], what: str) -> Predicate:
    def p(f: Facts) -> Finding:
        bodies = f.role(*roles)
        if not bodies:
            return not_met(f"no {what}")
        mats = sorted({b.material for b in bodies})
        bad = [m for m in mats if m not in allowed]
        return check(not bad, f"{what}: {', '.join(mats)}", f"{what} of {', '.join(bad)}, outside the claimed group")

    return p


def step(kind: StepKind, what: str, *, before: StepKind | None = None) -> Predicate:
    """A method element: the design's flow has this step (before another one, where the claim orders them)."""

    def p(f: Facts) -> Finding:
        if f.flow_steps is None:
            return undetermined("no manufacturing flow for this design")
        idx = f.steps_of(kind)
        if not idx:
            return not_met(f"{f.flow_name} has no {kind.value} step")
        ev = f"{f.flow_name} step {idx[0] + 1}: {f.flow_steps[idx[0]].title}"
        if before is not None:
            later = f.steps_of(before)
            if later and idx[0] > later[0]:
                return not_met(ev + f", after {before.value}")
        return met(ev)

    return p


def all_of(*preds: Predicate) -> Predicate:
    def p(f: Facts) -> Finding:
        out = [pr(f) for pr in preds]
        bad = [o for o in out if o.verdict is not Verdict.MET]
        if bad:
            return bad[0]
        return met("; ".join(o.evidence for o in out))

    return p


def not_modelled(what: str) -> Predicate:
    def p(f: Facts) -> Finding:
        return undetermined(f"{what} is not in the geometric model")

    return p
