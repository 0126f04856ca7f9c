"""``semipack flow FILE [--method NAME | --flow FLOW.yaml] [--frames DIR] [--json] [--list]``."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from semipack.design import load_design
from semipack.errors import DesignError
from semipack.process import get_method, methods_for, run_flow
from semipack.process.costing import rollup
from semipack.process.defaults import DEFAULTS
from semipack.process.history import thermal_history
from semipack.process.loader import load_flow


def flow(
    file: Path = typer.Argument(..., help="design file (YAML)"),
    method: str | None = typer.Option(None, "--method", help="claimed method to run (see --list)"),
    flow_file: Path | None = typer.Option(None, "--flow", help="your own flow (YAML) instead of a claimed method"),
    frames: Path | None = typer.Option(None, "--frames", help="write one section per step and storyboard.html here"),
    frame_format: str = typer.Option("svg", "--format", help="frame format: svg or png"),
    units: int | None = typer.Option(None, "--units", min=1, max=1000, help="units per strip until singulation"),
    as_json: bool = typer.Option(False, "--json", help="print the result as JSON"),
    list_methods: bool = typer.Option(False, "--list", help="list the methods this design supports"),
) -> None:
    if frame_format not in ("svg", "png"):
        raise DesignError("--format", frame_format, "allowed: svg, png")
    pkg = load_design(file)
    strip = int(pkg.features.get("strip_units", 1))
    if strip > 1:
        # A strip design: the flow builds one unit, carried strip_units to a strip until the saw.
        from dataclasses import replace as dc_replace

        from semipack.families import get_family

        pkg = get_family(pkg.family).build(dc_replace(pkg.parameters, strip_units=1), pkg.materials, pkg.name)
        units = units or strip
    out = Console()
    if list_methods:
        options = methods_for(pkg)
        if as_json:
            print(
                json.dumps(
                    [
                        {
                            "method": m.name,
                            "patent": m.patent,
                            "claims": m.claims,
                            "applies": why is None,
                            "reason": why,
                        }
                        for m, why in options
                    ],
                    indent=2,
                )
            )
            return
        if not options:
            out.print(f"no manufacturing method is defined for family {pkg.family}")
        for m, why in options:
            out.print(
                f"{m.name:32s} {m.patent} claims {m.claims}: {m.title}" + (f"  [not applicable: {why}]" if why else "")
            )
        return
    if method is not None and flow_file is not None:
        raise DesignError("--flow", str(flow_file), "give --method or --flow, not both")
    fl = load_flow(flow_file) if flow_file is not None else get_method(pkg, method).build(pkg)
    if units is not None:
        fl = replace(fl, units=units)
    result = run_flow(pkg, fl)
    history = thermal_history(result)
    roll = rollup(result)
    matches = result.final.bodies == pkg.bodies
    if frames is not None:
        from semipack.draw.storyboard import write_frames

        write_frames(result, frames, frame_format)
    if as_json:
        print(json.dumps(_json(result, history, roll, matches), indent=2))
        return
    t = Table(title=f"{fl.name} on {pkg.name} ({fl.units} units per strip)")
    for col in ("#", "fig.", "step", "equipment", "T (C)", "time (s)", "makes", "notes"):
        t.add_column(col)
    for r in result.records:
        s = r.step
        t.add_row(
            str(r.index),
            s.figure,
            s.title,
            DEFAULTS[s.kind].equipment.value,
            f"{(s.temperature_k or 0) - 273.15:.0f}",
            f"{s.time_s or 0:.0f}",
            str(len(r.made)),
            "; ".join(r.notes),
        )
    out.print(t)
    for h in history:
        if h.flags:
            out.print(f"  {h.material}: peak {h.peak_k - 273.15:.0f} C, {', '.join(h.flags)}")
    out.print(
        f"cycle time {roll.cycle_time_s:.1f} s/unit, cumulative yield {roll.cumulative_yield * 100:.2f} %, "
        f"cost per good unit {roll.cost_per_good_unit_usd:.3f} USD (default figures)"
    )
    out.print("final state matches the builder: " + ("yes" if matches else "NO"))
    if frames is not None:
        out.print(f"wrote {len(result.records)} frames and storyboard.html to {frames}")


def _json(result: Any, history: Any, roll: Any, matches: bool) -> dict[str, Any]:
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
            for h in history
        },
        "cycle_time_s": roll.cycle_time_s,
        "cumulative_yield": roll.cumulative_yield,
        "cost_per_good_unit_usd": roll.cost_per_good_unit_usd,
        "final_matches_builder": matches,
    }
