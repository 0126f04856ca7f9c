"""The parameters of the flip-chip BGA (``fcbga``): bumps, lid, capacitors, stack-up, and their defaults.

The defaults and what they imitate are described in `semipack.families.fcbga`; here are the
data, the dimensions the parameters do not set, and the derived outline helpers the
builder and the capacitor checks share.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Annotated

from pydantic import BeforeValidator

from semipack.families.laminate import CopperLayer, Stackup, ViaArray
from semipack.families.params import Length, MaterialRef, Offset, Power, param
from semipack.families.pinmap import PinEntry
from semipack.families.powermap import PowerBlock

MAX_BUMPS = 20_000  # a 0.13 mm pitch array on a 18 x 18 mm die; keeps builds under a few seconds
MAX_CAPACITORS = 200
REFERENCE_DIE = 12e-3  # the die edge `DEFAULT_CAPACITORS` are placed around
DEFAULT_CAP_GAP = 0.1e-3  # a moved default capacitor keeps this beyond CLEARANCE from the fillet
DEFAULT_SIGNALS = 600  # the generated pin-out of a 35 mm, 34 x 34-ball body (a mid-range processor's I/O count)
CLEARANCE = 0.2e-3  # least gap kept between a capacitor and the die, its fillet or the lid foot
BALL_EDGE = 0.25e-3  # JEDEC MS-034: at least 0.25 mm from a ball's edge to the body edge


class Face(Enum):
    """Which face of the substrate a capacitor sits on."""

    TOP = "top"
    BOTTOM = "bottom"


class CapSize(Enum):
    """Chip-capacitor case sizes by EIA inch code (an unquoted YAML 0402 is read back, see `_case_code`)."""

    C0201 = "0201"
    C0402 = "0402"
    C0603 = "0603"
    C0805 = "0805"


# Length x width of each case (EIA-198 / IEC 60384-1 nominal sizes), m.
CAP_DIMENSIONS: dict[CapSize, tuple[float, float]] = {
    CapSize.C0201: (0.6e-3, 0.3e-3),
    CapSize.C0402: (1.0e-3, 0.5e-3),
    CapSize.C0603: (1.6e-3, 0.8e-3),
    CapSize.C0805: (2.0e-3, 1.25e-3),
}
# Each termination band covers a quarter of the length (0.25 mm on an 0402, as maker drawings give).
BAND_FRACTION = 0.25


def _case_code(v: object) -> object:
    """Read a case code that YAML turned into a number back as its four digits.

    YAML 1.1 reads an unquoted ``0402`` as the octal number 258 (and ``402`` is a plain
    402), so a template printed with ``size: 0402`` would not load again. An integer is
    taken as the code whose octal or decimal digits it spells.
    """
    if isinstance(v, int) and not isinstance(v, bool):
        codes = {m.value for m in CapSize}
        for text in (f"{v:o}".zfill(4), str(v).zfill(4)):
            if text in codes:
                return text
    return v


CaseCode = Annotated[CapSize, BeforeValidator(_case_code)]


@dataclass(frozen=True)
class BumpArray:
    """The flip-chip bumps: a full area array on the die at ``pitch``."""

    pitch: Length = param(0.2e-3, "bump pitch (full area array, centred on the die)")
    diameter: Length = param(0.11e-3, "bump diameter (the reflowed sphere)")
    height: Length = param(0.08e-3, "bump height after reflow (die-to-substrate gap)")
    material: MaterialRef = param(MaterialRef("sac305"), "bump alloy")


@dataclass(frozen=True)
class Lid:
    """A one-piece hat-shaped lid: top plate on a foot ring bonded to the substrate."""

    material: MaterialRef = param(MaterialRef("cu_rolled"), "lid material")
    size_x: Length | None = param(None, "lid outline in x (null = the body)")
    size_y: Length | None = param(None, "lid outline in y (null = the body)")
    top_thickness: Length = param(0.8e-3, "top plate thickness")
    foot_width: Length = param(2.5e-3, "width of the wall/foot ring bonded to the substrate")
    adhesive_bond_line: Length = param(50e-6, "lid adhesive between foot and substrate")
    adhesive_material: MaterialRef = param(MaterialRef("thermal_glue"), "lid adhesive")
    tim1_bond_line: Length = param(50e-6, "TIM1 bond line between die back and lid")
    tim1_material: MaterialRef = param(MaterialRef("thermal_glue"), "TIM1 material")


@dataclass(frozen=True)
class Capacitor:
    """A chip capacitor on the substrate, centred at (x, y)."""

    x: Offset = param(0.0, "centre x from the body centre")
    y: Offset = param(9e-3, "centre y from the body centre")
    size: CaseCode = param(CapSize.C0402, "EIA case, inch code (0201, 0402, 0603, 0805)")
    height: Length = param(0.5e-3, "body height")
    face: Face = param(Face.TOP, "top (die side) | bottom (land side, among the balls)")
    rotated: bool = param(False, "long axis along y (false: along x)")
    net_a: str = param("VDD", "net of the -x (or -y) termination")
    net_b: str = param("VSS", "net of the +x (or +y) termination")


# 3 build-up layers + core + 3 build-up layers: signal / plane alternating, core planes.
_COVERAGE = (0.5, 0.8, 0.5, 0.85, 0.85, 0.5, 0.8, 0.5)


@dataclass(frozen=True)
class BuildupStackup(Stackup):
    """The laminate stack-up with an FCBGA's defaults: "3-2-3" build-up on a BT core.

    A subclass only to change the defaults: a design file that gives part of
    ``stackup:`` keeps these for the rest, not the generic laminate's.
    """

    copper: tuple[CopperLayer, ...] = param(
        tuple(CopperLayer(15e-6, c) for c in _COVERAGE), "copper layers, top (die side) first; an even count from 2"
    )
    core_thickness: Length = param(0.8e-3, "core thickness (between the middle copper layers)")
    prepreg_thickness: Length = param(30e-6, "each build-up dielectric layer")
    core_material: MaterialRef = param(MaterialRef("bt_core"), "core dielectric")
    prepreg_material: MaterialRef = param(MaterialRef("abf"), "build-up dielectric (film)")


@dataclass(frozen=True)
class CoreVias(ViaArray):
    """Plated vias under the die with an FCBGA's defaults (the same role as `BuildupStackup`)."""

    pitch: Length = param(0.4e-3, "via pitch")
    drill: Length = param(0.15e-3, "finished hole diameter before plating")
    plating: Length = param(15e-6, "barrel plating thickness")


# Two decoupling capacitors beside each die edge, in the lid cavity; the side pairs
# sit on the default section (y = -0.5 mm) so the drawing shows them.
DEFAULT_CAPACITORS = (
    Capacitor(-3e-3, 9e-3),
    Capacitor(3e-3, 9e-3),
    Capacitor(-3e-3, -9e-3),
    Capacitor(3e-3, -9e-3),
    Capacitor(-9e-3, -0.5e-3),
    Capacitor(9e-3, -0.5e-3),
    Capacitor(-9e-3, 3.5e-3),
    Capacitor(9e-3, 3.5e-3),
)


@dataclass(frozen=True)
class FcbgaParams:
    body_x: Length = param(35e-3, "package body edge in x")
    body_y: Length = param(35e-3, "package body edge in y")
    die_x: Length = param(12e-3, "die edge in x")
    die_y: Length = param(12e-3, "die edge in y")
    die_thickness: Length = param(0.75e-3, "die thickness")
    die_material: MaterialRef = param(MaterialRef("si"), "die material")
    die_power: Power = param(25.0, "uniform die power")
    power_blocks: tuple[PowerBlock, ...] = param((), "extra power in rectangles (die frame, origin at its centre)")
    power_grid_w: tuple[tuple[float, ...], ...] = param((), "power per cell in W, rows from +y (or a CSV file)")
    bumps: BumpArray = param(BumpArray(), "flip-chip bump array")
    underfill_material: MaterialRef | None = param(MaterialRef("underfill"), "underfill (null = none)")
    underfill_fillet: Length = param(0.5e-3, "underfill fillet beyond the die edge")
    stackup: BuildupStackup = param(BuildupStackup(), "build-up substrate stack-up (core in the middle)")
    thermal_vias: CoreVias | None = param(CoreVias(), "plated vias under the die, smeared (null = none)")
    lid: Lid | None = param(Lid(), "lid (null = bare die)")
    capacitors: tuple[Capacitor, ...] | None = param(
        None, "chip capacitors on the substrate (null = eight 0402s beside the die, placed in proportion to it)"
    )
    land_thickness: Length = param(15e-6, "copper of ball and capacitor lands")
    ball_pitch: Length = param(1.0e-3, "ball pitch")
    ball_diameter: Length = param(0.60e-3, "solder ball diameter")
    land_diameter: Length = param(0.50e-3, "ball land diameter")
    ball_material: MaterialRef = param(MaterialRef("sac305"), "ball alloy")
    ball_count_x: int | None = param(None, "columns of the generated array (null = as many as fit)")
    ball_count_y: int | None = param(None, "rows of the generated array (null = as many as fit)")
    ball_rows: int | None = param(None, "perimeter rows kept (null = full array)")
    depopulate: tuple[str, ...] = param((), "site names left out of the generated array (A1, K10, ...)")
    signals: int | None = param(
        None,
        "signal balls of the generated pin-out, the rest VDD/VSS (null = 600, fewer where fewer balls or bumps fit)",
    )
    pin_map: tuple[PinEntry, ...] = param((), "ball table (or a CSV/YAML file); replaces the generated array")


@dataclass(frozen=True)
class Levels:
    """Heights of the stack, m (substrate bottom at z = 0)."""

    sub_top: float
    die_bottom: float
    die_top: float
    lid_underside: float  # = die_top when there is no lid
    lid_top: float
    foot_bottom: float


@dataclass(frozen=True)
class BumpSite:
    name: str
    row: int
    col: int
    x: float
    y: float
    ring: int


def keepout(p: FcbgaParams) -> tuple[float, float]:
    """Half sizes of what the die occupies on the substrate: the die and its underfill fillet."""
    extra = p.underfill_fillet if p.underfill_material is not None else 0.0
    return p.die_x / 2 + extra, p.die_y / 2 + extra


def lid_outline(p: FcbgaParams, lid: Lid) -> tuple[float, float]:
    """The lid's outer size (x, y)."""
    return (
        lid.size_x if lid.size_x is not None else p.body_x,
        lid.size_y if lid.size_y is not None else p.body_y,
    )
