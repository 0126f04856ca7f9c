"""Malformed design files: one line naming the field, the value and what is allowed; exit code 2; no output file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from semipack.design import load_design
from semipack.errors import DesignError

GOOD = "family: spreader_bga\nname: t\nparameters:\n"

CASES: list[tuple[str, bytes, str]] = [
    ("zero thickness", (GOOD + "  die_thickness: 0 mm\n").encode(), "parameters.die_thickness"),
    ("negative thickness", (GOOD + "  substrate_thickness: -0.5 mm\n").encode(), "parameters.substrate_thickness"),
    ("missing unit", (GOOD + "  die_size: 10\n").encode(), "unit is required"),
    ("NaN", (GOOD + "  die_size: .nan mm\n").encode(), "parameters.die_size"),
    ("NaN float", (GOOD + "  die_size: .nan\n").encode(), "parameters.die_size"),
    ("huge", (GOOD + "  die_size: 1e12 mm\n").encode(), "below 1 m"),
    ("unknown material", (GOOD + "  die_material: unobtainium\n").encode(), "unknown material"),
    ("unknown family", b"family: pga\nname: t\n", "allowed: spreader_bga"),
    ("unknown parameter", (GOOD + "  die_sise: 10 mm\n").encode(), "did you mean 'die_size'"),
    ("die larger than body", (GOOD + "  die_size: 30 mm\n").encode(), "must fit in body_size"),
    (
        "overlapping parts",
        b"family: stack\nname: t\nparameters:\n  hotspots: []\n  layers:\n"
        b"    - {name: a, thickness: 1 mm}\n    - {name: b, thickness: 1 mm, z: 0.5 mm}\n",
        "interpenetrate",
    ),
    ("wrong type int", (GOOD + "  pads_per_side: many\n").encode(), "parameters.pads_per_side"),
    ("wrong type bool", (GOOD + "  glue: 3\n").encode(), "parameters.glue"),
    ("wrong enum", (GOOD + "  signal_transfer: solder\n").encode(), "'wire_bond' or 'adhesive_tape'"),
    ("parameters not a mapping", b"family: stack\nname: t\nparameters: [1, 2]\n", "parameters"),
    ("top level list", b"- 1\n- 2\n", "expected a mapping"),
    ("empty", b"", "<empty>"),
    ("whitespace only", b"   \n\n", "<empty>"),
    ("binary junk", bytes(range(256)) * 4, "<binary>"),
    ("latin-1 bytes", b"family: spr\xe9ader\n", "not UTF-8"),
    ("unreadable yaml", b"family: [unclosed\n", "<unreadable YAML>"),
    (
        "alias bomb",
        b'a: &a ["lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n'
        b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
        "not allowed",
    ),
    ("missing name", b"family: stack\n", "name: got '<missing>'"),
    ("bad override", (GOOD + "overrides:\n  'nothing_*': {material: si}\n").encode(), "matches no body"),
    ("unknown top-level key", b"family: stack\nname: t\ncolour: red\n", "unknown parameter"),
    (
        "bad layer field",
        b"family: stack\nname: t\nparameters:\n  layers:\n    - {name: a, thickness: 1 mm, colour: red}\n",
        "parameters.layers.0.colour",
    ),
]


@pytest.mark.parametrize(("label", "content", "needle"), CASES, ids=[c[0] for c in CASES])
def test_malformed_design_is_one_clear_line(tmp_path: Path, label: str, content: bytes, needle: str) -> None:
    f = tmp_path / "design.yaml"
    f.write_bytes(content)
    with pytest.raises(DesignError) as err:
        load_design(f)
    msg = str(err.value)
    assert needle in msg
    assert "\n" not in msg


@pytest.mark.parametrize(("label", "content", "needle"), CASES[::3], ids=[c[0] for c in CASES[::3]])
def test_cli_exit_code_2_without_traceback_or_output(tmp_path: Path, label: str, content: bytes, needle: str) -> None:
    f = tmp_path / "design.yaml"
    f.write_bytes(content)
    out = tmp_path / "figure.svg"
    proc = subprocess.run(
        [sys.executable, "-m", "semipack.cli.main", "draw", str(f), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("semipack: error: ")
    assert "Traceback" not in proc.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [f]  # no temporary file left behind either


def test_oversized_file(tmp_path: Path) -> None:
    f = tmp_path / "big.yaml"
    f.write_bytes(b"# " + b"x" * (1 << 21) + b"\n")
    with pytest.raises(DesignError, match="limited to"):
        load_design(f)


def test_missing_file() -> None:
    with pytest.raises(DesignError, match="cannot be read"):
        load_design("/nonexistent/design.yaml")
