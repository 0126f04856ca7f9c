"""The CLI's progress display: a `semipack.progress.Progress` drawn with rich on a terminal only.

``live_progress(enabled)`` yields a receiver for the analysis. On a terminal (stderr is a
TTY) and without ``--json`` it shows one transient line: the outer stage (environment k of
n, with an ETA from the environments done so far), the current stage, the solver's
iteration and residual and the elapsed time. Anywhere else it yields the no-op receiver,
so piped and JSON output stay byte for byte what they were.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.live import Live
from rich.text import Text

from semipack.progress import NO_PROGRESS, Progress


class RichProgress:
    """Keeps the latest events; rich's refresh thread draws them (a few times a second)."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.outer: tuple[str, int, int] | None = None
        self.outer_start = self.start
        self.inner = "starting"
        self.film = ""  # the film-coefficient update under way, kept while its solve runs
        self.it = 0
        self.residual: float | None = None

    def stage(self, name: str, k: int = 0, n: int = 0) -> None:
        if name == "environment":  # the outer set (--jedec); every other stage is inside it
            if k == 1:
                self.outer_start = time.monotonic()
            self.outer = (name, k, n)
            self.inner = self.film = ""
        elif name == "film coefficients":
            self.film, self.inner = f"{name} {k}/{n}", ""
        else:
            self.film = self.film if name == "solve" else ""
            self.inner = f"{name} {k}/{n}" if n else name
        self.it, self.residual = 0, None

    def iteration(self, it: int, residual: float) -> None:
        self.it, self.residual = it, residual

    def eta_s(self) -> float | None:
        """Remaining time of the outer stage set, from the mean time of the items done so far."""
        if self.outer is None:
            return None
        _, k, n = self.outer
        if k <= 1 or n <= 0:
            return None
        per = (time.monotonic() - self.outer_start) / (k - 1)
        return per * (n - k + 1)

    def __rich__(self) -> Text:
        parts = []
        if self.outer is not None:
            parts.append(f"{self.outer[0]} {self.outer[1]}/{self.outer[2]}")
        parts.extend(p for p in (self.film, self.inner) if p)
        if self.residual is not None:
            parts.append(f"iteration {self.it}, residual {self.residual:.1e}")
        parts.append(f"{time.monotonic() - self.start:.0f} s")
        eta = self.eta_s()
        if eta is not None:
            parts.append(f"ETA {eta:.0f} s")
        return Text(" | ".join(parts), style="dim")


@contextmanager
def live_progress(enabled: bool = True, console: Console | None = None) -> Iterator[Progress]:
    """A progress receiver drawn on ``console`` (stderr) while the block runs; a no-op off a terminal."""
    con = console or Console(stderr=True)
    if not enabled or not con.is_terminal:
        yield NO_PROGRESS
        return
    view = RichProgress()
    with Live(view, console=con, transient=True, refresh_per_second=4):
        yield view
