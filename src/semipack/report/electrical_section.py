"""The report's electrical section: nets, opens and shorts, and the design rules."""

from __future__ import annotations

from semipack.errors import DesignError
from semipack.report.page import E, Page, table


def electrical_section(p: Page) -> None:
    from semipack.electrical.drc import check_rules
    from semipack.electrical.nets import analyse

    if not p.pkg.nets:
        raise DesignError("nets", 0, "the design has no nets")
    conn = analyse(p.pkg)
    rows = [
        [
            E(n.name),
            E(n.kind),
            str(n.pads),
            str(n.terminals),
            f"{n.r_min_ohm * 1e3:.2f} - {n.r_max_ohm * 1e3:.2f}",
            E(", ".join(n.open_pads)) or "-",
        ]
        for n in conn.nets[:40]
    ]
    more = f"<p>... and {len(conn.nets) - 40} more nets.</p>" if len(conn.nets) > 40 else ""
    drc = check_rules(p.pkg)
    viol = [[E(v.rule), E(", ".join(v.bodies)), E(v.text())] for v in drc.violations[:30]]
    claim4 = (
        f"<p>Seed 002 claim 4 (external traces wider, longer, thicker): {E(drc.claim4[1])}</p>" if drc.claim4 else ""
    )
    p.keyrow("nets open / shorted", f"{len(conn.opens)} / {len(conn.shorts)}", not conn.opens and not conn.shorts)
    p.keyrow("design-rule violations", str(len(drc.violations)), not drc.violations)
    p.add(
        "electrical",
        "Electrical",
        f"<p>{len(conn.nets)} nets, {len(conn.opens)} open, {len(conn.shorts)} shorted.</p>"
        + table(["net", "kind", "pads", "terminals", "R per pad path (mOhm)", "open pads"], rows)
        + more
        + f"<h3>Design rules</h3><p>{len(drc.violations)} violations; checked "
        + E(", ".join(f"{k} {v}" for k, v in drc.checked.items()))
        + ".</p>"
        + (table(["rule", "bodies", "where"], viol) if viol else "")
        + claim4,
    )
