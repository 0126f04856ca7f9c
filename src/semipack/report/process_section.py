"""The report's manufacturing-flow section: the default method's steps, the cost roll-up and
a storyboard frame per step."""

from __future__ import annotations

from semipack.report.page import E, Page, duration, table


def process_section(p: Page) -> None:
    from semipack.draw.storyboard import frame_scene, frame_title
    from semipack.draw.svg import render_svg
    from semipack.process.costing import rollup
    from semipack.process.engine import run_flow
    from semipack.process.methods import get_method

    method = get_method(p.pkg, None)
    result = run_flow(p.pkg, method.build(p.pkg))
    cost = rollup(result)
    p.keyrow("cost per good unit", f"{cost.cost_per_good_unit_usd:.3g} USD")
    p.keyrow("cumulative yield", f"{cost.cumulative_yield * 100:.1f} %")
    p.keyrow("cycle time", duration(cost.cycle_time_s))
    rows = []
    for rec in result.records:
        s = rec.step
        t = f"{s.temperature_k - 273.15:.0f} C" if s.temperature_k is not None else ""
        rows.append([str(rec.index), E(s.figure), E(s.title), t, E("; ".join(rec.notes))])
    frames = []
    for rec in result.records:
        name = p.write(f"step{rec.index:02d}.svg", render_svg(frame_scene(result, rec.index)).encode())
        frames.append(
            f"<figure><img src='{name}' alt='step {rec.index}'><figcaption>{E(frame_title(result, rec.index))}</figcaption></figure>"
        )
    p.add(
        "process",
        "Manufacturing flow",
        f"<p><b>{E(method.name)}</b>: seed {E(method.patent)} claims {E(method.claims)}, {E(method.title)}. "
        f"{len(result.records)} steps; the flow ends in exactly this design.</p>"
        + table(["#", "figure", "step", "temperature", "notes"], rows)
        + f"<p>Cost roll-up: {cost.cost_per_good_unit_usd:.3g} USD per good unit, cumulative yield {cost.cumulative_yield * 100:.1f} %, "
        f"cycle time {duration(cost.cycle_time_s)}.</p>"
        + "<details><summary>Storyboard (one frame per step)</summary>"
        + "".join(frames)
        + "</details>",
    )
