"""IBIS package model (.pkg): [Define Package Model] with R/L/C matrices, and the per-pin [Pin] R/L/C table.

The matrices are those of `semipack.electrical.rlgc.Extraction`: R the DC resistance
of each pin's path, L the partial inductance matrix of the paths, C the Maxwell matrix
(diagonal: the pin's total capacitance; off-diagonal: minus the coupling capacitance)
over the board's ground plane. ``Full_matrix`` writes the upper triangle row by row;
``Banded_matrix`` keeps the terms within ``bandwidth`` of the diagonal in the order of
[Pin Numbers]. The [Pin] table gives each pin's R_pin, L_pin and C_pin (the diagonal
terms) for a component's .ibs file.

References
----------
.. [IBIS] IBIS Open Forum, I/O Buffer Information Specification, version 5.1 (2012),
   sections "Package Modeling" ([Define Package Model], [Pin Numbers], [Model Data],
   [Resistance/Inductance/Capacitance Matrix], [Bandwidth], [Row]) and [Pin].
"""

from __future__ import annotations

import datetime as _dt
import re
import textwrap
from collections.abc import Iterable
from enum import Enum

import numpy as np
from numpy.typing import NDArray

from semipack.electrical.rlgc import Extraction
from semipack.errors import DesignError

_PER_LINE = 5  # values per line keep lines under 80 characters


class MatrixForm(Enum):
    FULL = "full"
    BANDED = "banded"


def _ibis_name(text: str, limit: int = 40) -> str:
    """IBIS names: no spaces, at most ``limit`` characters."""
    return re.sub(r"[^A-Za-z0-9_.+-]", "_", text)[:limit] or "pkg"


def _rows(m: NDArray[np.float64], start: int, stop: int) -> Iterable[str]:
    vals = [f"{v: .6e}" for v in m[start:stop]]
    for k in range(0, len(vals), _PER_LINE):
        yield " ".join(vals[k : k + _PER_LINE])


def _matrix(name: str, m: NDArray[np.float64], pins: tuple[str, ...], form: MatrixForm, bandwidth: int) -> list[str]:
    n = len(pins)
    if form is MatrixForm.FULL:
        out = [f"[{name} Matrix] Full_matrix"]
        for i in range(n):
            out.append(f"[Row] {pins[i]}")
            out.extend(_rows(m[i], i, n))
        return out
    out = [f"[{name} Matrix] Banded_matrix", f"[Bandwidth] {bandwidth}"]
    for i in range(n):
        out.append(f"[Row] {pins[i]}")
        out.extend(_rows(m[i], i, min(n, i + bandwidth + 1)))
    return out


def package_model(
    ext: Extraction,
    file_name: str,
    form: MatrixForm = MatrixForm.FULL,
    bandwidth: int = 4,
    date: str | None = None,
) -> str:
    """The text of an IBIS .pkg file holding one [Define Package Model] of every extracted pin."""
    if bandwidth < 0:
        raise DesignError("bandwidth", bandwidth, "a whole number of 0 or more")
    pins = tuple(_ibis_name(p, 40) for p in ext.pins)
    model = _ibis_name(ext.package, 40)
    when = date or _dt.date.today().isoformat()
    lines = [
        "|" + "-" * 78,
        f"| semipack package model of {ext.package}: {len(pins)} pins",
        "| R: DC resistance of each pin's path (die pad to terminal), ohm",
        "| L: partial inductance matrix of the paths (PEEC), H",
        "| C: Maxwell capacitance matrix over the board ground plane, F",
        "|    (diagonal total, off-diagonal minus the coupling)",
        "|" + "-" * 78,
        "[IBIS Ver] 5.1",
        f"[File Name] {file_name.lower()}",
        "[File Rev] 1.0",
        f"[Date] {when}",
        "[Source] semipack extract: PEEC inductance, 3D moment-method capacitance",
        "[Notes] Nets:",
        *textwrap.wrap(", ".join(dict.fromkeys(ext.nets)), 76, initial_indent="  ", subsequent_indent="  "),
        f"[Define Package Model] {model}",
        "[Manufacturer] semipack",
        "[OEM] semipack",
        f"[Description] {ext.package} package, extracted by semipack",
        f"[Number Of Pins] {len(pins)}",
        "[Pin Numbers]",
        *pins,
        "[Model Data]",
        *_matrix("Resistance", ext.r_dc_ohm, pins, form, bandwidth),
        *_matrix("Inductance", ext.l_h, pins, form, bandwidth),
        *_matrix("Capacitance", ext.c_f, pins, form, bandwidth),
        "[End Model Data]",
        "[End Package Model]",
        "[End]",
    ]
    return "\n".join(lines) + "\n"


def pin_table(ext: Extraction, models: dict[str, str] | None = None) -> str:
    """The [Pin] section of a component: pin, signal (net), model, R_pin, L_pin, C_pin.

    ``models`` maps a net to its buffer model name; power and ground nets take IBIS's
    reserved POWER and GND, other nets a placeholder ``NA`` to be replaced by the
    buffer model of the component.
    """
    models = models or {}
    lines = [
        "| semipack: per-pin package R, L, C (diagonal terms of the package model)",
        "[Pin]  signal_name          model_name           R_pin        L_pin        C_pin",
    ]
    for i, pin in enumerate(ext.pins):
        net = ext.nets[i]
        model = models.get(net, "NA")
        lines.append(
            f"{_ibis_name(pin, 5):<6} {_ibis_name(net, 20):<20} {_ibis_name(model, 20):<20} "
            f"{ext.r_dc_ohm[i, i]:.4e}   {ext.l_h[i, i]:.4e}   {ext.c_f[i, i]:.4e}"
        )
    return "\n".join(lines) + "\n"
