"""The offline HTML report: one folder with ``index.html``, its figures and the CAD files.

Each section runs its analysis and renders it; a section whose analysis does not apply
to the design (a package with no balls has no fatigue life, one with no method no
storyboard) is left out and listed under "Not in this report" with the reason. Nothing
is fetched from a network: the 3D viewer is a small WebGL script shipped with semipack
and inlined, and figures are SVG files in the folder.

The folder is built under a temporary name beside the target and renamed into place,
so a failed run never leaves a half-written report.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from semipack.errors import DesignError
from semipack.model import Package
from semipack.report.claims_section import claims_section
from semipack.report.design_section import (
    drawings_section,
    exports_section,
    model_section,
    package_section,
    viewer_payload,
)
from semipack.report.electrical_section import electrical_section
from semipack.report.folder import REPORT_MARKER, check_report_folder, swap_in
from semipack.report.mechanics_section import mechanics_section
from semipack.report.moisture_section import moisture_section
from semipack.report.page import E, Page, ReportOptions, duration, key_numbers
from semipack.report.process_section import process_section
from semipack.report.thermal_section import MAP_MARGIN_M, TJ_LIMIT_C, thermal_section


def _compact(p: Page) -> None:
    from semipack.report.compact_section import compact_section

    compact_section(p)


SECTIONS: dict[str, tuple[str, Callable[[Page], None]]] = {
    # Filled last from the other sections' key numbers, shown first.
    "summary": ("Summary", lambda p: None),
    "package": ("Package", package_section),
    "drawings": ("Drawings", drawings_section),
    "model": ("3D model", model_section),
    "process": ("Manufacturing flow", process_section),
    "thermal": ("Thermal", thermal_section),
    "compact": ("Compact thermal model", _compact),
    "mechanics": ("Thermo-mechanics", mechanics_section),
    "moisture": ("Moisture sensitivity", moisture_section),
    "electrical": ("Electrical", electrical_section),
    "claims": ("Claim chart", claims_section),
    "exports": ("Files", exports_section),
}

_CSS = """
body{font-family:system-ui,sans-serif;margin:0;color:#222}
header{background:#234;color:#fff;padding:0.8em 1.5em}header h1{margin:0;font-size:1.4em}
nav{padding:0.4em 1.5em;background:#eef}nav a{margin-right:1em}
main{padding:0 1.5em 2em}section{margin-top:1.5em}
table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #bbb;padding:2px 6px;vertical-align:top;font-size:0.9em}
table.kv td:first-child{font-weight:600}
img{max-width:100%}figure{margin:0.5em 0}figcaption{font-size:0.85em;color:#555}
.viewer canvas{width:100%;height:480px;border:1px solid #ccc;display:block}
#viewer-controls label{margin-right:0.8em;font-size:0.9em}
.badge{padding:0 0.5em;border-radius:0.6em;font-weight:600;font-size:0.85em}
.badge.pass{background:#cec;color:#040}.badge.fail{background:#ecc;color:#600}
.met{background:#dfd}.not_met{background:#fdd}.undetermined{background:#ffd}
"""

# Installed before anything else runs: errors and console errors are kept in the page,
# so a headless browser (and a reader) can see them.
_ERRORS = (
    "<script>(function(){var d=document.documentElement;d.dataset.errors='0';function k(m){"
    "d.dataset.errors=String(+d.dataset.errors+1);d.dataset.lastError=String(m).slice(0,300);}"
    "window.addEventListener('error',function(e){k(e.message);});"
    "var ce=console.error;console.error=function(){k(Array.prototype.join.call(arguments,' '));"
    "ce.apply(console,arguments);};})();</script>"
)


def _page_html(p: Page) -> str:
    import semipack

    nav = "".join(f"<a href='#{sid}'>{E(title)}</a>" for sid, title, _ in p.sections)
    body = "".join(f"<section id='{sid}'><h2>{E(title)}</h2>{content}</section>" for sid, title, content in p.sections)
    omitted = ""
    if p.omitted:
        omitted = (
            "<section id='omitted'><h2>Not in this report</h2><ul>"
            + "".join(f"<li>{E(t)}: {E(why)}</li>" for t, why in p.omitted)
            + "</ul></section>"
        )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{E(p.pkg.name)}: semipack report</title>{_ERRORS}<style>{_CSS}</style></head><body>"
        f"<header><h1>{E(p.pkg.name)}</h1><div>{E(p.pkg.family)} package, semipack "
        f"{E(semipack.__version__)}</div></header><nav>{nav}</nav><main>{body}{omitted}</main></body></html>"
    )


def write_report(pkg: Package, out: Path, options: ReportOptions | None = None) -> list[str]:
    """Write the report folder ``out`` (``index.html`` and its files); return the section ids written."""
    opts = options or ReportOptions()
    unknown = set(opts.skip) - set(SECTIONS)
    if unknown:
        raise DesignError("skip", ",".join(sorted(unknown)), "allowed: " + ", ".join(SECTIONS))
    out = check_report_folder(Path(out))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    except OSError as exc:
        raise DesignError("out", str(out), f"cannot be written ({exc.strerror or type(exc).__name__})") from None
    try:
        page = Page(staging, pkg, opts)
        for sid, (title, fn) in SECTIONS.items():
            if sid in opts.skip or (sid == "exports" and not opts.cad):
                continue
            try:
                fn(page)
            except DesignError as exc:
                page.omitted.append((title, f"{exc.field}: {exc.allowed}"))
        if "summary" not in opts.skip:
            page.sections.insert(0, ("summary", "Summary", key_numbers(page)))
        (staging / "index.html").write_text(_page_html(page), encoding="utf-8")
        (staging / REPORT_MARKER).write_text("written by semipack report; the folder is replaced on the next run\n")
        staging.chmod(0o755)
        swap_in(staging, out)
    except OSError as exc:
        raise DesignError("out", str(out), f"cannot be written ({exc.strerror or type(exc).__name__})") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already when it was renamed into place
    return [sid for sid, _, _ in page.sections]


__all__ = [
    "MAP_MARGIN_M",
    "REPORT_MARKER",
    "SECTIONS",
    "TJ_LIMIT_C",
    "ReportOptions",
    "check_report_folder",
    "duration",
    "viewer_payload",
    "write_report",
]
