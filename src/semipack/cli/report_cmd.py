"""``semipack report FILE -o DIR [--resolution R] [--skip a,b] [--no-cad] [--all-claims]``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from semipack.design import load_design
from semipack.errors import DesignError


def report(
    file: Path = typer.Argument(..., help="design file (YAML)"),
    out: Path = typer.Option(..., "-o", "--out", help="report folder (index.html and its files)"),
    resolution: float = typer.Option(
        0.5, "--resolution", help="thermal grid resolution (the thermal command's default is 1)"
    ),
    skip: str = typer.Option(
        "",
        "--skip",
        help="sections to leave out, comma-separated: summary, package, drawings, model, process, thermal, "
        "compact, mechanics, moisture, electrical, claims, exports",
    ),
    all_claims: bool = typer.Option(
        False, "--all-claims", help="chart every patent on the page (default: those the design reads on)"
    ),
    cad: bool = typer.Option(True, "--cad/--no-cad", help="write STEP, GLB and the KiCad footprint into the folder"),
) -> None:
    from semipack.report.html_report import ReportOptions, check_report_folder, write_report

    if not 0.1 <= resolution <= 4:
        raise DesignError("--resolution", resolution, "must be in [0.1, 4]")
    check_report_folder(out)  # before the analyses: a refused folder costs nothing
    pkg = load_design(file)
    skipped = frozenset(s.strip() for s in skip.split(",") if s.strip())
    written = write_report(pkg, out, ReportOptions(resolution=resolution, skip=skipped, cad=cad, all_claims=all_claims))
    Console(stderr=True).print(f"wrote {out / 'index.html'} ({', '.join(written)})")
