"""What a passive device's body is: read by the electrical estimates instead of its name."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Passive(Enum):
    """Passives formed by part of the patterned wiring (seed 002 claims 10-12)."""

    RESISTOR = "resistor"
    INDUCTOR = "inductor"
    CAPACITOR = "capacitor"
    WAVEGUIDE = "waveguide"
    FILTER = "filter"
    MEMS = "mems"


class PassiveElement(Enum):
    """The element of an integrated passive device a body is."""

    SPIRAL = "spiral"  # the line of a square spiral inductor
    MEANDER = "meander"  # the line of a thin-film meander resistor
    PLATE = "plate"  # a capacitor plate over the conductor below
    FINGER = "finger"  # one finger of an interdigital capacitor's comb
    COMB_BAR = "comb_bar"  # the bar that joins a comb's fingers
    LINE = "line"  # a coplanar wave-guide line
    STRUCTURE = "structure"  # a MEMS structure


@dataclass(frozen=True)
class PassivePart:
    """Body ``element`` of the passive device ``device`` of kind ``kind`` (every body of one
    device shares ``device`` and ``kind``)."""

    device: str
    kind: Passive
    element: PassiveElement
