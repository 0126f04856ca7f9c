"""Pads fed at a point: which pads a narrower conductor covers in part, and the grid resolving them.

The geometry is checked on a thin-film stack built by hand (a bump pad on its microvia, a
ball on the pad), and the physics on the grouped thin-film package: once its pads and their
balls are resolved and the vias carry their part of each pad (`constriction.CONTINUE_COVERED`),
its theta-JC(bottom) at resolution 1 agrees with resolution 2 within 2 %. With the pads
deposited it read 37 % low, and with the vias throttled 22 % high.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from conftest import example

from semipack.geometry import Ball, Box, Cylinder
from semipack.materials import default_library
from semipack.model import Body, HeatSource, Package, Role
from semipack.thermal import constriction
from semipack.thermal.environment import BoardKind, Environment, EnvKind
from semipack.thermal.grid import FED_RESOLVE_CELLS, MAJOR_SNAP, RESOLVE_CELLS, SNAP, make_grid
from semipack.thermal.metrics import metrics_of
from semipack.thermal.pads import fed_at_a_point, lens_area
from semipack.thermal.steady import solve_thermal

LIB = default_library()
UM = 1e-6
SPAN = 3e-3  # h_xy = 0.1 mm at resolution 1
Z_PAD = 20 * UM  # the polyimide under the pads


def _stack(via_radius: float = 15 * UM, pad_radius: float = 40 * UM, column: bool = False) -> Package:
    """A die, 20 um of polyimide with a via, a 4 um pad on it and a ball on the pad."""
    h = SPAN / 2
    z1 = Z_PAD + 4 * UM
    pad = Cylinder((0.0, 0.0), pad_radius, Z_PAD, z1 if not column else Z_PAD + 3 * pad_radius)
    bodies = [
        Body("die", Role.DIE, "si", Box((-h, -h, -0.3e-3), (h, h, 0.0))),
        Body("polyimide", Role.DIELECTRIC, "polyimide_thinfilm", Box((-h, -h, 0.0), (h, h, Z_PAD)), filler=True),
        Body("via", Role.VIA, "cu_plated", Cylinder((0.0, 0.0), via_radius, 0.0, Z_PAD)),
        Body("pad", Role.LAND, "cu_plated", pad),
        # Cut 30 um below its centre: its foot is the pad's 80 um face.
        Body("ball", Role.BALL, "sac305", Ball((0.0, 0.0, pad.z1 + 30 * UM), 50 * UM, pad.z1, pad.z1 + 60 * UM)),
    ]
    return Package("stack", "test", tuple(bodies), LIB, heat_sources=(HeatSource("die", 1.0),), validate=False)


def test_lens_area_limits() -> None:
    """Apart: 0; one inside the other: the smaller disc; equal discs at distance r: the
    lens (2 pi / 3 - sqrt(3) / 2) r^2."""
    r = 1.0
    got = lens_area(r, np.array([1.0, 0.3, 2.0, 1.0]), np.array([2.5, 0.5, 0.5, 1.0]))
    assert got.tolist() == pytest.approx([0.0, math.pi * 0.09, math.pi, 2 * math.pi / 3 - math.sqrt(3) / 2])


def test_a_pad_on_a_microvia_is_fed_at_a_point_and_takes_its_ball() -> None:
    pkg = _stack()
    names = {pkg.bodies[n].name for n in fed_at_a_point(pkg)}
    assert names == {"pad", "ball"}  # the via covers 14 % of the pad; the ball covers the rest
    # A via as wide as the pad continues it; a column taller than it is wide is not a pad.
    assert fed_at_a_point(_stack(via_radius=40 * UM)) == frozenset()
    assert fed_at_a_point(_stack(column=True)) == frozenset()
    # A pin on the pad stays with the general rule.
    pinned = _stack()
    ball = pinned.bodies[-1]
    z0 = ball.solid.bbox.lo[2]
    pin = replace(ball, role=Role.PIN, solid=Cylinder((0.0, 0.0), 40 * UM, z0, z0 + 0.3e-3))
    pinned = replace(pinned, bodies=(*pinned.bodies[:-1], pin))
    assert {pinned.bodies[n].name for n in fed_at_a_point(pinned)} == {"pad"}


def test_the_grid_resolves_a_fed_pad_from_its_own_width() -> None:
    """At resolution 0.5 (0.2 mm target cells) the 80 um pad spans 0.4 cells: resolved (its
    faces are planes) as a fed pad, from `FED_RESOLVE_CELLS`; the same pad on a via as wide
    as it is deposited, as every round body narrower than `RESOLVE_CELLS`."""
    assert FED_RESOLVE_CELLS < 0.4 < RESOLVE_CELLS

    def planes(pkg: Package) -> bool:
        # A plane at the pad's face, or where it snapped to (the ball's foot, 5 um off).
        x = np.asarray(make_grid(pkg, 0.5).x)
        return bool(np.min(np.abs(x - 40 * UM)) <= SNAP * SPAN / 15)

    assert planes(_stack())
    assert not planes(_stack(via_radius=40 * UM))


def test_a_fed_pad_narrower_than_two_snapping_distances_keeps_both_faces() -> None:
    """At resolution 0.1 (1 mm target cells, faces within 0.1 mm share a plane) the 80 um
    pad's faces would merge into one plane; as a fed pad they snap only within 50 um
    (`MAJOR_SNAP`), so the pad keeps a cell of its own (its faces and the ball's, 10 um
    apart, share planes)."""
    assert MAJOR_SNAP * SPAN / 3 < 80 * UM < SNAP * SPAN / 3
    x = np.asarray(make_grid(_stack(), 0.1).x)
    near = x[np.abs(x) < 60 * UM]
    assert len(near) == 2 and near[0] == pytest.approx(-near[1]) and 30 * UM < near[1] < 55 * UM


def test_the_grouped_thin_film_package_converges_at_resolution_1() -> None:
    pkg = example("thinfilm_metal_group_same")
    env = Environment(kind=EnvKind.COLD_PLATE_BOTTOM, board=BoardKind.NONE)

    def theta(resolution: float) -> float:
        return float(metrics_of(solve_thermal(pkg, env, resolution=resolution))["theta_jc_bottom_c_per_w"])

    assert constriction.CONTINUE_COVERED
    coarse, fine = theta(1.0), theta(2.0)
    assert coarse == pytest.approx(fine, rel=0.02)
