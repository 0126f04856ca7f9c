"""Claim charts: every claim of the five seeds, element by element, against a design."""

from semipack.claims.chart import PATENTS, Chart, chart, encoded, split_elements
from semipack.claims.model import ClaimResult, ElementResult, Tolerances, Verdict
from semipack.claims.text import ClaimText, parse_claims, seed_claims

__all__ = [
    "PATENTS",
    "Chart",
    "ClaimResult",
    "ClaimText",
    "ElementResult",
    "Tolerances",
    "Verdict",
    "chart",
    "encoded",
    "parse_claims",
    "seed_claims",
    "split_elements",
]
