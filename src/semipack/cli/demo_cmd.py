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
    out: Path = typer.Option(Path("out"), "--out", help="where the HTML reports and exports go"),
    reports: bool = typer.Option(True, "--reports/--no-reports", help="write a report per architecture into --out"),
    exports: bool = typer.Option(True, "--exports/--no-exports", help="export every example to every format"),
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
    written = _reports(examples, out, console) if reports else []
    exported = _exports(files, out / "exports", console) if exports else []
    if written or exported:
        _index(out, written, exported)
        console.print(f"reports and exports: {out / 'index.html'}")


# One report per architecture (family), on its most complete example.
_REPORTS = (
    "spreader_bga",
    "flex_csp_fig2",
    "thinfilm_metal_passives",
    "exposed_sink",
    "cavity_buildup",
    "stack",
)


def _reports(examples: Path, out: Path, console: Console) -> list[tuple[str, str, list[str]]]:
    from semipack.report.html_report import write_report

    done = []
    for stem in _REPORTS:
        f = examples / f"{stem}.yaml"
        if not f.exists():
            continue
        t0 = time.perf_counter()
        pkg = load_design(f)
        sections = write_report(pkg, out / stem)
        done.append((stem, pkg.family, sections))
        console.print(f"report {out / stem / 'index.html'} ({time.perf_counter() - t0:.0f} s)")
    return done


def _exports(files: list[Path], out: Path, console: Console) -> list[tuple[str, dict[str, str]]]:
    from semipack.draw.output import atomic_write_bytes
    from semipack.errors import DesignError
    from semipack.export import SUFFIXES, Format, render
    from semipack.export.kicad import footprint

    done = []
    t0 = time.perf_counter()
    for f in files:
        pkg = load_design(f)
        names: dict[str, str] = {}
        data = {fmt: render(pkg, fmt) for fmt in (Format.STEP, Format.GLB, Format.STL, Format.WRL)}
        for fmt, blob in data.items():
            name = f"{f.stem}{SUFFIXES[fmt][0]}"
            atomic_write_bytes(out / name, blob)
            names[fmt.value] = name
        try:
            # A folder per example: footprints are named by their land pattern, and the
            # footprint links to the .wrl of the same name beside it.
            fp_name, text = footprint(pkg)
            atomic_write_bytes(out / f.stem / f"{fp_name}.kicad_mod", text.encode())
            atomic_write_bytes(out / f.stem / f"{fp_name}.wrl", data[Format.WRL])
            names["kicad"] = f"{f.stem}/{fp_name}.kicad_mod"
        except DesignError:
            pass  # no land pattern (a bare stack)
        done.append((f.stem, names))
    console.print(
        f"{len(done)} examples exported to STEP, GLB, STL, VRML and KiCad in {out}/ ({time.perf_counter() - t0:.0f} s)"
    )
    return done


def _index(out: Path, reports: list[tuple[str, str, list[str]]], exports: list[tuple[str, dict[str, str]]]) -> None:
    import html

    from semipack.draw.output import atomic_write_bytes

    e = html.escape
    rows = "".join(
        f"<tr><td><a href='{e(stem)}/index.html'>{e(stem)}</a></td><td>{e(family)}</td><td>{e(', '.join(secs))}</td></tr>"
        for stem, family, secs in reports
    )
    erows = "".join(
        f"<tr><td>{e(stem)}</td>"
        + "".join(
            f"<td><a href='exports/{e(names[k])}'>{k}</a></td>" if k in names else "<td>-</td>"
            for k in ("step", "glb", "stl", "wrl", "kicad")
        )
        + "</tr>"
        for stem, names in exports
    )
    page = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>semipack demo</title>"
        "<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #bbb;padding:2px 8px}</style></head><body><h1>semipack demo</h1>"
        "<h2>Reports, one per architecture</h2><table><tr><th>example</th><th>family</th><th>sections</th></tr>"
        f"{rows}</table>"
        + (
            "<h2>Every example in every format</h2><table><tr><th>example</th><th>STEP</th><th>GLB</th><th>STL</th>"
            f"<th>VRML</th><th>KiCad</th></tr>{erows}</table>"
            if exports
            else ""
        )
        + "</body></html>"
    )
    atomic_write_bytes(out / "index.html", page.encode())


def _warpage(examples: Path, figures: Path, console: Console, png: bool) -> None:
    f = examples / "spreader_bga.yaml"
    if not f.exists() or not png:
        return
    from semipack.draw.mechanics_plots import save_moire, save_warpage_curve
    from semipack.mechanics.profiles import reflow_profile_k
    from semipack.mechanics.warpage import limit_checks, warpage_curve

    pkg = load_design(f)
    temps = reflow_profile_k()
    points, fe = warpage_curve(pkg, temps)
    save_warpage_curve(points, figures / "warpage_spreader_bga.png", pkg.name, limit_checks(pkg, points))
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
