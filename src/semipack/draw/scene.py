"""A drawing as data: hatched regions, lines, numerals with leaders, and a legend.

Views build a `Scene` from a `Package`; writers (`svg`, `png`) render it. A section
cuts every body with a vertical plane; wires are drawn in profile when they pass
within ``wire_tolerance`` of it. The vertical scale is exaggerated when a package is
much wider than tall, as patent figures do, and the scene says by how much.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

import numpy as np

from semipack.errors import DesignError
from semipack.geometry import Axis, Polyline, Region, Shape2D, Wire
from semipack.materials import Category
from semipack.model import Package


class Hatch(Enum):
    """Hatching per material class, after patent-drawing conventions."""

    METAL = "metal"
    SOLDER = "solder"
    SEMICONDUCTOR = "semiconductor"
    POLYMER = "polymer"
    LAMINATE = "laminate"
    ADHESIVE = "adhesive"
    GLASS = "glass"
    NONE = "none"


_HATCH = {
    Category.METAL: Hatch.METAL,
    Category.SOLDER: Hatch.SOLDER,
    Category.SEMICONDUCTOR: Hatch.SEMICONDUCTOR,
    Category.POLYMER: Hatch.POLYMER,
    Category.LAMINATE: Hatch.LAMINATE,
    Category.ADHESIVE: Hatch.ADHESIVE,
    Category.GLASS: Hatch.GLASS,
    Category.GAS: Hatch.NONE,
}


@dataclass(frozen=True)
class Item:
    shape: Shape2D
    hatch: Hatch
    numeral: str | None
    body: str
    filled: bool = True


@dataclass(frozen=True)
class Label:
    numeral: str
    anchor: tuple[float, float]


@dataclass(frozen=True)
class Scene:
    """Everything a writer needs, in drawing units (metres, z already exaggerated)."""

    title: str
    items: tuple[Item, ...]
    labels: tuple[Label, ...]
    legend: tuple[tuple[str, str], ...]
    bounds: tuple[float, float, float, float]
    caption: str


def _numeral_key(n: str) -> tuple[int, str]:
    digits = "".join(ch for ch in n if ch.isdigit())
    return (int(digits) if digits else 0, n)


def _scale(shape: Shape2D, zmap: Callable[[float], float]) -> Shape2D:
    if isinstance(shape, Region):
        return Region(
            tuple((u, zmap(v)) for u, v in shape.outer), tuple(tuple((u, zmap(v)) for u, v in h) for h in shape.holes)
        )
    return Polyline(tuple((u, zmap(v)) for u, v in shape.points), shape.width)


def schematic_z(pkg: Package, min_fraction: float) -> Callable[[float], float]:
    """A monotone map of z that draws every layer at least ``min_fraction`` of the package height.

    Patent figures are schematic: thin films (a few micrometres) would vanish at true
    scale next to a 0.5 mm substrate, so each interval between body faces is drawn at
    least this tall; thick layers keep their true proportion.
    """
    zs = np.unique(np.round([z for b in pkg.bodies for z in (b.solid.bbox.lo[2], b.solid.bbox.hi[2])], 12))
    if len(zs) < 2:
        return float
    height = float(zs[-1] - zs[0])
    drawn = np.maximum(np.diff(zs), min_fraction * height)
    cum = np.concatenate(([zs[0]], zs[0] + np.cumsum(drawn) * (height / float(drawn.sum()))))

    def zmap(z: float) -> float:
        return float(np.interp(z, zs, cum))

    return zmap


def _finish(
    title: str,
    items: list[Item],
    markers: list[tuple[str, str, tuple[float, float]]],
    legend_src: dict[str, str],
    caption: str,
) -> Scene:
    if not items:
        raise DesignError("section", title, "the cut plane misses the package; choose a coordinate inside it")
    xs0, ys0, xs1, ys1 = zip(*(it.shape.bounds for it in items), strict=True)
    bounds = (min(xs0), min(ys0), max(xs1), max(ys1))
    best: dict[str, tuple[float, Item]] = {}
    for it in items:
        if it.numeral is None:
            continue
        b = it.shape.bounds
        size = (b[2] - b[0]) * (b[3] - b[1])
        if it.numeral not in best or size > best[it.numeral][0]:
            best[it.numeral] = (size, it)
    labels = [Label(n, _free_anchor(it, items)) for n, (_, it) in best.items()]
    for num, label, pt in markers:
        if num in best:
            continue  # a body already carries this numeral
        labels.append(Label(num, pt))
        legend_src[num] = label
    legend = tuple(
        sorted(((n, legend_src[n]) for n in {lb.numeral for lb in labels}), key=lambda x: _numeral_key(x[0]))
    )
    return Scene(title, tuple(items), tuple(labels), legend, bounds, caption)


def _free_anchor(item: Item, items: list[Item]) -> tuple[float, float]:
    """A point inside ``item`` that no item drawn after it covers (so a leader hits what it names)."""
    shape = item.shape
    if not isinstance(shape, Region):
        return shape.anchor()
    later = items[items.index(item) + 1 :]
    bounds = [(it.shape.bounds, it.shape) for it in later if isinstance(it.shape, Region)]
    x0, y0, x1, y1 = shape.bounds
    for fy in (0.5, 0.25, 0.75, 0.1, 0.9):
        for fx in (0.5, 0.35, 0.65, 0.2, 0.8, 0.08, 0.92, 0.03, 0.97):
            x, y = x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)
            if not shape.contains(x, y):
                continue
            if any(b[0] <= x <= b[2] and b[1] <= y <= b[3] and s.contains(x, y) for b, s in bounds):
                continue
            return (x, y)
    return shape.anchor()


def section_scene(
    pkg: Package,
    axis: Axis,
    at: float,
    *,
    wire_tolerance: float = 0.06e-3,
    exaggeration: float | None = None,
    true_scale: bool = False,
) -> Scene:
    """Cross-section of ``pkg`` on the plane ``axis = at`` (metres).

    By default layers thinner than 2 % of the package height are drawn thicker
    (`schematic_z`) and the vertical scale is exaggerated for wide, flat packages;
    ``true_scale`` draws x and z to the same scale.
    """
    full = pkg.bbox
    inormal = 1 if axis is Axis.Y else 0
    if not full.lo[inormal] <= at <= full.hi[inormal]:
        raise DesignError(
            "section",
            f"{axis.value}={at * 1e3:g}mm",
            f"must lie inside the package ({full.lo[inormal] * 1e3:.4g} .. {full.hi[inormal] * 1e3:.4g} mm)",
        )
    width = full.size[1 - inormal]
    height = full.size[2]
    if true_scale:
        k = 1.0 if exaggeration is None else exaggeration
        base: Callable[[float], float] = float
    else:
        k = exaggeration if exaggeration is not None else max(1.0, round(0.25 * width / height))
        base = schematic_z(pkg, 0.02)

    def zmap(z: float) -> float:
        return base(z) * k

    ordered = sorted(pkg.bodies, key=lambda b: (not b.is_filler, -b.solid.volume))
    items: list[Item] = []
    legend: dict[str, str] = {}
    for b in ordered:
        shapes = b.solid.section(axis, at, wire_tolerance) if isinstance(b.solid, Wire) else b.solid.section(axis, at)
        if not shapes:
            continue
        hatch = _HATCH[pkg.materials[b.material].category]
        num = None if b.numeral is None else str(b.numeral)
        if num is not None:
            legend.setdefault(num, b.label or b.role.value)
        items += [Item(_scale(s, zmap), hatch, num, b.name) for s in shapes]
    markers = []
    for m in pkg.markers:
        if abs(m.point[inormal] - at) <= 2e-3:
            markers.append((str(m.numeral), m.label, (m.point[1 - inormal], zmap(m.point[2]))))
    if true_scale:
        caption = f"Section {axis.value} = {at * 1e3:.4g} mm, true scale" + (f" (vertical x{k:g})" if k != 1 else "")
    else:
        caption = (
            f"Section {axis.value} = {at * 1e3:.4g} mm, schematic: thin layers enlarged, vertical scale about x{k:g}"
        )
    return _finish(f"{pkg.name}: section", items, markers, legend, caption)


def top_scene(pkg: Package) -> Scene:
    """Top view: every body's outline from above, lowest first (an x-ray plan view)."""
    ordered = sorted(pkg.bodies, key=lambda b: (b.solid.bbox.hi[2], -b.solid.volume))
    items: list[Item] = []
    legend: dict[str, str] = {}
    for b in ordered:
        hatch = _HATCH[pkg.materials[b.material].category]
        num = None if b.numeral is None else str(b.numeral)
        if num is not None:
            legend.setdefault(num, b.label or b.role.value)
        items += [Item(s, hatch, num, b.name, filled=False) for s in b.solid.outline()]
    return _finish(f"{pkg.name}: top view", items, [], legend, "Top view, x-ray: outlines of all bodies")
