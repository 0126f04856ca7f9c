"""The generic ``stack`` family: arbitrary layered boxes, like a 3D-ICE stack file.

Each layer is a box with its own material, thickness, footprint and position, stacked on
the one below unless it gives its own ``z``; a layer with ``power`` is a heat source
(it becomes a die), and ``hotspots`` add power in sub-rectangles. Verification cases and
users' own structures use it.

The default is a two-die, 3D-ICE-like test stack: a 10 x 10 mm FR-4 board slab, a
copper spreader, a die with 2 W and a smaller die with a 0.5 W hot spot.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from semipack.families.common import body, centered_box, require, require_material
from semipack.families.params import Length, MaterialRef, Offset, Power, param
from semipack.materials import MaterialLibrary
from semipack.model import Body, HeatSource, Package, Role
from semipack.units import mm


@dataclass(frozen=True)
class StackLayer:
    name: str = param("layer", "unique layer name")
    material: MaterialRef = param(MaterialRef("si"), "material")
    thickness: Length = param(0.1e-3, "thickness")
    size_x: Length | None = param(None, "x size (null = the stack footprint)")
    size_y: Length | None = param(None, "y size (null = the stack footprint)")
    x: Offset = param(0.0, "centre x")
    y: Offset = param(0.0, "centre y")
    z: Offset | None = param(None, "bottom z (null = on top of the previous layer)")
    power: Power = param(0.0, "uniform power (makes the layer a die)")
    role: Role = param(Role.LAYER, "role (die, die_attach, substrate, heat_spreader, ...)")


@dataclass(frozen=True)
class Hotspot:
    layer: str = param("die", "layer holding the hot spot")
    power: Power = param(0.1, "hot-spot power")
    x0: Offset = param(0.0, "rectangle x0")
    y0: Offset = param(0.0, "rectangle y0")
    x1: Offset = param(1e-3, "rectangle x1")
    y1: Offset = param(1e-3, "rectangle y1")


_DEFAULT_LAYERS = (
    StackLayer("board", MaterialRef("fr4"), 1.6e-3, role=Role.SUBSTRATE),
    StackLayer("spreader", MaterialRef("cu_rolled"), 0.5e-3, 8e-3, 8e-3, role=Role.HEAT_SPREADER),
    StackLayer("die_attach", MaterialRef("silver_epoxy"), 25e-6, 5e-3, 5e-3, -1.5e-3, 0.0, role=Role.DIE_ATTACH),
    StackLayer("die", MaterialRef("si"), 0.3e-3, 5e-3, 5e-3, -1.5e-3, 0.0, power=2.0, role=Role.DIE),
    StackLayer("die2", MaterialRef("si"), 0.3e-3, 2.5e-3, 2.5e-3, 2.5e-3, 0.0, z=1.6e-3 + 0.5e-3, role=Role.DIE),
)


@dataclass(frozen=True)
class StackParams:
    footprint_x: Length = param(10e-3, "stack footprint in x")
    footprint_y: Length = param(10e-3, "stack footprint in y")
    layers: tuple[StackLayer, ...] = param(_DEFAULT_LAYERS, "layers from the bottom up")
    hotspots: tuple[Hotspot, ...] = param((Hotspot("die2", 0.5, 2.0e-3, -0.5e-3, 3.0e-3, 0.5e-3),), "hot spots")


def build(p: StackParams, lib: MaterialLibrary, name: str) -> Package:
    """Build a layered stack of boxes."""
    require(len(p.layers) >= 1, "layers", [], "at least one layer is needed")
    bodies: list[Body] = []
    heat: list[HeatSource] = []
    z_top = 0.0
    names: set[str] = set()
    for i, layer in enumerate(p.layers):
        f = f"layers.{i}"
        require(layer.name not in names, f"{f}.name", layer.name, "layer names must be unique")
        names.add(layer.name)
        require_material(lib, layer.material, f"{f}.material")
        sx = layer.size_x if layer.size_x is not None else p.footprint_x
        sy = layer.size_y if layer.size_y is not None else p.footprint_y
        require(
            abs(layer.x) + sx / 2 <= p.footprint_x / 2 + 1e-12 and abs(layer.y) + sy / 2 <= p.footprint_y / 2 + 1e-12,
            f"{f}.size_x",
            mm(sx),
            f"the layer must lie inside the footprint {mm(p.footprint_x)} x {mm(p.footprint_y)}",
        )
        z0 = layer.z if layer.z is not None else z_top
        role = Role.DIE if layer.power > 0 else layer.role
        bodies.append(
            body(
                layer.name,
                role,
                layer.material,
                centered_box(sx, sy, z0, z0 + layer.thickness, layer.x, layer.y),
                10 + 2 * i,
                layer.name,
            )
        )
        z_top = z0 + layer.thickness
        if layer.power > 0:
            heat.append(HeatSource(layer.name, layer.power))
    by_name = {b.name: b for b in bodies}
    for j, hs in enumerate(p.hotspots):
        f = f"hotspots.{j}"
        require(hs.layer in by_name, f"{f}.layer", hs.layer, "must name a layer")
        b = by_name[hs.layer]
        bb = b.solid.bbox
        require(
            bb.lo[0] <= hs.x0 < hs.x1 <= bb.hi[0] and bb.lo[1] <= hs.y0 < hs.y1 <= bb.hi[1],
            f"{f}.x0",
            mm(hs.x0),
            f"the hot-spot rectangle must lie inside layer {hs.layer!r}",
        )
        if b.role is not Role.DIE:
            bodies[bodies.index(b)] = replace(b, role=Role.DIE)
        heat.append(HeatSource(hs.layer, hs.power, (hs.x0, hs.y0, hs.x1, hs.y1)))
    return Package(
        name=name,
        family="stack",
        bodies=tuple(bodies),
        materials=lib,
        heat_sources=tuple(heat),
        features={"layers": len(p.layers)},
        parameters=p,
        section_hint=("y", 0.0),
    )
