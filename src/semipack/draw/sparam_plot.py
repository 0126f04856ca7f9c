"""Insertion and return loss of extracted package pins over frequency (PNG/SVG, matplotlib)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from semipack.draw.output import atomic_write_bytes


def save_loss_plot(
    freqs_hz: NDArray[np.float64], s: NDArray[np.complex128], pins: Sequence[str], title: str, out: Path
) -> None:
    """|S21| (pad to terminal) and |S11| (at the pad) in dB of each pin; ports as `rlgc.s_parameters` orders them."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(pins)
    fig, (a1, a2) = plt.subplots(2, 1, figsize=(6.4, 6.0), dpi=110, sharex=True)
    with np.errstate(divide="ignore"):
        for i, pin in enumerate(pins[:12]):
            a1.semilogx(freqs_hz, 20 * np.log10(np.abs(s[:, n + i, i])), label=pin)
            a2.semilogx(freqs_hz, 20 * np.log10(np.abs(s[:, i, i])), label=pin)
    a1.set_ylabel("insertion |S21| (dB)")
    a2.set_ylabel("return |S11| (dB)")
    a2.set_xlabel("frequency (Hz)")
    a1.set_title(title)
    a1.legend(fontsize=7, ncol=3)
    for a in (a1, a2):
        a.grid(True, which="both", alpha=0.3)
    buf = io.BytesIO()
    fmt = Path(out).suffix.lower().lstrip(".")
    fig.savefig(buf, format=fmt, metadata={"Software": None} if fmt == "png" else {"Date": None})
    plt.close(fig)
    atomic_write_bytes(Path(out), buf.getvalue())
