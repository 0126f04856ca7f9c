"""The offline HTML report: sections, files, no network references, and a real headless Chromium."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from conftest import example
from test_cli import run

from semipack.report.html_report import ReportOptions, write_report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def qfn_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "qfn"
    # CAD files are written (and checked) in the stack's report, which is cheaper; this one
    # pays for the compact-model section instead.
    write_report(example("exposed_sink_qfn"), out, ReportOptions(resolution=0.4, cad=False))
    return out


def test_report_holds_every_section_and_its_files(qfn_report: Path) -> None:
    page = (qfn_report / "index.html").read_text()
    for sid in (
        "summary",
        "package",
        "drawings",
        "model",
        "process",
        "thermal",
        "compact",
        "mechanics",
        "moisture",
        "electrical",
        "claims",
    ):
        assert f"<section id='{sid}'>" in page, sid
    assert page.index("<section id='summary'>") < page.index("<section id='package'>")  # the summary comes first
    assert "Not in this report" not in page
    # Every referenced file is in the folder, and nothing points off the machine.
    refs = re.findall(r"(?:src|href)='([^'#]+)'", page)
    assert refs and all((qfn_report / r).is_file() for r in refs), refs
    assert not re.search(r"(?:src|href)=['\"]?(?:https?:)?//", page)
    assert {"section.svg", "top.svg", "thermal_map.svg", "warpage.svg", "moisture.svg", "zth.svg"} <= {
        p.name for p in qfn_report.iterdir()
    }
    # The JEDEC table is filled from the solves (theta-JA of a 7 mm QFN on 2s2p: tens of C/W).
    theta_ja = float(re.search(r"theta_ja_c_per_w</td><td>([0-9.e+-]+)", page).group(1))  # type: ignore[union-attr]
    assert 10 < theta_ja < 120
    assert "<h3>Seed 003</h3>" in page  # the claim chart of the exposed-sink seed


def test_sections_that_do_not_apply_are_left_out_cleanly(tmp_path: Path) -> None:
    out = tmp_path / "stack"
    written = write_report(example("stack"), out, ReportOptions(resolution=0.4, skip=frozenset({"compact"})))
    page = (out / "index.html").read_text()
    assert "electrical" not in written and "process" not in written
    assert {"model.step", "model.glb"} <= {p.name for p in out.iterdir()} and "<section id='exports'>" in page
    assert "<section id='omitted'>" in page and "no nets" in page
    assert not list(tmp_path.glob(".*"))  # the staging folder is gone


def _summary_rows(page: str) -> dict[str, tuple[str, str]]:
    sec = page[page.index("<section id='summary'>") : page.index("</section>", page.index("<section id='summary'>"))]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", sec)
    return {html.unescape(k): (html.unescape(v), re.sub("<[^>]+>", "", b)) for k, v, b in rows}


def _first_number(text: str) -> float:
    return float(re.search(r"[-+]?[0-9]*\.?[0-9]+(?:e[-+]?[0-9]+)?", text).group(0))  # type: ignore[union-attr]


def test_summary_numbers_are_the_analyses(qfn_report: Path) -> None:
    """The summary's numbers are those of the analyses (recomputed here where cheap, else read from their sections)."""
    from semipack.model import summarize
    from semipack.process.costing import rollup
    from semipack.process.engine import run_flow
    from semipack.process.methods import get_method
    from semipack.report.html_report import duration

    pkg = example("exposed_sink_qfn")
    page = (qfn_report / "index.html").read_text()
    rows = _summary_rows(page)
    assert rows["mass"][0] == f"{summarize(pkg).mass_kg * 1e3:.3g} g"
    cost = rollup(run_flow(pkg, get_method(pkg, None).build(pkg)))
    assert rows["cycle time"][0] == duration(cost.cycle_time_s)
    assert _first_number(rows["cost per good unit"][0]) == pytest.approx(cost.cost_per_good_unit_usd, rel=5e-3)
    assert duration(13.5) == "13.5 s" and duration(600.0) == "10.0 min"  # never "0 min"
    # theta-JA as in the JEDEC table (3 significant digits), Tj as in the thermal map's title.
    theta_ja = float(re.search(r"theta_ja_c_per_w</td><td>([0-9.e+-]+)", page).group(1))  # type: ignore[union-attr]
    assert _first_number(rows["theta-JA (JESD51-2A still air, 2s2p)"][0]) == pytest.approx(theta_ja, rel=5e-3)
    (tj_key,) = [k for k in rows if k.startswith("Tj max at")]
    tj_map = float(re.search(r"Tj max ([0-9.]+) C", (qfn_report / "thermal_map.svg").read_text()).group(1))  # type: ignore[union-attr]
    assert _first_number(rows[tj_key][0]) == pytest.approx(tj_map, abs=0.051) and rows[tj_key][1] == "pass"
    assert {"warpage at 25 C (FE)", "warpage at 260 C (FE)"} <= set(rows)
    msl = re.search(r"Estimated MSL <b>([^<]+)</b>", page).group(1)  # type: ignore[union-attr]
    assert rows["MSL estimate (J-STD-020 soaks)"][0] == msl
    theta_jc = float(re.search(r"theta-JC \(junction to case top, 2R\)</td><td>([0-9.e+-]+)", page).group(1))  # type: ignore[union-attr]
    assert _first_number(rows["theta-JC / theta-JB (2R, JESD15-3)"][0]) == pytest.approx(theta_jc, rel=5e-3)
    assert rows["claims read on"][0] == "seed 003"


def _ticks(svg: str, axis: str) -> list[float]:
    """Tick labels of a matplotlib SVG (each text group carries its string as a comment)."""
    main = svg[svg.index('<g id="axes_1">') : svg.index('<g id="axes_2">')]  # the map, not its colour bar
    groups = main.split(f'<g id="{axis}tick_')[1:]
    return [float(re.search(r"<!-- (.*?) -->", g).group(1).replace("\u2212", "-")) for g in groups]  # type: ignore[union-attr]


def test_thermal_map_is_cropped_to_the_package_at_true_scale(qfn_report: Path) -> None:
    from semipack.report.html_report import MAP_MARGIN_M
    from semipack.thermal.environment import face_down

    box = face_down(example("exposed_sink_qfn")).bbox
    svg = (qfn_report / "thermal_map.svg").read_text()
    xs, zs = _ticks(svg, "x"), _ticks(svg, "y")
    m = MAP_MARGIN_M * 1e3
    # The JESD51-9 board is over 100 mm wide: an uncropped map has ticks far outside these bounds.
    assert xs and min(xs) >= box.lo[0] * 1e3 - m and max(xs) <= box.hi[0] * 1e3 + m, xs
    assert max(xs) - min(xs) >= 0.5 * (box.hi[0] - box.lo[0]) * 1e3
    # True scale: the z ticks are millimetres (no exaggeration factor), within the package and margin.
    assert zs and min(zs) >= box.lo[2] * 1e3 - m and max(zs) <= box.hi[2] * 1e3 + m, zs
    assert "<!-- z (mm) -->" in svg


def test_report_holds_no_wall_clock_time(qfn_report: Path) -> None:
    """The page is a function of the design: the metrics are there, the solve time (which moved
    between two runs, 2.53 s then 2.595 s, the only difference of the page) is not."""
    page = (qfn_report / "index.html").read_text()
    assert "<td>theta_ja_c_per_w</td>" in page and "<td>cells</td>" in page
    assert "solve_s" not in page


def test_zth_total_resistance_is_the_steady_theta(qfn_report: Path) -> None:
    page = (qfn_report / "index.html").read_text()
    total = float(re.search(r"<span id='zth-total'>([0-9.e+-]+)</span>", page).group(1))  # type: ignore[union-attr]
    steady = float(re.search(r"<span id='theta-steady'>([0-9.e+-]+)</span>", page).group(1))  # type: ignore[union-attr]
    assert total == pytest.approx(steady, rel=0.01)  # the tolerance of test_thermal's structure-function test


ONLY_CLAIMS = "summary,package,drawings,model,process,thermal,compact,mechanics,moisture,electrical"


def test_claim_chart_shows_only_patents_read_on_unless_asked(tmp_path: Path, examples_dir: Path) -> None:
    from semipack.claims import Verdict
    from semipack.claims.chart import chart

    pkg = example("exposed_sink_qfn")
    ch = chart(pkg)
    charted = [p for p in ch.patents if any(r.patent == p for r in ch.results)]  # seeds with claims
    unrelated = [p for p in charted if not any(r.patent == p and r.verdict is Verdict.MET for r in ch.results)]
    assert unrelated and "003" not in unrelated
    out = tmp_path / "default"
    write_report(pkg, out, ReportOptions(skip=frozenset(ONLY_CLAIMS.split(",")), cad=False))
    page = (out / "index.html").read_text()
    assert "<h3>Seed 003</h3>" in page
    for p in unrelated:
        assert f"<h3>Seed {p}</h3>" not in page, p
        assert f"<h2>Seed {p}</h2>" in (out / "claim_chart.html").read_text()  # the linked full chart
    full = tmp_path / "full"
    r = run(
        "report",
        str(examples_dir / "exposed_sink_qfn.yaml"),
        "-o",
        str(full),
        "--skip",
        ONLY_CLAIMS,
        "--no-cad",
        "--all-claims",
    )
    assert r.returncode == 0, r.stderr
    page = (full / "index.html").read_text()
    assert all(f"<h3>Seed {p}</h3>" in page for p in charted)


def test_claim_chart_of_a_design_that_reads_on_nothing_shows_the_closest_patent(tmp_path: Path) -> None:
    from semipack.claims import Verdict
    from semipack.claims.chart import chart

    pkg = example("stack")
    ch = chart(pkg)
    assert not any(r.verdict is Verdict.MET for r in ch.results)
    out = tmp_path / "stack"
    write_report(pkg, out, ReportOptions(skip=frozenset(ONLY_CLAIMS.split(",")), cad=False))
    page = (out / "index.html").read_text()
    assert "reads on no claim" in page
    shown = re.findall(r"<h3>Seed (\w+)</h3>", page)
    assert len(shown) == 1 and shown[0] in ch.patents

    # No independent claim of another patent has a larger share of its elements met.
    def share(p: str) -> float:
        return max(
            sum(e.verdict is Verdict.MET for e in r.elements) / len(r.elements)
            for r in ch.results
            if r.patent == p and r.depends_on is None and r.elements
        )

    assert all(share(shown[0]) >= share(p) for p in ch.patents if any(x.patent == p for x in ch.results))


def test_report_cli_errors_leave_nothing(tmp_path: Path, examples_dir: Path) -> None:
    out = tmp_path / "r"
    p = run("report", str(examples_dir / "stack.yaml"), "-o", str(out), "--skip", "thermal,weather")
    assert p.returncode == 2 and "--skip" in p.stderr and "weather" in p.stderr and "Traceback" not in p.stderr
    assert not out.exists() and not list(tmp_path.glob(".*"))
    p = run("report", str(examples_dir / "stack.yaml"), "-o", str(out), "--resolution", "9")
    assert p.returncode == 2 and "--resolution" in p.stderr


def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--use-angle=swiftshader",
        "--enable-unsafe-swiftshader",
        "--enable-logging=stderr",
        "--virtual-time-budget=10000",
        f"--user-data-dir={profile}",
    ]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=180)


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make test installs it)")
def test_report_in_headless_chromium(qfn_report: Path, tmp_path: Path) -> None:
    """The page loads with no errors, the viewer draws, and a screenshot shows the model."""
    url = (qfn_report / "index.html").as_uri()
    dom = _chromium("--dump-dom", url, profile=tmp_path / "p1")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'data-errors="0"' in dom.stdout, re.findall(r'data-last-error="[^"]*"', dom.stdout)
    m = re.search(r'data-viewer="ok (\d+)"', dom.stdout)
    assert m and int(m.group(1)) > 1000
    assert "Uncaught" not in dom.stderr
    # Screenshot of the 3D view alone (the other sections hidden by a copy of the page).
    only = qfn_report / "viewer_only.html"
    page = (qfn_report / "index.html").read_text()
    only.write_text(page.replace("<nav>", "<style>section:not(#model){display:none}</style><nav>", 1))
    shot = tmp_path / "shot.png"
    p = _chromium("--window-size=1000,800", f"--screenshot={shot}", only.as_uri(), profile=tmp_path / "p2")
    only.unlink()
    assert p.returncode == 0 and shot.exists(), p.stderr[-2000:]
    import matplotlib.image

    img = matplotlib.image.imread(str(shot))[..., :3]
    # The canvas sits below the header; the viewer's background is (0.97, 0.97, 0.98).
    canvas = img[200:600, 50:950]
    background = np.all(np.abs(canvas - np.array([0.97, 0.97, 0.98])) < 0.02, axis=2)
    drawn = 1 - background.mean()
    assert drawn > 0.15, f"only {drawn:.1%} of the view is drawn"
    # Several distinct colours: the model's materials, shaded.
    assert len(np.unique((canvas * 16).astype(int).reshape(-1, 3), axis=0)) > 20
