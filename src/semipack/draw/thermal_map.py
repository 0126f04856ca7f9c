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
from semipack.geometry import Axis
from semipack.thermal import ThermalResult


def save_field(result: ThermalResult, out: Path) -> None:
    """Write faces, temperatures (C) and the conducting mask as a compressed .npz, atomically."""
    if Path(out).suffix.lower() != ".npz":
        raise DesignError("--field", str(out), "the 3D field is written as .npz")
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


def save_map(result: ThermalResult, out: Path, axis: Axis = Axis.Y, at: float = 0.0, title: str = "") -> None:
    """A colour map of the temperature on the plane ``axis = at``, as .png or .svg."""
    suffix = Path(out).suffix.lower()
    if suffix not in (".png", ".svg"):
        raise DesignError("--map", str(out), "the map must end in .png or .svg")
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
    shown = np.ma.masked_where(~mask, t)
    width, height = u[-1] - u[0], z[-1] - z[0]
    exaggeration = max(1.0, round(0.25 * width / height))
    fig, ax = plt.subplots(figsize=(10, 4.5), dpi=100)
    mesh = ax.pcolormesh(u * 1e3, z * 1e3 * exaggeration, shown.T, cmap="inferno", shading="flat")
    fig.colorbar(mesh, ax=ax, label="temperature (C)")
    ax.set_xlabel(f"{'x' if axis is Axis.Y else 'y'} (mm)")
    ax.set_ylabel(f"z (mm) x{exaggeration:g}")
    env = result.environment
    ax.set_title(
        title
        or f"{env.kind.value}, board {env.board.value}: Tj max {result.tj_max_k - 273.15:.1f} C, "
        f"section {axis.value} = {at * 1e3:.3g} mm"
    )
    atomic_write_bytes(Path(out), figure_bytes(fig, suffix, bbox_inches="tight"))
