"""``semipack draw FILE [--section x=0mm|y=..] [--top] -o OUT.svg|png``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from semipack.design import load_design
from semipack.draw import draw as draw_package


def draw(
    file: Path = typer.Argument(..., help="design file (YAML)"),
    out: Path = typer.Option(..., "-o", "--out", help="output .svg or .png"),
    section: str | None = typer.Option(None, "--section", help="cut plane, e.g. y=0mm or x=1.5mm"),
    top: bool = typer.Option(False, "--top", help="top view instead of a section"),
    true_scale: bool = typer.Option(
        False, "--true-scale", help="draw z to the same scale as x (no enlarged thin layers)"
    ),
) -> None:
    pkg = load_design(file)
    scene = draw_package(pkg, out, section=section, top=top, true_scale=true_scale)
    Console(stderr=True).print(f"wrote {out} ({scene.caption}; {len(scene.legend)} numerals)")
