"""``semipack flow FILE [--method NAME | --flow FLOW.yaml] [--frames DIR] [--json] [--list]``."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from semipack.design import load_design
from semipack.errors import DesignError
from semipack.model import Package
from semipack.process import methods_for
from semipack.process.defaults import DEFAULTS
from semipack.process.loader import load_flow
from semipack.process.run import FlowRun, flow_run, unit_design


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
    pkg, strip = unit_design(load_design(file))
    units = units or (strip if strip > 1 else None)
    if list_methods:
        _list_methods(pkg, as_json)
        return
    if method is not None and flow_file is not None:
        raise DesignError("--flow", str(flow_file), "give --method or --flow, not both")
    run = flow_run(pkg, method, load_flow(flow_file) if flow_file is not None else None, units)
    if frames is not None:
        from semipack.draw.storyboard import write_frames

        write_frames(run.result, frames, frame_format)
    if as_json:
        print(json.dumps(run.to_dict(), indent=2))
        return
    _print_flow(run, pkg.name)
    if frames is not None:
        Console().print(f"wrote {len(run.result.records)} frames and storyboard.html to {frames}")


def _list_methods(pkg: Package, as_json: bool) -> None:
    options = methods_for(pkg)
    if as_json:
        rows = [
            {"method": m.name, "patent": m.patent, "claims": m.claims, "applies": why is None, "reason": why}
            for m, why in options
        ]
        print(json.dumps(rows, indent=2))
        return
    out = Console()
    if not options:
        out.print(f"no manufacturing method is defined for family {pkg.family}")
    for m, why in options:
        out.print(
            f"{m.name:32s} {m.patent} claims {m.claims}: {m.title}" + (f"  [not applicable: {why}]" if why else "")
        )


def _print_flow(run: FlowRun, name: str) -> None:
    result, roll, out = run.result, run.roll, Console()
    t = Table(title=f"{result.flow.name} on {name} ({result.flow.units} units per strip)")
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
    for h in run.history:
        if h.flags:
            out.print(f"  {h.material}: peak {h.peak_k - 273.15:.0f} C, {', '.join(h.flags)}")
    out.print(
        f"cycle time {roll.cycle_time_s:.1f} s/unit, cumulative yield {roll.cumulative_yield * 100:.2f} %, "
        f"cost per good unit {roll.cost_per_good_unit_usd:.3f} USD (default figures)"
    )
    out.print("final state matches the builder: " + ("yes" if run.matches_builder else "NO"))
