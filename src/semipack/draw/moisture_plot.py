"""Plot of a moisture result: concentration through the package centre after the soak and at the reflow peak."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from semipack.draw.output import atomic_write_bytes


def save_moisture_profile(res: Any, out: Path) -> None:
    """Concentration (kg/m^3) versus height (mm) through the package centre (a `MoistureResult`)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    z = [v * 1e3 for v in res.profile]
    fig, ax = plt.subplots(figsize=(6.0, 4.4), dpi=110)
    ax.plot(res.profile_concentration_kg_m3, z, "o-", ms=3, color="tab:blue", label=f"end of {res.soak.label}")
    ax.plot(res.profile_peak_kg_m3, z, "s-", ms=3, color="tab:red", label=f"reflow peak {res.peak_k - 273.15:.0f} C")
    ax.set_xlabel("moisture concentration (kg/m^3); gaps: metal, silicon, air")
    ax.set_ylabel("height through the package centre (mm)")
    ax.set_title(f"{res.package}: moisture through the centre")
    ax.legend(fontsize=8)
    buf = io.BytesIO()
    fmt = Path(out).suffix.lower().lstrip(".")
    fig.savefig(buf, format=fmt, metadata={"Software": None} if fmt == "png" else {"Date": None})
    plt.close(fig)
    atomic_write_bytes(Path(out), buf.getvalue())
