"""Boundary conditions per surface class, and the DELPHI training sets.

A compact model sees its package through a few surface classes: the top, split into
the region over the die (inner) and the rest (outer), the bottom split alike, the
sides, and the leads (the exposed faces of terminals other than their seating face).
A `BoundaryCondition` gives each class one film coefficient (W/m^2/K); the detailed
model (`semipack.thermal.compact.detailed`) applies it to every exposed face of that
class, the compact networks to the class's surface node.

The training sets
-----------------
JESD15-4 (DELPHI) trains a network on a "universal" set of boundary conditions: the
DELPHI consortium's 38-condition set, later extended to 99, each row a scenario and
each column a surface class, the values ranging from free convection to forced
convection to an attached heat sink or cold plate (FloTHERM PACK user guide, section
"Customizing Boundary Conditions for DELPHI Model Generation"; JESD15-4 sec. 4.4 and
its figure 3). The published table itself was not available offline when this was
written, so the sets here are **constructed from that description, not copied**:

- ``38``: every combination of {10, 100, 1000, 10000} W/m^2/K on the top (inner and
  outer alike) and on the bottom (inner and outer alike), with {10, 100} W/m^2/K on
  the sides and leads (4 x 4 x 2 = 32 rows); plus six rows that separate the paths: a
  top cold plate (1e6 on the top, the rest adiabatic), a bottom cold plate (1e6 on
  the bottom), a heat sink on the die region only (top inner 1e4, the rest 10), a
  board pad under the die only (bottom inner 1e4, the rest 10), both (top inner 1e4,
  bottom outer 1e3, the rest 10) and strong side cooling (sides and leads 1000, the
  rest 10).
- ``99``: the factorial {10, 100, 1000, 10000}^2 x {10, 100, 1000} (48 rows), the
  inner/outer splits top inner {1e3, 1e4, 1e6} x top outer {10, 100} x bottom
  {10, 100, 1000} (18 rows) and the same mirrored (bottom inner varied, 18 rows), and
  15 rows of single-path and mixed extremes (`_extremes_99`).

The values 10 (free convection), 100 (forced air), 1000-10000 (heat sinks, boards,
liquid cooling) and 1e6 W/m^2/K (isothermal) are the decades the description names.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from semipack.errors import DesignError
from semipack.units import Dimension, parse_quantity

H_MAX_W_M2K = 1e9  # beyond it a face is an isothermal plate for any package


class SurfaceClass(Enum):
    """The surface classes of a compact model (DELPHI's inner and outer regions included)."""

    TOP_INNER = "top_inner"
    TOP_OUTER = "top_outer"
    BOTTOM_INNER = "bottom_inner"
    BOTTOM_OUTER = "bottom_outer"
    SIDES = "sides"
    LEADS = "leads"


# Shorthands a file or the API may use: each sets several classes at once.
GROUPS: dict[str, tuple[SurfaceClass, ...]] = {
    "top": (SurfaceClass.TOP_INNER, SurfaceClass.TOP_OUTER),
    "bottom": (SurfaceClass.BOTTOM_INNER, SurfaceClass.BOTTOM_OUTER),
    "all": tuple(SurfaceClass),
}


@dataclass(frozen=True)
class BoundaryCondition:
    """One scenario: a film coefficient (W/m^2/K, >= 0; 0 is adiabatic) per surface class."""

    name: str
    h_w_m2k: tuple[float, ...]  # in the order of SurfaceClass

    def __post_init__(self) -> None:
        if len(self.h_w_m2k) != len(SurfaceClass):
            raise DesignError(f"bcs.{self.name}", self.h_w_m2k, f"{len(SurfaceClass)} film coefficients, one per class")
        for c, v in zip(SurfaceClass, self.h_w_m2k, strict=True):
            if not 0 <= v <= H_MAX_W_M2K:  # also refuses NaN
                raise DesignError(
                    f"bcs.{self.name}.{c.value}", v, f"a film coefficient from 0 to {H_MAX_W_M2K:g} W/m^2/K"
                )

    @classmethod
    def of(cls, name: str, default: float = 0.0, **h: float) -> BoundaryCondition:
        """From keywords: class names (``top_inner`` ...) or groups (``top``, ``bottom``, ``all``).

        Groups apply first, single classes override them; unnamed classes get ``default``.
        """
        values = dict.fromkeys(SurfaceClass, default)
        known = {c.value: c for c in SurfaceClass}
        for key in sorted(h, key=lambda k: k not in GROUPS):  # groups first
            if key in GROUPS:
                for c in GROUPS[key]:
                    values[c] = h[key]
            elif key in known:
                values[known[key]] = h[key]
            else:
                allowed = ", ".join([*GROUPS, *known])
                raise DesignError(f"bcs.{name}", key, f"a surface class: {allowed}")
        return cls(name, tuple(values[c] for c in SurfaceClass))

    def h(self, c: SurfaceClass) -> float:
        return self.h_w_m2k[list(SurfaceClass).index(c)]

    def as_dict(self) -> dict[str, float]:
        return {c.value: v for c, v in zip(SurfaceClass, self.h_w_m2k, strict=True)}


def _row(name: str, top: float, bottom: float, sides: float) -> BoundaryCondition:
    return BoundaryCondition.of(name, top=top, bottom=bottom, sides=sides, leads=sides)


def delphi_38() -> tuple[BoundaryCondition, ...]:
    """The 38-condition training set as constructed here (see the module docstring)."""
    decades = (10.0, 100.0, 1e3, 1e4)
    rows = [
        _row(f"bc{i + 1:02d}", t, b, s)
        for i, (s, t, b) in enumerate(itertools.product((10.0, 100.0), decades, decades))
    ]
    rows += [
        BoundaryCondition.of("bc33_top_cold_plate", top=1e6),
        BoundaryCondition.of("bc34_bottom_cold_plate", bottom=1e6),
        BoundaryCondition.of("bc35_die_sink", default=10.0, top_inner=1e4),
        BoundaryCondition.of("bc36_die_pad", default=10.0, bottom_inner=1e4),
        BoundaryCondition.of("bc37_sink_and_board", default=10.0, top_inner=1e4, bottom_outer=1e3),
        BoundaryCondition.of("bc38_side_cooled", default=10.0, sides=1e3, leads=1e3),
    ]
    return tuple(rows)


def _extremes_99() -> list[BoundaryCondition]:
    rows = [
        BoundaryCondition.of("x_top_cold_plate", top=1e6),
        BoundaryCondition.of("x_bottom_cold_plate", bottom=1e6),
        BoundaryCondition.of("x_both_cold_plates", top=1e6, bottom=1e6),
        BoundaryCondition.of("x_top_inner_plate", top_inner=1e6),
        BoundaryCondition.of("x_bottom_inner_plate", bottom_inner=1e6),
        BoundaryCondition.of("x_top_outer_plate", top_outer=1e6),
        BoundaryCondition.of("x_bottom_outer_plate", bottom_outer=1e6),
        BoundaryCondition.of("x_sides_plate", sides=1e6, leads=1e6),
        BoundaryCondition.of("x_sides_3e3", default=10.0, sides=3e3, leads=3e3),
        BoundaryCondition.of("x_sides_1e4", default=10.0, sides=1e4, leads=1e4),
        BoundaryCondition.of("x_leads_1e4", default=10.0, leads=1e4),
        BoundaryCondition.of("x_weak_still_air", all=5.0),
        BoundaryCondition.of("x_forced_air", all=50.0),
        BoundaryCondition.of("x_sink_board", default=10.0, top=3e3, bottom=300.0),
        BoundaryCondition.of("x_cross", default=10.0, top_inner=1e4, bottom_outer=1e4),
    ]
    return rows


def delphi_99() -> tuple[BoundaryCondition, ...]:
    """The extended 99-condition set as constructed here (see the module docstring)."""
    decades = (10.0, 100.0, 1e3, 1e4)
    rows = [
        _row(f"f{i + 1:02d}", t, b, s)
        for i, (s, t, b) in enumerate(itertools.product((10.0, 100.0, 1e3), decades, decades))
    ]
    for i, (hi, ho, hb) in enumerate(itertools.product((1e3, 1e4, 1e6), (10.0, 100.0), (10.0, 100.0, 1e3))):
        rows.append(BoundaryCondition.of(f"ti{i + 1:02d}", default=10.0, top_inner=hi, top_outer=ho, bottom=hb))
    for i, (hi, ho, ht) in enumerate(itertools.product((1e3, 1e4, 1e6), (10.0, 100.0), (10.0, 100.0, 1e3))):
        rows.append(BoundaryCondition.of(f"bi{i + 1:02d}", default=10.0, bottom_inner=hi, bottom_outer=ho, top=ht))
    rows += _extremes_99()
    return tuple(rows)


def standard_set(size: int) -> tuple[BoundaryCondition, ...]:
    """The training set of ``size`` conditions: 38 or 99."""
    if size == 38:
        return delphi_38()
    if size == 99:
        return delphi_99()
    raise DesignError("bcs", size, "38, 99 or a boundary-condition file (.yaml)")


MAX_BC_FILE_BYTES = 1 << 20


def parse_bcs(doc: Any, where: str) -> tuple[BoundaryCondition, ...]:
    """Boundary conditions from a parsed document: ``{conditions: [{name:, top: '10 W/m^2/K', ...}]}``."""
    rows = doc.get("conditions") if isinstance(doc, Mapping) else None
    if not isinstance(rows, list) or not rows:
        raise DesignError(f"{where}: conditions", rows, "a non-empty list of {name:, <class>: '<h> W/m^2/K', ...}")
    out = []
    names: set[str] = set()
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping) or not isinstance(row.get("name"), str) or not row["name"]:
            raise DesignError(f"{where}: conditions[{i}]", row, "a mapping with a name and film coefficients")
        name = row["name"]
        if name in names:
            raise DesignError(f"{where}: conditions[{i}].name", name, "names must be unique")
        names.add(name)
        default = row.get("default", "0 W/m^2/K")
        h = {
            k: parse_quantity(v, Dimension.HEAT_TRANSFER_COEFF, f"{where}: {name}.{k}")
            for k, v in row.items()
            if k not in ("name", "default")
        }
        d = parse_quantity(default, Dimension.HEAT_TRANSFER_COEFF, f"{where}: {name}.default")
        out.append(BoundaryCondition.of(name, d, **h))
    return tuple(out)


def load_bcs(path: Path) -> tuple[BoundaryCondition, ...]:
    """Read a boundary-condition file (YAML, bounded in size; every value with its unit)."""
    from semipack.design.loader import parse_yaml_text

    try:
        size = path.stat().st_size
        if not path.is_file():
            raise DesignError("bcs", str(path), "a boundary-condition file (.yaml)")
        if size > MAX_BC_FILE_BYTES:
            raise DesignError("bcs", str(path), f"boundary-condition files are limited to {MAX_BC_FILE_BYTES} bytes")
        raw = path.read_bytes()
    except OSError as exc:
        raise DesignError("bcs", str(path), f"cannot be read ({exc.strerror})") from None
    return parse_bcs(parse_yaml_text(raw, str(path)), str(path))
