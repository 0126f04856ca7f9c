"""The command line: families, new (template round trip), show, draw."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from semipack.design import build_design
from semipack.families import FAMILY_NAMES, get_family
from semipack.families.params import parse_params


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "semipack.cli.main", *args], capture_output=True, text=True, timeout=300
    )


def test_families_lists_all() -> None:
    proc = run("families")
    assert proc.returncode == 0
    for name in FAMILY_NAMES:
        assert name in proc.stdout


@pytest.mark.parametrize("family", FAMILY_NAMES)
def test_new_template_round_trips_to_the_defaults(family: str) -> None:
    proc = run("new", family)
    assert proc.returncode == 0
    data = yaml.safe_load(proc.stdout)
    assert data["family"] == family
    fam = get_family(family)
    params = parse_params(fam.params, data["parameters"])
    _same(params, fam.params(), family)
    build_design(data)
    assert "[length, >= 0.1 um and <= 1000 mm]" in proc.stdout


def _same(got: object, want: object, where: str) -> None:
    """Equal field by field, floats to the template's 4 digits, nested records and lists too."""
    if dataclasses.is_dataclass(want) and not isinstance(want, type):
        for f in dataclasses.fields(want):
            _same(getattr(got, f.name), getattr(want, f.name), f"{where}.{f.name}")
    elif isinstance(want, tuple):
        assert isinstance(got, tuple) and len(got) == len(want), where
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            _same(g, w, f"{where}.{i}")
    elif isinstance(want, float):
        assert got == pytest.approx(want, rel=1e-3), where
    else:
        assert got == want, where


def test_new_unknown_family() -> None:
    proc = run("new", "pga")
    assert proc.returncode == 2 and "allowed: spreader_bga" in proc.stderr


def test_show_json(examples_dir: Path) -> None:
    proc = run("show", str(examples_dir / "spreader_bga.yaml"), "--json")
    assert proc.returncode == 0
    doc = json.loads(proc.stdout)
    assert doc["valid"] is True
    assert doc["terminal_count"] == 456
    assert doc["body_x_m"] == pytest.approx(0.027)
    assert {"total_height_m", "mass_kg", "terminal_pitch_m", "package_to_die_ratio", "bodies"} <= set(doc)


def test_show_table(examples_dir: Path) -> None:
    proc = run("show", str(examples_dir / "flex_csp_fig2.yaml"))
    assert proc.returncode == 0 and "valid" in proc.stdout and "first_memory" in proc.stdout


def test_draw_svg_and_png(tmp_path: Path, examples_dir: Path) -> None:
    svg = tmp_path / "a.svg"
    assert run("draw", str(examples_dir / "cavity_buildup.yaml"), "-o", str(svg), "--section", "x=0mm").returncode == 0
    ET.parse(svg)  # well-formed XML
    png = tmp_path / "a.png"
    assert run("draw", str(examples_dir / "exposed_sink_qfn.yaml"), "-o", str(png), "--top").returncode == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("section", ["z=0mm", "y=0", "y=99mm", "yes"])
def test_draw_bad_section(tmp_path: Path, examples_dir: Path, section: str) -> None:
    out = tmp_path / "a.svg"
    proc = run("draw", str(examples_dir / "stack.yaml"), "-o", str(out), "--section", section)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and not out.exists()


def test_usage_error_is_exit_2() -> None:
    proc = run("bogus")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_thermal_json_keys(examples_dir: Path) -> None:
    proc = run(
        "thermal", str(examples_dir / "stack_user.yaml"), "--env", "cold-plate-top", "--resolution", "0.7", "--json"
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert set(doc) == {
        "tj_max_c",
        "theta_ja_c_per_w",
        "theta_jc_top_c_per_w",
        "theta_jc_bottom_c_per_w",
        "theta_jb_c_per_w",
        "psi_jt_c_per_w",
        "psi_jb_c_per_w",
        "energy_balance_rel",
        "cells",
        "solve_s",
        "bench",
    }
    assert doc["theta_jc_top_c_per_w"] > 0 and doc["energy_balance_rel"] < 1e-8
    assert doc["bench"]["environment"] == "cold-plate-top" and doc["bench"]["board"] == "none"


def test_thermal_says_when_balls_and_lands_are_smeared(examples_dir: Path) -> None:
    """The 27 mm spreader BGA's 0.45 mm lands sit in 0.9 mm cells at resolution 1: the table
    is followed by a note on stderr naming the resolution that resolves them, and the JSON
    carries the same in its bench (that the named resolution resolves them is a grid test)."""
    args = ("thermal", str(examples_dir / "spreader_bga.yaml"), "--env", "cold-plate-bottom", "--board", "none")
    proc = run(*args, "--resolution", "0.5")
    assert proc.returncode == 0, proc.stderr
    assert "are smeared" in proc.stderr and "--resolution 1.55 resolves them" in proc.stderr
    doc = json.loads(run(*args, "--resolution", "0.5", "--json").stdout)
    assert doc["bench"]["smeared_balls_and_lands"]["resolved_from_resolution"] == 1.55
    assert doc["bench"]["smeared_balls_and_lands"]["narrowest_mm"] == pytest.approx(0.45)


@pytest.mark.parametrize(
    "args",
    [
        ["--env", "oven"],
        ["--board", "4s"],
        ["--power", "2"],
        ["--power", "-1 W"],
        ["--resolution", "0"],
        ["--solver", "magic"],
        ["--env", "forced-air", "--air-speed", "0 m/s"],
    ],
)
def test_thermal_bad_options(examples_dir: Path, args: list[str]) -> None:
    proc = run("thermal", str(examples_dir / "stack.yaml"), *args)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_transient_json(examples_dir: Path) -> None:
    proc = run("transient", str(examples_dir / "stack_user.yaml"), "--until", "5 s", "--resolution", "0.5", "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert len(doc["times_s"]) == len(doc["zth_c_per_w"]) > 10
    assert doc["structure_function_cum_r_c_per_w"][-1] == pytest.approx(sum(doc["foster_r_c_per_w"]), rel=1e-9)
    assert run("transient", str(examples_dir / "stack.yaml"), "--until", "-1 s").returncode == 2


def test_thermal_map_and_field(tmp_path: Path, examples_dir: Path) -> None:
    import numpy as np

    png, npz = tmp_path / "map.png", tmp_path / "field.npz"
    proc = run(
        "thermal",
        str(examples_dir / "stack.yaml"),
        "--env",
        "cold-plate-top",
        "--resolution",
        "0.5",
        "--map",
        str(png),
        "--field",
        str(npz),
    )
    assert proc.returncode == 0, proc.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    data = np.load(npz)
    t = data["temperature_c"]
    assert t.shape == (len(data["x_m"]) - 1, len(data["y_m"]) - 1, len(data["z_m"]) - 1)
    assert t[data["conducting"]].min() >= 25.0 - 1e-6  # nothing below the cold plate
    bad = run("thermal", str(examples_dir / "stack.yaml"), "--field", str(tmp_path / "f.vtk"))
    assert bad.returncode == 2 and not (tmp_path / "f.vtk").exists()
