"""Seed 001 (folded-flex image-sensor CSP): the flexible substrate folded round the die stack.

The flex sheets of every segment and bend, with their windows and holes, the glass over
the window, the balls in the flex holes with their routes through the flex, and the
contacts at the folds.
"""

from __future__ import annotations

from semipack.families.common import body, box, require, solder_ball
from semipack.families.flex_csp_frame import (
    BALL_HOLE_RATIO,
    BEND_SIDE,
    BEND_SUFFIX,
    BUMP_HOLE_RATIO,
    CUT_OVERSHOOT_M,
    HOLE_OVERSHOOT_M,
    Bump,
    Frame,
    Numeral,
    Parts,
)
from semipack.families.flex_csp_params import ball_sites
from semipack.geometry import Axis, BentSheet, Box
from semipack.model import (
    Body,
    FlexLayer,
    FlexPart,
    FlexPiece,
    Marker,
    Net,
    NetKind,
    Role,
    Route,
)
from semipack.units import mm


def _sheet_name(piece: FlexPiece, index: int, layer: FlexLayer) -> str:
    return f"flex_{'L' if piece is FlexPiece.SEGMENT else 'bend'}{index}_{layer.value}"


def _sheet(f: Frame, part: FlexPart, solid: Box | BentSheet, numeral: int | str, label: str) -> Body:
    """One sheet of the flex, marked with its place."""
    cu = part.layer is FlexLayer.CONDUCTOR
    return Body(
        _sheet_name(part.piece, part.index, part.layer),
        Role.FLEX_CONDUCTOR if cu else Role.FLEX,
        f.p.conductor_material if cu else f.p.film_material,
        solid,
        numeral,
        label,
        tags=frozenset({"patterned"} if cu else ()),
        flex=part,
    )


def _holes(pts: list[tuple[float, float]], za: float, zb: float, size: float) -> list[Box]:
    o = HOLE_OVERSHOOT_M
    return [Box((x - size / 2, y - size / 2, za - o), (x + size / 2, y + size / 2, zb + o)) for x, y in pts]


def segment_sheets(f: Frame, k: int, z0: float, bottom: bool, window: Box, bumps: tuple[Bump, ...]) -> Parts:
    """Segment ``k`` (bottom at ``z0``): film holes over its bumps, ball holes if lowest, the window in L0."""
    p, tpi, tcu, t = f.p, f.tpi, f.tcu, f.flex_t
    hole = BUMP_HOLE_RATIO * p.bump_diameter
    lower = _holes([b.xy for b in bumps if b.segment == k and b.from_below], z0, z0 + tpi, hole)
    upper = _holes([b.xy for b in bumps if b.segment == k and not b.from_below], z0 + tpi + tcu, z0 + t, hole)
    if bottom:
        lower = _holes([(s[1], s[2]) for s in ball_sites(p)], z0, z0 + tpi, BALL_HOLE_RATIO * p.land_diameter)
    win = [window] if k == 0 else []
    film, cu = f.num(Numeral.FILM), f.num(Numeral.CONDUCTOR)
    sheets = (
        (FlexLayer.LOWER, z0, z0 + tpi, [*lower, *win], film, "insulative layer"),
        (FlexLayer.CONDUCTOR, z0 + tpi, z0 + tpi + tcu, win, cu, "electrically conductive patterns"),
        (FlexLayer.UPPER, z0 + tpi + tcu, z0 + t, [*upper, *win], film, "insulative layer"),
    )
    return Parts(
        bodies=tuple(
            _sheet(
                f, FlexPart(FlexPiece.SEGMENT, k, layer), box(f.x_left, -f.fy, za, f.x_right, f.fy, zb, cuts), n, lab
            )
            for layer, za, zb, cuts, n, lab in sheets
        )
    )


def bend_sheets(f: Frame, k: int, z_above: float, z_below: float) -> Parts:
    """Bend ``k``: three half-annuli joining the copper of segments k-1 (bottom ``z_above``) and k."""
    tpi, tcu = f.tpi, f.tcu
    za_cu = z_above + tpi + tcu / 2
    zb_cu = z_below + tpi + tcu / 2
    zc = (za_cu + zb_cu) / 2
    r_mid = (za_cu - zb_cu) / 2
    r_cu = r_mid - tcu / 2
    require(r_cu - tpi > 0, "bump_standoff", mm(f.p.bump_standoff), "the stack is too thin to bend the flex around")
    side = BEND_SIDE[k]
    xb = f.x_left if side < 0 else f.x_right
    num = f.tag(Numeral.CURVED_PORTION, BEND_SUFFIX[k])
    sheets = ((FlexLayer.INNER, r_cu - tpi, tpi), (FlexLayer.CONDUCTOR, r_cu, tcu), (FlexLayer.OUTER, r_cu + tcu, tpi))
    bodies = tuple(
        _sheet(
            f,
            FlexPart(FlexPiece.BEND, k, layer),
            BentSheet(Axis.Y, xb, zc, r_in, t, (-f.fy, f.fy), side),
            num,
            "curved portion",
        )
        for layer, r_in, t in sheets
    )
    cu = _sheet_name(FlexPiece.BEND, k, FlexLayer.CONDUCTOR)
    seg = [_sheet_name(FlexPiece.SEGMENT, j, FlexLayer.CONDUCTOR) for j in (k - 1, k)]
    marker = Marker(num, "curved portion", (xb + side * (r_mid + tcu), 0.0, zc))
    return Parts(bodies=bodies, contacts=((cu, seg[0]), (cu, seg[1])), markers=(marker,))


def ir_cut(material: str) -> bool:
    return "ircut" in material or "ir_cut" in material


def glass(f: Frame, segment_z: tuple[float, ...]) -> Parts:
    """Adhesive 131 and the glass over L0, ringed round the window; the side-surface and hole markers."""
    p = f.p
    top_l0 = segment_z[0] + f.flex_t
    za = top_l0 + p.adhesive_thickness
    zg = za + p.glass_thickness / 2
    ring = Box(
        (-p.window_x / 2, -p.window_y / 2, top_l0 - CUT_OVERSHOOT_M),
        (p.window_x / 2, p.window_y / 2, za + CUT_OVERSHOOT_M),
    )
    glue_box = box(f.x_left, -f.fy, top_l0, f.x_right, f.fy, za, [ring])
    glue = body(
        "glass_adhesive", Role.ADHESIVE, p.adhesive_material, glue_box, f.num(Numeral.GLASS_ADHESIVE), "adhesive"
    )
    ir = ir_cut(p.glass_material)
    glass_box = box(f.x_left, -f.fy, za, f.x_right, f.fy, za + p.glass_thickness)
    label = "glass (IR-cut)" if ir else "glass"
    glass = body(
        "glass", Role.GLASS, p.glass_material, glass_box, f.num(Numeral.GLASS), label, tags=("ir_cut",) if ir else ()
    )
    markers = (
        Marker(f.num(Numeral.GLASS_SIDE_FAR), "side surface (glass)", (f.x_right, 0.0, zg)),
        Marker(f.num(Numeral.GLASS_SIDE_BEND), "side surface (glass)", (f.x_left, 0.0, zg)),
        Marker(
            f.num(Numeral.SUBSTRATE_SIDE), "side surface (substrate)", (f.x_right, 0.0, segment_z[0] + f.flex_t / 2)
        ),
        Marker(f.num(Numeral.HOLES), "holes", (0.0, 0.0, segment_z[-1] + f.tpi / 2)),
    )
    contacts = (("glass_adhesive", _sheet_name(FlexPiece.SEGMENT, 0, FlexLayer.UPPER)), ("glass", "glass_adhesive"))
    return Parts(bodies=(glue, glass), contacts=contacts, markers=markers)


def _route(f: Frame, b: Bump, ball: str, xy: tuple[float, float], last: int) -> Net:
    """The net of bump ``b``: its pad to its ball along the copper from its segment round the bends."""
    media = [_sheet_name(FlexPiece.SEGMENT, b.segment, FlexLayer.CONDUCTOR)]
    for j in range(b.segment + 1, last + 1):
        media += [
            _sheet_name(FlexPiece.BEND, j, FlexLayer.CONDUCTOR),
            _sheet_name(FlexPiece.SEGMENT, j, FlexLayer.CONDUCTOR),
        ]
    # Manhattan length under the die, plus the way round bend 1 for the sensor's segment.
    length = abs(xy[0]) + abs(xy[1]) + (2 * abs(f.x_left) if b.segment == 0 else 0.0)
    return Net(b.net, NetKind.SIGNAL, ((b.pad, b.body),), (Route(b.body, ball, tuple(media), length),))


def balls_and_routes(f: Frame, segment_z: tuple[float, ...], bumps: tuple[Bump, ...]) -> tuple[Parts, tuple[Net, ...]]:
    """A ball in each hole of the lowest segment, outer ring first; each bump's pad gets its own ball."""
    p = f.p
    sites = ball_sites(p)
    require(
        len(sites) >= len(bumps),
        "ball_pitch",
        mm(p.ball_pitch),
        f"{len(sites)} balls under the die cannot serve {len(bumps)} pads",
    )
    served = {site: b for (site, _, _), b in zip(sites, bumps, strict=False)}
    z_top = segment_z[-1] + f.tpi
    bodies, nets = [], []
    for site, x, y in sites:
        b = served.get(site)
        solid = solder_ball(x, y, z_top, p.ball_diameter, p.land_diameter)
        net = b.net if b is not None else None
        bodies.append(
            body(f"ball_{site}", Role.BALL, p.ball_material, solid, f.num(Numeral.BALLS), "solder balls", net=net)
        )
        if b is not None:
            nets.append(_route(f, b, f"ball_{site}", (x, y), len(segment_z) - 1))
    return Parts(bodies=tuple(bodies)), tuple(nets)


def fold_contacts(f: Frame) -> Parts:
    """The fold adhesives touch the segment they glue the dies to."""
    st = f.st
    a = _sheet_name(FlexPiece.SEGMENT, 1, FlexLayer.UPPER) if st.under_sensor is None else "sensor"
    pairs = [("adhesive_a", a)]
    if st.between is not None:
        b = (FlexPiece.SEGMENT, 2, FlexLayer.UPPER) if st.face_up else (FlexPiece.SEGMENT, 1, FlexLayer.LOWER)
        pairs.append(("adhesive_b", _sheet_name(*b)))
    return Parts(contacts=tuple(pairs))
