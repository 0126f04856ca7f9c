"""Drawings show every element the claims name, with numerals and a legend."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from conftest import example, example_names

from semipack.draw import section_scene, top_scene
from semipack.draw.svg import render_svg
from semipack.geometry import Axis

# Numerals each example's default section must show (the elements its claims name).
REQUIRED: dict[str, set[str]] = {
    "spreader_bga": {"102", "104", "106", "108", "110", "112", "114", "116"},
    "spreader_bga_concave": {"102", "104", "106", "110", "112", "114", "116", "118", "120"},
    "spreader_bga_tape": {"102", "104", "106", "108", "110", "112", "116"},
    "thinfilm_metal": {"10", "20", "30", "32", "34", "36", "38", "40", "50", "60"},
    "thinfilm_metal_punched": {"14", "16", "20", "12", "50"},
    "thinfilm_metal_machined": {"10", "12", "20", "50"},
    "exposed_sink": {"11", "20", "24", "26", "30", "31", "32", "33", "34", "40", "50", "60"},
    "exposed_sink_buffer_pad": {"11", "20", "26", "30", "36", "40", "50"},
    "exposed_sink_qfn": {"12", "13", "20", "24", "30", "40", "50"},
    "cavity_buildup": {"10", "12", "20", "22", "40", "42", "44", "45", "46", "50"},
}
for fig in range(1, 8):
    n = fig * 100
    base = {str(n + k) for k in (10, 11, 13, 21, 22, 23, 26, 30, 31, 40, 50)}
    extra = {
        2: {n + 60},
        3: {n + 60},
        4: {n + 60, n + 70},
        5: {n + 60, n + 70},
        6: {n + 60, n + 70, n + 80},
        7: {n + 60},
    }
    REQUIRED[f"flex_csp_fig{fig}"] = base | {str(x) for x in extra.get(fig, set())}


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_section_shows_claimed_elements(name: str) -> None:
    pkg = example(name)
    axis, at = pkg.section_hint
    scene = section_scene(pkg, Axis(axis), at)
    numerals = {n for n, _ in scene.legend}
    missing = REQUIRED[name] - numerals
    assert not missing, f"{name}: section lacks numerals {sorted(missing)}"
    labels = {lb.numeral for lb in scene.labels}
    assert numerals == labels  # every legend entry has a leader in the figure


@pytest.mark.parametrize("name", example_names())
def test_every_example_renders_svg(name: str) -> None:
    pkg = example(name)
    axis, at = pkg.section_hint
    svg = render_svg(section_scene(pkg, Axis(axis), at))
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert svg.count("<path") >= len({b.name for b in pkg.bodies}) // 50


def test_true_scale_and_schematic_differ_only_in_z() -> None:
    pkg = example("thinfilm_metal")
    a = section_scene(pkg, Axis.Y, 0.0, true_scale=True)
    b = section_scene(pkg, Axis.Y, 0.0)
    assert a.bounds[0] == pytest.approx(b.bounds[0]) and a.bounds[2] == pytest.approx(b.bounds[2])
    assert a.bounds[3] - a.bounds[1] == pytest.approx(pkg.bbox.size[2], rel=1e-6)
    assert "true scale" in a.caption and "schematic" in b.caption


def test_top_view_has_every_ball() -> None:
    pkg = example("spreader_bga")
    scene = top_scene(pkg)
    assert sum(1 for it in scene.items if it.body.startswith("ball_")) == 456
