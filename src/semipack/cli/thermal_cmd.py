"""``semipack thermal FILE [--env ...] [--board ...] [--power 2W] [--resolution R] [--jedec|--convergence] [--json]``."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from semipack.cli.progress import live_progress
from semipack.design import load_design
from semipack.errors import DesignError
from semipack.model import Package
from semipack.thermal import KEYS, BoardKind, Environment, EnvKind, Solver
from semipack.thermal.boards import BoardStandard, ThermalLand
from semipack.thermal.environment import FilmCoefficients
from semipack.thermal.grid import DEFAULT_MAX_CELLS, check_resolution, parse_memory
from semipack.thermal.heatsink import PlateFinSink
from semipack.thermal.thermal_run import ThermalMode, ThermalRun, thermal_run
from semipack.units import Dimension, parse_quantity

E = TypeVar("E", bound=Enum)


def _enum(cls: type[E], value: str, option: str) -> E:
    try:
        return cls(value)
    except ValueError:
        raise DesignError(option, value, "allowed: " + ", ".join(m.value for m in cls)) from None


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


def _environment(f: Mapping[str, Any], jedec: bool) -> Environment:
    """The environment the flags describe (``f``: the command's parameters by name).

    For --jedec the kind is still air: the JEDEC run sets each of its four kinds itself and
    keeps the bench options (board, traces, land, radiation).
    """
    kind = EnvKind.STILL_AIR if jedec else _enum(EnvKind, f["env"], "--env")
    brd = _enum(BoardKind, f["board"], "--board")
    std = _enum(BoardStandard, f["board_standard"], "--board-standard")
    sink = (
        _sink(f["sink_base"], f["sink_fins"], f["sink_fin_height"], f["sink_fin_thickness"]) if f["heat_sink"] else None
    )
    return Environment(
        kind,
        brd,
        parse_quantity(f["ambient"], Dimension.TEMPERATURE, "--ambient"),
        parse_quantity(f["air_speed"], Dimension.VELOCITY, "--air-speed"),
        _emissivity(f["emissivity"]),
        parse_quantity(f["h"], Dimension.HEAT_TRANSFER_COEFF, "--h"),
        f["trace_coverage"],
        std,
        _land(f["land"], f["voiding"]),
        film=_films(h_top=f["h_top"], h_bottom=f["h_bottom"], h_sides=f["h_sides"], h_board=f["h_board"]),
        cold_plate_w_m2k=parse_quantity(f["cold_plate_h"], Dimension.HEAT_TRANSFER_COEFF, "--cold-plate-h"),
        heat_sink=sink,
        fanout_rows=f["fanout_rows"],
        plane_vias=f["plane_vias"],
    )


def _mode(
    jedec: bool, convergence: bool, map_out: Path | None, field_out: Path | None, workers: int | None = None
) -> ThermalMode:
    """The run the flags ask for; refuses outputs the run cannot write."""
    if map_out is not None and map_out.suffix.lower() not in (".png", ".svg"):
        raise DesignError("--map", str(map_out), "the map must end in .png or .svg")
    if field_out is not None and field_out.suffix.lower() != ".npz":
        raise DesignError("--field", str(field_out), "the 3D field is written as .npz")
    if convergence and jedec:
        raise DesignError("--convergence", "--jedec", "a mesh study runs one environment: drop --jedec")
    if workers is not None and not jedec:
        raise DesignError("--workers", workers, "sets how many JEDEC set-ups run at once: add --jedec")
    if jedec and (map_out is not None or field_out is not None):
        raise DesignError("--map/--field", "--jedec", "maps and fields come from one environment: drop --jedec")
    return ThermalMode.JEDEC if jedec else ThermalMode.CONVERGENCE if convergence else ThermalMode.ONE


def _save(run: ThermalRun, pkg: Package, map_out: Path | None, field_out: Path | None, title: str) -> None:
    """The temperature map on the design's default section and the 3D field, where asked for."""
    if run.result is None:
        return
    from semipack.draw.thermal_map import save_field, save_map
    from semipack.geometry import Axis

    if map_out is not None:
        axis, at = pkg.section_hint
        save_map(run.result, map_out, Axis(axis), at, title=title)
    if field_out is not None:
        save_field(run.result, field_out)


def _print(run: ThermalRun, title: str) -> None:
    table = Table(title=title)
    table.add_column("metric")
    table.add_column("value")
    for k in KEYS:
        v = run.metrics[k]
        table.add_row(k, "-" if v is None else (f"{v:.4g}" if isinstance(v, float) else str(v)))
    for k, v in run.extra().items():
        table.add_row(k, f"{v:.4g}" if isinstance(v, float) else str(v))
    Console().print(table)


_FILE = typer.Argument(..., help="design file (YAML)")
_ENV = typer.Option(
    "still-air", "--env", help="still-air | forced-air | cold-plate-top | cold-plate-bottom | ring-cold-plate | custom"
)
_BOARD = typer.Option("2s2p", "--board", help="none | 1s | 2s2p (test board, JESD51-3/-7/-9)")
_POWER = typer.Option(None, "--power", help="total power, e.g. 2W (default: the design's)")
_AIR_SPEED = typer.Option("1 m/s", "--air-speed", help="forced-air speed, e.g. '2 m/s'")
_H = typer.Option("10 W/m^2/K", "--h", help="custom film coefficient")
_AMBIENT = typer.Option("25 C", "--ambient", help="ambient / cold-plate temperature")
_EMISSIVITY = typer.Option(
    "material", "--emissivity", help="radiation: 'material' (each surface's own), a number for all, 0 = off"
)
_BOARD_STANDARD = typer.Option(
    "auto", "--board-standard", help="auto (by package type) | jesd51-3/7 (leaded) | jesd51-9 (area array)"
)
_TRACE_COVERAGE = typer.Option(
    None, "--trace-coverage", help="copper fraction of the board's trace fan-out (default: from the package's pins)"
)
_LAND = typer.Option(
    True, "--thermal-land/--no-thermal-land", help="JESD51-5 land, vias and solder under an exposed pad"
)
_FANOUT_ROWS = typer.Option(1, "--fanout-rows", help="terminal rings given a board trace (1 = JESD51-9's outer row)")
_PLANE_VIAS = typer.Option(
    False, "--plane-vias", help="tie every terminal to the first buried plane by a mount via (2s2p; JESD51-11 option)"
)
_VOIDING = typer.Option(0.0, "--voiding", help="void fraction of the solder under an exposed pad (0 to 0.9)")
_H_TOP = typer.Option(None, "--h-top", help="film coefficient on the package's top faces, e.g. '50 W/m^2/K'")
_H_BOTTOM = typer.Option(None, "--h-bottom", help="film coefficient on the package's downward faces")
_H_SIDES = typer.Option(None, "--h-sides", help="film coefficient on the package's sides")
_H_BOARD = typer.Option(None, "--h-board", help="film coefficient on the test board's faces")
_HEAT_SINK = typer.Option(False, "--heat-sink", help="a plate-fin heat sink on a TIM2 (forced air)")
_SINK_BASE = typer.Option("30 mm", "--sink-base", help="heat-sink base edge (square)")
_SINK_FINS = typer.Option(12, "--sink-fins", help="number of fins")
_SINK_FIN_HEIGHT = typer.Option("15 mm", "--sink-fin-height", help="fin height")
_SINK_FIN_THICKNESS = typer.Option("1 mm", "--sink-fin-thickness", help="fin thickness")
_COLD_PLATE_H = typer.Option(
    "1e8 W/m^2/K", "--cold-plate-h", help="cold-plate contact conductance (default: isothermal, perfect contact)"
)
_RESOLUTION = typer.Option(1.0, "--resolution", help="grid resolution, 0.1 to 8 (2 = about twice finer, ~8x the cells)")
_MAX_CELLS = typer.Option(
    DEFAULT_MAX_CELLS, "--max-cells", help="refuse a grid with more cells than this (about 600 bytes a cell)"
)
_MAX_MEMORY = typer.Option(
    "16 GiB", "--max-memory", help="refuse a grid whose estimated peak memory is above this (e.g. '64 GiB')"
)
_SOLVER = typer.Option("column-amg", "--solver", help=" | ".join(s.value for s in Solver))
_JEDEC = typer.Option(False, "--jedec", help="run all four JEDEC environments and fill every metric")
_WORKERS = typer.Option(
    None, "--workers", help="with --jedec: set-ups run at once, in threads (default: one per core, at most 3)"
)
_CONVERGENCE = typer.Option(
    False, "--convergence", help="also solve with every cell split 2x and 4x: observed order, Richardson, GCI"
)
_JSON = typer.Option(False, "--json", help="print the metrics as JSON")
_MAP = typer.Option(None, "--map", help="temperature map on the default section (.png or .svg)")
_FIELD = typer.Option(None, "--field", help="3D temperature field (.npz)")


def thermal(  # the environment's flags reach _environment through ctx.params
    ctx: typer.Context,
    file: Path = _FILE,
    env: str = _ENV,
    board: str = _BOARD,
    power: str | None = _POWER,
    air_speed: str = _AIR_SPEED,
    h: str = _H,
    ambient: str = _AMBIENT,
    emissivity: str = _EMISSIVITY,
    board_standard: str = _BOARD_STANDARD,
    trace_coverage: float | None = _TRACE_COVERAGE,
    land: bool = _LAND,
    fanout_rows: int = _FANOUT_ROWS,
    plane_vias: bool = _PLANE_VIAS,
    voiding: float = _VOIDING,
    h_top: str | None = _H_TOP,
    h_bottom: str | None = _H_BOTTOM,
    h_sides: str | None = _H_SIDES,
    h_board: str | None = _H_BOARD,
    heat_sink: bool = _HEAT_SINK,
    sink_base: str = _SINK_BASE,
    sink_fins: int = _SINK_FINS,
    sink_fin_height: str = _SINK_FIN_HEIGHT,
    sink_fin_thickness: str = _SINK_FIN_THICKNESS,
    cold_plate_h: str = _COLD_PLATE_H,
    resolution: float = _RESOLUTION,
    max_cells: int = _MAX_CELLS,
    max_memory: str = _MAX_MEMORY,
    solver: str = _SOLVER,
    jedec: bool = _JEDEC,
    workers: int | None = _WORKERS,
    convergence: bool = _CONVERGENCE,
    as_json: bool = _JSON,
    map_out: Path | None = _MAP,
    field_out: Path | None = _FIELD,
) -> None:
    check_resolution(resolution, "--resolution")  # before the design is built: the cheap refusals first
    mem = parse_memory(max_memory, "--max-memory")
    mode = _mode(jedec, convergence, map_out, field_out, workers)
    pkg = load_design(file)
    p = parse_quantity(power, Dimension.POWER, "--power") if power is not None else None
    e = _environment(ctx.params, jedec)
    with live_progress(not as_json) as prog:
        run = thermal_run(
            pkg,
            e,
            mode=mode,
            resolution=resolution,
            power_w=p,
            solver=_enum(Solver, solver, "--solver"),
            max_cells=max_cells,
            max_memory=mem,
            progress=prog,
            workers=workers,
        )
    _save(run, pkg, map_out, field_out, f"{pkg.name}: {env}")
    if as_json:
        sys.stdout.write(json.dumps(run.to_dict(), indent=1) + "\n")
    else:
        _print(run, f"{pkg.name}: thermal ({'JEDEC set' if jedec else env})")
        _note_smeared(run)


def _note_smeared(run: ThermalRun) -> None:
    """Say on stderr when the grid smeared balls or lands (the JSON carries it in its bench)."""
    benches = run.bench if isinstance(run.bench, list) else [run.bench]
    smeared = next((b["smeared_balls_and_lands"] for b in benches if b.get("smeared_balls_and_lands")), None)
    if smeared is not None:
        Console(stderr=True).print(
            f"note: {smeared['count']} balls and lands (narrowest {smeared['narrowest_mm']:g} mm) are narrower than "
            "the grid resolves: they are smeared into their cells, with a sub-grid model of the constriction at "
            "their ends (within 2.1 % of resolution 2 on the spreader and bare FCBGAs); "
            f"--resolution {smeared['resolved_from_resolution']:g} resolves them"
        )
