"""Seed 000, claims 13 to 18: attach, bond, seal, prime glue, attach spreader, place balls, singulate."""

from __future__ import annotations

from semipack.model import Package, Role
from semipack.process.methods import Method
from semipack.process.steps import Flow, Step, StepKind


def flow(pkg: Package) -> Flow:
    f = pkg.features
    tape = f.get("signal_transfer") == "adhesive_tape"
    steps = [
        Step(StepKind.PROVIDE_SUBSTRATE, "provide substrate strip", claims=(13,)),
        Step(StepKind.DIE_ATTACH, "attach die with adhesive layer", claims=(13, 15)),
        Step(StepKind.CURE, "cure die attach", claims=(15,)),
        Step(StepKind.TAPE_BOND if tape else StepKind.WIRE_BOND, "connect bond pads to substrate", claims=(13,)),
        Step(
            StepKind.MOLD,
            "seal die and connections" + (" (concave on top)" if f.get("concave") else ""),
            claims=(13, 16),
        ),
        Step(StepKind.CURE, "post-mould cure", temperature_k=448.15, time_s=4 * 3600.0, claims=(13,)),
    ]
    if pkg.by_role(Role.THERMAL_GLUE):
        steps.append(Step(StepKind.PRIME_GLUE, "prime thermally conductive glue", claims=(13,)))
    steps.append(
        Step(
            StepKind.ATTACH_SPREADER,
            "attach heat spreader" + (" (bump into concave)" if f.get("concave") else ""),
            claims=(13, 17),
        )
    )
    if pkg.by_role(Role.THERMAL_GLUE):
        steps.append(Step(StepKind.CURE, "cure glue", claims=(13,)))
    steps += [
        Step(StepKind.BALL_ATTACH, "place conductive balls", claims=(13, 18)),
        Step(StepKind.SINGULATE, "singulate the strip", claims=(14,)),
    ]
    return Flow("000-claims-13-18", tuple(steps), "heat-spreader BGA, claims 13 to 18", "000", (13, 14, 15, 16, 17, 18))


METHODS = (
    Method("000-claims-13-18", "000", "13-18", "package with a heat spreader on the sealant", "spreader_bga", flow),
)
