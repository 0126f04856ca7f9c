"""``semipack demo``: build every example, draw its figures, print a summary table."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from semipack.design import load_design
from semipack.draw import draw
from semipack.model import summarize


def demo(
    examples: Path = typer.Argument(Path("examples"), help="folder of design files"),
    figures: Path = typer.Option(Path("docs/figures"), "--figures", "-o", help="where the figures go"),
    png: bool = typer.Option(True, "--png/--no-png", help="also write PNG figures"),
) -> None:
    console = Console()
    table = Table(title="semipack examples")
    for col in ("example", "family", "body mm", "height mm", "terminals", "bodies", "build s"):
        table.add_column(col)
    files = sorted(examples.glob("*.yaml"))
    for f in files:
        t0 = time.perf_counter()
        pkg = load_design(f)
        dt = time.perf_counter() - t0
        s = summarize(pkg)
        stem = f.stem
        draw(pkg, figures / f"{stem}.svg")
        if png:
            draw(pkg, figures / f"{stem}.png")
            if pkg.family != "stack":
                draw(pkg, figures / f"{stem}_top.png", top=True)
        table.add_row(
            stem,
            pkg.family,
            f"{s.body_x_m * 1e3:.2f} x {s.body_y_m * 1e3:.2f}",
            f"{s.total_height_m * 1e3:.3f}",
            str(s.terminal_count),
            str(s.body_count),
            f"{dt:.2f}",
        )
    console.print(table)
    console.print(f"{len(files)} examples built and drawn into {figures}/")
