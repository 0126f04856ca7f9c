"""The report's claim-chart section: the patents the design reads on (or the closest one),
the full chart as its own page."""

from __future__ import annotations

from semipack.report.page import E, Page


def claims_section(p: Page) -> None:
    from semipack.claims.chart import chart
    from semipack.report.claim_chart import read_on, tables_html, to_html

    ch = chart(p.pkg)
    hit, closest = read_on(ch)
    shown = tuple(ch.patents) if p.options.all_claims else (hit or closest)
    p.keyrow("claims read on", "; ".join(f"seed {k}" for k in hit) or f"none (closest: seed {', '.join(closest)})")
    full = p.write("claim_chart.html", to_html(ch).encode())
    others = [k for k in ch.patents if k not in shown]
    intro = (
        "<p>Charts of the patents the design reads on"
        if hit
        else "<p>The design reads on no claim; the chart of the closest patent"
    ) + (
        f" (the others, {E(', '.join(others))}, are in the <a href='{full}'>full chart</a>).</p>"
        if others
        else f". <a href='{full}'>The chart as its own page</a>.</p>"
    )
    p.add("claims", "Claim chart", intro + tables_html(ch, shown))
