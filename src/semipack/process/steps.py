"""Process steps: the closed set of step kinds and the frozen `Step` record.

A flow is an ordered tuple of steps. Each step names its kind (an Enum), the
parameters a process engineer sets (temperature, time, thickness, material, tool),
and optionally the build-up level it works on and the claim it implements.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from semipack.materials import Category


class StepKind(Enum):
    """Every kind of step the engine knows, in the seeds' own wording where they have one."""

    PROVIDE_SUBSTRATE = "provide_substrate"
    PROVIDE_LEAD_FRAME = "provide_lead_frame"
    PROVIDE_FLEX = "provide_flex"
    PROVIDE_METAL_SUBSTRATE = "provide_metal_substrate"
    PROVIDE_CARRIER = "provide_carrier"
    PROVIDE_TEMPORARY_SUBSTRATE = "provide_temporary_substrate"
    PROVIDE_DIE = "provide_die"
    DIE_ATTACH = "die_attach"
    CURE = "cure"
    WIRE_BOND = "wire_bond"
    TAPE_BOND = "tape_bond"
    FLIP_CHIP_BOND = "flip_chip_bond"
    UNDERFILL = "underfill"
    MOLD = "mold"
    PRIME_GLUE = "prime_glue"
    ATTACH_SPREADER = "attach_spreader"
    ATTACH_SINK = "attach_sink"
    ATTACH_GLASS = "attach_glass"
    GRIND = "grind"
    LAMINATE = "laminate"
    MACHINE = "machine"
    PUNCH = "punch"
    FILL = "fill"
    DEPOSIT_DIELECTRIC = "deposit_dielectric"
    PATTERN_THRU_HOLES = "pattern_thru_holes"
    SPUTTER_SEED = "sputter_seed"
    SPUTTER = "sputter"
    ELECTROPLATE = "electroplate"
    ELECTROLESS_PLATE = "electroless_plate"
    FILL_VIAS = "fill_vias"
    STRIP_RESIST = "strip_resist"
    PASSIVATE = "passivate"
    PLATE_INTERFACE = "plate_interface"
    BEND_FLEX = "bend_flex"
    BALL_ATTACH = "ball_attach"
    BUMP_FORM = "bump_form"
    PIN_ATTACH = "pin_attach"
    REMOVE_CARRIER = "remove_carrier"
    DEFLASH = "deflash"
    SINGULATE = "singulate"


# Steps that bring incoming material (drawn on their own in a storyboard, not checked for support).
PROVIDE_KINDS = frozenset(
    {
        StepKind.PROVIDE_SUBSTRATE,
        StepKind.PROVIDE_LEAD_FRAME,
        StepKind.PROVIDE_FLEX,
        StepKind.PROVIDE_METAL_SUBSTRATE,
        StepKind.PROVIDE_CARRIER,
        StepKind.PROVIDE_TEMPORARY_SUBSTRATE,
        StepKind.PROVIDE_DIE,
    }
)

# The three ways claims 76/88/113/125 of seed 002 allow a patterned wiring layer to be made.
WIRING_KINDS = frozenset({StepKind.SPUTTER, StepKind.ELECTROPLATE, StepKind.ELECTROLESS_PLATE})


class Equipment(Enum):
    """Equipment class a step runs on (for the step table and the cost roll-up)."""

    INCOMING = "incoming material"
    DIE_BONDER = "die bonder"
    OVEN = "cure oven"
    WIRE_BONDER = "wire bonder"
    DISPENSER = "dispenser"
    FLIP_CHIP_BONDER = "flip-chip bonder + reflow"
    MOLD_PRESS = "transfer mould press"
    PICK_PLACE = "pick and place"
    GRINDER = "grinder"
    LAMINATOR = "laminator"
    CNC = "CNC mill"
    PRESS = "punch press"
    COATER = "spin/spray coater"
    LITHO = "photolithography"
    SPUTTER = "sputter tool"
    PLATING = "plating line"
    WET_BENCH = "wet bench"
    BEND_FIXTURE = "bend fixture"
    BALL_MOUNTER = "ball mounter + reflow"
    DEBONDER = "debonder"
    DEFLASHER = "deflash (water jet / media)"
    SAW = "dicing saw"


class Singulation(Enum):
    """Claims 81/82 (and 93/94, 100/101, 118/119) of seed 002: cut per die or per group of dies."""

    PER_DIE = "per_die"
    PER_GROUP = "per_group"


@dataclass(frozen=True)
class Step:
    """One step of a flow.

    Attributes
    ----------
    kind
        What the step does.
    label
        Short text for tables, storyboards and errors (defaults to the kind).
    layer
        Build-up level (1 = next to the die) for dielectric, thru-hole, via and wiring steps.
    target
        Body-name globs restricting what a step makes (e.g. ``buffer_pad``); empty = all it can.
    material
        Material key the step uses; checked against the design and against ``allowed``.
    allowed
        Material keys and material categories the claim this step implements allows
        (empty = no restriction).
    temperature_k, time_s
        Process temperature and time (thermal history, cure limits, cycle time).
    thickness_m
        Layer or final thickness the step produces (checked against the design).
    radius_m
        Bend radius (inner) for ``bend_flex``.
    depth_m
        Hole depth for ``pattern_thru_holes``.
    fill_vias
        A wiring step that also fills the thru-holes of its level (claims 73/85/110/122).
    face_down
        ``die_attach`` with the active surface on a temporary substrate (claim 102).
    temporary
        ``fill``: the first filling layer of claim 102, removed later.
    singulation
        ``singulate``: per die or per group of dies.
    figure
        Figure the step's state is drawn as (e.g. ``FIG. 8A``).
    claims
        Claim numbers (of the method's patent) the step implements.
    """

    kind: StepKind
    label: str = ""
    layer: int | None = None
    target: tuple[str, ...] = ()
    material: str | None = None
    allowed: tuple[str | Category, ...] = ()
    temperature_k: float | None = None
    time_s: float | None = None
    thickness_m: float | None = None
    radius_m: float | None = None
    depth_m: float | None = None
    fill_vias: bool = False
    face_down: bool = False
    temporary: bool = False
    singulation: Singulation | None = None
    figure: str = ""
    claims: tuple[int, ...] = ()

    @property
    def title(self) -> str:
        if self.label:
            return self.label
        text = self.kind.value.replace("_", " ")
        return f"{text} {self.layer}" if self.layer is not None else text


def allowed_text(allowed: tuple[str | Category, ...]) -> str:
    """The allowed set as a flow file writes it: material keys and ``category:NAME``, sorted."""
    return ", ".join(sorted(a if isinstance(a, str) else f"category:{a.value}" for a in allowed))


@dataclass(frozen=True)
class Flow:
    """An ordered list of steps: a claimed method or a user's own flow.

    ``units`` is how many packages the strip or panel carries until ``singulate``;
    ``street_m`` the saw street between them.
    """

    name: str
    steps: tuple[Step, ...]
    description: str = ""
    patent: str = ""
    claims: tuple[int, ...] = ()
    units: int = 3
    street_m: float = 0.3e-3
