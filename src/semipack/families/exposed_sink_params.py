"""The parameters of the exposed-heat-sink package (seed 003) and the tables its builder reads.

Carriers (claims 4-8), attachments of the sink (claims 1/11, 10, 12) with the layers each
puts between chip and sink (`MOUNTS`), the dimensions the parameters do not set, and the
reference numerals with the callouts of the parts shared with the generic families.
The package and its defaults are described in `semipack.families.exposed_sink`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from semipack.families.params import Count, Length, MaterialRef, Power, param
from semipack.families.parts import Callout
from semipack.model import Role


class Carrier(Enum):
    """Claims 4-6 (substrate; wires or solder bumps) and 7-8 (QFN lead frame)."""

    SUBSTRATE_WIRE_BOND = "substrate_wire_bond"
    SUBSTRATE_FLIP_CHIP = "substrate_flip_chip"
    QFN_LEAD_FRAME = "qfn_lead_frame"


class Attachment(Enum):
    """How the sink's first surface meets the chip: claim 1/11, claim 10, claim 12."""

    DIRECT = "direct"
    CONNECTING_PORTION = "connecting_portion"
    BUFFER_PAD = "buffer_pad"


@dataclass(frozen=True)
class ExposedSinkParams:
    carrier: Carrier = param(Carrier.SUBSTRATE_WIRE_BOND, "substrate_wire_bond | substrate_flip_chip | qfn_lead_frame")
    attachment: Attachment = param(Attachment.CONNECTING_PORTION, "direct | connecting_portion | buffer_pad")
    body_size: Length = param(12e-3, "package edge = carrier edge = sink edge (square)")
    die_size: Length = param(6e-3, "chip edge (square)")
    die_thickness: Length = param(0.30e-3, "chip thickness")
    die_material: MaterialRef = param(MaterialRef("si"), "chip material")
    die_power: Power = param(2.0, "chip power")
    attach_thickness: Length = param(25e-6, "die attach bond line")
    attach_material: MaterialRef = param(MaterialRef("silver_epoxy"), "die attach")
    substrate_thickness: Length = param(0.36e-3, "BGA substrate thickness")
    substrate_material: MaterialRef = param(MaterialRef("bt_laminate"), "BGA substrate laminate")
    pads_per_side: Count = param(16, "chip bond pads per side (wire bond)")
    wire_diameter: Length = param(25e-6, "bond-wire diameter")
    wire_material: MaterialRef = param(MaterialRef("au"), "bond-wire material")
    loop_height: Length = param(0.15e-3, "wire loop height")
    finger_offset: Length = param(0.8e-3, "bond finger ring distance outside the chip")
    bump_pitch: Length = param(0.40e-3, "flip-chip bump pitch (area array)")
    bump_diameter: Length = param(0.12e-3, "flip-chip bump diameter")
    bump_material: MaterialRef = param(MaterialRef("sac305"), "flip-chip bump alloy")
    underfill_material: MaterialRef = param(MaterialRef("underfill"), "flip-chip underfill")
    land_thickness: Length = param(20e-6, "copper land thickness")
    ball_pitch: Length = param(0.8e-3, "ball pitch")
    ball_diameter: Length = param(0.40e-3, "ball diameter")
    land_diameter: Length = param(0.30e-3, "ball land diameter")
    ball_material: MaterialRef = param(MaterialRef("sac305"), "ball alloy")
    ball_rows: Count = param(3, "perimeter ball rows")
    thermal_balls: int = param(4, "centre thermal-ball block edge (0 = none)")
    lead_pitch: Length = param(0.5e-3, "QFN lead pitch")
    lead_width: Length = param(0.25e-3, "QFN lead width")
    lead_length: Length = param(0.40e-3, "QFN lead length")
    lead_frame_thickness: Length = param(0.20e-3, "QFN lead-frame thickness")
    lead_frame_material: MaterialRef = param(MaterialRef("c194"), "QFN lead-frame alloy")
    paddle_margin: Length = param(0.25e-3, "QFN die paddle overhang beyond the chip")
    adhesive_thickness: Length = param(30e-6, "thermally conductive adhesive between chip/pad/portion and sink")
    adhesive_material: MaterialRef = param(MaterialRef("silver_epoxy"), "thermally conductive adhesive (claims 11, 20)")
    portion_height: Length = param(0.30e-3, "connecting portion height below the first surface")
    portion_inset: Length = param(0.50e-3, "connecting portion inset from the chip edge (clears the bond pads)")
    buffer_thickness: Length = param(0.30e-3, "buffer pad thickness")
    buffer_material: MaterialRef = param(MaterialRef("si"), "buffer pad material (CTE close to the chip's)")
    sink_thickness: Length = param(0.30e-3, "heat sink thickness")
    sink_material: MaterialRef = param(MaterialRef("cu_rolled"), "heat sink material")
    interface_material: MaterialRef | None = param(
        MaterialRef("au"), "interface layer on the second surface (null = none)"
    )
    interface_thickness: Length = param(1e-6, "interface layer thickness")
    first_surface_roughened: bool = param(False, "first surface roughened, corrugated or uneven (claim 9)")
    encapsulant_material: MaterialRef = param(MaterialRef("mold_compound"), "mould compound")


# --- Dimensions the parameters do not set (defaults of this model) ---------------------------------
MIN_BODY_MARGIN_M = 1e-3  # the chip at least 1 mm smaller than the body: mould round it
MIN_SPACER_M = 0.5e-3  # a connecting portion or buffer pad at least 0.5 mm wide
LOOP_CLEARANCE_M = 50e-6  # the first surface clears the wire loops by 50 um
BUMP_COLLAPSE = 0.8  # flip-chip stand-off / bump diameter after reflow (a collapsed C4 bump)
BUMP_PAD_RATIO = 0.8  # chip pad and substrate bump land edge / bump diameter
BUMP_BULGE = 1.01  # the bump sphere 1 % larger than half the stand-off, so it meets both faces
PAD_INSET_M = 0.12e-3  # wire-bond pad row inset from the chip edge
PAD_CORNER_KEEPOUT_M = 0.4e-3  # no pad within 0.4 mm of a chip corner
PAD_SIZE_M = 80e-6  # wire-bond pad edge
MIN_PAD_PITCH_WIRES = 2.5  # pad pitch at least 2.5 wire diameters (the capillary's room)
LEAD_CORNER_KEEPOUT_M = 0.35e-3  # QFN leads start 0.35 mm from the body corner
LEAD_PADDLE_GAP_M = 0.2e-3  # at least 0.2 mm between the leads' inner ends and the paddle
STITCH_INSET_M = 0.1e-3  # the wire's stitch 0.1 mm from the lead's inner end
MARKER_AT = 0.75  # surface markers at three quarters of the half body


class Numeral:
    """Reference numerals: the seed's FIG. 1 style, semipack's own where its text gives none."""

    SUBSTRATE = 11
    PADDLE = 12
    LEAD = 13
    CHIP = 20
    DIE_ATTACH = 21
    BUMP = 22
    FINGER = 23
    WIRE = 24
    UNDERFILL = 25
    ADHESIVE = 26
    SINK = 30
    FIRST_SURFACE = 31
    SECOND_SURFACE = 32
    SIDE_SURFACE = 33
    CONNECTING_PORTION = 34
    BUFFER_PAD = 36
    INTERFACE = 40
    ENCAPSULANT = 50
    BALL = 60
    BALL_LAND = 61


# The parts shared with `pbga`, `qfn` and `fcbga` (families/parts.py) under the seed's numerals and words.
SUBSTRATE = Callout(Numeral.SUBSTRATE, "chip carrier (substrate)")
PADDLE = Callout(Numeral.PADDLE, "die paddle (exposed pad)")
LEAD = Callout(Numeral.LEAD, "lead")
CHIP = Callout(Numeral.CHIP, "chip")
DIE_ATTACH = Callout(Numeral.DIE_ATTACH, "die attach")
BUMP = Callout(Numeral.BUMP, "solder bump")
WIRE = Callout(Numeral.WIRE, "bonding wire")
SINK = Callout(Numeral.SINK, "heat sink")
INTERFACE = Callout(Numeral.INTERFACE, "interface layer")
ENCAPSULANT = Callout(Numeral.ENCAPSULANT, "encapsulant (molding compound)")


@dataclass(frozen=True)
class CarrierKind:
    """What a carrier is made of and how the chip is connected to it."""

    lead_frame: bool  # a QFN lead frame (else a BGA substrate)
    flip_chip: bool  # solder bumps (else bonding wires)


CARRIERS: dict[Carrier, CarrierKind] = {
    Carrier.SUBSTRATE_WIRE_BOND: CarrierKind(lead_frame=False, flip_chip=False),
    Carrier.SUBSTRATE_FLIP_CHIP: CarrierKind(lead_frame=False, flip_chip=True),
    Carrier.QFN_LEAD_FRAME: CarrierKind(lead_frame=True, flip_chip=False),
}


@dataclass(frozen=True)
class Layer:
    """One layer between the chip and the sink: its body, and the parameters of its material and thickness."""

    name: str
    role: Role
    material: str  # field of ExposedSinkParams
    thickness: str  # field of ExposedSinkParams
    numeral: int
    label: str


def _glue(name: str) -> Layer:
    return Layer(
        name,
        Role.THERMAL_GLUE,
        "adhesive_material",
        "adhesive_thickness",
        Numeral.ADHESIVE,
        "thermally conductive adhesive",
    )


@dataclass(frozen=True)
class Mount:
    """How the sink's first surface meets the chip (claim 1/11, claim 10, claim 12).

    Attributes
    ----------
    layers
        From the chip up to the sink's first surface.
    spacer
        What the layers are narrowed to (``die_size - 2 portion_inset``), for messages;
        None keeps them chip-sized.
    lift
        Index of the layer whose top must clear the wire loops, and what to say when it does not.
    """

    layers: tuple[Layer, ...]
    spacer: str | None = None
    lift: tuple[int, str] | None = None


MOUNTS: dict[Attachment, Mount] = {
    Attachment.DIRECT: Mount((_glue("sink_adhesive"),)),
    Attachment.CONNECTING_PORTION: Mount(
        (
            _glue("sink_adhesive"),
            Layer(
                "connecting_portion",
                Role.HEAT_SINK,
                "sink_material",
                "portion_height",
                Numeral.CONNECTING_PORTION,
                "connecting portion",
            ),
        ),
        "connecting portion",
        (1, "the first surface must clear the wire loops by 50 um"),
    ),
    Attachment.BUFFER_PAD: Mount(
        (
            _glue("pad_adhesive"),
            Layer(
                "buffer_pad", Role.BUFFER_PAD, "buffer_material", "buffer_thickness", Numeral.BUFFER_PAD, "buffer pad"
            ),
            _glue("sink_adhesive"),
        ),
        "buffer pad",
        (1, "the buffer pad must lift the sink clear of the wire loops"),
    ),
}

MATERIAL_FIELDS = (
    "die_material",
    "attach_material",
    "substrate_material",
    "wire_material",
    "bump_material",
    "underfill_material",
    "ball_material",
    "lead_frame_material",
    "adhesive_material",
    "buffer_material",
    "sink_material",
    "encapsulant_material",
)
