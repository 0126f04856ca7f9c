"""The storyboard of a flow: one cross-section per step, as frames and one offline HTML page."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

from semipack.draw.output import atomic_write_bytes
from semipack.draw.scene import Scene, section_scene
from semipack.geometry import Axis
from semipack.model import Package
from semipack.process.effects import INCOMING
from semipack.process.engine import FlowResult
from semipack.process.steps import PROVIDE_KINDS

_MAX_UNITS = 3


def _unit_name(name: str) -> str:
    """A body's name within its unit (a strip prefixes copies with ``u<k>.``)."""
    return re.sub(r"^u\d+\.", "", name)


def frame_package(result: FlowResult, index: int) -> Package:
    """What step ``index`` shows: the incoming part for a 'provide' step, else the whole strip."""
    rec = result.records[index - 1]
    pkg = result.panel(index, units=min(result.flow.units, _MAX_UNITS))
    if rec.step.kind in PROVIDE_KINDS:
        before = {b.name for b in result.unit(index - 1).bodies} if index > 1 else set()
        added = {b.name for b in result.unit(index).bodies} - before
        keep = tuple(b for b in pkg.bodies if _unit_name(b.name) in added)
    else:
        keep = tuple(b for b in pkg.bodies if not _unit_name(b.name).startswith(INCOMING))
    return replace(pkg, bodies=keep or pkg.bodies, validate=False)


def frame_title(result: FlowResult, index: int) -> str:
    rec = result.records[index - 1]
    fig = f"{rec.step.figure}: " if rec.step.figure else ""
    return f"{fig}step {index}, {rec.step.title}"


def frame_scene(result: FlowResult, index: int) -> Scene:
    pkg = frame_package(result, index)
    axis, at = result.design.section_hint
    y = at if axis == "y" else 0.0
    scene = section_scene(pkg, Axis.Y, y)
    return replace(scene, title=frame_title(result, index))


def write_frames(result: FlowResult, folder: Path, fmt: str = "svg") -> list[Path]:
    """One frame per step (``step01.svg`` ...), plus ``storyboard.html``; returns the files written.

    Every frame is drawn before the first file is written, and each file is written
    atomically: a failure leaves the folder as it was; other files in it are not touched.
    """
    folder = Path(folder)
    from semipack.draw.svg import render_svg

    blobs: list[tuple[Path, bytes]] = []
    svgs: list[str] = []
    for rec in result.records:
        scene = frame_scene(result, rec.index)
        svg = render_svg(scene)
        svgs.append(svg)
        path = folder / f"step{rec.index:02d}.{fmt}"
        if fmt == "svg":
            blobs.append((path, svg.encode("utf-8")))
        else:
            from semipack.draw.png import render_png

            blobs.append((path, render_png(scene)))
    blobs.append((folder / "storyboard.html", storyboard_html(result, svgs).encode("utf-8")))
    for path, data in blobs:
        atomic_write_bytes(path, data)
    return [path for path, _ in blobs]


def storyboard_html(result: FlowResult, svgs: list[str]) -> str:
    """A self-contained page: the step table and every frame inline (no scripts, no network)."""
    rows = []
    for rec in result.records:
        s = rec.step
        t = f"{s.temperature_k - 273.15:.0f} C" if s.temperature_k is not None else ""
        rows.append(
            f"<tr><td>{rec.index}</td><td>{html.escape(s.figure)}</td><td>{html.escape(s.title)}</td>"
            f"<td>{t}</td><td>{(s.time_s or 0):.0f} s</td><td>{html.escape('; '.join(rec.notes))}</td></tr>"
        )
    frames = "\n".join(
        f'<section id="step{r.index}"><h2>{html.escape(frame_title(result, r.index))}</h2>{svg}</section>'
        for r, svg in zip(result.records, svgs, strict=True)
    )
    name = html.escape(result.flow.name)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{name}</title><style>body{{font-family:sans-serif;margin:2em}}svg{{max-width:100%;height:auto}}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px}</style></head><body>"
        f"<h1>{name}: {html.escape(result.design.name)}</h1><p>{html.escape(result.flow.description)}</p>"
        "<table><tr><th>#</th><th>figure</th><th>step</th><th>temperature</th><th>time</th><th>notes</th></tr>"
        + "".join(rows)
        + f"</table>{frames}</body></html>"
    )
