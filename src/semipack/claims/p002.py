"""Seed 002 (chip-first thin film on a metal substrate): claims 1-60 (structures) and 61-138 (methods).

Claims 1-29 (one die) and 30-60 (several dies) share their dependent claims; the method
claims 61-101 and 102-138 read on the steps of the matching flow (`002-claims-61-101`,
`002-claims-102-138`), run on the design.
"""

from __future__ import annotations

from semipack.claims.common import all_of, materials_in, not_modelled
from semipack.claims.facts import Facts, names
from semipack.claims.model import Finding, Predicate, check, met, not_met, undetermined
from semipack.materials import Category
from semipack.model import Role
from semipack.process.parts import Part, classify
from semipack.process.steps import WIRING_KINDS, Singulation, StepKind
from semipack.units import mm

DIELECTRICS = ("polyimide_thinfilm", "polyimide_film", "bcb", "porous_lowk", "stress_buffer")
PASSIVE_GROUP = ("resistor", "inductor", "capacitor", "waveguide", "filter", "mems")


def _levels(f: Facts) -> dict[int, list[str]]:
    parts = classify(f.pkg)
    out: dict[int, list[str]] = {}
    for n, k in parts.items():
        if k.part is Part.WIRING and k.layer is not None:
            out.setdefault(k.layer, []).append(n)
    return out


def _vias(f: Facts, layer: int) -> list[str]:
    return [n for n, k in classify(f.pkg).items() if k.part is Part.VIAS and k.layer == layer]


def metal_substrate(f: Facts) -> Finding:
    ms = f.role(Role.METAL_SUBSTRATE, Role.CARRIER)
    ok = [m for m in ms if f.pkg.materials[m.material].category is Category.METAL]
    return check(bool(ok), f"{names(ok)} ({f.material_name(ok[0])})" if ok else "", "no metal substrate")


def dies_adhered(plural: bool) -> Predicate:
    def p(f: Facts) -> Finding:
        ms = f.role(Role.METAL_SUBSTRATE, Role.CARRIER)
        held = []
        for d in f.dies:
            att = [a for a in f.role(Role.DIE_ATTACH) if f.rests_on(d, a)]
            if att and any(f.rests_on(att[0], m) for m in ms):
                held.append(d)
        if plural and len(held) < 2:
            return not_met(
                f"{len(held)} die(s) adhered by their backsides to a metal substrate; the claim needs several"
            )
        return check(
            bool(held),
            f"{names(held)} adhered backside-down to {names(ms)}",
            "no die adhered by its backside to a metal substrate",
        )

    return p


def thin_film_fan_out(f: Facts) -> Finding:
    lv = _levels(f)
    if not f.role(Role.DIELECTRIC) or not lv:
        return not_met("no thin-film circuit layer (dielectric with wiring)")
    die_x = [(d.solid.bbox.lo[0], d.solid.bbox.hi[0], d.solid.bbox.lo[1], d.solid.bbox.hi[1]) for d in f.dies]
    top = max(lv)
    pads_top = [f.pkg.body(n) for n in lv[top]]
    outside = [
        b
        for b in pads_top
        if not any(
            x0 <= b.solid.bbox.lo[0]
            and b.solid.bbox.hi[0] <= x1
            and y0 <= b.solid.bbox.lo[1]
            and b.solid.bbox.hi[1] <= y1
            for x0, x1, y0, y1 in die_x
        )
    ]
    # Each die pad's net must reach the outermost wiring level.
    nets = {n.name: n for n in f.pkg.nets}
    top_names = set(lv[top])
    unrouted = [p.name for p in f.pkg.pads if p.net in nets and not (nets[p.net].nodes & top_names)]
    if unrouted:
        return not_met(f"{len(unrouted)} die pads do not reach a bonding pad (e.g. {unrouted[0]})")
    return check(
        bool(outside),
        f"{len(f.pkg.pads)} die pads each reach the top wiring level {top}; {len(outside)} of its bodies lie outside the dies",
        "the wiring does not extend beyond the dies",
    )


def bus(f: Facts) -> Finding:
    planes = f.role(Role.PLANE)
    return check(bool(planes), f"power/ground bus: {names(planes)}", "no power/ground bus")


def one_or_more_levels(f: Facts) -> Finding:
    lv = _levels(f)
    return check(
        bool(lv) and bool(_vias(f, 1)),
        f"dielectric 1 with {len(_vias(f, 1))} vias, wiring level 1 ({len(lv.get(1, []))} bodies)",
        "no dielectric with wiring connected through it to the pads",
    )


def several_levels(f: Facts) -> Finding:
    n = len(f.role(Role.DIELECTRIC))
    return check(
        n >= 2 and len(_levels(f)) >= 2,
        f"{n} dielectric and {len(_levels(f))} wiring levels, alternating",
        f"only {n} dielectric level",
    )


def thru_holes_each(f: Facts) -> Finding:
    n = len(f.role(Role.DIELECTRIC))
    missing = [k for k in range(1, n + 1) if not _vias(f, k)]
    return check(
        not missing,
        f"vias in every dielectric (levels 1-{n})",
        f"no vias in dielectric {missing[0] if missing else ''}",
    )


def passive(f: Facts) -> Finding:
    p = f.role(Role.PASSIVE)
    return check(bool(p), f"passive devices: {names(p)}", "no passive device in the wiring")


def passive_group(f: Facts) -> Finding:
    kinds = sorted({k for b in f.role(Role.PASSIVE) for k in PASSIVE_GROUP if k in b.name})
    return check(
        bool(kinds),
        "passives of the group: " + ", ".join(kinds),
        "no resistor, inductor, capacitor, wave-guide, filter or MEMS",
    )


def passive_in_wiring(f: Facts) -> Finding:
    parts = classify(f.pkg)
    inw = [b for b in f.role(Role.PASSIVE) if parts[b.name].part is Part.WIRING]
    return check(
        bool(inw),
        f"{names(inw)} formed in wiring level(s) {sorted({parts[b.name].layer or 0 for b in inw})}",
        "no passive formed by the wiring layer",
    )


def protruded(plural: bool) -> Predicate:
    def p(f: Facts) -> Finding:
        for m in f.role(Role.METAL_SUBSTRATE):
            cuts = getattr(m.solid, "cutouts", ())
            if cuts:
                held = [
                    d
                    for d in f.dies
                    if any(c.lo[0] <= d.solid.bbox.lo[0] and d.solid.bbox.hi[0] <= c.hi[0] for c in cuts)
                ]
                if plural and len(cuts) < 2:
                    return not_met(f"{m.name} has one inwardly protruded area; the claim needs several")
                return check(
                    bool(held),
                    f"{len(cuts)} recess(es) in {m.name}, {mm(cuts[0].hi[2] - cuts[0].lo[2])} deep, holding {names(held)}",
                    "no die in the recesses",
                )
        return not_met("the metal substrate has no inwardly protruded area")

    return p


def recess_depth_is_die(f: Facts) -> Finding:
    for m in f.role(Role.METAL_SUBSTRATE):
        cuts = getattr(m.solid, "cutouts", ())
        if cuts and f.dies:
            top = m.solid.bbox.hi[2]
            depth = top - cuts[0].lo[2]
            t = f.dies[0].solid.bbox.hi[2] - f.dies[0].solid.bbox.lo[2]
            rel = abs(depth - t) / t
            tol = getattr(f.tol, "approx_equal_rel", 0.1)
            return check(
                rel <= tol,
                f"recess depth {mm(depth)} vs die {mm(t)} ({rel * 100:.1f} %)",
                f"recess depth {mm(depth)} is not the die's {mm(t)}",
            )
    return not_met("no recess")


def two_layers(f: Facts) -> Finding:
    ms = f.role(Role.METAL_SUBSTRATE)
    first = [m for m in ms if getattr(m.solid, "cutouts", ())]
    return check(
        len(ms) >= 2 and bool(first),
        f"{names(ms)}; openings through {first[0].name if first else ''}",
        "the metal substrate is one layer",
    )


def first_layer_is_die(f: Facts) -> Finding:
    first = [m for m in f.role(Role.METAL_SUBSTRATE) if getattr(m.solid, "cutouts", ())]
    if len(f.role(Role.METAL_SUBSTRATE)) < 2 or not first or not f.dies:
        return not_met("no first metal layer")
    t1 = first[0].solid.bbox.hi[2] - first[0].solid.bbox.lo[2]
    t = f.dies[0].solid.bbox.hi[2] - f.dies[0].solid.bbox.lo[2]
    rel = abs(t1 - t) / t
    tol = getattr(f.tol, "approx_equal_rel", 0.1)
    return check(
        rel <= tol,
        f"first metal layer {mm(t1)} vs die {mm(t)} ({rel * 100:.1f} %)",
        f"first metal layer {mm(t1)} differs from the die's {mm(t)} by {rel * 100:.0f} %",
    )


def filling_planar(f: Facts) -> Finding:
    fills = f.role(Role.FILLING)
    if not fills or not f.dies:
        return not_met("no filling layer around the dies")
    top = max(b.solid.bbox.hi[2] for b in fills)
    act = max(d.solid.bbox.hi[2] for d in f.dies)
    tol = getattr(f.tol, "coplanar_m", 2e-6)
    return check(
        abs(top - act) <= tol,
        f"{names(fills)} top within {abs(top - act) * 1e6:.2g} um of the active surface",
        "the filling layer is not planar with the active surface",
    )


def passivation(f: Facts) -> Finding:
    p = f.role(Role.PASSIVATION)
    return check(
        bool(p),
        f"{names(p)} ({f.material_name(p[0])}) with openings at the bonding pads" if p else "",
        "no passivation layer",
    )


def bonding_points(f: Facts) -> Finding:
    t = f.role(Role.BALL, Role.TERMINAL_BUMP, Role.PIN)
    return check(
        bool(t), f"{len(t)} bonding points ({t[0].role.value}) on the bonding pads" if t else "", "no bonding points"
    )


def same_function(same: bool) -> Predicate:
    def p(f: Facts) -> Finding:
        fn = f.pkg.features.get("die_function")
        if len(f.dies) < 2:
            return not_met("one die")
        if fn is None:
            return undetermined("the design does not say what its dies do")
        want = "same" if same else "different"
        return check(fn == want, f"die_function: {fn} ({names(f.dies)})", f"die_function is {fn}")

    return p


def internal_circuitry(f: Facts) -> Finding:
    return undetermined("the die's internal circuitry and active devices are not in the model")


M61 = "002-claims-61-101"
M102 = "002-claims-102-138"


def flow_step(kind: StepKind, method: str, layer: int | None = None, **kw: object) -> Predicate:
    def p(f: Facts) -> Finding:
        run = f.steps_for(method)
        if run.reason is not None:
            return not_met(run.reason)
        steps = run.steps
        hits = [i for i, s in enumerate(steps) if s.kind is kind and (layer is None or s.layer == layer)]
        for key, val in kw.items():
            hits = [i for i in hits if getattr(steps[i], key) == val]
        if not hits:
            return not_met(f"{method} has no {kind.value}" + (f" {layer}" if layer else "") + " step for this design")
        return met(f"{method} step {hits[0] + 1}: {steps[hits[0]].title}")

    return p


def wiring_step(method: str, layer: int) -> Predicate:
    def p(f: Facts) -> Finding:
        run = f.steps_for(method)
        if run.reason is not None:
            return not_met(run.reason)
        steps = run.steps
        hits = [i for i, s in enumerate(steps) if s.kind in WIRING_KINDS and s.layer == layer]
        if not hits:
            return not_met(f"no wiring level {layer}")
        return met(f"{method} step {hits[0] + 1}: {steps[hits[0]].kind.value} {layer}")

    return p


def ordered(method: str, first: tuple[StepKind, int | None], then: tuple[StepKind, int | None], what: str) -> Predicate:
    def p(f: Facts) -> Finding:
        run = f.steps_for(method)
        if run.reason is not None:
            return not_met(run.reason)
        steps = run.steps

        def find(kind: StepKind, layer: int | None) -> int | None:
            for i, s in enumerate(steps):
                if (s.kind is kind or (kind is StepKind.ELECTROPLATE and s.kind in WIRING_KINDS)) and (
                    layer is None or s.layer == layer
                ):
                    return i
            return None

        a, b = find(*first), find(*then)
        if a is None or b is None:
            return not_met(f"{method}: no {first[0].value if a is None else then[0].value} step")
        return check(
            a < b,
            f"{method}: {what} (steps {a + 1} < {b + 1})",
            f"{method}: {first[0].value} comes after {then[0].value}",
        )

    return p


def several_repeats(f: Facts) -> Finding:
    n = len(f.role(Role.DIELECTRIC))
    return check(n >= 3, f"steps (a) and (b) run for levels 2 to {n}", f"{n} level(s): (a) and (b) are not repeated")


def singulated(per: Singulation, method: str) -> Predicate:
    return flow_step(StepKind.SINGULATE, method, singulation=per)


def _structure(plural: bool) -> dict[int, tuple[Predicate, ...]]:
    """Dependent claims 2-29 (one die) or 31-60 (several dies), keyed by their offset."""
    return {
        2: (internal_circuitry,),
        3: (internal_circuitry,),
        4: (not_modelled("the die's internal traces (for the width/length/thickness comparison)"),),
        5: (bus,),
        6: (one_or_more_levels,),
        7: (one_or_more_levels,),
        8: (one_or_more_levels,),
        9: (one_or_more_levels,),
        10: (passive,),
        11: (passive_group,),
        12: (passive_in_wiring,),
        13: (materials_in((Role.DIELECTRIC,), DIELECTRICS, "dielectric"),),
        14: (several_levels,),
        15: (thru_holes_each,),
        16: (thru_holes_each,),
        17: (several_levels,),
        18: (passive,),
        19: (passive_group,),
        20: (passive_in_wiring,),
        21: (materials_in((Role.DIELECTRIC,), DIELECTRICS, "dielectric"),),
        22: (protruded(plural),),
        23: (two_layers,),
        24: (first_layer_is_die,),
        25: (filling_planar,),
        26: (_filling_material,),
        27: (passivation,),
        28: (bonding_points,),
        29: (bonding_points,),
    }


def _filling_material(f: Facts) -> Finding:
    fills = f.role(Role.FILLING)
    if not fills:
        return not_met("no filling layer")
    ok = [
        b
        for b in fills
        if b.material == "epoxy" or f.pkg.materials[b.material].category in (Category.POLYMER, Category.ADHESIVE)
    ]
    return check(
        len(ok) == len(fills),
        f"filling layer of {f.material_name(fills[0])}",
        "the filling layer is neither epoxy nor a polymer",
    )


def _method(m: str, first: int) -> dict[int, tuple[Predicate, ...]]:
    """Claims 62-101 (first = 61) or 103-138 (first = 102): dependent method claims."""
    out: dict[int, tuple[Predicate, ...]] = {}
    if first == 61:
        out.update(
            {
                62: (same_function(True),),
                63: (same_function(False),),
                # The panel carries several units, so "a plurality of" recesses holds per panel.
                64: (protruded(False),),
                65: (recess_depth_is_die,),
                66: (flow_step(StepKind.MACHINE, m),),
                67: (two_layers,),
                68: (first_layer_is_die,),
                69: (ordered(m, (StepKind.PUNCH, None), (StepKind.LAMINATE, None), "punched, then laminated"),),
                70: (
                    all_of(
                        ordered(
                            m,
                            (StepKind.FILL, None),
                            (StepKind.DEPOSIT_DIELECTRIC, 1),
                            "filling layer before the first dielectric",
                        ),
                        filling_planar,
                    ),
                ),
                71: (_filling_material,),
                72: (
                    ordered(
                        m, (StepKind.PATTERN_THRU_HOLES, 1), (StepKind.ELECTROPLATE, 1), "thru-holes before wiring"
                    ),
                ),
                73: (flow_step(StepKind.ELECTROPLATE, m, 1, fill_vias=True),),
                74: (flow_step(StepKind.FILL_VIAS, m, 1),),
                75: (materials_in((Role.DIELECTRIC,), DIELECTRICS, "dielectric"),),
                76: (wiring_step(m, 1),),
            }
        )
        tail = {77: 16, 78: 17, 79: 18, 80: 19, 81: 20, 82: 21}
        lvl2 = 83
    else:
        out.update(
            {
                103: (same_function(True),),
                104: (same_function(False),),
                105: (_temp_substrate,),
                106: (_filling_material,),
                107: (
                    all_of(
                        ordered(
                            m,
                            (StepKind.FILL, None),
                            (StepKind.REMOVE_CARRIER, None),
                            "second filling layer before removal",
                        ),
                        filling_planar,
                    ),
                ),
                108: (_filling_material,),
                109: (
                    ordered(
                        m, (StepKind.PATTERN_THRU_HOLES, 1), (StepKind.ELECTROPLATE, 1), "thru-holes before wiring"
                    ),
                ),
                110: (flow_step(StepKind.ELECTROPLATE, m, 1, fill_vias=True),),
                111: (flow_step(StepKind.FILL_VIAS, m, 1),),
                112: (materials_in((Role.DIELECTRIC,), DIELECTRICS, "dielectric"),),
                113: (wiring_step(m, 1),),
            }
        )
        tail = {114: 16, 115: 17, 116: 18, 117: 19, 118: 20, 119: 21}
        lvl2 = 120
    single = {
        16: (flow_step(StepKind.PASSIVATE, m),),
        17: (bonding_points,),
        18: (bonding_points,),
        19: (_sing_after(m),),
        20: (singulated(Singulation.PER_DIE, m),),
        21: (singulated(Singulation.PER_GROUP, m),),
    }
    for n, k in tail.items():
        out[n] = single[k]
    # Steps (a) and (b) and their dependants.
    b = lvl2
    out[b] = (flow_step(StepKind.DEPOSIT_DIELECTRIC, m, 2), wiring_step(m, 2))
    out[b + 1] = (flow_step(StepKind.PATTERN_THRU_HOLES, m, 2),)
    out[b + 2] = (flow_step(StepKind.ELECTROPLATE, m, 2, fill_vias=True),)
    out[b + 3] = (flow_step(StepKind.FILL_VIAS, m, 2),)
    out[b + 4] = (materials_in((Role.DIELECTRIC,), DIELECTRICS, "dielectric"),)
    out[b + 5] = (wiring_step(m, 2),)
    out[b + 6] = single[16]
    out[b + 7] = single[17]
    out[b + 8] = single[18]
    out[b + 9] = single[19]
    out[b + 10] = single[20]
    out[b + 11] = single[21]
    out[b + 12] = (several_repeats,)
    out[b + 13] = single[16]
    out[b + 14] = single[17]
    out[b + 15] = single[18]
    out[b + 16] = single[19]
    out[b + 17] = single[20]
    out[b + 18] = single[21]
    return out


def _sing_after(m: str) -> Predicate:
    def p(f: Facts) -> Finding:
        run = f.steps_for(m)
        if run.reason is not None:
            return not_met(run.reason)
        steps = run.steps
        term = [
            i for i, s in enumerate(steps) if s.kind in (StepKind.BALL_ATTACH, StepKind.BUMP_FORM, StepKind.PIN_ATTACH)
        ]
        sing = [i for i, s in enumerate(steps) if s.kind is StepKind.SINGULATE]
        if not term or not sing:
            return not_met(f"{m}: no bonding points or no singulation")
        return check(
            term[0] < sing[0],
            f"{m}: singulation (step {sing[0] + 1}) after bonding points (step {term[0] + 1})",
            "singulation before the bonding points",
        )

    return p


def _temp_substrate(f: Facts) -> Finding:
    run = f.steps_for(M102)
    if run.reason is not None:
        return not_met(run.reason)
    steps = run.steps
    s = [x for x in steps if x.kind is StepKind.PROVIDE_TEMPORARY_SUBSTRATE]
    if not s:
        return not_met("no temporary substrate")
    mat = s[0].material or "borosilicate"
    cat = f.pkg.materials[mat].category
    ok = mat in ("borosilicate", "ircut_glass", "si") or cat in (
        Category.GLASS,
        Category.SEMICONDUCTOR,
        Category.POLYMER,
        Category.LAMINATE,
    )
    return check(
        ok,
        f"temporary substrate of {f.pkg.materials[mat].name}",
        f"temporary substrate of {mat}: not glass, silicon or organic",
    )


ELEMENTS: dict[int, tuple[Predicate, ...]] = {
    1: (metal_substrate, dies_adhered(False), thin_film_fan_out),
    30: (metal_substrate, dies_adhered(True), thin_film_fan_out),
    31: (same_function(True),),
    32: (same_function(False),),
    61: (
        flow_step(StepKind.PROVIDE_METAL_SUBSTRATE, M61),
        flow_step(StepKind.DIE_ATTACH, M61, face_down=False),
        flow_step(StepKind.DEPOSIT_DIELECTRIC, M61, 1),
        lambda f: _and(wiring_step(M61, 1)(f), thin_film_fan_out(f)),
    ),
    102: (
        flow_step(StepKind.PROVIDE_TEMPORARY_SUBSTRATE, M102),
        flow_step(StepKind.DIE_ATTACH, M102, face_down=True),
        flow_step(StepKind.FILL, M102, temporary=True),
        flow_step(StepKind.GRIND, M102),
        flow_step(StepKind.PROVIDE_METAL_SUBSTRATE, M102),
        flow_step(StepKind.REMOVE_CARRIER, M102),
        flow_step(StepKind.DEPOSIT_DIELECTRIC, M102, 1),
        lambda f: _and(wiring_step(M102, 1)(f), thin_film_fan_out(f)),
    ),
}


def _and(a: Finding, b: Finding) -> Finding:
    if a.verdict.value != "met":
        return a
    if b.verdict.value != "met":
        return b
    return met(a.evidence + "; " + b.evidence)


for _k, _v in _structure(False).items():
    ELEMENTS[_k] = _v
# Claims 33-60 repeat 2-29 for several dies (31/32 are the same/different-function claims).
_OFFSET_30 = {
    33: 2,
    34: 3,
    35: 4,
    36: 5,
    37: 6,
    38: 7,
    39: 8,
    40: 9,
    41: 10,
    42: 11,
    43: 12,
    44: 13,
    45: 14,
    46: 15,
    47: 16,
    48: 17,
    49: 18,
    50: 19,
    51: 20,
    52: 21,
    53: 22,
    54: 23,
    55: 24,
    56: 25,
    57: 26,
    58: 27,
    59: 28,
    60: 29,
}
_plural = _structure(True)
for _n, _k in _OFFSET_30.items():
    ELEMENTS[_n] = _plural[_k]
ELEMENTS.update(_method(M61, 61))
ELEMENTS.update(_method(M102, 102))
