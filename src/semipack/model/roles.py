"""What each body is for: closed sets of roles and net kinds."""

from __future__ import annotations

from enum import Enum


class Role(Enum):
    """The part a body plays in the package. Names follow the seeds' wording."""

    DIE = "die"
    DIE_ATTACH = "die_attach"
    SUBSTRATE = "substrate"
    SEALANT = "sealant"
    ENCAPSULANT = "encapsulant"
    HEAT_SPREADER = "heat_spreader"
    HEAT_SINK = "heat_sink"
    THERMAL_GLUE = "thermal_glue"
    INTERFACE_LAYER = "interface_layer"
    BUFFER_PAD = "buffer_pad"
    BALL = "ball"
    BUMP = "bump"
    PIN = "pin"
    TERMINAL_BUMP = "terminal_bump"
    LEAD = "lead"
    DIE_PADDLE = "die_paddle"
    WIRE = "wire"
    TAPE = "tape"
    TRACE = "trace"
    LAND = "land"
    VIA = "via"
    COLUMN = "column"
    PLANE = "plane"
    DIELECTRIC = "dielectric"
    PASSIVATION = "passivation"
    FILLING = "filling"
    METAL_SUBSTRATE = "metal_substrate"
    CARRIER = "carrier"
    FLEX = "flex"
    FLEX_CONDUCTOR = "flex_conductor"
    GLASS = "glass"
    ADHESIVE = "adhesive"
    PASSIVE = "passive"
    LAYER = "layer"


# Bodies that fill whatever their envelope leaves free (mould, dielectrics, underfill):
# other bodies may sit inside them, as in Icepak's priority rule.
FILLER_ROLES = frozenset({Role.SEALANT, Role.ENCAPSULANT, Role.DIELECTRIC, Role.PASSIVATION, Role.FILLING})

# Tag of the layers (and via fields) of a bought laminate substrate: the process makes
# them with the substrate, not as build-up levels.
LAMINATE_LAYER = "laminate_layer"

# Tag of an image sensor die (seed 001): the die the flow bonds first, under the window.
IMAGE_SENSOR = "image_sensor"

# Bodies that connect the package to the board.
TERMINAL_ROLES = frozenset({Role.BALL, Role.PIN, Role.LEAD, Role.TERMINAL_BUMP})

# Bodies that carry current along a net.
CONDUCTOR_ROLES = frozenset(
    {
        Role.BALL,
        Role.BUMP,
        Role.PIN,
        Role.TERMINAL_BUMP,
        Role.LEAD,
        Role.WIRE,
        Role.TAPE,
        Role.TRACE,
        Role.LAND,
        Role.VIA,
        Role.COLUMN,
        Role.PLANE,
        Role.FLEX_CONDUCTOR,
        Role.PASSIVE,
    }
)


class NetKind(Enum):
    """Electrical function of a net."""

    SIGNAL = "signal"
    POWER = "power"
    GROUND = "ground"
    PASSIVE = "passive"
