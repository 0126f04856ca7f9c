"""Temperature maps of a `ThermalResult` on a section, and the 3D field as .npz.

Maps use matplotlib (the ``draw`` extra, imported lazily); exterior air is blank.
The vertical scale is exaggerated for flat packages, as in the section drawings.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from semipack.draw.mpl import figure_bytes, pyplot
from semipack.draw.output import atomic_write_bytes
from semipack.errors import DesignError, SemipackError
from semipack.geometry import Axis, BBox
from semipack.thermal import ThermalResult


def save_field(result: ThermalResult, out: Path) -> None:
    """Write faces, temperatures (C) and the conducting mask as a compressed .npz, atomically."""
    if Path(out).suffix.lower() != ".npz":
        raise DesignError("out", str(out), "the 3D field is written as .npz")
    g = result.grid
    buf = io.BytesIO()
    np.savez_compressed(
        buf,
        x_m=np.asarray(g.x),
        y_m=np.asarray(g.y),
        z_m=np.asarray(g.z),
        temperature_c=result.temperature_k - 273.15,
        conducting=result.conducting,
    )
    atomic_write_bytes(Path(out), buf.getvalue())


def crop_window(result: ThermalResult, box: BBox, axis: Axis, margin_m: float) -> tuple[float, float, float, float]:
    """``box`` (the package as mounted) on the section plane plus ``margin_m`` on every side,
    clipped to the grid: (u_lo, u_hi, z_lo, z_hi) in m, u being x for a y-section, y for an x-section."""
    i = 0 if axis is Axis.Y else 1
    g = result.grid
    u = np.asarray(g.x if axis is Axis.Y else g.y)
    z = np.asarray(g.z)
    return (
        max(box.lo[i] - margin_m, float(u[0])),
        min(box.hi[i] + margin_m, float(u[-1])),
        max(box.lo[2] - margin_m, float(z[0])),
        min(box.hi[2] + margin_m, float(z[-1])),
    )


def save_map(
    result: ThermalResult,
    out: Path,
    axis: Axis = Axis.Y,
    at: float = 0.0,
    title: str = "",
    crop: tuple[BBox, float] | None = None,
) -> tuple[float, float, float, float]:
    """A colour map of the temperature on the plane ``axis = at``, as .png or .svg.

    With ``crop = (box, margin_m)`` the map shows only ``box`` (the package as mounted,
    `semipack.thermal.environment.face_down`) and that margin around it, at
    true scale (equal mm on both axes, no vertical exaggeration); without it, the whole
    grid with the vertical scale exaggerated for flat packages. Returns the axes' limits
    (u_lo, u_hi, z_lo, z_hi) in mm as drawn.
    """
    suffix = Path(out).suffix.lower()
    if suffix not in (".png", ".svg"):
        raise DesignError("out", str(out), "the map must end in .png or .svg")
    try:
        plt = pyplot()
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise SemipackError("temperature maps need matplotlib: pip install 'semipack[draw]'") from exc
    g = result.grid
    if axis is Axis.Y:
        k = g.index(1, at)
        t = result.temperature_k[:, k, :] - 273.15
        mask = result.conducting[:, k, :]
        u = np.asarray(g.x)
    else:
        k = g.index(0, at)
        t = result.temperature_k[k, :, :] - 273.15
        mask = result.conducting[k, :, :]
        u = np.asarray(g.y)
    z = np.asarray(g.z)
    if crop is not None:
        u0, u1, z0, z1 = crop_window(result, crop[0], axis, crop[1])
        # Keep the cells that overlap the window (faces u[j], u[j+1]); the limits cut them to it.
        ju = slice(max(int(np.searchsorted(u, u0, "right")) - 1, 0), int(np.searchsorted(u, u1, "left")) + 1)
        jz = slice(max(int(np.searchsorted(z, z0, "right")) - 1, 0), int(np.searchsorted(z, z1, "left")) + 1)
        t, mask = (
            t[ju.start : ju.stop - 1, jz.start : jz.stop - 1],
            mask[ju.start : ju.stop - 1, jz.start : jz.stop - 1],
        )
        u, z = u[ju], z[jz]
    shown = np.ma.masked_where(~mask, t)
    width, height = u[-1] - u[0], z[-1] - z[0]
    exaggeration = 1.0 if crop is not None else max(1.0, round(0.25 * width / height))
    size = (10, 4.5) if crop is None else (10, min(4.5, max(2.5, 10 * height / width + 1.2)))
    fig, ax = plt.subplots(figsize=size, dpi=100)
    mesh = ax.pcolormesh(u * 1e3, z * 1e3 * exaggeration, shown.T, cmap="inferno", shading="flat")
    fig.colorbar(mesh, ax=ax, label="temperature (C)")
    ax.set_xlabel(f"{'x' if axis is Axis.Y else 'y'} (mm)")
    if crop is not None:
        ax.set_xlim(u0 * 1e3, u1 * 1e3)
        ax.set_ylim(z0 * 1e3, z1 * 1e3)
        ax.set_aspect("equal")
        ax.set_ylabel("z (mm)")
    else:
        ax.set_ylabel(f"z (mm) x{exaggeration:g}")
    env = result.environment
    ax.set_title(
        title
        or f"{env.kind.value}, board {env.board.value}: Tj max {result.tj_max_k - 273.15:.1f} C, "
        f"section {axis.value} = {at * 1e3:.3g} mm"
    )
    limits = (*ax.get_xlim(), *ax.get_ylim())
    atomic_write_bytes(Path(out), figure_bytes(fig, suffix, bbox_inches="tight"))
    return (float(limits[0]), float(limits[1]), float(limits[2]), float(limits[3]))
