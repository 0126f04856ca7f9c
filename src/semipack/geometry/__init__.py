"""Geometry: immutable solids in the package frame and the plane figures they cut into."""

from semipack.geometry.shapes2d import Polyline, Region, Shape2D
from semipack.geometry.solids import (
    Axis,
    Ball,
    BBox,
    BentSheet,
    Box,
    Cylinder,
    DegenerateSolid,
    Solid,
    Trace,
    Wire,
    overlap_volume,
)

__all__ = [
    "Axis",
    "BBox",
    "Ball",
    "BentSheet",
    "Box",
    "Cylinder",
    "DegenerateSolid",
    "Polyline",
    "Region",
    "Shape2D",
    "Solid",
    "Trace",
    "Wire",
    "overlap_volume",
]
