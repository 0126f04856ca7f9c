"""The report's thermal section: the JEDEC metrics and a temperature map cropped to the package."""

from __future__ import annotations

from semipack.report.page import E, Page, table

MAP_MARGIN_M = 1e-3
"""How much of the board and air around the package the report's temperature map shows."""

TJ_LIMIT_C = 125.0
"""The junction limit the summary checks Tj against (the usual commercial/industrial 125 C)."""


UNTIMED = frozenset({"solve_s"})
"""Metrics the report leaves out: they measure the machine, not the design."""


def thermal_section(p: Page) -> None:
    from semipack.draw.thermal_map import save_map
    from semipack.geometry import Axis
    from semipack.thermal import KEYS, Environment, Solver, jedec_metrics, metrics_of, solve_thermal
    from semipack.thermal.environment import face_down
    from semipack.thermal.setup import ThermalCache

    res, solver = p.options.resolution, Solver(p.options.solver)
    cache = ThermalCache()  # the still-air set-up serves the ring cold plate on the same board
    still = solve_thermal(p.pkg, Environment(), resolution=res, solver=solver, cache=cache)
    metrics = dict(metrics_of(still))
    jedec = jedec_metrics(p.pkg, resolution=res, solver=solver, still_air=still, cache=cache)
    metrics.update({k: v for k, v in jedec.items() if v is not None})
    axis, at = p.pkg.section_hint
    save_map(still, p.folder / "thermal_map.svg", Axis(axis), at, crop=(face_down(p.pkg).bbox, MAP_MARGIN_M))
    tj = still.tj_max_k - 273.15
    if metrics.get("theta_ja_c_per_w") is not None:
        p.keyrow("theta-JA (JESD51-2A still air, 2s2p)", f"{metrics['theta_ja_c_per_w']:.3g} C/W")
    p.keyrow(f"Tj max at {still.power_w:.3g} W, still air, 25 C", f"{tj:.1f} C", tj <= TJ_LIMIT_C)
    # Every metric but the wall-clock solve time: the report is the same bytes on every run.
    rows = [[E(k), "-" if metrics.get(k) is None else f"{metrics[k]:.4g}"] for k in KEYS if k not in UNTIMED]
    p.add(
        "thermal",
        "Thermal (JEDEC)",
        f"<p>{still.power_w:.3g} W; JESD51-2A still air on a JESD51-9 2s2p board, the cold plates of "
        f"JESD51-14 (top, bottom) and the JESD51-8 ring plate; grid resolution {res:g}.</p>"
        + table(["metric", "value"], rows, "kv")
        + "<figure><img src='thermal_map.svg' alt='temperature map'><figcaption>Still air, 2s2p: temperature on the "
        f"default section, the package and {MAP_MARGIN_M * 1e3:g} mm around it at true scale</figcaption></figure>",
    )
