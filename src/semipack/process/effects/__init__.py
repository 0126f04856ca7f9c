"""What each step kind needs and does: preconditions on the build state, and its effect.

Each handler takes the context, the state before the step and the step, and returns a
`Change`, or raises `StepProblem` with the reason in one line. The engine adds the
checks that every kind shares (materials, temperatures, support, what is made).
"""

from __future__ import annotations

from collections.abc import Callable

from semipack.process.context import Context
from semipack.process.effects.assembly import (
    attach_glass,
    attach_sink,
    attach_spreader,
    bend_flex,
    deflash,
    die_attach,
    fill,
    flip_chip,
    grind,
    mold,
    plate_interface,
    prime_glue,
    remove_carrier,
    underfill,
    wire_bond,
)
from semipack.process.effects.buildup import (
    deposit_dielectric,
    fill_vias,
    passivate,
    seed,
    strip_resist,
    thru_holes,
    wiring,
)
from semipack.process.effects.common import INCOMING, Change, StepProblem, uncured_facts
from semipack.process.effects.finishing import cure, singulate, terminals
from semipack.process.effects.incoming import (
    laminate,
    machine,
    provide_die,
    provide_flex,
    provide_metal,
    provide_substrate,
    provide_temporary,
)
from semipack.process.state import BuildState
from semipack.process.steps import Step, StepKind

HANDLERS: dict[StepKind, Callable[[Context, BuildState, Step], Change]] = {
    StepKind.PROVIDE_SUBSTRATE: provide_substrate,
    StepKind.PROVIDE_LEAD_FRAME: provide_substrate,
    StepKind.PROVIDE_FLEX: provide_flex,
    StepKind.PROVIDE_METAL_SUBSTRATE: provide_metal,
    StepKind.PROVIDE_CARRIER: provide_metal,
    StepKind.PROVIDE_TEMPORARY_SUBSTRATE: provide_temporary,
    StepKind.PROVIDE_DIE: provide_die,
    StepKind.DIE_ATTACH: die_attach,
    StepKind.CURE: cure,
    StepKind.WIRE_BOND: wire_bond,
    StepKind.TAPE_BOND: wire_bond,
    StepKind.FLIP_CHIP_BOND: flip_chip,
    StepKind.UNDERFILL: underfill,
    StepKind.MOLD: mold,
    StepKind.PRIME_GLUE: prime_glue,
    StepKind.ATTACH_SPREADER: attach_spreader,
    StepKind.ATTACH_SINK: attach_sink,
    StepKind.ATTACH_GLASS: attach_glass,
    StepKind.GRIND: grind,
    StepKind.LAMINATE: laminate,
    StepKind.MACHINE: machine,
    StepKind.PUNCH: machine,
    StepKind.FILL: fill,
    StepKind.DEPOSIT_DIELECTRIC: deposit_dielectric,
    StepKind.PATTERN_THRU_HOLES: thru_holes,
    StepKind.SPUTTER_SEED: seed,
    StepKind.SPUTTER: wiring,
    StepKind.ELECTROPLATE: wiring,
    StepKind.ELECTROLESS_PLATE: wiring,
    StepKind.FILL_VIAS: fill_vias,
    StepKind.STRIP_RESIST: strip_resist,
    StepKind.PASSIVATE: passivate,
    StepKind.PLATE_INTERFACE: plate_interface,
    StepKind.BEND_FLEX: bend_flex,
    StepKind.BALL_ATTACH: terminals,
    StepKind.BUMP_FORM: terminals,
    StepKind.PIN_ATTACH: terminals,
    StepKind.REMOVE_CARRIER: remove_carrier,
    StepKind.DEFLASH: deflash,
    StepKind.SINGULATE: singulate,
}


__all__ = ["HANDLERS", "INCOMING", "Change", "StepProblem", "uncured_facts"]
