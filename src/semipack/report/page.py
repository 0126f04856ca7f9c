"""The report page being built: its options, the sections and key numbers the sections add,
the files they write, and the small HTML helpers every section uses."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from semipack.model import Package

E = html.escape


@dataclass(frozen=True)
class ReportOptions:
    """What the report runs: thermal grid resolution, sections to skip, CAD downloads."""

    resolution: float = 0.5
    # Column AMG: 2-4x faster than pyamg on five families at resolution 0.5; on the
    # folded-flex CSP (vertical flex sheets) it is about as fast as pyamg.
    solver: str = "column-amg"
    skip: frozenset[str] = frozenset()
    cad: bool = True
    segments: int = 16
    # Every patent's claim chart on the page (default: only those the design reads on).
    all_claims: bool = False
    # The compact-model section's own (coarse) grid: its transient is the report's dearest solve.
    compact_resolution: float = 0.25


@dataclass
class Page:
    folder: Path
    pkg: Package
    options: ReportOptions
    sections: list[tuple[str, str, str]] = field(default_factory=list)
    omitted: list[tuple[str, str]] = field(default_factory=list)
    # The summary's rows (quantity, value, verdict "pass" / "FAIL" / ""), filled by the sections.
    key: list[tuple[str, str, str]] = field(default_factory=list)

    def keyrow(self, name: str, value: str, verdict: bool | None = None) -> None:
        self.key.append((name, value, "" if verdict is None else ("pass" if verdict else "FAIL")))

    def add(self, sid: str, title: str, body: str) -> None:
        self.sections.append((sid, title, body))

    def write(self, name: str, data: bytes) -> str:
        (self.folder / name).write_bytes(data)
        return name


def table(head: list[str], rows: list[list[str]], cls: str = "") -> str:
    h = "".join(f"<th>{E(x)}</th>" for x in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table class='{cls}'><tr>{h}</tr>{body}</table>"


def mm(v: float | None, digits: int = 3) -> str:
    return "-" if v is None else f"{v * 1e3:.{digits}f} mm"


def duration(seconds: float) -> str:
    """A time as a reader wants it: seconds below two minutes (never "0 min"), then minutes, then hours."""
    if seconds < 120:
        return f"{seconds:.3g} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def badge(verdict: str) -> str:
    return f"<span class='badge {verdict.lower()}'>{verdict}</span>" if verdict else ""


def key_numbers(p: Page) -> str:
    """The summary: every key number the sections produced, with its verdict, and what is missing."""
    rows = [[E(n), E(v), badge(b)] for n, v, b in p.key]
    fails = sum(1 for _, _, b in p.key if b == "FAIL")
    head = f"<p>{len(p.key)} key numbers, {fails} failing; each is detailed in its section below.</p>"
    return head + table(["quantity", "value", "verdict"], rows, "kv key")
