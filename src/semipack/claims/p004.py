"""Seed 004 (build-up package with the die in a metal carrier's cavity): claims 1-16."""

from __future__ import annotations

import itertools

from semipack.claims.common import materials_in
from semipack.claims.facts import Facts, cutouts, names
from semipack.claims.model import Finding, Predicate, check, met, not_met
from semipack.model import Role
from semipack.process.parts import Part, classify
from semipack.units import mm

CARRIERS = ("cu_rolled", "cu_plated", "al")
DIELECTRICS = ("polyimide_thinfilm", "polyimide_film", "epoxy", "bt_core", "bt_laminate", "fr4", "fr5", "bcb", "ptfe")


def die_with_pads(f: Facts) -> Finding:
    return check(
        bool(f.dies) and bool(f.pkg.pads),
        f"{names(f.dies)} with {len(f.pkg.pads)} bonding pads on its active surface",
        "no die with bonding pads",
    )


def carrier_cavity(f: Facts) -> Finding:
    for c in f.role(Role.CARRIER, Role.METAL_SUBSTRATE):
        for cut in cutouts(c):
            held = [
                d
                for d in f.dies
                if cut.lo[0] <= d.solid.bbox.lo[0] + 1e-9
                and d.solid.bbox.hi[0] <= cut.hi[0] + 1e-9
                and cut.lo[1] <= d.solid.bbox.lo[1] + 1e-9
                and d.solid.bbox.hi[1] <= cut.hi[1] + 1e-9
            ]
            if held:
                return met(
                    f"{c.name} ({f.material_name(c)}) cavity {mm(cut.hi[0] - cut.lo[0])} wide holds {names(held)}"
                )
    return not_met("no metal carrier with a cavity holding the die")


def _columns(f: Facts) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for n, k in classify(f.pkg).items():
        if k.part is Part.VIAS and k.layer is not None:
            out.setdefault(k.layer, []).append(n)
    return out


def layers_with_columns(f: Facts) -> Finding:
    cols = _columns(f)
    n = len(f.role(Role.DIELECTRIC))
    traces = f.role(Role.TRACE)
    if n < 2:
        return not_met(f"{n} dielectric layer(s); the claim needs a plurality")
    if any(k not in cols for k in range(1, n + 1)):
        return not_met("a dielectric layer without conductive columns")
    return check(
        bool(traces),
        f"{n} dielectric layers with columns ({', '.join(str(len(cols[k])) for k in range(1, n + 1))}); traces {names(traces)}",
        "no layer of traces between the dielectric layers",
    )


def first_layer_columns(f: Facts) -> Finding:
    cols = _columns(f)
    pads_xy = [p.xy for p in f.pkg.pads]
    on_pads = [
        n
        for n in cols.get(1, [])
        if any(abs(f.pkg.body(n).solid.bbox.lo[0] + f.pkg.body(n).solid.bbox.hi[0] - 2 * x) < 1e-6 for x, _ in pads_xy)
    ]
    return check(
        bool(on_pads),
        f"{len(on_pads)} columns in dielectric 1 on the bonding pads",
        "no columns on the bonding pads in the first dielectric layer",
    )


def coplanar(f: Facts) -> Finding:
    c = f.role(Role.CARRIER, Role.METAL_SUBSTRATE)
    if not c or not f.dies:
        return not_met("no carrier or die")
    d = abs(c[0].solid.bbox.hi[2] - f.dies[0].solid.bbox.hi[2])
    tol = f.tol.coplanar_m
    return check(
        d <= tol,
        f"carrier surface and active surface within {d * 1e6:.2g} um",
        f"carrier surface {d * 1e6:.3g} um off the active surface",
    )


def stacked(f: Facts) -> Finding:
    cols = _columns(f)
    for k in sorted(cols):
        for a in cols[k]:
            ba = f.pkg.body(a).solid.bbox
            for b in cols.get(k + 1, []):
                bb = f.pkg.body(b).solid.bbox
                same = (
                    abs((ba.lo[0] + ba.hi[0]) - (bb.lo[0] + bb.hi[0])) < 2e-6
                    and abs((ba.lo[1] + ba.hi[1]) - (bb.lo[1] + bb.hi[1])) < 2e-6
                )
                if same:
                    return met(f"{b} (layer {k + 1}) sits over {a} (layer {k})")
    return not_met("no column stands on the column of the layer below (staggered)")


def terminals_outer(f: Facts) -> Finding:
    t = f.role(Role.BALL, Role.TERMINAL_BUMP, Role.PIN)
    return check(
        bool(t), f"{len(t)} {t[0].role.value}s on the outermost layer" if t else "", "no solder balls, bumps or pins"
    )


def grid_array(f: Facts) -> Finding:
    balls = f.role(Role.BALL)
    if len(balls) < 4:
        return not_met("no ball array")
    xs = sorted({round((b.solid.bbox.lo[0] + b.solid.bbox.hi[0]) / 2, 7) for b in balls})
    ys = sorted({round((b.solid.bbox.lo[1] + b.solid.bbox.hi[1]) / 2, 7) for b in balls})
    steps = [b - a for a, b in itertools.pairwise(xs)] + [b - a for a, b in itertools.pairwise(ys)]
    pitch = min(steps) if steps else 0.0
    on_grid = pitch > 0 and all(abs(s / pitch - round(s / pitch)) < 1e-3 for s in steps)
    return check(on_grid, f"{len(balls)} balls on a {mm(pitch)} grid", "the balls are not on a grid")


def covers_back_and_sides(f: Facts) -> Finding:
    for c in f.role(Role.CARRIER):
        for cut in cutouts(c):
            if cut.lo[2] > c.solid.bbox.lo[2] + 1e-9:
                return met(
                    f"{c.name}'s cavity has a floor {mm(cut.lo[2] - c.solid.bbox.lo[2])} thick under the die and walls around it"
                )
    return not_met("the carrier's cavity goes through: the die's passive surface is not covered")


def several_column_layers(f: Facts) -> Finding:
    cols = _columns(f)
    return check(
        len(cols) >= 2, f"{len(cols)} dielectric layers with columns", "only the first dielectric layer has columns"
    )


ELEMENTS: dict[int, tuple[Predicate, ...]] = {
    1: (die_with_pads, carrier_cavity, layers_with_columns),
    2: (coplanar,),
    3: (stacked,),
    4: (terminals_outer,),
    5: (grid_array,),
    6: (materials_in((Role.CARRIER,), CARRIERS, "metal carrier"),),
    7: (materials_in((Role.COLUMN,), ("cu_plated", "cu_rolled", "al"), "conductive columns"),),
    8: (materials_in((Role.DIELECTRIC,), DIELECTRICS, "dielectric layers"),),
    9: (covers_back_and_sides,),
    10: (die_with_pads, carrier_cavity, first_layer_columns),
    11: (coplanar,),
    12: (several_column_layers,),
    13: (terminals_outer,),
    14: (materials_in((Role.CARRIER,), CARRIERS, "metal carrier"),),
    15: (materials_in((Role.COLUMN,), ("cu_plated", "cu_rolled", "al"), "conductive columns"),),
    16: (materials_in((Role.DIELECTRIC,), DIELECTRICS, "dielectric layers"),),
}
