"""Generic QFN and DFN: a lead frame with a die paddle, perimeter leads, wire bonds, mould.

A quad (``qfn``) or dual (``dfn``) flat no-lead package: a copper lead frame whose die
paddle is exposed on the bottom as a thermal/ground pad (or half-etched and moulded
over), leads flush with the bottom at the body's perimeter (optionally pulled back
from the sawn edge), a die on silver-filled epoxy, one gold wire per die pad to its
lead, optional down-bonds from pads on the paddle's net to the paddle, and a mould
body over everything. The outline parameters are those of JEDEC MO-220 (QFN) and
MO-229 (DFN): body D x E, pitch e, lead width b, lead length L, exposed pad D2 x E2,
total height A and lead-frame thickness A3.

Pins are numbered counter-clockwise seen from the top, pin 1 at the top of the left
side (JEDEC convention for QFN/DFN): down the left side, left to right along the
bottom, up the right side, right to left along the top. ``leads_per_side_y`` counts
the leads on the left and right sides (a row along y), ``leads_per_side_x`` those on
the bottom and top sides (a row along x); a DFN has only the left and right rows.
The exposed pad is terminal ``EP``.

Defaults: ``qfn`` imitates a 5 x 5 mm, 0.5 mm pitch, 32-lead very-thin QFN with a
3.5 x 3.5 mm exposed pad, the class of JEDEC MO-220 variation VHHD-2 (A 0.80-1.00 mm,
here 0.85 mm; A3 0.20 mm REF, here a 0.203 mm (8 mil) C194 frame), with a 2.5 x 2.5 mm,
0.2 mm thick die at 0.5 W; ``dfn`` a 3 x 3 mm, 0.5 mm pitch, 8-lead DFN with a
1.65 x 2.38 mm exposed pad, 0.75 mm high, as in Linear Technology's "DD8" 3 x 3 mm DFN
outline (drawing 05-08-1698, which refers to JEDEC MO-229), with a 1.2 x 1.6 mm die.

References
----------
JEDEC MO-220, Thermally enhanced plastic very thin and very very thin fine pitch quad
flat no lead package. JEDEC MO-229, Plastic dual small outline no lead package.
JEDEC JESD30 (package naming: pin 1 and counter-clockwise numbering, top view).

The parameters, design rules and numerals are in `qfn_params`, the lead sites and the
pin-out in `qfn_pins`; this module builds the package from its parts (families/parts.py,
which `exposed_sink`'s QFN carrier shares).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

from semipack.errors import DesignError
from semipack.families.bga import wire_section_y
from semipack.families.common import body, centered_box, check_die_on_attach, check_loop, require, require_material
from semipack.families.parts import bond_wire, die_on_attach, lead, mould_cap, paddle
from semipack.families.pinmap import PinRole, net_kind
from semipack.families.powermap import die_heat_sources
from semipack.families.qfn_params import (
    _NORMAL,
    CORNER_KEEPOUT,
    DIE,
    DIE_ATTACH,
    DIE_MARGIN,
    DOWN_BOND,
    DOWN_BOND_SPACE,
    EP,
    EXPOSED_PAD,
    LEAD,
    LEAD_SPACE,
    MOULD,
    MOULD_EDGE,
    PAD_INSET,
    PAD_LEAD_GAP,
    PAD_SIZE,
    PADDLE,
    STITCH_INSET,
    WIRE,
    WIRE_COVER,
    DfnParams,
    DiePad,
    LeadSite,
    Levels,
    Numeral,
    Pin,
    QfnParams,
    Side,
)
from semipack.families.qfn_pins import lead_sites, pin_out
from semipack.materials import MaterialLibrary
from semipack.model import Body, HeatSource, Net, NetKind, Package, Pad, Role
from semipack.units import mm

# --- entry points --------------------------------------------------------------------------------


def build(p: QfnParams, lib: MaterialLibrary, name: str) -> Package:
    """Build a QFN (leads on four sides)."""
    require(
        p.leads_per_side_x >= 1 and p.leads_per_side_y >= 1,
        "leads_per_side_x" if p.leads_per_side_x < 1 else "leads_per_side_y",
        min(p.leads_per_side_x, p.leads_per_side_y),
        "a QFN has leads on all four sides (>= 1 each); for two sides use family dfn",
    )
    return _build(p, lib, name, "qfn")


def build_dfn(p: DfnParams, lib: MaterialLibrary, name: str) -> Package:
    """Build a DFN (leads on the left and right sides)."""
    require(
        p.leads_per_side_x == 0,
        "leads_per_side_x",
        p.leads_per_side_x,
        "must be 0: a DFN has leads on the left and right sides only; for four sides use family qfn",
    )
    require(p.leads_per_side_y >= 1, "leads_per_side_y", p.leads_per_side_y, "at least one lead per side")
    return _build(p, lib, name, "dfn")


def _build(p: QfnParams, lib: MaterialLibrary, name: str, family: str) -> Package:
    _check_materials(p, lib)
    sites = lead_sites(p)
    _check_outline(p, sites)
    pins = pin_out(p, sites)
    ep_net = pins[EP].net
    require(
        not p.down_bonds or any(pins[s.name].net == ep_net for s in sites),
        "down_bonds",
        True,
        f"no lead is on the paddle's net {ep_net}, so no die pad can be down-bonded to it",
    )
    z = levels(p)
    pads = die_pads(p, sites, pins)
    bodies = [*_leads(p, sites, pins), _paddle(p, z, pins[EP]), *_die_stack(p, z)]
    if p.plating_material is not None:
        bodies += _plating(p, sites, pins)
    wires, edges = _wires(p, sites, pads, pins, z)
    bodies += wires
    bodies.append(_mould(p))
    connected = sum(1 for s in sites if pins[s.name].net is not None)
    return Package(
        name=name,
        family=family,
        bodies=tuple(bodies),
        materials=lib,
        pads=tuple(Pad(d.name, "die", (d.x, d.y), PAD_SIZE, _net(pins[str(d.pin)])) for d in pads),
        nets=_nets(edges, pins),
        heat_sources=_heat(p),
        contacts=(("die", "die_attach"), ("die_attach", "paddle"), ("mould", "paddle")),
        features={
            "exposed_pad": p.exposed_pad,
            "sides": 4 if p.leads_per_side_x else 2,
            "leads": len(sites),
            "connected_leads": connected,
            "pull_back": p.pull_back > 0,
            "down_bonds": p.down_bonds,
            "pin_map": "table" if p.pin_map else "default",
        },
        parameters=p,
        section_hint=("y", wire_section_y(bodies, Role.LEAD, 0.5 * p.lead_width)),
    )


def _net(pin: Pin) -> str:
    assert pin.net is not None  # die pads exist only for connected pins
    return pin.net


# --- checks ---------------------------------------------------------------------------------------


def _check_materials(p: QfnParams, lib: MaterialLibrary) -> None:
    for f in ("lead_frame_material", "die_material", "attach_material", "wire_material", "mould_material"):
        require_material(lib, getattr(p, f), f)
    if p.plating_material is not None:
        require_material(lib, p.plating_material, "plating_material")


def _check_outline(p: QfnParams, sites: Sequence[LeadSite]) -> None:
    """Cross-field rules of the outline: leads fit, clear each other and the pad; die fits."""
    hx, hy = p.body_x / 2, p.body_y / 2
    space = p.lead_pitch - p.lead_width
    require(
        space >= LEAD_SPACE - 1e-12,
        "lead_width",
        mm(p.lead_width),
        f"must leave {mm(LEAD_SPACE)} between leads at pitch {mm(p.lead_pitch)} (at most {mm(p.lead_pitch - LEAD_SPACE)})",
    )
    for field, pad, half in (("pad_x", p.pad_x, hx), ("pad_y", p.pad_y, hy)):
        require(
            pad / 2 <= half - MOULD_EDGE + 1e-12,
            field,
            mm(pad),
            f"the paddle must stay {mm(MOULD_EDGE)} inside the body (at most {mm(2 * (half - MOULD_EDGE))})",
        )
    _check_pad_gap(p)  # first: a lead too long also crowds the corners, but its length is the cause
    _check_rows(p, sites, space)
    for field, die, pad in (("die_x", p.die_x, p.pad_x), ("die_y", p.die_y, p.pad_y)):
        require(
            die + 2 * DIE_MARGIN <= pad + 1e-12,
            field,
            mm(die),
            f"the die must sit on the paddle with a {mm(DIE_MARGIN)} fillet margin (at most {mm(pad - 2 * DIE_MARGIN)})",
        )
    if p.down_bonds:
        margin = min(p.pad_x - p.die_x, p.pad_y - p.die_y) / 2
        require(
            margin >= DOWN_BOND_SPACE - 1e-12,
            "down_bonds",
            True,
            f"down-bonds need a paddle ring of {mm(DOWN_BOND_SPACE)} outside the die; it is {mm(margin)}",
        )
    check_die_on_attach(p.die_thickness, p.attach_thickness, "die_thickness", "attach_thickness")
    # The leads' bond areas are at the frame top, below the die pads: no rise to clear.
    check_loop(p.loop_height, p.wire_diameter)
    z = levels(p)
    require(
        p.body_height >= z.wire_top + WIRE_COVER - 1e-12,
        "body_height",
        mm(p.body_height),
        f"the mould must cover the wire loops by {mm(WIRE_COVER)} (needs >= {mm(z.wire_top + WIRE_COVER)})",
    )


def _check_rows(p: QfnParams, sites: Sequence[LeadSite], space: float) -> None:
    """Each row fits its side, and the corner leads of adjacent rows stay apart.

    A row keeps one lead space from the body corner where the adjacent side has leads
    too; a DFN's rows (no leads on the adjacent sides) need only the frame's etching
    limit `LEAD_SPACE` to the sawn edge, as MO-229 outlines place them (a 2 x 2 mm WSON-8
    holds four 0.25 mm leads at 0.5 mm pitch). Corner leads of adjacent rows are
    diagonal neighbours: MO-220 outlines with long leads or pull-back bring them closer
    than the in-row space, so they need only `LEAD_SPACE`.
    """
    for field, count, half_along, other in (
        ("leads_per_side_x", p.leads_per_side_x, p.body_x / 2, p.leads_per_side_y),
        ("leads_per_side_y", p.leads_per_side_y, p.body_y / 2, p.leads_per_side_x),
    ):
        reach = (count - 1) / 2 * p.lead_pitch + p.lead_width / 2
        end = space if other else LEAD_SPACE
        require(
            count == 0 or reach <= half_along - end + 1e-12,
            field,
            count,
            f"{count} leads at {mm(p.lead_pitch)} pitch span {mm(2 * reach)}; the side holds {mm(2 * (half_along - end))}",
        )
    if p.leads_per_side_x and p.leads_per_side_y:
        bottom = [s for s in sites if s.side is Side.BOTTOM]
        left = [s for s in sites if s.side is Side.LEFT]
        a, b = bottom[0], left[-1]  # the two leads nearest the bottom-left corner
        dx = max(0.0, abs(a.x - b.x) - (a.size_x + b.size_x) / 2)
        dy = max(0.0, abs(a.y - b.y) - (a.size_y + b.size_y) / 2)
        gap = math.hypot(dx, dy)
        field = (
            "leads_per_side_x" if p.leads_per_side_x / p.body_x >= p.leads_per_side_y / p.body_y else "leads_per_side_y"
        )
        require(
            gap >= LEAD_SPACE - 1e-12,
            field,
            getattr(p, field),
            f"the corner leads of adjacent sides would be {mm(gap)} apart (at least {mm(LEAD_SPACE)})",
        )


def _check_pad_gap(p: QfnParams) -> None:
    """Leads end at least MO-220's K from the paddle, so board solder cannot bridge them."""
    rows = [(p.body_y / 2, p.pad_y / 2, "pad_y")] if p.leads_per_side_x else []
    rows += [(p.body_x / 2, p.pad_x / 2, "pad_x")] if p.leads_per_side_y else []
    for half, pad_half, pad_field in rows:
        room = half - pad_half - PAD_LEAD_GAP
        require(
            p.lead_length <= room + 1e-12,
            "lead_length",
            mm(p.lead_length),
            f"leads would come within {mm(PAD_LEAD_GAP)} of the die paddle (at most {mm(room)} with "
            f"{pad_field} {mm(2 * pad_half)}; or {pad_field} at most {mm(2 * (half - PAD_LEAD_GAP - p.lead_length))})",
        )
        require(
            p.pull_back + p.lead_length <= room + 1e-12,
            "pull_back",
            mm(p.pull_back),
            f"pulled-back leads would come within {mm(PAD_LEAD_GAP)} of the die paddle (at most {mm(room - p.lead_length)})",
        )


# --- geometry -------------------------------------------------------------------------------------


def levels(p: QfnParams) -> Levels:
    """Heights: an exposed paddle is full frame thickness; a moulded-under one half-etched from below."""
    t = p.lead_frame_thickness
    die_z0 = t + p.attach_thickness
    die_z1 = die_z0 + p.die_thickness
    return Levels(0.0 if p.exposed_pad else t / 2, t, die_z0, die_z1, die_z1 + p.loop_height + p.wire_diameter)


def die_pads(p: QfnParams, sites: Sequence[LeadSite], pins: dict[str, Pin]) -> list[DiePad]:
    """One pad per connected lead, on the die edge facing it, in the leads' order.

    A pad's position along its die edge is its lead's position scaled so the side's
    outermost lead maps to the die corner keep-out: wires fan out and never cross.
    """
    out: list[DiePad] = []
    for side in Side:
        row = [s for s in sites if s.side is side]
        if not row:
            continue
        vertical = side in (Side.LEFT, Side.RIGHT)
        die_along = (p.die_y if vertical else p.die_x) / 2
        die_across = (p.die_x if vertical else p.die_y) / 2 - PAD_INSET
        outer = max(abs(s.along) for s in row)
        scale = (die_along - CORNER_KEEPOUT) / outer if outer > 0 else 0.0
        nx, ny = _NORMAL[side]
        along = [s.along * scale for s in row if pins[s.name].net is not None]
        pitch = min((abs(b - a) for a, b in itertools.pairwise(along)), default=math.inf)
        field = "die_y" if vertical else "die_x"
        require(
            die_along > CORNER_KEEPOUT,
            field,
            mm(2 * die_along),
            f"bond pads keep {mm(CORNER_KEEPOUT)} from the die corners; the die must be larger",
        )
        require(
            pitch >= 2.5 * p.wire_diameter,
            field,
            mm(2 * die_along),
            f"too small for the {side.value} side's {len(along)} bond pads (pad pitch {mm(pitch)}, "
            f"needs >= {mm(2.5 * p.wire_diameter)})",
        )
        for s in row:
            if pins[s.name].net is None:
                continue
            a = s.along * scale
            x, y = (nx * die_across, a) if vertical else (a, ny * die_across)
            out.append(DiePad(s.pin, x, y))
    return out


def _leads(p: QfnParams, sites: Sequence[LeadSite], pins: dict[str, Pin]) -> list[Body]:
    t = p.lead_frame_thickness
    return [
        lead(
            f"lead{s.pin}",
            p.lead_frame_material,
            (s.size_x, s.size_y),
            (s.x, s.y),
            t,
            LEAD,
            net=pins[s.name].net,
            tags=_thermal_tag(pins[s.name]),
        )
        for s in sites
    ]


def _paddle(p: QfnParams, z: Levels, ep: Pin) -> Body:
    """The die paddle; exposed, it is terminal EP (the KiCad exporter reads the ``pin:`` tag)."""
    exposed = p.exposed_pad
    return paddle(
        "paddle",
        p.lead_frame_material,
        (p.pad_x, p.pad_y),
        (z.paddle_z0, z.frame_top),
        EXPOSED_PAD if exposed else PADDLE,
        net=ep.net if exposed or p.down_bonds else None,
        tags=((f"pin:{EP}",) if exposed else ()) + _thermal_tag(ep),
    )


def _thermal_tag(pin: Pin) -> tuple[str, ...]:
    # The pin-table export reads a "thermal" tag as the thermal role.
    return ("thermal",) if pin.role is PinRole.THERMAL and pin.net is not None else ()


def _die_stack(p: QfnParams, z: Levels) -> list[Body]:
    materials = (p.attach_material, p.die_material)
    zs = (z.frame_top, z.die_z0, z.die_z1)
    return die_on_attach((p.die_x, p.die_y), zs, materials, die=DIE, attach=DIE_ATTACH)


def _plating_length(p: QfnParams) -> float:
    return min(p.lead_length, 2 * STITCH_INSET)


def _plating(p: QfnParams, sites: Sequence[LeadSite], pins: dict[str, Pin]) -> list[Body]:
    """Spot plating over the inner end of each wired lead, where the stitch lands."""
    assert p.plating_material is not None
    t, ln = p.lead_frame_thickness, _plating_length(p)
    out = []
    for s in sites:
        if pins[s.name].net is None:
            continue
        cx, cy = s.inner_point(ln / 2)
        sx, sy = (ln, s.size_y) if s.side in (Side.LEFT, Side.RIGHT) else (s.size_x, ln)
        out.append(
            body(
                f"plating{s.pin}",
                Role.LAND,
                p.plating_material,
                centered_box(sx, sy, t, t + p.plating_thickness, cx, cy),
                Numeral.PLATING,
                "spot plating",
                net=pins[s.name].net,
            )
        )
    return out


def _wires(
    p: QfnParams, sites: Sequence[LeadSite], pads: Sequence[DiePad], pins: dict[str, Pin], z: Levels
) -> tuple[list[Body], dict[str, list[tuple[str, str]]]]:
    """A wire from each die pad to its lead's inner end, and down-bonds to the paddle.

    Returns the wires and each net's edges (pad -> wire -> [plating ->] lead; pad ->
    down-bond -> paddle).
    """
    by_pin = {s.pin: s for s in sites}
    plated = p.plating_material is not None
    stitch_in = _plating_length(p) / 2 if plated else min(STITCH_INSET, p.lead_length / 2)
    z_stitch = z.frame_top + (p.plating_thickness if plated else 0.0)
    ep_net = pins[EP].net
    out: list[Body] = []
    edges: dict[str, list[tuple[str, str]]] = {}
    for d in pads:
        s = by_pin[d.pin]
        net = _net(pins[s.name])
        tx, ty = s.inner_point(stitch_in)
        wire = f"wire{d.pin}"
        ends = ((d.x, d.y, z.die_z1), (tx, ty, z_stitch))
        out.append(bond_wire(wire, ends, p.loop_height, p.wire_diameter, p.wire_material, WIRE, net))
        chain = [d.name, wire, *([f"plating{d.pin}"] if plated else []), f"lead{d.pin}"]
        edges.setdefault(net, []).extend(itertools.pairwise(chain))
        if p.down_bonds and net == ep_net:
            out.append(_down_bond(p, d, s.side, z, net))
            edges[net] += [(d.name, f"downbond{d.pin}"), (f"downbond{d.pin}", "paddle")]
    return out, edges


def _down_bond(p: QfnParams, d: DiePad, side: Side, z: Levels, net: str) -> Body:
    """A wire from the pad straight out to the middle of the paddle ring beyond the die edge."""
    nx, ny = _NORMAL[side]
    ring = (p.pad_x - p.die_x) / 4 if nx else (p.pad_y - p.die_y) / 4
    ex = nx * (p.die_x / 2 + ring) if nx else d.x
    ey = ny * (p.die_y / 2 + ring) if ny else d.y
    ends = ((d.x, d.y, z.die_z1), (ex, ey, z.frame_top))
    return bond_wire(f"downbond{d.pin}", ends, p.loop_height, p.wire_diameter, p.wire_material, DOWN_BOND, net)


def _mould(p: QfnParams) -> Body:
    half = (p.body_x / 2, p.body_y / 2)
    return mould_cap("mould", Role.ENCAPSULANT, p.mould_material, half, (0.0, p.body_height), MOULD)


def _nets(edges: dict[str, list[tuple[str, str]]], pins: dict[str, Pin]) -> tuple[Net, ...]:
    kinds: dict[str, NetKind] = {}
    for pin in pins.values():
        if pin.net is not None:
            kinds.setdefault(pin.net, net_kind(pin.role))
    return tuple(Net(n, kinds[n], tuple(e)) for n, e in edges.items())


def _heat(p: QfnParams) -> tuple[HeatSource, ...]:
    """The die's heat sources; errors name this family's top-level fields."""
    try:
        return die_heat_sources(
            "die", (0.0, 0.0), (p.die_x, p.die_y), p.die_power, p.power_blocks, p.power_grid_w, "die"
        )
    except DesignError as exc:
        field = exc.field.replace("parameters.die.", "parameters.")
        raise DesignError(
            "parameters.die_power" if field == "parameters.die" else field, exc.value, exc.allowed
        ) from None
