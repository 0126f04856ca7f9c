"""Building blocks the families share: ball grids, solder balls, wire loops, numbering."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from dataclasses import dataclass

from semipack.errors import DesignError
from semipack.families.params import MaterialRef
from semipack.geometry import Ball, Box, Cylinder, Wire
from semipack.materials import MaterialLibrary
from semipack.model import Body, Role
from semipack.model.budget import check_count
from semipack.units import mm

# JEDEC JEP95 / JESD95 row letters: I, O, Q, S, X, Z are skipped.
_ROW_LETTERS = "ABCDEFGHJKLMNPRTUVWY"


def row_name(i: int) -> str:
    """JEDEC ball-grid row name for 0-based row ``i``: A..Y, then AA, AB, ..."""
    n = len(_ROW_LETTERS)
    if i < n:
        return _ROW_LETTERS[i]
    return _ROW_LETTERS[i // n - 1] + _ROW_LETTERS[i % n]


@dataclass(frozen=True)
class GridSite:
    """One ball site: JEDEC name, grid indices (row from +y, column from -x), centre."""

    name: str
    row: int
    col: int
    x: float
    y: float
    ring: int  # 0 = outermost


def ball_grid(
    count_x: int, count_y: int, pitch: float, *, rows: int | None = None, center_block: int = 0
) -> list[GridSite]:
    """Sites of a full or perimeter ball grid centred on the origin.

    Parameters
    ----------
    count_x, count_y
        Grid size.
    pitch
        Ball pitch, m.
    rows
        Keep only the outermost ``rows`` rings (perimeter array); None keeps all.
    center_block
        Also keep a centred ``center_block`` x ``center_block`` block (thermal balls).
    """
    check_count("ball grid", count_x * count_y)
    sites = []
    for r in range(count_y):
        for c in range(count_x):
            ring = min(r, c, count_y - 1 - r, count_x - 1 - c)
            in_block = (
                center_block > 0
                and abs(c - (count_x - 1) / 2) < center_block / 2
                and abs(r - (count_y - 1) / 2) < center_block / 2
            )
            if rows is not None and ring >= rows and not in_block:
                continue
            x = (c - (count_x - 1) / 2) * pitch
            y = ((count_y - 1) / 2 - r) * pitch
            sites.append(GridSite(f"{row_name(r)}{c + 1}", r, c, x, y, ring))
    return sites


def solder_ball(x: float, y: float, z_top: float, diameter: float, land_diameter: float) -> Ball:
    """A reflowed ball hanging from a land at ``z_top``: a sphere cut by the land and board planes.

    The land plane cuts the sphere where its chord equals the land diameter; the
    board side is cut symmetrically (same land on the board), which sets the stand-off.
    """
    r = diameter / 2
    a = min(land_diameter / 2, 0.95 * r)
    c = math.sqrt(r * r - a * a)
    return Ball((x, y, z_top - c), r, z_top - 2 * c, z_top)


def ball_standoff(diameter: float, land_diameter: float) -> float:
    r = diameter / 2
    a = min(land_diameter / 2, 0.95 * r)
    return 2 * math.sqrt(r * r - a * a)


def wire_loop(
    start: tuple[float, float, float], end: tuple[float, float, float], loop_height: float, diameter: float
) -> Wire:
    """A ball-stitch bond-wire loop: a vertical neck, a flat-ish span, a descent to the stitch.

    The first kink sits above the ball bond, the second at 30 % of the span, so the wire
    clears the die edge (JEDEC-style standard loop profile).
    """
    r = diameter / 2
    x0, y0, z0 = start
    x1, y1, z1 = end
    top = max(z0, z1) + loop_height
    p0 = (x0, y0, z0 + r)
    p1 = (x0, y0, top)
    p2 = (x0 + 0.3 * (x1 - x0), y0 + 0.3 * (y1 - y0), top)
    p3 = (x1, y1, z1 + r)
    return Wire((p0, p1, p2, p3), diameter)


def box(x0: float, y0: float, z0: float, x1: float, y1: float, z1: float, cutouts: Iterable[Box] = ()) -> Box:
    return Box((x0, y0, z0), (x1, y1, z1), tuple(cutouts))


def centered_box(sx: float, sy: float, z0: float, z1: float, cx: float = 0.0, cy: float = 0.0) -> Box:
    return Box((cx - sx / 2, cy - sy / 2, z0), (cx + sx / 2, cy + sy / 2, z1))


def land(x: float, y: float, z0: float, z1: float, diameter: float) -> Cylinder:
    return Cylinder((x, y), diameter / 2, z0, z1)


def require_material(lib: MaterialLibrary, key: str, field: str) -> str:
    lib.get_material(key, f"parameters.{field}")
    return key


def require_materials(lib: MaterialLibrary, params: object) -> None:
    """`require_material` for every material field of a parameter dataclass, in declaration order (None skipped)."""
    for f in dataclasses.fields(params):  # type: ignore[arg-type]
        value = getattr(params, f.name)
        if isinstance(value, MaterialRef):
            require_material(lib, value, f.name)


def require(cond: bool, field: str, value: object, allowed: str) -> None:
    """Cross-field check: raise a `DesignError` naming the field unless ``cond`` holds."""
    if not cond:
        raise DesignError(f"parameters.{field}", value, allowed)


def body(
    name: str,
    role: Role,
    material: str,
    solid: object,
    numeral: int | str | None,
    label: str,
    net: str | None = None,
    tags: Iterable[str] = (),
) -> Body:
    return Body(name, role, material, solid, numeral, label, net, frozenset(tags))  # type: ignore[arg-type]


# Outer ball centres keep at least 0.75 pitch from the body edge (26 x 26 at 1.0 mm on 27 mm,
# as JEDEC MO-151 outlines do); the 1e-9 keeps a grid that fits exactly from round-off.
BALL_EDGE_PITCHES = 1.5


def balls_per_side(body_size: float, pitch: float) -> int:
    """Balls on a side of a full grid at ``pitch`` under a body ``body_size`` wide."""
    return math.floor((body_size - BALL_EDGE_PITCHES * pitch) / pitch + 1e-9) + 1


def check_die_on_attach(die_thickness: float, attach_thickness: float, field: str, attach_field: str) -> None:
    """A die is thicker than the bond line under it (a thinner one is not a die on an attach).

    Thinned dies go down to about 50 um, bond lines are 10-50 um (JEDEC JESD22 die-attach
    practice), so a die at or below its own bond line is a typing slip, not a design.
    """
    require(
        die_thickness > attach_thickness,
        field,
        mm(die_thickness),
        f"must be thicker than {attach_field} ({mm(attach_thickness)})",
    )


def check_loop(loop_height: float, wire_diameter: float, field: str = "loop_height", rise: float = 0.0) -> None:
    """A bond-wire loop rises at least one wire diameter, and above the finger if that is higher than the pad.

    ``rise`` is how far the far end (finger, lead) sits above the die pad (<= 0 when it is
    lower): a loop below it would run into its own stitch.
    """
    least = wire_diameter + max(rise, 0.0)
    why = "the die-top-to-finger rise plus the wire diameter" if rise > 0 else "the wire diameter"
    require(loop_height >= least, field, mm(loop_height), f"must be at least {why} ({mm(least)})")
