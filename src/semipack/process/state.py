"""The build state between steps, and the packages drawn from it (one unit, or the panel)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from semipack.geometry import Box
from semipack.model import Body, Package
from semipack.model.tile import CONTINUOUS, tile_strip
from semipack.process.facts import Fact, Temporary
from semipack.process.steps import Step


class Level(Enum):
    """How the units are held: a strip or panel until singulation, then single units."""

    PANEL = "panel"
    UNIT = "unit"


@dataclass(frozen=True)
class BuildState:
    """What exists after a step, for one unit (the panel view is derived from it).

    Attributes
    ----------
    bodies
        Bodies as they are now, in the finished unit's frame: design bodies (some in a
        provisional shape: a die before thinning, a carrier before machining, a memory
        die on the flat flex) and temporary bodies (a temporary substrate, mould flash).
    made
        Design bodies made so far.
    provisional
        Made design bodies whose shape is not final yet.
    temporary
        Bodies that are not part of the design and must be gone at the end.
    facts
        What the engine tracks besides bodies (`Uncured`, `ThruHoles`, `SeedLayer`, `PlatingResist`,
        `Flag`; see `semipack.process.facts`).
    level
        Panel (strip) or singulated unit.
    face_down
        Drawn upside down (dies on a temporary substrate, claim 102).
    """

    bodies: tuple[Body, ...] = ()
    made: frozenset[str] = frozenset()
    provisional: frozenset[str] = frozenset()
    temporary: frozenset[str] = frozenset()
    facts: frozenset[Fact] = frozenset()
    level: Level = Level.PANEL
    face_down: bool = False

    def has(self, name: str) -> bool:
        return any(b.name == name for b in self.bodies)

    def holds(self, kind: Temporary) -> bool:
        """Whether the engine's temporary body ``kind`` is in the build now."""
        return kind.value in self.temporary and self.has(kind.value)

    def get(self, name: str) -> Body:
        for b in self.bodies:
            if b.name == name:
                return b
        raise KeyError(name)


@dataclass(frozen=True)
class StepRecord:
    """One step as run: the state after it, what it made or removed, and notes."""

    index: int
    step: Step
    state: BuildState
    made: tuple[str, ...]
    removed: tuple[str, ...]
    notes: tuple[str, ...]


def _sheet(b: Body, outline: tuple[float, float, float, float]) -> bool:
    """A box that covers the whole unit outline: one continuous sheet across the panel."""
    if not isinstance(b.solid, Box):
        return False
    bb = b.solid.bbox
    x0, y0, x1, y1 = outline
    tol = 1e-9
    return (
        abs(bb.lo[0] - x0) < tol and abs(bb.hi[0] - x1) < tol and abs(bb.lo[1] - y0) < tol and abs(bb.hi[1] - y1) < tol
    )


def unit_package(design: Package, state: BuildState, validate: bool = False) -> Package:
    """The state as a package of one unit (nets and contacts cut down to what exists)."""
    names = {b.name for b in state.bodies}
    bodies = state.bodies
    if state.face_down:
        bodies = tuple(replace(b, solid=b.solid.mirrored_z()) for b in bodies)
    nets = tuple(
        replace(n, edges=tuple(e for e in n.edges if e[0] in names or e[1] in names), routes=()) for n in design.nets
    )
    return replace(
        design,
        bodies=bodies,
        pads=tuple(p for p in design.pads if p.die in names),
        nets=tuple(n for n in nets if n.edges),
        heat_sources=tuple(h for h in design.heat_sources if h.body in names),
        contacts=tuple(c for c in design.contacts if c[0] in names and c[1] in names),
        markers=design.markers if state.made >= {b.name for b in design.bodies} else (),
        validate=validate,
    )


def outline_of(design: Package) -> tuple[float, float, float, float]:
    bb = design.bbox
    return (bb.lo[0], bb.lo[1], bb.hi[0], bb.hi[1])


def panel_package(design: Package, state: BuildState, units: int, street_m: float, span_m: float) -> Package:
    """The state as the strip it is before singulation: ``units`` copies, sheets merged.

    ``span_m`` is the widest x extent any state of the flow reaches (a flat flex is
    wider than the finished unit); the copies sit at ``span_m + street_m`` pitch.
    """
    unit = unit_package(design, state)
    if state.level is Level.UNIT or units == 1:
        return unit
    outline = outline_of(design)
    tagged = tuple(replace(b, tags=b.tags | {CONTINUOUS}) if _sheet(b, outline) else b for b in unit.bodies)
    return tile_strip(replace(unit, bodies=tagged, validate=False), units, span_m + street_m)
