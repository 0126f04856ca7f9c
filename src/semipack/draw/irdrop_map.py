"""The IR-drop map: each plane's voltage drop as an image, pads marked by their drop (PNG/SVG, matplotlib)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from semipack.draw.mpl import figure_bytes, pyplot
from semipack.draw.output import atomic_write_bytes
from semipack.electrical.irdrop import IrDropResult


def save_irdrop_map(result: IrDropResult, out: Path) -> None:
    plt = pyplot()

    fig, ax = plt.subplots(figsize=(6.4, 5.4), dpi=110)
    vmax = max(result.max_drop_v, 1e-12) * 1e3
    vmin = min(result.pad_drop_v.values(), default=0.0) * 1e3
    vmin = min(vmin, 0.999 * vmax)
    im = None
    for sh, field in zip(result.sheets, result.sheet_voltage_v, strict=True):
        nx, ny = sh.mask.shape
        ext = (sh.x0 * 1e3, (sh.x0 + nx * sh.h) * 1e3, sh.y0 * 1e3, (sh.y0 + ny * sh.h) * 1e3)
        im = ax.imshow(
            np.ma.masked_invalid(field.T * 1e3), origin="lower", extent=ext, cmap="viridis", vmin=vmin, vmax=vmax
        )
    xy = np.array([result.pad_xy[p] for p in result.pad_drop_v]) * 1e3
    drops = np.array(list(result.pad_drop_v.values())) * 1e3
    sc = ax.scatter(xy[:, 0], xy[:, 1], c=drops, cmap="viridis", vmin=vmin, vmax=vmax, edgecolors="k", s=40, zorder=3)
    fig.colorbar(im if im is not None else sc, ax=ax, label="drop below the terminals (mV)")
    ax.set_xlabel("x (mm)")
    ax.set_ylabel("y (mm)")
    ax.set_aspect("equal")
    ax.set_title(f"IR drop, net {result.net}, {result.current_a:g} A: max {result.max_drop_v * 1e3:.3g} mV")
    atomic_write_bytes(
        Path(out),
        figure_bytes(fig, Path(out).suffix, {"Software": None} if Path(out).suffix.lower() == ".png" else None),
    )
