"""Seed 003: the flow its structure implies (the seed claims no method).

Chip on the carrier (die attach and wire bonds, or bumped die flip-chip bonded and
underfilled), the heat sink attached to the chip (directly, by its connecting portion
or through a buffer pad), the interface layer plated on the sink before moulding, the
panel moulded, the flash released from the low-adhesion interface layer (ground off a
bare sink), balls placed, and the panel sawn so the sink's sides end flush with the
encapsulant.
"""

from __future__ import annotations

from semipack.model import Package, Role
from semipack.process.methods import Method
from semipack.process.steps import Flow, Step, StepKind

INTERFACES = ("au", "cr", "ni", "ptfe")  # claims 3/14: gold, chromium, nickel, their alloys, Teflon


def flow(pkg: Package) -> Flow:
    qfn = bool(pkg.by_role(Role.LEAD))
    flip = bool(pkg.by_role(Role.BUMP))
    steps = [Step(StepKind.PROVIDE_LEAD_FRAME if qfn else StepKind.PROVIDE_SUBSTRATE, claims=(7,) if qfn else (4,))]
    if flip:
        steps += [
            Step(StepKind.PROVIDE_DIE, "bumped chip"),
            Step(StepKind.FLIP_CHIP_BOND, "flip-chip bond and reflow", claims=(6,)),
            Step(StepKind.UNDERFILL),
            Step(StepKind.CURE, "cure underfill"),
        ]
    else:
        steps += [
            Step(StepKind.DIE_ATTACH),
            Step(StepKind.CURE, "cure die attach"),
            Step(StepKind.WIRE_BOND, claims=(8,) if qfn else (5,)),
        ]
    steps += [
        Step(StepKind.ATTACH_SINK, "attach heat sink", claims=(1, 10, 11, 12, 20)),
        Step(StepKind.CURE, "cure sink adhesive"),
    ]
    iface = bool(pkg.by_role(Role.INTERFACE_LAYER))
    if iface:
        steps.append(Step(StepKind.PLATE_INTERFACE, "plate interface layer", allowed=INTERFACES, claims=(1, 3)))
    steps += [
        Step(StepKind.MOLD, "mould the panel", claims=(1,)),
        Step(StepKind.CURE, "post-mould cure", temperature_k=448.15, time_s=4 * 3600.0),
        Step(StepKind.DEFLASH if iface else StepKind.GRIND, "remove flash from the sink's top", claims=(1,)),
    ]
    if pkg.by_role(Role.BALL):
        steps.append(Step(StepKind.BALL_ATTACH))
    steps.append(Step(StepKind.SINGULATE, "saw: sink sides flush with the encapsulant", claims=(1, 2)))
    return Flow("003-implied", tuple(steps), "exposed-heat-sink package (flow implied by the structure)", "003")


METHODS = (
    Method(
        "003-implied", "003", "implied", "sink and interface before moulding; deflash; saw flush", "exposed_sink", flow
    ),
)
