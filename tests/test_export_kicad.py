"""KiCad footprints: loaded by KiCad itself (Debian's kicad 6 package, through its pcbnew
Python module, which `make test` installs) and checked with an S-expression parser.

Debian ships KiCad 6.0, which has no ``kicad-cli``; its pcbnew module parses footprints
with KiCad's own reader, so the footprint is written in the KiCad 6 format (version
20211014), which KiCad 7, 8 and 9 also read.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import example

from semipack.export.kicad import Density, footprint, jedec_row
from semipack.geometry import Ball
from semipack.model import Role


def parse(text: str) -> Any:
    """A minimal S-expression reader: lists, quoted strings (with escapes) and atoms."""
    tokens = re.findall(r'\(|\)|"(?:[^"\\]|\\.)*"|[^\s()"]+', text)
    pos = 0

    def read() -> Any:
        nonlocal pos
        tok = tokens[pos]
        pos += 1
        if tok == "(":
            out = []
            while tokens[pos] != ")":
                out.append(read())
            pos += 1
            return out
        if tok == ")":
            raise ValueError("unbalanced")
        return tok[1:-1] if tok.startswith('"') else tok

    tree = read()
    assert pos == len(tokens), "trailing tokens"
    return tree


def items(tree: list[Any], head: str) -> list[list[Any]]:
    return [x for x in tree if isinstance(x, list) and x and x[0] == head]


def field(node: list[Any], head: str) -> list[Any]:
    return next(x for x in node if isinstance(x, list) and x and x[0] == head)


def test_jedec_rows_skip_ambiguous_letters() -> None:
    rows = [jedec_row(i) for i in range(22)]
    assert rows[:8] == ["A", "B", "C", "D", "E", "F", "G", "H"] and "I" not in rows and "O" not in rows
    assert rows[19] == "Y" and rows[20] == "AA" and rows[21] == "AB"


@pytest.mark.parametrize("density", list(Density))
def test_bga_footprint(density: Density) -> None:
    pkg = example("spreader_bga")
    name, text = footprint(pkg, density)
    tree = parse(text)
    assert tree[0] == "footprint" and tree[1] == name
    assert re.fullmatch(r"BGA-456_27\.0x27\.0mm_Layout26x26_P1\.0mm", name)
    pads = items(tree, "pad")
    balls = [b for b in pkg.by_role(Role.BALL) if isinstance(b.solid, Ball)]
    assert len(pads) == len(balls) == 456 and len({p[1] for p in pads}) == 456
    # Every land sits under a ball (KiCad's y points down) and is smaller than it, as
    # IPC-7351B asks for collapsing balls.
    centres = {(round(b.solid.center[0] * 1e3, 3), round(-b.solid.center[1] * 1e3, 3)) for b in balls}  # type: ignore[union-attr]
    reduction = {"A": 0.85, "B": 0.80, "C": 0.75}[density.value]
    for p in pads:
        at = field(p, "at")
        assert (round(float(at[1]), 3), round(float(at[2]), 3)) in centres
        assert float(field(p, "size")[1]) == pytest.approx(0.6 * reduction, abs=1e-4)
        assert field(p, "layers")[1:] == ["F.Cu", "F.Paste", "F.Mask"]
    a1 = next(p for p in pads if p[1] == "A1")
    xs = [float(field(p, "at")[1]) for p in pads]
    ys = [float(field(p, "at")[2]) for p in pads]
    assert float(field(a1, "at")[1]) == min(xs) and float(field(a1, "at")[2]) == min(ys)  # top-left
    # Depopulated centre of the grid: no ball between the perimeter rows and the thermal block.
    assert "H8" not in {p[1] for p in pads}
    crt = next(r for r in items(tree, "fp_rect") if field(r, "layer")[1] == "F.CrtYd")
    excess = {"A": 2.0, "B": 1.0, "C": 0.5}[density.value]
    assert (
        float(field(crt, "start")[1]) <= -13.5 - excess + 1e-9 and float(field(crt, "end")[2]) >= 13.5 + excess - 1e-9
    )
    layers = {field(x, "layer")[1] for x in tree if isinstance(x, list) and x[0] in ("fp_line", "fp_rect", "fp_text")}
    assert {"F.Fab", "F.SilkS", "F.CrtYd"} <= layers
    assert field(items(tree, "model")[0], "offset")
    assert items(tree, "model")[0][1].endswith(f"{name}.wrl")


def test_qfn_footprint_with_exposed_pad() -> None:
    name, text = footprint(example("exposed_sink_qfn"))
    assert name == "QFN-48-1EP_7x7mm_P0.5mm_EP4x4mm"
    pads = items(parse(text), "pad")
    names = [p[1] for p in pads]
    assert names == [str(i) for i in range(1, 50)]
    ep = pads[-1]
    assert field(ep, "size")[1:] == ["4", "4"] and field(ep, "at")[1:3] == ["0", "0"]
    # Leads stick out past the body edge by the toe (0.3 mm at density B).
    outer = max(abs(float(field(p, "at")[1])) + float(field(p, "size")[1]) / 2 for p in pads[:-1])
    assert outer == pytest.approx(3.5 + 0.3, abs=1e-6)


def test_pins_become_plated_holes() -> None:
    name, text = footprint(example("thinfilm_metal_pins"))
    tree = parse(text)
    assert name.startswith("PGA-44") and ["attr", "through_hole"] in tree
    assert all(p[2] == "thru_hole" and float(field(p, "drill")[1]) > 0 for p in items(tree, "pad"))


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "semipack.cli.main", *args], capture_output=True, text=True, timeout=300
    )


def test_cli_export(tmp_path: Path, examples_dir: Path) -> None:
    out = tmp_path / "fp.kicad_mod"
    p = run("export", str(examples_dir / "flex_csp_fig1.yaml"), "--format", "kicad", "-o", str(out), "--density", "C")
    assert p.returncode == 0, p.stderr
    assert parse(out.read_text())[0] == "footprint"
    assert (tmp_path / f"{parse(out.read_text())[1]}.wrl").exists()  # the linked 3D model, beside it
    bad = run("export", str(examples_dir / "flex_csp_fig1.yaml"), "--format", "step", "-o", str(tmp_path / "x.stl"))
    assert bad.returncode == 2 and "ends in .step or .stp" in bad.stderr and not (tmp_path / "x.stl").exists()
    bad = run("export", str(examples_dir / "flex_csp_fig1.yaml"), "--format", "iges", "-o", str(tmp_path / "x.igs"))
    assert bad.returncode == 2 and "allowed: step, glb, stl, wrl, kicad" in bad.stderr
    bad = run("export", str(examples_dir / "stack.yaml"), "--format", "kicad", "-o", str(out))
    assert bad.returncode == 2 and "no balls" in bad.stderr


SYSTEM_PYTHON = Path("/usr/bin/python3")
_KICAD_LOAD = """
import json, sys
import pcbnew
fp = pcbnew.FootprintLoad(sys.argv[1], sys.argv[2])
if fp is None:
    print("null")
    sys.exit(0)
pads = {p.GetNumber(): [pcbnew.ToMM(p.GetPosition().x), pcbnew.ToMM(p.GetPosition().y), pcbnew.ToMM(p.GetSize().x),
        pcbnew.ToMM(p.GetDrillSize().x)] for p in fp.Pads()}
layers = sorted({pcbnew.BOARD.GetStandardLayerName(g.GetLayer()) for g in fp.GraphicalItems()})
print(json.dumps({"name": str(fp.GetFPID().GetLibItemName()), "pads": pads, "layers": layers,
                  "models": [m.m_Filename for m in fp.Models()], "version": pcbnew.GetMajorMinorVersion()}))
"""


def _kicad_available() -> bool:
    if not SYSTEM_PYTHON.exists():
        return False
    probe = subprocess.run([str(SYSTEM_PYTHON), "-c", "import pcbnew"], capture_output=True, timeout=60)
    return probe.returncode == 0


@pytest.mark.skipif(not _kicad_available(), reason="KiCad's pcbnew module (Debian package kicad) is not installed")
@pytest.mark.parametrize("name", ["spreader_bga", "exposed_sink_qfn", "thinfilm_metal_pins", "flex_csp_fig1"])
def test_kicad_loads_the_footprint(tmp_path: Path, name: str) -> None:
    """KiCad's own parser reads the footprint, with every pad where semipack put it."""
    import json

    fp_name, text = footprint(example(name))
    lib = tmp_path / "semipack.pretty"
    lib.mkdir()
    (lib / f"{fp_name}.kicad_mod").write_text(text)
    out = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", _KICAD_LOAD, str(lib), fp_name], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert loaded is not None, "KiCad refused the footprint"
    assert loaded["name"] == fp_name
    ours = {p[1]: p for p in items(parse(text), "pad")}
    assert set(loaded["pads"]) == set(ours)
    for number, (x, y, w, drill) in loaded["pads"].items():
        at = field(ours[number], "at")
        size = field(ours[number], "size")
        assert (x, y, w) == pytest.approx((float(at[1]), float(at[2]), float(size[1])), abs=1e-6)
        assert (drill > 0) == (ours[number][2] == "thru_hole")
    assert {"F.Courtyard", "F.Fab", "F.Silkscreen"} <= set(loaded["layers"])
    assert loaded["models"] == [f"${{KIPRJMOD}}/{fp_name}.wrl"]
