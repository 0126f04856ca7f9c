"""``semipack warpage | stress | bend | fatigue``: the thermo-mechanical commands (thin wrappers)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from semipack.design import load_design
from semipack.errors import DesignError
from semipack.units import Dimension, parse_quantity

if TYPE_CHECKING:
    from semipack.mechanics.fatigue_run import FatigueRun
    from semipack.mechanics.profiles import Cycle
    from semipack.mechanics.warpage import PadVariant, StressSummary
    from semipack.mechanics.warpage_run import WarpageRun

RESOLUTION = typer.Option(
    0.5, "--resolution", min=0.1, max=2.0, help="mesh resolution (0.5 default; 1 is about 3x the cells)"
)
STRESS_FREE = typer.Option("175C", "--stress-free", help="stress-free temperature (the mould cure)")


def _profile(spec: str) -> tuple[float, ...]:
    from semipack.mechanics.profiles import reflow_profile_k

    if spec == "reflow":
        return reflow_profile_k()
    path = Path(spec)
    if not path.exists():
        raise DesignError("--profile", spec, "'reflow' or a YAML file with 'temperatures: [25 C, 150 C, ...]'")
    from semipack.design.loader import read_yaml

    data = read_yaml(path)
    temps = data.get("temperatures") if isinstance(data, dict) else None
    if not isinstance(temps, list) or not temps or len(temps) > 100:
        raise DesignError(f"{path.name}.temperatures", temps, "a list of 1 to 100 temperatures with units")
    return tuple(parse_quantity(str(t), Dimension.TEMPERATURE, f"{path.name}.temperatures") for t in temps)


def warpage(
    file: Path = typer.Argument(..., help="design file (YAML)"),
    profile: str = typer.Option(
        "reflow", "--profile", help="'reflow' (J-STD-020, peak 260 C) or a YAML file of temperatures"
    ),
    method: str = typer.Option(
        "fe", "--method", help="fe (3D finite elements, default) or clt (laminated-plate estimate)"
    ),
    resolution: float = RESOLUTION,
    stress_free: str = STRESS_FREE,
    map_out: Path | None = typer.Option(
        None, "--map", help="shadow-moire-like contour of the ball-side face at the last temperature (.png/.svg)"
    ),
    plot: Path | None = typer.Option(None, "--plot", help="warpage versus temperature (.png/.svg)"),
    cure_shrinkage: float = typer.Option(
        0.0, "--cure-shrinkage", min=0.0, max=0.02, help="extra mould cure shrinkage on top of the material's, FE only"
    ),
    moisture_level: str | None = typer.Option(
        None, "--moisture-level", help="add the hygroscopic swelling after this J-STD-020 soak (1, 2, 2a, 3, 4, 5, 5a)"
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    from semipack.mechanics.warpage import WarpageMethod
    from semipack.mechanics.warpage_run import warpage_run

    how = WarpageMethod.parse(method, "--method")
    for opt, target in (("--map", map_out), ("--plot", plot)):
        if target is not None and target.suffix.lower() not in (".png", ".svg"):
            raise DesignError(opt, str(target), "must end in .png or .svg")
    if map_out is not None and how is not WarpageMethod.FE:
        raise DesignError("--map", str(map_out), "the contour map needs --method fe")
    if cure_shrinkage and how is not WarpageMethod.FE:
        raise DesignError("--cure-shrinkage", cure_shrinkage, "cure shrinkage needs --method fe")
    temps = _profile(profile)
    t_ref = parse_quantity(stress_free, Dimension.TEMPERATURE, "--stress-free")
    level = None
    if moisture_level is not None:
        from semipack.moisture import Level

        level = Level.parse(moisture_level, "--moisture-level")
    pkg = load_design(file)
    run = warpage_run(pkg, temps, t_ref, how, resolution, cure_shrinkage, level)
    if plot is not None or map_out is not None:
        from semipack.draw.mechanics_plots import save_moire, save_warpage_curve

        if plot is not None:
            save_warpage_curve(run.points, plot, pkg.name, run.checks)
        if map_out is not None:
            save_moire(run.fe[round(temps[-1], 6)], map_out)
    if as_json:
        print(json.dumps(run.to_dict(), indent=2))
    else:
        _print_warpage(run, pkg.name)


def _print_warpage(run: WarpageRun, name: str) -> None:
    from semipack.mechanics.warpage_sign import SIGN_NOTE

    t = Table(
        title=f"warpage of {name} ({run.method.value}, stress-free at {run.stress_free_k - 273.15:.0f} C; {SIGN_NOTE})"
    )
    for col in ("T (C)", "warpage (um)", "coplanarity (um)"):
        t.add_column(col)
    for pt in run.points:
        t.add_row(f"{pt.temperature_k - 273.15:.0f}", f"{pt.warpage_m * 1e6:+.1f}", f"{pt.coplanarity_m * 1e6:.1f}")
    c = Console()
    c.print(t)
    for chk in run.checks:
        lim = chk.limit
        c.print(
            f"{lim.standard}: {-lim.concave_m * 1e6:+.0f} .. {lim.convex_m * 1e6:+.0f} um: "
            f"{'pass' if chk.passes else 'FAIL'} (worst {chk.worst_warpage_m * 1e6:+.1f} um at {chk.worst_temperature_k - 273.15:.0f} C)"
        )
    if not run.checks:
        c.print("no tabulated JEDEC/JEITA limit for this pitch and body size (see docs/warpage.md)")


def stress(
    file: Path = typer.Argument(..., help="design file (YAML)"),
    temperature: str = typer.Option("-40C", "--temperature", help="temperature to evaluate at"),
    resolution: float = RESOLUTION,
    stress_free: str = STRESS_FREE,
    buffer_study: bool = typer.Option(
        False, "--buffer-pad-study", help="003 claim 12: design pad vs copper pad vs no pad"
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    from semipack.mechanics.fe import mesh_package
    from semipack.mechanics.history import fe_history
    from semipack.mechanics.warpage import buffer_pad_study, stress_summary

    t = parse_quantity(temperature, Dimension.TEMPERATURE, "--temperature")
    t_ref = parse_quantity(stress_free, Dimension.TEMPERATURE, "--stress-free")
    pkg = load_design(file)
    res = fe_history(mesh_package(pkg, resolution), t_ref, t)
    s = stress_summary(res)
    study = buffer_pad_study(pkg, t, t_ref, resolution, design=res) if buffer_study else ()
    if as_json:
        print(
            json.dumps(
                {
                    "temperature_k": t,
                    "die_von_mises_max_pa": s.die_von_mises_max_pa,
                    "die_principal_max_pa": s.die_principal_max_pa,
                    "interfaces": [
                        {
                            "lower": i.lower,
                            "upper": i.upper,
                            "shear_max_pa": i.shear_max_pa,
                            "peel_max_pa": i.peel_max_pa,
                        }
                        for i in s.interfaces
                    ],
                    "buffer_pad_study": [
                        {
                            "variant": v.label,
                            "pad_cte_per_k": v.pad_cte_per_k,
                            "die_von_mises_max_pa": v.die_von_mises_max_pa,
                            "die_principal_max_pa": v.die_principal_max_pa,
                            "warpage_um": v.warpage_m * 1e6,
                        }
                        for v in study
                    ],
                },
                indent=2,
            )
        )
        return
    _print_stress(pkg.name, t, t_ref, s, study)


def _print_stress(name: str, t: float, t_ref: float, s: StressSummary, study: tuple[PadVariant, ...]) -> None:
    c = Console()
    c.print(
        f"{name} at {t - 273.15:.0f} C (stress-free {t_ref - 273.15:.0f} C): die von Mises max {s.die_von_mises_max_pa / 1e6:.1f} MPa, max principal {s.die_principal_max_pa / 1e6:.1f} MPa"
    )
    for i in s.interfaces:
        c.print(f"  {i.lower}/{i.upper}: shear {i.shear_max_pa / 1e6:.2f} MPa, peel {i.peel_max_pa / 1e6:.2f} MPa")
    for v in study:
        c.print(
            f"  {v.label}: die von Mises {v.die_von_mises_max_pa / 1e6:.1f} MPa, warpage {v.warpage_m * 1e6:+.1f} um"
        )


def bend(
    file: Path = typer.Argument(..., help="design file (YAML)"), as_json: bool = typer.Option(False, "--json")
) -> None:
    from semipack.mechanics.flex_bend import bend_checks

    pkg = load_design(file)
    checks = bend_checks(pkg)
    if not checks:
        raise DesignError("design", pkg.name, "the package has no bent flex")
    if as_json:
        print(
            json.dumps(
                {
                    "bends": [
                        {
                            "bend": b.bend,
                            "inner_radius_m": b.inner_radius_m,
                            "bend_strain_max": b.copper_strain_max,
                            "allowable_strain": b.allowable_strain,
                            "min_radius_m": b.min_radius_m,
                            "pass": b.passes,
                        }
                        for b in checks
                    ],
                    "bend_strain_max": max(b.copper_strain_max for b in checks),
                },
                indent=2,
            )
        )
        return
    for b in checks:
        Console().print(
            f"{b.bend}: inner radius {b.inner_radius_m * 1e3:.3f} mm (min {b.min_radius_m * 1e3:.3f}), copper strain {b.copper_strain_max * 100:.2f} % vs allowable {b.allowable_strain * 100:.0f} %: {'pass' if b.passes else 'FAIL'}"
        )


def _dwell(spec: str, field: str) -> float:
    dwell_s = parse_quantity(spec, Dimension.TIME, field)
    if not 0 < dwell_s <= 86400:
        raise DesignError(field, spec, "must lie in (0 s, 24 h]")
    return dwell_s


def _cycle(spec: str, dwell_s: float, per_day: float, field: str) -> Cycle:
    """A JESD22-A104 condition letter or MIN:MAX, with its dwell and rate."""
    from dataclasses import replace

    from semipack.mechanics.profiles import Cycle, CycleCondition, condition

    if ":" in spec:
        lo, hi = spec.split(":", 1)
        cyc = Cycle(
            parse_quantity(lo, Dimension.TEMPERATURE, field),
            parse_quantity(hi, Dimension.TEMPERATURE, field),
            per_day,
            spec,
            dwell_s,
        )
        if cyc.t_max_k <= cyc.t_min_k:
            raise DesignError(field, spec, "the maximum must be above the minimum")
        return cyc
    try:
        base = condition(CycleCondition(spec.upper()))
    except ValueError:
        allowed = ", ".join(c.value for c in CycleCondition)
        raise DesignError(field, spec, f"allowed: {allowed}, or MIN:MAX") from None
    return replace(base, cycles_per_day=per_day, dwell_s=dwell_s)


def fatigue(
    file: Path = typer.Argument(..., help="design file (YAML)"),
    cycle: str | None = typer.Option(
        None, "--cycle", help="JESD22-A104 condition (A, B, C, G, J, K, N; G by default) or MIN:MAX, e.g. -40C:125C"
    ),
    power: str | None = typer.Option(
        None, "--power", help="power cycling instead: this power on, then off, on the JEDEC 2s2p board in still air"
    ),
    ambient: str = typer.Option("25 C", "--ambient", help="ambient for --power"),
    dwell: str = typer.Option(
        "15 min", "--dwell", help="dwell at each extreme (Engelmaier's half-cycle t_D), e.g. '15 min'"
    ),
    law: str = typer.Option("dwell", "--law", help="exponent c from the dwell (IPC-D-279) or the frequency (1983)"),
    per_day: float = typer.Option(24.0, "--per-day", min=0.01, max=10000, help="cycles per day (--law frequency)"),
    weibull_slope: float | None = typer.Option(
        None, "--weibull-slope", help="Weibull slope beta: adds the package's 1 %, 10 % and 50 % lives"
    ),
    field_spec: str | None = typer.Option(
        None, "--field", help="field cycle MIN:MAX (or a condition): adds its life, years and acceleration factor"
    ),
    field_dwell: str = typer.Option("6 h", "--field-dwell", help="dwell at each extreme in the field"),
    field_per_day: float = typer.Option(1.0, "--field-per-day", min=0.01, max=10000, help="field cycles per day"),
    map_out: Path | None = typer.Option(None, "--map", help="map of cycles to failure per ball (.png/.svg)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    from semipack.mechanics.fatigue import ExponentLaw
    from semipack.mechanics.fatigue_run import fatigue_run

    dwell_s = _dwell(dwell, "--dwell")
    try:
        exp_law = ExponentLaw(law.lower())
    except ValueError:
        raise DesignError("--law", law, "allowed: " + ", ".join(x.value for x in ExponentLaw)) from None
    field = _cycle(field_spec, _dwell(field_dwell, "--field-dwell"), field_per_day, "--field") if field_spec else None
    p_w = None if power is None else parse_quantity(power, Dimension.POWER, "--power")
    cyc = _cycle(cycle or "G", dwell_s, per_day, "--cycle") if power is None or cycle is not None else None
    if map_out is not None and map_out.suffix.lower() not in (".png", ".svg"):
        raise DesignError("--map", str(map_out), "must end in .png or .svg")
    t_amb = parse_quantity(ambient, Dimension.TEMPERATURE, "--ambient") if power is not None else 298.15
    run = fatigue_run(
        load_design(file),
        cyc,
        power_w=p_w,
        ambient_k=t_amb,
        dwell_s=dwell_s,
        cycles_per_day=per_day,
        law=exp_law,
        weibull_slope=weibull_slope,
        field=field,
    )
    if map_out is not None:
        from semipack.draw.mechanics_plots import save_fatigue_map

        save_fatigue_map(run.result, map_out)
    if as_json:
        print(json.dumps(run.to_dict(), indent=2))
    else:
        _print_fatigue(run)


def _print_fatigue(run: FatigueRun) -> None:
    r, swing, f_r, out = run.result, run.swing, run.field, Console()
    if swing is not None:
        out.print(
            f"power on: Tj max {swing.tj_max_k - 273.15:.1f} C; component swing {swing.component_swing_k:.1f} K, board {swing.board_swing_k:.1f} K, joints up to {swing.joints_on_k - 273.15:.1f} C"
        )
    out.print(
        f"{run.cycle.title}: package CTE {r.package_cte_per_k * 1e6:.1f} ppm/K vs board {r.board_cte_per_k * 1e6:.0f}; joint height {r.joint_height_m * 1e6:.0f} um; c = {r.exponent:.3f} ({r.law.value} law)"
    )
    for b in sorted(r.balls, key=lambda b: b.cycles)[:5]:
        out.print(
            f"  {b.name}: DNP {b.dnp_m * 1e3:.2f} mm, strain range {b.strain_range:.4f}, N_f(50 %) = {b.cycles:.0f} cycles"
        )
    if f_r is not None:
        out.print(
            f"field {f_r.cycle.title}, {f_r.cycle.cycles_per_day:g}/day: N_f(50 %) = {f_r.worst.cycles:.0f} cycles "
            f"({run.field_years_min:.1f} years) at {f_r.worst.name}; acceleration factor {run.acceleration_factor:.1f}"
        )
    if run.package_lives:
        out.print(
            f"package (first ball, Weibull slope {run.weibull_slope:g}): "
            + ", ".join(f"{round(f * 100)} % by {n:.0f} cycles" for f, n in run.package_lives)
        )
