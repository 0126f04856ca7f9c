"""The report folder: which folders a report may replace, and the swap that puts a finished
report in place without ever leaving a half-written one."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from semipack.errors import DesignError

REPORT_MARKER = ".semipack-report"
"""File every report folder holds: only a folder with it (or an empty one) is replaced."""


def check_report_folder(out: Path) -> Path:
    """Refuse a report folder that is the working folder, one above it, a file, or a
    non-empty folder that is not an earlier report (its files would be deleted)."""
    resolved = out.resolve()
    cwd = Path.cwd().resolve()
    if resolved == cwd or cwd.is_relative_to(resolved):
        raise DesignError("out", str(out), "a new folder for the report, not the working folder or one above it")
    if out.exists() and not out.is_dir():
        raise DesignError("out", str(out), "a folder (the report's index.html goes inside); this is a file")
    if out.is_dir() and any(out.iterdir()) and not _is_report(out):
        raise DesignError("out", str(out), "a new or empty folder, or an earlier report's: this one holds other files")
    return out


def _is_report(folder: Path) -> bool:
    """An earlier report: the marker, or (written before the marker existed) its page's title."""
    if (folder / REPORT_MARKER).is_file():
        return True
    page = folder / "index.html"
    if not page.is_file():  # not a FIFO or a folder: reading it must not block
        return False
    try:
        with page.open("rb") as fh:
            return b": semipack report</title>" in fh.read(8192)
    except OSError:
        return False


def swap_in(staging: Path, out: Path) -> None:
    """Rename the finished ``staging`` folder to ``out``; an earlier report there is removed
    only once the new one is in place (and put back if the rename fails)."""
    if not out.exists():
        staging.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
    try:
        out.rename(old / "report")
        try:
            staging.rename(out)
        except OSError:
            (old / "report").rename(out)
            raise
    finally:
        shutil.rmtree(old, ignore_errors=True)
