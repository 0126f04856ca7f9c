"""Run a flow: every step's checks and effect in order, every intermediate state kept.

The engine starts from the finished design (what the family builder makes) and a
flow, and plays the flow forward. Each step must find its preconditions met, must
make something the design has, and may not leave a body floating. At the end every
design body must exist exactly as the builder made it, no temporary body may remain,
and the units must be singulated; the result holds the final package, rebuilt from
the last state and validated like any other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from semipack.errors import FlowError
from semipack.materials import Category
from semipack.model import Package
from semipack.process.context import Context
from semipack.process.defaults import DEFAULTS
from semipack.process.effects import HANDLERS, Change, StepProblem, uncured_facts
from semipack.process.facts import uncured_bodies
from semipack.process.state import BuildState, Level, StepRecord, panel_package, unit_package
from semipack.process.steps import PROVIDE_KINDS, Flow, Step, allowed_text

_TOL = 1e-9


@dataclass(frozen=True)
class FlowResult:
    """A flow as run on a design: every step's record and the final package."""

    flow: Flow
    design: Package
    records: tuple[StepRecord, ...]
    final: Package
    span_m: float

    def unit(self, index: int) -> Package:
        """The state after step ``index`` (1-based) as one unit."""
        return unit_package(self.design, self.records[index - 1].state)

    def panel(self, index: int, units: int | None = None) -> Package:
        """The state after step ``index`` as the strip it is on (singulated units after the saw)."""
        n = self.flow.units if units is None else units
        return panel_package(self.design, self.records[index - 1].state, n, self.flow.street_m, self.span_m)


def resolved(step: Step) -> Step:
    """The step with its default temperature and time filled in."""
    d = DEFAULTS[step.kind]
    return replace(
        step,
        temperature_k=d.temperature_k if step.temperature_k is None else step.temperature_k,
        time_s=d.time_s if step.time_s is None else step.time_s,
    )


def _check_materials(ctx: Context, step: Step, change: Change) -> None:
    lib = ctx.design.materials
    made_mats = sorted(
        {ctx.bodies[n].material for n in change.make} | {b.material for b in change.add if b.name in change.temporary}
    )
    if step.material is not None:
        if step.material not in lib:
            raise StepProblem(f"material {step.material!r} is not in the library")
        if made_mats and step.material not in made_mats:
            raise StepProblem(f"material {step.material!r} differs from the design's {', '.join(made_mats)}")
    if step.allowed and made_mats:
        keys = {a for a in step.allowed if isinstance(a, str)}
        cats = {a for a in step.allowed if isinstance(a, Category)}
        bad = [m for m in made_mats if m not in keys and lib[m].category not in cats]
        principal = _principal(ctx, step, change)
        bad = [m for m in bad if m in principal]
        if bad:
            claims = ", ".join(str(c) for c in step.claims) or "the method"
            raise StepProblem(
                f"material {bad[0]!r} is outside the set claim {claims} allows: {allowed_text(step.allowed)}"
            )


def _principal(ctx: Context, step: Step, change: Change) -> set[str]:
    """Materials of the bodies a claim's material set speaks about (the layer, not its vias)."""
    if not change.make:
        return {b.material for b in change.add}
    # The largest body made carries the claimed material (a dielectric, not the copper in it).
    vols = {n: ctx.bodies[n].solid.bbox.volume for n in change.make}
    big = max(vols, key=lambda n: vols[n])
    return {ctx.bodies[big].material}


# A material's ``max_temperature`` is a continuous or cure limit; a step that holds it above
# that limit for longer than this is refused, a shorter excursion (a reflow) is only flagged
# in the thermal history.
EXCURSION_S = 300.0


def _check_temperature(ctx: Context, step: Step, bodies: tuple[str, ...], state_mats: set[str]) -> None:
    t = step.temperature_k
    if t is None or (step.time_s is not None and step.time_s <= EXCURSION_S):
        return
    lib = ctx.design.materials
    for m in sorted(state_mats):
        mat = lib[m]
        if mat.category is Category.SOLDER or mat.max_temperature_k is None:
            continue  # solders melt on purpose in a reflow; the thermal history flags it
        if t > mat.max_temperature_k + 1e-6:
            raise StepProblem(
                f"{t - 273.15:.0f} C for {step.time_s or 0:.0f} s exceeds the "
                f"{mat.max_temperature_k - 273.15:.0f} C limit of {m} ({mat.name})"
            )


def _check_support(state: BuildState, change: Change) -> None:
    """Every new body must touch something already there, directly or through another new body."""
    new = [b for b in change.add if b.name in set(change.make) and not state.has(b.name)]
    if not new or not state.bodies:
        return
    fresh = {b.name for b in new}
    # Bodies a step moves into place (memory dies as the flex folds) count where they end up.
    after = _apply(state, change)
    old = np.array([[*b.solid.bbox.lo, *b.solid.bbox.hi] for b in after.bodies if b.name not in fresh])
    nb = np.array([[*b.solid.bbox.lo, *b.solid.bbox.hi] for b in new])

    def touching(a: np.ndarray, bs: np.ndarray) -> np.ndarray:
        hit: np.ndarray = np.all((a[:3] <= bs[:, 3:] + _TOL) & (bs[:, :3] <= a[3:] + _TOL), axis=1)
        return hit

    supported = np.array([bool(touching(r, old).any()) if len(old) else False for r in nb])
    # Spread support through the new bodies (balls on lands made in the same step, ...).
    for _ in range(len(new)):
        grew = False
        for i in np.flatnonzero(~supported):
            if touching(nb[i], nb[supported]).any():
                supported[i] = True
                grew = True
        if not grew:
            break
    if not supported.all():
        floating = [new[i].name for i in np.flatnonzero(~supported)][:3]
        raise StepProblem(f"{', '.join(floating)} would float: nothing it rests on is there yet")


def _apply(state: BuildState, change: Change) -> BuildState:
    replaced = {b.name for b in change.add}
    bodies = [b for b in state.bodies if b.name not in replaced and b.name not in change.remove]
    bodies += change.add
    return BuildState(
        bodies=tuple(bodies),
        made=state.made | set(change.make),
        provisional=(state.provisional | change.provisional) - change.finalise,
        temporary=(state.temporary | change.temporary) - change.remove,
        facts=(state.facts | change.facts_add) - change.facts_remove,
        level=change.level if change.level is not None else state.level,
        face_down=change.face_down if change.face_down is not None else state.face_down,
    )


def run_flow(design: Package, flow: Flow) -> FlowResult:
    """Play ``flow`` on ``design``; raise `FlowError` at the first step that cannot run.

    ``design`` is one unit as its family builder makes it; the flow carries
    ``flow.units`` of them on a strip until it singulates.
    """
    if design.features.get("strip_units", 1) != 1:
        raise FlowError(0, flow.name, "run flows on the single-unit design; the flow sets the units per strip")
    ctx = Context.of(design)
    state = BuildState(level=Level.PANEL if flow.units > 1 else Level.UNIT)
    records: list[StepRecord] = []
    span = 0.0
    if not flow.steps:
        raise FlowError(0, flow.name, "the flow has no steps")
    for i, raw in enumerate(flow.steps, start=1):
        step = resolved(raw)
        try:
            change = HANDLERS[step.kind](ctx, state, step)
            change = replace(change, facts_add=change.facts_add | uncured_facts(ctx, change.make))
            dup = [n for n in change.make if n in state.made]
            if dup:
                raise StepProblem(f"{dup[0]} is already made")
            _check_materials(ctx, step, change)
            if step.kind not in PROVIDE_KINDS:
                _check_support(state, change)
            nxt = _apply(state, change)
            _check_temperature(ctx, step, change.make, {b.material for b in nxt.bodies})
        except StepProblem as exc:
            raise FlowError(i, step.title, str(exc)) from None
        state = nxt
        bb = [b.solid.bbox for b in state.bodies]
        if bb:
            span = max(span, 2 * max(max(abs(b.lo[0]), abs(b.hi[0])) for b in bb))
        records.append(StepRecord(i, step, state, change.make, tuple(sorted(change.remove)), change.notes))
    last = len(flow.steps)
    missing = [n for n in ctx.parts if n not in state.made]
    if missing:
        parts = sorted({str(ctx.parts[n]) for n in missing})
        raise FlowError(last, flow.steps[-1].kind.value, f"the flow ends without making: {', '.join(parts)}")
    if state.provisional:
        raise FlowError(
            last, flow.steps[-1].kind.value, f"not in final shape yet: {', '.join(sorted(state.provisional))}"
        )
    if state.temporary:
        raise FlowError(last, flow.steps[-1].kind.value, f"temporary bodies left: {', '.join(sorted(state.temporary))}")
    if state.level is not Level.UNIT:
        raise FlowError(last, flow.steps[-1].kind.value, "the flow ends on the strip: singulate the units")
    uncured = uncured_bodies(state.facts)
    if uncured:
        raise FlowError(last, flow.steps[-1].kind.value, f"not cured: {', '.join(uncured)}")
    order = {b.name: i for i, b in enumerate(design.bodies)}
    # Rebuilt from the last state (not copied from the design) and validated afresh.
    final = replace(design, bodies=tuple(sorted(state.bodies, key=lambda b: order[b.name])), validate=True)
    return FlowResult(flow, design, tuple(records), final, max(span, design.bbox.hi[0] - design.bbox.lo[0]))
