"""Electrical: nets and connectivity, DC resistance, L and C, IR drop, passives, design rules, SPICE."""

from semipack.electrical.conductors import Settings
from semipack.electrical.drc import DrcReport, Rules, Violation, check_rules, load_rules
from semipack.electrical.irdrop import IrDropResult, solve_irdrop
from semipack.electrical.nets import Connectivity, PadPath, analyse, pin_map
from semipack.electrical.passives import PassiveValue, passive_values
from semipack.electrical.spice import spice_netlist

__all__ = [
    "Connectivity",
    "DrcReport",
    "IrDropResult",
    "PadPath",
    "PassiveValue",
    "Rules",
    "Settings",
    "Violation",
    "analyse",
    "check_rules",
    "load_rules",
    "passive_values",
    "pin_map",
    "solve_irdrop",
    "spice_netlist",
]
