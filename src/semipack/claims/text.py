"""The claims as the seeds word them: parsed from the seed files, numbered, with parents.

The seeds come in three layouts (plain numbered paragraphs; a Markdown list; a scanned
page with line numbers in front of every line). The parser finds the claims section,
drops the scanned line numbers, and splits the text at each ``N. A ...`` / ``N. The
...`` that continues the numbering, so a number inside a claim ("claim 13") is never
taken for a new claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_START = re.compile(r"what is claimed is|we claim|i claim|^\s*#*\s*claims\s*$", re.IGNORECASE | re.MULTILINE)
_LINE_NO = re.compile(
    r"^\s*-?\s*(?:\d{1,2}\s+)?(?=\d{1,3}\.\s+(?:A|An|The)\b)|^\s*-\s*\d{1,2}\s+|^\s*\d{1,2}\s*$", re.MULTILINE
)
_HEAD = re.compile(r"(?:^|\s|\.)(\d{1,3})\.\s*(?=(?:A|An|The)\b)")
_PARENT = re.compile(r"\b(?:of|in|to|with)\s+(?:the\s+)?claim\s*(\d{1,3})", re.IGNORECASE)
_METHOD = re.compile(r"^(?:A|An|The)\s+(?:[\w -]*?)method\b", re.IGNORECASE)


@dataclass(frozen=True)
class ClaimText:
    """One claim as written: number, parent (None for an independent claim), text, method or not."""

    patent: str
    number: int
    depends_on: int | None
    text: str
    method: bool


def _claims_section(text: str) -> str:
    m = _START.search(text)
    return text[m.end() :] if m else text


def parse_claims(text: str, patent: str) -> tuple[ClaimText, ...]:
    """Every claim in ``text``, in order."""
    body = _claims_section(text)
    body = "\n".join(re.sub(r"^\s*-\s*\d{1,2}\s+(?=\d{1,3}\.\s)", "", ln) for ln in body.splitlines())
    body = "\n".join(re.sub(r"^\s*-?\s*\d{1,2}\s+(?!\d{0,3}\.\s)", "", ln) for ln in body.splitlines())
    body = "\n".join(re.sub(r"^\s*-\s+", "", ln) for ln in body.splitlines())
    heads = []
    expect = 1
    for m in _HEAD.finditer(body):
        n = int(m.group(1))
        if n == expect:
            heads.append((n, m.start(1), m.end()))
            expect += 1
    out = []
    for i, (n, _start, end) in enumerate(heads):
        stop = heads[i + 1][1] if i + 1 < len(heads) else len(body)
        raw = body[end:stop]
        raw = re.sub(r"\[illegible\]", "", raw)
        words = " ".join(raw.split())
        if "." in words:
            words = words[: words.rfind(".") + 1]  # page furniture after the last sentence
        parent_m = _PARENT.search(words[:200])
        parent = int(parent_m.group(1)) if parent_m and not re.match(r"^(A|An)\b", words) else None
        out.append(ClaimText(patent, n, parent, words.strip(), bool(_METHOD.match(words))))
    return tuple(out)


def seeds_dir() -> Path:
    """The seed texts: ``$SEMIPACK_SEEDS`` if set, else the copy shipped with semipack.

    The package carries a verbatim copy of ``../shared/seeds`` (public patent texts) so a
    clone or a wheel charts claims with no sibling checkout; a test keeps the copy equal
    to the shared originals wherever those exist.
    """
    import os

    env = os.environ.get("SEMIPACK_SEEDS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent / "seeds"


@cache
def seed_claims(patent: str) -> tuple[ClaimText, ...]:
    """The claims of seed ``patent`` ('000' ... '004'), read from its file."""
    files = sorted(seeds_dir().glob(f"{patent}_*.txt"))
    if not files:
        return ()
    return parse_claims(files[0].read_text(encoding="utf-8"), patent)
