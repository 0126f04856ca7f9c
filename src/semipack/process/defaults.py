"""Default process figures per step kind: temperature, time, equipment, cycle time, yield, cost.

Where a flow leaves a step's temperature or time unset, these apply. They are
representative values for each step class, chosen by semipack to give a sensible
baseline; they are not from one source, and every one can be set per step in a flow
file (``temperature``, ``time``, ``cycle_time``, ``yield``, ``cost``). Process
temperatures follow common practice: silver-epoxy die attach cures at 150 C for 1 h;
transfer moulding at 175 C for 90 s, post-mould cure 175 C for 4 h; SAC reflow peaks at
245-260 C (J-STD-020 allows 260 C at most); low-temperature-cure polyimide and BCB cure at
about 250 C; wire bonding runs on a 150-200 C heater block.

Cycle time, yield and cost are per unit and only indicative (a few cents and a few
tenths of a per cent per step for a mature line); the roll-up is there to compare flows
and to take a factory's own figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from semipack.process.steps import Equipment, StepKind


def _c(celsius: float) -> float:
    return celsius + 273.15


@dataclass(frozen=True)
class KindDefaults:
    equipment: Equipment
    temperature_k: float
    time_s: float
    cycle_s: float
    yield_fraction: float
    cost_usd: float


ROOM = _c(25.0)

DEFAULTS: dict[StepKind, KindDefaults] = {
    StepKind.PROVIDE_SUBSTRATE: KindDefaults(Equipment.INCOMING, ROOM, 0.0, 0.0, 0.999, 0.60),
    StepKind.PROVIDE_LEAD_FRAME: KindDefaults(Equipment.INCOMING, ROOM, 0.0, 0.0, 0.999, 0.08),
    StepKind.PROVIDE_FLEX: KindDefaults(Equipment.INCOMING, ROOM, 0.0, 0.0, 0.998, 0.15),
    StepKind.PROVIDE_METAL_SUBSTRATE: KindDefaults(Equipment.INCOMING, ROOM, 0.0, 0.0, 0.999, 0.10),
    StepKind.PROVIDE_CARRIER: KindDefaults(Equipment.INCOMING, ROOM, 0.0, 0.0, 0.999, 0.10),
    StepKind.PROVIDE_TEMPORARY_SUBSTRATE: KindDefaults(Equipment.INCOMING, ROOM, 0.0, 0.0, 1.0, 0.02),
    StepKind.PROVIDE_DIE: KindDefaults(Equipment.INCOMING, ROOM, 0.0, 0.0, 0.999, 0.05),
    StepKind.DIE_ATTACH: KindDefaults(Equipment.DIE_BONDER, ROOM, 2.0, 1.0, 0.9995, 0.01),
    StepKind.CURE: KindDefaults(Equipment.OVEN, _c(150.0), 3600.0, 0.5, 0.9999, 0.005),
    StepKind.WIRE_BOND: KindDefaults(Equipment.WIRE_BONDER, _c(175.0), 20.0, 12.0, 0.999, 0.04),
    StepKind.TAPE_BOND: KindDefaults(Equipment.DISPENSER, _c(25.0), 30.0, 15.0, 0.998, 0.04),
    StepKind.FLIP_CHIP_BOND: KindDefaults(Equipment.FLIP_CHIP_BONDER, _c(250.0), 60.0, 3.0, 0.999, 0.03),
    StepKind.UNDERFILL: KindDefaults(Equipment.DISPENSER, _c(110.0), 60.0, 2.0, 0.9995, 0.01),
    StepKind.MOLD: KindDefaults(Equipment.MOLD_PRESS, _c(175.0), 90.0, 1.5, 0.999, 0.03),
    StepKind.PRIME_GLUE: KindDefaults(Equipment.DISPENSER, ROOM, 5.0, 1.0, 0.9995, 0.005),
    StepKind.ATTACH_SPREADER: KindDefaults(Equipment.PICK_PLACE, ROOM, 5.0, 1.0, 0.9995, 0.25),
    StepKind.ATTACH_SINK: KindDefaults(Equipment.PICK_PLACE, ROOM, 5.0, 1.0, 0.9995, 0.20),
    StepKind.ATTACH_GLASS: KindDefaults(Equipment.PICK_PLACE, ROOM, 5.0, 1.0, 0.999, 0.05),
    StepKind.GRIND: KindDefaults(Equipment.GRINDER, ROOM, 300.0, 0.5, 0.999, 0.01),
    StepKind.LAMINATE: KindDefaults(Equipment.LAMINATOR, _c(180.0), 3600.0, 0.5, 0.9995, 0.02),
    StepKind.MACHINE: KindDefaults(Equipment.CNC, ROOM, 60.0, 5.0, 0.9995, 0.05),
    StepKind.PUNCH: KindDefaults(Equipment.PRESS, ROOM, 1.0, 0.2, 0.9998, 0.005),
    StepKind.FILL: KindDefaults(Equipment.DISPENSER, _c(150.0), 1800.0, 1.0, 0.9995, 0.01),
    StepKind.DEPOSIT_DIELECTRIC: KindDefaults(Equipment.COATER, _c(250.0), 3600.0, 0.5, 0.999, 0.02),
    StepKind.PATTERN_THRU_HOLES: KindDefaults(Equipment.LITHO, _c(90.0), 120.0, 0.5, 0.999, 0.02),
    StepKind.SPUTTER_SEED: KindDefaults(Equipment.SPUTTER, _c(100.0), 600.0, 0.3, 0.9995, 0.01),
    StepKind.SPUTTER: KindDefaults(Equipment.SPUTTER, _c(100.0), 1200.0, 0.5, 0.999, 0.02),
    StepKind.ELECTROPLATE: KindDefaults(Equipment.PLATING, _c(25.0), 1800.0, 0.5, 0.999, 0.02),
    StepKind.ELECTROLESS_PLATE: KindDefaults(Equipment.PLATING, _c(85.0), 1800.0, 0.5, 0.999, 0.02),
    StepKind.FILL_VIAS: KindDefaults(Equipment.PLATING, _c(25.0), 1800.0, 0.5, 0.999, 0.015),
    StepKind.STRIP_RESIST: KindDefaults(Equipment.WET_BENCH, _c(60.0), 300.0, 0.2, 0.9998, 0.005),
    StepKind.PASSIVATE: KindDefaults(Equipment.COATER, _c(250.0), 3600.0, 0.5, 0.999, 0.02),
    StepKind.PLATE_INTERFACE: KindDefaults(Equipment.PLATING, _c(60.0), 1200.0, 0.3, 0.9995, 0.02),
    StepKind.BEND_FLEX: KindDefaults(Equipment.BEND_FIXTURE, _c(120.0), 600.0, 4.0, 0.998, 0.02),
    StepKind.BALL_ATTACH: KindDefaults(Equipment.BALL_MOUNTER, _c(250.0), 60.0, 1.0, 0.9995, 0.02),
    StepKind.BUMP_FORM: KindDefaults(Equipment.BALL_MOUNTER, _c(250.0), 60.0, 1.0, 0.9995, 0.02),
    StepKind.PIN_ATTACH: KindDefaults(Equipment.PICK_PLACE, _c(250.0), 60.0, 3.0, 0.999, 0.05),
    StepKind.REMOVE_CARRIER: KindDefaults(Equipment.DEBONDER, _c(25.0), 300.0, 0.5, 0.999, 0.01),
    StepKind.DEFLASH: KindDefaults(Equipment.DEFLASHER, ROOM, 60.0, 0.3, 0.9998, 0.005),
    StepKind.SINGULATE: KindDefaults(Equipment.SAW, ROOM, 10.0, 1.0, 0.9995, 0.01),
}

# Mould flash: resin that bleeds over an exposed face under the clamp (a few um to tens of um).
FLASH_THICKNESS_M = 10e-6

# Claim 1 of seed 003: an interface layer of Au, Cr, Ni, their alloys or Teflon adheres to
# mould compound less than the sink does, so flash on it comes off.
LOW_ADHESION = frozenset({"au", "cr", "ni", "ptfe"})

# Incoming die thickness before back-grinding (claim 102) when a flow does not say.
GRIND_ALLOWANCE_M = 100e-6
