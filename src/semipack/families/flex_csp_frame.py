"""Seed 001 (folded-flex image-sensor CSP): the frame every part of the builder reads.

The model's own dimensions, the numerals, the memory dies and the stackings of FIG. 1 to
FIG. 7, the derived frame of one design (`Frame`), the parts a builder step returns
(`Parts`) and the design checks.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import IntEnum

from semipack.families.common import require, require_materials
from semipack.families.flex_csp_params import Embodiment, FlexCspParams
from semipack.materials import MaterialLibrary
from semipack.model import (
    Body,
    HeatSource,
    Marker,
    Pad,
)
from semipack.units import mm

# --- Dimensions the parameters do not set (defaults of this model unless a figure is named) ---
PAD_RING_M = 0.3e-3  # die margin around the window that holds the bond pads (default)
MAX_PROTRUSION = 0.1  # overhang past the die below 10 % of its size: "nearly die size" (seed 001)
PAD_END_MARGIN_M = 0.35e-3  # first and last bond pad of a row this far from the die corner (default)
PAD_INSET_M = 0.15e-3  # bond-pad row inset from the die edge (default)
PILLAR_RING_M = 0.3e-3  # FIG. 6: the first memory's margin around the third die, for its pillars (default)
PILLAR_INSET_M = 0.12e-3  # FIG. 6: the first memory's pillars, nearer its edge, clear the third die (default)
THIRD_MEMORY_PADS_PER_SIDE = 3  # FIG. 6's small third memory die (default)
WINDOW_CLEARANCE_M = 0.1e-3  # the encapsulant stops this short of the window (default)
BUMP_HOLE_RATIO = 1.2  # film opening over a bump / bump diameter (default)
BALL_HOLE_RATIO = 1.1  # film hole over a ball land / land diameter (default)
WINDOW_BELOW_M = 1e-3  # the window cut-out reaches this far below the sensor's top ...
WINDOW_TOP_M = 1e-2  # ... and up to this height: through every L0 sheet whatever the stack
CUT_OVERSHOOT_M = 1e-6  # cut-outs run past the faces they open, so the boolean is clean
HOLE_OVERSHOOT_M = 1e-9  # the same for the film holes
THICKNESS_TOL_M = 1e-12  # round-off allowed when comparing the ground and the original die thickness


class Numeral(IntEnum):
    """The seed's reference numerals less the figure's hundreds (110 in FIG. 1 is 210 in FIG. 2)."""

    SENSOR = 10
    PHOTO_SURFACE = 11
    BUMP = 13
    NON_PHOTO_SURFACE = 14
    SENSOR_SIDE = 15
    WINDOW = 21
    FILM = 22
    CONDUCTOR = 23
    ADHESIVE = 24
    HOLES = 25
    CURVED_PORTION = 26
    SUBSTRATE_SIDE = 27
    GLASS = 30
    GLASS_ADHESIVE = 31
    GLASS_SIDE_FAR = 32
    GLASS_SIDE_BEND = 33
    ENCAPSULANT = 40
    BALLS = 50
    FIRST_MEMORY = 60
    SECOND_MEMORY = 70
    THIRD_MEMORY = 80


@dataclass(frozen=True)
class Memory:
    """A memory die: body name, numeral, and the suffix of its bumps' numeral (n13, n13a, n13b)."""

    name: str
    numeral: Numeral
    bump_suffix: str
    third: bool = False  # sized by third_memory_x/y, with THIRD_MEMORY_PADS_PER_SIDE pads


FIRST = Memory("first_memory", Numeral.FIRST_MEMORY, "a")
SECOND = Memory("second_memory", Numeral.SECOND_MEMORY, "")
THIRD = Memory("third_memory", Numeral.THIRD_MEMORY, "b", third=True)


@dataclass(frozen=True)
class Stacking:
    """One figure's stack of dies on the folded flex.

    Attributes
    ----------
    figure
        The seed's figure: the hundreds digit of its reference numerals.
    under_sensor
        Die glued under the sensor, face down, bumped to segment L1 (FIG. 4 to 7).
    between
        Die between segments L1 and L2; None leaves one bend (FIG. 1, 7).
    face_up
        ``between`` faces up, bumped into L1 and glued to L2 (FIG. 2, 4); else it is glued
        under L1 and bumped down to L2 (FIG. 3, 5, 6).
    third
        Die glued under ``between``, bumped to L2; ``between`` reaches L2 on pillars (FIG. 6).
    back_ground
        The sensor is back-ground to ``ground_thickness`` (FIG. 7).
    """

    figure: int
    under_sensor: Memory | None = None
    between: Memory | None = None
    face_up: bool = False
    third: Memory | None = None
    back_ground: bool = False

    @property
    def memories(self) -> int:
        return sum(m is not None for m in (self.under_sensor, self.between, self.third))

    @property
    def bends(self) -> int:
        return 2 if self.between is not None else 1


STACKINGS: dict[Embodiment, Stacking] = {
    Embodiment.FIG1: Stacking(1),
    Embodiment.FIG2: Stacking(2, between=FIRST, face_up=True),
    Embodiment.FIG3: Stacking(3, between=FIRST),
    Embodiment.FIG4: Stacking(4, under_sensor=SECOND, between=FIRST, face_up=True),
    Embodiment.FIG5: Stacking(5, under_sensor=SECOND, between=FIRST),
    Embodiment.FIG6: Stacking(6, under_sensor=SECOND, between=FIRST, third=THIRD),
    Embodiment.FIG7: Stacking(7, under_sensor=FIRST, back_ground=True),
}

# Bend k joins segments k-1 and k: around the sensor's side 115 (-x), then side 216 (+x, FIG. 2).
BEND_SIDE = {1: -1, 2: +1}
BEND_SUFFIX = {1: "", 2: "a"}


@dataclass(frozen=True)
class Frame:
    """The parameters with what every part derives from them."""

    p: FlexCspParams
    st: Stacking
    hundreds: int  # the figure's numerals start here
    tpi: float  # each film
    tcu: float  # the copper
    flex_t: float  # the three sheets
    sensor_t: float
    hx: float
    hy: float
    fy: float  # half width of flex and glass
    x_left: float  # the bend side (curved portion 126)
    x_right: float  # the side opposite, protruding by edge_protrusion

    def num(self, n: Numeral) -> int:
        return self.hundreds + n

    def tag(self, n: Numeral, suffix: str = "") -> str:
        return f"{self.hundreds + n}{suffix}"

    def memory_size(self, m: Memory) -> tuple[float, float, int]:
        p = self.p
        if m.third:
            return p.third_memory_x, p.third_memory_y, THIRD_MEMORY_PADS_PER_SIDE
        return p.memory_x, p.memory_y, p.memory_pads_per_side


def frame_of(p: FlexCspParams) -> Frame:
    st = STACKINGS[p.embodiment]
    tpi, tcu = p.film_thickness, p.conductor_thickness
    hx, hy = p.die_x / 2, p.die_y / 2
    return Frame(
        p,
        st,
        st.figure * 100,
        tpi,
        tcu,
        2 * tpi + tcu,
        p.ground_thickness if st.back_ground else p.die_thickness,
        hx,
        hy,
        hy + p.edge_protrusion,
        -hx,
        hx + p.edge_protrusion,
    )


@dataclass(frozen=True)
class Bump:
    """A bump or pillar from a die pad onto a flex segment, from below or from above it."""

    pad: str
    body: str
    segment: int
    net: str
    xy: tuple[float, float]
    from_below: bool


@dataclass(frozen=True)
class Parts:
    """A piece of the package; pieces add up field by field, in order."""

    bodies: tuple[Body, ...] = ()
    pads: tuple[Pad, ...] = ()
    heat: tuple[HeatSource, ...] = ()
    contacts: tuple[tuple[str, str], ...] = ()
    markers: tuple[Marker, ...] = ()
    bumps: tuple[Bump, ...] = ()

    def __add__(self, o: Parts) -> Parts:
        return Parts(
            self.bodies + o.bodies,
            self.pads + o.pads,
            self.heat + o.heat,
            self.contacts + o.contacts,
            self.markers + o.markers,
            self.bumps + o.bumps,
        )

    def lifted(self, dz: float) -> Parts:
        """Everything moved up by ``dz``."""
        bodies = tuple(replace(b, solid=b.solid.translated((0.0, 0.0, dz))) for b in self.bodies)
        markers = tuple(Marker(m.numeral, m.label, (m.point[0], m.point[1], m.point[2] + dz)) for m in self.markers)
        return replace(self, bodies=bodies, markers=markers)


def check_design(f: Frame, lib: MaterialLibrary) -> None:
    """The checks that need no geometry, in the order they are reported."""
    p = f.p
    require_materials(lib, p)
    require(
        p.window_x < p.die_x - 2 * PAD_RING_M and p.window_y < p.die_y - 2 * PAD_RING_M,
        "window_x",
        mm(p.window_x),
        "the window must leave 0.3 mm of die around it for the bond pads",
    )
    require(
        p.edge_protrusion < MAX_PROTRUSION * min(p.die_x, p.die_y),
        "edge_protrusion",
        mm(p.edge_protrusion),
        "must stay below 10 % of the die size (package nearly die size)",
    )
    if f.st.memories:
        require(
            p.memory_x <= p.die_x and p.memory_y <= p.die_y,
            "memory_x",
            mm(p.memory_x),
            "memory dies must fit under the sensor",
        )
    require(
        f.sensor_t < p.die_thickness + THICKNESS_TOL_M,
        "ground_thickness",
        mm(p.ground_thickness),
        "back-grinding can only thin the die",
    )
    if f.st.third is not None:
        require(
            p.memory_x - 2 * PILLAR_RING_M > p.third_memory_x and p.memory_y - 2 * PILLAR_RING_M > p.third_memory_y,
            "third_memory_x",
            mm(p.third_memory_x),
            "the third memory must leave room for the first memory's pillars around it",
        )
