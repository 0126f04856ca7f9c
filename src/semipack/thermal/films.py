"""Film coefficients by face class: what the environment's correlations give each exposed face.

The package's faces facing up, down and sideways, the test board's, an optional heat sink's
effective coefficient on the package top, and the linearised radiation per unit emissivity
of the package's and the board's surfaces. `Films` is the typed set a steady solve uses;
``to_dict`` gives the names the results and ``--json`` report.

References
----------
Incropera, DeWitt, Bergman, Lavine, Fundamentals of Heat and Mass Transfer, 6th ed.,
Wiley 2007: eq. 9.26 (Churchill-Chu, vertical plate), eqs. 9.30-9.32 (horizontal plates),
eq. 7.30 (laminar flat plate), eq. 1.9 (linearised radiation), as implemented in
`semipack.thermal.convection`; still air per JESD51-2A, forced air per JESD51-6.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from semipack.thermal.convection import Orientation, forced_h, natural_h, radiation_h
from semipack.thermal.environment import Environment, EnvKind
from semipack.thermal.heatsink import effective_h

BOARD_EDGE_M = 1.6e-3  # the height of a test board's edge (JESD51-7's 1.6 mm board)


@dataclass(frozen=True)
class Films:
    """Film coefficients (W/m^2/K) of the package's and the board's face classes."""

    pkg_up: float
    pkg_down: float
    pkg_side: float
    board_up: float
    board_down: float
    board_side: float
    sink_top: float | None = None  # a plate-fin sink's effective coefficient on the package top
    radiation_pkg_per_emissivity: float = 0.0
    radiation_board_per_emissivity: float = 0.0

    @classmethod
    def uniform(cls, h: float) -> Films:
        """Every face class at ``h`` (a custom coefficient, or 0 where a cold plate takes over)."""
        return cls(h, h, h, h, h, h)

    def down(self, on_board: bool) -> float:
        return self.board_down if on_board else self.pkg_down

    def side(self, on_board: bool) -> float:
        return self.board_side if on_board else self.pkg_side

    def to_dict(self) -> dict[str, float]:
        """By name, as results report them (``sink_top`` only with a heat sink)."""
        return {k: v for k, v in asdict(self).items() if v is not None}


def convective_films(
    env: Environment, l_pkg: float, l_board: float, l_side: float, t_pkg: float, t_board: float, k_fin: float = 0.0
) -> Films:
    """The environment's convective coefficients at surface temperatures ``t_pkg``/``t_board`` (K).

    ``l_pkg``, ``l_board`` and ``l_side`` are the characteristic lengths (m) of the package's
    top, the board and the package's sides; ``k_fin`` the sink fins' conductivity. The
    user's `FilmCoefficients` (``env.film``) replace the classes they give; cold plates get 0.
    """
    ta = env.ambient_k
    if env.kind is EnvKind.STILL_AIR:
        h = Films(
            natural_h(Orientation.UP, l_pkg, t_pkg, ta),
            natural_h(Orientation.DOWN, l_pkg, t_pkg, ta),
            natural_h(Orientation.VERTICAL, l_side, t_pkg, ta),
            natural_h(Orientation.UP, l_board, t_board, ta),
            natural_h(Orientation.DOWN, l_board, t_board, ta),
            natural_h(Orientation.VERTICAL, BOARD_EDGE_M, t_board, ta),
        )
    elif env.kind is EnvKind.FORCED_AIR:
        hp, hb = forced_h(env.air_speed_m_s, 2 * l_pkg), forced_h(env.air_speed_m_s, 2 * l_board)
        sink = None
        if env.heat_sink is not None:
            sink = effective_h(env.heat_sink, env.air_speed_m_s, k_fin, (t_pkg + ta) / 2)
        h = Films(hp, hp, hp, hb, hb, hb, sink_top=sink)
    elif env.kind is EnvKind.CUSTOM:
        h = Films.uniform(env.h_custom_w_m2k)
    else:
        return Films.uniform(0.0)
    return env.film.applied(h)


def with_radiation(h: Films, ambient_k: float, t_pkg: float, t_board: float, radiates: bool) -> Films:
    """``h`` with the linearised radiation per unit emissivity at the surfaces' temperatures (K)."""
    return replace(
        h,
        radiation_pkg_per_emissivity=radiation_h(1.0, t_pkg, ambient_k) if radiates else 0.0,
        radiation_board_per_emissivity=radiation_h(1.0, t_board, ambient_k) if radiates else 0.0,
    )
