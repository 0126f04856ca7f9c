"""Pictures and a self-contained HTML page of a study (matplotlib, imported lazily)."""

from __future__ import annotations

import html
from typing import Any

from semipack.study.results import StudyResults, best, column_stats, front, input_text, sensitivity


def pareto_svg(res: StudyResults) -> str | None:
    """The objectives of every feasible point, the front highlighted (2 objectives: a scatter;
    3: the three pairwise projections). None with fewer than two objectives."""
    obs = res.objectives
    if len(obs) < 2:
        return None
    from semipack.draw.mpl import figure_bytes, pyplot

    plt = pyplot()

    pts = {r["id"]: r for r in res.ok}.values()
    feas = {r["id"] for r in res.feasible()}
    fr = {r["id"] for r in front(res)}
    pairs = [(0, 1)] if len(obs) == 2 else [(0, 1), (0, 2), (1, 2)]
    fig, axes = plt.subplots(1, len(pairs), figsize=(5.5 * len(pairs), 4.5), squeeze=False)
    for ax, (i, j) in zip(axes[0], pairs, strict=True):
        for group, style in (
            ([r for r in pts if r["id"] not in feas], {"c": "0.75", "marker": "x", "label": "breaks a constraint"}),
            ([r for r in pts if r["id"] in feas and r["id"] not in fr], {"c": "tab:blue", "label": "feasible"}),
            (
                sorted((r for r in pts if r["id"] in fr), key=lambda r: r[obs[i].key]),
                {"c": "tab:red", "label": "Pareto front"},
            ),
        ):
            if group:
                ax.scatter([r[obs[i].key] for r in group], [r[obs[j].key] for r in group], s=18, **style)
        ax.set_xlabel(obs[i].text())
        ax.set_ylabel(obs[j].text())
        ax.grid(alpha=0.3)
    axes[0][0].legend(fontsize=8)
    fig.suptitle(f"{res.name}: {len(list(pts))} points")
    fig.tight_layout()
    text = figure_bytes(fig, "svg").decode("utf-8")
    return text[text.index("<svg") :]  # inline: no XML prolog or DOCTYPE


def study_html(res: StudyResults) -> str:
    """A self-contained page: counts, output ranges, best points, the front, sensitivities, all points."""
    e = html.escape

    def fmt(v: Any) -> str:
        return f"{v:.4g}" if isinstance(v, float) else e(str(v))

    unique = {r["id"]: r for r in res.rows if r["status"]}
    stats_rows = "".join(
        f"<tr><td>{e(k)}</td><td>{fmt(s['min'])}</td><td>{fmt(s['median'])}</td><td>{fmt(s['max'])}</td></tr>"
        for k, s in column_stats(res).items()
    )
    cols = [*res.parameters, *res.outputs]
    head = "".join(f"<th>{e(c)}</th>" for c in ("#", *cols, "status"))

    def row(r: dict[str, Any]) -> str:
        cells = "".join(f"<td>{e(input_text(r, c)) if c in res.parameters else fmt(r.get(c))}</td>" for c in cols)
        status = r["status"] if r["status"] != "failed" else f"failed: {r['error']}"
        return f"<tr><td>{r['idx']}</td>{cells}<td>{e(str(status))}</td></tr>"

    best_rows = "".join(f"<tr><td>{e(k)}</td>{row(r)[4:]}" for k, r in best(res).items())
    sens = sensitivity(res)
    label = "S1 / ST (Sobol)" if sens.method == "sobol" else "Spearman rho"
    sens_rows = "".join(
        f"<tr><td>{e(k)}</td>"
        + "".join(
            f"<td>{v[0]:+.2f}" + (f" / {v[1]:.2f}" if sens.method == "sobol" else "") + "</td>"
            if (v := d.get(p))
            else "<td>-</td>"
            for p in res.parameters
        )
        + "</tr>"
        for k, d in sens.values.items()
    )
    svg = pareto_svg(res) or ""
    goals = ", ".join(o.text() for o in res.objectives) or "none"
    cons = ", ".join(c.text() for c in res.constraints) or "none"
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{e(res.name)}: semipack study</title><style>body{{font-family:system-ui,sans-serif;margin:2em}}"
        "table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #bbb;padding:2px 6px;font-size:0.85em}"
        "svg{max-width:100%;height:auto}</style></head><body>"
        f"<h1>Study {e(res.name)}</h1><p>{len(unique)} points finished of {len(res.rows)} planned: "
        f"{sum(r['status'] == 'ok' for r in unique.values())} ok, {sum(r['status'] == 'failed' for r in unique.values())} failed. "
        f"Objectives: {e(goals)}. Constraints: {e(cons)}. semipack {e(res.version)}.</p>"
        f"<h2>Outputs</h2><table><tr><th>output</th><th>min</th><th>median</th><th>max</th></tr>{stats_rows}</table>"
        f"<h2>Best points</h2><table><tr><th>objective</th>{head}</tr>{best_rows}</table>"
        f"<h2>Pareto front</h2>{svg}<table><tr>{head}</tr>{''.join(row(r) for r in front(res))}</table>"
        f"<h2>Sensitivity ({e(label)})</h2><table><tr><th>output</th>"
        + "".join(f"<th>{e(p)}</th>" for p in res.parameters)
        + f"</tr>{sens_rows}</table>"
        f"<h2>All points</h2><table><tr>{head}</tr>{''.join(row(r) for r in res.rows)}</table></body></html>"
    )
