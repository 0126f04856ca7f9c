"""Seed 001, operations 1 to 7 (FIG. 8A to 8G): the folded-flex image-sensor CSP.

1 provide the image sensor die with bumps on its bond pads; 2 provide the flexible
substrate with its window, conductive patterns and ball holes; 3 align and reflow the
bumps onto the patterns; 4 dope encapsulant around the bumps; 5 attach the glass over
the window; 6 bend the flex around one side of the die and glue it under the die; 7
dot flux into the holes, place the balls, reflow. The memory dies of FIG. 2 to 7 are
flip-chip bonded onto the flat flex after the sensor (they ride on the segments that
the bends fold under it).
"""

from __future__ import annotations

from semipack.model import Package, Role
from semipack.model.roles import IMAGE_SENSOR
from semipack.process.methods import Method
from semipack.process.steps import Flow, Step, StepKind


def flow(pkg: Package) -> Flow:
    sensor = [d.name for d in pkg.by_role(Role.DIE) if IMAGE_SENSOR in d.tags]
    memory = [d.name for d in pkg.by_role(Role.DIE) if IMAGE_SENSOR not in d.tags]
    steps = [
        Step(StepKind.PROVIDE_DIE, "image sensor die with bumps", figure="FIG. 8A"),
        Step(StepKind.PROVIDE_FLEX, "flexible substrate with window", figure="FIG. 8B"),
        Step(StepKind.FLIP_CHIP_BOND, "align and reflow bumps", target=tuple(sensor), figure="FIG. 8C"),
    ]
    if memory:
        steps.append(Step(StepKind.FLIP_CHIP_BOND, "bond memory dies to the flex", target=tuple(memory)))
    steps += [
        Step(StepKind.UNDERFILL, "dope encapsulant around bumps", figure="FIG. 8D"),
        Step(StepKind.CURE, "cure encapsulant", temperature_k=423.15),
        Step(StepKind.ATTACH_GLASS, "attach glass with adhesive", figure="FIG. 8E"),
        Step(StepKind.CURE, "cure glass adhesive", temperature_k=393.15),
        Step(StepKind.BEND_FLEX, "bend flex, glue under die", figure="FIG. 8F"),
        Step(StepKind.CURE, "cure fold adhesive", temperature_k=393.15),
        Step(StepKind.BALL_ATTACH, "flux, solder balls, reflow", figure="FIG. 8G"),
        Step(StepKind.SINGULATE, "singulate"),
    ]
    return Flow("001-operations-1-7", tuple(steps), "folded-flex image-sensor CSP, operations 1 to 7", "001")


METHODS = (Method("001-operations-1-7", "001", "operations 1-7", "FIG. 8A to 8G", "flex_csp", flow),)
