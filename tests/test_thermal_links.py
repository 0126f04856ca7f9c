"""Traces and wires conduct from cell to cell along their own path (`semipack.thermal.links`).

The walk through the cells is checked on its own (every cell crossed, in order, through
shared faces, the lengths summing to the segment's); the model on a trace between two
copper pads on an insulating layer, whose resistance is the trace's k A / L whatever its
angle to the grid. Spread as a conductivity along its direction, the same trace at 30 or
45 degrees read 31 to 37 times its resistance.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from semipack.geometry import Box, Cylinder, Trace, Wire
from semipack.materials import default_library
from semipack.model import Body, HeatSource, Package, Role
from semipack.thermal import raster
from semipack.thermal.environment import Environment, EnvKind
from semipack.thermal.grid import Grid
from semipack.thermal.links import cell_runs, line_links
from semipack.thermal.steady import solve_thermal

MM = 1e-3
LIB = default_library().extended({"insulator": {"base": "air", "k": ["1e-4 W/m/K", "test: all heat in the trace"]}})
K_CU = LIB["cu_rolled"].k_inplane_w_mk
W, H, L, R_PAD = 50e-6, 15e-6, 2 * MM, 0.15 * MM
D = 0.1 * MM  # the die's half-side


def _grid() -> Grid:
    return Grid(tuple(np.arange(6) * 1.0), tuple(np.arange(6) * 1.0), (0.0, 1.0))


def test_a_segment_crosses_its_cells_in_order_through_shared_faces() -> None:
    """(0.5, 0.2) to (3.5, 2.7) on unit cells: every cell it crosses once, each next to the last."""
    p = np.array([[0.5, 0.2, 0.5], [3.5, 2.7, 0.5]])
    cells, lengths = cell_runs(p, _grid())
    assert lengths.sum() == pytest.approx(math.dist(p[0], p[1]), rel=1e-12)
    steps = np.abs(np.diff(cells, axis=0)).sum(axis=1)
    assert (steps == 1).all()
    assert cells[0].tolist() == [0, 0, 0] and cells[-1].tolist() == [3, 2, 0]
    assert len(cells) == 1 + 3 + 2  # three x planes and two y planes crossed


def test_a_segment_through_a_corner_steps_one_face_at_a_time() -> None:
    """(0.5, 0.5) to (2.5, 2.5) passes through the grid's corners (1, 1) and (2, 2): each
    diagonal step becomes two face steps through a cell it only touches (length zero)."""
    cells, lengths = cell_runs(np.array([[0.5, 0.5, 0.5], [2.5, 2.5, 0.5]]), _grid())
    assert (np.abs(np.diff(cells, axis=0)).sum(axis=1) == 1).all()
    assert lengths.sum() == pytest.approx(2 * math.sqrt(2), rel=1e-12)
    assert sorted(lengths.tolist()).count(0.0) == 2


def test_the_links_of_a_straight_trace_add_up_to_its_resistance() -> None:
    """In series, the links of a trace from (0.5, 0.2) to (4.5, 3.1) are its k A / l from the
    middle of its first cell's run to the middle of its last."""
    trace = Trace(((0.5, 0.2), (4.5, 3.1)), 0.1, 0.4, 0.6)
    cells, lengths = cell_runs(np.array([[0.5, 0.2, 0.5], [4.5, 3.1, 0.5]]), _grid())
    links = line_links([(trace, 2.0)], _grid())
    g = np.concatenate(links.conductance)
    assert len(g) == len(cells) - 1
    expected = (lengths.sum() - (lengths[0] + lengths[-1]) / 2) / (2.0 * 0.1 * 0.2)
    assert np.sum(1.0 / g) == pytest.approx(expected, rel=1e-12)


def test_a_bent_trace_is_walked_through_its_vertex() -> None:
    """A trace bent at (2, 2), a corner of the grid, is one chain of links through the vertex
    (linked segment by segment, it broke there), adding up to its length between the
    middles of its end runs; a trace ending on an x plane gets no link beyond it."""
    pts = ((0.5, 0.3), (2.0, 2.0), (3.7, 3.5))
    trace = Trace(pts, 0.1, 0.4, 0.6)
    cells, lengths = cell_runs(np.array([[x, y, 0.5] for x, y in pts]), _grid())
    assert (np.abs(np.diff(cells, axis=0)).sum(axis=1) == 1).all()
    g = np.concatenate(line_links([(trace, 2.0)], _grid()).conductance)
    assert len(g) == len(cells) - 1
    floor = 0.1  # MIN_GAP: no link shorter than a tenth of a cell
    gaps = np.maximum((lengths[:-1] + lengths[1:]) / 2, floor)
    assert np.sum(1.0 / g) == pytest.approx(gaps.sum() / (2.0 * 0.1 * 0.2), rel=1e-12)
    on_plane = line_links([(Trace(((0.5, 0.3), (3.0, 2.5)), 0.1, 0.4, 0.6), 2.0)], _grid())
    n_cells = len(cell_runs(np.array([[0.5, 0.3, 0.5], [3.0, 2.5, 0.5]]), _grid())[0])
    assert sum(len(v) for v in on_plane.conductance) == n_cells - 1


def test_a_wire_bonded_on_a_face_is_linked_to_the_cell_beyond() -> None:
    """A wire from a point on a grid plane (a bond on the die's face) leaves its first cell
    through the plane too: that cell is linked to the one under the plane over half the
    wire's first run; a wire ending inside a cell is not."""
    grid = Grid(tuple(np.arange(6) * 1.0), tuple(np.arange(6) * 1.0), tuple(np.arange(4) * 1.0))
    wire = Wire(((0.5, 0.5, 1.0), (2.5, 0.5, 2.5)), 0.1)
    area = math.pi * 0.05**2
    cells, lengths = cell_runs(np.asarray(wire.points), grid)
    assert cells[0].tolist() == [0, 0, 1]
    links = line_links([(wire, 3.0)], grid)
    face_shape = (5, 5, 2)
    bond = np.ravel_multi_index((0, 0, 0), face_shape)  # the z face between (0, 0, 0) and (0, 0, 1)
    assert bond in links.faces[2].tolist()
    g = links.conductance[2][links.faces[2].tolist().index(bond)]
    assert g == pytest.approx(3.0 * area / (lengths[0] / 2), rel=1e-12)
    inside = line_links([(Wire(((0.5, 0.5, 1.2), (2.5, 0.5, 2.5)), 0.1), 3.0)], grid)
    assert bond not in inside.faces[2].tolist()


def _pads_and_trace(angle_deg: float) -> Package:
    """A heated die on a round copper pad, a 2 mm trace on an insulating layer to a second pad
    on a copper post down to a copper base on the cold plate."""
    a = math.radians(angle_deg)
    ax, ay, bx, by = -L / 2 * math.cos(a), -L / 2 * math.sin(a), L / 2 * math.cos(a), L / 2 * math.sin(a)
    s, z0, z1 = 3 * MM, 0.1 * MM, 0.3 * MM
    bodies = [
        Body("base", Role.SUBSTRATE, "cu_rolled", Box((-s, -s, 0.0), (s, s, z0))),
        Body("layer", Role.DIELECTRIC, "insulator", Box((-s, -s, z0), (s, s, z1 + H)), filler=True),
        Body("post", Role.COLUMN, "cu_rolled", Cylinder((bx, by), R_PAD, z0, z1)),
        Body("pad_a", Role.LAND, "cu_rolled", Cylinder((ax, ay), R_PAD, z1, z1 + H)),
        Body("pad_b", Role.LAND, "cu_rolled", Cylinder((bx, by), R_PAD, z1, z1 + H)),
        Body("trace", Role.TRACE, "cu_rolled", Trace(((ax, ay), (bx, by)), W, z1, z1 + H)),
        # A square die inside the pad: a round one's edge cells, part silicon and part air, ran hot.
        Body("die", Role.DIE, "si", Box((ax - D, ay - D, z1 + H), (ax + D, ay + D, z1 + H + 0.1 * MM))),
    ]
    return Package("trace", "test", tuple(bodies), LIB, heat_sources=(HeatSource("die", 1.0),), validate=False)


def _theta(pkg: Package, resolution: float) -> float:
    env = Environment(EnvKind.COLD_PLATE_BOTTOM)
    out = solve_thermal(pkg, env, resolution=resolution)
    return (out.tj_max_k - env.ambient_k) / out.power_w


@pytest.mark.parametrize("resolution", [1.0, 2.0])
def test_a_trace_at_an_angle_conducts_as_one_along_the_grid(resolution: float, monkeypatch: pytest.MonkeyPatch) -> None:
    """The trace between the pads' edges is 1.7 mm, 5652 K/W, at any angle. Linked at 30 and
    45 degrees, theta is within 6 % of the trace along x (deposited: an axis-aligned segment
    conducts as a link would): along x / at 45 degrees 6133 / 5786 K/W at resolution 1,
    6057 / 5757 at 2, 6222 / 5772 at 3. All lie above the trace's own resistance and within
    12 % of it: the pads, post and die add about 6 K/W, the rest is where the trace leaves its
    pads' cells (+10 % along x at resolution 3; with two z cells across the insulating layer,
    6071 / 6031 / 6187 along x). Spread along its direction in each cell, the angled trace
    read 31-37 times its resistance.
    """
    trace_only = (L - 2 * R_PAD) / (K_CU * W * H)
    along = _theta(_pads_and_trace(0.0), resolution)
    assert trace_only < along < 1.12 * trace_only
    for angle in (30.0, 45.0):
        angled = _theta(_pads_and_trace(angle), resolution)
        assert angled == pytest.approx(along, rel=0.06) and trace_only < angled < 1.12 * trace_only
    monkeypatch.setattr(raster, "LINKS", False)
    assert _theta(_pads_and_trace(45.0), resolution) > 5 * trace_only
