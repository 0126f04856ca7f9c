"""Compact thermal models: per-surface boundary conditions, 2R (JESD15-3), DELPHI (JESD15-4),
multi-die influence matrices, power traces, and their exports (SPICE, CSV, ECXML)."""

from semipack.thermal.compact.bcs import BoundaryCondition, SurfaceClass, load_bcs, standard_set
from semipack.thermal.compact.detailed import DetailedModel, Junction, build_detailed
from semipack.thermal.compact.network import CompactNetwork

__all__ = [
    "BoundaryCondition",
    "CompactNetwork",
    "DetailedModel",
    "Junction",
    "SurfaceClass",
    "build_detailed",
    "load_bcs",
    "standard_set",
]
