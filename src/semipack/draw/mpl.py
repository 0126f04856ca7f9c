"""Matplotlib figures as deterministic bytes: the same figure gives the same file.

Matplotlib stamps an SVG (and a PDF) with the date and an SVG with random element ids
(clip paths, hatches, glyphs); `figure_bytes` removes the dates and fixes the id salt,
so a figure committed to the repository changes only when its content does.
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


# Per format, the metadata that would change from run to run. A PNG carries no date;
# its "Software" line names the pinned matplotlib version, so it is kept by default
# (the committed figures were written with it).
_UNSTABLE: dict[str, dict[str, Any]] = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}}


def figure_bytes(fig: Any, fmt: str, metadata: dict[str, Any] | None = None, **kwargs: Any) -> bytes:
    """``fig`` saved as ``fmt`` (png, svg, pdf) without dates or random ids; closes it."""
    plt = pyplot()
    fmt = fmt.lower().lstrip(".")
    metadata = {**_UNSTABLE.get(fmt, {}), **(metadata or {})}
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, metadata=metadata, **kwargs)
    plt.close(fig)
    return buf.getvalue()
