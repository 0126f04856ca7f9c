"""Passives formed in a build-up's wiring over a die (seed 002 claims 10-12): spiral inductor,
meander resistor, interdigital capacitor, coplanar wave-guide, LC filter and MEMS structure,
side by side in a square grid over the die's centre on the fan-out level.

Every body carries a `PassivePart` (device, kind, element) that the electrical estimates and
the claims read. The layout rules are semipack's own (the seed gives no dimensions); every
one is the value the original builder used.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from semipack.families.common import body, box, centered_box, require
from semipack.geometry import Trace
from semipack.model import Body, Passive, PassiveElement, PassivePart, Role

XY = tuple[float, float]

# Passives keep 6 trace widths plus 0.1 mm inside the VDD ring line, clear of the VSS ring,
# and need at least 0.3 mm of that room from the die centre.
PASSIVE_CLEAR_TRACES = 6
PASSIVE_MARGIN_M = 0.1e-3
PASSIVE_MIN_ROOM_M = 0.3e-3
PASSIVE_FILL = 0.8  # a passive fills 80 % of its grid cell
INDUCTOR_TURNS = 3
FILTER_TURNS = 2  # the filter's series inductor
SPIRAL_PITCH_WIDTHS = 3  # spiral line pitch: one width of metal, two of gap
MEANDER_PITCH_WIDTHS = 1.5  # resistor meander line pitch


@dataclass(frozen=True)
class PassiveSpec:
    """What the passives need from the build-up: their kinds, the wiring metal and its numeral,
    the line width (the trace width) and the fan-out level's z span."""

    kinds: tuple[Passive, ...]
    material: str
    numeral: int
    width: float
    z: tuple[float, float]


@dataclass(frozen=True)
class _Site:
    """Where one passive goes: its square of half-size ``s`` around (ox, oy) on the fan-out level."""

    kind: Passive
    prefix: str
    material: str
    numeral: int
    ox: float
    oy: float
    s: float
    w: float
    z: tuple[float, float]

    @property
    def name(self) -> str:
        return f"{self.prefix}{self.kind.value}"

    @property
    def net(self) -> str:
        return f"{self.prefix}{self.kind.value.upper()}"

    def part(self, name: str, solid: object, element: PassiveElement, label: str = "", net: str = "") -> Body:
        label = label or f"passive device ({self.kind.value})"
        b = body(name, Role.PASSIVE, self.material, solid, self.numeral, label, net=net or self.net)
        return replace(b, passive=PassivePart(self.name, self.kind, element))

    def trace(self, pts: tuple[XY, ...], width: float | None = None) -> Trace:
        return Trace(pts, self.w if width is None else width, *self.z)


def passive_bodies(spec: PassiveSpec, prefix: str, center: XY, die_size: float, ring_h: float) -> list[Body]:
    """The passives of the die centred at ``center`` (names start with ``prefix``), side by side
    in a square grid inside its VDD ring line (half-width ``ring_h``)."""
    cx, cy = center
    room = ring_h - PASSIVE_CLEAR_TRACES * spec.width - PASSIVE_MARGIN_M
    require(
        room > PASSIVE_MIN_ROOM_M,
        "die_size",
        die_size,
        "the die is too small to hold passives inside the pad ring",
    )
    cols = math.ceil(math.sqrt(len(spec.kinds)))
    cellw = 2 * room / cols
    out: list[Body] = []
    for i, kind in enumerate(spec.kinds):
        r_, c_ = divmod(i, cols)
        ox = cx - room + (c_ + 0.5) * cellw
        oy = cy + room - (r_ + 0.5) * cellw
        site = _Site(kind, prefix, spec.material, spec.numeral, ox, oy, PASSIVE_FILL * cellw / 2, spec.width, spec.z)
        out += _PASSIVE_PARTS[kind](site)
    return out


def _inductor(p: _Site) -> list[Body]:
    return [p.part(p.name, p.trace(tuple(_spiral(p.ox, p.oy, p.s, p.w, turns=INDUCTOR_TURNS))), PassiveElement.SPIRAL)]


def _resistor(p: _Site) -> list[Body]:
    return [p.part(p.name, p.trace(tuple(_meander(p.ox, p.oy, p.s, p.w))), PassiveElement.MEANDER)]


def _capacitor(p: _Site) -> list[Body]:
    """Interdigital capacitor: two combs whose fingers interleave with a gap of one width."""
    ox, oy, s, w = p.ox, p.oy, p.s, p.w
    fingers = max(int(s / (2 * w)) // 2, 2)
    pitch = 2 * s / (2 * fingers)
    out: list[Body] = []
    for comb, base_y, tip in ((0, oy - s, oy + (s - 2 * w)), (1, oy + s, oy + (-s + 2 * w))):
        name, net = f"{p.name}_comb{comb}", f"{p.net}{comb}"
        out.append(p.part(name, p.trace(((ox - s, base_y), (ox + s, base_y))), PassiveElement.COMB_BAR, net=net))
        for j in range(fingers):
            x = ox - s + (2 * j + comb + 0.5) * pitch
            out.append(p.part(f"{name}_f{j}", p.trace(((x, base_y), (x, tip))), PassiveElement.FINGER, net=net))
    return out


# Coplanar wave-guide: ground, signal, ground lines, each (name suffix, net suffix, side, width
# in trace widths); gaps of two widths, so the line pitch is the gap plus a ground line's width.
_CPW = (("g1", "G", -1, 2), ("s", "S", 0, 1), ("g2", "G", 1, 2))
CPW_GAP_WIDTHS = 2


def _waveguide(p: _Site) -> list[Body]:
    gap = CPW_GAP_WIDTHS * p.w
    out = []
    for suffix, net, side, widths in _CPW:
        off = side * (gap + 2 * p.w)
        line = p.trace(((p.ox - p.s, p.oy + off), (p.ox + p.s, p.oy + off)), widths * p.w)
        out.append(
            p.part(
                f"{p.name}_{suffix}",
                line,
                PassiveElement.LINE,
                "passive device (coplanar wave-guide)",
                f"{p.net}_{net}",
            )
        )
    return out


def _filter(p: _Site) -> list[Body]:
    """An LC low-pass section: a small spiral in series with a plate."""
    label = "passive device (filter)"
    coil = p.trace(tuple(_spiral(p.ox - p.s / 2, p.oy, p.s / 2, p.w, turns=FILTER_TURNS)))
    plate = centered_box(p.s / 2, p.s / 2, *p.z, p.ox + p.s / 2, p.oy)
    return [
        p.part(f"{p.name}_l", coil, PassiveElement.SPIRAL, label),
        p.part(f"{p.name}_c", plate, PassiveElement.PLATE, label),
    ]


def _mems(p: _Site) -> list[Body]:
    """MEMS sensor: a released cantilever plate over an anchor, formed in the wiring metal."""
    plate = box(p.ox - p.s, p.oy - p.s / 4, p.z[0], p.ox + p.s, p.oy + p.s / 4, p.z[1])
    return [p.part(p.name, plate, PassiveElement.STRUCTURE, "micro electro-mechanical sensor (MEMS)")]


_PASSIVE_PARTS: dict[Passive, Callable[[_Site], list[Body]]] = {
    Passive.INDUCTOR: _inductor,
    Passive.RESISTOR: _resistor,
    Passive.CAPACITOR: _capacitor,
    Passive.WAVEGUIDE: _waveguide,
    Passive.FILTER: _filter,
    Passive.MEMS: _mems,
}


def _spiral(cx: float, cy: float, s: float, w: float, turns: int) -> list[tuple[float, float]]:
    """A square spiral from the outside in, line pitch 3 w (Mohan's geometry: d_out = 2 s)."""
    pts = []
    p = SPIRAL_PITCH_WIDTHS * w
    h = s
    for _ in range(turns):
        if h - p <= 2 * w:
            break
        pts += [(cx - h, cy - h), (cx + h, cy - h), (cx + h, cy + h), (cx - h + p, cy + h)]
        pts.append((cx - h + p, cy - h + p))
        h -= p
    return pts


def _meander(cx: float, cy: float, s: float, w: float) -> list[tuple[float, float]]:
    """A resistor meander filling the square of half-size ``s``, lines ``MEANDER_PITCH_WIDTHS`` w apart at most."""
    pts = []
    n = max(int(s / (MEANDER_PITCH_WIDTHS * w)), 2)
    ys = [cy - s + i * (2 * s / (n - 1)) for i in range(n)]
    for i, y in enumerate(ys):
        xs = (cx - s, cx + s) if i % 2 == 0 else (cx + s, cx - s)
        pts += [(xs[0], y), (xs[1], y)]
    return pts
