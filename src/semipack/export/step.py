"""STEP AP214 through build123d (OpenCASCADE), an optional extra imported lazily.

Every body becomes one exact B-rep solid, named after the body and coloured like its
material, inside one assembly named after the package; units are millimetres, with
the package centred and its seating plane at z = 0 (as the KiCad model).

- boxes: a block minus its cut-outs;
- cylinders: a cylinder; balls: a sphere cut by the two planes;
- wires and traces: the section swept along the path with mitred (right-corner)
  joints, whose volume is the section area times the centre-line length;
- bent flex: a half tube (annulus times half-space).

References
----------
ISO 10303-214, Industrial automation systems: Core data for automotive mechanical design processes.
"""

from __future__ import annotations

import copy
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from semipack.errors import DesignError
from semipack.export.appearance import color_of
from semipack.export.step_order import canonical_step
from semipack.export.tessellate import distinct_points, plane_normal, shape_key
from semipack.geometry import Axis, Ball, BentSheet, Box, Cylinder, Solid, Trace, Wire
from semipack.model import Package

MM = 1e3


def _bd() -> Any:
    try:
        import build123d
    except ImportError:  # pragma: no cover - the extra is part of the default install
        raise DesignError("format", "step", "needs build123d: pip install 'semipack[cad]'") from None
    return build123d


def _block(bd: Any, lo: np.ndarray, hi: np.ndarray) -> Any:
    size = hi - lo
    return bd.Pos(*lo) * bd.Box(*size, align=(bd.Align.MIN, bd.Align.MIN, bd.Align.MIN))


def _swept(bd: Any, pts: np.ndarray, section: Any, x_dir: np.ndarray) -> Any:
    t0 = pts[1] - pts[0]
    plane = bd.Plane(origin=tuple(pts[0]), x_dir=tuple(x_dir), z_dir=tuple(t0 / np.linalg.norm(t0)))
    path = bd.Polyline(*[tuple(p) for p in pts])
    return bd.sweep(plane * section, path=path, transition=bd.Transition.RIGHT)


def shape_of(solid: Solid, offset: np.ndarray) -> Any:
    """The build123d solid of one model solid, in mm, shifted by ``offset`` (m)."""
    bd = _bd()
    if isinstance(solid, Box):
        part = _block(bd, (np.asarray(solid.lo) + offset) * MM, (np.asarray(solid.hi) + offset) * MM)
        cuts = [c for c in (solid.bbox.intersection(c.bbox) for c in solid.cutouts) if c is not None]
        if cuts:
            tools = [_block(bd, (np.asarray(c.lo) + offset) * MM, (np.asarray(c.hi) + offset) * MM) for c in cuts]
            part = part.cut(*tools)
        return part
    if isinstance(solid, Cylinder):
        cx, cy = (np.asarray(solid.center) + offset[:2]) * MM
        z0 = (solid.z0 + offset[2]) * MM
        h = (solid.z1 - solid.z0) * MM
        return bd.Pos(cx, cy, z0) * bd.Cylinder(
            solid.radius * MM, h, align=(bd.Align.CENTER, bd.Align.CENTER, bd.Align.MIN)
        )
    if isinstance(solid, Ball):
        c = (np.asarray(solid.center) + offset) * MM
        r = solid.radius * MM
        sphere = bd.Pos(*c) * bd.Sphere(r)
        slab = _block(
            bd,
            np.array([c[0] - 2 * r, c[1] - 2 * r, (solid.z0 + offset[2]) * MM]),
            np.array([c[0] + 2 * r, c[1] + 2 * r, (solid.z1 + offset[2]) * MM]),
        )
        return sphere & slab
    if isinstance(solid, Wire):
        pts = distinct_points((np.asarray(solid.points) + offset) * MM, 1e-9)
        n = plane_normal(pts)
        if solid.thickness > 0:
            section = bd.Rectangle(solid.diameter * MM, solid.thickness * MM)
        else:
            section = bd.Circle(solid.radius * MM)
        return _swept(bd, pts, section, n)
    if isinstance(solid, Trace):
        z = (solid.z0 + solid.z1) / 2
        pts = distinct_points(
            (np.column_stack([np.asarray(solid.points), np.full(len(solid.points), z)]) + offset) * MM, 1e-9
        )
        t0 = pts[1] - pts[0]
        across = np.cross([0.0, 0.0, 1.0], t0 / np.linalg.norm(t0))
        section = bd.Rectangle(solid.width * MM, (solid.z1 - solid.z0) * MM)
        return _swept(bd, pts, section, across)
    if isinstance(solid, BentSheet):
        return _bent(bd, solid, offset)
    raise TypeError(f"no STEP shape for {type(solid).__name__}")


def _bent(bd: Any, s: BentSheet, offset: np.ndarray) -> Any:
    iu, ia = (0, 1) if s.axis_dir is Axis.Y else (1, 0)
    length = (s.span[1] - s.span[0]) * MM
    centre = np.zeros(3)
    centre[iu] = (s.center_u + offset[iu]) * MM
    centre[ia] = (s.span[0] + offset[ia]) * MM
    centre[2] = (s.center_z + offset[2]) * MM
    direction = np.zeros(3)
    direction[ia] = 1.0
    plane = bd.Plane(origin=tuple(centre), z_dir=tuple(direction))
    align = (bd.Align.CENTER, bd.Align.CENTER, bd.Align.MIN)
    tube = plane * bd.Cylinder(s.outer_radius * MM, length, align=align) - plane * bd.Cylinder(
        s.inner_radius * MM, length, align=align
    )
    ro = s.outer_radius * MM
    lo, hi = centre.copy(), centre.copy()
    lo[2], hi[2] = centre[2] - 2 * ro, centre[2] + 2 * ro
    lo[ia], hi[ia] = centre[ia] - 1.0, centre[ia] + length + 1.0
    if s.side > 0:
        hi[iu] = centre[iu] + 2 * ro
    else:
        lo[iu] = centre[iu] - 2 * ro
    return tube & _block(bd, lo, hi)


def step_bytes(pkg: Package, offset: tuple[float, float, float]) -> tuple[bytes, dict[str, float]]:
    """``pkg`` as STEP AP214 text, and each body's volume (m^3) as the CAD kernel measured it."""
    bd = _bd()
    off = np.asarray(offset)
    children = []
    volumes: dict[str, float] = {}
    # Balls, vias and wires repeat by the hundred: build each distinct shape once, at the
    # origin, and place deep copies (a copy costs far less than the kernel's booleans).
    cache: dict[tuple[object, ...], Any] = {}
    for b in pkg.bodies:
        lo = np.asarray(b.solid.bbox.lo)
        at_origin = b.solid.translated(tuple(-lo))
        key = shape_key(at_origin)
        if key not in cache:
            cache[key] = shape_of(at_origin, np.zeros(3))
        shape = copy.deepcopy(cache[key]).moved(bd.Location(tuple((lo + off) * MM)))
        shape.label = b.name
        r, g, bl, a = color_of(pkg.material_of(b))
        shape.color = bd.Color(r, g, bl, a)
        volumes[b.name] = float(shape.volume) / MM**3
        children.append(shape)
    assembly = bd.Compound(children=children, label=pkg.name)
    buf = io.BytesIO()
    # A fixed time stamp keeps the file reproducible.
    if not bd.export_step(assembly, buf, unit=bd.Unit.MM, timestamp="2000-01-01T00:00:00"):
        raise DesignError("format", "step", "the STEP writer refused the model")  # pragma: no cover
    # The writer's colour records come out in a different order on each run: sort them.
    return canonical_step(buf.getvalue().decode("latin-1")).encode("latin-1"), volumes


@dataclass(frozen=True)
class StepBody:
    """One named solid read back from a STEP file."""

    volume_m3: float
    color: tuple[float, float, float] | None


def read_step(path: Path) -> dict[str, StepBody]:
    """Re-import a STEP file with OCP's XDE reader: each named solid's volume and colour.

    The round-trip check of the export: independent of build123d's writer, it reads
    names and colours through the XCAF document and integrates volumes with BRepGProp.
    """
    from OCP.BRepGProp import BRepGProp
    from OCP.collections import Sequence_TDF_Label
    from OCP.GProp import GProp_GProps
    from OCP.IFSelect import IFSelect_RetDone
    from OCP.Quantity import Quantity_ColorRGBA
    from OCP.STEPCAFControl import STEPCAFControl_Reader
    from OCP.TCollection import TCollection_AsciiString, TCollection_ExtendedString
    from OCP.TDataStd import TDataStd_Name
    from OCP.TDocStd import TDocStd_Document
    from OCP.XCAFDoc import XCAFDoc_ColorSurf, XCAFDoc_ColorTool, XCAFDoc_DocumentTool

    doc = TDocStd_Document(TCollection_ExtendedString("XCAF"))
    reader = STEPCAFControl_Reader()
    reader.SetNameMode(True)
    reader.SetColorMode(True)
    if reader.ReadFile(str(path)) != IFSelect_RetDone or not reader.Transfer(doc):
        raise ValueError(f"cannot read STEP file {path}")
    tool = XCAFDoc_DocumentTool.ShapeTool_s(doc.Main())
    labels = Sequence_TDF_Label()
    tool.GetShapes(labels)
    out: dict[str, StepBody] = {}
    for i in range(1, labels.Length() + 1):
        label = labels.Value(i)
        if tool.IsAssembly_s(label):
            continue
        name = TDataStd_Name()
        if not label.FindAttribute(TDataStd_Name.GetID_s(), name):
            continue
        props = GProp_GProps()
        BRepGProp.VolumeProperties_s(tool.GetShape_s(label), props)
        col = Quantity_ColorRGBA()
        rgb = None
        if XCAFDoc_ColorTool.GetColor_s(label, XCAFDoc_ColorSurf, col):
            c = col.GetRGB()
            rgb = (c.Red(), c.Green(), c.Blue())
        key = TCollection_AsciiString(name.Get()).ToCString()
        out[key] = StepBody(props.Mass() / MM**3, rgb)
    return out


def volume_error(exported: dict[str, float], model: dict[str, float]) -> float:
    """Largest relative volume difference over the bodies both hold (inf if one is missing)."""
    if set(exported) != set(model):
        return math.inf
    return max(abs(exported[k] / model[k] - 1.0) for k in model)
