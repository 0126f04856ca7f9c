"""The parameters of the generic QFN and DFN (JEDEC MO-220 / MO-229 symbols), their design rules and numerals.

The packages and their defaults are described in `semipack.families.qfn`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Annotated

import annotated_types as at

from semipack.families.params import Length, MaterialRef, Power, param
from semipack.families.parts import Callout
from semipack.families.pinmap import PinEntry, PinRole
from semipack.families.powermap import PowerBlock
from semipack.units import Dimension

# Non-negative length (pull-back may be zero) and non-negative count (a DFN has no x rows).
Clearance = Annotated[float, Dimension.LENGTH, at.Ge(0.0)]
LeadCount = Annotated[int, at.Ge(0)]

# Design rules, each with its reason.
PAD_LEAD_GAP = 0.20e-3  # MO-220 K (exposed pad to lead) minimum: the board's solder must not bridge
LEAD_SPACE = 0.10e-3  # least copper space between leads a half-etched frame holds
DIE_MARGIN = 0.10e-3  # die-attach fillet on the paddle around the die
MOULD_EDGE = 0.10e-3  # mould kept between the paddle and the sawn edge
DOWN_BOND_SPACE = 0.20e-3  # paddle ring outside the die a down-bond stitch needs
WIRE_COVER = 50e-6  # mould over the highest wire loop (thinner cracks in reliability tests)
PAD_INSET = 60e-6  # die pad centre inside the die edge
PAD_SIZE = 60e-6  # die pad opening
CORNER_KEEPOUT = 0.15e-3  # die pads stay this far from a die corner
STITCH_INSET = 0.10e-3  # stitch bond this far from the lead's inner end (at most half the lead)

EP = "EP"


class Numeral:
    """semipack's reference numerals of the generic QFN/DFN (200 series), in the drawing legend."""

    LEAD = 210
    PADDLE = 212
    DIE_ATTACH = 214
    DIE = 216
    WIRE = 218
    DOWN_BOND = 220
    PLATING = 222
    MOULD = 230


# What each part is called in the drawing (families/parts.py builds them).
LEAD = Callout(Numeral.LEAD, "lead")
PADDLE = Callout(Numeral.PADDLE, "die paddle")
EXPOSED_PAD = Callout(Numeral.PADDLE, "exposed die pad")
DIE_ATTACH = Callout(Numeral.DIE_ATTACH, "die attach")
DIE = Callout(Numeral.DIE, "die")
WIRE = Callout(Numeral.WIRE, "bonding wire")
DOWN_BOND = Callout(Numeral.DOWN_BOND, "down-bond wire")
MOULD = Callout(Numeral.MOULD, "mould compound")


class Side(Enum):
    """A body side in pin order (counter-clockwise from the left, seen from the top)."""

    LEFT = "left"
    BOTTOM = "bottom"
    RIGHT = "right"
    TOP = "top"


# Outward normal of each side.
_NORMAL = {Side.LEFT: (-1, 0), Side.BOTTOM: (0, -1), Side.RIGHT: (1, 0), Side.TOP: (0, 1)}


@dataclass(frozen=True)
class QfnParams:
    """Parameters of the generic QFN (MO-220 symbols in brackets)."""

    body_x: Length = param(5.0e-3, "body size in x [D]")
    body_y: Length = param(5.0e-3, "body size in y [E]")
    body_height: Length = param(0.85e-3, "total height, seating plane to mould top [A]")
    lead_frame_thickness: Length = param(0.203e-3, "lead-frame thickness [A3]")
    lead_frame_material: MaterialRef = param(MaterialRef("c194"), "lead-frame alloy")
    lead_pitch: Length = param(0.5e-3, "lead pitch [e]")
    leads_per_side_x: LeadCount = param(8, "leads on the bottom and top sides each (a row along x)")
    leads_per_side_y: LeadCount = param(8, "leads on the left and right sides each (a row along y)")
    lead_width: Length = param(0.25e-3, "lead width [b]")
    lead_length: Length = param(0.40e-3, "exposed lead length [L]")
    pull_back: Clearance = param(0.0, "lead end set back from the sawn body edge (0 = flush)")
    exposed_pad: bool = param(True, "paddle exposed on the bottom (false: half-etched, moulded under)")
    pad_x: Length = param(3.5e-3, "die paddle / exposed pad size in x [D2]")
    pad_y: Length = param(3.5e-3, "die paddle / exposed pad size in y [E2]")
    die_x: Length = param(2.5e-3, "die size in x")
    die_y: Length = param(2.5e-3, "die size in y")
    die_thickness: Length = param(0.20e-3, "die thickness")
    die_material: MaterialRef = param(MaterialRef("si"), "die material")
    die_power: Power = param(0.5, "uniform die power")
    power_blocks: tuple[PowerBlock, ...] = param((), "extra power in die rectangles (die frame, origin at its centre)")
    power_grid_w: tuple[tuple[float, ...], ...] = param((), "extra power per grid cell in W, rows from +y (or a CSV)")
    attach_thickness: Length = param(25e-6, "die-attach bond line")
    attach_material: MaterialRef = param(MaterialRef("silver_epoxy"), "die attach")
    wire_diameter: Length = param(25e-6, "bond-wire diameter")
    wire_material: MaterialRef = param(MaterialRef("au"), "bond-wire material")
    loop_height: Length = param(0.12e-3, "wire loop height above the die")
    down_bonds: bool = param(False, "down-bond every die pad on the exposed pad's net to the paddle")
    plating_material: MaterialRef | None = param(None, "spot plating on the leads' bond areas (null = none)")
    plating_thickness: Length = param(3e-6, "spot-plating thickness")
    mould_material: MaterialRef = param(MaterialRef("mold_compound"), "mould compound")
    pin_map: tuple[PinEntry, ...] = param((), "nets by pin name '1'..'N' and 'EP' (empty: default pin-out; or a CSV)")


@dataclass(frozen=True)
class DfnParams(QfnParams):
    """The dual variant: leads on the left and right sides only; defaults a 3 x 3 mm DFN-8."""

    body_x: Length = param(3.0e-3, "body size in x [D]")
    body_y: Length = param(3.0e-3, "body size in y [E]")
    body_height: Length = param(0.75e-3, "total height, seating plane to mould top [A]")
    lead_frame_thickness: Length = param(0.20e-3, "lead-frame thickness [A3]")
    leads_per_side_x: LeadCount = param(0, "must be 0: a DFN has leads on the left and right sides only")
    leads_per_side_y: LeadCount = param(4, "leads on the left and right sides each (a row along y)")
    pad_x: Length = param(1.65e-3, "die paddle / exposed pad size in x, across the rows [D2]")
    pad_y: Length = param(2.38e-3, "die paddle / exposed pad size in y, along the rows [E2]")
    die_x: Length = param(1.2e-3, "die size in x")
    die_y: Length = param(1.6e-3, "die size in y")


@dataclass(frozen=True)
class LeadSite:
    """One lead: pin number, side, centre and size (package frame, top view)."""

    pin: int
    side: Side
    x: float
    y: float
    size_x: float
    size_y: float

    @property
    def name(self) -> str:
        return str(self.pin)

    @property
    def along(self) -> float:
        """The lead's coordinate along its side."""
        return self.y if self.side in (Side.LEFT, Side.RIGHT) else self.x

    def inner_point(self, inset: float) -> tuple[float, float]:
        """The point ``inset`` outward from the lead's inner (paddle-side) end."""
        nx, ny = _NORMAL[self.side]
        half_len = (self.size_x if nx else self.size_y) / 2
        return self.x - nx * (half_len - inset), self.y - ny * (half_len - inset)


@dataclass(frozen=True)
class Pin:
    """A terminal's assignment: net (None: not connected) and role."""

    net: str | None
    role: PinRole


@dataclass(frozen=True)
class DiePad:
    """A bond pad on the die edge facing its lead."""

    pin: int
    x: float
    y: float

    @property
    def name(self) -> str:
        return f"die.pad{self.pin}"


@dataclass(frozen=True)
class Levels:
    """Heights of the stack (m): paddle bottom, frame top, die bottom and top, wire top."""

    paddle_z0: float
    frame_top: float
    die_z0: float
    die_z1: float
    wire_top: float
