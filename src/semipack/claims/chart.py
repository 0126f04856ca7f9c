"""Chart a design against the claims: every element's verdict with its evidence.

Claims are read from the seed files (`text.py`), so the chart keeps the claims' own
wording; each patent module supplies one predicate per element. An independent claim's
elements are the clauses after "comprising:" (split at semicolons); a dependent claim's
element is what it adds after "claim N". A claim is met when its parent is and every
element is; one element not met defeats it; otherwise it is undetermined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from semipack.claims.facts import Facts
from semipack.claims.model import Claim, ClaimResult, Element, ElementResult, Predicate, Tolerances, Verdict, weakest
from semipack.claims.text import ClaimText, seed_claims
from semipack.errors import DesignError
from semipack.model import Package

PATENTS = ("000", "001", "002", "003", "004")


def split_elements(c: ClaimText) -> list[str]:
    """The clauses of a claim, as the predicates take them."""
    text = c.text.rstrip(".")
    if c.depends_on is None:
        body = text.split(":", 1)[1] if ":" in text else text
    else:
        m = re.search(r"claim\s*\d+\s*,?\s*", text)
        body = text[m.end() :] if m else text
        body = body.split(":", 1)[1] if body.lstrip().startswith("further comprising:") else body
    parts = [re.sub(r"^\s*and\s+", "", p).strip() for p in body.split(";")]
    return [p for p in parts if p]


def _elements(patent: str) -> dict[int, tuple[Predicate, ...]]:
    from semipack.claims import p000, p002, p003, p004

    return {"000": p000.ELEMENTS, "001": {}, "002": p002.ELEMENTS, "003": p003.ELEMENTS, "004": p004.ELEMENTS}[patent]


@cache
def encoded(patent: str) -> tuple[Claim, ...]:
    """Every claim of ``patent`` with its predicates (KeyError if one is missing)."""
    preds = _elements(patent)
    out = []
    for c in seed_claims(patent):
        texts = split_elements(c)
        ps = preds[c.number]
        if len(ps) != len(texts):
            if len(ps) == 1:
                texts = ["; ".join(texts)]
            else:
                raise ValueError(f"{patent} claim {c.number}: {len(texts)} clauses but {len(ps)} predicates")
        out.append(
            Claim(
                patent,
                c.number,
                c.depends_on,
                c.text,
                c.method,
                tuple(Element(t, p) for t, p in zip(texts, ps, strict=True)),
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class Chart:
    """A design charted against one or more patents."""

    design: str
    family: str
    results: tuple[ClaimResult, ...]
    tolerances: Tolerances
    patents: tuple[str, ...] = PATENTS

    def met(self, patent: str | None = None) -> tuple[ClaimResult, ...]:
        return tuple(r for r in self.results if r.verdict is Verdict.MET and (patent is None or r.patent == patent))


def chart(pkg: Package, patents: tuple[str, ...] = PATENTS, tolerances: Tolerances | None = None) -> Chart:
    """Chart ``pkg`` against every claim of ``patents``."""
    tol = tolerances or Tolerances()
    for p in patents:
        if p not in PATENTS:
            raise DesignError("patents", p, "allowed: " + ", ".join(PATENTS) + ", all")
    facts = Facts(pkg, tol)
    results: list[ClaimResult] = []
    for patent in patents:
        done: dict[int, ClaimResult] = {}
        for c in encoded(patent):
            els = []
            for e in c.elements:
                fnd = e.predicate(facts)
                els.append(ElementResult(e.text, fnd.verdict, fnd.evidence))
            own = weakest([e.verdict for e in els])
            parent = done[c.depends_on].verdict if c.depends_on in done else None
            verdict = own if parent is None else weakest([own, parent])
            r = ClaimResult(patent, c.number, c.depends_on, c.method, c.text, verdict, tuple(els))
            done[c.number] = r
            results.append(r)
    return Chart(pkg.name, pkg.family, tuple(results), tol, tuple(patents))
