"""The two-resistor compact model (JESD15-3): junction, case and board nodes from theta-JC and theta-JB.

The standard takes theta-JC from the junction to the case top held isothermal (all heat
through the top) and theta-JB from the junction to the board side held isothermal. Here
both come from the package's own detailed model (`detailed.DetailedModel`) in those two
set-ups: a cold plate (h = 1e6 W/m^2/K) on the top classes with every other surface
adiabatic, then on the bottom classes and leads. (JESD51-8 measures theta-JB with a
ring cold plate on a 2s2p board, which adds some board spreading; the idealised
isothermal board side is what the 2R network's board node means.) The case node
carries the top's exchange, the board node the bottom's and the leads'; the sides are
not part of a two-resistor model (JESD15-3), which is one reason its error can reach
tens of per cent where they matter.

References
----------
JEDEC JESD15-3 (2008), two-resistor compact thermal model guideline.
JEDEC JESD51-12 (2005), guidelines for reporting and using package thermal information.
"""

from __future__ import annotations

from semipack.thermal.compact.bcs import BoundaryCondition, SurfaceClass
from semipack.thermal.compact.detailed import DetailedModel
from semipack.thermal.compact.network import CompactNetwork, Link, SurfaceNode

H_PLATE_W_M2K = 1e6  # an isothermal plate for any package material

CASE = (SurfaceClass.TOP_INNER, SurfaceClass.TOP_OUTER)
BOARD = (SurfaceClass.BOTTOM_INNER, SurfaceClass.BOTTOM_OUTER, SurfaceClass.LEADS)


def theta_setups() -> tuple[BoundaryCondition, BoundaryCondition]:
    """The theta-JC (top plate) and theta-JB (board-side plate) set-ups as boundary conditions."""
    jc = BoundaryCondition.of("theta_jc_top_plate", **{c.value: H_PLATE_W_M2K for c in CASE})
    jb = BoundaryCondition.of("theta_jb_board_plate", **{c.value: H_PLATE_W_M2K for c in BOARD})
    return jc, jb


def two_resistor(model: DetailedModel) -> CompactNetwork:
    """Build the 2R network of ``model``'s package: R(J-C) = theta-JC, R(J-B) = theta-JB (K/W).

    The plates' own film resistance 1/(h A) is removed from each theta, so the network
    reproduces the two set-ups exactly.
    """
    p = model.power_w
    jc, jb = theta_setups()
    area = {c: model.faces[c].total_area_m2 for c in SurfaceClass}
    a_case = sum(area[c] for c in CASE)
    a_board = sum(area[c] for c in BOARD)
    theta_jc = model.solve(jc).tj_rise_k / p - 1.0 / (H_PLATE_W_M2K * a_case)
    theta_jb = model.solve(jb).tj_rise_k / p - 1.0 / (H_PLATE_W_M2K * a_board)
    case = SurfaceNode("C", tuple(c for c in CASE if area[c] > 0), {c: area[c] for c in CASE})
    board = SurfaceNode("B", tuple(c for c in BOARD if area[c] > 0), {c: area[c] for c in BOARD})
    notes = (
        f"JESD15-3 two-resistor model of {model.package.name}",
        f"theta_JC = {theta_jc:.6g} K/W (top isothermal, rest adiabatic); "
        f"theta_JB = {theta_jb:.6g} K/W (bottom and leads isothermal, rest adiabatic)",
        f"junction temperature: die {model.junction.value}; detailed model {model.grid.cells} cells",
    )
    return CompactNetwork(
        model.package.name, "2R", (case, board), (Link("J", "C", theta_jc), Link("J", "B", theta_jb)), notes=notes
    )
