"""Pieces several methods share: thin-film build-up levels and the terminals."""

from __future__ import annotations

from semipack.materials import Category
from semipack.model import Package, Role
from semipack.process.parts import Part, classify
from semipack.process.steps import Singulation, Step, StepKind


def levels(pkg: Package) -> int:
    return len(pkg.by_role(Role.DIELECTRIC))


def buildup(
    pkg: Package,
    dielectric_claims: dict[int, tuple[int, ...]],
    allowed: tuple[str | Category, ...] = (),
    fill_first: bool = False,
    plating: StepKind = StepKind.ELECTROPLATE,
) -> list[Step]:
    """Steps (a) and (b) per level: dielectric, thru-holes, vias and wiring (claims 61-101 / 83-95)."""
    steps: list[Step] = []
    parts = classify(pkg)
    for k in range(1, levels(pkg) + 1):
        c = dielectric_claims.get(k, dielectric_claims.get(2, ()))
        steps.append(Step(StepKind.DEPOSIT_DIELECTRIC, layer=k, allowed=allowed, claims=c))
        has_vias = any(p.part is Part.VIAS and p.layer == k for p in parts.values())
        if has_vias:
            steps.append(Step(StepKind.PATTERN_THRU_HOLES, layer=k, claims=c))
        if has_vias and fill_first:
            steps.append(Step(StepKind.FILL_VIAS, layer=k, claims=c))
        if plating is StepKind.ELECTROPLATE:
            steps.append(Step(StepKind.SPUTTER_SEED, layer=k, claims=c))
        steps.append(Step(plating, layer=k, fill_vias=has_vias and not fill_first, claims=c))
        if plating is StepKind.ELECTROPLATE:
            steps.append(Step(StepKind.STRIP_RESIST, layer=k, claims=c))
    return steps


def terminal_step(pkg: Package, claims: tuple[int, ...] = ()) -> Step:
    if pkg.by_role(Role.PIN):
        return Step(StepKind.PIN_ATTACH, claims=claims)
    if pkg.by_role(Role.TERMINAL_BUMP):
        return Step(StepKind.BUMP_FORM, claims=claims)
    return Step(StepKind.BALL_ATTACH, claims=claims)


def singulation(pkg: Package, claims: tuple[int, ...] = ()) -> Step:
    per = Singulation.PER_GROUP if len(pkg.by_role(Role.DIE)) > 1 else Singulation.PER_DIE
    return Step(StepKind.SINGULATE, singulation=per, claims=claims)
