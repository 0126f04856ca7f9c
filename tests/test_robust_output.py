"""Outputs: atomic, in the place asked for, never over unrelated files; deterministic bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES, cli

from semipack.draw.mpl import figure_bytes, pyplot
from semipack.draw.output import atomic_write_bytes
from semipack.errors import DesignError
from semipack.export.step_order import canonical_step


def test_atomic_write_refuses_a_directory_and_an_unwritable_place(tmp_path: Path) -> None:
    with pytest.raises(DesignError, match="is a directory"):
        atomic_write_bytes(tmp_path, b"x")
    blocker = tmp_path / "file"
    blocker.write_bytes(b"keep")
    with pytest.raises(DesignError, match="cannot be written"):
        atomic_write_bytes(blocker / "out.svg", b"x")  # a file where a folder should be
    assert blocker.read_bytes() == b"keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]  # no temporary file left


@pytest.mark.parametrize("target", [".", ".."])
def test_report_refuses_the_working_folder_and_its_parent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    code, _, err = cli(capsys, "report", str(EXAMPLES / "dfn8.yaml"), "-o", target)
    assert code == 2 and err.count("\n") == 1 and "working folder" in err, err
    assert list(tmp_path.iterdir()) == [work] and not list(work.iterdir())


def test_report_leaves_an_unrelated_folder_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "thesis.tex").write_text("precious")
    code, _, err = cli(capsys, "report", str(EXAMPLES / "dfn8.yaml"), "-o", str(tmp_path))
    assert code == 2 and "holds other files" in err, err
    assert [p.name for p in tmp_path.iterdir()] == ["thesis.tex"]


def test_an_earlier_report_is_recognised(tmp_path: Path) -> None:
    from semipack.report.html_report import REPORT_MARKER, check_report_folder

    old = tmp_path / "old"
    old.mkdir()
    (old / "index.html").write_text("<html><head><title>q: semipack report</title></head></html>")
    (old / "q.step").write_text("x")
    assert check_report_folder(old) == old  # written before the marker existed
    marked = tmp_path / "marked"
    marked.mkdir()
    (marked / REPORT_MARKER).write_text("")
    (marked / "other.svg").write_text("x")
    assert check_report_folder(marked) == marked
    with pytest.raises(DesignError, match="this is a file"):
        check_report_folder(old / "q.step")


def test_a_study_refused_at_planning_leaves_no_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study = tmp_path / "s.yaml"
    study.write_text(
        "name: s\nbase: {family: qfn, name: q}\nparameters: {body_x: {range: [4 mm, 6 mm]}}\n"
        "sampling: {method: lhs, points: 4, seed: -1}\nanalyses: [package]\noutputs: [total_height_m]\n"
    )
    code, _, err = cli(capsys, "study", "run", str(study))
    assert code == 2 and "seed" in err
    assert [p.name for p in tmp_path.iterdir()] == ["s.yaml"]


def test_a_failed_study_run_removes_its_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from semipack.study import runner
    from semipack.study.spec import study_from_mapping

    study = study_from_mapping(
        {
            "name": "s",
            "base": {"family": "qfn", "name": "q"},
            "parameters": {"body_x": {"range": ["4 mm", "6 mm"]}},
            "sampling": {"method": "lhs", "points": 2, "seed": 1},
            "analyses": ["package"],
            "outputs": ["total_height_m"],
        }
    )

    def boom(*args: object, **kw: object) -> None:
        raise DesignError("point", "p1", "failed on purpose")

    monkeypatch.setattr(runner, "execute", boom)
    db = tmp_path / "s.duckdb"
    with pytest.raises(DesignError, match="on purpose"):
        runner.run_study(study, db, "", runner.PoolExecutor(1))
    assert not db.exists() and not list(tmp_path.iterdir())


def _figure(fmt: str) -> bytes:
    plt = pyplot()
    fig, ax = plt.subplots()
    ax.pcolormesh([[0.0, 1.0], [2.0, 3.0]])
    ax.bar([0, 1], [1, 2], hatch="//")
    ax.set_title("same figure")
    return figure_bytes(fig, fmt)


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_matplotlib_output_is_byte_identical(fmt: str) -> None:
    a, b = _figure(fmt), _figure(fmt)
    assert a == b
    if fmt == "svg":
        assert b"<dc:date>" not in a


_STEP = """ISO-10303-21;
HEADER;
ENDSEC;
DATA;
#1 = CARTESIAN_POINT('',(0.,0.,0.));
#2 = MANIFOLD_SOLID_BREP('a',#1);
#3 = MANIFOLD_SOLID_BREP('b',#1);
{styles}
ENDSEC;
END-ISO-10303-21;
"""


def _style(n: int, item: int, rgb: str) -> list[str]:
    return [
        f"#{n} = MECHANICAL_DESIGN_GEOMETRIC_PRESENTATION_REPRESENTATION('',(\n    #{n + 1}),#1);",
        f"#{n + 1} = STYLED_ITEM('color',(#{n + 2}),#{item});",
        f"#{n + 2} = CURVE_STYLE('',#{n + 3},POSITIVE_LENGTH_MEASURE(0.1),#{n + 4});",
        f"#{n + 3} = DRAUGHTING_PRE_DEFINED_CURVE_FONT('continuous');",
        f"#{n + 4} = COLOUR_RGB('',{rgb});",
    ]


def test_step_style_records_come_out_in_one_order() -> None:
    one = _STEP.format(styles="\n".join(_style(4, 2, "1.,0.,0.") + _style(9, 3, "0.,0.,1.")))
    two = _STEP.format(styles="\n".join(_style(4, 3, "0.,0.,1.") + _style(9, 2, "1.,0.,0.")))
    assert one != two
    a, b = canonical_step(one), canonical_step(two)
    assert a == b
    # The same styles: each solid keeps its colour.
    for solid, rgb in (("#2", "1.,0.,0."), ("#3", "0.,0.,1.")):
        lines = dict(ln.split(" = ", 1) for ln in a.splitlines() if " = " in ln)
        item = next(k for k, v in lines.items() if v.startswith("STYLED_ITEM") and v.endswith(f",{solid});"))
        style = "#" + lines[item].split("(#")[1].split(")")[0]
        colour = lines[style].rsplit(",", 1)[1].rstrip(");")
        assert lines[colour] == f"COLOUR_RGB('',{rgb});"
    assert a.count("CURVE_FONT") == 1  # identical records shared
