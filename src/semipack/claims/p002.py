"""Seed 002 (chip-first thin film on a metal substrate): claims 1-60 (structures) and 61-138 (methods).

Claims 1-29 (one die) and 30-60 (several dies) word the same dependent claims; the method
claims 61-101 and 102-138 read on the steps of the matching flow (`002-claims-61-101`,
`002-claims-102-138`), run on the design. `TABLE` lists every claim as written: its
parent and one predicate per element.
"""

from __future__ import annotations

from semipack.claims.common import all_of, materials_in, not_modelled
from semipack.claims.facts import Facts, cutouts, names
from semipack.claims.model import Finding, Predicate, Verdict, check, met, not_met, undetermined
from semipack.materials import Category
from semipack.model import Role
from semipack.process.parts import Part, classify
from semipack.process.steps import WIRING_KINDS, Singulation, StepKind
from semipack.units import mm

DIELECTRICS = ("polyimide_thinfilm", "polyimide_film", "bcb", "porous_lowk", "stress_buffer")


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
    kinds = sorted({b.passive.kind.value for b in f.role(Role.PASSIVE) if b.passive is not None})
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
            cuts = cutouts(m)
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
        cuts = cutouts(m)
        if cuts and f.dies:
            top = m.solid.bbox.hi[2]
            depth = top - cuts[0].lo[2]
            t = f.dies[0].solid.bbox.hi[2] - f.dies[0].solid.bbox.lo[2]
            rel = abs(depth - t) / t
            tol = f.tol.approx_equal_rel
            return check(
                rel <= tol,
                f"recess depth {mm(depth)} vs die {mm(t)} ({rel * 100:.1f} %)",
                f"recess depth {mm(depth)} is not the die's {mm(t)}",
            )
    return not_met("no recess")


def two_layers(f: Facts) -> Finding:
    ms = f.role(Role.METAL_SUBSTRATE)
    first = [m for m in ms if cutouts(m)]
    return check(
        len(ms) >= 2 and bool(first),
        f"{names(ms)}; openings through {first[0].name if first else ''}",
        "the metal substrate is one layer",
    )


def first_layer_is_die(f: Facts) -> Finding:
    first = [m for m in f.role(Role.METAL_SUBSTRATE) if cutouts(m)]
    if len(f.role(Role.METAL_SUBSTRATE)) < 2 or not first or not f.dies:
        return not_met("no first metal layer")
    t1 = first[0].solid.bbox.hi[2] - first[0].solid.bbox.lo[2]
    t = f.dies[0].solid.bbox.hi[2] - f.dies[0].solid.bbox.lo[2]
    rel = abs(t1 - t) / t
    tol = f.tol.approx_equal_rel
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
    tol = f.tol.coplanar_m
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


def _and(a: Finding, b: Finding) -> Finding:
    if a.verdict is not Verdict.MET:
        return a
    if b.verdict is not Verdict.MET:
        return b
    return met(a.evidence + "; " + b.evidence)


def _fan_out_wiring(method: str) -> Predicate:
    """The last element of claims 61 and 102: the first wiring level, fanned out beyond the dies."""

    def p(f: Facts) -> Finding:
        return _and(wiring_step(method, 1)(f), thin_film_fan_out(f))

    return p


K = StepKind
DIELECTRIC_MATERIAL = materials_in((Role.DIELECTRIC,), DIELECTRICS, "dielectric")
FILLING_BEFORE_DIELECTRIC = ordered(
    M61, (K.FILL, None), (K.DEPOSIT_DIELECTRIC, 1), "filling layer before the first dielectric"
)
SECOND_FILLING_BEFORE_REMOVAL = ordered(
    M102, (K.FILL, None), (K.REMOVE_CARRIER, None), "second filling layer before removal"
)

# Every claim of seed 002: number -> (the claim it depends on, as the seed words it; the
# predicate of each element). The parents repeat the seed text so a test can hold the two
# together; the chart itself reads the parents from the seed.
TABLE: dict[int, tuple[int | None, tuple[Predicate, ...]]] = {
    # Claims 1-29: one die on a metal substrate under a thin-film circuit layer.
    1: (None, (metal_substrate, dies_adhered(False), thin_film_fan_out)),
    2: (1, (internal_circuitry,)),
    3: (2, (internal_circuitry,)),
    4: (3, (not_modelled("the die's internal traces (for the width/length/thickness comparison)"),)),
    5: (1, (bus,)),
    6: (1, (one_or_more_levels,)),
    7: (6, (one_or_more_levels,)),
    8: (6, (one_or_more_levels,)),
    9: (6, (one_or_more_levels,)),
    10: (6, (passive,)),
    11: (6, (passive_group,)),
    12: (10, (passive_in_wiring,)),
    13: (6, (DIELECTRIC_MATERIAL,)),
    14: (1, (several_levels,)),
    15: (14, (thru_holes_each,)),
    16: (15, (thru_holes_each,)),
    17: (16, (several_levels,)),
    18: (14, (passive,)),
    19: (18, (passive_group,)),
    20: (18, (passive_in_wiring,)),
    21: (18, (DIELECTRIC_MATERIAL,)),
    22: (1, (protruded(False),)),
    23: (1, (two_layers,)),
    24: (23, (first_layer_is_die,)),
    25: (1, (filling_planar,)),
    26: (25, (_filling_material,)),
    27: (1, (passivation,)),
    28: (1, (bonding_points,)),
    29: (28, (bonding_points,)),
    # Claims 30-60: the same structure with several dies (31/32: same or different functions).
    30: (None, (metal_substrate, dies_adhered(True), thin_film_fan_out)),
    31: (30, (same_function(True),)),
    32: (30, (same_function(False),)),
    33: (30, (internal_circuitry,)),
    34: (33, (internal_circuitry,)),
    35: (34, (not_modelled("the die's internal traces (for the width/length/thickness comparison)"),)),
    36: (30, (bus,)),
    37: (30, (one_or_more_levels,)),
    38: (37, (one_or_more_levels,)),
    39: (38, (one_or_more_levels,)),
    40: (39, (one_or_more_levels,)),
    41: (37, (passive,)),
    42: (41, (passive_group,)),
    43: (41, (passive_in_wiring,)),
    44: (37, (DIELECTRIC_MATERIAL,)),
    45: (30, (several_levels,)),
    46: (45, (thru_holes_each,)),
    47: (46, (thru_holes_each,)),
    48: (47, (several_levels,)),
    49: (45, (passive,)),
    50: (49, (passive_group,)),
    51: (49, (passive_in_wiring,)),
    52: (45, (DIELECTRIC_MATERIAL,)),
    53: (30, (protruded(True),)),
    54: (30, (two_layers,)),
    55: (54, (first_layer_is_die,)),
    56: (30, (filling_planar,)),
    57: (56, (_filling_material,)),
    58: (30, (passivation,)),
    59: (30, (bonding_points,)),
    60: (59, (bonding_points,)),
    # Claims 61-101: the dies adhered face up on the metal substrate, then the build-up.
    61: (
        None,
        (
            flow_step(K.PROVIDE_METAL_SUBSTRATE, M61),
            flow_step(K.DIE_ATTACH, M61, face_down=False),
            flow_step(K.DEPOSIT_DIELECTRIC, M61, 1),
            _fan_out_wiring(M61),
        ),
    ),
    62: (61, (same_function(True),)),
    63: (61, (same_function(False),)),
    # The panel carries several units, so "a plurality of" recesses holds per panel.
    64: (61, (protruded(False),)),
    65: (64, (recess_depth_is_die,)),
    66: (64, (flow_step(K.MACHINE, M61),)),
    67: (61, (two_layers,)),
    68: (67, (first_layer_is_die,)),
    69: (67, (ordered(M61, (K.PUNCH, None), (K.LAMINATE, None), "punched, then laminated"),)),
    70: (61, (all_of(FILLING_BEFORE_DIELECTRIC, filling_planar),)),
    71: (70, (_filling_material,)),
    72: (61, (ordered(M61, (K.PATTERN_THRU_HOLES, 1), (K.ELECTROPLATE, 1), "thru-holes before wiring"),)),
    73: (72, (flow_step(K.ELECTROPLATE, M61, 1, fill_vias=True),)),
    74: (72, (flow_step(K.FILL_VIAS, M61, 1),)),
    75: (61, (DIELECTRIC_MATERIAL,)),
    76: (61, (wiring_step(M61, 1),)),
    77: (61, (flow_step(K.PASSIVATE, M61),)),
    78: (61, (bonding_points,)),
    79: (78, (bonding_points,)),
    80: (78, (_sing_after(M61),)),
    81: (80, (singulated(Singulation.PER_DIE, M61),)),
    82: (80, (singulated(Singulation.PER_GROUP, M61),)),
    # Steps (a) and (b): a second level, and their dependants.
    83: (61, (flow_step(K.DEPOSIT_DIELECTRIC, M61, 2), wiring_step(M61, 2))),
    84: (83, (flow_step(K.PATTERN_THRU_HOLES, M61, 2),)),
    85: (84, (flow_step(K.ELECTROPLATE, M61, 2, fill_vias=True),)),
    86: (84, (flow_step(K.FILL_VIAS, M61, 2),)),
    87: (83, (DIELECTRIC_MATERIAL,)),
    88: (83, (wiring_step(M61, 2),)),
    89: (83, (flow_step(K.PASSIVATE, M61),)),
    90: (83, (bonding_points,)),
    91: (90, (bonding_points,)),
    92: (90, (_sing_after(M61),)),
    93: (92, (singulated(Singulation.PER_DIE, M61),)),
    94: (92, (singulated(Singulation.PER_GROUP, M61),)),
    95: (83, (several_repeats,)),
    96: (95, (flow_step(K.PASSIVATE, M61),)),
    97: (95, (bonding_points,)),
    98: (97, (bonding_points,)),
    99: (97, (_sing_after(M61),)),
    100: (99, (singulated(Singulation.PER_DIE, M61),)),
    # The seed makes claim 101 depend on 100 (not 99, as 94 on 92); kept as worded.
    101: (100, (singulated(Singulation.PER_GROUP, M61),)),
    # Claims 102-138: the dies face down on a temporary substrate, the metal substrate on their backs.
    102: (
        None,
        (
            flow_step(K.PROVIDE_TEMPORARY_SUBSTRATE, M102),
            flow_step(K.DIE_ATTACH, M102, face_down=True),
            flow_step(K.FILL, M102, temporary=True),
            flow_step(K.GRIND, M102),
            flow_step(K.PROVIDE_METAL_SUBSTRATE, M102),
            flow_step(K.REMOVE_CARRIER, M102),
            flow_step(K.DEPOSIT_DIELECTRIC, M102, 1),
            _fan_out_wiring(M102),
        ),
    ),
    103: (102, (same_function(True),)),
    104: (102, (same_function(False),)),
    105: (102, (_temp_substrate,)),
    106: (102, (_filling_material,)),
    107: (102, (all_of(SECOND_FILLING_BEFORE_REMOVAL, filling_planar),)),
    108: (107, (_filling_material,)),
    109: (102, (ordered(M102, (K.PATTERN_THRU_HOLES, 1), (K.ELECTROPLATE, 1), "thru-holes before wiring"),)),
    110: (109, (flow_step(K.ELECTROPLATE, M102, 1, fill_vias=True),)),
    111: (109, (flow_step(K.FILL_VIAS, M102, 1),)),
    112: (102, (DIELECTRIC_MATERIAL,)),
    113: (102, (wiring_step(M102, 1),)),
    114: (102, (flow_step(K.PASSIVATE, M102),)),
    115: (102, (bonding_points,)),
    116: (115, (bonding_points,)),
    117: (115, (_sing_after(M102),)),
    118: (117, (singulated(Singulation.PER_DIE, M102),)),
    119: (117, (singulated(Singulation.PER_GROUP, M102),)),
    # Steps (a) and (b): a second level, and their dependants.
    120: (102, (flow_step(K.DEPOSIT_DIELECTRIC, M102, 2), wiring_step(M102, 2))),
    121: (120, (flow_step(K.PATTERN_THRU_HOLES, M102, 2),)),
    122: (121, (flow_step(K.ELECTROPLATE, M102, 2, fill_vias=True),)),
    123: (121, (flow_step(K.FILL_VIAS, M102, 2),)),
    124: (120, (DIELECTRIC_MATERIAL,)),
    125: (120, (wiring_step(M102, 2),)),
    126: (120, (flow_step(K.PASSIVATE, M102),)),
    127: (120, (bonding_points,)),
    128: (127, (bonding_points,)),
    129: (127, (_sing_after(M102),)),
    130: (129, (singulated(Singulation.PER_DIE, M102),)),
    131: (129, (singulated(Singulation.PER_GROUP, M102),)),
    132: (120, (several_repeats,)),
    133: (132, (flow_step(K.PASSIVATE, M102),)),
    134: (132, (bonding_points,)),
    135: (134, (bonding_points,)),
    136: (134, (_sing_after(M102),)),
    137: (136, (singulated(Singulation.PER_DIE, M102),)),
    138: (136, (singulated(Singulation.PER_GROUP, M102),)),
}

ELEMENTS: dict[int, tuple[Predicate, ...]] = {n: preds for n, (_, preds) in TABLE.items()}
