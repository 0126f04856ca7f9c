"""Seed 003 (exposed heat sink): claims 1-20 as predicates over the model."""

from __future__ import annotations

from semipack.claims.common import mold_bodies, wires
from semipack.claims.facts import Facts, names
from semipack.claims.model import Finding, Predicate, check, met, not_met, undetermined
from semipack.model import Body, Role
from semipack.process.defaults import LOW_ADHESION
from semipack.units import mm

INTERFACES = ("au", "cr", "ni", "ptfe")  # claims 3/14: gold, chromium, nickel, alloys, Teflon


def chip_carrier(f: Facts) -> Finding:
    c = f.role(Role.SUBSTRATE, Role.LEAD, Role.DIE_PADDLE)
    return check(bool(c), f"chip carrier: {names(c)}", "no substrate or lead frame under the chip")


def chip_mounted(f: Facts) -> Finding:
    conn = f.role(Role.WIRE, Role.BUMP)
    carrier = f.role(Role.SUBSTRATE, Role.DIE_PADDLE)
    if not f.dies or not conn or not carrier:
        return not_met("no chip mounted on and connected to a carrier")
    return met(f"{f.dies[0].name} on {carrier[0].name}, connected by {names(conn)}")


def _sink(f: Facts) -> Body | None:
    """The heat sink proper: of the heat-sink bodies (a connecting portion is one too), the one on top."""
    sinks = f.role(Role.HEAT_SINK)
    return max(sinks, key=lambda b: b.solid.bbox.hi[2]) if sinks else None


def _chain_to(f: Facts, top: Body, roles: tuple[Role, ...], target: tuple[Body, ...]) -> list[Body] | None:
    """Bodies of ``roles`` stacked under ``top`` down to one of ``target`` (shortest chain)."""
    frontier = [(top, [top])]
    seen = {top.name}
    while frontier:
        nxt = []
        for b, path in frontier:
            for t in target:
                if f.rests_on(b, t):
                    return [*path, t]
            for c in f.pkg.bodies:
                if c.name not in seen and c.role in roles and f.rests_on(b, c):
                    seen.add(c.name)
                    nxt.append((c, [*path, c]))
        frontier = nxt
    return None


def _interface(f: Facts, sink: Body) -> Finding:
    iface = [b for b in f.role(Role.INTERFACE_LAYER) if f.rests_on(b, sink)]
    if not iface:
        return not_met(f"no interface layer on {sink.name}'s second surface")
    mat = iface[0].material
    if mat not in LOW_ADHESION:
        return undetermined(
            f"{iface[0].name} of {f.material_name(iface[0])}: its adhesion to mould compound is not known to semipack"
        )
    return met(
        f"{iface[0].name} of {f.material_name(iface[0])} (adheres to mould compound less than bare {f.material_name(sink)})"
    )


def sink_on_chip(f: Facts) -> Finding:
    s = _sink(f)
    if s is None:
        return not_met("no heat sink")
    chain = _chain_to(f, s, (Role.HEAT_SINK, Role.THERMAL_GLUE), f.dies)
    if chain is None:
        return not_met(
            f"{s.name} is not attached to the chip ("
            + ("through a buffer pad" if f.role(Role.BUFFER_PAD) else "no contact")
            + ")"
        )
    i = _interface(f, s)
    if i.verdict.value != "met":
        return i
    return met(f"{' -> '.join(b.name for b in chain)}; {i.evidence}")


def buffer_pad_similar(f: Facts) -> Finding:
    pads = f.role(Role.BUFFER_PAD)
    if not pads or not f.dies:
        return not_met("no buffer pad")
    on_chip = _chain_to(f, pads[0], (Role.THERMAL_GLUE,), f.dies)
    if on_chip is None:
        return not_met(f"{pads[0].name} is not attached to the chip")
    cp = f.pkg.materials[pads[0].material].cte_per_k
    cd = f.pkg.materials[f.dies[0].material].cte_per_k
    tol = getattr(f.tol, "similar_cte_ppm_k", 3.0)
    d = abs(cp - cd) * 1e6
    return check(
        d <= tol,
        f"{pads[0].name} ({f.material_name(pads[0])}, {cp * 1e6:.1f} ppm/K) vs chip {cd * 1e6:.1f} ppm/K: {d:.1f} <= {tol:g}",
        f"CTE differs by {d:.1f} ppm/K (> {tol:g})",
    )


def sink_on_pad(f: Facts) -> Finding:
    s = _sink(f)
    pads = f.role(Role.BUFFER_PAD)
    if s is None or not pads:
        return not_met("no heat sink on a buffer pad")
    chain = _chain_to(f, s, (Role.HEAT_SINK, Role.THERMAL_GLUE), pads)
    if chain is None:
        return not_met(f"{s.name} is not attached to the buffer pad")
    gap = s.solid.bbox.lo[2] - max(d.solid.bbox.hi[2] for d in f.dies)
    i = _interface(f, s)
    if i.verdict.value != "met":
        return i
    return check(
        gap > 0,
        f"{' -> '.join(b.name for b in chain)}; first surface {mm(gap)} above the chip; {i.evidence}",
        "the sink touches the chip",
    )


def encapsulated_exposed(f: Facts) -> Finding:
    s = _sink(f)
    molds = mold_bodies(f)
    if s is None or not molds:
        return not_met("no encapsulant and heat sink")
    m = max(molds, key=lambda b: b.solid.bbox.volume)
    tol = getattr(f.tol, "coplanar_m", 2e-6)
    sb, mb = s.solid.bbox, m.solid.bbox
    fills_gap = abs(mb.hi[2] - sb.lo[2]) <= tol or mb.hi[2] >= sb.lo[2]
    top = max(b.solid.bbox.hi[2] for b in f.pkg.bodies)
    iface = [b for b in f.role(Role.INTERFACE_LAYER) if f.rests_on(b, s)]
    exposed = bool(iface) and abs(iface[0].solid.bbox.hi[2] - top) <= tol
    flush = all(abs(sb.lo[i] - mb.lo[i]) <= tol and abs(sb.hi[i] - mb.hi[i]) <= tol for i in (0, 1))
    if not (fills_gap and exposed):
        return not_met(
            "the interface layer is not exposed on top"
            if not exposed
            else "the encapsulant does not fill under the sink"
        )
    return check(
        flush,
        f"{m.name} fills under {s.name}; interface exposed at the top; sink sides flush with the encapsulant (within {tol * 1e6:g} um)",
        f"{s.name}'s sides are not coplanar with {m.name}'s edges",
    )


def same_area(f: Facts) -> Finding:
    s = _sink(f)
    c = f.role(Role.SUBSTRATE) or f.role(Role.LEAD, Role.DIE_PADDLE)
    if s is None or not c:
        return not_met("no sink or carrier")
    sb = s.solid.bbox
    xs = [b.solid.bbox for b in c]
    area_c = (max(b.hi[0] for b in xs) - min(b.lo[0] for b in xs)) * (
        max(b.hi[1] for b in xs) - min(b.lo[1] for b in xs)
    )
    area_s = (sb.hi[0] - sb.lo[0]) * (sb.hi[1] - sb.lo[1])
    rel = abs(area_s - area_c) / area_c
    tol = getattr(f.tol, "same_area_rel", 0.01)
    return check(
        rel <= tol, f"sink {area_s * 1e6:.4g} mm2, carrier {area_c * 1e6:.4g} mm2", f"areas differ by {rel * 100:.1f} %"
    )


def interface_group(f: Facts) -> Finding:
    i = f.role(Role.INTERFACE_LAYER)
    return check(
        bool(i) and all(b.material in INTERFACES for b in i),
        f"interface layer of {f.material_name(i[0])}" if i else "",
        "interface layer not of Au, Cr, Ni, their alloys or Teflon" if i else "no interface layer",
    )


def substrate(f: Facts) -> Finding:
    s = f.role(Role.SUBSTRATE)
    return check(bool(s), f"{names(s)} ({f.material_name(s[0])})" if s else "", "the chip carrier is not a substrate")


def bumps(f: Facts) -> Finding:
    b = f.role(Role.BUMP)
    return check(bool(b) and bool(f.role(Role.SUBSTRATE)), f"solder bumps {names(b)}", "no solder bumps to a substrate")


def qfn(f: Facts) -> Finding:
    leads = f.role(Role.LEAD)
    return check(bool(leads), f"QFN lead frame: {names(leads)}", "the chip carrier is not a QFN lead frame")


def roughened(f: Facts) -> Finding:
    s = _sink(f)
    flag = f.pkg.features.get("first_surface_roughened")
    if s is None:
        return not_met("no heat sink")
    if flag is None and "roughened" not in s.tags:
        return undetermined("surface finish not stated")
    ok = bool(flag) or "roughened" in s.tags
    return check(ok, f"{s.name}'s first surface roughened", f"{s.name}'s first surface is smooth")


def connecting_portion(f: Facts) -> Finding:
    s = _sink(f)
    cps = [b for b in f.role(Role.HEAT_SINK) if b is not s]
    if s is None or not cps:
        return not_met("no connecting portion")
    cp = cps[0]
    gap = s.solid.bbox.lo[2] - max(d.solid.bbox.hi[2] for d in f.dies)
    return check(
        f.rests_on(s, cp) and gap > 0,
        f"{cp.name} under {s.name}, first surface {mm(gap)} above the chip elsewhere",
        "no connecting portion between the sink and the chip",
    )


def sink_adhesive(target: Role) -> Predicate:
    def p(f: Facts) -> Finding:
        s = _sink(f)
        if s is None:
            return not_met("no heat sink")
        ends = f.dies if target is Role.DIE else f.role(Role.BUFFER_PAD)
        chain = _chain_to(f, s, (Role.HEAT_SINK, Role.THERMAL_GLUE), ends)
        glue = [b for b in chain or [] if b.role is Role.THERMAL_GLUE]
        return check(
            bool(glue),
            f"{glue[0].name} ({f.material_name(glue[0])})" if glue else "",
            "no thermally conductive adhesive in the sink's attachment",
        )

    return p


ELEMENTS: dict[int, tuple[Predicate, ...]] = {
    1: (chip_carrier, chip_mounted, sink_on_chip, encapsulated_exposed),
    2: (same_area,),
    3: (interface_group,),
    4: (substrate,),
    5: (wires,),
    6: (bumps,),
    7: (qfn,),
    8: (wires,),
    9: (roughened,),
    10: (connecting_portion,),
    11: (sink_adhesive(Role.DIE),),
    12: (chip_carrier, chip_mounted, buffer_pad_similar, sink_on_pad, encapsulated_exposed),
    13: (same_area,),
    14: (interface_group,),
    15: (substrate,),
    16: (wires,),
    17: (qfn,),
    18: (wires,),
    19: (roughened,),
    20: (sink_adhesive(Role.BUFFER_PAD),),
}
