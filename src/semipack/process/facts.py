"""What the engine tracks about a build besides its bodies: small frozen facts, one type per kind.

A step's handler reads the facts of the state before it (are the thru-holes of level 2
open? is a plating resist still on?) and its `Change` adds or removes facts. Each kind
is its own type, so a fact is matched by value (``ThruHoles(2) in state.facts``) or by
type (``isinstance(f, PlatingResist)``), never by parsing a string.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Flag(Enum):
    """Facts about the whole build that carry no body or level."""

    FLEX = "flex"  # the flat flex is provided (seed 001, operation 2)
    FACE_DOWN = "face_down"  # the temporary substrate is down: dies go on face down (seed 002, claim 102)
    FACE_DOWN_DIES = "face_down_dies"  # dies are placed face down on the temporary substrate
    BUMPED = "bumped"  # the dies arrived with bumps on their bond pads (seed 001, operation 1)


class Temporary(Enum):
    """The bodies the engine itself makes and removes again (they are not in the design).

    The value is the body's name in the build state: the handlers that make, read and remove
    these bodies name them through this type, never by a string of their own.
    """

    SUBSTRATE = "temporary_substrate"  # the carrier the dies go on face down (seed 002, claim 102)
    FIRST_FILLING = "first_filling"  # the filling around the face-down dies, ground with them (seed 002)
    MOLD_FLASH = "mold_flash"  # resin bled over the exposed sinks in panel moulding (seed 003)


@dataclass(frozen=True)
class Uncured:
    """An adhesive or resin body that has gone on and still needs a cure."""

    body: str


@dataclass(frozen=True)
class AtLevel:
    """A fact about build-up level ``level`` (1 = next to the die); each kind is a subclass."""

    level: int


@dataclass(frozen=True)
class ThruHoles(AtLevel):
    """The thru-holes of the level are open."""


@dataclass(frozen=True)
class SeedLayer(AtLevel):
    """A sputtered seed layer covers the level."""


@dataclass(frozen=True)
class PlatingResist(AtLevel):
    """The plating resist of the level is still on."""


Fact = Flag | Uncured | ThruHoles | SeedLayer | PlatingResist


def uncured_bodies(facts: Iterable[Fact]) -> list[str]:
    """The names of the bodies still waiting for a cure, sorted."""
    return sorted(f.body for f in facts if isinstance(f, Uncured))


def any_resist(facts: Iterable[Fact]) -> bool:
    """Whether a plating resist is on at any level."""
    return any(isinstance(f, PlatingResist) for f in facts)
