"""``semipack gap``: package-to-board gap under every ball over the reflow profile (thin wrapper)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

from semipack.design import load_design
from semipack.errors import DesignError
from semipack.units import Dimension, parse_quantity


def gap(
    file: Path = typer.Argument(..., help="design file (YAML)"),
    method: str = typer.Option("fe", "--method", help="fe (3D finite elements, default) or clt (laminated plate)"),
    resolution: float = typer.Option(0.5, "--resolution", min=0.1, max=2.0, help="FE mesh resolution"),
    stress_free: str = typer.Option("175C", "--stress-free", help="common stress-free temperature"),
    paste: str = typer.Option("0.125 mm", "--paste", help="solder-paste deposit height (the stencil)"),
    plot: Path | None = typer.Option(None, "--plot", help="gap map at the worst temperature (.png/.svg)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    from semipack.mechanics.gap import package_gaps
    from semipack.mechanics.profiles import reflow_profile_k
    from semipack.mechanics.warpage import WarpageMethod

    how = WarpageMethod.parse(method, "--method")
    if plot is not None and plot.suffix.lower() not in (".png", ".svg"):
        raise DesignError("--plot", str(plot), "must end in .png or .svg")
    paste_m = parse_quantity(paste, Dimension.LENGTH, "--paste")
    if not 0 <= paste_m <= 0.5e-3:
        raise DesignError("--paste", paste, "must lie in [0 mm, 0.5 mm]")
    t_ref = parse_quantity(stress_free, Dimension.TEMPERATURE, "--stress-free")
    pkg = load_design(file)
    temps = tuple(sorted(set(reflow_profile_k())))
    r = package_gaps(pkg, temps, t_ref, how, resolution, paste_m)
    if plot is not None:
        from semipack.draw.gap_map import save_gap_map

        save_gap_map(r, plot)
    if as_json:
        print(json.dumps({"method": how.value, **r.to_dict()}, indent=2))
        return
    t_w, ball_w, g_w = r.worst()
    c = Console()
    c.print(
        f"{pkg.name}: joints {r.collapsed_m * 1e6:.0f} um after collapse, balls {r.free_m * 1e6:.0f} um free, "
        f"paste {r.paste_m * 1e6:.0f} um: reach {r.reach_m * 1e6:.0f} um"
    )
    rows = zip(r.temperatures_k, r.package, r.board_warpage_m, r.gaps_m, r.corner_gaps_m, strict=True)
    for t, p, b, g, cg in rows:
        c.print(
            f"  {t - 273.15:5.0f} C: package {p.warpage_m * 1e6:+7.1f} um, board {b * 1e6:+6.1f} um, "
            f"gap {min(g) * 1e6:.0f} .. {max(g) * 1e6:.0f} um, corners {cg * 1e6:.0f} um"
        )
    verdict = f"RISK at {len(r.at_risk)} balls" if r.at_risk else "no ball past its reach"
    c.print(
        f"most open: {ball_w} at {t_w - 273.15:.0f} C, {g_w * 1e6:.0f} um; head-in-pillow / non-wet open: {verdict}"
    )
