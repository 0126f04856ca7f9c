"""Seed 000: the heat-spreader BGA.

A die on a laminate substrate with an adhesive layer (silver paste), wire bonds or
conductive adhesive tapes to the substrate, a sealant over die and wires, a metal heat
spreader on the sealant (optionally a concave in the sealant top with a downward bump
on the spreader aligned to it, and thermally conductive glue primed between), and
solder balls under the substrate. A strip of N units can be built as it is before
singulation (claim 14).

The defaults imitate a 27 x 27 mm, 1.0 mm pitch, 456-ball thermally enhanced PBGA
(5 perimeter rows plus a 6 x 6 thermal-ball block, JEDEC MO-151 outline) with a
10 x 10 mm die, 4-layer BT substrate and a copper spreader on the mould cap.

It is the generic ``pbga`` plus its claimed features: the die, the adhesive layer, the
sealant (mould cap), the bond fingers and wires, the ball lands and balls and the flat
spreader are `pbga`'s parts (families/parts.py, the same functions and so the same
solids for the same dimensions); this module adds only the seed's own features (the glue
primed on the sealant, the concave with the spreader's downward bump, conductive adhesive
tapes instead of wires, the strip before singulation) and its numerals. Its substrate is
one smeared laminate body (pbga's is a resolved stack-up), kept so every existing drawing,
flow and claim chart of seed 000 stays as it is.

The seed's text has no reference numerals; the numerals used here (100 series) are
semipack's own and are listed in each drawing's legend.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from semipack.families.bga import (
    Connection,
    EdgePad,
    assign_balls,
    ball_field,
    bond_pads,
    pads_of,
    substrate_nets,
    wire_bonds,
    wire_section_y,
)
from semipack.families.common import (
    ball_grid,
    balls_per_side,
    body,
    box,
    centered_box,
    check_die_on_attach,
    check_loop,
    require,
    require_materials,
)
from semipack.families.params import Count, Length, MaterialRef, Power, param
from semipack.families.parts import Callout, die_on_attach, levels, mould_cap, plate
from semipack.materials import MaterialLibrary
from semipack.model import Body, HeatSource, Marker, Package, Role
from semipack.model.tile import CONTINUOUS, tile_strip
from semipack.units import mm


class SignalTransfer(Enum):
    """Claims 3/9 (bonding wires) or 4/10 (conductive adhesive tapes)."""

    WIRE_BOND = "wire_bond"
    ADHESIVE_TAPE = "adhesive_tape"


@dataclass(frozen=True)
class SpreaderBgaParams:
    body_size: Length = param(27e-3, "package body edge (square)")
    substrate_thickness: Length = param(0.56e-3, "laminate substrate thickness")
    substrate_material: MaterialRef = param(MaterialRef("bt_laminate"), "substrate laminate")
    die_size: Length = param(10e-3, "die edge (square)")
    die_thickness: Length = param(0.30e-3, "die thickness")
    die_material: MaterialRef = param(MaterialRef("si"), "die material")
    die_power: Power = param(3.0, "power dissipated in the die")
    attach_thickness: Length = param(25e-6, "adhesive layer (die attach) bond line")
    attach_material: MaterialRef = param(MaterialRef("silver_epoxy"), "adhesive layer; silver paste per claim 15")
    signal_transfer: SignalTransfer = param(SignalTransfer.WIRE_BOND, "wire_bond or adhesive_tape")
    pads_per_side: Count = param(40, "die bond pads per side")
    wire_diameter: Length = param(25e-6, "bond-wire diameter")
    wire_material: MaterialRef = param(MaterialRef("au"), "bond-wire material")
    loop_height: Length = param(0.20e-3, "wire loop height above the die")
    tape_width: Length = param(80e-6, "conductive adhesive tape width")
    tape_thickness: Length = param(30e-6, "conductive adhesive tape thickness")
    tape_material: MaterialRef = param(MaterialRef("silver_epoxy"), "conductive adhesive tape material")
    finger_offset: Length = param(1.2e-3, "bond finger ring distance outside the die edge")
    land_thickness: Length = param(20e-6, "copper thickness of bond fingers and ball lands")
    sealant_thickness: Length = param(0.80e-3, "sealant (mould cap) thickness above the substrate")
    sealant_material: MaterialRef = param(MaterialRef("mold_compound"), "sealant material")
    concave: bool = param(False, "concave in the sealant top with an aligned spreader bump (claim 7)")
    concave_size: Length = param(8e-3, "concave edge (square, centred)")
    concave_depth: Length = param(0.15e-3, "concave depth")
    bump_clearance: Length = param(50e-6, "lateral gap between the spreader bump and the concave wall")
    glue: bool = param(True, "thermally conductive glue primed on the sealant (claim 6)")
    glue_thickness: Length = param(50e-6, "glue bond line")
    glue_material: MaterialRef = param(MaterialRef("thermal_glue"), "thermally conductive glue")
    spreader_thickness: Length = param(0.30e-3, "heat-spreading device thickness")
    spreader_material: MaterialRef = param(MaterialRef("cu_rolled"), "heat-spreading device material")
    ball_pitch: Length = param(1.0e-3, "ball pitch")
    ball_diameter: Length = param(0.60e-3, "solder ball diameter before reflow")
    land_diameter: Length = param(0.45e-3, "ball land diameter")
    ball_material: MaterialRef = param(MaterialRef("sac305"), "solder ball alloy")
    ball_rows: Count = param(5, "perimeter ball rows")
    thermal_balls: int = param(6, "centre thermal-ball block edge (0 = none)")
    strip_units: Count = param(1, "units in the strip (1 = singulated package)")
    saw_street: Length = param(0.3e-3, "saw street between units in a strip")


# --- Dimensions the parameters do not set (defaults of this model) ---------------------------------
FINGER_MARGIN_M = 0.2e-3  # the bond-finger ring stays 0.2 mm inside the body edge
COVER_M = 50e-6  # sealant over the highest wire or tape, and left over the die under the concave
TAPE_RISE = 2  # a draped tape's top stands two tape thicknesses above the die
CONCAVE_MARGIN_M = 1e-3  # the concave is at least 1 mm smaller than the body
CONCAVE_CUT_ABOVE_M = 1e-3  # the concave's cut-out runs this far above the sealant (a clean boolean)
CUT_OVERSHOOT_M = 1e-6  # the glue's hole over the concave runs past both its faces
PAD_INSET_M = 0.12e-3  # bond-pad row inset from the die edge
PAD_CORNER_KEEPOUT_M = 0.6e-3  # no pad within 0.6 mm of a die corner
PAD_SIZE_M = 80e-6  # bond pad edge
MIN_PAD_PITCH_WIDTHS = 2.5  # pad pitch at least 2.5 wire diameters or tape widths


class Numeral:
    """semipack's reference numerals (the seed's text has none), listed in each drawing's legend."""

    SUBSTRATE = 102
    DIE = 104
    ADHESIVE_LAYER = 106
    SIGNAL_MEANS = 108
    SEALANT = 110
    SPREADER = 112
    GLUE = 114
    BALL = 116
    CONCAVE = 118
    BUMP = 120
    FINGER = 122
    BALL_LAND = 124


# The parts shared with `pbga` under this family's numerals and the seed's words.
SUBSTRATE = Callout(Numeral.SUBSTRATE, "substrate")
DIE = Callout(Numeral.DIE, "die")
ADHESIVE_LAYER = Callout(Numeral.ADHESIVE_LAYER, "adhesive layer")
SEALANT = Callout(Numeral.SEALANT, "sealant material")
SPREADER = Callout(Numeral.SPREADER, "heat-spreading device")

# Claims 3/9 and 4/10: what the connections are, named in the drawings.
_TRANSFER_LABEL = {
    SignalTransfer.WIRE_BOND: "signal transferring means (bonding wire)",
    SignalTransfer.ADHESIVE_TAPE: "signal transferring means (conductive adhesive tape)",
}


@dataclass(frozen=True)
class _Levels:
    """Heights of the stack: substrate top, die bottom and top, sealant top, spreader bottom."""

    t_sub: float
    z_die0: float
    z_die1: float
    seal_top: float
    z_spr0: float


def _levels(p: SpreaderBgaParams) -> _Levels:
    z_die0 = p.substrate_thickness + p.attach_thickness
    seal_top = p.substrate_thickness + p.sealant_thickness
    z_spr0 = seal_top + (p.glue_thickness if p.glue else 0.0)
    return _Levels(p.substrate_thickness, z_die0, z_die0 + p.die_thickness, seal_top, z_spr0)


def _check_outline(p: SpreaderBgaParams, lib: MaterialLibrary) -> int:
    """Materials, die and ball grid in the body; the balls per side."""
    require_materials(lib, p)
    ring = mm(p.die_size + 2 * p.finger_offset + 2 * FINGER_MARGIN_M)
    require(
        p.die_size + 2 * (p.finger_offset + FINGER_MARGIN_M) < p.body_size,
        "die_size",
        mm(p.die_size),
        f"die plus bond-finger ring ({ring}) must fit in body_size {mm(p.body_size)}",
    )
    n = balls_per_side(p.body_size, p.ball_pitch)
    require(n >= 2, "ball_pitch", mm(p.ball_pitch), f"at least 2 balls per side must fit in {mm(p.body_size)}")
    msg = f"must be below ball_pitch {mm(p.ball_pitch)}"
    require(p.ball_diameter < p.ball_pitch, "ball_diameter", mm(p.ball_diameter), msg)
    require(p.land_diameter < p.ball_diameter, "land_diameter", mm(p.land_diameter), "must be below ball_diameter")
    require(2 * p.ball_rows < n + 1 or p.ball_rows >= n, "ball_rows", p.ball_rows, f"at most {n // 2} rows fit")
    free = max(n - 2 * p.ball_rows, 0)
    msg = f"must be between 0 and {free} (the free centre of the grid)"
    require(0 <= p.thermal_balls <= free, "thermal_balls", p.thermal_balls, msg)
    return n


def _check_cover(p: SpreaderBgaParams, lv: _Levels) -> None:
    """The sealant covers the connections; the concave fits and leaves sealant over the die."""
    wired = p.signal_transfer is SignalTransfer.WIRE_BOND
    check_die_on_attach(p.die_thickness, p.attach_thickness, "die_thickness", "attach_thickness")
    if wired:  # fingers sit on the substrate top, below the die pads: no rise to clear
        check_loop(p.loop_height, p.wire_diameter)
    conn_top = lv.z_die1 + p.loop_height + p.wire_diameter if wired else lv.z_die1 + TAPE_RISE * p.tape_thickness
    require(
        lv.seal_top >= conn_top + COVER_M,
        "sealant_thickness",
        mm(p.sealant_thickness),
        f"must cover the die and its connections with 50 um to spare (needs >= {mm(conn_top + COVER_M - lv.t_sub)})",
    )
    if not p.concave:
        return
    msg = "must be smaller than the body by 1 mm"
    require(p.concave_size < p.body_size - CONCAVE_MARGIN_M, "concave_size", mm(p.concave_size), msg)
    require(
        lv.seal_top - p.concave_depth >= lv.z_die1 + COVER_M,
        "concave_depth",
        mm(p.concave_depth),
        f"the concave must leave 50 um of sealant over the die (at most {mm(lv.seal_top - lv.z_die1 - COVER_M)})",
    )
    require(p.bump_clearance * 2 < p.concave_size, "bump_clearance", mm(p.bump_clearance), "must leave a bump")


def _stack(p: SpreaderBgaParams, lv: _Levels) -> list[Body]:
    """Substrate, adhesive layer, die and sealant (with the concave in its top): `pbga`'s parts."""
    square = (p.body_size, p.body_size)
    concave = centered_box(
        p.concave_size, p.concave_size, lv.seal_top - p.concave_depth, lv.seal_top + CONCAVE_CUT_ABOVE_M
    )
    cuts = [concave] if p.concave else []
    return [
        plate("substrate", Role.SUBSTRATE, p.substrate_material, square, 0.0, lv.t_sub, SUBSTRATE, tags=(CONTINUOUS,)),
        *die_on_attach(
            (p.die_size, p.die_size),
            levels(lv.t_sub, p.attach_thickness, p.die_thickness),
            (p.attach_material, p.die_material),
            die=DIE,
            attach=ADHESIVE_LAYER,
        ),
        mould_cap(
            "sealant",
            Role.SEALANT,
            p.sealant_material,
            (p.body_size / 2, p.body_size / 2),
            (lv.t_sub, lv.seal_top),
            SEALANT,
            cuts=cuts,
            tags=(CONTINUOUS,),
        ),
    ]


def _spreader(p: SpreaderBgaParams, lv: _Levels) -> list[Body]:
    """The glue primed on the sealant (claim 6) and the spreader on it (`pbga`'s flat spreader part)."""
    half = p.body_size / 2
    out = []
    if p.glue:
        cut = centered_box(p.concave_size, p.concave_size, lv.seal_top - CUT_OVERSHOOT_M, lv.z_spr0 + CUT_OVERSHOOT_M)
        glue = box(-half, -half, lv.seal_top, half, half, lv.z_spr0, [cut] if p.concave else [])
        label = "thermally conductive glue"
        out.append(body("glue", Role.THERMAL_GLUE, p.glue_material, glue, Numeral.GLUE, label, tags=(CONTINUOUS,)))
    square = (p.body_size, p.body_size)
    out.append(
        plate(
            "spreader",
            Role.HEAT_SPREADER,
            p.spreader_material,
            square,
            lv.z_spr0,
            p.spreader_thickness,
            SPREADER,
            tags=(CONTINUOUS,),
        )
    )
    return out


def _concave(p: SpreaderBgaParams, lv: _Levels) -> tuple[list[Body], tuple[Marker, ...]]:
    """Claim 7: the glue in the concave and the spreader's downward bump aligned to it; the concave's marker."""
    if not p.concave:
        return [], ()
    z_cb = lv.seal_top - p.concave_depth
    out = []
    if p.glue:
        glue = centered_box(p.concave_size, p.concave_size, z_cb, z_cb + p.glue_thickness)
        label = "thermally conductive glue"
        out.append(body("glue_concave", Role.THERMAL_GLUE, p.glue_material, glue, Numeral.GLUE, label))
    bump_bottom = z_cb + (p.glue_thickness if p.glue else 0.0)
    bsz = p.concave_size - 2 * p.bump_clearance
    bump = centered_box(bsz, bsz, bump_bottom, lv.z_spr0)
    out.append(body("spreader_bump", Role.HEAT_SPREADER, p.spreader_material, bump, Numeral.BUMP, "downward bump"))
    at = (p.concave_size / 2 - p.bump_clearance / 2, 0.0, z_cb + p.concave_depth / 2)
    return out, (Marker(Numeral.CONCAVE, "concave", at),)


def _connections(p: SpreaderBgaParams, lv: _Levels) -> tuple[list[EdgePad], list[Body], list[Connection]]:
    """Pads round the die, bond fingers on the substrate, and a wire or tape between each pair."""
    tape = p.signal_transfer is SignalTransfer.ADHESIVE_TAPE
    min_pitch = MIN_PAD_PITCH_WIDTHS * (p.tape_width if tape else p.wire_diameter)
    why = " for the connection width"
    pads = bond_pads(p.die_size, p.pads_per_side, PAD_INSET_M, PAD_CORNER_KEEPOUT_M, min_pitch, why)
    bodies, conns = wire_bonds(
        pads,
        p.die_size,
        lv.z_die1,
        lv.t_sub,
        p.finger_offset,
        p.land_thickness,
        diameter=p.wire_diameter,
        loop_height=p.loop_height,
        material=p.tape_material if tape else p.wire_material,
        numeral=Numeral.SIGNAL_MEANS,
        finger_numeral=Numeral.FINGER,
        tape=(p.tape_width, p.tape_thickness) if tape else None,
    )
    label = _TRANSFER_LABEL[p.signal_transfer]
    return pads, [replace(b, label=label) if b.numeral == Numeral.SIGNAL_MEANS else b for b in bodies], conns


def _balls(p: SpreaderBgaParams, n: int, pads: list[EdgePad]) -> tuple[list[Body], dict[str, str]]:
    """Balls and their lands; signals on the perimeter rows, thermal balls to ground."""
    sites = ball_grid(n, n, p.ball_pitch, rows=p.ball_rows, center_block=p.thermal_balls)
    nets = assign_balls(pads, sites, p.ball_rows, "ball_rows")
    d = (p.land_thickness, p.ball_diameter, p.land_diameter)
    label = "conductive means (solder balls)"
    return ball_field(sites, 0.0, *d, p.ball_material, Numeral.BALL, Numeral.BALL_LAND, nets, label=label), nets


def _contacts(p: SpreaderBgaParams) -> tuple[tuple[str, str], ...]:
    out = [("die", "die_attach"), ("die_attach", "substrate"), ("sealant", "substrate")]
    out += [("glue", "sealant"), ("spreader", "glue")] if p.glue else [("spreader", "sealant")]
    if p.concave:
        out += [("spreader_bump", "spreader"), ("spreader_bump", "glue_concave" if p.glue else "sealant")]
    return tuple(out)


def build(p: SpreaderBgaParams, lib: MaterialLibrary, name: str) -> Package:
    """Build the heat-spreader BGA (one unit, or a strip of ``strip_units``)."""
    n = _check_outline(p, lib)
    lv = _levels(p)
    _check_cover(p, lv)
    concave, markers = _concave(p, lv)
    bodies = _stack(p, lv) + _spreader(p, lv) + concave
    pads, connections, conns = _connections(p, lv)
    balls, ball_nets = _balls(p, n, pads)
    bodies += connections + balls
    unit = Package(
        name=name,
        family="spreader_bga",
        bodies=tuple(bodies),
        materials=lib,
        pads=pads_of(pads, "die", PAD_SIZE_M),
        nets=tuple(substrate_nets(pads, conns, ball_nets, bodies, "substrate", lv.t_sub)),
        heat_sources=(HeatSource("die", p.die_power),),
        contacts=_contacts(p),
        features={
            "signal_transfer": p.signal_transfer.value,
            "concave": p.concave,
            "glue": p.glue,
            "adhesive_material": p.attach_material,
            "spreader_material": p.spreader_material,
            "strip_units": 1,
        },
        parameters=p,
        section_hint=("y", wire_section_y(bodies, Role.BALL, 0.5 * p.ball_diameter)),
        markers=markers,
    )
    if p.strip_units > 1:
        return tile_strip(unit, p.strip_units, p.body_size + p.saw_street)
    return unit
