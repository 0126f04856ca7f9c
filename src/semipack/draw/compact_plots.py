"""Figures of the compact models: fit errors, influence matrix, power-trace response, Zth and structure functions.

matplotlib is the ``draw`` extra, imported lazily; files are written atomically (.png or .svg).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from semipack.draw.mpl import figure_bytes, pyplot
from semipack.draw.output import atomic_write_bytes
from semipack.errors import DesignError, SemipackError


def _figure(rows: int = 1, cols: int = 1, size: tuple[float, float] = (7.0, 4.0)) -> tuple[Any, Any]:
    try:
        plt = pyplot()  # Agg, and a fixed SVG id salt: the same figure gives the same bytes
    except ImportError as exc:
        raise SemipackError("plots need matplotlib: pip install 'semipack[draw]'") from exc
    fig, axes = plt.subplots(rows, cols, figsize=size)
    return fig, axes


def _save(fig: Any, out: Path) -> None:
    suffix = Path(out).suffix.lower()
    if suffix not in (".png", ".svg"):
        raise DesignError("out", str(out), "a figure ends in .png or .svg")
    fig.tight_layout()
    atomic_write_bytes(Path(out), figure_bytes(fig, suffix, dpi=120))


def check_plot_path(out: Path) -> None:
    if Path(out).suffix.lower() not in (".png", ".svg"):
        raise DesignError("out", str(out), "a figure ends in .png or .svg")


def plot_fit_errors(report: Any, out: Path, title: str = "") -> None:
    """Junction-rise error per condition: the DELPHI network and the 2R model (training and held-out)."""
    fig, ax = _figure(size=(max(7.0, 0.18 * len(report.rows)), 4.0))
    x = np.arange(len(report.rows))
    d = [r.delphi_error_pct for r in report.rows]
    ax.bar(x - 0.2, d, 0.4, label="compact model")
    two = [r.two_r_error_pct for r in report.rows]
    if any(v is not None for v in two):
        # Conditions the 2R model cannot take (only its missing sides cooled) are left blank.
        ax.bar(x + 0.2, [np.nan if v is None else v for v in two], 0.4, label="2R (JESD15-3)")
    held = [i for i, r in enumerate(report.rows) if r.group == "held-out"]
    if held:
        ax.axvspan(held[0] - 0.5, held[-1] + 0.5, color="0.9", label="held-out (JEDEC)")
    ax.axhline(0, color="k", lw=0.5)
    ax.set_xticks(x, [r.name for r in report.rows], rotation=90, fontsize=6)
    ax.set_ylabel("junction rise error (%)")
    ax.set_title(title)
    ax.legend(fontsize=7)
    _save(fig, out)


def plot_influence(dies: tuple[str, ...], psi: np.ndarray, out: Path, title: str = "") -> None:
    """The steady influence matrix (K/W) as a colour map with its values."""
    fig, ax = _figure(size=(3.0 + 1.1 * len(dies), 2.0 + 1.0 * len(dies)))
    vmax = float(psi.max())
    im = ax.imshow(psi, cmap="inferno", vmin=0.0, vmax=vmax)
    for i in range(len(dies)):
        for j in range(len(dies)):
            # Light text on the dark (low) end of the colour map, dark on the bright end.
            colour = "w" if psi[i, j] < 0.6 * vmax else "k"
            ax.text(j, i, f"{psi[i, j]:.3g}", ha="center", va="center", color=colour)
    ax.set_xticks(range(len(dies)), dies)
    ax.set_yticks(range(len(dies)), dies)
    ax.set_xlabel("heated die j")
    ax.set_ylabel("die i")
    fig.colorbar(im, ax=ax, label="Psi_ij (K/W)")
    ax.set_title(title)
    _save(fig, out)


def plot_trace(
    times_s: np.ndarray, tj_c: np.ndarray, dies: tuple[str, ...], edges_s: np.ndarray, out: Path, title: str = ""
) -> None:
    """Die temperatures over a power trace, with the trace's edges marked."""
    fig, ax = _figure()
    for j, d in enumerate(dies):
        ax.plot(times_s, tj_c[:, j], label=d)
    for e in edges_s[1:-1]:
        ax.axvline(e, color="0.8", lw=0.5)
    ax.set_xlabel("t (s)")
    ax.set_ylabel("Tj (C)")
    ax.set_title(title)
    ax.legend(fontsize=7)
    _save(fig, out)


def plot_zth(
    times_s: np.ndarray, zth: np.ndarray, cum_r: np.ndarray, cum_c: np.ndarray, out: Path, title: str = ""
) -> None:
    """Zth(t), the cumulative structure function (Cauer C against R) and the differential one (dC/dR against R)."""
    fig, axes = _figure(1, 3, size=(12.0, 3.8))
    axes[0].semilogx(times_s[1:], zth[1:])
    axes[0].set_xlabel("t (s)")
    axes[0].set_ylabel("Zth (K/W)")
    axes[1].semilogy(cum_r, np.maximum(cum_c, 1e-12))
    axes[1].set_xlabel("cumulative R (K/W)")
    axes[1].set_ylabel("cumulative C (J/K)")
    if len(cum_r) > 1:
        dr = np.diff(cum_r)
        dc = np.diff(cum_c)
        k = dr > 0
        axes[2].semilogy(cum_r[1:][k], dc[k] / dr[k])
    axes[2].set_xlabel("cumulative R (K/W)")
    axes[2].set_ylabel("dC/dR (J/K^2 W)")
    fig.suptitle(title)
    _save(fig, out)
