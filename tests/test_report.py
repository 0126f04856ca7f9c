"""The offline HTML report: sections, files, no network references, and a real headless Chromium."""

from __future__ import annotations

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
    write_report(example("exposed_sink_qfn"), out, ReportOptions(resolution=0.4))
    return out


def test_report_holds_every_section_and_its_files(qfn_report: Path) -> None:
    page = (qfn_report / "index.html").read_text()
    for sid in (
        "summary",
        "drawings",
        "model",
        "process",
        "thermal",
        "mechanics",
        "moisture",
        "electrical",
        "claims",
        "exports",
    ):
        assert f"<section id='{sid}'>" in page, sid
    assert "Not in this report" not in page
    # Every referenced file is in the folder, and nothing points off the machine.
    refs = re.findall(r"(?:src|href)='([^'#]+)'", page)
    assert refs and all((qfn_report / r).is_file() for r in refs), refs
    assert not re.search(r"(?:src|href)=['\"]?(?:https?:)?//", page)
    assert {"model.step", "model.glb", "section.svg", "top.svg", "thermal_map.svg", "warpage.svg", "moisture.svg"} <= {
        p.name for p in qfn_report.iterdir()
    }
    # The JEDEC table is filled from the solves (theta-JA of a 7 mm QFN on 2s2p: tens of C/W).
    theta_ja = float(re.search(r"theta_ja_c_per_w</td><td>([0-9.e+-]+)", page).group(1))  # type: ignore[union-attr]
    assert 10 < theta_ja < 120
    assert "<h3>Seed 003</h3>" in page  # the claim chart of the exposed-sink seed


def test_sections_that_do_not_apply_are_left_out_cleanly(tmp_path: Path) -> None:
    out = tmp_path / "stack"
    written = write_report(example("stack"), out, ReportOptions(resolution=0.4, cad=False))
    page = (out / "index.html").read_text()
    assert "electrical" not in written and "process" not in written
    assert "<section id='omitted'>" in page and "no nets" in page
    assert not list(tmp_path.glob(".*"))  # the staging folder is gone


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
