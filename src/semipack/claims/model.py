"""Claim charts: verdicts, findings, encoded claims and their results (frozen records)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, fields
from enum import Enum
from typing import TYPE_CHECKING

from semipack.errors import DesignError

if TYPE_CHECKING:
    from semipack.claims.facts import Facts


class Verdict(Enum):
    """Whether one element (or one claim) reads on the design."""

    MET = "met"
    NOT_MET = "not_met"
    UNDETERMINED = "undetermined"


_RANK = {Verdict.NOT_MET: 0, Verdict.UNDETERMINED: 1, Verdict.MET: 2}


def weakest(verdicts: list[Verdict]) -> Verdict:
    """A claim is met only if every element is; one unmet element defeats it."""
    return min(verdicts, key=lambda v: _RANK[v]) if verdicts else Verdict.UNDETERMINED


@dataclass(frozen=True)
class Finding:
    """A predicate's answer: verdict and the evidence for it (bodies, dimensions, steps, materials)."""

    verdict: Verdict
    evidence: str


Predicate = Callable[["Facts"], Finding]


def met(evidence: str) -> Finding:
    return Finding(Verdict.MET, evidence)


def not_met(evidence: str) -> Finding:
    return Finding(Verdict.NOT_MET, evidence)


def undetermined(evidence: str) -> Finding:
    return Finding(Verdict.UNDETERMINED, evidence)


def check(cond: bool, yes: str, no: str) -> Finding:
    return met(yes) if cond else not_met(no)


@dataclass(frozen=True)
class Tolerances:
    """How semipack reads the claims' open terms; every one can be set by the user.

    The defaults are declared here and only here; each field's name carries its unit
    (``_ppm_k`` ppm/K, ``_m`` metres, ``_rel`` a fraction). Construction checks every
    value against `RANGES` and raises a one-line `DesignError` naming the field.

    Attributes
    ----------
    similar_cte_ppm_k
        "similar thermal expansion coefficient" (003 claim 12): |CTE(pad) - CTE(chip)| at most this.
    approx_equal_rel
        "approximately equal" (002 claims 24/55/68): relative difference at most this.
    same_area_rel
        "dimensionally same" area (003 claims 2/13): relative difference at most this.
    coplanar_m
        "coplanar"/"planar to" (002 claim 25, 003 claim 1, 004 claim 2): height difference at most this.
    die_size_rel
        "close to a die size" (001): package width at most this much above the die's.
    """

    similar_cte_ppm_k: float = 3.0
    approx_equal_rel: float = 0.10
    same_area_rel: float = 0.01
    coplanar_m: float = 2e-6
    die_size_rel: float = 0.10

    def __post_init__(self) -> None:
        for name, (lo, hi, unit) in RANGES.items():
            v = getattr(self, name)
            ok = isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and lo <= v <= hi
            if not ok:
                raise DesignError(name, v, f"a finite number from {lo:g} to {hi:g} {unit}")

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


# Allowed range and unit of each tolerance. A relative tolerance above 1 (100 %) no longer
# reads "approximately"; a height step of a millimetre is not "coplanar" at package scale;
# package materials' CTEs lie within about 0-100 ppm/K, so a larger difference allows anything.
RANGES: dict[str, tuple[float, float, str]] = {
    "similar_cte_ppm_k": (0.0, 100.0, "ppm/K"),
    "approx_equal_rel": (0.0, 1.0, "(a fraction)"),
    "same_area_rel": (0.0, 1.0, "(a fraction)"),
    "coplanar_m": (0.0, 1e-3, "m"),
    "die_size_rel": (0.0, 1.0, "(a fraction)"),
}


@dataclass(frozen=True)
class Element:
    """One element of a claim: its wording and the predicate that tests it."""

    text: str
    predicate: Predicate


@dataclass(frozen=True)
class Claim:
    """An encoded claim: the seed's number, parent and wording, split into elements."""

    patent: str
    number: int
    depends_on: int | None
    text: str
    method: bool
    elements: tuple[Element, ...]


@dataclass(frozen=True)
class ElementResult:
    text: str
    verdict: Verdict
    evidence: str


@dataclass(frozen=True)
class ClaimResult:
    """A charted claim: its own elements' verdicts and the claim's verdict (parent included)."""

    patent: str
    number: int
    depends_on: int | None
    method: bool
    text: str
    verdict: Verdict
    elements: tuple[ElementResult, ...]
