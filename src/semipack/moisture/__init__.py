"""Moisture: Fickian diffusion through J-STD-020 soaks, J-STD-033 bakes and reflow; the MSL estimate."""

from semipack.moisture.analysis import MaterialSwelling, MoistureResult, MoistureState, moisture_analysis
from semipack.moisture.conditions import Exposure, Level, bake, soak
from semipack.moisture.interfaces import InterfaceMoisture
from semipack.moisture.msl import Criteria, LevelCheck, MslResult, estimate_msl
from semipack.moisture.swelling import hygroscopic_load, with_swelling

__all__ = [
    "Criteria",
    "Exposure",
    "InterfaceMoisture",
    "Level",
    "LevelCheck",
    "MaterialSwelling",
    "MoistureResult",
    "MoistureState",
    "MslResult",
    "bake",
    "estimate_msl",
    "hygroscopic_load",
    "moisture_analysis",
    "soak",
    "with_swelling",
]
