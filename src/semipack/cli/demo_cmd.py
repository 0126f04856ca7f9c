"""``semipack demo``: build every example, draw its figures, print a summary table."""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from semipack.design import load_design
from semipack.model import summarize
from semipack.report import demo as lib


def demo(
    examples: Path = typer.Argument(Path("examples"), help="folder of design files"),
    figures: Path = typer.Option(Path("docs/figures"), "--figures", "-o", help="where the figures go"),
    png: bool = typer.Option(True, "--png/--no-png", help="also write PNG figures"),
    out: Path = typer.Option(Path("out"), "--out", help="where the HTML reports and exports go"),
    reports: bool = typer.Option(True, "--reports/--no-reports", help="write a report per architecture into --out"),
    exports: bool = typer.Option(True, "--exports/--no-exports", help="export every example to every format"),
) -> None:
    console = Console()
    files = sorted(examples.glob("*.yaml"))
    _examples(files, figures, png, console)
    for line in lib.storyboards(examples, figures):
        console.print(line)
    for note in (lib.irdrop_figure(examples, figures), lib.warpage_figures(examples, figures)) if png else ():
        if note is not None:
            console.print(note)
    written = []
    for r in lib.reports(examples, out) if reports else ():
        console.print(f"report {out / r.stem / 'index.html'} ({r.seconds:.0f} s)")
        written.append(r)
    t0 = time.perf_counter()
    exported = [lib.export_example(f, out / "exports") for f in files] if exports else []
    if exported:
        console.print(
            f"{len(exported)} examples exported to STEP, GLB, STL, VRML and KiCad in {out / 'exports'}/ "
            f"({time.perf_counter() - t0:.0f} s)"
        )
    if written or exported:
        console.print(f"reports and exports: {lib.write_index(out, written, exported)}")


def _examples(files: list[Path], figures: Path, png: bool, console: Console) -> None:
    """Build and draw each example; its summary row with the build time."""
    table = Table(title="semipack examples")
    for col in ("example", "family", "body mm", "height mm", "terminals", "bodies", "build s"):
        table.add_column(col)
    for f in files:
        t0 = time.perf_counter()
        pkg = load_design(f)
        dt = time.perf_counter() - t0
        s = summarize(pkg)
        lib.draw_example(pkg, f.stem, figures, png)
        table.add_row(
            f.stem,
            pkg.family,
            f"{s.body_x_m * 1e3:.2f} x {s.body_y_m * 1e3:.2f}",
            f"{s.total_height_m * 1e3:.3f}",
            str(s.terminal_count),
            str(s.body_count),
            f"{dt:.2f}",
        )
    console.print(table)
    console.print(f"{len(files)} examples built and drawn into {figures}/")
