"""``semipack extract``: the package's coupled R, L, C per pin as an IBIS .pkg, a Touchstone file or SPICE (thin wrapper)."""

from __future__ import annotations

import json
import re
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from semipack.design import load_design
from semipack.draw.output import atomic_write_bytes
from semipack.errors import DesignError
from semipack.units import Dimension, parse_quantity

MAX_TOUCHSTONE_PORTS = 64


class OutFormat(Enum):
    IBIS = "ibis"
    TOUCHSTONE = "touchstone"
    SPICE = "spice"


class Matrix(Enum):
    FULL = "full"
    BANDED = "banded"


def _frequencies(text: str | None, fmin: str, fmax: str, points: int) -> np.ndarray:
    from semipack.electrical.rlgc import check_frequencies

    if text:
        vals = [parse_quantity(t.strip(), Dimension.FREQUENCY, "--frequencies") for t in text.split(",") if t.strip()]
        return check_frequencies(np.array(vals))
    lo = parse_quantity(fmin, Dimension.FREQUENCY, "--fmin")
    hi = parse_quantity(fmax, Dimension.FREQUENCY, "--fmax")
    if points < 2:
        raise DesignError("--points", points, "2 or more")
    check_frequencies(np.array([lo, hi]))
    return np.geomspace(lo, hi, points)


def _check_out(fmt: OutFormat | None, out: Path | None) -> None:
    if fmt is None:
        return
    if out is None:
        raise DesignError("--out", None, f"a file to write the {fmt.value} output to")
    suffix = out.suffix.lower()
    if fmt is OutFormat.IBIS and suffix != ".pkg":
        raise DesignError("--out", str(out), "an IBIS package model ends in .pkg")
    if fmt is OutFormat.TOUCHSTONE and not re.fullmatch(r"\.s\d+p", suffix):
        raise DesignError("--out", str(out), "a Touchstone file ends in .sNp (N the number of ports, 2 per signal pin)")
    if fmt is OutFormat.SPICE and suffix not in (".cir", ".sp", ".spice", ".lib"):
        raise DesignError("--out", str(out), "a SPICE netlist ends in .cir, .sp, .spice or .lib")


def extract(
    file: Path = typer.Argument(..., help="design file (YAML)"),
    nets: str | None = typer.Option(None, "--nets", help="comma-separated net names (default: every net)"),
    reference: str | None = typer.Option(
        None, "--reference", help="return net for loop values (default: the ground net)"
    ),
    fmt: OutFormat | None = typer.Option(None, "--format", help="output: ibis (.pkg), touchstone (.sNp) or spice"),
    out: Path | None = typer.Option(None, "-o", "--out", help="output file"),
    frequencies: str | None = typer.Option(None, "--frequencies", help="increasing list, e.g. '100MHz,1GHz,5GHz'"),
    fmin: str = typer.Option("10 MHz", "--fmin", help="sweep start (log spacing) when no --frequencies"),
    fmax: str = typer.Option("10 GHz", "--fmax", help="sweep stop"),
    points: int = typer.Option(41, "--points", help="sweep points"),
    matrix: Matrix = typer.Option(Matrix.FULL, "--matrix", help="IBIS matrix form: full or banded"),
    bandwidth: int = typer.Option(4, "--bandwidth", help="IBIS banded matrix: terms each side of the diagonal"),
    element: str = typer.Option("1 mm", "--element", help="largest charge element of the capacitance solve"),
    plane_depth: str = typer.Option(
        "0.1 mm", "--plane-depth", help="depth of the board's ground plane below the terminals"
    ),
    pin_table: Path | None = typer.Option(None, "--pin-table", help="also write the IBIS [Pin] R/L/C table here"),
    plot: Path | None = typer.Option(None, "--plot", help="insertion/return loss of the chosen pins (.png or .svg)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    from semipack.electrical.rlgc import extract as run_extract

    _check_out(fmt, out)
    if plot is not None and plot.suffix.lower() not in (".png", ".svg"):
        raise DesignError("--plot", str(plot), "the plot must end in .png or .svg")
    needs_f = fmt is OutFormat.TOUCHSTONE or plot is not None
    freqs = _frequencies(frequencies, fmin, fmax, points) if needs_f or frequencies else None
    size = parse_quantity(element, Dimension.LENGTH, "--element")
    if size <= 0:
        raise DesignError("--element", element, "a positive length")
    depth = parse_quantity(plane_depth, Dimension.LENGTH, "--plane-depth")
    names = [n.strip() for n in nets.split(",") if n.strip()] if nets else None
    pkg = load_design(file)
    ext = run_extract(pkg, names, reference, element_m=size, plane_depth_m=depth)
    _write(ext, fmt, out, freqs, matrix, bandwidth, pin_table, plot, pkg)
    _report(ext, as_json, out)


def _write(ext, fmt, out, freqs, matrix, bandwidth, pin_table, plot, pkg) -> None:  # type: ignore[no-untyped-def]
    from semipack.electrical import rlgc
    from semipack.electrical.spice import coupled_spice
    from semipack.export import ibis_pkg, touchstone
    from semipack.model.roles import NetKind

    if pin_table is not None:
        kinds = {n.name: n.kind for n in pkg.nets}
        models = {
            net: ("GND" if kinds[net] is NetKind.GROUND else "POWER")
            for net in ext.nets
            if kinds.get(net) in (NetKind.GROUND, NetKind.POWER)
        }
        atomic_write_bytes(pin_table, ibis_pkg.pin_table(ext, models).encode("utf-8"))
    sig = ext.signal_rows
    s = None
    if fmt is OutFormat.TOUCHSTONE or plot is not None:
        if not sig:
            raise DesignError("--nets", ",".join(dict.fromkeys(ext.nets)), "at least one net besides the reference")
        if 2 * len(sig) > MAX_TOUCHSTONE_PORTS:
            raise DesignError(
                "--nets", f"{len(sig)} signal pins", f"at most {MAX_TOUCHSTONE_PORTS // 2} pins for S-parameters"
            )
        s = rlgc.s_parameters(ext, freqs)
    if fmt is OutFormat.IBIS:
        form = ibis_pkg.MatrixForm(matrix.value)
        text = ibis_pkg.package_model(ext, out.name, form, bandwidth)
        atomic_write_bytes(out, text.encode("utf-8"))
    elif fmt is OutFormat.TOUCHSTONE:
        n_ports = 2 * len(sig)
        if out.suffix.lower() != f".s{n_ports}p":
            raise DesignError("--out", str(out), f"this extraction has {n_ports} ports: name the file .s{n_ports}p")
        ports = [f"{ext.pins[i]} ({ext.nets[i]}) die pad" for i in sig] + [
            f"{ext.pins[i]} ({ext.nets[i]}) terminal" for i in sig
        ]
        title = f"semipack extract: {ext.package}, return net {ext.reference or 'none (partial)'}"
        assert s is not None
        atomic_write_bytes(out, touchstone.touchstone_text(freqs, s, ports, 50.0, title).encode("ascii"))
    elif fmt is OutFormat.SPICE:
        atomic_write_bytes(out, coupled_spice(ext).encode("utf-8"))
    if plot is not None:
        from semipack.draw.sparam_plot import save_loss_plot

        assert s is not None
        save_loss_plot(freqs, s, [ext.pins[i] for i in sig], f"{ext.package}: pad to terminal", plot)


def _report(ext, as_json: bool, out: Path | None) -> None:  # type: ignore[no-untyped-def]
    from semipack.electrical.rlgc import loop_inductance, worst_neighbours

    loop = loop_inductance(ext) if ext.reference else None
    loop_of = {i: float(loop[k, k]) for k, i in enumerate(ext.signal_rows)} if loop is not None else {}
    rows: list[dict[str, Any]] = [
        {
            "pin": ext.pins[i],
            "net": ext.nets[i],
            "r_dc_ohm": float(ext.r_dc_ohm[i, i]),
            "l_partial_h": float(ext.l_h[i, i]),
            "l_loop_h": loop_of.get(i),
            "c_f": float(ext.c_f[i, i]),
        }
        for i in range(len(ext.pins))
    ]
    worst: list[dict[str, Any]] = [
        {"pins": [a, b], "k_l": k, "c_coupling_ratio": c} for a, b, k, c in worst_neighbours(ext)
    ]
    if as_json:
        print(
            json.dumps(
                {
                    "package": ext.package,
                    "reference": ext.reference,
                    "elements": ext.elements,
                    "segments": len(ext.layout.segs),
                    "pins": rows,
                    "worst_neighbours": worst,
                    "out": str(out) if out else None,
                },
                indent=2,
            )
        )
        return
    t = Table(title=f"{ext.package}: per-pin R, L, C (return net {ext.reference or 'none'})")
    for col in ("pin", "net", "R DC (mohm)", "L partial (nH)", "L loop (nH)", "C (pF)"):
        t.add_column(col)
    for r in rows[:40]:
        lo = r["l_loop_h"]
        t.add_row(
            str(r["pin"]),
            str(r["net"]),
            f"{r['r_dc_ohm'] * 1e3:.1f}",
            f"{r['l_partial_h'] * 1e9:.3f}",
            "-" if lo is None else f"{lo * 1e9:.3f}",
            f"{r['c_f'] * 1e12:.3f}",
        )
    c = Console()
    c.print(t)
    if len(rows) > 40:
        c.print(f"... {len(rows) - 40} more pins (use --json)")
    c.print("strongest couplings (k_L = M/sqrt(L1 L2); C coupling / C total):")
    for w in worst:
        c.print(f"  {w['pins'][0]} - {w['pins'][1]}: k_L {w['k_l']:.3f}, C {w['c_coupling_ratio']:.3f}")
    if out is not None:
        c.print(f"wrote {out}")
