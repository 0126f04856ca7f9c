"""JEDEC test environments: test boards, still air, forced air and cold plates.

The package is placed on a test board modelled as real layers (FR-4 with copper),
as JESD51-3 (1s) and JESD51-7/-9 (2s2p) describe; the board size follows JESD51-9 for
area-array packages (101.5 x 114.5 mm up to 40 mm bodies, 127 x 139.5 mm to 65 mm,
152.5 x 165 mm to 90 mm). Trace layers are smeared copper/FR-4 (rule of mixtures)
with a stated copper coverage, because JESD51 fan-out traces are not drawn one by one.

Facts used are those of ``shared/reference/jedec-thermal.md``; where that file marks a
fact unverified (the enclosure volume, the exact TB point), so does this code.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum

from semipack.errors import DesignError
from semipack.geometry import Box
from semipack.materials import MaterialLibrary
from semipack.model import TERMINAL_ROLES, Body, Package, Role

AMBIENT_K = 298.15


class EnvKind(Enum):
    STILL_AIR = "still-air"
    FORCED_AIR = "forced-air"
    COLD_PLATE_TOP = "cold-plate-top"
    COLD_PLATE_BOTTOM = "cold-plate-bottom"
    RING_COLD_PLATE = "ring-cold-plate"
    CUSTOM = "custom"


class BoardKind(Enum):
    NONE = "none"
    ONE_S = "1s"
    TWO_S2P = "2s2p"


@dataclass(frozen=True)
class Environment:
    """Where the package is tested.

    Attributes
    ----------
    kind, board
        The JEDEC set-up.
    ambient_k
        Ambient (or cold-plate) temperature.
    air_speed_m_s
        For forced air.
    emissivity
        Surfaces' emissivity for linearised radiation (0 switches radiation off).
    h_custom_w_m2k
        For ``custom``: one film coefficient on every exposed surface.
    trace_coverage
        Copper fraction of the smeared signal-trace layers of the test board.
    """

    kind: EnvKind = EnvKind.STILL_AIR
    board: BoardKind = BoardKind.TWO_S2P
    ambient_k: float = AMBIENT_K
    air_speed_m_s: float = 1.0
    emissivity: float = 0.0
    h_custom_w_m2k: float = 10.0
    trace_coverage: float = 0.2

    def __post_init__(self) -> None:
        if not 0 <= self.emissivity <= 1:
            raise DesignError("emissivity", self.emissivity, "must be between 0 and 1")
        if self.kind is EnvKind.FORCED_AIR and not self.air_speed_m_s > 0:
            raise DesignError("--air-speed", self.air_speed_m_s, "forced air needs a positive speed in m/s")
        if not 0 < self.trace_coverage <= 1:
            raise DesignError("trace_coverage", self.trace_coverage, "must be in (0, 1]")
        if self.kind is EnvKind.CUSTOM and not self.h_custom_w_m2k >= 0:
            raise DesignError("h", self.h_custom_w_m2k, "must be >= 0 W/m^2/K")


def board_size(body_x: float, body_y: float) -> tuple[float, float]:
    """JESD51-9 test-board size for an area-array package body (m)."""
    span = max(body_x, body_y)
    if span <= 40e-3:
        return 101.5e-3, 114.5e-3
    if span <= 65e-3:
        return 127.0e-3, 139.5e-3
    if span <= 90e-3:
        return 152.5e-3, 165.0e-3
    raise DesignError("board", f"{span * 1e3:.1f} mm", "JESD51-9 boards take bodies up to 90 mm")


def board_layers(kind: BoardKind) -> list[tuple[str, str, float]]:
    """(name, material, thickness) from the top of the board down; 1.60 mm in total."""
    if kind is BoardKind.ONE_S:
        return [("board_top_traces", "board_traces", 70e-6), ("board_core", "fr4", 1.60e-3 - 70e-6)]
    # 2s2p: 2 oz traces outside, two solid 1 oz planes inside (plane depths approximate: unverified).
    core = 1.60e-3 - 2 * 70e-6 - 2 * 35e-6 - 2 * 0.25e-3
    return [
        ("board_top_traces", "board_traces", 70e-6),
        ("board_prepreg_top", "fr4", 0.25e-3),
        ("board_plane_1", "cu_rolled", 35e-6),
        ("board_core", "fr4", core),
        ("board_plane_2", "cu_rolled", 35e-6),
        ("board_prepreg_bottom", "fr4", 0.25e-3),
        ("board_bottom_traces", "board_traces", 70e-6),
    ]


def board_materials(lib: MaterialLibrary, coverage: float) -> MaterialLibrary:
    """Add the smeared trace-layer material: copper and FR-4 in parallel in-plane, in series through."""
    cu, fr4 = lib["cu_rolled"], lib["fr4"]
    k_in = coverage * cu.k_inplane_w_mk + (1 - coverage) * fr4.k_inplane_w_mk
    k_thr = 1.0 / (coverage / cu.k_through_w_mk + (1 - coverage) / fr4.k_through_w_mk)
    src = f"rule of mixtures, {coverage:.0%} copper in FR-4 (JESD51 trace layer, representative coverage)"
    rho = coverage * cu.density_kg_m3 + (1 - coverage) * fr4.density_kg_m3
    return lib.extended(
        {
            "board_traces": {
                "name": "test-board trace layer (smeared)",
                "category": "laminate",
                "k_inplane": [f"{k_in} W/m/K", src],
                "k_through": [f"{k_thr} W/m/K", src],
                "density": [f"{rho} kg/m^3", src],
                "cp": [f"{fr4.cp_j_kgk} J/kg/K", src],
                "cte": [f"{fr4.cte_per_k * 1e6} ppm/K", src],
                "youngs": [f"{fr4.youngs_pa / 1e9} GPa", src],
                "poisson": [str(fr4.poisson), src],
                "resistivity": [f"{(cu.resistivity_ohm_m or 1.7e-8) / coverage} ohm*m", src],
            }
        }
    )


def face_down(pkg: Package) -> Package:
    """The package as mounted: terminals down. Packages built with their terminals on top
    (the thin-film and build-up families) are mirrored in z."""
    terms = [b for b in pkg.bodies if b.role in TERMINAL_ROLES]
    if not terms:
        return pkg
    bb = pkg.bbox
    zt = sum((b.solid.bbox.lo[2] + b.solid.bbox.hi[2]) / 2 for b in terms) / len(terms)
    if zt <= (bb.lo[2] + bb.hi[2]) / 2:
        return pkg
    bodies = tuple(replace(b, solid=b.solid.mirrored_z()) for b in pkg.bodies)
    markers = tuple(replace(m, point=(m.point[0], m.point[1], -m.point[2])) for m in pkg.markers)
    return replace(pkg, bodies=bodies, markers=markers, validate=False)


def with_board(pkg: Package, env: Environment) -> tuple[Package, float]:
    """The package mounted on its test board; returns it and the board's top z."""
    if env.board is BoardKind.NONE:
        return pkg, pkg.bbox.lo[2]
    bb = pkg.bbox
    bx, by = board_size(bb.size[0], bb.size[1])
    cx, cy = (bb.lo[0] + bb.hi[0]) / 2, (bb.lo[1] + bb.hi[1]) / 2
    z = bb.lo[2]
    lib = board_materials(pkg.materials, env.trace_coverage)
    bodies = list(pkg.bodies)
    for name, mat, t in board_layers(env.board):
        bodies.append(
            Body(
                name,
                Role.SUBSTRATE,
                mat,
                Box((cx - bx / 2, cy - by / 2, z - t), (cx + bx / 2, cy + by / 2, z)),
                None,
                "test board",
                tags=frozenset({"board"}),
            )
        )
        z -= t
    # The package is valid and the board lies wholly below it: no new overlaps to check.
    return replace(pkg, bodies=tuple(bodies), materials=lib, validate=False), bb.lo[2]
