"""Cycle time, cumulative yield and cost per good unit, rolled up over a flow.

References
----------
The cost of a good unit counts what every started unit consumed up to the step where it
was lost: with step costs c_i and yields y_i,

    cost per good unit = sum_i c_i * prod_{j<i} y_j / prod_j y_j

(a unit scrapped at step i has paid for steps 1..i). See e.g. Tummala (ed.),
Fundamentals of Microsystems Packaging, McGraw-Hill 2001, ch. 3 (cost of ownership
and yield).
"""

from __future__ import annotations

from dataclasses import dataclass

from semipack.process.defaults import DEFAULTS
from semipack.process.engine import FlowResult


@dataclass(frozen=True)
class StepCost:
    index: int
    title: str
    equipment: str
    temperature_k: float
    time_s: float
    cycle_s: float
    yield_fraction: float
    cost_usd: float


@dataclass(frozen=True)
class Rollup:
    steps: tuple[StepCost, ...]
    cycle_time_s: float
    cumulative_yield: float
    cost_per_good_unit_usd: float


def rollup(result: FlowResult, overrides: dict[int, dict[str, float]] | None = None) -> Rollup:
    """Per-step figures (defaults, or ``overrides[step] = {cycle_s, yield, cost_usd}``) and their roll-up."""
    overrides = overrides or {}
    rows = []
    alive = 1.0
    spent = 0.0
    for rec in result.records:
        d = DEFAULTS[rec.step.kind]
        o = overrides.get(rec.index, {})
        y = o.get("yield", d.yield_fraction)
        c = o.get("cost_usd", d.cost_usd)
        rows.append(
            StepCost(
                rec.index,
                rec.step.title,
                d.equipment.value,
                rec.step.temperature_k or d.temperature_k,
                rec.step.time_s or 0.0,
                o.get("cycle_s", d.cycle_s),
                y,
                c,
            )
        )
        spent += c * alive
        alive *= y
    return Rollup(tuple(rows), sum(r.cycle_s for r in rows), alive, spent / alive)
