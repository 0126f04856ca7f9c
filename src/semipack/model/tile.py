"""Strips and panels: N copies of a unit side by side, as they are before singulation."""

from __future__ import annotations

from dataclasses import replace

from semipack.geometry import Box
from semipack.model.body import Body, HeatSource, Net, Pad
from semipack.model.package import Package

# Bodies with this tag are one continuous piece across a strip (substrate, mould cap ...).
CONTINUOUS = "strip_continuous"


def _rename(name: str, k: int) -> str:
    return f"u{k + 1}.{name}"


def tile_strip(unit: Package, count: int, pitch_x: float) -> Package:
    """Place ``count`` copies of ``unit`` along x at ``pitch_x``.

    Bodies tagged ``strip_continuous`` (boxes) are merged into one body spanning the
    strip, as a strip substrate or a gang-moulded cap is; everything else is copied per
    unit with the prefix ``u<k>.``. Nets, pads, contacts and heat sources are copied.
    """
    if count == 1:
        return unit
    # The unit is valid; copies cannot collide when every per-unit body stays inside its
    # own slot, so the strip needs no fresh pairwise overlap check.
    for b in unit.bodies:
        bb = b.solid.bbox
        if CONTINUOUS not in b.tags and (bb.lo[0] < -pitch_x / 2 or bb.hi[0] > pitch_x / 2):
            raise ValueError(f"body {b.name!r} reaches outside its strip slot of {pitch_x * 1e3:.4g} mm")
    bodies: list[Body] = []
    pads: list[Pad] = []
    nets: list[Net] = []
    heat: list[HeatSource] = []
    contacts: list[tuple[str, str]] = []
    offsets = [(k - (count - 1) / 2) * pitch_x for k in range(count)]
    continuous = {b.name for b in unit.bodies if CONTINUOUS in b.tags and isinstance(b.solid, Box)}

    def ref(name: str, k: int) -> str:
        return name if name in continuous else _rename(name, k)

    for b in unit.bodies:
        if b.name in continuous:
            s = b.solid
            assert isinstance(s, Box)
            lo = (s.lo[0] + offsets[0], s.lo[1], s.lo[2])
            hi = (s.hi[0] + offsets[-1], s.hi[1], s.hi[2])
            cuts = tuple(c.translated((dx, 0.0, 0.0)) for dx in offsets for c in s.cutouts)
            bodies.append(replace(b, solid=Box(lo, hi, cuts)))
    for k, dx in enumerate(offsets):
        d = (dx, 0.0, 0.0)
        for b in unit.bodies:
            if b.name in continuous:
                continue
            bodies.append(
                replace(
                    b, name=_rename(b.name, k), solid=b.solid.translated(d), net=_rename(b.net, k) if b.net else None
                )
            )
        for p in unit.pads:
            pads.append(
                replace(
                    p, name=_rename(p.name, k), die=_rename(p.die, k), xy=(p.xy[0] + dx, p.xy[1]), net=_rename(p.net, k)
                )
            )
        for n in unit.nets:
            nets.append(
                replace(
                    n,
                    name=_rename(n.name, k),
                    edges=tuple((ref(a, k), ref(b_, k)) for a, b_ in n.edges),
                    routes=tuple(
                        replace(r, a=ref(r.a, k), b=ref(r.b, k), media=tuple(ref(m, k) for m in r.media))
                        for r in n.routes
                    ),
                )
            )
        heat += [replace(h, body=_rename(h.body, k)) for h in unit.heat_sources]
        contacts += [(ref(a, k), ref(b_, k)) for a, b_ in unit.contacts]
    features = dict(unit.features)
    features["strip_units"] = count
    return replace(
        unit,
        bodies=tuple(bodies),
        pads=tuple(pads),
        nets=tuple(nets),
        heat_sources=tuple(heat),
        contacts=tuple(dict.fromkeys(contacts)),
        allowed_overlaps=frozenset(
            frozenset(ref(n, k) for n in pair) for pair in unit.allowed_overlaps for k in range(count)
        ),
        features=features,
        validate=False,
        markers=tuple(
            replace(m, point=(m.point[0] + dx, m.point[1], m.point[2])) for dx in offsets for m in unit.markers
        ),
    )
