"""``semipack compact FILE --model 2r|delphi|influence|trace [--bcs 38|99|FILE] [--format ...] [-o OUT] [--plot FIG]``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from semipack.cli.thermal_cmd import _enum
from semipack.design import load_design
from semipack.draw.output import atomic_write_bytes
from semipack.errors import DesignError
from semipack.thermal import BoardKind, Environment, EnvKind
from semipack.units import Dimension, parse_quantity

MODELS = ("2r", "delphi", "influence", "trace")
FORMATS = {
    "2r": ("ecxml", "spice", "csv"),
    "delphi": ("ecxml", "spice", "csv"),
    "influence": ("csv", "json"),
    "trace": ("csv", "json"),
}


def _training(bcs: str) -> Any:
    from semipack.thermal.compact.bcs import load_bcs, standard_set

    if bcs.strip() in ("38", "99"):
        return standard_set(int(bcs))
    return load_bcs(Path(bcs))


def _network_text(net: Any, fmt: str) -> str:
    from semipack.thermal.compact.export_csv import csv_text
    from semipack.thermal.compact.export_ecxml import ecxml_text
    from semipack.thermal.compact.export_spice import spice_text

    return {"ecxml": ecxml_text, "spice": spice_text, "csv": csv_text}[fmt](net)


def _report_doc(gen: Any) -> dict[str, Any]:
    rep = gen.report
    return {
        "model": gen.network.model,
        "cells": gen.cells,
        "links_k_w": [[ln.a, ln.b, ln.r_k_w] for ln in gen.network.links],
        "training": rep.summary("training"),
        "held_out": rep.summary("held-out"),
        "rows": [
            {
                "name": r.name,
                "group": r.group,
                "tj_rise_detailed_k": r.tj_rise_detailed_k,
                "tj_rise_model_k": r.tj_rise_delphi_k,
                "model_error_pct": r.delphi_error_pct,
                "two_r_error_pct": r.two_r_error_pct,
            }
            for r in rep.rows
        ],
        "timings_s": gen.timings_s,
    }


def _print_report(doc: dict[str, Any], name: str) -> None:
    table = Table(title=f"{name}: {doc['model']} compact model, junction-rise error")
    for col in ("set", "conditions", "model worst %", "model RMS %", "2R worst %", "2R RMS %"):
        table.add_column(col)
    for key in ("training", "held_out"):
        s = doc[key]

        def f(v: object) -> str:
            return "-" if v is None else f"{v:.3g}"

        table.add_row(
            key,
            str(s["conditions"]),
            f(s["delphi_worst_pct"]),
            f(s["delphi_rms_pct"]),
            f(s["two_r_worst_pct"]),
            f(s["two_r_rms_pct"]),
        )
    Console().print(table)


def _environment(env: str, board: str, h: str, air_speed: str) -> Environment:
    kind = _enum(EnvKind, env, "--env")
    brd = _enum(BoardKind, board, "--board")
    assert isinstance(kind, EnvKind) and isinstance(brd, BoardKind)
    return Environment(
        kind,
        brd,
        air_speed_m_s=parse_quantity(air_speed, Dimension.VELOCITY, "--air-speed"),
        h_custom_w_m2k=parse_quantity(h, Dimension.HEAT_TRANSFER_COEFF, "--h"),
    )


def compact(
    file: Path = typer.Argument(..., help="design file (YAML)"),
    model: str = typer.Option("delphi", "--model", help="2r | delphi | influence | trace"),
    bcs: str = typer.Option("38", "--bcs", help="training set: 38 | 99 | a boundary-condition file (.yaml)"),
    fmt: str | None = typer.Option(
        None, "--format", help="2r/delphi: ecxml | spice | csv; influence/trace: csv | json"
    ),
    out: Path | None = typer.Option(None, "-o", "--out", help="output file"),
    resolution: float = typer.Option(0.5, "--resolution", help="detailed-model grid resolution"),
    power: str | None = typer.Option(None, "--power", help="total power, e.g. 2W (default: the design's)"),
    junction: str = typer.Option(
        "max", "--junction", help="die temperature: max (hottest cell) | mean (power-weighted)"
    ),
    held_out: bool = typer.Option(
        True, "--held-out/--no-held-out", help="also check the JEDEC still/forced-air set-ups"
    ),
    cauer_until: str | None = typer.Option(
        None, "--cauer-until", help="add the Cauer ladder of Zth (top cold plate) up to this time"
    ),
    env: str = typer.Option("custom", "--env", help="influence/trace: environment, as for `semipack thermal`"),
    board: str = typer.Option("none", "--board", help="influence/trace: none | 1s | 2s2p"),
    h: str = typer.Option("10 W/m^2/K", "--h", help="influence/trace: custom film coefficient"),
    air_speed: str = typer.Option("1 m/s", "--air-speed", help="influence/trace: forced-air speed"),
    trace: Path | None = typer.Option(
        None, "--trace", help="trace: HotSpot-style power trace (header of die names, rows of W)"
    ),
    interval: str = typer.Option("1 ms", "--interval", help="trace: duration of each row"),
    until: str | None = typer.Option(
        None, "--until", help="influence: also the transient matrix (per-pair Foster) up to this time"
    ),
    plot: Path | None = typer.Option(None, "--plot", help="figure (.png or .svg)"),
    as_json: bool = typer.Option(False, "--json", help="print the report as JSON"),
) -> None:
    if model not in MODELS:
        raise DesignError("--model", model, "allowed: " + ", ".join(MODELS))
    fmt = fmt or FORMATS[model][0]
    if fmt not in FORMATS[model]:
        raise DesignError("--format", fmt, f"for --model {model}: " + ", ".join(FORMATS[model]))
    if not 0 < resolution <= 16:
        raise DesignError("--resolution", resolution, "must be in (0, 16]")
    if plot is not None:
        from semipack.draw.compact_plots import check_plot_path

        check_plot_path(plot)
    if model == "trace" and trace is None:
        raise DesignError("--trace", None, "--model trace needs a power-trace file")
    pkg = load_design(file)
    p = parse_quantity(power, Dimension.POWER, "--power") if power is not None else None
    if p is not None and not p > 0:
        raise DesignError("--power", power, "must be positive")
    if model in ("2r", "delphi"):
        _network_command(pkg, model, bcs, fmt, out, resolution, p, junction, held_out, cauer_until, plot, as_json)
    elif model == "influence":
        _influence_command(pkg, fmt, out, resolution, p, _environment(env, board, h, air_speed), until, plot, as_json)
    else:
        assert trace is not None
        _trace_command(
            pkg, fmt, out, resolution, _environment(env, board, h, air_speed), trace, interval, plot, as_json
        )


def _network_command(
    pkg: Any,
    model: str,
    bcs: str,
    fmt: str,
    out: Path | None,
    resolution: float,
    p: float | None,
    junction: str,
    held_out: bool,
    cauer_until: str | None,
    plot: Path | None,
    as_json: bool,
) -> None:
    from semipack.thermal.compact.detailed import Junction
    from semipack.thermal.compact.generate import generate, with_cauer

    jn = _enum(Junction, junction, "--junction")
    assert isinstance(jn, Junction)
    t_cauer = parse_quantity(cauer_until, Dimension.TIME, "--cauer-until") if cauer_until is not None else None
    gen = generate(
        pkg, model, training=_training(bcs), resolution=resolution, power_w=p, junction=jn, held_out=held_out
    )
    net = gen.network
    if t_cauer is not None:
        from semipack.thermal.transient import simulate

        tr = simulate(
            pkg, Environment(EnvKind.COLD_PLATE_TOP, BoardKind.NONE), until_s=t_cauer, resolution=resolution, power_w=p
        )
        net = with_cauer(
            net, list(tr.cauer_r), list(tr.cauer_c), f"JESD51-14 top cold plate transient to {t_cauer:g} s"
        )
        if plot is not None:
            from semipack.draw.compact_plots import plot_zth

            plot_zth(
                tr.times_s,
                tr.zth_k_per_w,
                tr.cumulative_r,
                tr.cumulative_c,
                plot.with_name(plot.stem + "_zth" + plot.suffix),
                f"{pkg.name}: Zth, structure functions",
            )
    text = _network_text(net, fmt)
    if out is not None:
        atomic_write_bytes(out, text.encode())
    doc = _report_doc(gen)
    if plot is not None:
        from semipack.draw.compact_plots import plot_fit_errors

        plot_fit_errors(gen.report, plot, f"{pkg.name}: {net.model} vs detailed model")
    if as_json:
        sys.stdout.write(json.dumps(doc, indent=1) + "\n")
    elif out is None:
        sys.stdout.write(text)
    else:
        _print_report(doc, pkg.name)


def _influence_command(
    pkg: Any,
    fmt: str,
    out: Path | None,
    resolution: float,
    p: float | None,
    env: Environment,
    until: str | None,
    plot: Path | None,
    as_json: bool,
) -> None:
    from semipack.thermal.compact.influence import influence_matrix, transient_influence
    from semipack.thermal.steady import build_problem

    prob = build_problem(pkg, env, resolution=resolution, power_w=p)
    im = influence_matrix(prob)
    doc: dict[str, Any] = {"dies": list(im.dies), "psi_k_w": im.psi_k_w.tolist(), "ambient_c": im.ambient_k - 273.15}
    if until is not None:
        ti = transient_influence(prob, parse_quantity(until, Dimension.TIME, "--until"))
        doc["foster"] = [
            {"die": i, "heated": j, "r_k_w": r.tolist(), "tau_s": tau.tolist()}
            for (i, j), (r, tau) in ti.foster.items()
        ]
    if fmt == "csv":
        rows = ["die_i\\heated_j," + ",".join(f"{d}_k_w" for d in im.dies)]
        rows += [d + "," + ",".join(f"{v:.9g}" for v in im.psi_k_w[i]) for i, d in enumerate(im.dies)]
        text = "\n".join(rows) + "\n"
    else:
        text = json.dumps(doc, indent=1) + "\n"
    if out is not None:
        atomic_write_bytes(out, text.encode())
    if plot is not None:
        from semipack.draw.compact_plots import plot_influence

        plot_influence(im.dies, im.psi_k_w, plot, f"{pkg.name}: influence matrix")
    sys.stdout.write(json.dumps(doc, indent=1) + "\n" if as_json else (text if out is None else ""))


def _trace_command(
    pkg: Any,
    fmt: str,
    out: Path | None,
    resolution: float,
    env: Environment,
    trace: Path,
    interval: str,
    plot: Path | None,
    as_json: bool,
) -> None:
    from semipack.thermal.compact.ptrace import read_ptrace, simulate_trace
    from semipack.thermal.steady import build_problem

    pt = read_ptrace(trace, parse_quantity(interval, Dimension.TIME, "--interval"))
    prob = build_problem(pkg, env, resolution=resolution)
    res = simulate_trace(prob, pt)
    tc = res.tj_k - 273.15
    if fmt == "csv":
        rows = ["time_s," + ",".join(f"{d}_c" for d in res.dies)]
        rows += [f"{t:.9g}," + ",".join(f"{v:.6f}" for v in tc[n]) for n, t in enumerate(res.times_s)]
        text = "\n".join(rows) + "\n"
    else:
        text = (
            json.dumps(
                {"dies": list(res.dies), "times_s": res.times_s.tolist(), "tj_c": tc.tolist(), "steps": res.steps}
            )
            + "\n"
        )
    if out is not None:
        atomic_write_bytes(out, text.encode())
    if plot is not None:
        from semipack.draw.compact_plots import plot_trace

        plot_trace(res.times_s, tc, res.dies, res.edges_s, plot, f"{pkg.name}: power trace")
    peak = {d: float(np.max(tc[:, j])) for j, d in enumerate(res.dies)}
    if as_json or out is None:
        sys.stdout.write(text if not as_json else json.dumps({"steps": res.steps, "peak_c": peak}) + "\n")
    else:
        Console().print(f"{res.steps} steps; peak Tj (C): " + ", ".join(f"{d} {v:.2f}" for d, v in peak.items()))
