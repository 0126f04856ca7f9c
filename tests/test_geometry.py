"""Solids: analytic volumes, containment against Monte Carlo, sections, overlaps."""

from __future__ import annotations

import math

import numpy as np
import pytest

from semipack.geometry import Axis, Ball, BentSheet, Box, Cylinder, Polyline, Region, Trace, Wire, overlap_volume
from semipack.geometry.solids import segment_distance

SOLIDS = [
    Box((0, 0, 0), (2e-3, 1e-3, 0.5e-3)),
    Box((0, 0, 0), (2e-3, 2e-3, 1e-3), (Box((0.5e-3, 0.5e-3, 0.5e-3), (1.5e-3, 1.5e-3, 2e-3)),)),
    Cylinder((0.0, 0.0), 0.1e-3, 0.0, 0.3e-3),
    Ball((0.0, 0.0, 0.0), 0.3e-3, -0.2e-3, 0.25e-3),
    Trace(((0.0, 0.0), (1e-3, 0.5e-3), (2e-3, 0.5e-3)), 50e-6, 0.0, 10e-6),
    BentSheet(Axis.Y, 0.0, 0.0, 0.2e-3, 50e-6, (-1e-3, 1e-3), -1),
    Wire(((0, 0, 0), (0, 0, 0.2e-3), (0.5e-3, 0.3e-3, 0.2e-3)), 30e-6),
]


def _monte_carlo_volume(solid: object, n: int = 400_000) -> float:
    rng = np.random.default_rng(1)
    bb = solid.bbox  # type: ignore[attr-defined]
    lo, hi = np.array(bb.lo), np.array(bb.hi)
    pts = lo + rng.random((n, 3)) * (hi - lo)
    return float(solid.contains(pts).mean()) * bb.volume  # type: ignore[attr-defined]


@pytest.mark.parametrize("solid", SOLIDS, ids=lambda s: type(s).__name__)
def test_contains_agrees_with_volume(solid: object) -> None:
    """The containment test and the analytic volume describe the same solid (Monte Carlo, 2 %)."""
    mc = _monte_carlo_volume(solid)
    exact = solid.volume  # type: ignore[attr-defined]
    # Wires are tubes with rounded joints; the straight-segment volume is within a few percent.
    assert mc == pytest.approx(exact, rel=0.05 if isinstance(solid, Wire) else 0.02)


def test_ball_volume_closed_forms() -> None:
    r = 0.3e-3
    assert Ball((0, 0, 0), r, -r, r).volume == pytest.approx(4 / 3 * math.pi * r**3)
    h = 0.1e-3  # a spherical cap of height h: pi h^2 (3r - h) / 3
    assert Ball((0, 0, 0), r, r - h, r).volume == pytest.approx(math.pi * h**2 * (3 * r - h) / 3)


def test_bent_sheet_volume_closed_form() -> None:
    s = BentSheet(Axis.X, 0.0, 0.0, 1e-3, 0.1e-3, (0.0, 2e-3), 1)
    assert s.volume == pytest.approx(0.5 * math.pi * (1.1e-3**2 - 1e-3**2) * 2e-3)


def test_box_section_and_holes() -> None:
    b = SOLIDS[1]
    (region,) = b.section(Axis.Y, 1e-3)
    assert isinstance(region, Region)
    assert region.area == pytest.approx(2e-3 * 1e-3 - 1e-3 * 0.5e-3)
    assert b.section(Axis.Y, 3e-3) == []


def test_cylinder_and_ball_sections() -> None:
    (r,) = Cylinder((0.0, 0.0), 1e-3, 0.0, 1e-3).section(Axis.X, 0.6e-3)
    assert isinstance(r, Region)
    assert r.area == pytest.approx(2 * math.sqrt(1 - 0.36) * 1e-3 * 1e-3)
    (c,) = Ball((0, 0, 0), 1e-3, -1e-3, 1e-3).section(Axis.Y, 0.0)
    assert isinstance(c, Region)
    assert c.area == pytest.approx(math.pi * 1e-6, rel=0.02)


def test_bent_sheet_sections_both_ways() -> None:
    s = BentSheet(Axis.Y, 0.0, 0.0, 1e-3, 0.1e-3, (-1e-3, 1e-3), -1)
    (across,) = s.section(Axis.Y, 0.0)
    assert isinstance(across, Region)
    assert across.area == pytest.approx(0.5 * math.pi * (1.1e-3**2 - 1e-3**2), rel=0.01)
    along = s.section(Axis.X, -0.5e-3)
    assert len(along) == 2  # the plane cuts the bend twice
    assert s.section(Axis.X, +0.5e-3) == []  # the bend bulges to -x only


def test_trace_section_width() -> None:
    t = Trace(((-1e-3, 0.0), (1e-3, 0.0)), 40e-6, 0.0, 5e-6)
    (r,) = t.section(Axis.X, 0.0)
    assert isinstance(r, Region)
    x0, _, x1, _ = r.bounds
    assert x1 - x0 == pytest.approx(40e-6, rel=0.08)


def test_wire_profile_only_near_plane() -> None:
    w = Wire(((0, 1e-3, 0), (1e-3, 1e-3, 0.2e-3)), 25e-6)
    assert w.section(Axis.Y, 0.0, tolerance=0.1e-3) == []
    (line,) = w.section(Axis.Y, 0.95e-3, tolerance=0.1e-3)
    assert isinstance(line, Polyline)


def test_overlap_volume() -> None:
    a = Box((0, 0, 0), (1e-3, 1e-3, 1e-3))
    b = Box((0.5e-3, 0, 0), (1.5e-3, 1e-3, 1e-3))
    assert overlap_volume(a, b) == pytest.approx(0.5e-9)
    touching = Box((1e-3, 0, 0), (2e-3, 1e-3, 1e-3))
    assert overlap_volume(a, touching) == 0.0
    cyl = Cylinder((0.5e-3, 0.5e-3), 0.2e-3, 0.2e-3, 0.8e-3)  # wholly inside a
    assert overlap_volume(a, cyl, n=40) == pytest.approx(cyl.volume, rel=0.03)


def test_segment_distance_against_sampling() -> None:
    rng = np.random.default_rng(0)
    for _ in range(50):
        p1, q1, p2, q2 = (tuple(rng.random(3)) for _ in range(4))
        t = np.linspace(0, 1, 400)
        a = np.array(p1) + t[:, None] * (np.array(q1) - np.array(p1))
        b = np.array(p2) + t[:, None] * (np.array(q2) - np.array(p2))
        brute = np.min(np.linalg.norm(a[:, None, :] - b[None, :, :], axis=2))
        got = segment_distance(p1, q1, p2, q2)  # type: ignore[arg-type]
        assert got <= brute + 1e-12
        assert got == pytest.approx(brute, abs=5e-3)


def test_translation_preserves_volume() -> None:
    for s in SOLIDS:
        moved = s.translated((1e-3, -2e-3, 0.5e-3))
        assert moved.volume == pytest.approx(s.volume)
        assert moved.bbox.lo[0] == pytest.approx(s.bbox.lo[0] + 1e-3)


def test_degenerate_solids_refused() -> None:
    with pytest.raises(ValueError):
        Box((0, 0, 0), (1e-3, 0, 1e-3))
    with pytest.raises(ValueError):
        Cylinder((0, 0), -1e-3, 0, 1e-3)


def test_mirror_is_an_involution_and_keeps_volume() -> None:
    for s in SOLIDS:
        m = s.mirrored_z()
        assert m.volume == pytest.approx(s.volume)
        assert m.bbox.lo[2] == pytest.approx(-s.bbox.hi[2]) and m.bbox.hi[2] == pytest.approx(-s.bbox.lo[2])
        assert m.mirrored_z() == s
