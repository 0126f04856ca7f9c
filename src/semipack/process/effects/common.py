"""What every step kind shares: the `Change` a step makes, its one-line `StepProblem`, and
the helpers that read the design's parts against the build state."""

from __future__ import annotations

from dataclasses import dataclass, replace
from fnmatch import fnmatchcase

from semipack.errors import SemipackError
from semipack.geometry import Box
from semipack.model import Body, Role
from semipack.process.context import Context
from semipack.process.facts import Fact, Uncured
from semipack.process.parts import Part
from semipack.process.state import BuildState, Level
from semipack.process.steps import Step

TOL = 1e-9


class StepProblem(SemipackError):
    """A precondition or parameter a step does not meet, in one line.

    The engine turns it into a `FlowError` that names the step; it is a `SemipackError`
    so that, should one ever escape, the CLI still shows one line and exits 2.
    """


@dataclass(frozen=True)
class Change:
    """What a step does to the state, built once by its handler (change it with `dataclasses.replace`).

    Attributes
    ----------
    add
        Bodies that appear or take a new shape (replacing the body of the same name).
    make
        Design bodies this step makes, in order.
    provisional, finalise
        Made bodies not in their final shape yet; provisional bodies this step finishes.
    temporary, remove
        Bodies that are not part of the design; bodies this step takes away.
    facts_add, facts_remove
        Facts the step sets and clears.
    notes
        One line each for the step table.
    face_down, level
        The new orientation and level, or None to keep them.
    """

    add: tuple[Body, ...] = ()
    make: tuple[str, ...] = ()
    provisional: frozenset[str] = frozenset()
    finalise: frozenset[str] = frozenset()
    temporary: frozenset[str] = frozenset()
    remove: frozenset[str] = frozenset()
    facts_add: frozenset[Fact] = frozenset()
    facts_remove: frozenset[Fact] = frozenset()
    notes: tuple[str, ...] = ()
    face_down: bool | None = None
    level: Level | None = None


def pending(ctx: Context, state: BuildState, part: Part, step: Step, layer: int | None = None) -> list[str]:
    names = [n for n in ctx.names(part, layer) if n not in state.made]
    if step.target:
        names = [n for n in names if any(fnmatchcase(n, g) for g in step.target)]
    return names


def need(ctx: Context, state: BuildState, part: Part, why: str, layer: int | None = None) -> None:
    """Raise unless every body of ``part`` the design has is made (and in its final shape)."""
    names = ctx.names(part, layer)
    missing = [n for n in names if n not in state.made]
    if missing:
        what = part.value if layer is None else f"{part.value} {layer}"
        raise StepProblem(f"{what} is not made yet ({why})")


def forbid(ctx: Context, state: BuildState, part: Part, why: str) -> None:
    if any(n in state.made for n in ctx.names(part)):
        raise StepProblem(f"{part.value} is already on ({why})")


def make(ctx: Context, names: list[str]) -> Change:
    return Change(add=tuple(ctx.bodies[n] for n in names), make=tuple(names))


def uncured_facts(ctx: Context, names: tuple[str, ...]) -> frozenset[Fact]:
    """The bodies among ``names`` that need a cure after they go on (adhesives and resins).

    The engine adds these facts for every body a step makes; ``cure`` clears them.
    """
    out: set[Fact] = set()
    for n in names:
        mat = ctx.design.materials[ctx.bodies[n].material]
        if mat.category.value in ("adhesive", "polymer") and ctx.bodies[n].role in (
            Role.DIE_ATTACH,
            Role.THERMAL_GLUE,
            Role.ADHESIVE,
            Role.ENCAPSULANT,
            Role.SEALANT,
            Role.FILLING,
        ):
            out.add(Uncured(n))
    return frozenset(out)


def has_cavity(b: Body) -> bool:
    return isinstance(b.solid, Box) and bool(b.solid.cutouts)


def plain(b: Body) -> Body:
    """A metal substrate or carrier before its cavities or openings are made."""
    assert isinstance(b.solid, Box)
    return replace(b, solid=replace(b.solid, cutouts=()))


INCOMING = "incoming."


def touch(a: Body, b: Body) -> bool:
    p, q = a.solid.bbox, b.solid.bbox
    return all(p.lo[i] <= q.hi[i] + TOL and q.lo[i] <= p.hi[i] + TOL for i in range(3))
