"""The parts every package family is assembled from, one small function each.

A die on its attach, a bond finger and a bond wire, a mould cap, a flat plate (heat
spreader, heat sink, smeared substrate), a lead and a die paddle, a ball land with its
solder ball, a flip-chip bump. The generic families (``pbga``, ``qfn``, ``fcbga``) and
the patent families that are one of them plus claimed features (``spreader_bga`` on
``pbga``, ``exposed_sink`` on ``pbga``/``qfn``/``fcbga``) build these parts with the same
functions, so a shared part has the same geometry in both; each family passes only its
own names, numerals and labels (a `Callout`).

The geometry of each part is exactly what the families wrote inline before (the same
arithmetic in the same order), which tests/test_builder_identity.py guards.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from semipack.families.common import body, box, centered_box, land, solder_ball, wire_loop
from semipack.geometry import Ball, Box
from semipack.model import Body, Role

LAND_COPPER = "cu_plated"  # bond fingers and ball lands are plated copper in every family


@dataclass(frozen=True)
class Callout:
    """A part's reference numeral (None: none) and its label in the drawing legend."""

    numeral: int | None
    label: str


def levels(z0: float, *thicknesses: float) -> tuple[float, ...]:
    """The faces of layers stacked on ``z0``, bottom up: ``(z0, z0 + t1, (z0 + t1) + t2, ...)``."""
    out = [z0]
    for t in thicknesses:
        out.append(out[-1] + t)
    return tuple(out)


def die_on_attach(
    size: tuple[float, float],
    z: tuple[float, ...],
    materials: tuple[str, str],
    *,
    die: Callout,
    attach: Callout,
    name: str = "die",
    centre: tuple[float, float] = (0.0, 0.0),
) -> list[Body]:
    """The die attach and the die on it: ``[attach, die]``.

    ``z`` holds the attach's bottom, the die's bottom and the die's top (`levels` stacks
    them from thicknesses); ``materials`` are (attach, die); the attach is named ``<name>_attach``.
    """
    (sx, sy), (cx, cy) = size, centre
    z_attach, z_die0, z_die1 = z
    att = centered_box(sx, sy, z_attach, z_die0, cx, cy)
    chip = centered_box(sx, sy, z_die0, z_die1, cx, cy)
    return [
        body(f"{name}_attach", Role.DIE_ATTACH, materials[0], att, attach.numeral, attach.label),
        body(name, Role.DIE, materials[1], chip, die.numeral, die.label),
    ]


def mould_cap(
    name: str,
    role: Role,
    material: str,
    half: tuple[float, float],
    z: tuple[float, float],
    callout: Callout,
    *,
    cuts: Iterable[Box] = (),
    tags: Iterable[str] = (),
) -> Body:
    """The moulded body over the whole outline ``2 half``, from ``z[0]`` to ``z[1]``, with ``cuts`` taken out."""
    hx, hy = half
    return body(
        name, role, material, box(-hx, -hy, z[0], hx, hy, z[1], cuts), callout.numeral, callout.label, tags=tags
    )


def plate(
    name: str,
    role: Role,
    material: str,
    size: tuple[float, float],
    z0: float,
    thickness: float,
    callout: Callout,
    *,
    tags: Iterable[str] = (),
) -> Body:
    """A flat centred plate ``thickness`` thick on ``z0``: a spreader, a sink, its coating, a smeared substrate."""
    solid = centered_box(size[0], size[1], z0, z0 + thickness)
    return body(name, role, material, solid, callout.numeral, callout.label, tags=tags)


def bond_finger(
    name: str,
    size: tuple[float, float],
    at: tuple[float, float],
    z0: float,
    thickness: float,
    callout: Callout,
    net: str,
) -> Body:
    """A plated bond finger ``size`` on the substrate top ``z0``, centred at ``at``."""
    solid = centered_box(size[0], size[1], z0, z0 + thickness, at[0], at[1])
    return body(name, Role.LAND, LAND_COPPER, solid, callout.numeral, callout.label, net=net)


def bond_wire(
    name: str,
    ends: tuple[tuple[float, float, float], tuple[float, float, float]],
    loop_height: float,
    diameter: float,
    material: str,
    callout: Callout,
    net: str,
) -> Body:
    """A ball-stitch wire loop from the die pad ``ends[0]`` to the stitch ``ends[1]`` (`wire_loop`)."""
    loop = wire_loop(ends[0], ends[1], loop_height, diameter)
    return body(name, Role.WIRE, material, loop, callout.numeral, callout.label, net=net)


def ball_land(
    site: str,
    at: tuple[float, float],
    z_top: float,
    thickness: float,
    diameter: float,
    callout: Callout,
    net: str | None,
    through: float = 0.0,
) -> Body:
    """The round copper land ``land_<site>`` under the substrate, whose bottom face is
    ``z_top``: the land hangs ``thickness`` below it (the face the ball wets).

    ``through``: the solder mask the land sits in. The land is defined by the mask's
    opening (non-solder-mask-defined) on the bottom copper layer, so its copper fills the
    opening that far up and meets that copper; the mask, a filler, yields to it. Without
    it the mask lay between the land and the copper, 20 um of it under every ball."""
    solid = land(at[0], at[1], z_top - thickness, z_top + through, diameter)
    return body(f"land_{site}", Role.LAND, LAND_COPPER, solid, callout.numeral, callout.label, net=net)


def ball_on_land(
    site: str,
    at: tuple[float, float],
    z_land: float,
    diameters: tuple[float, float],
    material: str,
    callout: Callout,
    *,
    net: str | None,
    tags: Iterable[str] = (),
) -> Body:
    """The reflowed ball ``ball_<site>`` hanging from its land's face ``z_land``; ``diameters`` = (ball, land)."""
    solid = solder_ball(at[0], at[1], z_land, diameters[0], diameters[1])
    return body(f"ball_{site}", Role.BALL, material, solid, callout.numeral, callout.label, net=net, tags=tags)


def lead(
    name: str,
    material: str,
    size: tuple[float, float],
    at: tuple[float, float],
    thickness: float,
    callout: Callout,
    *,
    net: str | None,
    tags: Iterable[str] = (),
) -> Body:
    """A lead-frame lead ``size`` centred at ``at``, full frame thickness from the bottom (z = 0)."""
    solid = centered_box(size[0], size[1], 0.0, thickness, at[0], at[1])
    return body(name, Role.LEAD, material, solid, callout.numeral, callout.label, net=net, tags=tags)


def paddle(
    name: str,
    material: str,
    size: tuple[float, float],
    z: tuple[float, float],
    callout: Callout,
    *,
    net: str | None = None,
    tags: Iterable[str] = (),
) -> Body:
    """The lead frame's centred die paddle from ``z[0]`` (0 when exposed) to the frame top ``z[1]``."""
    solid = centered_box(size[0], size[1], z[0], z[1])
    return body(name, Role.DIE_PADDLE, material, solid, callout.numeral, callout.label, net=net, tags=tags)


def bare_die(
    size: tuple[float, float],
    z: tuple[float, float],
    material: str,
    callout: Callout,
    *,
    name: str = "die",
    centre: tuple[float, float] = (0.0, 0.0),
) -> Body:
    """A die with no attach under it in the model (face down on bumps, or in a through-cavity), ``z[0]`` to ``z[1]``."""
    solid = centered_box(size[0], size[1], z[0], z[1], centre[0], centre[1])
    return body(name, Role.DIE, material, solid, callout.numeral, callout.label)


def bump_pad(
    site: str,
    at: tuple[float, float],
    z: tuple[float, float],
    diameter: float,
    callout: Callout,
    net: str,
) -> Body:
    """The substrate's pad ``pad_<site>`` under the flip-chip bump ``bump_<site>``, filling the
    top solder mask's opening from the top copper ``z[0]`` to the mask's face ``z[1]``.

    The opening is as wide as the bump's foot, which meets the pad there: without it the
    mask lay between every bump and the copper, 20 um of epoxy under each.
    """
    solid = land(at[0], at[1], z[0], z[1], diameter)
    return body(f"pad_{site}", Role.LAND, LAND_COPPER, solid, callout.numeral, callout.label, net=net)


def bump(
    name: str,
    centre: tuple[float, float, float],
    radius: float,
    z: tuple[float, float],
    material: str,
    callout: Callout,
    net: str,
) -> Body:
    """A reflowed flip-chip bump: the sphere at ``centre`` cut by the land ``z[0]`` and the die face ``z[1]``."""
    return body(name, Role.BUMP, material, Ball(centre, radius, z[0], z[1]), callout.numeral, callout.label, net=net)
