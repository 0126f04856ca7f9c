"""Plots for the mechanics: warpage versus temperature, a shadow-moire-like contour, a ball-life map."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from semipack.draw.mpl import figure_bytes, pyplot
from semipack.draw.output import atomic_write_bytes


def _save(fig: Any, out: Path) -> None:
    atomic_write_bytes(
        Path(out),
        figure_bytes(fig, Path(out).suffix, {"Software": None} if Path(out).suffix.lower() == ".png" else None),
    )


def _plt() -> Any:
    plt = pyplot()

    return plt


def save_warpage_curve(points: Sequence[Any], out: Path, name: str, checks: Sequence[Any] = ()) -> None:
    """Warpage over the profile (JESD22-B112 sign), with each limit's band as dashed lines."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=110)
    t = [p.temperature_k - 273.15 for p in points]
    w = [p.warpage_m * 1e6 for p in points]
    ax.plot(t, w, "o-", color="k")
    ax.axhline(0, color="0.6", lw=0.8)
    styles = ("--", ":", "-.", (0, (5, 1)))
    for i, c in enumerate(checks):
        lim = c.limit
        ls = styles[i % len(styles)]
        x0 = t[0] if lim.from_k is None else max(min(t), lim.from_k - 273.15)
        x1 = max(t)
        for v in (-lim.concave_m * 1e6, lim.convex_m * 1e6):
            ax.plot([x0, x1], [v, v], ls=ls, color=f"C{i + 1}", lw=1.0)
        ax.plot([], [], ls=ls, color=f"C{i + 1}", label=f"{lim.standard}: {'pass' if c.passes else 'FAIL'}")
    if checks:
        ax.legend(fontsize=7, loc="best")
    ax.set_xlabel("temperature (C)")
    ax.set_ylabel("warpage (um); + convex (cry), - concave (smile)")
    ax.set_title(f"{name}: warpage over the J-STD-020 reflow profile")
    _save(fig, out)


def save_moire(res: Any, out: Path) -> None:
    plt = _plt()
    x, y, rel = res.warpage()[2]
    fig, ax = plt.subplots(figsize=(6.0, 5.2), dpi=110)
    cs = ax.tricontourf(x * 1e3, y * 1e3, rel * 1e6, levels=16, cmap="coolwarm")
    ax.tricontour(x * 1e3, y * 1e3, rel * 1e6, levels=16, colors="k", linewidths=0.3)
    fig.colorbar(cs, ax=ax, label="height of the ball-side face (um), best-fit plane removed")
    ax.set_aspect("equal")
    ax.set_xlabel("x (mm)")
    ax.set_ylabel("y (mm)")
    ax.set_title(f"ball-side face at {res.temperature_k - 273.15:.0f} C")
    _save(fig, out)


def save_fatigue_map(r: Any, out: Path) -> None:
    plt = _plt()
    xy = np.array([(b.x_m, b.y_m) for b in r.balls]) * 1e3
    n = np.array([b.cycles for b in r.balls])
    fig, ax = plt.subplots(figsize=(6.0, 5.2), dpi=110)
    sc = ax.scatter(xy[:, 0], xy[:, 1], c=np.log10(n), cmap="RdYlGn", s=30, edgecolors="k", linewidths=0.3)
    fig.colorbar(sc, ax=ax, label="log10 cycles to failure")
    w = r.worst
    ax.annotate(f"{w.name}: {w.cycles:.0f}", (w.x_m * 1e3, w.y_m * 1e3), textcoords="offset points", xytext=(8, 8))
    ax.set_aspect("equal")
    ax.set_title(r.cycle.title)
    _save(fig, out)
