"""The report's sections on the design itself: its key dimensions and materials, the drawings,
the 3D model (a WebGL viewer inlined with its data) and the CAD files."""

from __future__ import annotations

import base64
import json
from importlib import resources

import numpy as np

from semipack.errors import DesignError
from semipack.model import Package
from semipack.report.page import E, Page, mm, table


def package_section(p: Page) -> None:
    from semipack.model import summarize

    pkg, s = p.pkg, summarize(p.pkg)
    p.keyrow("body", f"{mm(s.body_x_m)} x {mm(s.body_y_m)} x {mm(s.total_height_m)}")
    p.keyrow("mass", f"{s.mass_kg * 1e3:.3g} g")
    rows = [
        ["family", E(pkg.family)],
        ["body", f"{mm(s.body_x_m)} x {mm(s.body_y_m)}"],
        ["total height", mm(s.total_height_m)],
        ["die", f"{mm(s.die_x_m)} x {mm(s.die_y_m)} ({s.die_count} die)"],
        ["package / die (linear)", f"{s.package_to_die_ratio:.3f}"],
        ["mass", f"{s.mass_kg * 1e3:.3f} g"],
        ["terminals", f"{s.terminal_count}" + (f" at {mm(s.terminal_pitch_m)} pitch" if s.terminal_pitch_m else "")],
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
        table(["", ""], rows, "kv")
        + "<h3>Materials</h3>"
        + table(["key", "material", "k in-plane / through (W/m/K)", "CTE (ppm/K)", "E (GPa)", "sources"], mats),
    )


def drawings_section(p: Page) -> None:
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


def model_section(p: Page) -> None:
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


def exports_section(p: Page) -> None:
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
