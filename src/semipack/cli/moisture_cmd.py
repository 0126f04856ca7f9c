"""``semipack moisture | msl``: moisture after a J-STD-020 soak and at reflow; the estimated MSL (thin wrappers)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

from semipack.design import load_design
from semipack.errors import DesignError
from semipack.units import Dimension, parse_quantity

if TYPE_CHECKING:
    from semipack.moisture import MslResult

RESOLUTION = typer.Option(0.5, "--resolution", min=0.1, max=2.0, help="grid resolution (the thermal grid's knob)")
FREE_VOLUME = typer.Option(
    0.05, "--free-volume", min=0.001, max=0.5, help="polymer free-volume fraction holding the vapour at reflow"
)
PEAK = typer.Option(None, "--peak", help="reflow peak, e.g. 260C (default: J-STD-020 Table 4-2 for the body)")


def _temperature(text: str | None, flag: str) -> float | None:
    t = None if text is None else parse_quantity(text, Dimension.TEMPERATURE, flag)
    if t is not None and not 373.15 <= t <= 623.15:
        raise DesignError(flag, text, "a reflow peak from 100 C to 350 C")
    return t


def _custom_soak(level: str, temperature: str | None, rh: str | None, time: str | None) -> Any:
    """The level's soak, with any of temperature, RH and time replaced (validated under the flags' names)."""
    from semipack.moisture.conditions import Exposure, Level, soak

    base = soak(Level.parse(level, "--level"))
    if temperature is None and rh is None and time is None:
        return Level.parse(level, "--level")
    t = parse_quantity(temperature, Dimension.TEMPERATURE, "--temperature") if temperature else base.temperature_k
    h = parse_quantity(rh, Dimension.DIMENSIONLESS, "--rh") if rh is not None else base.rh
    if not 0.0 <= h <= 1.0:
        raise DesignError("--rh", rh, "a relative humidity from 0 % to 100 %")
    d = parse_quantity(time, Dimension.TIME, "--time") if time is not None else base.duration_s
    if d < 0:
        raise DesignError("--time", time, "a soak time of 0 h or more")
    if not 273.15 <= t <= 473.15:
        raise DesignError("--temperature", temperature, "a soak temperature from 0 C to 200 C")
    return Exposure(t, h, d, f"{t - 273.15:g} C/{h * 100:g} %RH, {d / 3600:g} h")


def _itf_json(i: Any, rh: float) -> dict[str, Any]:
    return {
        "interface": i.name,
        "concentration_kg_m3": i.concentration_kg_m3,
        "activity": i.activity,
        "wetness": i.activity / rh if rh > 0 else None,
        "vapour_pressure_pa": i.vapour_pressure_pa,
        "saturated": i.saturated,
        "mismatch_strain": i.mismatch_strain,
        "die_region_kg_m3": i.die_region_kg_m3,
    }


def _result_json(r: Any) -> dict[str, Any]:
    return {
        "package": r.package,
        "soak": {
            "label": r.soak.label,
            "temperature_k": r.soak.temperature_k,
            "rh": r.soak.rh,
            "time_s": r.soak.duration_s,
        },
        "bake": None if r.bake is None else {"temperature_k": r.bake.temperature_k, "time_s": r.bake.duration_s},
        "peak_k": r.peak_k,
        "free_volume": r.free_volume,
        "weight_gain_fraction": r.after_soak.moisture_kg / r.dry_mass_kg,
        "moisture_after_soak_kg": r.after_soak.moisture_kg,
        "moisture_at_peak_kg": r.at_peak.moisture_kg,
        "wetness_note": "wetness = C / C_sat at the soak's RH (activity / RH); activity = local equivalent RH",
        "after_soak": [_itf_json(i, r.soak.rh) for i in r.after_soak.interfaces],
        "at_peak": [_itf_json(i, r.soak.rh) for i in r.at_peak.interfaces],
        "swelling": [
            {"material": s.material, "strain": s.strain, "delta_t_equivalent_k": s.delta_t_equivalent_k}
            for s in r.swelling
        ],
    }


def _table(title: str, state: Any, wetness_rh: float) -> Table:
    t = Table(title=title)
    for col in ("interface", "C (kg/m^3)", "wetness", "die region (kg/m^3)", "p vapour (MPa)", "hygro mismatch (%)"):
        t.add_column(col)
    for i in state.interfaces:
        t.add_row(
            i.name,
            f"{i.concentration_kg_m3:.2f}",
            f"{i.activity / wetness_rh:.2f}" if wetness_rh > 0 else "-",
            "-" if i.die_region_kg_m3 is None else f"{i.die_region_kg_m3:.2f}",
            f"{i.vapour_pressure_pa / 1e6:.3g}{' sat' if i.saturated else ''}",
            f"{i.mismatch_strain * 100:.3f}",
        )
    return t


def moisture(
    file: Path = typer.Argument(..., help="design file (YAML)"),
    level: str = typer.Option("3", "--level", help="J-STD-020 level: 1, 2, 2a, 3, 4, 5, 5a"),
    accelerated: bool = typer.Option(False, "--accelerated", help="the level's 60 C/60 %RH equivalent soak (2a-5a)"),
    temperature: str | None = typer.Option(None, "--temperature", help="custom soak temperature, e.g. 60C"),
    rh: str | None = typer.Option(None, "--rh", help="custom soak humidity, e.g. 85%"),
    time: str | None = typer.Option(None, "--time", help="custom soak time, e.g. 168h"),
    bake_time: str | None = typer.Option(None, "--bake", help="J-STD-033 bake after the soak, e.g. 24h"),
    bake_temperature: str = typer.Option("125C", "--bake-temperature", help="bake temperature"),
    peak: str | None = PEAK,
    free_volume: float = FREE_VOLUME,
    resolution: float = RESOLUTION,
    plot: Path | None = typer.Option(None, "--plot", help="moisture through the package centre (.png/.svg)"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    from semipack.moisture import moisture_analysis

    if plot is not None and plot.suffix.lower() not in (".png", ".svg"):
        raise DesignError("--plot", str(plot), "must end in .png or .svg")
    cond = _custom_soak(level, temperature, rh, time)
    bake_h = 0.0
    if bake_time is not None:
        bake_h = parse_quantity(bake_time, Dimension.TIME, "--bake") / 3600.0
        if bake_h < 0:
            raise DesignError("--bake", bake_time, "a bake time of 0 h or more")
    bake_k = parse_quantity(bake_temperature, Dimension.TEMPERATURE, "--bake-temperature")
    if not 313.15 <= bake_k <= 423.15:
        raise DesignError("--bake-temperature", bake_temperature, "40 C to 150 C (J-STD-033 bakes at 40, 90 or 125 C)")
    pkg = load_design(file)
    r = moisture_analysis(
        pkg,
        cond,
        bake_hours=bake_h,
        bake_temperature_c=bake_k - 273.15,
        accelerated=accelerated,
        peak_k=_temperature(peak, "--peak"),
        free_volume=free_volume,
        resolution=resolution,
    )
    if plot is not None:
        from semipack.draw.moisture_plot import save_moisture_profile

        save_moisture_profile(r, plot)
    if as_json:
        print(json.dumps(_result_json(r), indent=2))
        return
    con = Console()
    con.print(
        f"{r.package}: {r.soak.label}"
        + (f", then {r.bake.label}" if r.bake else "")
        + f"; weight gain {r.after_soak.moisture_kg / r.dry_mass_kg * 100:.3f} % ({r.after_soak.moisture_kg * 1e6:.3f} mg)"
    )
    con.print(_table(f"end of soak (wetness = C / C_sat at {r.soak.rh * 100:g} %RH)", r.after_soak, r.soak.rh))
    con.print(_table(f"reflow peak {r.peak_k - 273.15:.0f} C (free volume {r.free_volume:g})", r.at_peak, r.soak.rh))
    con.print(
        "swelling (mean strain, equivalent temperature rise): "
        + ", ".join(f"{s.material} {s.strain * 100:.3f} % ({s.delta_t_equivalent_k:.0f} K)" for s in r.swelling)
    )


def msl(
    file: Path = typer.Argument(..., help="design file (YAML)"),
    accelerated: bool = typer.Option(False, "--accelerated", help="soak 2a-5a at their 60 C/60 %RH equivalents"),
    max_concentration: str = typer.Option(
        "4.8 kg/m^3", "--max-concentration", help="die-region moisture limit (Galloway and Miles 1997)"
    ),
    strain_ratio: float = typer.Option(
        1.0,
        "--strain-ratio",
        min=0.01,
        max=100.0,
        help="hygroscopic / thermal mismatch limit at die and metal interfaces",
    ),
    adhesion: str | None = typer.Option(
        None, "--adhesion", help="hot interface adhesion strength, e.g. 3MPa (adds the pressure check)"
    ),
    peak: str | None = PEAK,
    free_volume: float = FREE_VOLUME,
    resolution: float = RESOLUTION,
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    from semipack.moisture import Criteria, estimate_msl

    c_max = parse_quantity(max_concentration, Dimension.DENSITY, "--max-concentration")
    if not c_max > 0:
        raise DesignError("--max-concentration", max_concentration, "a concentration above 0 kg/m^3")
    p_adh = None if adhesion is None else parse_quantity(adhesion, Dimension.PRESSURE, "--adhesion")
    if p_adh is not None and not p_adh > 0:
        raise DesignError("--adhesion", adhesion, "a strength above 0 Pa")
    crit = Criteria(c_max, strain_ratio, p_adh)
    pkg = load_design(file)
    r = estimate_msl(
        pkg,
        crit,
        accelerated=accelerated,
        peak_k=_temperature(peak, "--peak"),
        free_volume=free_volume,
        resolution=resolution,
    )
    if as_json:
        print(json.dumps(r.to_dict(), indent=2))
        return
    _print_msl(r)


def _print_msl(r: MslResult) -> None:
    t = Table(title=f"{r.package}: estimated MSL {r.msl} (peak {r.checks[0].result.peak_k - 273.15:.0f} C)")
    for col in ("level", "soak", "gain %", "die C kg/m^3", "p MPa", "verdict"):
        t.add_column(col)
    for c in r.checks:
        die = [i.die_region_kg_m3 for i in c.result.at_peak.interfaces if i.die_region_kg_m3 is not None]
        t.add_row(
            c.level.value,
            f"{c.result.soak.temperature_k - 273.15:g}/{c.result.soak.rh * 100:g} {c.result.soak.duration_s / 3600:g}h",
            f"{c.result.after_soak.moisture_kg / c.result.dry_mass_kg * 100:.3f}",
            f"{max(die):.2f}" if die else "-",
            f"{max((i.vapour_pressure_pa for i in c.result.at_peak.interfaces), default=0.0) / 1e6:.2f}",
            "pass" if c.passed else f"FAIL ({len(c.failures)})",
        )
    con = Console()
    con.print(t)
    for c in r.checks:
        for line in c.failures:
            con.print(f"  level {c.level.value}: {line}", highlight=False)
    con.print(
        f"criteria: die-region moisture <= {r.criteria.max_die_region_kg_m3:g} kg/m^3 (Galloway and Miles 1997); hygroscopic "
        f"mismatch <= {r.criteria.strain_ratio:g} x thermal mismatch at die/metal interfaces"
        + (
            f"; vapour pressure <= {r.criteria.adhesion_pa / 1e6:g} MPa"
            if r.criteria.adhesion_pa
            else "; vapour pressure reported only"
        )
        + ". An estimate from representative material data, not a J-STD-020 classification."
    )
