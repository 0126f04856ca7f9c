"""One manufacturing-flow run as a result: the step records, each material's thermal history,
the cost roll-up and whether the flow's final state is the builder's package (`to_dict` for JSON)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from semipack.errors import DesignError
from semipack.model import Package
from semipack.process.costing import Rollup, rollup
from semipack.process.defaults import DEFAULTS
from semipack.process.engine import FlowResult, run_flow
from semipack.process.history import MaterialHistory, thermal_history
from semipack.process.methods import get_method
from semipack.process.steps import Flow


def unit_design(pkg: Package) -> tuple[Package, int]:
    """A strip design as the one unit its flow builds, and the strip's unit count (1: not a strip)."""
    strip = int(pkg.features.get("strip_units", 1))
    if strip <= 1:
        return pkg, 1
    from semipack.families import get_family

    unit = get_family(pkg.family).build(replace(pkg.parameters, strip_units=1), pkg.materials, pkg.name)
    return unit, strip


@dataclass(frozen=True)
class FlowRun:
    """The flow's result, the thermal history per material, its cost roll-up and the final check."""

    result: FlowResult
    history: tuple[MaterialHistory, ...]
    roll: Rollup
    matches_builder: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (K, s, USD)."""
        result, roll = self.result, self.roll
        return {
            "design": result.design.name,
            "method": result.flow.name,
            "units": result.flow.units,
            "steps": [
                {
                    "index": r.index,
                    "kind": r.step.kind.value,
                    "title": r.step.title,
                    "figure": r.step.figure,
                    "claims": list(r.step.claims),
                    "equipment": DEFAULTS[r.step.kind].equipment.value,
                    "temperature_k": r.step.temperature_k,
                    "time_s": r.step.time_s,
                    "made": len(r.made),
                    "removed": list(r.removed),
                    "notes": list(r.notes),
                }
                for r in result.records
            ],
            "thermal_history": {
                h.material: {"peak_k": h.peak_k, "flags": list(h.flags), "steps": [e.step for e in h.exposures]}
                for h in self.history
            },
            "cycle_time_s": roll.cycle_time_s,
            "cumulative_yield": roll.cumulative_yield,
            "cost_per_good_unit_usd": roll.cost_per_good_unit_usd,
            "final_matches_builder": self.matches_builder,
        }


def flow_run(pkg: Package, method: str | None = None, flow: Flow | None = None, units: int | None = None) -> FlowRun:
    """Run ``flow`` (or the claimed ``method``, or the first that applies) on the unit ``pkg``;
    ``units`` per strip until singulation (default: the flow's own)."""
    if method is not None and flow is not None:
        raise DesignError("flow", flow.name, "give a method or a flow, not both")
    fl = flow if flow is not None else get_method(pkg, method).build(pkg)
    if units is not None:
        fl = replace(fl, units=units)
    result = run_flow(pkg, fl)
    return FlowRun(result, thermal_history(result), rollup(result), result.final.bodies == pkg.bodies)
