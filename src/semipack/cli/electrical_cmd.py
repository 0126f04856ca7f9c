"""``semipack nets | parasitics | irdrop | drc | spice``: the electrical commands (thin wrappers)."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from semipack.design import load_design
from semipack.draw.output import atomic_write_bytes
from semipack.electrical import analyse, check_rules, load_rules, passive_values, pin_map, solve_irdrop, spice_netlist
from semipack.electrical.conductors import Settings
from semipack.errors import DesignError
from semipack.model import Package
from semipack.units import Dimension, parse_quantity

TEMPERATURE = typer.Option(
    None,
    "--temperature",
    help="conductor temperature, e.g. 85C, or 'thermal' to take each body's from a steady thermal solve",
)


def _settings(temperature: str | None, pkg: Package) -> Settings:
    """A fixed temperature, or ``--temperature thermal``: each body at its temperature from a
    steady thermal solve (still air on a 2s2p board at the design's power)."""
    if temperature is None:
        return Settings()
    if temperature.strip().lower() == "thermal":
        from semipack.electrical.conductors import temperatures_from
        from semipack.thermal.steady import solve_thermal

        res = solve_thermal(pkg)
        g = res.grid
        return Settings(body_temperature_k=temperatures_from(pkg, res.temperature_k, g.x, g.y, g.z))
    return Settings(temperature_k=parse_quantity(temperature, Dimension.TEMPERATURE, "--temperature"))


def nets(
    file: Path = typer.Argument(..., help="design file (YAML)"),
    csv_out: Path | None = typer.Option(
        None, "--csv", help="write the pin map (terminal, x, y, net, kind, pads) as CSV"
    ),
    temperature: str | None = TEMPERATURE,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    pkg = load_design(file)
    conn = analyse(pkg, _settings(temperature, pkg))
    if csv_out is not None:
        rows = pin_map(pkg, conn)
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=["terminal", "x_m", "y_m", "net", "kind", "pads"])
        w.writeheader()
        w.writerows(rows)
        atomic_write_bytes(csv_out, buf.getvalue().encode("utf-8"))
    if as_json:
        print(
            json.dumps(
                {
                    "nets": [
                        {
                            "net": n.name,
                            "kind": n.kind,
                            "pads": n.pads,
                            "terminals": n.terminals,
                            "r_min_ohm": _f(n.r_min_ohm),
                            "r_max_ohm": _f(n.r_max_ohm),
                            "open_pads": list(n.open_pads),
                        }
                        for n in conn.nets
                    ],
                    "opens": list(conn.opens),
                    "shorts": list(conn.shorts),
                },
                indent=2,
            )
        )
        return
    t = Table(title=f"nets of {pkg.name}")
    for col in ("net", "kind", "pads", "terminals", "R min (mohm)", "R max (mohm)", "open"):
        t.add_column(col)
    for n in conn.nets:
        t.add_row(
            n.name,
            n.kind,
            str(n.pads),
            str(n.terminals),
            f"{n.r_min_ohm * 1e3:.1f}",
            f"{n.r_max_ohm * 1e3:.1f}",
            ", ".join(n.open_pads),
        )
    Console().print(t)
    Console().print(
        f"{len(conn.nets)} nets, {len(conn.opens)} open pads, {len(conn.shorts)} shorts"
        + (f"; pin map in {csv_out}" if csv_out else "")
    )


def _f(v: float) -> float | None:
    return None if math.isnan(v) else v


def parasitics(
    file: Path = typer.Argument(..., help="design file (YAML)"),
    temperature: str | None = TEMPERATURE,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    pkg = load_design(file)
    conn = analyse(pkg, _settings(temperature, pkg))
    ok = [p for p in conn.paths if not p.open]
    pv = passive_values(pkg)
    data = {
        "paths": [
            {
                "net": p.net,
                "pad": p.pad,
                "terminal": p.terminal,
                "resistance_ohm": _f(p.resistance_ohm),
                "inductance_h": _f(p.inductance_h),
            }
            for p in conn.paths
        ],
        "resistance_max_ohm": max((p.resistance_ohm for p in ok), default=None),
        "inductance_max_h": max((p.inductance_h for p in ok), default=None),
        "passives": [
            {"body": v.body, "kind": v.kind, "value": v.value, "unit": v.unit, "method": v.method, "detail": v.detail}
            for v in pv
        ],
    }
    if as_json:
        print(json.dumps(data, indent=2))
        return
    t = Table(title=f"pad-to-terminal parasitics of {pkg.name}")
    for col in ("net", "pad", "terminal", "R (mohm)", "L (nH)"):
        t.add_column(col)
    for p in conn.paths[:60]:
        t.add_row(p.net, p.pad, p.terminal or "OPEN", f"{p.resistance_ohm * 1e3:.1f}", f"{p.inductance_h * 1e9:.3f}")
    c = Console()
    c.print(t)
    if len(conn.paths) > 60:
        c.print(f"... {len(conn.paths) - 60} more (use --json)")
    for v in pv:
        c.print(f"{v.body}: {v.kind} {v.value:.4g} {v.unit} ({v.method}; {v.detail})")


def irdrop(
    file: Path = typer.Argument(..., help="design file (YAML)"),
    current: str = typer.Option(..., "--current", help="total current of the net, e.g. 1A"),
    net: str | None = typer.Option(None, "--net", help="net name (default: the first power net)"),
    map_out: Path | None = typer.Option(None, "--map", help="write the drop map (.png or .svg)"),
    temperature: str | None = TEMPERATURE,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    if map_out is not None and map_out.suffix.lower() not in (".png", ".svg"):
        raise DesignError("--map", str(map_out), "the map must end in .png or .svg")
    i = parse_quantity(current, Dimension.CURRENT, "--current")
    pkg = load_design(file)
    r = solve_irdrop(pkg, i, net, _settings(temperature, pkg))
    if map_out is not None:
        from semipack.draw.irdrop_map import save_irdrop_map

        save_irdrop_map(r, map_out)
    if as_json:
        print(
            json.dumps(
                {
                    "net": r.net,
                    "current_a": r.current_a,
                    "ir_drop_max_v": r.max_drop_v,
                    "worst_pad": r.worst_pad,
                    "pad_drop_v": r.pad_drop_v,
                    "terminal_current_a": r.terminal_current_a,
                },
                indent=2,
            )
        )
        return
    Console().print(
        f"net {r.net}, {r.current_a:g} A over {len(r.pad_drop_v)} pads: max drop {r.max_drop_v * 1e3:.3g} mV at {r.worst_pad}"
        + (f"; map in {map_out}" if map_out else "")
    )


def drc(
    file: Path = typer.Argument(..., help="design file (YAML)"),
    rules: Path | None = typer.Option(None, "--rules", help="rules file (YAML)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    rl = load_rules(rules) if rules is not None else None
    pkg = load_design(file)
    rep = check_rules(pkg, rl)
    if as_json:
        print(
            json.dumps(
                {
                    "violations": [
                        {
                            "rule": v.rule,
                            "bodies": list(v.bodies),
                            "value_m": v.value,
                            "limit_m": v.limit,
                            "at_m": list(v.at_m),
                        }
                        for v in rep.violations
                    ],
                    "checked": rep.checked,
                    "claim_002_4": None if rep.claim4 is None else {"met": rep.claim4[0], "evidence": rep.claim4[1]},
                },
                indent=2,
            )
        )
        return
    c = Console()
    c.print(f"checked: {rep.checked}")
    for v in rep.violations[:100]:
        c.print(v.text())
    c.print(f"{len(rep.violations)} violations")
    if rep.claim4 is not None:
        c.print(
            f"002 claim 4 (external traces wider, longer, thicker): {'yes' if rep.claim4[0] else 'no'}: {rep.claim4[1]}"
        )


def spice(
    file: Path = typer.Argument(..., help="design file (YAML)"),
    out: Path = typer.Option(..., "-o", "--out", help="output .cir file"),
) -> None:
    pkg = load_design(file)
    text = spice_netlist(pkg, analyse(pkg))
    atomic_write_bytes(out, text.encode("utf-8"))
    Console(stderr=True).print(f"wrote {out} ({text.count('.subckt')} subcircuits)")
