"""A cap on the bodies one package build may create, checked while it builds.

Every count in a design file has its own bound, but counts multiply (dies x pads per
side x 4 sides, a ball grid "as many as fit" under a 1 m body at a 0.1 um pitch). The
families create every part as a `Body`; while `body_budget` is active each new body
is counted, and the build stops with a one-line error as soon as the count passes the
limit, before the memory or time it would take. The limit is eight times the largest
example (an FCBGA with a lid: about 6,000 bodies).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from semipack.errors import DesignError

MAX_BODIES = 50_000
"""Most bodies (balls, pads, wires, layers ...) one package may have."""

_COUNT: ContextVar[list[int] | None] = ContextVar("semipack_body_budget", default=None)


@contextmanager
def body_budget(limit: int = MAX_BODIES) -> Iterator[None]:
    """Count the bodies created inside the block; refuse past ``limit``."""
    token = _COUNT.set([0, limit])
    try:
        yield
    finally:
        _COUNT.reset(token)


def count_body() -> None:
    """Called for each new body; a no-op outside `body_budget`."""
    state = _COUNT.get()
    if state is None:
        return
    state[0] += 1
    if state[0] > state[1]:
        raise DesignError(
            "parameters",
            "(these counts and sizes)",
            f"the package would have more than {state[1]} bodies (balls, pads, wires, layers); "
            "lower the counts or enlarge the pitches",
        )


def check_count(field: str, count: int, limit: int = MAX_BODIES) -> None:
    """Refuse an estimated ``count`` of parts before they are generated."""
    if count > limit:
        raise DesignError(field, count, f"at most {limit} parts per package; lower the count or enlarge the pitch")
