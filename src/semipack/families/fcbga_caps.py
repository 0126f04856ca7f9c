"""The chip capacitors of the flip-chip BGA (``fcbga``): placement, checks and bodies.

A capacitor is a ceramic body (role ``passive``, on no net) between two terminations on
copper lands, on the die side (in the lid cavity or outside the lid) or the land side
(among the balls). With no ``capacitors`` given, `DEFAULT_CAPACITORS` are placed for
the die (`default_capacitor`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from semipack.errors import DesignError
from semipack.families.common import ball_standoff, body, require
from semipack.families.fcbga_params import (
    BAND_FRACTION,
    CAP_DIMENSIONS,
    CLEARANCE,
    DEFAULT_CAP_GAP,
    DEFAULT_CAPACITORS,
    MAX_CAPACITORS,
    REFERENCE_DIE,
    Capacitor,
    Face,
    FcbgaParams,
    Levels,
    keepout,
    lid_outline,
)
from semipack.families.pinmap import PinEntry, PinRole, net_kind
from semipack.geometry import Box
from semipack.model import Body, NetKind, Role
from semipack.units import mm

# --- capacitors ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CapRect:
    """A capacitor's footprint (x0, y0, x1, y1) and its long axis."""

    x0: float
    y0: float
    x1: float
    y1: float
    along_y: bool


def cap_rect(c: Capacitor) -> CapRect:
    length, width = CAP_DIMENSIONS[c.size]
    sx, sy = (width, length) if c.rotated else (length, width)
    return CapRect(c.x - sx / 2, c.y - sy / 2, c.x + sx / 2, c.y + sy / 2, c.rotated)


def _apart(a: CapRect, b: tuple[float, float, float, float], gap: float) -> bool:
    """Whether rectangle ``a`` keeps ``gap`` from rectangle ``b``."""
    return a.x1 + gap <= b[0] or b[2] + gap <= a.x0 or a.y1 + gap <= b[1] or b[3] + gap <= a.y0


def _within(a: CapRect, half_x: float, half_y: float) -> bool:
    return -half_x <= a.x0 and a.x1 <= half_x and -half_y <= a.y0 and a.y1 <= half_y


def check_capacitor(
    p: FcbgaParams, i: int, c: Capacitor, z: Levels, terms: Sequence[PinEntry], supplies: set[str]
) -> None:
    """On the body and on two supply nets, then the checks of its face."""
    f = f"capacitors.{i}"
    r = cap_rect(c)
    where = f"({mm(c.x)}, {mm(c.y)})"
    require(_within(r, p.body_x / 2, p.body_y / 2), f"{f}.x", where, "the capacitor must lie on the body")
    for g in ("net_a", "net_b"):
        net = getattr(c, g)
        allowed = "a supply net of the ball map with bumps: " + ", ".join(sorted(supplies))
        require(net in supplies, f"{f}.{g}", net, allowed)
    if c.face is Face.BOTTOM:
        _check_land_side(p, f, c, r, terms)
    else:
        _check_die_side(p, f, c, r, z)


def _check_land_side(p: FcbgaParams, f: str, c: Capacitor, r: CapRect, terms: Sequence[PinEntry]) -> None:
    """Clear of the board under the balls' stand-off, and of every ball."""
    clear = ball_standoff(p.ball_diameter, p.land_diameter) - 50e-6
    require(
        c.height + p.land_thickness <= clear,
        f"{f}.height",
        mm(c.height),
        f"a land-side capacitor must clear the board by 50 um: at most {mm(clear - p.land_thickness)}",
    )
    gap = p.ball_diameter / 2 + 0.1e-3
    for t in terms:
        ok = _apart(r, (t.x, t.y, t.x, t.y), gap)
        require(
            ok,
            f"{f}.x",
            f"({mm(c.x)}, {mm(c.y)})",
            f"overlaps ball {t.name} (keep 0.1 mm from each ball: depopulate it)",
        )


def _check_die_side(p: FcbgaParams, f: str, c: Capacitor, r: CapRect, z: Levels) -> None:
    """Clear of the die and its fillet; inside the lid's cavity (under its top) or outside the lid."""
    where = f"({mm(c.x)}, {mm(c.y)})"
    kx, ky = keepout(p)
    require(
        _apart(r, (-kx, -ky, kx, ky), CLEARANCE),
        f"{f}.x",
        where,
        f"overlaps the die and its underfill fillet (keep {mm(CLEARANCE)} from {mm(2 * kx)} x {mm(2 * ky)})",
    )
    if p.lid is None:
        return
    lx, ly = lid_outline(p, p.lid)
    ix, iy = lx / 2 - p.lid.foot_width, ly / 2 - p.lid.foot_width
    inside = _within(r, ix - CLEARANCE, iy - CLEARANCE)
    outside = _apart(r, (-lx / 2, -ly / 2, lx / 2, ly / 2), CLEARANCE)
    require(
        inside or outside,
        f"{f}.x",
        where,
        f"overlaps the lid foot (inside {mm(2 * ix)} x {mm(2 * iy)} or outside the lid, {mm(CLEARANCE)} clear)",
    )
    room = z.lid_underside - z.sub_top - 50e-6
    require(
        not inside or c.height + p.land_thickness <= room,
        f"{f}.height",
        mm(c.height),
        f"must clear the lid's underside by 50 um: at most {mm(room - p.land_thickness)}",
    )


def capacitors_of(p: FcbgaParams) -> tuple[Capacitor, ...]:
    """The capacitors given, or `DEFAULT_CAPACITORS` placed for this die (`default_capacitor`)."""
    if p.capacitors is not None:
        return p.capacitors
    return tuple(default_capacitor(p, c) for c in DEFAULT_CAPACITORS)


def default_capacitor(p: FcbgaParams, c: Capacitor) -> Capacitor:
    """A default capacitor moved with the die: its place in proportion to the die edge, clear of the fillet.

    The defaults sit around the 12 mm die of the 35 mm default body, where the factor is
    exactly 1 and they stay where they are. Beside a smaller die they come in, but never
    closer than `CLEARANCE` plus `DEFAULT_CAP_GAP` to the die's underfill fillet, so a
    design that changes only the outline still builds (or names ``capacitors``).
    """
    fx, fy = p.die_x / REFERENCE_DIE, p.die_y / REFERENCE_DIE
    kx, ky = keepout(p)
    r = cap_rect(c)
    if abs(c.y) > abs(c.x):  # above or below the die: y keeps it clear
        least = ky + CLEARANCE + (r.y1 - r.y0) / 2 + DEFAULT_CAP_GAP
        return replace(c, x=c.x * fx, y=math.copysign(max(abs(c.y) * fy, least), c.y))
    least = kx + CLEARANCE + (r.x1 - r.x0) / 2 + DEFAULT_CAP_GAP
    return replace(c, x=math.copysign(max(abs(c.x) * fx, least), c.x), y=c.y * fy)


def capacitor_bodies(p: FcbgaParams, z: Levels, terms: Sequence[PinEntry], bump_nets: dict[str, str]) -> list[Body]:
    """Land, termination and ceramic bodies of every capacitor, after its checks.

    When the default capacitors do not fit, the error names ``capacitors`` and the fix,
    not a capacitor the design file never listed.
    """
    try:
        return _capacitor_bodies(p, capacitors_of(p), z, terms, bump_nets)
    except DesignError as exc:
        if p.capacitors is not None:
            raise
        what = f"{exc.field.removeprefix('parameters.')}: {exc.allowed}"
        fix = "list the capacitors (x, y, size, face) or give capacitors: [] for none"
        raise DesignError("parameters.capacitors", None, f"the default eight do not fit ({what}); {fix}") from None


def _capacitor_bodies(
    p: FcbgaParams, caps: Sequence[Capacitor], z: Levels, terms: Sequence[PinEntry], bump_nets: dict[str, str]
) -> list[Body]:
    require(len(caps) <= MAX_CAPACITORS, "capacitors", f"{len(caps)} capacitors", f"at most {MAX_CAPACITORS}")
    supplies = {t.net_name for t in terms if net_kind(t.role) is not NetKind.SIGNAL and t.role is not PinRole.NC}
    supplies &= set(bump_nets.values())
    out: list[Body] = []
    placed: list[tuple[Face, CapRect]] = []
    for i, c in enumerate(caps):
        check_capacitor(p, i, c, z, terms, supplies)
        r = cap_rect(c)
        for j, (face, other) in enumerate(placed):
            ok = face is not c.face or _apart(r, (other.x0, other.y0, other.x1, other.y1), 0.1e-3)
            require(ok, f"capacitors.{i}.x", f"({mm(c.x)}, {mm(c.y)})", f"overlaps capacitor {j} (keep 0.1 mm apart)")
        placed.append((c.face, r))
        out += _capacitor(p, i + 1, c, r, z)
    return out


def _capacitor(p: FcbgaParams, k: int, c: Capacitor, r: CapRect, z: Levels) -> list[Body]:
    """Two lands, two terminations and the ceramic body between them."""
    length = (r.y1 - r.y0) if r.along_y else (r.x1 - r.x0)
    band = BAND_FRACTION * length
    t = p.land_thickness
    mask = p.stackup.mask_thickness  # the lands fill the mask's openings down (up) to the outer copper
    if c.face is Face.TOP:
        land_z, part_z = (z.sub_top - mask, z.sub_top + t), (z.sub_top + t, z.sub_top + t + c.height)
    else:
        land_z, part_z = (-t, mask), (-t - c.height, -t)

    def span(a: float, b: float, zz: tuple[float, float]) -> Box:
        if r.along_y:
            return Box((r.x0, a, zz[0]), (r.x1, b, zz[1]))
        return Box((a, r.y0, zz[0]), (b, r.y1, zz[1]))

    lo, hi = (r.y0, r.y1) if r.along_y else (r.x0, r.x1)
    name = f"cap{k}"
    out = []
    for end, (a, b), net in (("a", (lo, lo + band), c.net_a), ("b", (hi - band, hi), c.net_b)):
        out.append(
            body(f"{name}_land_{end}", Role.LAND, "cu_plated", span(a, b, land_z), 334, "capacitor land", net=net)
        )
        out.append(
            body(
                f"{name}_term_{end}",
                Role.PASSIVE,
                "cu_plated",
                span(a, b, part_z),
                332,
                "capacitor termination",
                net=net,
            )
        )
    # The ceramic does not conduct at DC: a passive on no net (validation only asks net members to conduct).
    out.append(body(name, Role.PASSIVE, "mlcc_x7r", span(lo + band, hi - band, part_z), 330, "capacitor (MLCC)"))
    return out
