"""The offline HTML report: one folder with ``index.html``, its figures and the CAD files.

Each section runs its analysis and renders it; a section whose analysis does not apply
to the design (a package with no balls has no fatigue life, one with no method no
storyboard) is left out and listed under "Not in this report" with the reason. Nothing
is fetched from a network: the 3D viewer is a small WebGL script shipped with semipack
and inlined, and figures are SVG files in the folder.

The folder is built under a temporary name beside the target and renamed into place,
so a failed run never leaves a half-written report.
"""

from __future__ import annotations

import base64
import html
import json
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from semipack.errors import DesignError
from semipack.model import Package
from semipack.report.moisture_section import moisture_section

if TYPE_CHECKING:
    from semipack.mechanics.fe import FeResult
    from semipack.mechanics.warpage import WarpagePoint

E = html.escape


@dataclass(frozen=True)
class ReportOptions:
    """What the report runs: thermal grid resolution, sections to skip, CAD downloads."""

    resolution: float = 0.5
    # Column AMG: 2-4x faster than pyamg on five families at resolution 0.5; on the
    # folded-flex CSP (vertical flex sheets) it is about as fast as pyamg.
    solver: str = "column-amg"
    skip: frozenset[str] = frozenset()
    cad: bool = True
    segments: int = 16
    # Every patent's claim chart on the page (default: only those the design reads on).
    all_claims: bool = False
    # The compact-model section's own (coarse) grid: its transient is the report's dearest solve.
    compact_resolution: float = 0.25


@dataclass
class _Page:
    folder: Path
    pkg: Package
    options: ReportOptions
    sections: list[tuple[str, str, str]] = field(default_factory=list)
    omitted: list[tuple[str, str]] = field(default_factory=list)
    # The summary's rows (quantity, value, verdict "pass" / "FAIL" / ""), filled by the sections.
    key: list[tuple[str, str, str]] = field(default_factory=list)

    def keyrow(self, name: str, value: str, verdict: bool | None = None) -> None:
        self.key.append((name, value, "" if verdict is None else ("pass" if verdict else "FAIL")))

    def add(self, sid: str, title: str, body: str) -> None:
        self.sections.append((sid, title, body))

    def write(self, name: str, data: bytes) -> str:
        (self.folder / name).write_bytes(data)
        return name


def _table(head: list[str], rows: list[list[str]], cls: str = "") -> str:
    h = "".join(f"<th>{E(x)}</th>" for x in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table class='{cls}'><tr>{h}</tr>{body}</table>"


def _mm(v: float | None, digits: int = 3) -> str:
    return "-" if v is None else f"{v * 1e3:.{digits}f} mm"


def duration(seconds: float) -> str:
    """A time as a reader wants it: seconds below two minutes (never "0 min"), then minutes, then hours."""
    if seconds < 120:
        return f"{seconds:.3g} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def _badge(verdict: str) -> str:
    return f"<span class='badge {verdict.lower()}'>{verdict}</span>" if verdict else ""


def _key_numbers(p: _Page) -> str:
    """The summary: every key number the sections produced, with its verdict, and what is missing."""
    rows = [[E(n), E(v), _badge(b)] for n, v, b in p.key]
    fails = sum(1 for _, _, b in p.key if b == "FAIL")
    head = f"<p>{len(p.key)} key numbers, {fails} failing; each is detailed in its section below.</p>"
    return head + _table(["quantity", "value", "verdict"], rows, "kv key")


# ---------------------------------------------------------------- sections


def _package(p: _Page) -> None:
    from semipack.model import summarize

    pkg, s = p.pkg, summarize(p.pkg)
    p.keyrow("body", f"{_mm(s.body_x_m)} x {_mm(s.body_y_m)} x {_mm(s.total_height_m)}")
    p.keyrow("mass", f"{s.mass_kg * 1e3:.3g} g")
    rows = [
        ["family", E(pkg.family)],
        ["body", f"{_mm(s.body_x_m)} x {_mm(s.body_y_m)}"],
        ["total height", _mm(s.total_height_m)],
        ["die", f"{_mm(s.die_x_m)} x {_mm(s.die_y_m)} ({s.die_count} die)"],
        ["package / die (linear)", f"{s.package_to_die_ratio:.3f}"],
        ["mass", f"{s.mass_kg * 1e3:.3f} g"],
        ["terminals", f"{s.terminal_count}" + (f" at {_mm(s.terminal_pitch_m)} pitch" if s.terminal_pitch_m else "")],
        ["nets / bodies", f"{s.net_count} / {s.body_count}"],
    ]
    rows += [[E(str(k)), E(str(v))] for k, v in pkg.features.items()]
    used = sorted({b.material for b in pkg.bodies})
    mats = []
    for key in used:
        m = pkg.materials[key]
        src = "; ".join(sorted(set(m.sources.values())))
        mats.append(
            [
                E(key),
                E(m.name),
                f"{m.k_inplane_w_mk:.3g} / {m.k_through_w_mk:.3g}",
                f"{m.cte_per_k * 1e6:.3g}",
                f"{m.youngs_pa / 1e9:.3g}",
                E(src),
            ]
        )
    p.add(
        "package",
        "Package",
        _table(["", ""], rows, "kv")
        + "<h3>Materials</h3>"
        + _table(["key", "material", "k in-plane / through (W/m/K)", "CTE (ppm/K)", "E (GPa)", "sources"], mats),
    )


def _drawings(p: _Page) -> None:
    from semipack.draw.scene import section_scene, top_scene
    from semipack.draw.svg import render_svg
    from semipack.geometry import Axis

    axis, at = p.pkg.section_hint
    sec = p.write("section.svg", render_svg(section_scene(p.pkg, Axis(axis), at)).encode())
    top = p.write("top.svg", render_svg(top_scene(p.pkg)).encode())
    p.add(
        "drawings",
        "Drawings",
        f"<figure><img src='{sec}' alt='section'><figcaption>Section {axis} = {at * 1e3:.3g} mm "
        "(thin layers enlarged; numerals as in the seed)</figcaption></figure>"
        f"<figure><img src='{top}' alt='top view'><figcaption>X-ray top view</figcaption></figure>",
    )


def viewer_payload(pkg: Package, segments: int = 16) -> dict[str, object]:
    """The 3D view's data: each body's mesh in mm (float32) and triangles (uint32), base64."""
    from semipack.export.parts import parts, seating_origin

    off = np.asarray(seating_origin(pkg))
    out = []
    for part in parts(pkg, segments):
        v = ((part.mesh.vertices + off) * 1e3).astype("<f4")
        f = part.mesh.faces.astype("<u4")
        out.append(
            {
                "name": part.name,
                "role": part.role,
                "material": part.material,
                "color": [round(c, 3) for c in part.color],
                "v": base64.b64encode(v.tobytes()).decode(),
                "f": base64.b64encode(f.tobytes()).decode(),
            }
        )
    return {"parts": out}


def _model3d(p: _Page) -> None:
    # "</" cannot appear inside a script element; JSON allows "<\\/" for it.
    payload = json.dumps(viewer_payload(p.pkg, p.options.segments), separators=(",", ":")).replace("</", "<\\/")
    script = resources.files("semipack.report").joinpath("assets/viewer.js").read_text()
    p.add(
        "model",
        "3D model",
        "<div class='viewer'><canvas id='viewer'></canvas>"
        "<div id='viewer-controls'><button id='viewer-reset'>reset view</button> "
        "<label>z scale <select id='viewer-z'><option>1</option><option>2</option><option selected>5</option>"
        "<option>10</option></select></label> </div><p id='viewer-status'>loading...</p></div>"
        f"<script id='model-data' type='application/json'>{payload}</script>"
        f"<script>{script}</script>",
    )


def _process(p: _Page) -> None:
    from semipack.draw.storyboard import frame_scene, frame_title
    from semipack.draw.svg import render_svg
    from semipack.process.costing import rollup
    from semipack.process.engine import run_flow
    from semipack.process.methods import get_method

    method = get_method(p.pkg, None)
    result = run_flow(p.pkg, method.build(p.pkg))
    cost = rollup(result)
    p.keyrow("cost per good unit", f"{cost.cost_per_good_unit_usd:.3g} USD")
    p.keyrow("cumulative yield", f"{cost.cumulative_yield * 100:.1f} %")
    p.keyrow("cycle time", duration(cost.cycle_time_s))
    rows = []
    for rec in result.records:
        s = rec.step
        t = f"{s.temperature_k - 273.15:.0f} C" if s.temperature_k is not None else ""
        rows.append([str(rec.index), E(s.figure), E(s.title), t, E("; ".join(rec.notes))])
    frames = []
    for rec in result.records:
        name = p.write(f"step{rec.index:02d}.svg", render_svg(frame_scene(result, rec.index)).encode())
        frames.append(
            f"<figure><img src='{name}' alt='step {rec.index}'><figcaption>{E(frame_title(result, rec.index))}</figcaption></figure>"
        )
    p.add(
        "process",
        "Manufacturing flow",
        f"<p><b>{E(method.name)}</b>: seed {E(method.patent)} claims {E(method.claims)}, {E(method.title)}. "
        f"{len(result.records)} steps; the flow ends in exactly this design.</p>"
        + _table(["#", "figure", "step", "temperature", "notes"], rows)
        + f"<p>Cost roll-up: {cost.cost_per_good_unit_usd:.3g} USD per good unit, cumulative yield {cost.cumulative_yield * 100:.1f} %, "
        f"cycle time {duration(cost.cycle_time_s)}.</p>"
        + "<details><summary>Storyboard (one frame per step)</summary>"
        + "".join(frames)
        + "</details>",
    )


MAP_MARGIN_M = 1e-3
"""How much of the board and air around the package the report's temperature map shows."""

TJ_LIMIT_C = 125.0
"""The junction limit the summary checks Tj against (the usual commercial/industrial 125 C)."""


def _thermal(p: _Page) -> None:
    from semipack.draw.thermal_map import save_map
    from semipack.geometry import Axis
    from semipack.thermal import KEYS, Environment, Solver, jedec_metrics, metrics_of, solve_thermal
    from semipack.thermal.environment import face_down

    res, solver = p.options.resolution, Solver(p.options.solver)
    still = solve_thermal(p.pkg, Environment(), resolution=res, solver=solver)
    metrics = dict(metrics_of(still))
    metrics.update(
        {k: v for k, v in jedec_metrics(p.pkg, resolution=res, solver=solver, still_air=still).items() if v is not None}
    )
    axis, at = p.pkg.section_hint
    save_map(still, p.folder / "thermal_map.svg", Axis(axis), at, crop=(face_down(p.pkg).bbox, MAP_MARGIN_M))
    tj = still.tj_max_k - 273.15
    if metrics.get("theta_ja_c_per_w") is not None:
        p.keyrow("theta-JA (JESD51-2A still air, 2s2p)", f"{metrics['theta_ja_c_per_w']:.3g} C/W")
    p.keyrow(f"Tj max at {still.power_w:.3g} W, still air, 25 C", f"{tj:.1f} C", tj <= TJ_LIMIT_C)
    rows = [[E(k), "-" if metrics.get(k) is None else f"{metrics[k]:.4g}"] for k in KEYS]
    p.add(
        "thermal",
        "Thermal (JEDEC)",
        f"<p>{still.power_w:.3g} W; JESD51-2A still air on a JESD51-9 2s2p board, the cold plates of "
        f"JESD51-14 (top, bottom) and the JESD51-8 ring plate; grid resolution {res:g}.</p>"
        + _table(["metric", "value"], rows, "kv")
        + "<figure><img src='thermal_map.svg' alt='temperature map'><figcaption>Still air, 2s2p: temperature on the "
        f"default section, the package and {MAP_MARGIN_M * 1e3:g} mm around it at true scale</figcaption></figure>",
    )


def _gap(p: _Page, points: Sequence[WarpagePoint], fe: dict[float, FeResult]) -> str:
    """The package-to-board gap map from the warpage curve already solved (no balls: a line)."""
    from semipack.draw.gap_map import save_gap_map
    from semipack.mechanics.gap import package_gaps
    from semipack.mechanics.warpage import STRESS_FREE_K

    temps = tuple(sorted({q.temperature_k for q in points}))
    try:
        r = package_gaps(p.pkg, temps, STRESS_FREE_K, curve=(points, fe))
    except DesignError as exc:
        return f"<p>No package-to-board gap: {E(exc.allowed)}.</p>"
    save_gap_map(r, p.folder / "gap.svg")
    t_w, ball, g_w = r.worst()
    risk = f"{len(r.at_risk)} balls past their reach" if r.at_risk else "no ball past its reach"
    return (
        f"<p>Package-to-board gap (JESD51-9 2s2p board by plate theory; joints {r.collapsed_m * 1e6:.0f} um "
        f"after collapse, reach {r.reach_m * 1e6:.0f} um with 125 um of paste): most open {E(ball)}, "
        f"{g_w * 1e6:.0f} um at {t_w - 273.15:.0f} C; head-in-pillow / non-wet open: {risk}.</p>"
        "<figure><img src='gap.svg' alt='gap map'></figure>"
    )


def _mechanics(p: _Page) -> None:
    from semipack.draw.mechanics_plots import save_fatigue_map, save_warpage_curve
    from semipack.mechanics.flex_bend import bend_checks
    from semipack.mechanics.profiles import CycleCondition, condition, reflow_profile_k
    from semipack.mechanics.warpage import DEFAULT_METHOD, STRESS_FREE_K, limit_checks, warpage_curve
    from semipack.mechanics.warpage_sign import SIGN_NOTE

    parts = []
    # The same method and measure as `semipack warpage` (FE by default), at the report's resolution.
    points, fe = warpage_curve(p.pkg, reflow_profile_k(), STRESS_FREE_K, DEFAULT_METHOD, p.options.resolution)
    checks = limit_checks(p.pkg, points)
    save_warpage_curve(points, p.folder / "warpage.svg", p.pkg.name, checks)
    worst = max(points, key=lambda q: abs(q.warpage_m))
    ok = all(c.passes for c in checks) if checks else None
    note = "" if checks else " (no JEDEC/JEITA limit tabulated for this pitch and size)"
    for t_c in (25.0, 260.0):
        q = min(points, key=lambda q: abs(q.temperature_k - 273.15 - t_c))
        p.keyrow(
            f"warpage at {q.temperature_k - 273.15:.0f} C ({DEFAULT_METHOD.name})",
            f"{q.warpage_m * 1e6:+.1f} um{note}",
            ok,
        )
    verdicts = (
        "; ".join(
            f"{E(c.limit.standard)} ({-c.limit.concave_m * 1e6:+.0f} to {c.limit.convex_m * 1e6:+.0f} um): "
            f"{'pass' if c.passes else 'FAIL'}"
            for c in checks
        )
        or "no tabulated JEDEC/JEITA limit for this pitch and body size"
    )
    parts.append(
        f"<p>Warpage over the J-STD-020 reflow profile ({E(DEFAULT_METHOD.name)}, stress-free at 175 C with each "
        f"material's own cure state; {E(SIGN_NOTE)}): largest {worst.warpage_m * 1e6:+.1f} um at "
        f"{worst.temperature_k - 273.15:.0f} C. Limits: {verdicts}.</p>"
        "<figure><img src='warpage.svg' alt='warpage curve'></figure>"
    )
    parts.append(_gap(p, points, fe))
    try:
        from semipack.mechanics.fatigue import solder_fatigue

        fat = solder_fatigue(p.pkg, condition(CycleCondition.G))
        save_fatigue_map(fat, p.folder / "fatigue.svg")
        w = fat.worst
        p.keyrow(f"solder fatigue, {fat.cycle.title}", f"{w.cycles:.3g} cycles to 50 % failure ({w.name})")
        parts.append(
            f"<p>Solder-joint fatigue (Engelmaier, dwell form of c), {E(fat.cycle.title)}: worst ball "
            f"{E(w.name)} at DNP {w.dnp_m * 1e3:.2f} mm, {w.cycles:.3g} cycles to 50 % failure.</p>"
            "<figure><img src='fatigue.svg' alt='fatigue map'></figure>"
        )
    except DesignError as exc:
        parts.append(f"<p>No solder-joint fatigue: {E(exc.allowed)}.</p>")
    bends = bend_checks(p.pkg)
    if bends:
        rows = [
            [
                E(b.bend),
                _mm(b.inner_radius_m),
                f"{b.copper_strain_max * 100:.2f} %",
                f"{b.allowable_strain * 100:.1f} %",
                _mm(b.min_radius_m),
                "pass" if b.passes else "FAIL",
            ]
            for b in bends
        ]
        parts.append(
            "<h3>Flex bends (IPC-2223)</h3>"
            + _table(["bend", "inner radius", "copper strain", "allowable", "IPC-2223 minimum radius", "verdict"], rows)
        )
    p.add("mechanics", "Thermo-mechanics", "".join(parts))


def _electrical(p: _Page) -> None:
    from semipack.electrical.drc import check_rules
    from semipack.electrical.nets import analyse

    if not p.pkg.nets:
        raise DesignError("nets", 0, "the design has no nets")
    conn = analyse(p.pkg)
    rows = [
        [
            E(n.name),
            E(n.kind),
            str(n.pads),
            str(n.terminals),
            f"{n.r_min_ohm * 1e3:.2f} - {n.r_max_ohm * 1e3:.2f}",
            E(", ".join(n.open_pads)) or "-",
        ]
        for n in conn.nets[:40]
    ]
    more = f"<p>... and {len(conn.nets) - 40} more nets.</p>" if len(conn.nets) > 40 else ""
    drc = check_rules(p.pkg)
    viol = [[E(v.rule), E(", ".join(v.bodies)), E(v.text())] for v in drc.violations[:30]]
    claim4 = (
        f"<p>Seed 002 claim 4 (external traces wider, longer, thicker): {E(drc.claim4[1])}</p>" if drc.claim4 else ""
    )
    p.keyrow("nets open / shorted", f"{len(conn.opens)} / {len(conn.shorts)}", not conn.opens and not conn.shorts)
    p.keyrow("design-rule violations", str(len(drc.violations)), not drc.violations)
    p.add(
        "electrical",
        "Electrical",
        f"<p>{len(conn.nets)} nets, {len(conn.opens)} open, {len(conn.shorts)} shorted.</p>"
        + _table(["net", "kind", "pads", "terminals", "R per pad path (mOhm)", "open pads"], rows)
        + more
        + f"<h3>Design rules</h3><p>{len(drc.violations)} violations; checked "
        + E(", ".join(f"{k} {v}" for k, v in drc.checked.items()))
        + ".</p>"
        + (_table(["rule", "bodies", "where"], viol) if viol else "")
        + claim4,
    )


def _claims(p: _Page) -> None:
    from semipack.claims.chart import chart
    from semipack.report.claim_chart import read_on, tables_html, to_html

    ch = chart(p.pkg)
    hit, closest = read_on(ch)
    shown = tuple(ch.patents) if p.options.all_claims else (hit or closest)
    p.keyrow("claims read on", "; ".join(f"seed {k}" for k in hit) or f"none (closest: seed {', '.join(closest)})")
    full = p.write("claim_chart.html", to_html(ch).encode())
    others = [k for k in ch.patents if k not in shown]
    intro = (
        "<p>Charts of the patents the design reads on"
        if hit
        else "<p>The design reads on no claim; the chart of the closest patent"
    ) + (
        f" (the others, {E(', '.join(others))}, are in the <a href='{full}'>full chart</a>).</p>"
        if others
        else f". <a href='{full}'>The chart as its own page</a>.</p>"
    )
    p.add("claims", "Claim chart", intro + tables_html(ch, shown))


def _exports(p: _Page) -> None:
    from semipack.export import Format, render
    from semipack.export.kicad import footprint

    links = []
    for fmt, name, what in ((Format.STEP, "model.step", "STEP AP214"), (Format.GLB, "model.glb", "GLB")):
        p.write(name, render(p.pkg, fmt))
        links.append(f"<li><a href='{name}'>{name}</a> ({what})</li>")
    try:
        fp_name, text = footprint(p.pkg)
        p.write(f"{fp_name}.kicad_mod", text.encode())
        p.write(f"{fp_name}.wrl", render(p.pkg, Format.WRL))
        links.append(
            f"<li><a href='{E(fp_name)}.kicad_mod'>{E(fp_name)}.kicad_mod</a> (KiCad footprint, with its .wrl)</li>"
        )
    except DesignError as exc:
        links.append(f"<li>No KiCad footprint: {E(exc.allowed)}</li>")
    p.add("exports", "Files", "<ul>" + "".join(links) + "</ul>")


def _compact(p: _Page) -> None:
    from semipack.report.compact_section import compact_section

    compact_section(p)


SECTIONS: dict[str, tuple[str, Callable[[_Page], None]]] = {
    # Filled last from the other sections' key numbers, shown first.
    "summary": ("Summary", lambda p: None),
    "package": ("Package", _package),
    "drawings": ("Drawings", _drawings),
    "model": ("3D model", _model3d),
    "process": ("Manufacturing flow", _process),
    "thermal": ("Thermal", _thermal),
    "compact": ("Compact thermal model", _compact),
    "mechanics": ("Thermo-mechanics", _mechanics),
    "moisture": ("Moisture sensitivity", moisture_section),
    "electrical": ("Electrical", _electrical),
    "claims": ("Claim chart", _claims),
    "exports": ("Files", _exports),
}

_CSS = """
body{font-family:system-ui,sans-serif;margin:0;color:#222}
header{background:#234;color:#fff;padding:0.8em 1.5em}header h1{margin:0;font-size:1.4em}
nav{padding:0.4em 1.5em;background:#eef}nav a{margin-right:1em}
main{padding:0 1.5em 2em}section{margin-top:1.5em}
table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #bbb;padding:2px 6px;vertical-align:top;font-size:0.9em}
table.kv td:first-child{font-weight:600}
img{max-width:100%}figure{margin:0.5em 0}figcaption{font-size:0.85em;color:#555}
.viewer canvas{width:100%;height:480px;border:1px solid #ccc;display:block}
#viewer-controls label{margin-right:0.8em;font-size:0.9em}
.badge{padding:0 0.5em;border-radius:0.6em;font-weight:600;font-size:0.85em}
.badge.pass{background:#cec;color:#040}.badge.fail{background:#ecc;color:#600}
.met{background:#dfd}.not_met{background:#fdd}.undetermined{background:#ffd}
"""

# Installed before anything else runs: errors and console errors are kept in the page,
# so a headless browser (and a reader) can see them.
_ERRORS = (
    "<script>(function(){var d=document.documentElement;d.dataset.errors='0';function k(m){"
    "d.dataset.errors=String(+d.dataset.errors+1);d.dataset.lastError=String(m).slice(0,300);}"
    "window.addEventListener('error',function(e){k(e.message);});"
    "var ce=console.error;console.error=function(){k(Array.prototype.join.call(arguments,' '));"
    "ce.apply(console,arguments);};})();</script>"
)


def _page_html(p: _Page) -> str:
    import semipack

    nav = "".join(f"<a href='#{sid}'>{E(title)}</a>" for sid, title, _ in p.sections)
    body = "".join(f"<section id='{sid}'><h2>{E(title)}</h2>{content}</section>" for sid, title, content in p.sections)
    omitted = ""
    if p.omitted:
        omitted = (
            "<section id='omitted'><h2>Not in this report</h2><ul>"
            + "".join(f"<li>{E(t)}: {E(why)}</li>" for t, why in p.omitted)
            + "</ul></section>"
        )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{E(p.pkg.name)}: semipack report</title>{_ERRORS}<style>{_CSS}</style></head><body>"
        f"<header><h1>{E(p.pkg.name)}</h1><div>{E(p.pkg.family)} package, semipack "
        f"{E(semipack.__version__)}</div></header><nav>{nav}</nav><main>{body}{omitted}</main></body></html>"
    )


REPORT_MARKER = ".semipack-report"
"""File every report folder holds: only a folder with it (or an empty one) is replaced."""


def check_report_folder(out: Path) -> Path:
    """Refuse a report folder that is the working folder, one above it, a file, or a
    non-empty folder that is not an earlier report (its files would be deleted)."""
    resolved = out.resolve()
    cwd = Path.cwd().resolve()
    if resolved == cwd or cwd.is_relative_to(resolved):
        raise DesignError("out", str(out), "a new folder for the report, not the working folder or one above it")
    if out.exists() and not out.is_dir():
        raise DesignError("out", str(out), "a folder (the report's index.html goes inside); this is a file")
    if out.is_dir() and any(out.iterdir()) and not _is_report(out):
        raise DesignError("out", str(out), "a new or empty folder, or an earlier report's: this one holds other files")
    return out


def _is_report(folder: Path) -> bool:
    """An earlier report: the marker, or (written before the marker existed) its page's title."""
    if (folder / REPORT_MARKER).is_file():
        return True
    page = folder / "index.html"
    if not page.is_file():  # not a FIFO or a folder: reading it must not block
        return False
    try:
        with page.open("rb") as fh:
            return b": semipack report</title>" in fh.read(8192)
    except OSError:
        return False


def _swap_in(staging: Path, out: Path) -> None:
    """Rename the finished ``staging`` folder to ``out``; an earlier report there is removed
    only once the new one is in place (and put back if the rename fails)."""
    if not out.exists():
        staging.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
    try:
        out.rename(old / "report")
        try:
            staging.rename(out)
        except OSError:
            (old / "report").rename(out)
            raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def write_report(pkg: Package, out: Path, options: ReportOptions | None = None) -> list[str]:
    """Write the report folder ``out`` (``index.html`` and its files); return the section ids written."""
    opts = options or ReportOptions()
    unknown = set(opts.skip) - set(SECTIONS)
    if unknown:
        raise DesignError("skip", ",".join(sorted(unknown)), "allowed: " + ", ".join(SECTIONS))
    out = check_report_folder(Path(out))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    except OSError as exc:
        raise DesignError("out", str(out), f"cannot be written ({exc.strerror or type(exc).__name__})") from None
    try:
        page = _Page(staging, pkg, opts)
        for sid, (title, fn) in SECTIONS.items():
            if sid in opts.skip or (sid == "exports" and not opts.cad):
                continue
            try:
                fn(page)
            except DesignError as exc:
                page.omitted.append((title, f"{exc.field}: {exc.allowed}"))
        if "summary" not in opts.skip:
            page.sections.insert(0, ("summary", "Summary", _key_numbers(page)))
        (staging / "index.html").write_text(_page_html(page), encoding="utf-8")
        (staging / REPORT_MARKER).write_text("written by semipack report; the folder is replaced on the next run\n")
        staging.chmod(0o755)
        _swap_in(staging, out)
    except OSError as exc:
        raise DesignError("out", str(out), f"cannot be written ({exc.strerror or type(exc).__name__})") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already when it was renamed into place
    return [sid for sid, _, _ in page.sections]
