"""Seed 004: the flow its structure implies: cavity forming, die placement, build-up."""

from __future__ import annotations

from semipack.model import Package, Role
from semipack.process.methods import Method
from semipack.process.methods.common import buildup, singulation, terminal_step
from semipack.process.steps import Flow, Step, StepKind

CARRIERS = ("cu_rolled", "cu_plated", "al")
DIELECTRICS = ("polyimide_thinfilm", "polyimide_film", "epoxy", "bt_core", "bt_laminate", "fr4", "fr5", "bcb", "ptfe")


def flow(pkg: Package) -> Flow:
    steps = [
        Step(StepKind.PROVIDE_CARRIER, "provide metal carrier", allowed=CARRIERS),
        Step(StepKind.MACHINE, "form the cavity"),
        Step(StepKind.DIE_ATTACH, "place die in the cavity, active surface up"),
    ]
    if pkg.by_role(Role.DIE_ATTACH):
        steps.append(Step(StepKind.CURE, "cure die attach"))
    if pkg.by_role(Role.FILLING):
        steps += [Step(StepKind.FILL, "fill the cavity gap"), Step(StepKind.CURE, "cure fill")]
    # Conductive columns on the bond pads: each level's holes are filled, then wired.
    steps += buildup(pkg, {}, DIELECTRICS, fill_first=True)
    if pkg.by_role(Role.PASSIVATION):
        steps.append(Step(StepKind.PASSIVATE))
    steps += [terminal_step(pkg), singulation(pkg)]
    return Flow("004-implied", tuple(steps), "build-up package on a metal carrier with a cavity (implied flow)", "004")


METHODS = (
    Method("004-implied", "004", "implied", "cavity, die in cavity, stacked columns, build-up", "cavity_buildup", flow),
)
