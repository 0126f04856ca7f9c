"""A canonical order for the presentation records of a STEP file.

OpenCASCADE writes the geometry and the product structure of an assembly in a fixed
order, but its colour and style records (``MECHANICAL_DESIGN_GEOMETRIC_PRESENTATION_
REPRESENTATION`` and the ``STYLED_ITEM`` trees under it) in the iteration order of an
internal map, which changes from run to run: the same model gave a different file each
time. `canonical_step` sorts those records by their content, merges identical ones
and renumbers them, so the same model gives the same bytes. The styles are the same;
only their order, numbers and sharing change (ISO 10303-21 allows any order, forward
references and shared instances).
"""

from __future__ import annotations

import hashlib
import re

_ENTITY = re.compile(r"#(\d+)\s*=\s*(.*)", re.S)
_REF = re.compile(r"#(\d+)")
_FIRST_STYLE = "MECHANICAL_DESIGN_GEOMETRIC_PRESENTATION_REPRESENTATION"


def _normal(text: str) -> str:
    """An entity's text without the writer's line breaks (outside quoted strings)."""
    parts = text.split("'")
    parts[::2] = [re.sub(r"\s*\n\s*", "", p) for p in parts[::2]]
    return "'".join(parts)


def canonical_step(text: str) -> str:
    """``text`` with the presentation records in content order; unchanged if it has none."""
    start = text.find("\nDATA;\n")
    end = text.find("\nENDSEC;", start + 1)
    if start < 0 or end < 0:
        return text
    head, body, tail = text[: start + 7], text[start + 7 : end + 1], text[end + 1 :]
    chunks = [c for c in re.split(r";\r?\n(?=#\d+\s*=)", body.rstrip().removesuffix(";")) if c.strip()]
    entities: list[tuple[int, str]] = []
    for c in chunks:
        m = _ENTITY.match(c.strip())
        if m is None:
            return text
        entities.append((int(m.group(1)), _normal(m.group(2))))
    first = next((i for i, (_, t) in enumerate(entities) if t.startswith(_FIRST_STYLE)), None)
    if first is None:
        return text
    styles = dict(entities[first:])
    digests: dict[int, str] = {}

    def digest(n: int, depth: int = 0) -> str:
        if n not in styles:
            return f"#{n}"  # a geometry or product record: its number is stable
        if n not in digests:
            if depth > 64:
                raise RecursionError
            inner = _REF.sub(lambda m: "@" + digest(int(m.group(1)), depth + 1), styles[n])
            digests[n] = hashlib.sha1(inner.encode()).hexdigest()
        return digests[n]

    try:
        keys = {n: digest(n) for n in styles}
    except RecursionError:
        return text
    # Identical records (the same colour, the same 'continuous' curve font written once
    # per body) become one shared record: otherwise which copy a style points to would
    # still follow the writer's order.
    unique = sorted(set(keys.values()))
    base = entities[first][0]
    number = {d: base + i for i, d in enumerate(unique)}
    new = {n: number[d] for n, d in keys.items()}
    text_of = {keys[n]: styles[n] for n in sorted(styles)}

    def renumber(t: str) -> str:
        return _REF.sub(lambda m: f"#{new.get(int(m.group(1)), int(m.group(1)))}", t)

    kept = [c.strip() for c in chunks[:first]]
    lines = [renumber(c) + ";" for c in kept]
    lines += [f"#{number[d]} = {renumber(text_of[d])};" for d in unique]
    return head + "\n".join(lines) + "\n" + tail
