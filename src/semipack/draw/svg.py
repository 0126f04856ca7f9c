"""Render a `Scene` as a standalone SVG in the style of a patent figure."""

from __future__ import annotations

from xml.sax.saxutils import escape

from semipack.draw.scene import Hatch, Scene
from semipack.geometry import Polyline, Region

_PATTERNS = {
    Hatch.METAL: '<path d="M0,6 L6,0" stroke="#000" stroke-width="0.6"/>',
    Hatch.SOLDER: '<path d="M0,4 L4,0 M0,0 L4,4" stroke="#000" stroke-width="0.5"/>',
    Hatch.SEMICONDUCTOR: '<path d="M0,0 L6,6" stroke="#000" stroke-width="0.6"/><path d="M0,3 L3,6" stroke="#000" stroke-width="0.3"/>',
    Hatch.POLYMER: '<circle cx="2" cy="2" r="0.6" fill="#000"/>',
    Hatch.LAMINATE: '<path d="M0,2 L6,2" stroke="#000" stroke-width="0.5"/>',
    Hatch.ADHESIVE: '<circle cx="3" cy="3" r="1.2" fill="none" stroke="#000" stroke-width="0.4"/>',
    Hatch.GLASS: '<path d="M0,8 L8,0" stroke="#000" stroke-width="0.3" stroke-dasharray="2,2"/>',
}
_SIZES = {
    Hatch.METAL: 6,
    Hatch.SOLDER: 4,
    Hatch.SEMICONDUCTOR: 6,
    Hatch.POLYMER: 4,
    Hatch.LAMINATE: 4,
    Hatch.ADHESIVE: 6,
    Hatch.GLASS: 8,
}


def layout(scene: Scene, width_px: float = 1100.0) -> dict[str, float]:
    """Pixel geometry shared by the SVG and PNG writers."""
    x0, y0, x1, y1 = scene.bounds
    w, h = max(x1 - x0, 1e-9), max(y1 - y0, 1e-9)
    draw_w = width_px - 120
    s = draw_w / w
    draw_h = h * s
    if draw_h > 900:
        s *= 900 / draw_h
        draw_h = 900
    margin_top = 90.0
    legend_h = 22.0 * ((len(scene.legend) + 1) // 2) + 50
    return {
        "s": s,
        "x0": x0,
        "y1": y1,
        "left": 60.0,
        "top": margin_top,
        "draw_h": draw_h,
        "width": width_px,
        "height": margin_top + draw_h + 90 + legend_h,
    }


def label_positions(scene: Scene, g: dict[str, float]) -> list[tuple[str, float, float, float, float]]:
    """(numeral, text x, text y, anchor x, anchor y) in pixels: numerals above or below the figure."""

    def px(u: float, v: float) -> tuple[float, float]:
        return g["left"] + (u - g["x0"]) * g["s"], g["top"] + (g["y1"] - v) * g["s"]

    mid = g["top"] + g["draw_h"] / 2
    placed = [(lb.numeral, *px(*lb.anchor)) for lb in scene.labels]
    upper = sorted([p for p in placed if p[2] < mid], key=lambda p: p[1])
    lower = sorted([p for p in placed if p[2] >= mid], key=lambda p: p[1])
    out: list[tuple[str, float, float, float, float]] = []
    for row, y in ((upper, g["top"] - 40), (lower, g["top"] + g["draw_h"] + 45)):
        n = len(row)
        span = g["width"] - 2 * g["left"]
        for i, (num, ax, ay) in enumerate(row):
            tx = g["left"] + span * (i + 0.5) / max(n, 1)
            # Keep numerals near their anchor when there is room.
            tx = 0.5 * tx + 0.5 * min(max(ax, g["left"]), g["left"] + span)
            out.append((num, tx, y, ax, ay))
    # Spread numerals in a row apart (at least 34 px).
    spread: list[tuple[str, float, float, float, float]] = []
    for yrow in sorted({o[2] for o in out}):
        line = sorted((o for o in out if o[2] == yrow), key=lambda o: o[1])
        for i in range(1, len(line)):
            num, tx, ty, ax, ay = line[i]
            if tx - line[i - 1][1] < 34:
                line[i] = (num, line[i - 1][1] + 34, ty, ax, ay)
        spread += line
    return spread


def render_svg(scene: Scene) -> str:
    g = layout(scene)
    s, left, top = g["s"], g["left"], g["top"]

    def px(u: float, v: float) -> str:
        return f"{left + (u - g['x0']) * s:.2f},{top + (g['y1'] - v) * s:.2f}"

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{g["width"]:.0f}" height="{g["height"]:.0f}" '
        f'viewBox="0 0 {g["width"]:.0f} {g["height"]:.0f}" font-family="Times New Roman, serif">',
        "<defs>",
    ]
    for hatch, pat in _PATTERNS.items():
        n = _SIZES[hatch]
        out.append(
            f'<pattern id="h-{hatch.value}" width="{n}" height="{n}" patternUnits="userSpaceOnUse">{pat}</pattern>'
        )
    out.append("</defs>")
    out.append(
        f'<rect width="100%" height="100%" fill="#fff"/><text x="{left}" y="24" font-size="18">{escape(scene.title)}</text>'
    )
    for it in scene.items:
        fill = "#fff" if it.hatch is Hatch.NONE else f"url(#h-{it.hatch.value})"
        if isinstance(it.shape, Region):
            rings = [it.shape.outer, *it.shape.holes]
            d = " ".join("M" + " L".join(px(u, v) for u, v in ring) + " Z" for ring in rings)
            if it.filled:
                out.append(f'<path d="{d}" fill="#fff" stroke="none" fill-rule="evenodd"/>')
            else:
                fill = "none"
            out.append(
                f'<path d="{d}" fill="{fill}" stroke="#000" stroke-width="0.6" fill-rule="evenodd">'
                f"<title>{escape(it.body)}</title></path>"
            )
        elif isinstance(it.shape, Polyline):
            pts = " ".join(px(u, v) for u, v in it.shape.points)
            w = max(it.shape.width * s, 1.0)
            out.append(
                f'<polyline points="{pts}" fill="none" stroke="#000" stroke-width="{w:.2f}"><title>{escape(it.body)}</title></polyline>'
            )
    for num, tx, ty, ax, ay in label_positions(scene, g):
        out.append(
            f'<line x1="{tx:.1f}" y1="{ty + (4 if ty < ay else -14):.1f}" x2="{ax:.1f}" y2="{ay:.1f}" stroke="#000" stroke-width="0.7"/>'
        )
        out.append(f'<text x="{tx:.1f}" y="{ty:.1f}" font-size="15" text-anchor="middle">{escape(num)}</text>')
    ly = top + g["draw_h"] + 80
    out.append(f'<text x="{left}" y="{ly:.0f}" font-size="14" font-style="italic">{escape(scene.caption)}</text>')
    for i, (num, label) in enumerate(scene.legend):
        col, row = i % 2, i // 2
        x = left + col * (g["width"] - 2 * left) / 2
        y = ly + 26 + row * 22
        out.append(
            f'<text x="{x:.0f}" y="{y:.0f}" font-size="14"><tspan font-weight="bold">{escape(num)}</tspan>  {escape(label)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"
