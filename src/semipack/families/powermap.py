"""Power maps: how a die's power is spread over its active face.

A die dissipates a uniform power, plus named blocks (rectangles in the die's own
frame, origin at the die centre, with their watts), plus optionally a grid of cells
(watts per cell, rows from +y as a floor plan is drawn, read from a CSV file). The
thermal and transient solvers take the result as heat sources in the package frame;
each rectangle's power is spread over the die volume below it.

A grid CSV holds plain numbers in watts, one row of cells a line; the field's name
(``power_grid_w``) carries the unit. Lines starting with ``#`` are comments.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from semipack.errors import DesignError
from semipack.families.params import Offset, Power, param
from semipack.files import read_input_bytes
from semipack.model import HeatSource
from semipack.units import mm

_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?")  # a plain decimal, as a spreadsheet writes it
MAX_GRID = 64  # cells per side: a 64 x 64 map is already finer than a package-level grid resolves
MAX_DIE_POWER_W = 1.0e4


@dataclass(frozen=True)
class PowerBlock:
    """A rectangle of the die (die frame, origin at the die centre) dissipating ``power``."""

    name: str = param("block", "block name")
    power: Power = param(0.5, "power of the block")
    x0: Offset = param(-0.5e-3, "left edge from the die centre")
    y0: Offset = param(-0.5e-3, "bottom edge from the die centre")
    x1: Offset = param(0.5e-3, "right edge from the die centre")
    y1: Offset = param(0.5e-3, "top edge from the die centre")


def die_heat_sources(
    die: str,
    centre: tuple[float, float],
    size: tuple[float, float],
    uniform_w: float,
    blocks: Sequence[PowerBlock] = (),
    grid_w: Sequence[Sequence[float]] = (),
    field: str = "die",
) -> tuple[HeatSource, ...]:
    """Heat sources of one die: its uniform power, its blocks and its grid cells.

    ``field`` is the die's path under ``parameters`` in error messages; an empty one
    means the power fields sit at the top level (a single-die family).

    Raises
    ------
    DesignError
        A block off the die, duplicate block names, a ragged, oversized or negative grid,
        or a total that is not finite or above `MAX_DIE_POWER_W`.
    """
    cx, cy = centre
    hx, hy = size[0] / 2, size[1] / 2
    where = f"parameters.{field}" if field else "parameters"
    out: list[HeatSource] = []
    if uniform_w > 0:
        out.append(HeatSource(die, uniform_w))
    names: set[str] = set()
    for i, b in enumerate(blocks):
        f = f"{where}.power_blocks.{i}"
        if b.name in names:
            raise DesignError(f"{f}.name", b.name, "block names must be unique on a die")
        names.add(b.name)
        if not (-hx - 1e-12 <= b.x0 < b.x1 <= hx + 1e-12 and -hy - 1e-12 <= b.y0 < b.y1 <= hy + 1e-12):
            raise DesignError(
                f,
                f"({mm(b.x0)}, {mm(b.y0)}) to ({mm(b.x1)}, {mm(b.y1)})",
                f"x0 < x1 and y0 < y1 inside the die (|x| <= {mm(hx)}, |y| <= {mm(hy)})",
            )
        if b.power > 0:
            out.append(HeatSource(die, b.power, (cx + b.x0, cy + b.y0, cx + b.x1, cy + b.y1)))
    out += _grid_sources(die, (cx, cy), (hx, hy), grid_w, f"{where}.power_grid_w")
    total = math.fsum(h.power_w for h in out)
    if not math.isfinite(total) or total > MAX_DIE_POWER_W:
        raise DesignError(where, f"{total:g} W in all", f"a finite total up to {MAX_DIE_POWER_W:g} W")
    return tuple(out)


def _grid_sources(
    die: str, centre: tuple[float, float], half: tuple[float, float], grid: Sequence[Sequence[float]], f: str
) -> list[HeatSource]:
    if not grid:
        return []
    ny = len(grid)
    nx = len(grid[0])
    if not (1 <= nx <= MAX_GRID and 1 <= ny <= MAX_GRID):
        raise DesignError(f, f"{nx} x {ny} cells", f"between 1 and {MAX_GRID} cells per side")
    cx, cy = centre
    hx, hy = half
    dx, dy = 2 * hx / nx, 2 * hy / ny
    out = []
    for r, row in enumerate(grid):
        if len(row) != nx:
            raise DesignError(f"{f}.{r}", f"{len(row)} cells", f"every row needs {nx} cells (as the first)")
        for c, w in enumerate(row):
            if not (math.isfinite(w) and w >= 0):
                raise DesignError(f"{f}.{r}.{c}", w, "a finite power >= 0 W")
            if w > 0:
                x0 = cx - hx + c * dx
                y1 = cy + hy - r * dy  # row 0 is the +y edge
                out.append(HeatSource(die, w, (x0, y1 - dy, x0 + dx, y1)))
    return out


def read_power_grid(path: Path, field: str = "power_grid_w") -> list[list[float]]:
    """Read a power-grid CSV (watts per cell, rows from +y)."""
    where = f"parameters.{field}"
    blob = read_input_bytes(path, where, 1 << 20)
    try:
        text = blob.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DesignError(where, str(path), "is not UTF-8 text") from None
    rows: list[list[float]] = []
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.replace(";", ",").split(",")]
        if cells and not cells[-1]:
            cells.pop()  # one trailing separator is a spreadsheet habit, not a missing cell
        # Plain decimal numbers only: float() would also take '1_0', 'nan', 'inf' and ''.
        if not cells or not all(_NUMBER.fullmatch(c) for c in cells):
            raise DesignError(
                where, line[:40], f"line {n}: decimal numbers in watts separated by commas, no empty cells"
            )
        rows.append([float(c) for c in cells])
        if len(rows) > MAX_GRID:
            raise DesignError(where, str(path), f"at most {MAX_GRID} rows")
    if not rows:
        raise DesignError(where, str(path), "holds no rows of numbers")
    return rows
