"""The report's thermo-mechanics section: warpage over the reflow profile against the JEDEC /
JEITA limits, the package-to-board gap, solder fatigue and flex bends."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from semipack.errors import DesignError
from semipack.report.page import E, Page, mm, table

if TYPE_CHECKING:
    from semipack.mechanics.fe import FeResult
    from semipack.mechanics.warpage import WarpagePoint


def _gap(p: Page, points: Sequence[WarpagePoint], fe: dict[float, FeResult]) -> str:
    """The package-to-board gap map from the warpage curve already solved (no balls: a line)."""
    from semipack.draw.gap_map import save_gap_map
    from semipack.mechanics.gap import package_gaps
    from semipack.mechanics.warpage import STRESS_FREE_K

    temps = tuple(sorted({q.temperature_k for q in points}))
    try:
        r = package_gaps(p.pkg, temps, STRESS_FREE_K, curve=(points, fe))
    except DesignError as exc:
        return f"<p>No package-to-board gap: {E(exc.allowed)}.</p>"
    save_gap_map(r, p.folder / "gap.svg")
    t_w, ball, g_w = r.worst()
    risk = f"{len(r.at_risk)} balls past their reach" if r.at_risk else "no ball past its reach"
    return (
        f"<p>Package-to-board gap (JESD51-9 2s2p board by plate theory; joints {r.collapsed_m * 1e6:.0f} um "
        f"after collapse, reach {r.reach_m * 1e6:.0f} um with 125 um of paste): most open {E(ball)}, "
        f"{g_w * 1e6:.0f} um at {t_w - 273.15:.0f} C; head-in-pillow / non-wet open: {risk}.</p>"
        "<figure><img src='gap.svg' alt='gap map'></figure>"
    )


def mechanics_section(p: Page) -> None:
    from semipack.draw.mechanics_plots import save_fatigue_map, save_warpage_curve
    from semipack.mechanics.flex_bend import bend_checks
    from semipack.mechanics.profiles import CycleCondition, condition, reflow_profile_k
    from semipack.mechanics.warpage import DEFAULT_METHOD, STRESS_FREE_K, limit_checks, warpage_curve
    from semipack.mechanics.warpage_sign import SIGN_NOTE

    parts = []
    # The same method and measure as `semipack warpage` (FE by default), at the report's resolution.
    points, fe = warpage_curve(p.pkg, reflow_profile_k(), STRESS_FREE_K, DEFAULT_METHOD, p.options.resolution)
    checks = limit_checks(p.pkg, points)
    save_warpage_curve(points, p.folder / "warpage.svg", p.pkg.name, checks)
    worst = max(points, key=lambda q: abs(q.warpage_m))
    ok = all(c.passes for c in checks) if checks else None
    note = "" if checks else " (no JEDEC/JEITA limit tabulated for this pitch and size)"
    for t_c in (25.0, 260.0):
        q = min(points, key=lambda q: abs(q.temperature_k - 273.15 - t_c))
        p.keyrow(
            f"warpage at {q.temperature_k - 273.15:.0f} C ({DEFAULT_METHOD.name})",
            f"{q.warpage_m * 1e6:+.1f} um{note}",
            ok,
        )
    verdicts = (
        "; ".join(
            f"{E(c.limit.standard)} ({-c.limit.concave_m * 1e6:+.0f} to {c.limit.convex_m * 1e6:+.0f} um): "
            f"{'pass' if c.passes else 'FAIL'}"
            for c in checks
        )
        or "no tabulated JEDEC/JEITA limit for this pitch and body size"
    )
    parts.append(
        f"<p>Warpage over the J-STD-020 reflow profile ({E(DEFAULT_METHOD.name)}, stress-free at 175 C with each "
        f"material's own cure state; {E(SIGN_NOTE)}): largest {worst.warpage_m * 1e6:+.1f} um at "
        f"{worst.temperature_k - 273.15:.0f} C. Limits: {verdicts}.</p>"
        "<figure><img src='warpage.svg' alt='warpage curve'></figure>"
    )
    parts.append(_gap(p, points, fe))
    try:
        from semipack.mechanics.fatigue import solder_fatigue

        fat = solder_fatigue(p.pkg, condition(CycleCondition.G))
        save_fatigue_map(fat, p.folder / "fatigue.svg")
        w = fat.worst
        p.keyrow(f"solder fatigue, {fat.cycle.title}", f"{w.cycles:.3g} cycles to 50 % failure ({w.name})")
        parts.append(
            f"<p>Solder-joint fatigue (Engelmaier, dwell form of c), {E(fat.cycle.title)}: worst ball "
            f"{E(w.name)} at DNP {w.dnp_m * 1e3:.2f} mm, {w.cycles:.3g} cycles to 50 % failure.</p>"
            "<figure><img src='fatigue.svg' alt='fatigue map'></figure>"
        )
    except DesignError as exc:
        parts.append(f"<p>No solder-joint fatigue: {E(exc.allowed)}.</p>")
    bends = bend_checks(p.pkg)
    if bends:
        rows = [
            [
                E(b.bend),
                mm(b.inner_radius_m),
                f"{b.copper_strain_max * 100:.2f} %",
                f"{b.allowable_strain * 100:.1f} %",
                mm(b.min_radius_m),
                "pass" if b.passes else "FAIL",
            ]
            for b in bends
        ]
        parts.append(
            "<h3>Flex bends (IPC-2223)</h3>"
            + table(["bend", "inner radius", "copper strain", "allowable", "IPC-2223 minimum radius", "verdict"], rows)
        )
    p.add("mechanics", "Thermo-mechanics", "".join(parts))
