"""Render a `Scene` as PNG with matplotlib (the optional ``draw`` extra, imported lazily)."""

from __future__ import annotations

from typing import Any

from semipack.draw.mpl import figure_bytes, pyplot
from semipack.draw.scene import Hatch, Scene
from semipack.draw.svg import label_positions, layout
from semipack.errors import SemipackError
from semipack.geometry import Polyline, Region

_MPL_HATCH = {
    Hatch.METAL: "////",
    Hatch.SOLDER: "xxxx",
    Hatch.SEMICONDUCTOR: "\\\\\\\\",
    Hatch.POLYMER: "....",
    Hatch.LAMINATE: "----",
    Hatch.ADHESIVE: "oo",
    Hatch.GLASS: "\\",
    Hatch.NONE: "",
}


def render_png(scene: Scene, dpi: int = 100) -> bytes:
    try:
        import matplotlib
        from matplotlib.patches import PathPatch
        from matplotlib.path import Path as MPath
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise SemipackError("PNG output needs matplotlib: pip install 'semipack[draw]'") from exc
    plt = pyplot()
    matplotlib.rcParams["hatch.linewidth"] = 0.5
    g = layout(scene)
    fig = plt.figure(figsize=(g["width"] / dpi, g["height"] / dpi), dpi=dpi)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, g["width"])
    ax.set_ylim(g["height"], 0)
    ax.axis("off")
    s, left, top = g["s"], g["left"], g["top"]

    def px(u: float, v: float) -> tuple[float, float]:
        return left + (u - g["x0"]) * s, top + (g["y1"] - v) * s

    ax.text(left, 24, scene.title, fontsize=13, family="serif")
    for order, it in enumerate(scene.items):
        if isinstance(it.shape, Region):
            verts: list[tuple[float, float]] = []
            codes: list[Any] = []
            for ring in (it.shape.outer, *it.shape.holes):
                pts = [px(u, v) for u, v in ring]
                verts += [*pts, pts[0]]
                codes += [MPath.MOVETO] + [MPath.LINETO] * (len(pts) - 1) + [MPath.CLOSEPOLY]
            ax.add_patch(
                PathPatch(
                    MPath(verts, codes),
                    facecolor="white" if it.filled else "none",
                    edgecolor="black",
                    linewidth=0.5,
                    hatch=_MPL_HATCH[it.hatch] if it.filled else "",
                    zorder=order,
                )
            )
        elif isinstance(it.shape, Polyline):
            pts = [px(u, v) for u, v in it.shape.points]
            ax.plot(
                [p[0] for p in pts],
                [p[1] for p in pts],
                color="black",
                linewidth=max(it.shape.width * s * 72 / dpi, 0.6),
                zorder=order,
            )
    for num, tx, ty, axx, ayy in label_positions(scene, g):
        ax.annotate(
            num,
            xy=(axx, ayy),
            xytext=(tx, ty),
            fontsize=11,
            family="serif",
            ha="center",
            arrowprops={"arrowstyle": "-", "linewidth": 0.6},
            zorder=len(scene.items) + 1,
        )
    ly = top + g["draw_h"] + 80
    ax.text(left, ly, scene.caption, fontsize=10, style="italic", family="serif")
    for i, (num, label) in enumerate(scene.legend):
        col, row = i % 2, i // 2
        x = left + col * (g["width"] - 2 * left) / 2
        y = ly + 26 + row * 22
        ax.text(x, y, f"{num}  {label}", fontsize=10, family="serif")
    return figure_bytes(fig, "png", dpi=dpi)
