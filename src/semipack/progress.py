"""Progress reports from long analyses, without printing: the caller passes a `Progress` in.

An analysis calls ``stage(name, k, n)`` when it enters a stage (``k`` of ``n``; ``n`` is 0
when the count is not known ahead) and ``iteration(it, residual)`` after each solver
iteration. The library never draws; the CLI renders these calls on a terminal (see
``semipack.cli.progress``). `NO_PROGRESS` does nothing and is the default everywhere.
"""

from __future__ import annotations

from typing import Any, Protocol


class Progress(Protocol):
    """Receiver of progress events (every method must be cheap: it runs inside solver loops)."""

    def stage(self, name: str, k: int = 0, n: int = 0) -> None:
        """Entering stage ``name``, the ``k``-th of ``n`` (1-based; 0, 0 when it has no count)."""

    def iteration(self, it: int, residual: float) -> None:
        """Solver iteration ``it`` of the current stage ended with this relative residual."""


class NullProgress:
    """The default: ignores everything."""

    def stage(self, name: str, k: int = 0, n: int = 0) -> None:
        return None

    def iteration(self, it: int, residual: float) -> None:
        return None


NO_PROGRESS: Progress = NullProgress()


class Recorder:
    """Keeps every event as a tuple, in order: ``("stage", name, k, n)`` or ``("iteration", it, residual)``."""

    def __init__(self) -> None:
        self.events: list[tuple[Any, ...]] = []

    def stage(self, name: str, k: int = 0, n: int = 0) -> None:
        self.events.append(("stage", name, k, n))

    def iteration(self, it: int, residual: float) -> None:
        self.events.append(("iteration", it, residual))

    @property
    def stages(self) -> list[tuple[str, int, int]]:
        return [(e[1], e[2], e[3]) for e in self.events if e[0] == "stage"]
