"""Cross-field constraints checked where the model is built.

Each value below is allowed alone (it is inside its field's own bounds), but breaks a
rule against another field: a die thinner than the bond line under it, a wire loop lower
than the wire is thick, a ball wider than its pitch, a lead running into the paddle, a
mould or sealant too thin to cover the die and its loops, a lid foot too short. The CLI
must refuse each with exit 2 and one line that names the offending field.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import cli

CASES = [
    # (family, parameters, field the error must name)
    ("pbga", {"dies": [{"thickness": "0.02 mm"}]}, "parameters.dies.0.thickness"),
    ("pbga", {"loop_height": "0.02 mm"}, "parameters.loop_height"),
    ("pbga", {"ball_diameter": "1.1 mm"}, "parameters.ball_diameter"),
    ("pbga", {"mold_thickness": "0.4 mm"}, "parameters.mold_thickness"),
    ("csp", {"loop_height": "0.015 mm"}, "parameters.loop_height"),
    ("lga", {"attach_thickness": "0.25 mm"}, "parameters.dies.0.thickness"),
    ("qfn", {"die_thickness": "0.02 mm"}, "parameters.die_thickness"),
    ("qfn", {"loop_height": "0.02 mm"}, "parameters.loop_height"),
    ("qfn", {"lead_length": "2.6 mm"}, "parameters.lead_length"),
    ("qfn", {"pad_x": "4.9 mm"}, "parameters.pad_x"),
    ("qfn", {"pad_x": "4.5 mm", "pad_y": "4.5 mm"}, "parameters.lead_length"),
    ("qfn", {"body_height": "0.4 mm"}, "parameters.body_height"),
    ("dfn", {"die_thickness": "0.02 mm"}, "parameters.die_thickness"),
    ("fcbga", {"bumps": {"diameter": "0.25 mm"}}, "parameters.bumps.diameter"),
    ("fcbga", {"ball_diameter": "1.1 mm"}, "parameters.ball_diameter"),
    ("fcbga", {"lid": {"adhesive_bond_line": "0.9 mm"}}, "parameters.lid.adhesive_bond_line"),
    ("spreader_bga", {"die_thickness": "0.02 mm"}, "parameters.die_thickness"),
    ("spreader_bga", {"loop_height": "0.02 mm"}, "parameters.loop_height"),
    ("exposed_sink", {"die_thickness": "0.02 mm"}, "parameters.die_thickness"),
    ("exposed_sink", {"loop_height": "0.02 mm"}, "parameters.loop_height"),
    ("exposed_sink", {"carrier": "qfn_lead_frame", "lead_width": "0.6 mm"}, "parameters.lead_width"),
    ("exposed_sink", {"carrier": "qfn_lead_frame", "lead_length": "4 mm"}, "parameters.lead_length"),
    ("exposed_sink", {"ball_diameter": "0.9 mm"}, "parameters.ball_diameter"),
    ("exposed_sink", {"carrier": "substrate_flip_chip", "bump_diameter": "0.45 mm"}, "parameters.bump_diameter"),
    ("exposed_sink", {"carrier": "qfn_lead_frame", "portion_inset": "0.04 mm"}, "parameters.portion_inset"),
    ("thinfilm_metal", {"die_thickness": "0.015 mm"}, "parameters.die_thickness"),
    ("thinfilm_metal", {"terminal_diameter": "0.6 mm"}, "parameters.terminal_diameter"),
    ("cavity_buildup", {"die_thickness": "0.015 mm"}, "parameters.die_thickness"),
    ("cavity_buildup", {"terminal_diameter": "0.7 mm"}, "parameters.terminal_diameter"),
    ("cavity_buildup", {"land_diameter": "0.7 mm"}, "parameters.land_diameter"),
    ("cavity_buildup", {"column_diameter": "0.12 mm"}, "parameters.column_diameter"),
]


@pytest.mark.parametrize(("family", "params", "field"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_cross_field_rule_is_refused_naming_the_field(
    family: str, params: dict[str, object], field: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    design = tmp_path / "d.yaml"
    design.write_text(yaml.safe_dump({"family": family, "name": "x", "parameters": params}), encoding="utf-8")
    code, _, err = cli(capsys, "show", str(design))
    assert code == 2, err
    assert err.startswith("semipack: error: ") and err.count("\n") == 1, err
    assert f"{field}:" in err, err


def test_die_just_thicker_than_its_bond_line_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The rule is strict, not a margin: a 30 um die on a 25 um bond line builds.
    design = tmp_path / "d.yaml"
    params = {"die_thickness": "0.03 mm", "attach_thickness": "0.025 mm", "loop_height": "0.025 mm"}
    design.write_text(yaml.safe_dump({"family": "qfn", "name": "x", "parameters": params}), encoding="utf-8")
    code, _, err = cli(capsys, "show", str(design))
    assert code == 0, err
