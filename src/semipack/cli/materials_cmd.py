"""``semipack materials``: the library with conductivity, CTE, modulus and sources."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from semipack.materials import default_library


def materials(sources: bool = typer.Option(False, "--sources", help="print each property's source")) -> None:
    lib = default_library()
    console = Console()
    table = Table(title=f"semipack materials ({len(lib)})")
    for col in ("key", "name", "k W/m/K (xy/z)", "CTE ppm/K", "E GPa", "rho kg/m^3"):
        table.add_column(col)
    for key, m in lib.items():
        k = f"{m.k_inplane_w_mk:g}" if m.isotropic else f"{m.k_inplane_w_mk:g}/{m.k_through_w_mk:g}"
        table.add_row(key, m.name, k, f"{m.cte_per_k * 1e6:g}", f"{m.youngs_pa / 1e9:g}", f"{m.density_kg_m3:g}")
    console.print(table)
    if sources:
        for key, m in lib.items():
            console.print(f"[bold]{key}[/bold]")
            for prop, src in m.sources.items():
                console.print(f"  {prop}: {src}")
