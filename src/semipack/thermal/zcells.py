"""Cell sizes in z: thin layers, insulating and anisotropic layers and the board under a package.

`make_grid` puts a plane at every layer face; these rules say how many cells each z interval
between two planes gets at least, and how large the board's cells may grow. All scale with
the resolution, so the mesh study refines them too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from semipack.geometry import Box
from semipack.model import Package

INSULATING_W_MK = 1.0
"""A layer (a box covering at least `INSULATING_AREA` of the package's footprint) whose
through-plane conductivity is below this is insulating: its z intervals get
`INSULATING_MIN_CELLS` cells (see there)."""
INSULATING_AREA = 0.25
"""The least fraction of the package's x-y footprint a box covers to count as a layer, for the
insulating rule and the anisotropic one (`anisotropic_layers`)."""
INSULATING_MIN_CELLS = 3
"""Cells across each z interval of an insulating layer at resolution 1 (`min_cells`, 2, for
the others). Heat crosses a build-up's thin polyimide from a wide copper carrier into narrow
traces, lands and vias: it converges within the layer, over about its thickness, so two
cells across it read theta-JC(bottom) of the cavity build-up with pins 11 % high against
resolution 3, three 4 % (docs/benchmarks.md, "Insulating layers in z")."""
ANISOTROPIC_CELLS = 1.0
"""Stretched z cells a layer's anisotropy asks for per target x-y cell (`anisotropic_layers`).
A smeared laminate conducts 45 times better in-plane than through (the BT substrate: 18 and
0.4 W/mK), so in the isotropic layer it stands for (its thickness times sqrt(45) = 6.7) the
z cells of a 0.4 mm substrate were 1.7 times the x-y cells: the generic stack with a user
material (a 6 mm die on it, 0.4 mm x-y cells) read theta-JC(bottom) 16.04 C/W with its four
z cells there, 15.65 / 15.52 / 15.48 with 8 / 16 / 32 (x-y as at resolution 1). With this
rule it has seven: 15.70, and 3.6 -> 2.5 % against resolution 2. Nine other examples sit on
the BT laminate; theta-JC(bottom) of none moved by more than 0.11 % (docs/benchmarks.md,
"Anisotropic layers in z")."""
BOARD_Z_CELLS = 8
"""Target cells across the board's thickness in z at resolution 1 (outside the focus; 0: the
package's z cell everywhere). The dielectric between a board's copper layers conducts nearly
one-dimensionally in z, so it needs no cell as thin as the package's (a twelfth of the
package height, 62 um for a 0.75 mm package: 18 cells across a 0.9 mm core). With
`BOARD_Z_GROWTH` the 2s2p board of the PBGA has 8 % fewer cells; theta-JA and theta-JB
move by 3e-5 and 5e-5 (docs/benchmarks.md, "Board layers in z")."""
BOARD_Z_MIN_CELLS = 2
"""Cells across each board layer in z at resolution 1 (as the package's layers). One cell per
copper plane moved the PBGA's theta-JB by +4 % (11.13 against 10.69 C/W at resolution 1,
10.67 at 2): the balls' end constriction reads the plane's half cell."""
BOARD_Z_GROWTH = 2.0
"""Largest ratio between neighbouring z cells in the board's layers at resolution 1 (1.4 in
the package): the dielectric's temperature is nearly linear in z between planes."""


@dataclass(frozen=True)
class Cutting:
    """How one axis is cut within a region: the target cell (m), the largest ratio between
    neighbouring cells and the fewest cells an interval between two faces gets."""

    target_m: float
    growth: float
    min_cells: int


def z_refinement(min_cells: int, growth: float, resolution: float) -> tuple[int, float]:
    """Cells across a thin z layer and the z growth ratio at ``resolution``.

    A layer thinner than ``min_cells`` target cells (a die's active layer, an attach, a
    board plane) gets ``min_cells`` cells whatever the target, and its neighbours grade
    away from those cells by ``growth``; neither depends on the target size, so raising
    the resolution left the z cells in and next to thin heat sources as they were while
    x-y and the thick layers refined (a thin source's mean rise converged as
    resolution^-1.2 instead of ^-2). Above resolution 1 both scale like the target:
    ``min_cells * resolution`` cells across (rounded up) and a growth of
    ``1 + (growth - 1) / resolution``, so that the graded cells at a distance d from a
    thin layer, about h0 + (growth - 1) d, shrink as 1 / resolution too. At or below 1
    the grid is as before (the minimum stays).

    Parameters
    ----------
    min_cells
        Cells across a thin layer at resolution 1 (at least 1).
    growth
        Largest ratio between neighbouring cell sizes at resolution 1 (> 1).
    resolution
        The grid's resolution (> 0).

    Returns
    -------
    tuple[int, float]
        Minimum cells per z interval and the z growth ratio.
    """
    scale = max(resolution, 1.0)
    return max(min_cells, math.ceil(min_cells * scale - 1e-9)), 1.0 + (growth - 1.0) / scale


def _layers(
    pkg: Package, focus: tuple[tuple[float, float, float], tuple[float, float, float]]
) -> list[tuple[float, float, float, float]]:
    """(z0, z1, k_in, k_through) of the package's layers within the focus: boxes covering at
    least `INSULATING_AREA` of its x-y footprint."""
    (x0, y0, z0), (x1, y1, z1) = focus
    area = (x1 - x0) * (y1 - y0)
    out = []
    for body in pkg.bodies:
        sb = body.solid.bbox
        if (
            isinstance(body.solid, Box)
            and sb.size[0] * sb.size[1] >= INSULATING_AREA * area
            and sb.lo[2] >= z0 - 1e-12
            and sb.hi[2] <= z1 + 1e-12
        ):
            m = pkg.materials[body.material]
            out.append((sb.lo[2], sb.hi[2], m.k_inplane_w_mk, m.k_through_w_mk))
    return out


def insulating_layers(
    pkg: Package,
    focus: tuple[tuple[float, float, float], tuple[float, float, float]],
    growth: float,
    resolution: float,
) -> tuple[tuple[float, float, int], ...]:
    """(z0, z1, cells) of the insulating layers within the focus (`INSULATING_W_MK`), cells
    being `INSULATING_MIN_CELLS` scaled to ``resolution`` as `z_refinement` scales a minimum."""
    cells = z_refinement(INSULATING_MIN_CELLS, growth, resolution)[0]
    return tuple((lo, hi, cells) for lo, hi, _, k_z in _layers(pkg, focus) if k_z < INSULATING_W_MK)


def anisotropic_layers(
    pkg: Package,
    focus: tuple[tuple[float, float, float], tuple[float, float, float]],
    h_xy: float,
) -> tuple[tuple[float, float, int], ...]:
    """(z0, z1, cells) of the layers within the focus that conduct better in-plane than
    through: enough cells that each, stretched by sqrt(k_in / k_through) to the isotropic
    layer, is no taller than ``h_xy`` / `ANISOTROPIC_CELLS` (see there). ``h_xy`` is the
    target x-y cell, which scales with the resolution, so the mesh study refines these too.

    References
    ----------
    Carslaw and Jaeger, Conduction of Heat in Solids, 2nd ed., Oxford 1959, section 1.17
    (an anisotropic medium as an isotropic one with its coordinates stretched).
    """
    out = []
    for lo, hi, k_in, k_z in _layers(pkg, focus):
        if k_in > k_z:
            stretched = (hi - lo) * math.sqrt(k_in / k_z)
            out.append((lo, hi, math.ceil(stretched * ANISOTROPIC_CELLS / h_xy - 1e-9)))
    return tuple(out)


def board_z(far_m: float, resolution: float, h_z: float) -> Cutting | None:
    """How z is cut outside the focus (the board's layers): target cell, growth, fewest cells.

    ``far_m`` is the fixture's height outside the focus (board and sink base). The target is
    ``far_m / (BOARD_Z_CELLS * resolution)`` (never below the package's ``h_z``); the minimum
    and the growth scale with the resolution as the package's do (`z_refinement`), so the mesh
    study refines them too. None when `BOARD_Z_CELLS` is 0 (the package's z sizes everywhere).
    """
    if BOARD_Z_CELLS <= 0 or far_m <= 0:
        return None
    min_far, growth_far = z_refinement(BOARD_Z_MIN_CELLS, BOARD_Z_GROWTH, resolution)
    return Cutting(max(far_m / (BOARD_Z_CELLS * resolution), h_z), growth_far, min_far)
