"""Fine-pitch laminate CSP (``csp``) and land grid array (``lga``): the PBGA builder with their own defaults.

Both are the generic laminate BGA (`semipack.families.pbga`) with other defaults, so
every option of ``pbga`` (stack-up, thermal vias, pin maps, power maps, several dies,
spreader) applies.

``csp`` imitates a 6 x 6 mm, 0.5 mm pitch, 121-ball (11 x 11) wire-bond FBGA/CSP with
a 4 x 4 mm die on a 2-layer BT substrate (0.13 mm core), 0.3 mm balls on 0.25 mm lands
and a 0.45 mm mould cap (JEDEC MO-275 / MO-195 fine-pitch BGA outlines; memory and
small-controller CSPs).

``lga`` imitates a 12 x 12 mm, 0.8 mm pitch LGA (3 perimeter rows and a 4 x 4 thermal
centre) with a 6 x 6 mm die on a 4-layer substrate: no balls, the lands are soldered
with printed paste (modelled as 80 um joints, IPC-7093's range for bottom-terminated
components), as RF modules and sensor hubs ship.

References
----------
JEDEC MO-275 (fine-pitch plastic BGA), MO-195 (thin fine-pitch BGA), MO-293 (LGA
outlines); IPC-7093 (design and assembly of bottom-termination components).
"""

from __future__ import annotations

from dataclasses import dataclass

from semipack.families.laminate import CopperLayer, Stackup, ViaArray
from semipack.families.params import Length, Power, param
from semipack.families.pbga import Die, PbgaParams, build_laminate_bga
from semipack.materials import MaterialLibrary
from semipack.model import Package

_CSP_STACK = Stackup(
    copper=(CopperLayer(15e-6, 0.5), CopperLayer(15e-6, 0.6)),
    core_thickness=0.13e-3,
    prepreg_thickness=0.04e-3,
    solder_mask_thickness=20e-6,
)


@dataclass(frozen=True)
class CspDie(Die):
    """A CSP's die: thinner than a PBGA's, so a die given without a thickness fits the thin mould."""

    size_x: Length = param(4e-3, "die edge in x")
    size_y: Length = param(4e-3, "die edge in y")
    thickness: Length = param(0.15e-3, "die thickness")
    power: Power = param(0.5, "uniform power")


@dataclass(frozen=True)
class LgaDie(Die):
    size_x: Length = param(6e-3, "die edge in x")
    size_y: Length = param(6e-3, "die edge in y")
    thickness: Length = param(0.20e-3, "die thickness")
    power: Power = param(1.0, "uniform power")


@dataclass(frozen=True)
class CspParams(PbgaParams):
    body_x: Length = param(6e-3, "package body edge in x")
    body_y: Length = param(6e-3, "package body edge in y")
    stackup: Stackup = param(_CSP_STACK, "substrate stack-up")
    thermal_vias: ViaArray | None = param(ViaArray(None, None, 0.5e-3, 0.15e-3, 15e-6), "thermal vias under the die (null = none)")
    dies: tuple[CspDie, ...] = param((CspDie(),), "dies, side by side on the substrate")
    wire_diameter: Length = param(20e-6, "bond-wire diameter")
    loop_height: Length = param(0.10e-3, "wire loop height above the die")
    finger_offset: Length = param(0.30e-3, "bond-finger ring distance outside the die edge")
    land_thickness: Length = param(15e-6, "copper of bond fingers and ball lands")
    mold_thickness: Length = param(0.45e-3, "mould cap above the substrate")
    ball_pitch: Length = param(0.5e-3, "ball pitch in x")
    thermal_balls: tuple[int, int] = param((0, 0), "centre block of thermal balls (columns, rows); 0 = none")
    ball_diameter: Length = param(0.30e-3, "solder ball diameter before reflow")
    land_diameter: Length = param(0.25e-3, "ball land diameter")


@dataclass(frozen=True)
class LgaParams(PbgaParams):
    body_x: Length = param(12e-3, "package body edge in x")
    body_y: Length = param(12e-3, "package body edge in y")
    thermal_vias: ViaArray | None = param(ViaArray(None, None, 0.8e-3, 0.2e-3, 20e-6), "thermal vias under the die (null = none)")
    dies: tuple[LgaDie, ...] = param((LgaDie(),), "dies, side by side on the substrate")
    mold_thickness: Length = param(0.60e-3, "mould cap above the substrate")
    ball_pitch: Length = param(0.8e-3, "land pitch in x")
    ball_rows: int | None = param(3, "perimeter rows kept (null = full array)")
    thermal_balls: tuple[int, int] = param((4, 4), "centre block of thermal lands (columns, rows); 0 = none")
    ball_diameter: Length = param(0.5e-3, "nominal terminal diameter (sets the site clearance)")
    land_diameter: Length = param(0.40e-3, "land diameter")
    balls: bool = param(False, "solder balls (false: an LGA, bare lands)")


def build_csp(p: CspParams, lib: MaterialLibrary, name: str) -> Package:
    """Build a fine-pitch laminate CSP."""
    return build_laminate_bga(p, lib, name, "csp")


def build_lga(p: LgaParams, lib: MaterialLibrary, name: str) -> Package:
    """Build a land grid array."""
    return build_laminate_bga(p, lib, name, "lga")
