"""The demo set: which example shows what (a report per architecture, a storyboard per seed, the
IR-drop and warpage figures), the figures and exports of every example, and the index page.

``semipack demo`` calls these and prints what they return; every output is a function of the
example files alone (no timestamps), so two runs write the same bytes.
"""

from __future__ import annotations

import html
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from semipack.design import load_design
from semipack.draw import draw
from semipack.draw.output import atomic_write_bytes
from semipack.errors import DesignError
from semipack.model import Package

# One report per architecture (family), on its most complete example.
REPORT_EXAMPLES = (
    "spreader_bga",
    "flex_csp_fig2",
    "thinfilm_metal_passives",
    "exposed_sink",
    "cavity_buildup",
    "stack",
)
# One storyboard per seed with a claimed or implied method: seed -> (example, method or the default).
STORYBOARDS: Mapping[str, tuple[str, str | None]] = {
    "000": ("spreader_bga_concave", None),
    "001": ("flex_csp_fig1", "001-operations-1-7"),
    "002": ("thinfilm_metal", "002-claims-102-138"),
    "003": ("exposed_sink", None),
    "004": ("cavity_buildup", None),
}
IRDROP_EXAMPLE = "thinfilm_metal_passives"  # its power net at 1 A
WARPAGE_EXAMPLE = "spreader_bga"  # over the reflow profile, with its moire at 25 C
EXPORT_KEYS = ("step", "glb", "stl", "wrl", "kicad")  # the index's columns, in order


@dataclass(frozen=True)
class DemoReport:
    """One architecture's report: the example, its family, the sections written and the seconds taken."""

    stem: str
    family: str
    sections: tuple[str, ...]
    seconds: float


@dataclass(frozen=True)
class DemoExport:
    """One example's exported files by format (relative to the exports folder)."""

    stem: str
    names: Mapping[str, str] = field(default_factory=dict)


def draw_example(pkg: Package, stem: str, figures: Path, png: bool) -> None:
    """The example's section as SVG and, with ``png``, as PNG with its top view (a bare stack has none)."""
    draw(pkg, figures / f"{stem}.svg")
    if png:
        draw(pkg, figures / f"{stem}.png")
        if pkg.family != "stack":
            draw(pkg, figures / f"{stem}_top.png", top=True)


def storyboards(examples: Path, figures: Path) -> Iterator[str]:
    """Each seed's flow run on its example, written as a storyboard; one line per storyboard."""
    from semipack.draw.storyboard import write_frames
    from semipack.process import get_method, run_flow

    for seed, (stem, method) in STORYBOARDS.items():
        f = examples / f"{stem}.yaml"
        if not f.exists():
            continue
        pkg = load_design(f)
        result = run_flow(pkg, get_method(pkg, method).build(pkg))
        out = figures / f"storyboard_{seed}"
        write_frames(result, out)
        yield f"{result.flow.name}: {len(result.records)} steps on {stem}, storyboard in {out}/"


def irdrop_figure(examples: Path, figures: Path) -> str | None:
    """The IR-drop map of :data:`IRDROP_EXAMPLE` at 1 A; one line (None without the example)."""
    f = examples / f"{IRDROP_EXAMPLE}.yaml"
    if not f.exists():
        return None
    from semipack.draw.irdrop_map import save_irdrop_map
    from semipack.electrical import solve_irdrop

    r = solve_irdrop(load_design(f), 1.0)
    path = figures / f"irdrop_{IRDROP_EXAMPLE}.png"
    save_irdrop_map(r, path)
    return f"IR drop of {r.net} at 1 A: {r.max_drop_v * 1e3:.3g} mV; map in {path}"


def warpage_figures(examples: Path, figures: Path) -> str | None:
    """Warpage of :data:`WARPAGE_EXAMPLE` over the reflow profile and its moire at 25 C; one line."""
    f = examples / f"{WARPAGE_EXAMPLE}.yaml"
    if not f.exists():
        return None
    from semipack.draw.mechanics_plots import save_moire, save_warpage_curve
    from semipack.mechanics.profiles import reflow_profile_k
    from semipack.mechanics.warpage import limit_checks, warpage_curve

    pkg = load_design(f)
    temps = reflow_profile_k()
    points, fe = warpage_curve(pkg, temps)
    save_warpage_curve(points, figures / f"warpage_{WARPAGE_EXAMPLE}.png", pkg.name, limit_checks(pkg, points))
    save_moire(fe[round(temps[0], 6)], figures / f"moire_{WARPAGE_EXAMPLE}_25C.png")
    return f"warpage of {pkg.name} over the reflow profile: {figures}/warpage_{WARPAGE_EXAMPLE}.png"


def reports(examples: Path, out: Path) -> Iterator[DemoReport]:
    """A report per architecture into ``out``/EXAMPLE/index.html."""
    from semipack.report.html_report import write_report

    for stem in REPORT_EXAMPLES:
        f = examples / f"{stem}.yaml"
        if not f.exists():
            continue
        t0 = time.perf_counter()
        pkg = load_design(f)
        sections = write_report(pkg, out / stem)
        yield DemoReport(stem, pkg.family, tuple(sections), time.perf_counter() - t0)


def export_example(f: Path, out: Path) -> DemoExport:
    """The example in every 3D format and, where it has a land pattern, as a KiCad footprint."""
    from semipack.export import SUFFIXES, Format, render
    from semipack.export.kicad import footprint

    pkg = load_design(f)
    names: dict[str, str] = {}
    data = {fmt: render(pkg, fmt) for fmt in (Format.STEP, Format.GLB, Format.STL, Format.WRL)}
    for fmt, blob in data.items():
        name = f"{f.stem}{SUFFIXES[fmt][0]}"
        atomic_write_bytes(out / name, blob)
        names[fmt.value] = name
    try:
        # A folder per example: footprints are named by their land pattern, and the
        # footprint links to the .wrl of the same name beside it.
        fp_name, text = footprint(pkg)
        atomic_write_bytes(out / f.stem / f"{fp_name}.kicad_mod", text.encode())
        atomic_write_bytes(out / f.stem / f"{fp_name}.wrl", data[Format.WRL])
        names["kicad"] = f"{f.stem}/{fp_name}.kicad_mod"
    except DesignError:
        pass  # no land pattern (a bare stack)
    return DemoExport(f.stem, names)


def index_page(reports: Sequence[DemoReport], exports: Sequence[DemoExport]) -> str:
    """The demo's index: the reports, one per architecture, then every example in every format."""
    e = html.escape
    rows = "".join(
        f"<tr><td><a href='{e(r.stem)}/index.html'>{e(r.stem)}</a></td><td>{e(r.family)}</td>"
        f"<td>{e(', '.join(r.sections))}</td></tr>"
        for r in reports
    )
    erows = "".join(
        f"<tr><td>{e(x.stem)}</td>"
        + "".join(
            f"<td><a href='exports/{e(x.names[k])}'>{k}</a></td>" if k in x.names else "<td>-</td>" for k in EXPORT_KEYS
        )
        + "</tr>"
        for x in exports
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>semipack demo</title>"
        "<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #bbb;padding:2px 8px}</style></head><body><h1>semipack demo</h1>"
        "<h2>Reports, one per architecture</h2><table><tr><th>example</th><th>family</th><th>sections</th></tr>"
        f"{rows}</table>"
        + (
            "<h2>Every example in every format</h2><table><tr><th>example</th><th>STEP</th><th>GLB</th><th>STL</th>"
            f"<th>VRML</th><th>KiCad</th></tr>{erows}</table>"
            if exports
            else ""
        )
        + "</body></html>"
    )


def write_index(out: Path, reports: Sequence[DemoReport], exports: Sequence[DemoExport]) -> Path:
    """:func:`index_page` as ``out``/index.html; its path."""
    path = out / "index.html"
    atomic_write_bytes(path, index_page(reports, exports).encode())
    return path
