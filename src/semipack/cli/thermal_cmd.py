"""``semipack thermal FILE [--env ...] [--board ...] [--power 2W] [--resolution R] [--jedec|--convergence] [--json]``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from semipack.cli.progress import live_progress
from semipack.design import load_design
from semipack.errors import DesignError
from semipack.model import Package
from semipack.progress import Progress
from semipack.thermal import KEYS, BoardKind, Environment, EnvKind, Solver, jedec_metrics, metrics_of, solve_thermal
from semipack.thermal.boards import BoardStandard, ThermalLand
from semipack.thermal.environment import FilmCoefficients
from semipack.thermal.grid import DEFAULT_MAX_CELLS, check_resolution, parse_memory
from semipack.thermal.heatsink import PlateFinSink
from semipack.thermal.metrics import bench_of
from semipack.thermal.steady import ThermalResult
from semipack.units import Dimension, parse_quantity


def _enum(cls: type, value: str, option: str) -> object:
    try:
        return cls(value)
    except ValueError:
        raise DesignError(option, value, "allowed: " + ", ".join(m.value for m in cls)) from None  # type: ignore[attr-defined]


def _emissivity(text: str) -> float | None:
    if text.strip().lower() == "material":
        return None
    try:
        value = float(text)
    except ValueError:
        raise DesignError("--emissivity", text, "'material' or a number from 0 (no radiation) to 1") from None
    if not 0 <= value <= 1:
        raise DesignError("--emissivity", text, "'material' or a number from 0 (no radiation) to 1")
    return value


def _sink(base: str, fins: int, height: str, thickness: str) -> PlateFinSink:
    edge = parse_quantity(base, Dimension.LENGTH, "--sink-base")
    return PlateFinSink(
        base_x_m=edge,
        base_y_m=edge,
        fins=fins,
        fin_height_m=parse_quantity(height, Dimension.LENGTH, "--sink-fin-height"),
        fin_thickness_m=parse_quantity(thickness, Dimension.LENGTH, "--sink-fin-thickness"),
    )


def _films(**flags: str | None) -> FilmCoefficients:
    """--h-top/--h-bottom/--h-sides/--h-board as the environment's film coefficients by face class."""
    values = {
        name.removeprefix("h_"): parse_quantity(v, Dimension.HEAT_TRANSFER_COEFF, "--" + name.replace("_", "-"))
        for name, v in flags.items()
        if v is not None
    }
    return FilmCoefficients(**values)


def _land(on: bool, voiding: float) -> ThermalLand | None:
    if not 0 <= voiding <= 0.9:
        raise DesignError("--voiding", voiding, "a fraction from 0 to 0.9")
    return ThermalLand(voiding=voiding) if on else None


def _run(
    pkg: Package,
    e: Environment,
    jedec: bool,
    convergence: bool,
    resolution: float,
    p: float | None,
    slv: Solver,
    max_cells: int,
    max_memory: float,
    prog: Progress,
) -> tuple[dict[str, Any], dict[str, object], ThermalResult | None]:
    """The analysis the flags ask for: metrics, extra output fields and the one result (None for --jedec)."""
    kw: dict[str, Any] = {
        "resolution": resolution, "power_w": p, "solver": slv, "max_cells": max_cells, "max_memory": max_memory
    }
    extra: dict[str, object] = {}
    if jedec:
        out = jedec_metrics(pkg, template=e, progress=prog, **kw)
        extra["bench"] = out["bench"]
        return out, extra, None
    if convergence:
        from semipack.thermal.convergence import mesh_study

        gc, results = mesh_study(pkg, e, progress=prog, **kw)
        result = results[0]
        extra = {
            "convergence_cells": list(gc.cells),
            "convergence_theta_c_per_w": list(gc.values),
            "observed_order": gc.order,
            "oscillatory": gc.oscillatory,
            "richardson_theta_c_per_w": gc.extrapolated,
            "gci_fine_rel": gc.gci_fine,
        }
    else:
        result = solve_thermal(pkg, e, progress=prog, **kw)
    extra["bench"] = bench_of(pkg, result)
    return metrics_of(result), extra, result


def thermal(
    file: Path = typer.Argument(..., help="design file (YAML)"),
    env: str = typer.Option(
        "still-air",
        "--env",
        help="still-air | forced-air | cold-plate-top | cold-plate-bottom | ring-cold-plate | custom",
    ),
    board: str = typer.Option("2s2p", "--board", help="none | 1s | 2s2p (test board, JESD51-3/-7/-9)"),
    power: str | None = typer.Option(None, "--power", help="total power, e.g. 2W (default: the design's)"),
    air_speed: str = typer.Option("1 m/s", "--air-speed", help="forced-air speed, e.g. '2 m/s'"),
    h: str = typer.Option("10 W/m^2/K", "--h", help="custom film coefficient"),
    ambient: str = typer.Option("25 C", "--ambient", help="ambient / cold-plate temperature"),
    emissivity: str = typer.Option(
        "material", "--emissivity", help="radiation: 'material' (each surface's own), a number for all, 0 = off"
    ),
    board_standard: str = typer.Option(
        "auto", "--board-standard", help="auto (by package type) | jesd51-3/7 (leaded) | jesd51-9 (area array)"
    ),
    trace_coverage: float | None = typer.Option(
        None, "--trace-coverage", help="copper fraction of the board's trace fan-out (default: from the package's pins)"
    ),
    land: bool = typer.Option(
        True, "--thermal-land/--no-thermal-land", help="JESD51-5 land, vias and solder under an exposed pad"
    ),
    fanout_rows: int = typer.Option(1, "--fanout-rows", help="terminal rings given a board trace (1 = JESD51-9's outer row)"),
    plane_vias: bool = typer.Option(
        False, "--plane-vias", help="tie every terminal to the first buried plane by a mount via (2s2p; JESD51-11 option)"
    ),
    voiding: float = typer.Option(0.0, "--voiding", help="void fraction of the solder under an exposed pad (0 to 0.9)"),
    h_top: str | None = typer.Option(None, "--h-top", help="film coefficient on the package's top faces, e.g. '50 W/m^2/K'"),
    h_bottom: str | None = typer.Option(None, "--h-bottom", help="film coefficient on the package's downward faces"),
    h_sides: str | None = typer.Option(None, "--h-sides", help="film coefficient on the package's sides"),
    h_board: str | None = typer.Option(None, "--h-board", help="film coefficient on the test board's faces"),
    heat_sink: bool = typer.Option(False, "--heat-sink", help="a plate-fin heat sink on a TIM2 (forced air)"),
    sink_base: str = typer.Option("30 mm", "--sink-base", help="heat-sink base edge (square)"),
    sink_fins: int = typer.Option(12, "--sink-fins", help="number of fins"),
    sink_fin_height: str = typer.Option("15 mm", "--sink-fin-height", help="fin height"),
    sink_fin_thickness: str = typer.Option("1 mm", "--sink-fin-thickness", help="fin thickness"),
    cold_plate_h: str = typer.Option(
        "1e8 W/m^2/K", "--cold-plate-h", help="cold-plate contact conductance (default: isothermal, perfect contact)"
    ),
    resolution: float = typer.Option(
        1.0, "--resolution", help="grid resolution, 0.1 to 8 (2 = about twice finer, ~8x the cells)"
    ),
    max_cells: int = typer.Option(
        DEFAULT_MAX_CELLS, "--max-cells", help="refuse a grid with more cells than this (about 600 bytes a cell)"
    ),
    max_memory: str = typer.Option(
        "16 GiB", "--max-memory", help="refuse a grid whose estimated peak memory is above this (e.g. '64 GiB')"
    ),
    solver: str = typer.Option(
        "column-amg", "--solver", help="column-amg | column-amg-gpu | zline-mg | zline-mg-gpu | amg | jacobi | direct"
    ),
    jedec: bool = typer.Option(False, "--jedec", help="run all four JEDEC environments and fill every metric"),
    convergence: bool = typer.Option(
        False, "--convergence", help="also solve with every cell split 2x and 4x: observed order, Richardson, GCI"
    ),
    as_json: bool = typer.Option(False, "--json", help="print the metrics as JSON"),
    map_out: Path | None = typer.Option(None, "--map", help="temperature map on the default section (.png or .svg)"),
    field_out: Path | None = typer.Option(None, "--field", help="3D temperature field (.npz)"),
) -> None:
    check_resolution(resolution, "--resolution")
    if not 1000 <= max_cells <= 2_000_000_000:
        raise DesignError("--max-cells", max_cells, "a cell count from 1000 to 2e9")
    mem = parse_memory(max_memory, "--max-memory")
    if map_out is not None and map_out.suffix.lower() not in (".png", ".svg"):
        raise DesignError("--map", str(map_out), "the map must end in .png or .svg")
    if field_out is not None and field_out.suffix.lower() != ".npz":
        raise DesignError("--field", str(field_out), "the 3D field is written as .npz")
    pkg = load_design(file)
    p = parse_quantity(power, Dimension.POWER, "--power") if power is not None else None
    if p is not None and not p > 0:
        raise DesignError("--power", power, "must be positive")
    slv = _enum(Solver, solver, "--solver")
    assert isinstance(slv, Solver)
    if slv is Solver.COLUMN_AMG_GPU:  # say so before the grid is built
        from semipack.thermal.solvers.column_amg_device import cupy_or_error

        cupy_or_error()
    extra: dict[str, object] = {}
    if convergence and jedec:
        raise DesignError("--convergence", "--jedec", "a mesh study runs one environment: drop --jedec")
    if jedec and (map_out is not None or field_out is not None):
        raise DesignError("--map/--field", "--jedec", "maps and fields come from one environment: drop --jedec")
    # --jedec runs its own four set-ups; the bench options (board, traces, land, radiation) apply to each.
    kind = EnvKind.STILL_AIR if jedec else _enum(EnvKind, env, "--env")
    brd = _enum(BoardKind, board, "--board")
    assert isinstance(kind, EnvKind) and isinstance(brd, BoardKind)
    std = _enum(BoardStandard, board_standard, "--board-standard")
    assert isinstance(std, BoardStandard)
    e = Environment(
        kind,
        brd,
        parse_quantity(ambient, Dimension.TEMPERATURE, "--ambient"),
        parse_quantity(air_speed, Dimension.VELOCITY, "--air-speed"),
        _emissivity(emissivity),
        parse_quantity(h, Dimension.HEAT_TRANSFER_COEFF, "--h"),
        trace_coverage,
        std,
        _land(land, voiding),
        film=_films(h_top=h_top, h_bottom=h_bottom, h_sides=h_sides, h_board=h_board),
        cold_plate_w_m2k=parse_quantity(cold_plate_h, Dimension.HEAT_TRANSFER_COEFF, "--cold-plate-h"),
        heat_sink=_sink(sink_base, sink_fins, sink_fin_height, sink_fin_thickness) if heat_sink else None,
        fanout_rows=fanout_rows,
        plane_vias=plane_vias,
    )
    with live_progress(not as_json) as prog:
        out, extra, result = _run(pkg, e, jedec, convergence, resolution, p, slv, max_cells, mem, prog)
    if result is not None and (map_out is not None or field_out is not None):
        from semipack.draw.thermal_map import save_field, save_map
        from semipack.geometry import Axis

        if map_out is not None:
            axis, at = pkg.section_hint
            save_map(result, map_out, Axis(axis), at, title=f"{pkg.name}: {env}")
        if field_out is not None:
            save_field(result, field_out)
    if as_json:
        sys.stdout.write(json.dumps({**{k: out[k] for k in KEYS}, **extra}, indent=1) + "\n")
        return
    table = Table(title=f"{pkg.name}: thermal ({'JEDEC set' if jedec else env})")
    table.add_column("metric")
    table.add_column("value")
    for k in KEYS:
        v = out[k]
        table.add_row(k, "-" if v is None else (f"{v:.4g}" if isinstance(v, float) else str(v)))
    for k, v in extra.items():
        table.add_row(k, f"{v:.4g}" if isinstance(v, float) else str(v))
    Console().print(table)
