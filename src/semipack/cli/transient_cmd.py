"""``semipack transient FILE --power 2W --until 1000s [--env ...] [--json]``: Zth(t) and structure functions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from semipack.cli.progress import live_progress
from semipack.cli.thermal_cmd import _enum
from semipack.design import load_design
from semipack.errors import DesignError
from semipack.thermal import BoardKind, Environment, EnvKind
from semipack.thermal.grid import check_resolution
from semipack.thermal.steady import Solver
from semipack.thermal.stepping import STEP_SOLVERS, check_step_solver
from semipack.thermal.transient import simulate
from semipack.units import Dimension, parse_quantity

_SOLVER_HELP = "each step's preconditioner: " + " | ".join(m.value for m in STEP_SOLVERS)


def transient(
    file: Path = typer.Argument(..., help="design file (YAML)"),
    power: str | None = typer.Option(None, "--power", help="total power step, e.g. 2W (default: the design's)"),
    until: str = typer.Option("100 s", "--until", help="end time, e.g. '1000 s'"),
    env: str = typer.Option("cold-plate-bottom", "--env", help="environment, as for `semipack thermal`"),
    board: str = typer.Option("none", "--board", help="none | 1s | 2s2p"),
    resolution: float = typer.Option(0.7, "--resolution", help="grid resolution"),
    solver: str = typer.Option("column-amg", "--solver", help=_SOLVER_HELP),
    as_json: bool = typer.Option(False, "--json", help="print Zth(t), Foster and Cauer networks as JSON"),
) -> None:
    check_resolution(resolution, "--resolution")
    pkg = load_design(file)
    p = parse_quantity(power, Dimension.POWER, "--power") if power is not None else None
    if p is not None and not p > 0:
        raise DesignError("--power", power, "must be positive")
    t_end = parse_quantity(until, Dimension.TIME, "--until")
    kind = _enum(EnvKind, env, "--env")
    brd = _enum(BoardKind, board, "--board")
    step_solver = _enum(Solver, solver, "--solver")
    check_step_solver(step_solver, "--solver")
    assert isinstance(kind, EnvKind) and isinstance(brd, BoardKind)
    with live_progress(not as_json) as prog:
        r = simulate(
            pkg,
            Environment(kind, brd),
            until_s=t_end,
            resolution=resolution,
            power_w=p,
            solver=step_solver,
            progress=prog,
        )
    doc = {
        "power_w": r.power_w,
        "times_s": r.times_s.tolist(),
        "tj_c": (r.tj_k - 273.15).tolist(),
        "zth_c_per_w": r.zth_k_per_w.tolist(),
        "foster_r_c_per_w": r.foster_r.tolist(),
        "foster_tau_s": r.foster_tau.tolist(),
        "cauer_r_c_per_w": r.cauer_r.tolist(),
        "cauer_c_j_per_k": r.cauer_c.tolist(),
        "structure_function_cum_r_c_per_w": r.cumulative_r.tolist(),
        "structure_function_cum_c_j_per_k": r.cumulative_c.tolist(),
        "steps": r.steps,
        "solve_s": r.solve_s,
    }
    if as_json:
        sys.stdout.write(json.dumps(doc) + "\n")
        return
    table = Table(title=f"{pkg.name}: Zth(t), {r.steps} steps")
    table.add_column("t (s)")
    table.add_column("Tj (C)")
    table.add_column("Zth (C/W)")
    for i in np.unique(np.geomspace(1, len(r.times_s) - 1, 12).astype(int)):
        table.add_row(f"{r.times_s[i]:.3g}", f"{r.tj_k[i] - 273.15:.2f}", f"{r.zth_k_per_w[i]:.4g}")
    console = Console()
    console.print(table)
    console.print(
        f"structure function: total R {r.cumulative_r[-1]:.4g} C/W, total C {r.cumulative_c[-1]:.4g} J/K "
        f"({len(r.cauer_r)} Cauer stages)"
    )
