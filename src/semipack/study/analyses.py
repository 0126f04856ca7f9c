"""The analyses a study can run on each point, as flat JSON-able records.

Each analysis takes a `Package` and its settings and returns ``{key: number | bool}``
with the same keys as the matching command's ``--json`` (``theta_ja_c_per_w``,
``warpage_um``, ``cycles_to_failure_min`` ...), so a study's ``outputs`` can name any
of them. Settings are plain mappings from the study file, validated here in one line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from semipack.errors import DesignError
from semipack.model import Package
from semipack.units import Dimension, parse_quantity

Record = dict[str, float | int | bool | None]


@dataclass(frozen=True)
class Analysis:
    """One analysis: its settings with defaults, its output keys, a rough cost class, and the function."""

    name: str
    settings: Mapping[str, Any]
    keys: tuple[str, ...]
    cheap: bool
    run: Callable[[Package, Mapping[str, Any]], Record]


def _package(pkg: Package, s: Mapping[str, Any]) -> Record:
    from semipack.model import summarize

    m = summarize(pkg)
    return {
        "body_x_m": m.body_x_m,
        "body_y_m": m.body_y_m,
        "total_height_m": m.total_height_m,
        "die_x_m": m.die_x_m,
        "die_y_m": m.die_y_m,
        "package_to_die_ratio": m.package_to_die_ratio,
        "mass_kg": m.mass_kg,
        "terminal_count": m.terminal_count,
        "terminal_pitch_m": m.terminal_pitch_m,
        "body_count": m.body_count,
        "net_count": m.net_count,
    }


def _thermal(pkg: Package, s: Mapping[str, Any]) -> Record:
    from semipack.thermal import KEYS, BoardKind, Environment, EnvKind, Solver, metrics_of, solve_thermal

    env = Environment(
        _enum(EnvKind, s["env"], "thermal.env"),
        _enum(BoardKind, s["board"], "thermal.board"),
        air_speed_m_s=parse_quantity(str(s["air_speed"]), Dimension.VELOCITY, "thermal.air_speed"),
    )
    power = parse_quantity(str(s["power"]), Dimension.POWER, "thermal.power") if s["power"] is not None else None
    r = solve_thermal(
        pkg,
        env,
        resolution=_positive(s["resolution"], "thermal.resolution"),
        power_w=power,
        solver=_enum(Solver, s["solver"], "thermal.solver"),
    )
    out = metrics_of(r)
    return {k: out[k] for k in KEYS}


def _jedec(pkg: Package, s: Mapping[str, Any]) -> Record:
    from semipack.thermal import KEYS, Solver, jedec_metrics

    out = jedec_metrics(
        pkg,
        resolution=_positive(s["resolution"], "jedec.resolution"),
        solver=_enum(Solver, s["solver"], "jedec.solver"),
        workers=1,  # a study runs its points at once already, one per core
    )
    return {k: out[k] for k in KEYS}


def _warpage(pkg: Package, s: Mapping[str, Any]) -> Record:
    from semipack.mechanics.profiles import reflow_profile_k
    from semipack.mechanics.warpage import WarpageMethod, limit_checks, warpage_curve

    method = WarpageMethod.parse(s["method"], "warpage.method")
    t_ref = parse_quantity(str(s["stress_free"]), Dimension.TEMPERATURE, "warpage.stress_free")
    points, _ = warpage_curve(pkg, reflow_profile_k(), t_ref, method, _positive(s["resolution"], "warpage.resolution", 2.0))
    worst = max(points, key=lambda p: abs(p.warpage_m))
    room = min(points, key=lambda p: abs(p.temperature_k - 298.15))
    peak = max(points, key=lambda p: p.temperature_k)
    checks = limit_checks(pkg, points)
    return {
        "warpage_um": worst.warpage_m * 1e6,
        "warpage_abs_um": abs(worst.warpage_m) * 1e6,
        "warpage_25c_um": room.warpage_m * 1e6,
        "warpage_peak_um": peak.warpage_m * 1e6,
        "coplanarity_um": max(p.coplanarity_m for p in points) * 1e6,
        "warpage_limit_pass": all(c.passes for c in checks) if checks else None,
    }


def _gap(pkg: Package, s: Mapping[str, Any]) -> Record:
    from semipack.mechanics.gap import package_gaps
    from semipack.mechanics.profiles import reflow_profile_k
    from semipack.mechanics.warpage import WarpageMethod

    method = WarpageMethod.parse(s["method"], "gap.method")
    t_ref = parse_quantity(str(s["stress_free"]), Dimension.TEMPERATURE, "gap.stress_free")
    paste = parse_quantity(str(s["paste"]), Dimension.LENGTH, "gap.paste")
    temps = tuple(sorted(set(reflow_profile_k())))
    r = package_gaps(pkg, temps, t_ref, method, _positive(s["resolution"], "gap.resolution"), paste)
    return {
        "gap_max_um": r.worst()[2] * 1e6,
        "gap_min_um": float(min(min(g) for g in r.gaps_m)) * 1e6,
        "gap_reach_um": r.reach_m * 1e6,
        "hip_risk": bool(r.at_risk),
        "balls_at_risk": len(r.at_risk),
    }


def _stress(pkg: Package, s: Mapping[str, Any]) -> Record:
    from semipack.mechanics.fe import mesh_package
    from semipack.mechanics.history import fe_history
    from semipack.mechanics.warpage import stress_summary

    t = parse_quantity(str(s["temperature"]), Dimension.TEMPERATURE, "stress.temperature")
    t_ref = parse_quantity(str(s["stress_free"]), Dimension.TEMPERATURE, "stress.stress_free")
    r = stress_summary(fe_history(mesh_package(pkg, _positive(s["resolution"], "stress.resolution", 2.0)), t_ref, t))
    return {"die_von_mises_max_pa": r.die_von_mises_max_pa, "die_principal_max_pa": r.die_principal_max_pa}


def _fatigue(pkg: Package, s: Mapping[str, Any]) -> Record:
    from semipack.mechanics.fatigue import solder_fatigue
    from semipack.mechanics.profiles import CycleCondition, condition

    cyc = condition(_enum(CycleCondition, str(s["cycle"]).upper(), "fatigue.cycle"))
    dwell_s = parse_quantity(str(s["dwell"]), Dimension.TIME, "fatigue.dwell")
    if not 0 < dwell_s <= 86400:
        raise DesignError("fatigue.dwell", s["dwell"], "a time in (0 s, 24 h]")
    r = solder_fatigue(pkg, replace(cyc, dwell_s=dwell_s))
    return {"cycles_to_failure_min": r.worst.cycles, "package_cte_per_k": r.package_cte_per_k}


def _bend(pkg: Package, s: Mapping[str, Any]) -> Record:
    from semipack.mechanics.flex_bend import bend_checks

    checks = bend_checks(pkg)
    if not checks:
        raise DesignError("bend", pkg.name, "the package has no bent flex")
    return {
        "bend_strain_max": max(b.copper_strain_max for b in checks),
        "bend_pass": all(b.passes for b in checks),
    }


def _electrical(pkg: Package, s: Mapping[str, Any]) -> Record:
    from semipack.electrical.drc import check_rules
    from semipack.electrical.nets import analyse

    conn = analyse(pkg)
    return {
        "open_count": len(conn.opens),
        "short_count": len(conn.shorts),
        "r_max_ohm": max((n.r_max_ohm for n in conn.nets), default=None),
        "drc_violations": len(check_rules(pkg).violations),
    }


def _cost(pkg: Package, s: Mapping[str, Any]) -> Record:
    from semipack.process import get_method, run_flow
    from semipack.process.costing import rollup

    r = rollup(run_flow(pkg, get_method(pkg, s["method"]).build(pkg)))
    return {
        "cost_per_good_unit_usd": r.cost_per_good_unit_usd,
        "cumulative_yield": r.cumulative_yield,
        "cycle_time_s": r.cycle_time_s,
    }


def _msl(pkg: Package, s: Mapping[str, Any]) -> Record:
    from semipack.moisture import Criteria, estimate_msl
    from semipack.moisture.msl import msl_record

    c_max = parse_quantity(str(s["max_concentration"]), Dimension.DENSITY, "msl.max_concentration")
    if not c_max > 0:
        raise DesignError("msl.max_concentration", s["max_concentration"], "a concentration above 0 kg/m^3")
    adhesion = s["adhesion"]
    p_adh = None if adhesion is None else parse_quantity(str(adhesion), Dimension.PRESSURE, "msl.adhesion")
    if p_adh is not None and not p_adh > 0:
        raise DesignError("msl.adhesion", adhesion, "a strength above 0 Pa")
    r = estimate_msl(pkg, Criteria(c_max, 1.0, p_adh), resolution=_positive(s["resolution"], "msl.resolution"))
    return dict(msl_record(r))


def _thermal_keys() -> tuple[str, ...]:
    from semipack.thermal.metrics import KEYS

    return tuple(KEYS)


def _enum(cls: Any, value: Any, field: str) -> Any:
    try:
        return cls(value)
    except ValueError:
        raise DesignError(field, value, "allowed: " + ", ".join(str(m.value) for m in cls)) from None


def _positive(value: Any, field: str, high: float = 8.0) -> float:
    """A grid or mesh resolution: a number from 0.1 to ``high`` (NaN and inf refused)."""
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0.1 <= value <= high:
        raise DesignError(field, value, f"a resolution from 0.1 to {high:g}")
    return float(value)


def _check_settings(name: str, s: Mapping[str, Any], where: str) -> None:
    """Validate an analysis' settings when the study is read, before any point runs."""
    from semipack.mechanics.profiles import CycleCondition
    from semipack.thermal import BoardKind, Environment, EnvKind, Solver

    def q(key: str, dim: Dimension) -> None:
        if s.get(key) is not None:
            parse_quantity(str(s[key]), dim, f"{where}.{key}")

    if name in ("thermal", "jedec"):
        _positive(s["resolution"], f"{where}.resolution")
        _enum(Solver, s["solver"], f"{where}.solver")
    if name == "thermal":
        q("power", Dimension.POWER)
        Environment(
            _enum(EnvKind, s["env"], f"{where}.env"),
            _enum(BoardKind, s["board"], f"{where}.board"),
            air_speed_m_s=parse_quantity(str(s["air_speed"]), Dimension.VELOCITY, f"{where}.air_speed"),
        )
    if name in ("warpage", "gap"):
        from semipack.mechanics.warpage import WarpageMethod

        WarpageMethod.parse(s.get("method", "fe"), f"{where}.method")
    if name in ("warpage", "stress"):
        _positive(s["resolution"], f"{where}.resolution", 2.0)
        q("stress_free", Dimension.TEMPERATURE)
        q("temperature", Dimension.TEMPERATURE)
    if name == "fatigue":
        _enum(CycleCondition, str(s["cycle"]).upper(), f"{where}.cycle")
        q("dwell", Dimension.TIME)
    if name == "cost" and s["method"] is not None and not isinstance(s["method"], str):
        raise DesignError(f"{where}.method", s["method"], "a flow method name or null")


# The thermal command's JSON keys (the thermal package is only imported when a point runs).
_THERMAL_KEYS = _thermal_keys()

ANALYSES: dict[str, Analysis] = {
    a.name: a
    for a in (
        Analysis(
            "package",
            {},
            (
                "body_x_m",
                "body_y_m",
                "total_height_m",
                "die_x_m",
                "die_y_m",
                "package_to_die_ratio",
                "mass_kg",
                "terminal_count",
                "terminal_pitch_m",
                "body_count",
                "net_count",
            ),
            True,
            _package,
        ),
        Analysis(
            "thermal",
            {
                "env": "still-air",
                "board": "2s2p",
                "air_speed": "1 m/s",
                "power": None,
                "resolution": 0.5,
                "solver": "column-amg",
            },
            _THERMAL_KEYS,
            False,
            _thermal,
        ),
        Analysis("jedec", {"resolution": 0.5, "solver": "column-amg"}, _THERMAL_KEYS, False, _jedec),
        Analysis(
            "warpage",
            {"method": "fe", "stress_free": "175 C", "resolution": 0.5},
            (
                "warpage_um",
                "warpage_abs_um",
                "warpage_25c_um",
                "warpage_peak_um",
                "coplanarity_um",
                "warpage_limit_pass",
            ),
            False,
            _warpage,
        ),
        Analysis(
            "gap",
            {"method": "fe", "stress_free": "175 C", "resolution": 0.5, "paste": "0.125 mm"},
            ("gap_max_um", "gap_min_um", "gap_reach_um", "hip_risk", "balls_at_risk"),
            False,
            _gap,
        ),
        Analysis(
            "stress",
            {"temperature": "-40 C", "stress_free": "175 C", "resolution": 0.5},
            ("die_von_mises_max_pa", "die_principal_max_pa"),
            False,
            _stress,
        ),
        Analysis(
            "fatigue", {"cycle": "G", "dwell": "15 min"}, ("cycles_to_failure_min", "package_cte_per_k"), True, _fatigue
        ),
        Analysis("bend", {}, ("bend_strain_max", "bend_pass"), True, _bend),
        Analysis("electrical", {}, ("open_count", "short_count", "r_max_ohm", "drc_violations"), True, _electrical),
        Analysis("cost", {"method": None}, ("cost_per_good_unit_usd", "cumulative_yield", "cycle_time_s"), True, _cost),
        Analysis(
            "msl",
            {"resolution": 0.5, "max_concentration": "4.8 kg/m^3", "adhesion": None},
            ("msl_level", "die_region_level3_kg_m3", "weight_gain_level1"),
            False,
            _msl,
        ),
    )
}


def settings_for(name: str, given: Mapping[str, Any] | None, where: str) -> dict[str, Any]:
    """The analysis' defaults updated with ``given``; unknown analyses or settings are one-line errors."""
    if name not in ANALYSES:
        raise DesignError(where, name, "allowed: " + ", ".join(ANALYSES))
    a = ANALYSES[name]
    out = dict(a.settings)
    for k, v in (given or {}).items():
        if k not in a.settings:
            allowed = ", ".join(a.settings) or "no settings"
            raise DesignError(f"{where}.{k}", v, f"allowed: {allowed}")
        out[k] = v
    _check_settings(name, out, where)
    return out
