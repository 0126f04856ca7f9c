"""Map of the package-to-board gap under every ball at the temperature of the most open ball."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from semipack.draw.mechanics_plots import _plt, _save


def save_gap_map(r: Any, out: Path) -> None:
    """Balls coloured by their land-to-pad gap (um) where the most open ball is worst;
    balls past their reach (free height + paste) ringed in red."""
    plt = _plt()
    t_k, _, _ = r.worst()
    i = r.temperatures_k.index(t_k)
    g = np.array(r.gaps_m[i]) * 1e6
    x, y = np.array(r.x_m) * 1e3, np.array(r.y_m) * 1e3
    fig, ax = plt.subplots(figsize=(6.0, 5.2), dpi=110)
    sc = ax.scatter(x, y, c=g, cmap="viridis", s=40, edgecolors="none")
    bad = g > r.reach_m * 1e6
    if bad.any():
        ax.scatter(x[bad], y[bad], facecolors="none", edgecolors="r", s=90, linewidths=1.2, label="gap > reach")
        ax.legend(fontsize=7, loc="upper right")
    fig.colorbar(
        sc, ax=ax, label=f"land-to-pad gap (um); collapsed {r.collapsed_m * 1e6:.0f}, reach {r.reach_m * 1e6:.0f}"
    )
    ax.set_aspect("equal")
    ax.set_xlabel("x (mm)")
    ax.set_ylabel("y (mm)")
    ax.set_title(f"package-to-board gap at {t_k - 273.15:.0f} C")
    _save(fig, out)
