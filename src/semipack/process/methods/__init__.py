"""The claimed methods of the five seeds as flows, one module per seed.

`methods_for(design)` lists the methods that apply to a design; each builds its flow
from the design itself (its layers, its variant), so the same method serves every
example of its family.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from semipack.errors import DesignError
from semipack.model import Package
from semipack.process.steps import Flow


@dataclass(frozen=True)
class Method:
    """A named method: which patent and claims it practises, and how to build its flow."""

    name: str
    patent: str
    claims: str
    title: str
    family: str
    build: Callable[[Package], Flow]
    applies: Callable[[Package], str | None] = lambda pkg: None


def all_methods() -> tuple[Method, ...]:
    from semipack.process.methods import generic, m000, m001, m002, m003, m004

    return m000.METHODS + m001.METHODS + m002.METHODS + m003.METHODS + m004.METHODS + generic.METHODS


def methods_for(design: Package) -> list[tuple[Method, str | None]]:
    """Every method of the design's family, with the reason it does not apply (None if it does)."""
    return [(m, m.applies(design)) for m in all_methods() if m.family == design.family]


def get_method(design: Package, name: str | None) -> Method:
    """The named method (or the first that applies); one-line error otherwise."""
    options = methods_for(design)
    if not options:
        raise DesignError("family", design.family, "no manufacturing method is defined for this family")
    if name is None:
        for m, why in options:
            if why is None:
                return m
        raise DesignError(
            "method", None, "no method applies to this design: " + options[0][1] if options[0][1] else ""
        )
    for m, why in options:
        if m.name == name:
            if why is not None:
                raise DesignError("method", name, f"does not apply to this design: {why}")
            return m
    raise DesignError("method", name, "allowed: " + ", ".join(m.name for m, _ in options))
