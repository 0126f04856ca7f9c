"""``semipack flow``: listing, JSON, storyboards, and user flow files with one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "semipack.cli.main", *args], capture_output=True, text=True, timeout=300
    )


def test_flow_list(examples_dir: Path) -> None:
    proc = run("flow", str(examples_dir / "thinfilm_metal_machined.yaml"), "--list", "--json")
    assert proc.returncode == 0
    rows = {r["method"]: r for r in json.loads(proc.stdout)}
    assert rows["002-claims-61-101"]["applies"]
    assert not rows["002-claims-102-138"]["applies"] and "machined" in rows["002-claims-102-138"]["reason"]


def test_flow_json_and_frames(tmp_path: Path, examples_dir: Path) -> None:
    proc = run("flow", str(examples_dir / "flex_csp_fig1.yaml"), "--json", "--frames", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["final_matches_builder"] is True
    assert [s["figure"] for s in data["steps"] if s["figure"]] == [f"FIG. 8{c}" for c in "ABCDEFG"]
    assert 0 < data["cumulative_yield"] < 1 and data["cost_per_good_unit_usd"] > 0
    assert "molten" in data["thermal_history"]["sac305"]["flags"]
    assert (tmp_path / "storyboard.html").exists() and (tmp_path / "step01.svg").exists()


GOOD = """
name: my-qfn
units: 4
street: 0.25 mm
steps:
  - kind: provide_lead_frame
  - kind: die_attach
  - {kind: cure, temperature: 150 C, time: 1 h}
  - kind: wire_bond
  - kind: attach_sink
  - {kind: cure, temperature: 150 C, time: 30 min}
  - {kind: plate_interface, material: au}
  - kind: mold
  - {kind: cure, temperature: 175 C, time: 4 h}
  - kind: deflash
  - kind: singulate
"""


def test_user_flow_file_runs(tmp_path: Path, examples_dir: Path) -> None:
    f = tmp_path / "flow.yaml"
    f.write_text(GOOD)
    proc = run("flow", str(examples_dir / "exposed_sink_qfn.yaml"), "--flow", str(f), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["final_matches_builder"] is True


@pytest.mark.parametrize(
    ("edit", "needle"),
    [
        (("kind: deflash", "kind: grind"), "take the interface layer"),
        (("{kind: cure, temperature: 150 C, time: 1 h}", "{kind: cure, temperature: 350 C, time: 1 h}"), "limit of"),
        (("kind: wire_bond", "kind: wire_bonder"), "allowed: provide_substrate"),
        (("time: 1 h", "time: 1 mm"), "time"),
        (("material: au", "material: cu_rolled"), "differs from the design"),
        (("  - kind: singulate\n", ""), "singulate the units"),
        (("units: 4", "units: 0"), "units"),
    ],
)
def test_bad_user_flow_is_one_line_exit_2(
    tmp_path: Path, examples_dir: Path, edit: tuple[str, str], needle: str
) -> None:
    f = tmp_path / "flow.yaml"
    f.write_text(GOOD.replace(*edit))
    proc = run("flow", str(examples_dir / "exposed_sink_qfn.yaml"), "--flow", str(f))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert needle in proc.stderr, proc.stderr


def test_flow_on_a_strip_design_runs_the_unit_on_that_strip(examples_dir: Path) -> None:
    proc = run("flow", str(examples_dir / "spreader_bga_strip.yaml"), "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["units"] == 3 and data["final_matches_builder"] is True
