"""A claim chart as JSON, Markdown, HTML or plain text, with a closing summary."""

from __future__ import annotations

import html
from typing import Any

from semipack.claims import Chart, ClaimResult, Verdict

_MARK = {Verdict.MET: "met", Verdict.NOT_MET: "not met", Verdict.UNDETERMINED: "undetermined"}


def summary(ch: Chart) -> list[str]:
    """One line per patent with the claims the design reads on, and any overlap between patents."""
    lines = []
    by: dict[str, list[int]] = {p: [] for p in ch.patents}
    for r in ch.results:
        if r.verdict is Verdict.MET:
            by[r.patent].append(r.number)
    for patent, nums in by.items():
        total = sum(1 for r in ch.results if r.patent == patent)
        if total == 0:
            lines.append(f"{patent}: the seed text carries no claims")
            continue
        indep = [
            r.number for r in ch.results if r.patent == patent and r.depends_on is None and r.verdict is Verdict.MET
        ]
        lines.append(
            f"{patent}: reads on {len(nums)} of {total} claims"
            + (f" (independent: {', '.join(map(str, indep))}; all: {_ranges(nums)})" if nums else "")
        )
    hit = [p for p, nums in by.items() if nums]
    if len(hit) > 1:
        firsts = [f"{p} claim {min(by[p])}" for p in hit]
        lines.append("overlap: the design reads on " + " and ".join(firsts) + " at once")
    return lines


def _ranges(nums: list[int]) -> str:
    out: list[str] = []
    start = prev = nums[0]
    tail: list[int | None] = [*nums[1:], None]
    for n in tail:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(f"{start}" if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(out)


def to_json(ch: Chart) -> dict[str, Any]:
    return {
        "design": ch.design,
        "family": ch.family,
        "tolerances": ch.tolerances.__dict__,
        "claims": [
            {
                "patent": r.patent,
                "claim": r.number,
                "depends_on": r.depends_on,
                "method": r.method,
                "verdict": r.verdict.value,
                "elements": [{"text": e.text, "verdict": e.verdict.value, "evidence": e.evidence} for e in r.elements],
            }
            for r in ch.results
        ],
        "summary": summary(ch),
    }


def _rows(r: ClaimResult) -> list[tuple[str, str, str, str]]:
    out = []
    for i, e in enumerate(r.elements):
        head = f"{r.number}" + (f" (of {r.depends_on})" if r.depends_on else "") if i == 0 else ""
        out.append((head, e.text, _MARK[e.verdict], e.evidence))
    return out


def to_markdown(ch: Chart) -> str:
    lines = [f"# Claim chart: {ch.design} ({ch.family})", ""]
    patents = list(dict.fromkeys(r.patent for r in ch.results))
    for p in patents:
        lines += [f"## Seed {p}", "", "| claim | element | verdict | evidence |", "|---|---|---|---|"]
        for r in (x for x in ch.results if x.patent == p):
            for head, text, v, ev in _rows(r):
                lines.append(f"| {head} | {text.replace('|', '/')} | {v} | {ev.replace('|', '/')} |")
            lines.append(f"| | **claim {r.number}** | **{_MARK[r.verdict]}** | |")
        lines.append("")
    lines += ["## Summary", ""] + [f"- {s}" for s in summary(ch)]
    return "\n".join(lines) + "\n"


def read_on(ch: Chart) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The patents with at least one claim met, and (when there is none) the closest one: the
    patent whose best independent claim has the largest share of its elements met (then the most
    elements met; first in chart order on a tie). Dependent claims are left out of "closest":
    their own elements can all be met while the claim they depend on is not."""
    hit = tuple(p for p in ch.patents if any(r.patent == p and r.verdict is Verdict.MET for r in ch.results))
    if hit:
        return hit, ()
    best: dict[str, tuple[float, int]] = {}
    for r in ch.results:
        if r.depends_on is not None:
            continue
        met = sum(e.verdict is Verdict.MET for e in r.elements)
        best[r.patent] = max(best.get(r.patent, (0.0, 0)), (met / max(len(r.elements), 1), met))
    if not best:
        return (), ()
    top = max(best.values())
    return (), (next(p for p in ch.patents if best.get(p) == top),)


def tables_html(ch: Chart, patents: tuple[str, ...] | None = None) -> str:
    """The chart's tables (of ``patents``, default all) and summary as an HTML fragment."""
    e = html.escape
    parts = []
    for p in dict.fromkeys(r.patent for r in ch.results):
        if patents is not None and p not in patents:
            continue
        parts.append(
            f"<h3>Seed {e(p)}</h3><table class='chart'><tr><th>claim</th><th>element</th><th>verdict</th><th>evidence</th></tr>"
        )
        for r in (x for x in ch.results if x.patent == p):
            for (head, text, v, ev), el in zip(_rows(r), r.elements, strict=True):
                parts.append(
                    f"<tr class='{el.verdict.value}'><td>{e(head)}</td><td>{e(text)}</td><td>{e(v)}</td><td>{e(ev)}</td></tr>"
                )
            parts.append(
                f"<tr class='{r.verdict.value}'><td></td><td><b>claim {r.number}</b></td><td><b>{e(_MARK[r.verdict])}</b></td><td></td></tr>"
            )
        parts.append("</table>")
    parts.append("<h3>Summary</h3><ul>" + "".join(f"<li>{e(s)}</li>" for s in summary(ch)) + "</ul>")
    return "".join(parts)


def to_html(ch: Chart) -> str:
    e = html.escape
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>Claim chart: {e(ch.design)}</title><style>body{{font-family:sans-serif;margin:2em}}"
        "table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #999;padding:2px 6px;vertical-align:top}"
        ".met{background:#dfd}.not_met{background:#fdd}.undetermined{background:#ffd}</style></head><body>"
        f"<h1>Claim chart: {e(ch.design)} ({e(ch.family)})</h1>"
        + tables_html(ch).replace("<h3>", "<h2>").replace("</h3>", "</h2>")
        + "</body></html>"
    )
