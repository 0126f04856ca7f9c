"""``semipack show FILE [--json]``."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from semipack.design import load_design
from semipack.model import Package, summarize


def package_report(pkg: Package) -> dict[str, object]:
    """The JSON document ``show --json`` prints (SI units, unit in every key)."""
    s = summarize(pkg)
    roles = Counter(b.role.value for b in pkg.bodies)
    return {
        "name": pkg.name,
        "family": pkg.family,
        "valid": True,
        "body_x_m": s.body_x_m,
        "body_y_m": s.body_y_m,
        "total_height_m": s.total_height_m,
        "die_x_m": s.die_x_m,
        "die_y_m": s.die_y_m,
        "package_to_die_ratio": s.package_to_die_ratio,
        "mass_kg": s.mass_kg,
        "terminal_count": s.terminal_count,
        "terminal_pitch_m": s.terminal_pitch_m,
        "die_count": s.die_count,
        "net_count": s.net_count,
        "body_count": s.body_count,
        "bodies_by_role": dict(sorted(roles.items())),
        "features": dict(pkg.features),
        "bodies": [
            {
                "name": b.name,
                "role": b.role.value,
                "material": b.material,
                "numeral": b.numeral,
                "bbox_lo_m": list(b.solid.bbox.lo),
                "bbox_hi_m": list(b.solid.bbox.hi),
                "net": b.net,
            }
            for b in pkg.bodies
        ],
    }


def show(
    file: Path = typer.Argument(..., help="design file (YAML)"),
    as_json: bool = typer.Option(False, "--json", help="print JSON instead of tables"),
) -> None:
    pkg = load_design(file)
    if as_json:
        sys.stdout.write(json.dumps(package_report(pkg), indent=1, default=str) + "\n")
        return
    s = summarize(pkg)
    console = Console()
    console.print(f"[bold]{pkg.name}[/bold]  family [cyan]{pkg.family}[/cyan]  [green]valid[/green]")
    key = Table(title="key dimensions", show_header=False)
    rows = [
        ("body size", f"{s.body_x_m * 1e3:.3f} x {s.body_y_m * 1e3:.3f} mm"),
        ("total height", f"{s.total_height_m * 1e3:.3f} mm"),
        ("die", f"{s.die_x_m * 1e3:.3f} x {s.die_y_m * 1e3:.3f} mm ({s.die_count} die)"),
        ("package / die (linear, area)", f"{s.package_to_die_ratio:.3f}, {s.package_to_die_area_ratio:.3f}"),
        ("mass", f"{s.mass_kg * 1e3:.3f} g"),
        (
            "terminals",
            f"{s.terminal_count}" + (f" at {s.terminal_pitch_m * 1e3:.3f} mm pitch" if s.terminal_pitch_m else ""),
        ),
        ("nets", str(s.net_count)),
        ("bodies", str(s.body_count)),
    ]
    for k, v in rows:
        key.add_row(k, v)
    console.print(key)
    groups: dict[tuple[str, str], list[str]] = {}
    for b in pkg.bodies:
        groups.setdefault((b.role.value, b.material), []).append(b.name)
    table = Table(title="bodies")
    for col in ("role", "material", "count", "examples"):
        table.add_column(col)
    for (role, mat), names in groups.items():
        table.add_row(role, mat, str(len(names)), ", ".join(names[:3]) + (" ..." if len(names) > 3 else ""))
    console.print(table)
    console.print("features: " + ", ".join(f"{k}={v}" for k, v in pkg.features.items()))
