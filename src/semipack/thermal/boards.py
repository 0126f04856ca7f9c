"""JEDEC thermal test boards as the standards build them, around the package's own pins.

- **Size** by package type: leaded and no-lead packages (leads, an exposed pad) sit on
  the JESD51-3 (1s) / JESD51-7 (2s2p) board of 76.2 x 114.3 mm (101.6 x 114.3 mm for
  bodies over 27 mm: *unverified*); area arrays on the JESD51-9 board, 101.5 x 114.5,
  127.0 x 139.5 or 152.5 x 165.0 mm by body size. `BoardStandard` picks one by hand.
- **Layers**: 1.60 mm FR-4; 1s has 2 oz (70 um) traces on top; 2s2p adds 2 oz traces
  below and two solid 1 oz (35 um) planes inside, 0.25 mm from each face.
- **Traces** fan out from the terminals of the outermost ring, each 40 % of the pitch
  wide (JESD51-9: 36-44 %), to 25 mm beyond the body edge. The trace layer is FR-4
  except in the fan-out square (the body grown by 25 mm a side), where it is copper and
  FR-4 smeared at the coverage those traces give: ``N w (25 mm + d) / A`` with N the
  outer terminals, w the trace width, d their mean distance to the body edge and A the
  square's area (`fanout_coverage`). A fixed coverage can still be set.
- **JESD51-5 direct attach** under an exposed pad (a die paddle or heat sink on the
  seating plane): a copper thermal land the size of the pad in the top trace layer, an
  array of plated vias from it to the first buried plane (2s2p), and the solder layer
  between pad and land as an interface resistance t / (k_solder (1 - voiding)).

Facts are those of ``shared/reference/jedec-thermal.md`` (sizes, layers, fan-out
length) and JESD51-11's table 4 as quoted publicly (trace width 36-44 % of the pitch,
fan-out 25 mm). The thermal-via array (0.33 mm drill at 1.2 mm pitch, 1 oz barrel)
follows the land patterns QFN makers recommend for JESD51-5 style boards (e.g.
Microchip drawing C04-23395, Amkor's exposed-pad assembly note: 0.30-0.33 mm vias with
1 oz plating): *unverified* against JESD51-5's own text.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from enum import Enum

import numpy as np

from semipack.errors import DesignError
from semipack.geometry import Box
from semipack.materials import MaterialLibrary
from semipack.materials.composites import copper_layer_material
from semipack.model import TERMINAL_ROLES, Body, Package, Role

FANOUT_M = 25e-3  # trace length beyond the body edge (JESD51-9, -11)
TRACE_WIDTH_OF_PITCH = 0.40  # JESD51-9/-11: 36-44 % of the pitch
TRACE_T = 70e-6
PLANE_T = 35e-6
PREPREG_T = 0.25e-3
BOARD_T = 1.60e-3
EXPOSED_PAD_ROLES = frozenset({Role.DIE_PADDLE, Role.HEAT_SINK, Role.HEAT_SPREADER})


class TraceModel(Enum):
    """The trace fan-out smeared over its square, or drawn trace by trace."""

    SMEARED = "smeared"
    RESOLVED = "resolved"


class BoardStandard(Enum):
    """Which board outline: by package type, or one named standard."""

    AUTO = "auto"
    LEADED = "jesd51-3/7"
    AREA_ARRAY = "jesd51-9"


@dataclass(frozen=True)
class ThermalLand:
    """JESD51-5 direct attach of an exposed pad: land, vias to the first plane, solder.

    Attributes
    ----------
    via_pitch_m, via_drill_m, via_plating_m
        The via array under the land (the land holds as many as fit).
    solder_thickness_m
        Solder layer between pad and land after reflow.
    voiding
        Area fraction of that layer without solder (0 to 0.9).
    """

    via_pitch_m: float = 1.2e-3
    via_drill_m: float = 0.33e-3
    via_plating_m: float = 35e-6
    solder_thickness_m: float = 50e-6
    voiding: float = 0.0

    def __post_init__(self) -> None:
        if not 0 <= self.voiding <= 0.9:
            raise DesignError("thermal_land.voiding", self.voiding, "a fraction from 0 to 0.9")
        if not 0 < self.via_plating_m < self.via_drill_m / 2:
            raise DesignError("thermal_land.via_plating", self.via_plating_m, "positive and below half the drill")
        if not self.via_drill_m + 0.1e-3 < self.via_pitch_m:
            raise DesignError("thermal_land.via_drill", self.via_drill_m, "the vias need 0.1 mm of board between holes")
        if not 0 < self.solder_thickness_m < 1e-3:
            raise DesignError("thermal_land.solder_thickness", self.solder_thickness_m, "between 0 and 1 mm")


def board_outline(pkg: Package, standard: BoardStandard) -> tuple[BoardStandard, float, float]:
    """The standard that applies and its board size (m) for this package."""
    bb = pkg.bbox
    span = max(bb.size[0], bb.size[1])
    if standard is BoardStandard.AUTO:
        leaded = any(b.role is Role.LEAD for b in pkg.bodies) and not any(b.role is Role.BALL for b in pkg.bodies)
        standard = BoardStandard.LEADED if leaded else BoardStandard.AREA_ARRAY
    if standard is BoardStandard.LEADED:
        return standard, (76.2e-3 if span <= 27e-3 else 101.6e-3), 114.3e-3
    for limit, size in ((40e-3, (101.5e-3, 114.5e-3)), (65e-3, (127.0e-3, 139.5e-3)), (90e-3, (152.5e-3, 165.0e-3))):
        if span <= limit:
            return standard, *size
    raise DesignError("board", f"{span * 1e3:.1f} mm", "JESD51-9 boards take bodies up to 90 mm")


def board_layers(two_planes: bool) -> list[tuple[str, str, float]]:
    """(name, material, thickness) from the top of the board down; 1.60 mm in total.

    The trace layers are FR-4 here; their copper enters as the fan-out body.
    """
    if not two_planes:
        return [("board_top_traces", "fr4", TRACE_T), ("board_core", "fr4", BOARD_T - TRACE_T)]
    # 2s2p: 2 oz traces outside, two solid 1 oz planes inside (plane depths approximate: unverified).
    core = BOARD_T - 2 * TRACE_T - 2 * PLANE_T - 2 * PREPREG_T
    return [
        ("board_top_traces", "fr4", TRACE_T),
        ("board_prepreg_top", "fr4", PREPREG_T),
        ("board_plane_1", "cu_rolled", PLANE_T),
        ("board_core", "fr4", core),
        ("board_plane_2", "cu_rolled", PLANE_T),
        ("board_prepreg_bottom", "fr4", PREPREG_T),
        ("board_bottom_traces", "fr4", TRACE_T),
    ]


RING_EDGES_M = (0.0, 1e-3, 2.5e-3, 5e-3, 10e-3, FANOUT_M)  # distances from the body edge


@dataclass(frozen=True)
class Fanout:
    """The smeared trace region about the package centre.

    ``coverage`` is the copper fraction over the whole fan-out square; ``regions`` are
    nested squares (half sizes and coverage, outermost first), the body's footprint last,
    each holding the coverage of the ring between it and the next smaller one.
    """

    half_x: float
    half_y: float
    coverage: float
    traces: int
    width_m: float
    regions: tuple[tuple[float, float, float], ...] = ()
    outer_limit_m: float = 0.0  # terminals this close to the body edge (or closer) get a trace


def fanout_coverage(pkg: Package, rows: int = 1) -> Fanout:
    """Copper coverage of the fan-out square from the package's outermost terminals.

    Each terminal of the outer ``rows`` rings (JESD51-9 fans out the outer row; JESD51-11
    makes the number of rows connected a reported parameter) gets a trace ``0.4 * pitch``
    wide from the terminal to 25 mm beyond the body edge; their area over the square's
    area is the smeared coverage (capped at solid copper).
    """
    bb = pkg.bbox
    cx, cy = (bb.lo[0] + bb.hi[0]) / 2, (bb.lo[1] + bb.hi[1]) / 2
    hx, hy = bb.size[0] / 2, bb.size[1] / 2
    terms = [b for b in pkg.bodies if b.role in TERMINAL_ROLES]
    fx, fy = hx + FANOUT_M, hy + FANOUT_M
    if not terms:
        return Fanout(fx, fy, 0.0, 0, 0.0)
    xy = np.array([((b.solid.bbox.lo[0] + b.solid.bbox.hi[0]) / 2 - cx, (b.solid.bbox.lo[1] + b.solid.bbox.hi[1]) / 2 - cy)
                   for b in terms])
    pitch = _pitch(xy)
    # Distance of each terminal to the body edge it is nearest; the outer ring is within half a pitch of the least.
    d_edge = np.minimum(hx - np.abs(xy[:, 0]), hy - np.abs(xy[:, 1]))
    limit = float(d_edge.min() + (rows - 0.5) * pitch + 1e-9)
    outer = d_edge <= limit
    n = int(outer.sum())
    w = TRACE_WIDTH_OF_PITCH * pitch
    inside = w * float(d_edge[outer].sum())  # the traces' run from each terminal to the edge
    copper = n * w * FANOUT_M + inside
    # Inside the outer ring there are no traces: bare FR-4 (an exposed pad's land sits there, isolated).
    d_in = min(float(d_edge[outer].max()) + 0.5 * pitch, min(hx, hy))
    regions = _regions(hx, hy, n, w, inside, d_in)
    return Fanout(fx, fy, min(copper / (4 * fx * fy), 1.0), n, w, regions, limit)


def _regions(
    hx: float, hy: float, n: int, w: float, inside: float, d_in: float
) -> tuple[tuple[float, float, float], ...]:
    """Coverage ring by ring: N straight traces cross each ring once, so its copper is N w (r2 - r1).

    Near the body the traces are dense (about w N / perimeter, 40 % for a full edge row)
    and they thin out as the rings grow; one coverage over the whole square spread the
    copper of the first millimetres over 25 mm. Under the body the traces run from the
    outer terminals to the edge (the band ``d_in`` wide); inside that band the layer is
    bare FR-4 (coverage 0).
    """

    def area(r: float) -> float:
        return 4 * (hx + r) * (hy + r)

    out = []
    for r1, r2 in itertools.pairwise(RING_EDGES_M):
        out.append((hx + r2, hy + r2, min(n * w * (r2 - r1) / (area(r2) - area(r1)), 1.0)))
    out.reverse()
    band = area(0.0) - area(-d_in)
    out.append((hx, hy, min(inside / band, 1.0) if band > 0 else 0.0))
    if d_in < min(hx, hy):
        out.append((hx - d_in, hy - d_in, 0.0))
    return tuple(out)


def _pitch(xy: np.ndarray) -> float:
    """Least centre distance between terminals (the pitch of the outer ring)."""
    if len(xy) < 2:
        return 1e-3
    from scipy.spatial import cKDTree

    d, _ = cKDTree(xy).query(xy, k=2)
    return float(np.min(d[:, 1]))


def trace_material(lib: MaterialLibrary, coverage: float, key: str = "board_traces") -> MaterialLibrary:
    """Add the smeared trace material: copper and FR-4 in parallel in-plane, in series through.

    The board's faces are solder mask over the traces: the layer radiates as FR-4 does.
    """
    entry = copper_layer_material(lib, "fr4", max(coverage, 1e-6), "cu_rolled")
    entry["name"] = "test-board trace layer (smeared)"
    fr4 = lib["fr4"]
    if fr4.emissivity is not None:
        entry["emissivity"] = [repr(fr4.emissivity), fr4.sources.get("emissivity", "FR-4")]
    return lib.extended({key: entry})


def exposed_pads(pkg: Package) -> list[Body]:
    """Bodies of the exposed-pad kinds whose bottom lies on the package's seating plane."""
    z0 = pkg.bbox.lo[2]
    return [b for b in pkg.bodies if b.role in EXPOSED_PAD_ROLES and abs(b.solid.bbox.lo[2] - z0) < 1e-9]


def barrel_area(land: ThermalLand) -> float:
    """Copper cross-section (m^2) of one plated via barrel of the land's drill and plating."""
    r = land.via_drill_m / 2
    return math.pi * (r * r - (r - land.via_plating_m) ** 2)


def via_field_fraction(land: ThermalLand) -> float:
    """Copper area fraction of the land's via array (one plated barrel per pitch cell)."""
    return barrel_area(land) / land.via_pitch_m**2


def solder_resistance(land: ThermalLand, k_solder: float) -> float:
    """Area resistance (m^2 K/W) of the solder layer between pad and land, voids taken as open."""
    return land.solder_thickness_m / (k_solder * (1.0 - land.voiding))


def board_body(name: str, material: str, box: Box, label: str = "test board", filler: bool = False) -> Body:
    return Body(name, Role.SUBSTRATE, material, box, None, label, tags=frozenset({"board"}), filler=filler)


def fanout_traces(pkg: Package, z0: float, z1: float, key: str = "cu_rolled", rows: int = 1) -> list[Body]:
    """The fan-out drawn trace by trace: from each outer terminal straight out to 25 mm past the edge.

    JESD51-9 flares the traces towards the fan-out perimeter; straight traces have the
    same copper area and length, which is what the smeared equivalent keeps. Used to
    check `fanout_coverage` against the traces it stands for.
    """
    bb = pkg.bbox
    cx, cy = (bb.lo[0] + bb.hi[0]) / 2, (bb.lo[1] + bb.hi[1]) / 2
    hx, hy = bb.size[0] / 2, bb.size[1] / 2
    fan = fanout_coverage(pkg, rows)
    terms = [b for b in pkg.bodies if b.role in TERMINAL_ROLES]
    out = []
    w = fan.width_m
    for b in terms:
        x = (b.solid.bbox.lo[0] + b.solid.bbox.hi[0]) / 2 - cx
        y = (b.solid.bbox.lo[1] + b.solid.bbox.hi[1]) / 2 - cy
        dx, dy = hx - abs(x), hy - abs(y)
        if min(dx, dy) > fan.outer_limit_m:
            continue
        if dx <= dy:  # nearest edge is a side at +-x
            s = 1.0 if x > 0 else -1.0
            xa, xb = sorted((x, s * (hx + FANOUT_M)))
            box = Box((cx + xa, cy + y - w / 2, z0), (cx + xb, cy + y + w / 2, z1))
        else:
            s = 1.0 if y > 0 else -1.0
            ya, yb = sorted((y, s * (hy + FANOUT_M)))
            box = Box((cx + x - w / 2, cy + ya, z0), (cx + x + w / 2, cy + yb, z1))
        out.append(board_body(f"board_trace_{b.name}", key, box, "fan-out trace"))
    return out

