"""The report's moisture section: the estimated MSL, each level's verdict and the moisture profile at reflow."""

from __future__ import annotations

import html
from typing import Any

E = html.escape


def moisture_section(p: Any) -> None:
    """Add the 'moisture' section to the report page ``p`` (a `semipack.report.page.Page`)."""
    from semipack.draw.moisture_plot import save_moisture_profile
    from semipack.moisture import Level, estimate_msl

    r = estimate_msl(p.pkg, resolution=p.options.resolution)
    shown = next((c for c in r.checks if c.level.value == r.msl), next(c for c in r.checks if c.level is Level.L3))
    save_moisture_profile(shown.result, p.folder / "moisture.svg")
    p.keyrow("MSL estimate (J-STD-020 soaks)", str(r.msl))
    rows = []
    for c in r.checks:
        die = [i.die_region_kg_m3 for i in c.result.at_peak.interfaces if i.die_region_kg_m3 is not None]
        peak_p = max((i.vapour_pressure_pa for i in c.result.at_peak.interfaces), default=0.0)
        rows.append(
            "<tr>"
            + "".join(
                f"<td>{v}</td>"
                for v in (
                    E(c.level.value),
                    E(c.result.soak.label.split("(", 1)[-1].rstrip(")")),
                    f"{c.result.after_soak.moisture_kg / c.result.dry_mass_kg * 100:.3f} %",
                    f"{max(die):.2f}" if die else "-",
                    f"{peak_p / 1e6:.2f}",
                    "pass" if c.passed else E("; ".join(c.failures[:2]) + (" ..." if len(c.failures) > 2 else "")),
                )
            )
            + "</tr>"
        )
    head = "".join(
        f"<th>{h}</th>"
        for h in ("level", "soak", "weight gain", "die-region C (kg/m^3)", "peak vapour pressure (MPa)", "verdict")
    )
    p.add(
        "moisture",
        "Moisture sensitivity",
        f"<p>Estimated MSL <b>{E(r.msl)}</b>: the least strict J-STD-020 soak after which, at the "
        f"{shown.result.peak_k - 273.15:.0f} C reflow peak, the die-attach region holds at most "
        f"{r.criteria.max_die_region_kg_m3:g} kg/m^3 of moisture (Galloway and Miles 1997) and the hygroscopic "
        "mismatch at die and metal interfaces stays below their thermal mismatch. Representative material data: "
        "an estimate, not a classification.</p>"
        f"<table><tr>{head}</tr>{''.join(rows)}</table>"
        f"<figure><img src='moisture.svg' alt='moisture profile'><figcaption>Moisture through the package centre "
        f"after {E(shown.result.soak.label)} and at the reflow peak.</figcaption></figure>",
    )
