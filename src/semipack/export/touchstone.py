"""Touchstone (.sNp) export of the package's S-parameters, and the passivity and reciprocity checks.

Version 1.0 text, real/imaginary pairs, frequencies in Hz, one real reference
impedance. Ports 1..N are the signal pins' die-pad ends and N+1..2N their terminal
ends, in the order the comment block lists. A two-port writes S11 S21 S12 S22 (the
format's column order); larger networks write each row, four pairs a line.

References
----------
.. [Touchstone] IBIS Open Forum, Touchstone File Format Specification, version 1.1 (2002).
.. [Boyd] S. Boyd, L. O. Chua, "On the passivity criterion for LTI N-ports", Int. J.
   Circuit Theory Appl. 10(4), 323-333 (1982): a scattering matrix is passive when
   I - S^H S is positive semidefinite, i.e. its largest singular value is at most 1.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

CArray = NDArray[np.complex128]


def touchstone_text(freqs_hz: NDArray[np.float64], s: CArray, ports: Sequence[str], z0_ohm: float, title: str) -> str:
    """The text of a Touchstone 1.0 file of ``s`` (n_f, N, N) at ``freqs_hz``."""
    n = s.shape[1]
    lines = [f"! {title}", "! ports:"]
    lines += [f"!   {k + 1}: {p}" for k, p in enumerate(ports)]
    lines.append(f"# Hz S RI R {z0_ohm:g}")
    for f, m in zip(freqs_hz, s, strict=True):
        if n == 2:
            vals = [m[0, 0], m[1, 0], m[0, 1], m[1, 1]]
            lines.append(f"{f:.12e} " + " ".join(f"{v.real:.15e} {v.imag:.15e}" for v in vals))
            continue
        for i in range(n):
            row = m[i]
            for k in range(0, n, 4):
                chunk = " ".join(f"{v.real:.15e} {v.imag:.15e}" for v in row[k : k + 4])
                lead = f"{f:.12e} " if i == 0 and k == 0 else "  "
                lines.append(lead + chunk)
    return "\n".join(lines) + "\n"


def max_singular_value(s: CArray) -> float:
    """The largest singular value of S over all frequencies: at most 1 for a passive network [Boyd]."""
    return float(max(np.linalg.svd(m, compute_uv=False)[0] for m in s))


def reciprocity_error(s: CArray) -> float:
    """max |S - S^T| over all frequencies: 0 for a reciprocal network."""
    return float(np.max(np.abs(s - np.transpose(s, (0, 2, 1)))))
