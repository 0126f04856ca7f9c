"""The report's compact-model section: the JESD15-3 two-resistor model and, on the JESD51-14
cold plate of the package's main heat path, Zth(t) and the cumulative structure function.

Both run on a coarse grid of their own (`ReportOptions.compact_resolution`) and the
transient with a loose step tolerance: the section is a reader's overview, the
``semipack compact`` and ``semipack transient`` commands give the full-resolution models.

References
----------
JEDEC JESD15-3 (2008), two-resistor compact thermal model guideline.
JEDEC JESD51-14 (2010), transient dual interface method: the structure function's total
resistance is the steady junction-to-plate resistance.
"""

from __future__ import annotations

import html
from typing import Any

E = html.escape

UNTIL_S = 30.0
"""Long enough for a package on a cold plate to settle (its slowest time constants are about a second)."""

FIRST_STEP_S = 1e-3
RTOL = 3e-3
"""Ten times the transient's default tolerance: a figure, not a data-sheet Zth."""


def compact_section(p: Any) -> None:
    """Add the 'compact' section to the report page ``p`` (a `semipack.report.page.Page`)."""
    from semipack.draw.compact_plots import plot_zth
    from semipack.thermal import BoardKind, Environment, EnvKind, solve_thermal
    from semipack.thermal.compact.detailed import build_detailed
    from semipack.thermal.compact.two_resistor import two_resistor
    from semipack.thermal.setup import ThermalCache
    from semipack.thermal.transient import simulate

    res = p.options.compact_resolution
    net = two_resistor(build_detailed(p.pkg, resolution=res))
    r = {ln.b: ln.r_k_w for ln in net.links}
    # The structure function on the plate of the lower-resistance side (the heat path a data sheet gives).
    kind = EnvKind.COLD_PLATE_TOP if r["C"] < r["B"] else EnvKind.COLD_PLATE_BOTTOM
    env = Environment(kind, BoardKind.NONE) if kind is EnvKind.COLD_PLATE_TOP else Environment(kind)
    cache = ThermalCache()  # the transient's set-up serves the steady run on the same plate
    tr = simulate(p.pkg, env, until_s=UNTIL_S, first_step_s=FIRST_STEP_S, resolution=res, rtol=RTOL, cache=cache)
    steady = solve_thermal(p.pkg, env, resolution=res, cache=cache)
    theta = (steady.tj_max_k - env.ambient_k) / steady.power_w
    total = float(tr.cumulative_r[-1])
    plot_zth(
        tr.times_s,
        tr.zth_k_per_w,
        tr.cumulative_r,
        tr.cumulative_c,
        p.folder / "zth.svg",
        f"{p.pkg.name}: Zth and structure functions, {kind.value}",
    )
    p.keyrow("theta-JC / theta-JB (2R, JESD15-3)", f"{r['C']:.3g} / {r['B']:.3g} C/W")
    rows = [
        ["theta-JC (junction to case top, 2R)", f"{r['C']:.4g}"],
        ["theta-JB (junction to board side, 2R)", f"{r['B']:.4g}"],
        [f"steady theta to the {E(kind.value)} plate", f"<span id='theta-steady'>{theta:.4g}</span>"],
        ["structure function total R", f"<span id='zth-total'>{total:.4g}</span>"],
    ]
    body = "".join(f"<tr><td>{a}</td><td>{b}</td></tr>" for a, b in rows)
    p.add(
        "compact",
        "Compact thermal model",
        f"<p>Two-resistor model (JESD15-3) from the package's own detailed model, and the thermal impedance "
        f"Zth(t) of a {tr.power_w:.3g} W step on the {E(kind.value)} (JESD51-14), {tr.steps} time steps from "
        f"{FIRST_STEP_S * 1e3:g} ms to {UNTIL_S:g} s (faster die-level detail is not resolved) on a coarse grid (resolution {res:g}, {steady.cells} cells). The structure function's "
        f"total resistance equals the steady theta to the plate ({(total / theta - 1) * 100:+.2f} %). "
        "For data-sheet values run <code>semipack compact</code> at full resolution.</p>"
        f"<table class='kv'><tr><th>resistance</th><th>C/W</th></tr>{body}</table>"
        "<figure><img src='zth.svg' alt='Zth and structure functions'><figcaption>Zth(t), the cumulative "
        "structure function (Cauer C against R) and the differential one.</figcaption></figure>",
    )
