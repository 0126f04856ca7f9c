"""Seed 002: the chip-first thin-film methods, claims 61 to 101 and claims 102 to 138.

Claims 61-101 adhere the dies' backsides to a metal substrate (optionally into machined
or punched-and-laminated recesses, claims 64-69), fill around them (70), then build
the thin film: dielectric, thru-holes, vias and wiring (72-76), repeated (83-95),
passivation (77/89/96), bonding points (78/90/97) and singulation per die or per group
(80-82/92-94/99-101). Claims 102-138 place the dies face down on a temporary substrate,
fill and thin them (102), adhere the metal substrate to their backs, fill again (107),
remove the temporary substrate and first filling, then build up the same way.
"""

from __future__ import annotations

from semipack.materials import Category
from semipack.model import Package, Role
from semipack.process.methods import Method
from semipack.process.methods.common import buildup, singulation, terminal_step
from semipack.process.steps import Flow, Step, StepKind

DIELECTRICS = ("polyimide_thinfilm", "polyimide_film", "bcb", "porous_lowk", "stress_buffer")  # claims 75/87/112/124
FILLINGS: tuple[str | Category, ...] = ("epoxy", Category.POLYMER)  # claims 71/106/108
TEMP_SUBSTRATES: tuple[str | Category, ...] = (
    "borosilicate",
    "ircut_glass",
    "si",
    Category.LAMINATE,
    Category.POLYMER,
)  # claim 105


def _metal(pkg: Package) -> list[Step]:
    style = pkg.features.get("substrate_style")
    if style == "punched":
        return [
            Step(StepKind.PROVIDE_METAL_SUBSTRATE, "provide first metal layer", claims=(67,)),
            Step(StepKind.PUNCH, "punch openings in the first metal layer", claims=(69,)),
            Step(StepKind.LAMINATE, "laminate on the second metal layer", claims=(67, 69)),
        ]
    steps = [Step(StepKind.PROVIDE_METAL_SUBSTRATE, "provide metal substrate", claims=(61,))]
    if style == "machined":
        steps.append(Step(StepKind.MACHINE, "machine inwardly protruded areas", claims=(64, 66)))
    return steps


# (passivation, bonding point, singulation) claims for one, two, and three or more levels.
_TAIL = {
    61: ((77, 78, 80), (89, 90, 92), (96, 97, 99)),
    102: ((114, 115, 117), (126, 127, 129), (133, 134, 136)),
}


def _tail(pkg: Package, method: int) -> list[Step]:
    """Passivation, bonding points and singulation, with the claim numbers of each branch."""
    n = len(pkg.by_role(Role.DIELECTRIC))
    pas, bond, sing = _TAIL[method][min(n, 3) - 1]
    per = 1 if len(pkg.by_role(Role.DIE)) == 1 else 2
    steps: list[Step] = []
    if pkg.by_role(Role.PASSIVATION):
        steps.append(Step(StepKind.PASSIVATE, claims=(pas,)))
    steps.append(terminal_step(pkg, claims=(bond, bond + 1)))
    steps.append(singulation(pkg, claims=(sing, sing + per)))
    return steps


def flow_61(pkg: Package, fill_first: bool = False) -> Flow:
    steps = _metal(pkg)
    steps += [
        Step(StepKind.DIE_ATTACH, "adhere die backsides", claims=(61,)),
        Step(StepKind.CURE, "cure die attach"),
    ]
    if pkg.by_role(Role.FILLING):
        steps += [
            Step(StepKind.FILL, "filling layer, planar with the active surface", allowed=FILLINGS, claims=(70, 71)),
            Step(StepKind.CURE, "cure filling layer"),
        ]
    plating = StepKind.ELECTROLESS_PLATE if fill_first else StepKind.ELECTROPLATE
    steps += buildup(
        pkg, {1: (61, 72, 73, 74, 75, 76), 2: (83, 84, 85, 86, 87, 88, 95)}, DIELECTRICS, fill_first, plating
    )
    steps += _tail(pkg, 61)
    name = "002-claims-61-101" + ("-filled-vias" if fill_first else "")
    return Flow(name, tuple(steps), "chip-first thin film on a metal substrate, claims 61 to 101", "002")


def flow_102(pkg: Package) -> Flow:
    steps = [
        Step(
            StepKind.PROVIDE_TEMPORARY_SUBSTRATE,
            "provide substrate (temporary)",
            material="borosilicate",
            allowed=TEMP_SUBSTRATES,
            claims=(102, 105),
        ),
        Step(StepKind.DIE_ATTACH, "adhere dies face down", face_down=True, claims=(102,)),
        Step(StepKind.FILL, "first filling layer around the dies", temporary=True, allowed=FILLINGS, claims=(102, 106)),
        Step(StepKind.GRIND, "planarise and thin filling layer and dies", claims=(102,)),
        Step(StepKind.PROVIDE_METAL_SUBSTRATE, "adhere metal substrate to the backs", claims=(102,)),
        Step(StepKind.CURE, "cure adhesive"),
    ]
    if pkg.by_role(Role.FILLING):
        steps += [
            Step(StepKind.FILL, "second filling layer", allowed=FILLINGS, claims=(107, 108)),
            Step(StepKind.CURE, "cure second filling layer"),
        ]
    steps.append(Step(StepKind.REMOVE_CARRIER, "remove first filling layer and substrate", claims=(102,)))
    steps += buildup(pkg, {1: (102, 109, 110, 111, 112, 113), 2: (120, 121, 122, 123, 124, 125, 132)}, DIELECTRICS)
    steps += _tail(pkg, 102)
    return Flow("002-claims-102-138", tuple(steps), "reconstituted chip-first flow, claims 102 to 138", "002")


def _plain_only(pkg: Package) -> str | None:
    style = pkg.features.get("substrate_style")
    if style != "plain":
        return f"claims 102-138 adhere a flat metal substrate; this design's is {style}"
    return None


METHODS = (
    Method(
        "002-claims-61-101",
        "002",
        "61-101",
        "dies adhered to the metal substrate, vias plated with the wiring",
        "thinfilm_metal",
        flow_61,
    ),
    Method(
        "002-claims-61-101-filled-vias",
        "002",
        "61-101 (74/86)",
        "thru-holes filled before electroless wiring",
        "thinfilm_metal",
        lambda pkg: flow_61(pkg, fill_first=True),
    ),
    Method(
        "002-claims-102-138",
        "002",
        "102-138",
        "face down on a temporary substrate, thinned, then build-up",
        "thinfilm_metal",
        flow_102,
        _plain_only,
    ),
)
