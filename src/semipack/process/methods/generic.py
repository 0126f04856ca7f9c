"""Standard assembly flows of the generic packages (no patent: what a factory runs).

- Laminate BGA, CSP and LGA (``pbga``, ``csp``, ``lga``): provide the substrate (its
  layers, thermal vias, fingers and lands come made), attach and cure the dies, wire
  bond, mould, post-mould cure, a flat spreader if the design has one, balls (or the
  printed-paste joints of an LGA), singulate.
- Lead-frame QFN and DFN (``qfn``, ``dfn``): provide the frame (pads, leads, spot
  plating), attach and cure the die, wire bond, mould, post-mould cure, saw.

References
----------
Harper, Electronic Packaging and Interconnection Handbook, 4th ed., 2005, ch. 7
(plastic BGA and QFN assembly sequences); JEDEC J-STD-020 for the cure and reflow
temperatures the step defaults use.
"""

from __future__ import annotations

from semipack.model import Package, Role
from semipack.process.methods import Method
from semipack.process.methods.common import singulation, terminal_step
from semipack.process.steps import Flow, Step, StepKind


def _assembly(pkg: Package) -> list[Step]:
    return [
        Step(StepKind.DIE_ATTACH, "attach the dies"),
        Step(StepKind.CURE, "cure die attach"),
        Step(StepKind.WIRE_BOND, "wire bond"),
        Step(StepKind.MOLD, "mould the strip"),
        Step(StepKind.CURE, "post-mould cure", temperature_k=448.15, time_s=4 * 3600.0),
    ]


def laminate_flow(pkg: Package) -> Flow:
    steps = [Step(StepKind.PROVIDE_SUBSTRATE, "provide the laminate substrate strip"), *_assembly(pkg)]
    if pkg.by_role(Role.HEAT_SPREADER):
        steps.append(Step(StepKind.ATTACH_SPREADER, "attach the flat spreader"))
    steps += [terminal_step(pkg), singulation(pkg)]
    return Flow("laminate-bga-assembly", tuple(steps), "laminate BGA / CSP / LGA assembly", "-")


def leadframe_flow(pkg: Package) -> Flow:
    steps = [Step(StepKind.PROVIDE_LEAD_FRAME, "provide the lead-frame strip"), *_assembly(pkg), singulation(pkg)]
    return Flow("leadframe-assembly", tuple(steps), "QFN / DFN lead-frame assembly", "-")


METHODS = tuple(
    Method(f"{fam}-assembly", "-", "-", title, fam, build)
    for fam, title, build in (
        ("pbga", "laminate BGA assembly", laminate_flow),
        ("csp", "laminate CSP assembly", laminate_flow),
        ("lga", "land grid array assembly", laminate_flow),
        ("qfn", "QFN lead-frame assembly", leadframe_flow),
        ("dfn", "DFN lead-frame assembly", leadframe_flow),
    )
)
