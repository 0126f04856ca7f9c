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
    _storyboards(examples, figures, console)
    _irdrop(examples, figures, console, png)
    _warpage(examples, figures, console, png)


def _warpage(examples: Path, figures: Path, console: Console, png: bool) -> None:
    f = examples / "spreader_bga.yaml"
    if not f.exists() or not png:
        return
    from semipack.draw.mechanics_plots import save_moire, save_warpage_curve
    from semipack.mechanics.profiles import reflow_profile_k
    from semipack.mechanics.warpage import warpage_curve

    pkg = load_design(f)
    temps = reflow_profile_k()
    points, fe = warpage_curve(pkg, temps)
    save_warpage_curve(points, figures / "warpage_spreader_bga.png", pkg.name)
    save_moire(fe[round(temps[0], 6)], figures / "moire_spreader_bga_25C.png")
    console.print(f"warpage of {pkg.name} over the reflow profile: {figures}/warpage_spreader_bga.png")


def _irdrop(examples: Path, figures: Path, console: Console, png: bool) -> None:
    f = examples / "thinfilm_metal_passives.yaml"
    if not f.exists() or not png:
        return
    from semipack.draw.irdrop_map import save_irdrop_map
    from semipack.electrical import solve_irdrop

    r = solve_irdrop(load_design(f), 1.0)
    save_irdrop_map(r, figures / "irdrop_thinfilm_metal_passives.png")
    console.print(
        f"IR drop of {r.net} at 1 A: {r.max_drop_v * 1e3:.3g} mV; map in {figures}/irdrop_thinfilm_metal_passives.png"
    )


# One storyboard per seed with a claimed or implied method (written as SVG + offline HTML).
_STORYBOARDS = {
    "000": ("spreader_bga_concave", None),
    "001": ("flex_csp_fig1", "001-operations-1-7"),
    "002": ("thinfilm_metal", "002-claims-102-138"),
    "003": ("exposed_sink", None),
    "004": ("cavity_buildup", None),
}


def _storyboards(examples: Path, figures: Path, console: Console) -> None:
    from semipack.draw.storyboard import write_frames
    from semipack.process import get_method, run_flow

    for seed, (stem, method) in _STORYBOARDS.items():
        f = examples / f"{stem}.yaml"
        if not f.exists():
            continue
        pkg = load_design(f)
        result = run_flow(pkg, get_method(pkg, method).build(pkg))
        out = figures / f"storyboard_{seed}"
        write_frames(result, out)
        console.print(f"{result.flow.name}: {len(result.records)} steps on {stem}, storyboard in {out}/")
