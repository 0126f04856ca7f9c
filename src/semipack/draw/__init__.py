"""Patent-style drawings: sections and top views as SVG (built in) or PNG (matplotlib)."""

from __future__ import annotations

from pathlib import Path

from semipack.draw.output import atomic_write_bytes
from semipack.draw.scene import Scene, section_scene, top_scene
from semipack.errors import DesignError
from semipack.geometry import Axis
from semipack.model import Package
from semipack.units import Dimension, parse_quantity


def parse_section(spec: str | None, pkg: Package) -> tuple[Axis, float]:
    """Read ``x=0mm`` / ``y=0.5 mm``; None gives the package's preferred cut."""
    if spec is None:
        axis, at = pkg.section_hint
        return Axis(axis), at
    if "=" not in spec:
        raise DesignError("section", spec, "expected x=VALUE or y=VALUE with a unit, e.g. y=0mm")
    name, value = spec.split("=", 1)
    name = name.strip().lower()
    if name not in ("x", "y"):
        raise DesignError("section", spec, "the cut plane is x=... or y=...")
    return Axis(name), parse_quantity(value.strip(), Dimension.LENGTH, "section")


def draw(pkg: Package, out: Path, section: str | None = None, top: bool = False, true_scale: bool = False) -> Scene:
    """Draw ``pkg`` to ``out`` (.svg or .png) and return the scene drawn."""
    suffix = Path(out).suffix.lower()
    if suffix not in (".svg", ".png"):
        raise DesignError("out", str(out), "the output must end in .svg or .png")
    if top:
        scene = top_scene(pkg)
    else:
        axis, at = parse_section(section, pkg)
        scene = section_scene(pkg, axis, at, true_scale=true_scale)
    if suffix == ".svg":
        from semipack.draw.svg import render_svg

        data = render_svg(scene).encode("utf-8")
    else:
        from semipack.draw.png import render_png

        data = render_png(scene)
    atomic_write_bytes(Path(out), data)
    return scene


__all__ = ["Scene", "draw", "parse_section", "section_scene", "top_scene"]
