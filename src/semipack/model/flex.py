"""Where a body lies in a folded flexible substrate: the typed place the process reads.

A folded flex (seed 001) is a run of flat segments joined by half-turn bends, each made of
three sheets (a film, the copper, a film). The builder marks every sheet with its `FlexPart`;
the process unfolds the flex and checks its bend radius from these marks, never from names.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class FlexPiece(Enum):
    """A flat segment, or a bend (bend k joins segment k-1 to segment k)."""

    SEGMENT = "segment"
    BEND = "bend"


class FlexLayer(Enum):
    """One of a piece's three sheets; a segment's films lie below and above its copper,
    a bend's inside and outside of its copper's arc."""

    LOWER = "lower"
    CONDUCTOR = "cu"
    UPPER = "upper"
    INNER = "inner"
    OUTER = "outer"


@dataclass(frozen=True)
class FlexPart:
    """Sheet ``layer`` of segment or bend ``index`` (segment 0 is the one the first die is bonded to)."""

    piece: FlexPiece
    index: int
    layer: FlexLayer
