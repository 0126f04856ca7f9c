"""Matplotlib figures as deterministic bytes: the same figure gives the same file.

Matplotlib stamps an SVG with the date and with random element ids (clip paths,
hatches, glyphs), and a PNG with the library version; `figure_bytes` removes the
stamps and fixes the id salt, so a figure committed to the repository changes only
when its content does.
"""

from __future__ import annotations

import io
from typing import Any

SVG_HASH_SALT = "semipack"


def pyplot() -> Any:
    """``matplotlib.pyplot`` on the Agg backend with a fixed SVG id salt."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.hashsalt"] = SVG_HASH_SALT
    import matplotlib.pyplot as plt

    return plt


def figure_bytes(fig: Any, fmt: str, **kwargs: Any) -> bytes:
    """``fig`` saved as ``fmt`` (png, svg, pdf) without dates, versions or random ids; closes it."""
    plt = pyplot()
    fmt = fmt.lower().lstrip(".")
    metadata: dict[str, Any] = {"svg": {"Date": None, "Creator": None}, "png": {"Software": None}}.get(
        fmt, {"CreationDate": None, "Creator": None, "Producer": None} if fmt == "pdf" else {}
    )
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, metadata=metadata, **kwargs)
    plt.close(fig)
    return buf.getvalue()
