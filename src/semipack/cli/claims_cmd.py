"""``semipack claims FILE [--patent 000|...|all] [--format text|md|html|json] [--tolerance NAME=VALUE]``."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from semipack.claims import PATENTS, Tolerances, chart
from semipack.design import load_design
from semipack.errors import DesignError
from semipack.report.claim_chart import summary, to_html, to_json, to_markdown

_FORMATS = ("text", "md", "html", "json")


def _tolerances(specs: list[str]) -> Tolerances:
    tol = Tolerances()
    for spec in specs:
        if "=" not in spec:
            raise DesignError("--tolerance", spec, "expected NAME=VALUE, names: " + ", ".join(Tolerances.names()))
        name, value = (s.strip() for s in spec.split("=", 1))
        if name not in Tolerances.names():
            raise DesignError("--tolerance", name, "allowed: " + ", ".join(Tolerances.names()))
        try:
            v = float(value)
        except ValueError:
            raise DesignError(f"--tolerance {name}", value, "a plain number in the unit the name says") from None
        if not 0 <= v <= 1e6:  # also refuses NaN and inf: an infinite tolerance would pass every claim
            raise DesignError(f"--tolerance {name}", value, "a finite number from 0 to 1e6")
        tol = replace(tol, **{name: v})
    return tol


def claims(
    file: Path = typer.Argument(..., help="design file (YAML)"),
    patent: str = typer.Option("all", "--patent", help="000, 001, 002, 003, 004 or all"),
    fmt: str = typer.Option("text", "--format", help="text, md, html or json"),
    tolerance: list[str] = typer.Option([], "--tolerance", help="override an open term, e.g. similar_cte_ppm_k=2"),
    out: Path | None = typer.Option(None, "-o", "--out", help="write to this file instead of standard output"),
) -> None:
    if fmt not in _FORMATS:
        raise DesignError("--format", fmt, "allowed: " + ", ".join(_FORMATS))
    patents = PATENTS if patent == "all" else (patent,)
    tol = _tolerances(tolerance)
    pkg = load_design(file)
    ch = chart(pkg, patents, tol)
    if fmt == "json":
        text = json.dumps(to_json(ch), indent=2)
    elif fmt == "md":
        text = to_markdown(ch)
    elif fmt == "html":
        text = to_html(ch)
    else:
        text = ""
    if out is not None:
        from semipack.draw.output import atomic_write_bytes

        atomic_write_bytes(out, (text or to_markdown(ch)).encode("utf-8"))
        Console(stderr=True).print(f"wrote {out}")
        return
    if text:
        print(text)
        return
    console = Console()
    for p in dict.fromkeys(r.patent for r in ch.results):
        t = Table(title=f"seed {p}: {ch.design}", show_lines=False)
        for col in ("claim", "element", "verdict", "evidence"):
            t.add_column(col, overflow="fold")
        for r in (x for x in ch.results if x.patent == p):
            for i, el in enumerate(r.elements):
                head = (f"{r.number}" + (f" < {r.depends_on}" if r.depends_on else "")) if i == 0 else ""
                t.add_row(head, el.text[:90] + ("..." if len(el.text) > 90 else ""), el.verdict.value, el.evidence)
            t.add_row("", f"[b]claim {r.number}[/b]", f"[b]{r.verdict.value}[/b]", "")
        console.print(t)
    for line in summary(ch):
        console.print(line)
