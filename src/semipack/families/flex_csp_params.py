"""Parameters of the folded-flex image-sensor CSP (seed 001) and its ball map.

Split from `semipack.families.flex_csp` (the builder) so each module holds one concept.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from semipack.families.common import row_name
from semipack.families.params import Count, Length, MaterialRef, Power, param


class Embodiment(Enum):
    FIG1 = "fig1"
    FIG2 = "fig2"
    FIG3 = "fig3"
    FIG4 = "fig4"
    FIG5 = "fig5"
    FIG6 = "fig6"
    FIG7 = "fig7"


class SensorType(Enum):
    CMOS = "cmos"
    CCD = "ccd"


@dataclass(frozen=True)
class FlexCspParams:
    embodiment: Embodiment = param(Embodiment.FIG1, "fig1 .. fig7: which figure's stacking")
    sensor_type: SensorType = param(SensorType.CMOS, "cmos | ccd")
    die_x: Length = param(5.0e-3, "image sensor die length (bend side along y)")
    die_y: Length = param(4.0e-3, "image sensor die width")
    die_thickness: Length = param(0.30e-3, "sensor thickness (FIG. 7 back-grinds it to ground_thickness)")
    ground_thickness: Length = param(0.15e-3, "sensor thickness after back-grinding (FIG. 7)")
    die_power: Power = param(0.15, "sensor power")
    window_x: Length = param(3.6e-3, "window (photo-sensing area) length")
    window_y: Length = param(2.6e-3, "window width")
    sensor_pads_per_side: Count = param(6, "sensor bond pads per side")
    memory_x: Length = param(4.6e-3, "memory die length")
    memory_y: Length = param(3.6e-3, "memory die width")
    memory_thickness: Length = param(0.10e-3, "memory die thickness")
    memory_power: Power = param(0.05, "power per memory die")
    third_memory_x: Length = param(3.0e-3, "third memory die length (FIG. 6)")
    third_memory_y: Length = param(2.4e-3, "third memory die width (FIG. 6)")
    memory_pads_per_side: Count = param(4, "memory bond pads per side")
    bump_diameter: Length = param(60e-6, "conductive (stud) bump diameter")
    bump_standoff: Length = param(40e-6, "gap between die face and flex")
    bump_material: MaterialRef = param(MaterialRef("au_stud"), "bump material (Au, Ag or Sn/Pb)")
    encapsulant_material: MaterialRef = param(MaterialRef("underfill"), "encapsulant: underfill, glob top, coating")
    film_thickness: Length = param(25e-6, "polyimide base and cover film thickness (each)")
    film_material: MaterialRef = param(MaterialRef("polyimide_film"), "insulative layer material")
    conductor_thickness: Length = param(12e-6, "conductive pattern (copper) thickness")
    conductor_material: MaterialRef = param(MaterialRef("cu_rolled"), "conductive pattern material")
    adhesive_thickness: Length = param(25e-6, "adhesives 124, 131, 224a ...")
    adhesive_material: MaterialRef = param(MaterialRef("epoxy"), "adhesive material")
    edge_protrusion: Length = param(0.10e-3, "flex and glass overhang past the die on the side opposite the bend")
    glass_thickness: Length = param(0.40e-3, "glass thickness")
    glass_material: MaterialRef = param(MaterialRef("borosilicate"), "glass (ircut_glass for an IR-cut glass)")
    ball_pitch: Length = param(0.5e-3, "solder ball pitch")
    ball_diameter: Length = param(0.30e-3, "solder ball diameter")
    land_diameter: Length = param(0.25e-3, "ball opening diameter")
    ball_material: MaterialRef = param(MaterialRef("sac305"), "solder ball alloy")


def ball_sites(p: FlexCspParams) -> list[tuple[str, float, float]]:
    """Ball sites under the die, outer ring first, JEDEC names."""
    nx = int((p.die_x - 0.6 * p.ball_pitch) / p.ball_pitch) + 1
    ny = int((p.die_y - 0.6 * p.ball_pitch) / p.ball_pitch) + 1
    sites = []
    for r in range(ny):
        for c in range(nx):
            ring = min(r, c, ny - 1 - r, nx - 1 - c)
            sites.append(
                (ring, f"{row_name(r)}{c + 1}", (c - (nx - 1) / 2) * p.ball_pitch, ((ny - 1) / 2 - r) * p.ball_pitch)
            )
    sites.sort(key=lambda s: s[0])
    return [(n, x, y) for _, n, x, y in sites]


def row_on_axis(p: FlexCspParams) -> bool:
    ny = int((p.die_y - 0.6 * p.ball_pitch) / p.ball_pitch) + 1
    return ny % 2 == 1
