"""Package-to-board gap over the reflow profile: ball by ball, against the ball's reach.

At every temperature the package's ball-side face and the board's top face each have
their own shape: the package's from `warpage_curve` (FE surface, or the plate's
paraboloid), the board's from its stack-up by laminated-plate theory (the JESD51-9
2s2p board by default: a uniform plate, so a paraboloid). The gap under ball i is

    g_i = h_c + d_i - P(x_i, y_i),   d = w_pkg - w_board,

P the least-squares plane of d over the balls and h_c the joint height after collapse
(the design's truncated-sphere balls): the package settles and tilts onto its molten
balls, at their collapsed height on average. A ball whose gap exceeds its free
height plus the paste deposit, h_f + h_paste (h_f the diameter of a sphere of the
ball's volume), cannot reach its paste: head-in-pillow / non-wet-open risk. Gaps are
land-to-pad distances; + = more open.

References
----------
Board stack-up: JEDEC JESD51-9 (2s2p: 1.6 mm FR-4, 2 oz outer traces, two 1 oz planes),
as in `thermal.boards.board_layers`. Plate theory: `laminate.free_response`.
Head-in-pillow from warpage mismatch at reflow and stencils of 0.125-0.150 mm: "Warpage
acceptance proposal", SMT Magazine, Aug. 2015, pp. 40-52.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from semipack.geometry import Ball
from semipack.mechanics.fe import FeResult
from semipack.mechanics.history import clt_history
from semipack.mechanics.laminate import Layer, free_response, thermal_strain
from semipack.mechanics.stackup import ColumnStack, column_stacks
from semipack.mechanics.warpage import STRESS_FREE_K, WarpageMethod, WarpagePoint, warpage_curve
from semipack.model import Package

Array = NDArray[np.float64]

STENCIL_M = 0.125e-3  # paste deposit height: the thinner stencil of the SMT Magazine proposal
# Copper under the package on the board's top trace layer: the JESD51-9 traces are 36-44 %
# of the pitch wide (thermal.boards.TRACE_WIDTH_OF_PITCH); none under it on the bottom.
TOP_COPPER = 0.40


@dataclass(frozen=True)
class GapResult:
    """Gaps (m) per temperature and ball; the board's and package's own warpage."""

    temperatures_k: tuple[float, ...]
    names: tuple[str, ...]
    x_m: tuple[float, ...]
    y_m: tuple[float, ...]
    gaps_m: tuple[tuple[float, ...], ...]  # [temperature][ball]
    package: tuple[WarpagePoint, ...]
    board_warpage_m: tuple[float, ...]  # JESD22-B112 sign over the package's footprint
    collapsed_m: float
    free_m: float
    paste_m: float

    @property
    def reach_m(self) -> float:
        """Largest gap a ball can still bridge: its free height plus the paste."""
        return self.free_m + self.paste_m

    @property
    def corner_gaps_m(self) -> tuple[float, ...]:
        """Per temperature, the largest gap at the corner balls (farthest from the centre)."""
        x, y = np.array(self.x_m), np.array(self.y_m)
        r = np.hypot(x - 0.5 * (x.min() + x.max()), y - 0.5 * (y.min() + y.max()))
        corner = r > r.max() - 1e-9
        return tuple(float(np.max(np.array(g)[corner])) for g in self.gaps_m)

    def worst(self) -> tuple[float, str, float]:
        """(temperature K, ball, gap m) of the most open ball over the profile."""
        i, j = np.unravel_index(int(np.argmax(np.array(self.gaps_m))), (len(self.gaps_m), len(self.names)))
        return self.temperatures_k[i], self.names[j], self.gaps_m[i][j]

    @property
    def at_risk(self) -> tuple[str, ...]:
        """Balls whose gap exceeds the reach at some temperature (head-in-pillow / non-wet open)."""
        g = np.array(self.gaps_m)
        over = [bool(v) for v in np.any(g > self.reach_m, axis=0)]
        return tuple(n for n, bad in zip(self.names, over, strict=True) if bad)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values: heights and gaps in um, temperatures in K."""
        t_w, ball_w, g_w = self.worst()
        um = 1e6
        rows = zip(
            self.temperatures_k, self.package, self.board_warpage_m, self.gaps_m, self.corner_gaps_m, strict=True
        )
        return {
            "collapsed_height_um": self.collapsed_m * um,
            "free_ball_height_um": self.free_m * um,
            "paste_um": self.paste_m * um,
            "reach_um": self.reach_m * um,
            "gap_max_um": g_w * um,
            "gap_max_ball": ball_w,
            "gap_max_temperature_k": t_w,
            "hip_risk": bool(self.at_risk),
            "balls_at_risk": list(self.at_risk),
            "temperatures": [
                {
                    "temperature_k": t,
                    "package_warpage_um": p.warpage_m * um,
                    "board_warpage_um": b * um,
                    "gap_min_um": min(g) * um,
                    "gap_max_um": max(g) * um,
                    "corner_gap_um": cg * um,
                }
                for t, p, b, g, cg in rows
            ],
            "balls": [
                {"ball": n, "x_m": x, "y_m": y, "gap_um": [g[i] * um for g in self.gaps_m]}
                for i, (n, x, y) in enumerate(zip(self.names, self.x_m, self.y_m, strict=True))
            ],
        }


@dataclass(frozen=True)
class BoardLayer:
    """One layer of the board under the package: its host material and copper share."""

    name: str
    material: str
    thickness_m: float
    copper_share: float = 0.0


def board_layers_2s2p(top_copper: float = TOP_COPPER) -> list[BoardLayer]:
    """The JESD51-9 2s2p stack, bottom to top, with ``top_copper`` on the package side."""
    from semipack.thermal.boards import board_layers

    return [
        BoardLayer(name, mat, t, top_copper if name == "board_top_traces" else 0.0)
        for name, mat, t in reversed(board_layers(True))
    ]


def _mix(pkg: Package, layer: BoardLayer, t_ref_k: float, t_k: float, props_k: float) -> Layer:
    """A board layer at temperature: copper and its host by the rule of mixtures (Voigt)."""
    host, cu = pkg.materials[layer.material], pkg.materials["cu_rolled"]
    f = layer.copper_share
    e_h, e_c = host.youngs_at(props_k), cu.youngs_at(props_k)
    e = (1 - f) * e_h + f * e_c
    eps = ((1 - f) * e_h * thermal_strain(host, t_ref_k, t_k) + f * e_c * thermal_strain(cu, t_ref_k, t_k)) / e
    nu = (1 - f) * host.poisson + f * cu.poisson
    return Layer(layer.thickness_m, e, nu, eps, layer.name)


def board_curvature(pkg: Package, t_ref_k: float, t_k: float, top_copper: float = TOP_COPPER) -> float:
    """Free curvature (1/m, + = top face concave) of the board's stack-up from ``t_ref_k`` to
    ``t_k``, interval by interval across the FR-4's Tg like the package."""
    from semipack.mechanics.history import intervals

    fr4 = pkg.materials["fr4"]
    tgs = (fr4.tg_k,) if fr4.tg_k is not None else ()
    base = board_layers_2s2p(top_copper)
    return math.fsum(
        free_response([_mix(pkg, la, a, b, 0.5 * (a + b)) for la in base]).curvature_per_m
        for a, b in intervals(t_ref_k, t_k, tgs)
    )


def _package_heights(
    pkg: Package, t_ref_k: float, t_k: float, fe: FeResult | None, xy: Array, stacks: list[ColumnStack]
) -> Array:
    """Height (m, up) of the ball-side face at the balls' (x, y)."""
    if fe is not None:
        from scipy.interpolate import griddata

        x, y, w = fe.bottom_surface()
        out: Array = griddata((x, y), w, xy, method="linear")
        near: Array = griddata((x, y), w, xy, method="nearest")
        return np.where(np.isfinite(out), out, near)
    kappa = clt_history(pkg, t_ref_k, t_k, stacks).curvature_per_m
    bb = pkg.bbox
    cx, cy = 0.5 * (bb.lo[0] + bb.hi[0]), 0.5 * (bb.lo[1] + bb.hi[1])
    r2: Array = (xy[:, 0] - cx) ** 2 + (xy[:, 1] - cy) ** 2
    return 0.5 * kappa * r2  # + curvature = top concave: corners rise


def package_gaps(
    pkg: Package,
    temperatures_k: Sequence[float],
    t_ref_k: float = STRESS_FREE_K,
    method: WarpageMethod | str = WarpageMethod.FE,
    resolution: float = 0.5,
    paste_m: float = STENCIL_M,
    top_copper: float = TOP_COPPER,
    curve: tuple[Sequence[WarpagePoint], dict[float, FeResult]] | None = None,
) -> GapResult:
    """Gap under every ball at every temperature (see the module docstring).

    ``curve``: the package's `warpage_curve` over (at least) these temperatures, when the
    caller has it (the report), so it is not solved twice.
    """
    from semipack.mechanics.fatigue import solder_balls

    how = WarpageMethod.parse(method)
    balls = solder_balls(pkg)
    solids = [b.solid for b in balls if isinstance(b.solid, Ball)]  # solder_balls keeps only these
    xy = np.array([[s.center[0], s.center[1]] for s in solids])
    collapsed = float(np.median([s.z1 - s.z0 for s in solids]))
    # As placed, before it collapses, a ball is about a sphere of the joint's volume.
    free = float(np.median([(6 * s.volume / math.pi) ** (1 / 3) for s in solids]))
    if curve is None:
        points, fe = warpage_curve(pkg, temperatures_k, t_ref_k, how, resolution)
    else:
        by_t = {round(p.temperature_k, 6): p for p in curve[0]}
        points, fe = tuple(by_t[round(float(t), 6)] for t in temperatures_k), curve[1]
    bb = pkg.bbox
    cx, cy = 0.5 * (bb.lo[0] + bb.hi[0]), 0.5 * (bb.lo[1] + bb.hi[1])
    r2 = (xy[:, 0] - cx) ** 2 + (xy[:, 1] - cy) ** 2
    diag2 = ((bb.hi[0] - bb.lo[0]) ** 2 + (bb.hi[1] - bb.lo[1]) ** 2) / 4
    gaps, board_w = [], []
    stacks = column_stacks(pkg) if not fe else []  # the plate's columns, sliced once
    for t in temperatures_k:
        w_pkg = _package_heights(pkg, t_ref_k, t, fe.get(round(float(t), 6)), xy, stacks)
        k_b = board_curvature(pkg, t_ref_k, t, top_copper)
        w_board = 0.5 * k_b * r2
        d = w_pkg - w_board
        # The package settles and tilts onto its molten balls: the best-fit plane of the
        # height difference is the seating, at the collapsed height on average.
        a = np.column_stack([np.ones(len(d)), xy[:, 0], xy[:, 1]])
        coef, *_ = np.linalg.lstsq(a, d, rcond=None)
        gaps.append(tuple(float(v) for v in collapsed + d - a @ coef))
        board_w.append(-0.5 * k_b * diag2)  # corners' rise over the centre, JESD22-B112 sign
    return GapResult(
        tuple(float(t) for t in temperatures_k),
        tuple(b.name for b in balls),
        tuple(float(v) for v in xy[:, 0]),
        tuple(float(v) for v in xy[:, 1]),
        tuple(gaps),
        points,
        tuple(board_w),
        collapsed,
        free,
        paste_m,
    )
