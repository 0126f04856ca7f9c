"""JEDEC test environments: test boards, still air, forced air and cold plates.

The package is placed on a test board modelled as real layers (FR-4 with copper),
as JESD51-3 (1s) and JESD51-7/-9 (2s2p) describe; the outline, the trace fan-out and
the JESD51-5 thermal land under exposed pads are built in `semipack.thermal.boards`.

Facts used are those of ``shared/reference/jedec-thermal.md``; where that file marks a
fact unverified (the enclosure volume, the exact TB point), so does this code.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TYPE_CHECKING

from semipack.errors import DesignError
from semipack.geometry import Box
from semipack.materials import MaterialLibrary
from semipack.model import TERMINAL_ROLES, Body, Package, Role
from semipack.thermal.boards import (
    BoardStandard,
    ThermalLand,
    TraceModel,
    barrel_area,
    board_body,
    board_layers,
    board_outline,
    exposed_pads,
    fanout_coverage,
    fanout_traces,
    solder_resistance,
    trace_material,
    via_field_fraction,
)
from semipack.thermal.heatsink import PlateFinSink

if TYPE_CHECKING:
    from semipack.thermal.films import Films

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


H_COLD_PLATE = 1e8  # W/m^2/K: an isothermal cold plate (no contact resistance)


@dataclass(frozen=True)
class FilmCoefficients:
    """Film coefficients (W/m^2/K) by face class; None keeps the environment's own (correlation or custom).

    ``top``, ``bottom`` and ``sides`` are the package's exposed faces facing up, down and
    sideways; ``board`` is every exposed face of the test board.
    """

    top: float | None = None
    bottom: float | None = None
    sides: float | None = None
    board: float | None = None

    def __post_init__(self) -> None:
        for name in ("top", "bottom", "sides", "board"):
            v = getattr(self, name)
            if v is not None and not (0 <= v < 1e9):
                raise DesignError(f"film.{name}", v, "a film coefficient from 0 to 1e9 W/m^2/K")

    def applied(self, h: Films) -> Films:
        """``h`` with the given classes replaced (``board`` replaces all three board classes)."""
        own = {"pkg_up": self.top, "pkg_down": self.bottom, "pkg_side": self.sides}
        if self.board is not None:
            own |= dict.fromkeys(("board_up", "board_down", "board_side"), self.board)
        return replace(h, **{k: v for k, v in own.items() if v is not None})


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
        None (the default): each exposed surface radiates with its material's emissivity
        (`semipack.thermal.radiation`), as JESD51-2A still air includes radiation; a
        number sets one emissivity for every surface; 0 switches radiation off. A
        ``custom`` film coefficient is taken as the whole exchange: it radiates only when
        a number is given.
    h_custom_w_m2k
        For ``custom``: one film coefficient on every exposed surface.
    trace_coverage
        Copper fraction of the smeared signal-trace fan-out of the test board; None
        (the default) takes it from the package's own fan-out (`boards.fanout_coverage`).
    board_standard
        The board outline: by package type (``auto``), JESD51-3/-7 or JESD51-9.
    thermal_land
        JESD51-5 direct attach under exposed pads (land, vias, solder); None for none.
    trace_model
        The fan-out smeared over its square (default) or drawn trace by trace.
    film
        Film coefficients by face class (top, bottom, sides, board) that replace the
        correlation's (or the custom value) where given.
    cold_plate_w_m2k
        Contact conductance of the cold plates (the top or bottom plate, the JESD51-8
        ring); the default 1e8 W/m^2/K is an isothermal plate with perfect contact.
    heat_sink
        A plate-fin heat sink on a TIM2 on the package top (forced air only).
    fanout_rows
        Terminal rings whose terminals get a fan-out trace: 1 (the default) is JESD51-9's
        outer row; JESD51-11 reports the number of rows connected as a board parameter.
    """

    kind: EnvKind = EnvKind.STILL_AIR
    board: BoardKind = BoardKind.TWO_S2P
    ambient_k: float = AMBIENT_K
    air_speed_m_s: float = 1.0
    emissivity: float | None = None
    h_custom_w_m2k: float = 10.0
    trace_coverage: float | None = None
    board_standard: BoardStandard = BoardStandard.AUTO
    thermal_land: ThermalLand | None = field(default_factory=ThermalLand)
    trace_model: TraceModel = TraceModel.SMEARED
    film: FilmCoefficients = field(default_factory=FilmCoefficients)
    cold_plate_w_m2k: float = H_COLD_PLATE
    heat_sink: PlateFinSink | None = None
    fanout_rows: int = 1
    plane_vias: bool = False

    def __post_init__(self) -> None:
        if self.emissivity is not None and not 0 <= self.emissivity <= 1:
            raise DesignError("emissivity", self.emissivity, "must be between 0 and 1")
        if not 0 <= self.air_speed_m_s <= 100:
            raise DesignError("air_speed_m_s", self.air_speed_m_s, "an air speed from 0 to 100 m/s")
        if self.kind is EnvKind.FORCED_AIR and not self.air_speed_m_s > 0:
            raise DesignError("air_speed_m_s", self.air_speed_m_s, "forced air needs a positive speed in m/s")
        if not 3.0 <= self.ambient_k <= 1000.0:
            raise DesignError("ambient_k", self.ambient_k, "an ambient temperature from 3 K to 1000 K")
        if self.trace_coverage is not None and not 0 <= self.trace_coverage <= 1:
            raise DesignError(
                "trace_coverage", self.trace_coverage, "must be in [0, 1] (or None: from the package's fan-out)"
            )
        if not 1 <= self.fanout_rows <= 50:
            raise DesignError("fanout_rows", self.fanout_rows, "1 to 50 terminal rings")
        if self.heat_sink is not None and self.kind is not EnvKind.FORCED_AIR:
            raise DesignError("heat_sink", self.kind.value, "a plate-fin heat sink is modelled in forced air only")
        if not 0 < self.cold_plate_w_m2k <= H_COLD_PLATE:
            raise DesignError(
                "cold_plate_w_m2k", self.cold_plate_w_m2k, f"a contact conductance in (0, {H_COLD_PLATE:g}] W/m^2/K"
            )
        if not 0 <= self.h_custom_w_m2k <= 1e9:
            raise DesignError("h_custom_w_m2k", self.h_custom_w_m2k, "a film coefficient from 0 to 1e9 W/m^2/K")


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
    """The package mounted on its test board; returns it and the board's top z.

    The board is built as `semipack.thermal.boards` describes: outline by package type
    (or ``env.board_standard``), FR-4 layers with the trace copper smeared over the
    fan-out square (at the coverage of the package's own fan-out, or
    ``env.trace_coverage``), and a JESD51-5 thermal land with vias under each exposed
    pad when ``env.thermal_land`` is set.
    """
    if env.board is BoardKind.NONE:
        return pkg, pkg.bbox.lo[2]
    bb = pkg.bbox
    _, bx, by = board_outline(pkg, env.board_standard)
    cx, cy = (bb.lo[0] + bb.hi[0]) / 2, (bb.lo[1] + bb.hi[1]) / 2
    fan = fanout_coverage(pkg, env.fanout_rows)
    # Nested squares from the fan-out's rings (outermost first; the smaller paints over the larger).
    regions = fan.regions if env.trace_coverage is None else ((fan.half_x, fan.half_y, env.trace_coverage),)
    lib = pkg.materials
    for i, (_, _, c) in enumerate(regions):
        lib = trace_material(lib, c, f"board_traces_{i}")
    two_planes = env.board is BoardKind.TWO_S2P
    z = bb.lo[2]
    bodies = list(pkg.bodies)
    layers: dict[str, tuple[float, float]] = {}
    for name, mat, t in board_layers(two_planes):
        trace = name.endswith("_traces")
        # Trace layers yield to the fan-out and the thermal land inside them.
        bodies.append(
            board_body(name, mat, Box((cx - bx / 2, cy - by / 2, z - t), (cx + bx / 2, cy + by / 2, z)), filler=trace)
        )
        if trace and env.trace_model is TraceModel.RESOLVED:
            traces = fanout_traces(pkg, z - t, z, rows=env.fanout_rows)
            bodies += [replace(b, name=f"{name}_{b.name}") for b in traces]
        elif trace:
            for i, (hx, hy, c) in enumerate(regions):
                fx, fy = min(hx, bx / 2), min(hy, by / 2)
                box = Box((cx - fx, cy - fy, z - t), (cx + fx, cy + fy, z))
                # Coverage 0 is bare FR-4 that must cover the larger squares painted below it.
                mat = f"board_traces_{i}" if c > 0 else "fr4"
                # Fillers: nested largest first among themselves, and every solid (an exposed
                # pad's land) paints over them whatever its size.
                bodies.append(board_body(f"{name}_fanout_{i}", mat, box, "trace fan-out", filler=True))
        layers[name] = (z - t, z)
        z -= t
    if env.thermal_land is not None:
        bodies += _thermal_lands(pkg, env.thermal_land, layers, two_planes)
        lib = _land_materials(lib, env.thermal_land)
    if env.plane_vias and two_planes:
        mount, lib = _mount_vias(pkg, env.thermal_land or ThermalLand(), layers, lib)
        bodies += mount
    # The package is valid and the board lies wholly below it: no new overlaps to check.
    return replace(pkg, bodies=tuple(bodies), materials=lib, validate=False), bb.lo[2]


def with_heat_sink(fixture: Package, pkg: Package, sink: PlateFinSink) -> Package:
    """``fixture`` with a TIM2 over the package's top footprint and the sink's base on it."""
    for key, field_name in ((sink.material, "heat_sink.material"), (sink.tim_material, "heat_sink.tim_material")):
        fixture.materials.get_material(key, field_name)
    bb = pkg.bbox
    if sink.base_x_m < bb.size[0] - 1e-9 or sink.base_y_m < bb.size[1] - 1e-9:
        # The TIM2 spans the package top; a base smaller than it would leave TIM2 hanging in air.
        size = f"{bb.size[0] * 1e3:.3g} x {bb.size[1] * 1e3:.3g} mm"
        got = f"{sink.base_x_m * 1e3:.3g} x {sink.base_y_m * 1e3:.3g} mm"
        raise DesignError("heat_sink.base", got, f"the base must cover the package top ({size})")
    cx, cy = (bb.lo[0] + bb.hi[0]) / 2, (bb.lo[1] + bb.hi[1]) / 2
    z0 = bb.hi[2]
    z1 = z0 + sink.tim_thickness_m
    z2 = z1 + sink.base_thickness_m
    hx, hy = sink.base_x_m / 2, sink.base_y_m / 2
    tim = Body(
        "sink_tim2",
        Role.THERMAL_GLUE,
        sink.tim_material,
        Box((bb.lo[0], bb.lo[1], z0), (bb.hi[0], bb.hi[1], z1)),
        None,
        "TIM2",
    )
    base = Body(
        "sink_base",
        Role.HEAT_SINK,
        sink.material,
        Box((cx - hx, cy - hy, z1), (cx + hx, cy + hy, z2)),
        None,
        "heat-sink base",
    )
    return replace(fixture, bodies=(*fixture.bodies, tim, base), validate=False)


def _thermal_lands(pkg: Package, land: ThermalLand, layers: dict[str, tuple[float, float]], vias: bool) -> list[Body]:
    """JESD51-5: a copper land under each exposed pad in the top trace layer, vias under it to plane 1."""
    out = []
    for pad in exposed_pads(pkg):
        lo, hi = pad.solid.bbox.lo, pad.solid.bbox.hi
        z0, z1 = layers["board_top_traces"]
        out.append(
            board_body(
                f"board_land_{pad.name}", "cu_rolled", Box((lo[0], lo[1], z0), (hi[0], hi[1], z1)), "thermal land"
            )
        )
        if vias and "board_prepreg_top" in layers:
            v0, v1 = layers["board_prepreg_top"]
            body = board_body(
                f"board_vias_{pad.name}", "board_land_vias", Box((lo[0], lo[1], v0), (hi[0], hi[1], v1)), "thermal vias"
            )
            out.append(body)
    return out


def _mount_vias(
    pkg: Package, land: ThermalLand, layers: dict[str, tuple[float, float]], lib: MaterialLibrary
) -> tuple[list[Body], MaterialLibrary]:
    """A copper land under each terminal and one plated via under it through to plane 1.

    The via is smeared over the terminal's footprint: its copper fraction is the barrel's
    annulus over the footprint area (capped at solid copper), so the column conducts
    what one barrel does.
    """
    from semipack.materials.composites import via_field_material

    pads = {p.name for p in exposed_pads(pkg)}
    terms = [b for b in pkg.bodies if b.role in TERMINAL_ROLES and b.name not in pads]
    z0, z1 = layers["board_top_traces"]
    v0, v1 = layers["board_prepreg_top"]
    barrel = barrel_area(land)
    out: list[Body] = []
    fractions: dict[str, tuple[str, float]] = {}  # terminals of one footprint share a material
    for b in terms:
        lo, hi = b.solid.bbox.lo, b.solid.bbox.hi
        frac = min(barrel / ((hi[0] - lo[0]) * (hi[1] - lo[1])), 1.0)
        key, _ = fractions.setdefault(f"{frac:.9f}", (f"board_mount_via_{len(fractions)}", frac))
        out.append(
            board_body(
                f"board_mount_land_{b.name}", "cu_rolled", Box((lo[0], lo[1], z0), (hi[0], hi[1], z1)), "mount-via land"
            )
        )
        out.append(
            board_body(f"board_mount_via_{b.name}", key, Box((lo[0], lo[1], v0), (hi[0], hi[1], v1)), "mount via")
        )
    lib = lib.extended({key: via_field_material(lib, "fr4", f, "cu_rolled") for key, f in fractions.values()})
    return out, lib


def _land_materials(lib: MaterialLibrary, land: ThermalLand) -> MaterialLibrary:
    from semipack.materials.composites import via_field_material

    return lib.extended({"board_land_vias": via_field_material(lib, "fr4", via_field_fraction(land), "cu_rolled")})


def land_contacts(pkg: Package, fixture: Package, env: Environment) -> dict[tuple[str, str], float]:
    """The solder layer between each exposed pad of ``pkg`` and its thermal land in ``fixture``.

    Returned as interface resistances (m^2 K/W) for the faces where pad and land meet.
    """
    if env.thermal_land is None or env.board is BoardKind.NONE:
        return {}
    names = {b.name for b in fixture.bodies}
    k = fixture.materials["sac305"].k_through_w_mk
    r = solder_resistance(env.thermal_land, k)
    return {(p.name, f"board_land_{p.name}"): r for p in exposed_pads(pkg) if f"board_land_{p.name}" in names}


def bench(pkg: Package, env: Environment) -> dict[str, object]:
    """What a reader needs to rebuild the set-up: board standard, size, layers, traces, land, air."""
    out: dict[str, object] = {
        "environment": env.kind.value,
        "ambient_c": env.ambient_k - 273.15,
        "emissivity": "per material" if env.emissivity is None else env.emissivity,
        "air_speed_m_s": env.air_speed_m_s if env.kind is EnvKind.FORCED_AIR else None,
        "board": env.board.value,
        "heat_sink": None if env.heat_sink is None else {k: v for k, v in vars(env.heat_sink).items()},
        "film_overrides_w_m2k": {k: v for k, v in vars(env.film).items() if v is not None} or None,
        "cold_plate_w_m2k": env.cold_plate_w_m2k
        if env.kind in (EnvKind.COLD_PLATE_TOP, EnvKind.COLD_PLATE_BOTTOM, EnvKind.RING_COLD_PLATE)
        else None,
    }
    if env.board is BoardKind.NONE:
        return out
    mounted = face_down(pkg)
    standard, bx, by = board_outline(mounted, env.board_standard)
    fan = fanout_coverage(mounted, env.fanout_rows)
    pads = exposed_pads(mounted)
    out.update(
        board_standard=standard.value,
        board_mm=[round(bx * 1e3, 3), round(by * 1e3, 3)],
        board_layers=[
            {"name": n, "material": m, "thickness_um": round(t * 1e6, 3)}
            for n, m, t in board_layers(env.board is BoardKind.TWO_S2P)
        ],
        trace_model=env.trace_model.value,
        trace_coverage=fan.coverage if env.trace_coverage is None else env.trace_coverage,
        trace_regions=[
            {"square_mm": [round(2 * x * 1e3, 3), round(2 * y * 1e3, 3)], "coverage": round(c, 5)}
            for x, y, c in fan.regions
        ]
        if env.trace_coverage is None
        else None,
        fanout_traces=fan.traces,
        fanout_rows=env.fanout_rows,
        plane_vias=env.plane_vias and env.board is BoardKind.TWO_S2P,
        fanout_trace_width_um=round(fan.width_m * 1e6, 3),
        fanout_square_mm=[round(2 * fan.half_x * 1e3, 3), round(2 * fan.half_y * 1e3, 3)],
        thermal_land=None
        if env.thermal_land is None or not pads
        else {
            "pads": [p.name for p in pads],
            "via_pitch_mm": env.thermal_land.via_pitch_m * 1e3,
            "via_drill_mm": env.thermal_land.via_drill_m * 1e3,
            "via_plating_um": env.thermal_land.via_plating_m * 1e6,
            "solder_um": env.thermal_land.solder_thickness_m * 1e6,
            "voiding": env.thermal_land.voiding,
        },
    )
    return out
