"""``semipack export FILE --format step|glb|stl|wrl|kicad|pins -o OUT [--density A|B|C]``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from semipack.design import load_design
from semipack.draw.output import atomic_write_bytes
from semipack.errors import DesignError


def export(
    file: Path = typer.Argument(..., help="design file (YAML)"),
    fmt: str = typer.Option(..., "--format", help="step | glb | stl | wrl | kicad | pins"),
    out: Path = typer.Option(..., "-o", "--out", help="output file (.step, .glb, .stl, .wrl, .kicad_mod or .csv)"),
    density: str = typer.Option("B", "--density", help="IPC-7351B density level: A (most), B (nominal), C (least)"),
    model: bool = typer.Option(True, "--model/--no-model", help="kicad: also write the linked .wrl model beside it"),
) -> None:
    from semipack.export import SUFFIXES, Density, Format, render

    try:
        kind = Format(fmt.lower())
    except ValueError:
        raise DesignError("--format", fmt, "allowed: " + ", ".join(f.value for f in Format)) from None
    if out.suffix.lower() not in SUFFIXES[kind]:
        raise DesignError("-o", str(out), f"a {kind.value} file ends in " + " or ".join(SUFFIXES[kind]))
    try:
        level = Density(density.upper())
    except ValueError:
        raise DesignError("--density", density, "allowed: A, B, C") from None
    pkg = load_design(file)
    console = Console(stderr=True)
    if kind is Format.KICAD:
        from semipack.export.kicad import footprint

        name, text = footprint(pkg, level)
        atomic_write_bytes(out, text.encode("utf-8"))
        console.print(f"wrote {out} ({name}, {text.count('(pad ')} pads, IPC-7351B density {level.value})")
        if model:
            wrl = out.with_name(f"{name}.wrl")
            atomic_write_bytes(wrl, render(pkg, Format.WRL))
            console.print(f"wrote {wrl} (the 3D model the footprint links to, 0.1 inch units)")
        return
    data = render(pkg, kind, level)
    atomic_write_bytes(out, data)
    console.print(f"wrote {out} ({kind.value}, {len(pkg.bodies)} bodies, {len(data) / 1e6:.2f} MB)")
