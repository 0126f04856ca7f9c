"""Seed 001: folded-flex image-sensor CSP, FIG. 1 to FIG. 7.

An image sensor die (CMOS or CCD) is flip-chip bumped to a flexible substrate whose
window lies over the photo-sensing surface; a glass (optionally IR-cut) is glued over
the window; an encapsulant is doped around the bumps; the flex is bent with a
curvature around one side of the die and glued under it; solder balls sit in holes of
the flex. Memory dies are stacked as the seed's FIG. 2 to FIG. 7 show:

======  ==================================================================================
FIG. 1  sensor only (package 100)
FIG. 2  first memory 260 below the flex, bumped up through holes 225, flex bent again
        around side 216 (curved portion 226a) and glued under it; balls in holes 225a
FIG. 3  as FIG. 2, but memory 360 glued to the flex above and bumped down to the flex below
FIG. 4  FIG. 2 plus second memory 470 glued under the sensor, bumped to the flex below
FIG. 5  FIG. 4 with the first memory 560 glued above and bumped below (as FIG. 3)
FIG. 6  FIG. 5 plus third memory 680 between first memory 660 and the flex below
FIG. 7  FIG. 1 plus first memory 760 glued under a back-ground sensor, bumped to the flex
======  ==================================================================================

The flex is modelled as it is built: a polyimide base film, the copper conductive
patterns, and a polyimide cover film, with openings where bumps and balls reach the
copper; each bend is three concentric half-annuli. Reference numerals are the seed's
(hundreds digit = figure number).

Defaults imitate a VGA-class camera module CSP: a 5.0 x 4.0 x 0.30 mm sensor, 0.4 mm
glass, 0.5 mm ball pitch, a 25 um / 12 um / 25 um polyimide-copper flex.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from semipack.families.common import body, box, centered_box, require, require_material, solder_ball
from semipack.families.flex_csp_params import Embodiment, FlexCspParams, SensorType, ball_sites, row_on_axis
from semipack.geometry import Axis, BentSheet, Box, Cylinder
from semipack.materials import MaterialLibrary
from semipack.model import Body, HeatSource, Marker, Net, NetKind, Package, Pad, Role, Route
from semipack.units import mm


@dataclass(frozen=True)
class _Level:
    name: str
    z0: float  # bottom of the sandwich
    x0: float
    x1: float


def build(p: FlexCspParams, lib: MaterialLibrary, name: str) -> Package:
    """Build the folded-flex CSP for the chosen embodiment."""
    for f in (
        "bump_material",
        "encapsulant_material",
        "film_material",
        "conductor_material",
        "adhesive_material",
        "glass_material",
        "ball_material",
    ):
        require_material(lib, getattr(p, f), f)
    fig = int(p.embodiment.value[3:])
    N = fig * 100
    require(
        p.window_x < p.die_x - 0.6e-3 and p.window_y < p.die_y - 0.6e-3,
        "window_x",
        mm(p.window_x),
        "the window must leave 0.3 mm of die around it for the bond pads",
    )
    require(
        p.edge_protrusion < 0.1 * min(p.die_x, p.die_y),
        "edge_protrusion",
        mm(p.edge_protrusion),
        "must stay below 10 % of the die size (package nearly die size)",
    )
    mems = {
        2: ["first"],
        3: ["first"],
        4: ["first", "second"],
        5: ["first", "second"],
        6: ["first", "second", "third"],
        7: ["first"],
    }.get(fig, [])
    if mems:
        require(
            p.memory_x <= p.die_x and p.memory_y <= p.die_y,
            "memory_x",
            mm(p.memory_x),
            "memory dies must fit under the sensor",
        )
    tpi, tcu = p.film_thickness, p.conductor_thickness
    T = 2 * tpi + tcu
    ts = p.ground_thickness if fig == 7 else p.die_thickness
    require(
        ts < p.die_thickness + 1e-12, "ground_thickness", mm(p.ground_thickness), "back-grinding can only thin the die"
    )
    hx, hy = p.die_x / 2, p.die_y / 2
    fy = hy + p.edge_protrusion
    x_left = -hx
    x_right = hx + p.edge_protrusion
    bump_h = p.bump_standoff + tpi
    bodies: list[Body] = []
    add = bodies.append
    markers: list[Marker] = []
    pads: list[Pad] = []
    contacts: list[tuple[str, str]] = []
    heat: list[HeatSource] = []
    # Bumps landing on each level, from above or below: level -> list of (x, y, side).
    openings: dict[str, dict[str, list[tuple[float, float]]]] = {}
    bump_nets: list[tuple[str, str, str, str]] = []  # (pad, bump, level, net)

    def open_at(level: str, side: str, xy: tuple[float, float]) -> None:
        openings.setdefault(level, {"top": [], "bottom": []})[side].append(xy)

    def die_pads(
        die: str, cx: float, cy: float, sx: float, sy: float, per_side: int, inset: float
    ) -> list[tuple[str, float, float]]:
        out = []
        k = 0
        for side in range(4):
            for i in range(per_side):
                along = (sx if side % 2 == 0 else sy) - 2 * 0.35e-3
                s = -along / 2 + (i + 0.5) * along / per_side
                x, y = [(s, -sy / 2 + inset), (sx / 2 - inset, s), (-s, sy / 2 - inset), (-sx / 2 + inset, -s)][side]
                k += 1
                out.append((f"{die}.pad{k}", cx + x, cy + y))
        return out

    def bumps(
        die: str,
        die_num: int,
        level: str,
        z_face: float,
        direction: int,
        sx: float,
        sy: float,
        per_side: int,
        numeral: str,
        inset: float,
        height: float,
        kind: str = "bump",
    ) -> None:
        """Bumps from a die face at ``z_face`` going up (+1) or down (-1) ``height`` onto ``level``."""
        for pname, x, y in die_pads(die, 0.0, 0.0, sx, sy, per_side, inset):
            net = f"{die}.{pname.split('.')[1].upper()}"
            pads.append(Pad(pname, die, (x, y), p.bump_diameter, net))
            bname = f"{die}_bump{pname.split('pad')[1]}"
            z0, z1 = (z_face, z_face + height) if direction > 0 else (z_face - height, z_face)
            add(
                body(
                    bname,
                    Role.BUMP,
                    p.bump_material,
                    Cylinder((x, y), p.bump_diameter / 2, z0, z1),
                    numeral,
                    "conductive bump" if kind == "bump" else "conductive pillar",
                    net=net,
                )
            )
            open_at(level, "bottom" if direction > 0 else "top", (x, y))
            bump_nets.append((pname, bname, level, net))

    # --- Top-down: L0 (top of sandwich at z = 0), tier A, L1, tier B, L2.
    levels: list[_Level] = [_Level("L0", -T, x_left, x_right)]
    z = -T  # bottom of L0
    sensor_top = z - p.bump_standoff
    sensor_bot = sensor_top - ts
    add(
        body(
            "sensor",
            Role.DIE,
            "si",
            centered_box(p.die_x, p.die_y, sensor_bot, sensor_top),
            N + 10,
            f"image sensor die ({p.sensor_type.value.upper()})",
            tags=(p.sensor_type.value, "image_sensor"),
        )
    )
    heat.append(HeatSource("sensor", p.die_power))
    bumps(
        "sensor", N + 10, "L0", sensor_top, +1, p.die_x, p.die_y, p.sensor_pads_per_side, f"{N + 13}", 0.15e-3, bump_h
    )
    window = Box((-p.window_x / 2, -p.window_y / 2, sensor_top - 1e-3), (p.window_x / 2, p.window_y / 2, 1e-2))
    add(
        body(
            "encapsulant",
            Role.ENCAPSULANT,
            p.encapsulant_material,
            box(
                -hx,
                -hy,
                sensor_top,
                hx,
                hy,
                z,
                [
                    Box(
                        (-p.window_x / 2 - 0.1e-3, -p.window_y / 2 - 0.1e-3, sensor_top - 1e-6),
                        (p.window_x / 2 + 0.1e-3, p.window_y / 2 + 0.1e-3, z + 1e-6),
                    )
                ],
            ),
            N + 40,
            "encapsulant",
        )
    )
    contacts.append(("encapsulant", "sensor"))
    markers += [
        Marker(N + 11, "photo sensing surface", (0.0, 0.0, sensor_top)),
        Marker(N + 21, "window", (0.0, 0.0, -T / 2)),
        Marker(N + 14, "non-photo sensing surface", (hx * 0.5, 0.0, sensor_bot)),
        Marker(N + 15, "side surface", (-hx, 0.0, (sensor_top + sensor_bot) / 2)),
    ]
    z = sensor_bot
    tierA_mem = fig in (4, 5, 6, 7)
    if tierA_mem:
        mname, mnum = ("second_memory", N + 70) if fig in (4, 5, 6) else ("first_memory", N + 60)
        za = z - p.adhesive_thickness
        add(
            body(
                "adhesive_a",
                Role.ADHESIVE,
                p.adhesive_material,
                centered_box(p.memory_x, p.memory_y, za, z),
                N + 24,
                "adhesive",
            )
        )
        mt = za - p.memory_thickness
        add(
            body(
                mname,
                Role.DIE,
                "si",
                centered_box(p.memory_x, p.memory_y, mt, za),
                mnum,
                mname.replace("_", " ") + " die",
            )
        )
        heat.append(HeatSource(mname, p.memory_power))
        contacts += [("adhesive_a", "sensor"), (mname, "adhesive_a")]
        bumps(
            mname,
            mnum,
            "L1",
            mt,
            -1,
            p.memory_x,
            p.memory_y,
            p.memory_pads_per_side,
            f"{N + 13}" if fig != 7 else f"{N + 13}a",
            0.15e-3,
            p.bump_standoff + tpi,
        )
        z = mt - p.bump_standoff
    else:
        za = z - p.adhesive_thickness
        add(
            body(
                "adhesive_a",
                Role.ADHESIVE,
                p.adhesive_material,
                centered_box(p.die_x, p.die_y, za, z),
                N + 24,
                "adhesive",
            )
        )
        contacts.append(("adhesive_a", "sensor"))
        z = za
    two_bends = fig in (2, 3, 4, 5, 6)
    levels.append(_Level("L1", z - T, x_left, x_right))
    z -= T
    if two_bends:
        first = "first_memory"
        fnum = N + 60
        if fig in (2, 4):
            # Face up, bumped through holes of the flex above, back glued to the flex below.
            mt = z - p.bump_standoff
            mb = mt - p.memory_thickness
            add(body(first, Role.DIE, "si", centered_box(p.memory_x, p.memory_y, mb, mt), fnum, "first memory die"))
            bumps(
                first,
                fnum,
                "L1",
                mt,
                +1,
                p.memory_x,
                p.memory_y,
                p.memory_pads_per_side,
                f"{N + 13}a",
                0.15e-3,
                p.bump_standoff + tpi,
            )
            zb = mb - p.adhesive_thickness
            add(
                body(
                    "adhesive_b",
                    Role.ADHESIVE,
                    p.adhesive_material,
                    centered_box(p.memory_x, p.memory_y, zb, mb),
                    N + 24,
                    "adhesive (224a)",
                )
            )
            contacts.append((first, "adhesive_b"))
            z = zb
        else:
            # Back glued to the flex above, face down, bumped to the flex below (FIG. 3, 5, 6).
            zb = z - p.adhesive_thickness
            add(
                body(
                    "adhesive_b",
                    Role.ADHESIVE,
                    p.adhesive_material,
                    centered_box(p.memory_x, p.memory_y, zb, z),
                    N + 24,
                    "adhesive (324a)",
                )
            )
            mb = zb - p.memory_thickness
            add(body(first, Role.DIE, "si", centered_box(p.memory_x, p.memory_y, mb, zb), fnum, "first memory die"))
            contacts.append((first, "adhesive_b"))
            if fig == 6:
                # Third memory under the first, glued to its face; the first reaches the flex with pillars around it.
                zc = mb - p.adhesive_thickness
                add(
                    body(
                        "adhesive_c",
                        Role.ADHESIVE,
                        p.adhesive_material,
                        centered_box(p.third_memory_x, p.third_memory_y, zc, mb),
                        N + 24,
                        "adhesive (624a)",
                    )
                )
                tb = zc - p.memory_thickness
                add(
                    body(
                        "third_memory",
                        Role.DIE,
                        "si",
                        centered_box(p.third_memory_x, p.third_memory_y, tb, zc),
                        N + 80,
                        "third memory die",
                    )
                )
                heat.append(HeatSource("third_memory", p.memory_power))
                contacts += [("adhesive_c", first), ("third_memory", "adhesive_c")]
                bumps(
                    "third_memory",
                    N + 80,
                    "L2",
                    tb,
                    -1,
                    p.third_memory_x,
                    p.third_memory_y,
                    3,
                    f"{N + 13}b",
                    0.15e-3,
                    p.bump_standoff + tpi,
                )
                pillar = mb - (tb - p.bump_standoff) + tpi
                require(
                    p.memory_x - 0.6e-3 > p.third_memory_x and p.memory_y - 0.6e-3 > p.third_memory_y,
                    "third_memory_x",
                    mm(p.third_memory_x),
                    "the third memory must leave room for the first memory's pillars around it",
                )
                bumps(
                    first,
                    fnum,
                    "L2",
                    mb,
                    -1,
                    p.memory_x,
                    p.memory_y,
                    p.memory_pads_per_side,
                    f"{N + 13}a",
                    0.12e-3,
                    pillar,
                    "pillar",
                )
                z = tb - p.bump_standoff
            else:
                bumps(
                    first,
                    fnum,
                    "L2",
                    mb,
                    -1,
                    p.memory_x,
                    p.memory_y,
                    p.memory_pads_per_side,
                    f"{N + 13}a",
                    0.15e-3,
                    p.bump_standoff + tpi,
                )
                z = mb - p.bump_standoff
        heat.append(HeatSource(first, p.memory_power))
        levels.append(_Level("L2", z - T, x_left, x_right))
        z -= T

    # Flex: flat levels and the bends that join them.
    shift = -z  # put the bottom of the lowest level at z = 0
    levels = [_Level(lv.name, lv.z0 + shift, lv.x0, lv.x1) for lv in levels]
    moved = [replace(b, solid=b.solid.translated((0.0, 0.0, shift))) for b in bodies]
    bodies.clear()
    bodies.extend(moved)
    markers = [Marker(m.numeral, m.label, (m.point[0], m.point[1], m.point[2] + shift)) for m in markers]
    lvl = {lv.name: lv for lv in levels}
    bottom = levels[-1].name
    hole = 1.2 * p.bump_diameter
    for lv in levels:
        ops = openings.get(lv.name, {"top": [], "bottom": []})
        z0 = lv.z0
        win = [window.translated((0.0, 0.0, shift))] if lv.name == "L0" else []

        def cuts(pts: list[tuple[float, float]], za: float, zb: float, size: float) -> list[Box]:
            return [
                Box((x - size / 2, y - size / 2, za - 1e-9), (x + size / 2, y + size / 2, zb + 1e-9)) for x, y in pts
            ]

        lower = cuts(ops["bottom"], z0, z0 + tpi, hole)
        upper = cuts(ops["top"], z0 + tpi + tcu, z0 + T, hole)
        if lv.name == bottom:
            lower = cuts([(s[1], s[2]) for s in ball_sites(p)], z0, z0 + tpi, 1.1 * p.land_diameter)
        x0 = lv.x0 if lv.name != "L2" else x_left
        add(
            body(
                f"flex_{lv.name}_lower",
                Role.FLEX,
                p.film_material,
                box(x0, -fy, z0, lv.x1, fy, z0 + tpi, [*lower, *win]),
                N + 22,
                "insulative layer",
            )
        )
        add(
            body(
                f"flex_{lv.name}_cu",
                Role.FLEX_CONDUCTOR,
                p.conductor_material,
                box(x0, -fy, z0 + tpi, lv.x1, fy, z0 + tpi + tcu, win),
                N + 23,
                "electrically conductive patterns",
                tags=("patterned",),
            )
        )
        add(
            body(
                f"flex_{lv.name}_upper",
                Role.FLEX,
                p.film_material,
                box(x0, -fy, z0 + tpi + tcu, lv.x1, fy, z0 + T, [*upper, *win]),
                N + 22,
                "insulative layer",
            )
        )
    bends = [("bend1", "L0", "L1", x_left, -1, f"{N + 26}")]
    if two_bends:
        bends.append(("bend2", "L1", "L2", x_right, +1, f"{N + 26}a"))
    for bname, a, b, xb, side, num in bends:
        za_cu = lvl[a].z0 + tpi + tcu / 2
        zb_cu = lvl[b].z0 + tpi + tcu / 2
        zc = (za_cu + zb_cu) / 2
        r_mid = (za_cu - zb_cu) / 2
        r_cu = r_mid - tcu / 2
        require(r_cu - tpi > 0, "bump_standoff", mm(p.bump_standoff), "the stack is too thin to bend the flex around")
        for part, r_in, t, mat, role, label in (
            ("inner", r_cu - tpi, tpi, p.film_material, Role.FLEX, "curved portion"),
            ("cu", r_cu, tcu, p.conductor_material, Role.FLEX_CONDUCTOR, "curved portion"),
            ("outer", r_cu + tcu, tpi, p.film_material, Role.FLEX, "curved portion"),
        ):
            add(
                body(
                    f"flex_{bname}_{part}",
                    role,
                    mat,
                    BentSheet(Axis.Y, xb, zc, r_in, t, (-fy, fy), side),
                    num,
                    label,
                    tags=("patterned",) if role is Role.FLEX_CONDUCTOR else (),
                )
            )
        markers.append(Marker(num, "curved portion", (xb + side * (r_mid + tcu), 0.0, zc)))
        contacts += [(f"flex_{bname}_cu", f"flex_{a}_cu"), (f"flex_{bname}_cu", f"flex_{b}_cu")]
    # Adhesives touch the flex levels they glue to.
    top_l0 = lvl["L0"].z0 + T
    za = top_l0 + p.adhesive_thickness
    gx0, gx1 = x_left, x_right
    ring = Box((-p.window_x / 2, -p.window_y / 2, top_l0 - 1e-6), (p.window_x / 2, p.window_y / 2, za + 1e-6))
    add(
        body(
            "glass_adhesive",
            Role.ADHESIVE,
            p.adhesive_material,
            box(gx0, -fy, top_l0, gx1, fy, za, [ring]),
            N + 31,
            "adhesive",
        )
    )
    ir = "ircut" in p.glass_material or "ir_cut" in p.glass_material
    add(
        body(
            "glass",
            Role.GLASS,
            p.glass_material,
            box(gx0, -fy, za, gx1, fy, za + p.glass_thickness),
            N + 30,
            "glass (IR-cut)" if ir else "glass",
            tags=("ir_cut",) if ir else (),
        )
    )
    contacts += [("glass_adhesive", "flex_L0_upper"), ("glass", "glass_adhesive")]
    markers += [
        Marker(N + 32, "side surface (glass)", (gx1, 0.0, za + p.glass_thickness / 2)),
        Marker(N + 33, "side surface (glass)", (gx0, 0.0, za + p.glass_thickness / 2)),
        Marker(N + 27, "side surface (substrate)", (x_right, 0.0, lvl["L0"].z0 + T / 2)),
        Marker(N + 25, "holes", (0.0, 0.0, lvl[bottom].z0 + tpi / 2)),
    ]

    # Balls in the holes of the lowest level; every pad gets its own ball.
    sites = ball_sites(p)
    require(
        len(sites) >= len(bump_nets),
        "ball_pitch",
        mm(p.ball_pitch),
        f"{len(sites)} balls under the die cannot serve {len(bump_nets)} pads",
    )
    order = {"L0": ["flex_L0_cu", "flex_bend1_cu", "flex_L1_cu"], "L1": ["flex_L1_cu"], "L2": ["flex_L2_cu"]}
    if two_bends:
        order["L0"] += ["flex_bend2_cu", "flex_L2_cu"]
        order["L1"] += ["flex_bend2_cu", "flex_L2_cu"]
    nets: list[Net] = []
    z_ball_top = lvl[bottom].z0 + tpi
    nets_by_site = {site: item for (site, _, _), item in zip(sites, bump_nets, strict=False)}
    for site, x, y in sites:
        item = nets_by_site.get(site)
        ball = f"ball_{site}"
        solid = solder_ball(x, y, z_ball_top, p.ball_diameter, p.land_diameter)
        add(body(ball, Role.BALL, p.ball_material, solid, N + 50, "solder balls", net=item[3] if item else None))
        if item is not None:
            pad, bump, level, net = item
            length = abs(x) + abs(y) + (2 * abs(x_left) if level == "L0" else 0.0)
            nets.append(Net(net, NetKind.SIGNAL, ((pad, bump),), (Route(bump, ball, tuple(order[level]), length),)))
    adhesive_contacts = [("adhesive_a", "flex_L1_upper" if not tierA_mem else "sensor")]
    contacts += adhesive_contacts
    if two_bends:
        contacts.append(("adhesive_b", "flex_L2_upper" if fig in (2, 4) else "flex_L1_lower"))
    return Package(
        name=name,
        family="flex_csp",
        bodies=tuple(bodies),
        materials=lib,
        pads=tuple(pads),
        nets=tuple(nets),
        heat_sources=tuple(heat),
        contacts=tuple(contacts),
        features={
            "embodiment": p.embodiment.value,
            "memory_dies": len(mems),
            "ir_cut": ir,
            "bends": len(bends),
            "sensor_type": p.sensor_type.value,
            "back_ground": fig == 7,
        },
        parameters=p,
        section_hint=("y", 0.0 if row_on_axis(p) else p.ball_pitch / 2),
        markers=tuple(markers),
    )


__all__ = ["Embodiment", "FlexCspParams", "SensorType", "build"]
