"""``semipack export FILE --format kicad -o OUT [--density A|B|C]``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from semipack.design import load_design
from semipack.draw.output import atomic_write_bytes
from semipack.errors import DesignError

_LATER = ("step", "glb", "stl", "wrl")


def export(
    file: Path = typer.Argument(..., help="design file (YAML)"),
    fmt: str = typer.Option(..., "--format", help="kicad (step, glb, stl, wrl: not yet)"),
    out: Path = typer.Option(..., "-o", "--out", help="output file (.kicad_mod for kicad)"),
    density: str = typer.Option("B", "--density", help="IPC-7351B density level: A (most), B (nominal), C (least)"),
) -> None:
    from semipack.export.kicad import Density, footprint

    f = fmt.lower()
    if f in _LATER:
        raise DesignError("--format", fmt, "not built yet; available: kicad")
    if f != "kicad":
        raise DesignError("--format", fmt, "allowed: kicad (step, glb, stl, wrl to come)")
    if out.suffix != ".kicad_mod":
        raise DesignError("-o", str(out), "a KiCad footprint file ends in .kicad_mod")
    try:
        level = Density(density.upper())
    except ValueError:
        raise DesignError("--density", density, "allowed: A, B, C") from None
    name, text = footprint(load_design(file), level)
    atomic_write_bytes(out, text.encode("utf-8"))
    Console(stderr=True).print(f"wrote {out} ({name}, {text.count('(pad ')} pads, IPC-7351B density {level.value})")
