"""Held-out conditions for a compact model: the JEDEC environments reduced to per-class film coefficients.

A compact model is judged on conditions it was not trained on. Here those are the
JEDEC still-air (JESD51-2A) and forced-air (JESD51-6, 1 and 2 m/s) environments with
the package on its 2s2p test board, solved in detail by `steady.solve_thermal`. Each
is reduced to one film coefficient per surface class, so the detailed package-alone
model and the compact networks can be put in the same condition:

- top and sides: the environment's converged convection coefficient for the
  package's upward and side faces plus linearised radiation (the coefficient per unit
  emissivity times the emissivity of the package's top material);
- bottom (inner and outer) and leads: the test board, as the film coefficient that
  carries the board's share of the heat from the package's footprint at the board's
  mean rise under the package: h = Q_board / (A_footprint (T_board - Ta)).

The reduction is this code's; JESD15-4 sec. 4.7 asks only that the model be checked
in conditions outside its training set.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from semipack.model import Package
from semipack.thermal.compact.bcs import BoundaryCondition
from semipack.thermal.environment import BoardKind, Environment, EnvKind, face_down
from semipack.thermal.radiation import emissivity_of
from semipack.thermal.setup import ThermalCache
from semipack.thermal.steady import ThermalResult, solve_thermal

JEDEC_HELD_OUT: tuple[tuple[str, EnvKind, float], ...] = (
    ("jesd51-2a_still_air_2s2p", EnvKind.STILL_AIR, 0.0),
    ("jesd51-6_forced_1m_s_2s2p", EnvKind.FORCED_AIR, 1.0),
    ("jesd51-6_forced_2m_s_2s2p", EnvKind.FORCED_AIR, 2.0),
)


def _board_h(pkg: Package, r: ThermalResult) -> float:
    """Board heat over footprint area and the board's mean top rise under the package."""
    bb = face_down(pkg).bbox
    g = r.grid
    cx, cy, _ = g.centers
    k = int(np.searchsorted(np.asarray(g.z), bb.lo[2] - 1e-9)) - 1  # the board cell layer just below
    inx = (cx > bb.lo[0]) & (cx < bb.hi[0])
    iny = (cy > bb.lo[1]) & (cy < bb.hi[1])
    area = g.dx[inx][:, None] * g.dy[iny][None, :]
    t = r.temperature_k[:, :, k][np.ix_(inx, iny)]
    rise = float((t * area).sum() / area.sum()) - r.environment.ambient_k
    a_fp = bb.size[0] * bb.size[1]
    return max(r.heat_paths_w["board_w"], 0.0) / (a_fp * max(rise, 1e-9))


def jedec_conditions(pkg: Package, *, resolution: float = 0.5) -> tuple[BoundaryCondition, ...]:
    """The JEDEC still- and forced-air environments as per-class boundary conditions (see the module docstring)."""
    mounted = face_down(pkg)
    top_body = max((b for b in mounted.bodies if "board" not in b.tags), key=lambda b: b.solid.bbox.hi[2])
    eps = emissivity_of(mounted.materials[top_body.material])
    out = []
    cache = ThermalCache()  # the three share the 2s2p fixture: one grid and raster
    for name, kind, speed in JEDEC_HELD_OUT:
        env = Environment(kind, BoardKind.TWO_S2P)
        if kind is EnvKind.FORCED_AIR:
            env = replace(env, air_speed_m_s=speed)
        r = solve_thermal(pkg, env, resolution=resolution, cache=cache)
        rad = eps * r.film_w_m2k.get("radiation_pkg_per_emissivity", 0.0)
        hb = _board_h(pkg, r)
        out.append(
            BoundaryCondition.of(
                name, top=r.film_w_m2k["pkg_up"] + rad, sides=r.film_w_m2k["pkg_side"] + rad, bottom=hb, leads=hb
            )
        )
    return tuple(out)
